"""The figures check of a brief (services/summarizer/facts.py): a rewrite stating what
the text does not gives way to its source sentence, such a headline to the lead's, a
summary sentence is removed — or the part is flagged, and reject_unsupported refuses
it. Driven through the SummaryWriter with a scripted engine, so what the "model" writes
is known."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from newsdesk.summarization.v1 import summarization_pb2
from services.common.engines.base import Generated, GenerationSpec
from services.common.errors import FailedPrecondition
from services.common.models.store import ModelRef
from services.common.text.factcheck import Source
from services.common.text.segment import first_sentence
from services.summarizer.background import Candidate
from services.summarizer.bullets import pick_bullets
from services.summarizer.facts import (
    FLAGGED,
    REMOVED,
    REPLACED,
    FactCheck,
    check_bullet,
    check_headline,
    check_summary,
    refusal,
)
from services.summarizer.servicer import options_from_proto, summary_to_proto
from services.summarizer.summary import SummaryOptions, SummaryWriter

NB = "\u00a0"
ARTICLE = (
    "Russian drones struck the Ukrainian port of Odesa overnight, killing 3 people and "
    "injuring 12, regional governor Oleh Kiper said on Tuesday. "
    "Air-raid sirens sounded across the region at 4.40 am, and the attack lasted "
    "about two hours. "
    f"The strike damaged a grain terminal that handled 1{NB}200 tonnes a day, the port "
    "authority said. "
    "On March 30, 2021, the port signed a deal worth $2.5 billion with a Turkish operator "
    "to expand the terminal. "
    "Kiper said rescuers had worked through the night to reach people under the rubble. "
    "The United Nations condemned the strike, saying civilian infrastructure must never "
    "be a target. "
    "Grain exports through Odesa fell by 45 per cent last year, according to the ministry."
)
FIRST = first_sentence(ARTICLE)


def invent_a_year(text: str) -> str:
    """A rewrite that puts a year the article never states in front of its input."""
    sentence = first_sentence(text)
    return f"In 1931, {sentence[0].lower()}{sentence[1:]}"


def retype(text: str) -> str:
    """A faithful rewrite: the input's first sentence with its figures typed another
    way (the same numbers, dates and times)."""
    sentence = first_sentence(text)
    for old, new in (
        (f"1{NB}200", "1,200"),
        ("$2.5 billion", "$2.5bn"),
        ("On March 30, 2021", "On 30 March 2021"),
        ("killing 3 people", "killing three people"),
        ("4.40 am", "04:40"),
        ("about two hours", "about 2 hours"),
        ("45 per cent", "45%"),
    ):
        sentence = sentence.replace(old, new)
    return sentence


class ScriptedEngine:
    """A fake engine with whitespace tokens: summary jobs (those with a minimum length)
    get `summary(input)`, the headline and bullet rewrites `rewrite(input)`."""

    model = ModelRef("test/scripted", "0", "fake")
    max_source_tokens = 1024
    footprint = None

    def __init__(
        self,
        rewrite: Callable[[str], str] = invent_a_year,
        summary: Callable[[str], str] = lambda text: first_sentence(text),
    ) -> None:
        self.rewrite = rewrite
        self.summary = summary

    def replica(self) -> ScriptedEngine:
        return self

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 2

    def generate(self, inputs, spec: GenerationSpec, should_stop=None, on_done=None):
        write = self.summary if spec.min_new_tokens > 1 else self.rewrite
        return [Generated(write(text), self.count_tokens(text), 8) for text in inputs]


def brief(engine: ScriptedEngine, **options):
    """The Summary of ARTICLE written with `engine`."""
    return SummaryWriter(engine).write(ARTICLE, SummaryOptions(**options))


def figures_in(text: str) -> int:
    """The figures factcheck finds in a published part."""
    return len(Source(ARTICLE).check(text).figures)


def test_a_rewrite_with_an_invented_figure_gives_its_source_sentence() -> None:
    """Every bullet rewrite states 1931; each bullet is its source sentence instead,
    reported REPLACED with the figure it dropped; the checks count the published
    bullets' figures, one check per bullet."""
    summary = brief(ScriptedEngine())
    assert summary.bullets and len(summary.bullet_checks) == len(summary.bullets)
    assert not any("1931" in bullet for bullet in summary.bullets)
    assert not any(source.rewritten for source in summary.sources)
    replaced = [c for c in summary.bullet_checks if c.action == REPLACED]
    assert replaced, summary.bullet_checks
    for check in replaced:
        assert check.figures_unsupported == ("1931",)
        assert "1931" in check.detail and "source sentence" in check.detail
    for bullet, check in zip(summary.bullets, summary.bullet_checks, strict=True):
        assert bullet in ARTICLE
        assert check.figures_checked == figures_in(bullet)
    assert sum(c.figures_checked for c in summary.bullet_checks) >= 3


def test_a_faithful_rewrite_is_kept_and_its_figures_checked() -> None:
    """Rewrites that type the article's figures another way ("1,200" for "1 200",
    "$2.5bn", "30 March 2021", "three", "04:40", "45%") are the article's figures: kept,
    nothing to do."""
    summary = brief(ScriptedEngine(rewrite=retype))
    rewritten = [
        (bullet, check)
        for bullet, source, check in zip(
            summary.bullets, summary.sources, summary.bullet_checks, strict=True
        )
        if source.rewritten
    ]
    assert rewritten, summary.bullets
    for bullet, check in rewritten:
        assert check == FactCheck(figures_checked=figures_in(bullet))
    assert any(check.figures_checked for _, check in rewritten)
    assert summary.headline_check.action == ""


def test_an_invented_figure_in_the_headline_gives_the_leads() -> None:
    """The model's headline states 1931: the article's first sentence (cut to the word
    cap) is the headline instead, REPLACED."""
    summary = brief(ScriptedEngine(), headline_max_words=12)
    assert summary.headline == " ".join(FIRST.split()[:12])
    check = summary.headline_check
    assert check.action == REPLACED and check.figures_unsupported == ("1931",)
    assert check.figures_checked == figures_in(summary.headline) == 1  # "3"


def test_a_summary_sentence_with_an_invented_figure_is_removed() -> None:
    """Of two summary sentences, the one stating 4,321 is removed (REMOVED); the other
    stays."""
    engine = ScriptedEngine(summary=lambda text: f"{FIRST} The toll rose to 4,321 people.")
    summary = brief(engine)
    assert summary.summary == FIRST
    check = summary.summary_check
    assert check.action == REMOVED and check.figures_unsupported == ("4,321",)
    assert check.figures_checked == figures_in(FIRST) == 2
    assert "removed 1 of 2 sentences" in check.detail


def test_a_summary_is_never_emptied() -> None:
    """A one-sentence summary stating 1931 is kept, FLAGGED: removing it would leave
    no summary."""
    engine = ScriptedEngine(summary=invent_a_year)
    summary = brief(engine)
    assert "1931" in summary.summary
    check = summary.summary_check
    assert check.action == FLAGGED and check.figures_unsupported == ("1931",)
    assert "never left empty" in check.detail


def test_an_invented_name_in_the_summary_is_flagged_and_kept() -> None:
    """A summary naming someone the article does not is kept with the name flagged."""
    engine = ScriptedEngine(summary=lambda text: f"{FIRST} Mayor John Smith visited the port.")
    summary = brief(engine)
    assert "John Smith" in summary.summary
    check = summary.summary_check
    assert check.action == FLAGGED
    assert check.names_unsupported == ("John Smith",) and not check.figures_unsupported


def test_reject_unsupported_refuses_a_flagged_brief() -> None:
    """With reject_unsupported, a brief with a flagged part is FAILED_PRECONDITION,
    UNSUPPORTED_FACTS; the message counts per part (it is logged: no text), the
    metadata lists the figures. Without it, the same brief is returned flagged."""
    engine = ScriptedEngine(summary=invent_a_year)
    with pytest.raises(FailedPrecondition) as refused:
        brief(engine, reject_unsupported=True)
    error = refused.value
    assert error.reason == "UNSUPPORTED_FACTS" and error.code_name == "FAILED_PRECONDITION"
    assert "summary_check (1 figure(s), 0 name(s))" in error.message
    assert "1931" not in error.message
    assert error.metadata == {"summary_check": "figures: 1931"}
    assert brief(engine).summary_check.action == FLAGGED


def test_reject_unsupported_passes_what_was_removed_or_replaced() -> None:
    """reject_unsupported refuses only what is left flagged: replaced bullets and a
    replaced headline pass."""
    summary = brief(ScriptedEngine(), reject_unsupported=True)
    assert summary.headline_check.action == REPLACED
    assert not any(c.flagged for c in [summary.summary_check, *summary.bullet_checks])


def test_the_check_can_be_left_out() -> None:
    """A writer without the check (a benchmark measuring it) keeps the invented rewrite
    and reports empty checks, still one per bullet."""
    summary = SummaryWriter(ScriptedEngine(), check_facts=False).write(ARTICLE, SummaryOptions())
    assert any(
        source.rewritten and "1931" in b
        for b, source in zip(summary.bullets, summary.sources, strict=True)
    )
    assert summary.headline.startswith("In 1931")
    assert summary.bullet_checks == [FactCheck()] * len(summary.bullets)
    assert summary.headline_check == summary.summary_check == FactCheck()


def test_pick_bullets_sets_aside_an_unsupported_rewrite() -> None:
    """A grounded rewrite the check refuses is not used: the source sentence is (when it
    fits), else the next candidate; the refused check is kept by sentence index."""
    source = Source("Officials said 12 people died in Kharkiv. Power returned on Friday.")
    ranked = [
        Candidate(1, "Officials said 12 people died in Kharkiv.", 1.0),
        Candidate(2, "Power returned on Friday.", 0.5),
    ]
    rewrites = {1: "Officials said 21 people died in Kharkiv."}
    picked = pick_bullets(ranked, rewrites, taken=[], count=1, max_words=20, facts=source.check)
    assert picked.bullets[0][0] == ranked[0].text and not picked.bullets[0][1].rewritten
    assert [f.text for f in picked.unsupported[1].unsupported_figures] == ["21"]
    tight = pick_bullets(ranked, rewrites, taken=[], count=1, max_words=5, facts=source.check)
    assert tight.bullets[0][0] == ranked[1].text


@pytest.mark.parametrize(
    ("candidates", "chosen", "action"),
    [
        pytest.param(["Kharkiv hit by 12 drones", "Drones hit Kharkiv"], 0, "", id="model"),
        pytest.param(["Kharkiv hit by 21 drones", "Drones hit Kharkiv"], 1, REPLACED, id="lead"),
        pytest.param(["Kharkiv hit by 21 drones", "Drones hit Odesa"], 0, FLAGGED, id="neither"),
        pytest.param(["Drones hit Odesa"], 0, FLAGGED, id="lead-only"),
    ],
)
def test_check_headline(candidates: list[str], chosen: int, action: str) -> None:
    """The model's headline when it passes, else the lead's when that passes, else the
    model's, flagged."""
    source = Source("Twelve drones hit Kharkiv overnight.")
    index, check = check_headline(candidates, source)
    assert (index, check.action) == (chosen, action)


def test_check_summary_keeps_paragraph_text_when_nothing_is_removed() -> None:
    """A supported summary comes back as it was, its figures counted."""
    text, check = check_summary("Twelve drones hit Kharkiv. Power returned.", Source(ARTICLE))
    assert text == "Twelve drones hit Kharkiv. Power returned."
    assert check.action == FLAGGED and check.names_unsupported == ("Kharkiv",)
    text, check = check_summary("Three people were killed.", Source(ARTICLE))
    assert (text, check) == ("Three people were killed.", FactCheck(figures_checked=1))


def test_an_extractive_bullet_is_checked_too() -> None:
    """A bullet that is a sentence of the text is supported and counted; one a house
    style made unsupported is flagged."""
    assert check_bullet("Kiper said 3 people died.", Source("Kiper said 3 people died.")) == (
        FactCheck(figures_checked=1)
    )
    flagged = check_bullet("Kiper said 4 people died.", Source("Kiper said 3 people died."))
    assert flagged.action == FLAGGED and flagged.figures_unsupported == ("4",)


def test_refusal_lists_every_flagged_part() -> None:
    """The metadata keys name the response fields; nothing flagged is no refusal."""
    flagged = FactCheck(1, ("45",), ("Smith",), FLAGGED, "…")
    assert refusal(FactCheck(), FactCheck(), [FactCheck(action=REPLACED)]) is None
    error = refusal(flagged, FactCheck(), [FactCheck(), flagged])
    assert error is not None
    assert error.metadata == {
        "headline_check": "figures: 45; names: Smith",
        "bullet_checks_1": "figures: 45; names: Smith",
    }
    assert re.search(r"2 part\(s\).*headline_check.*bullet_checks\[1\]", error.message)


def test_the_servicer_carries_the_checks_and_the_option() -> None:
    """reject_unsupported is read from the request; the checks reach the response, one
    per bullet, with the action as the enum."""
    request = summarization_pb2.SummarizeRequest(text="x", reject_unsupported=True)
    assert options_from_proto(request, SummaryOptions()).reject_unsupported
    assert not options_from_proto(
        summarization_pb2.SummarizeRequest(text="x"), SummaryOptions()
    ).reject_unsupported
    summary = brief(ScriptedEngine(summary=invent_a_year))
    reply = summary_to_proto(summary, 1.0, 0.0, 1.0)
    assert len(reply.bullet_checks) == len(reply.bullets) == len(summary.bullets)
    assert reply.summary_check.action == summarization_pb2.FACT_ACTION_FLAGGED
    assert list(reply.summary_check.figures_unsupported) == ["1931"]
    assert reply.headline_check.action == summarization_pb2.FACT_ACTION_REPLACED
    assert {c.action for c in reply.bullet_checks} <= {
        summarization_pb2.FACT_ACTION_UNSPECIFIED,
        summarization_pb2.FACT_ACTION_REPLACED,
    }
