"""Stage 2 of the translator's request path: each generation judged (verdict.py) and
the model rounds (rounds.py) — first generations, the gate's one retry, the cache —
driven by hand: the test answers each round's jobs itself, so every rule is pinned
without a model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from services.common.batching.queue import Job
from services.common.engines.base import Generated
from services.common.text.language import LanguageDecision
from services.translator import plausibility
from services.translator.cache import TranslationCache
from services.translator.options import PlausibilityMode, TranslateOptions, TranslatorPolicy
from services.translator.prepare import Prepared, Preparer
from services.translator.rounds import ModelRounds, Outcome
from services.translator.terms import DEFAULT_TERMS, TermGlossary
from services.translator.verdict import judge
from tests.unit.test_translator_prepare import preparer

SOURCE = "Уряд ухвалив рішення."
GOOD = "The government made a decision."
BAD = "the the the the the the"
TERMS = TermGlossary.from_tsv(DEFAULT_TERMS)
WITH_TERM = "ЗСУ збили дрон над містом."
GOOD_WITH_TERM = "The Armed Forces of Ukraine shot down a drone over the city."


def prepared_of(text: str, prep: Preparer, beams: int | None = None) -> Prepared:
    return prep.prepare([(text, LanguageDecision("uk"))], TranslateOptions(num_beams=beams))


def drive(plan, answer: Callable[[list[Job]], list[str]]) -> tuple[dict[int, Outcome], list]:
    """Run a rounds plan, answering each round with `answer`; its outcomes and the
    job lists it asked for."""
    asked = []
    try:
        jobs = next(plan)
        while True:
            asked.append(jobs)
            texts = answer(jobs)
            jobs = plan.send([Generated(t, 5, len(t.split())) for t in texts])
    except StopIteration as stop:
        return stop.value, asked


def replies(*rounds: str) -> Callable[[list[Job]], list[str]]:
    """Answer round k's every job with rounds[k]."""
    calls = iter(rounds)

    def answer(jobs: list[Job]) -> list[str]:
        text = next(calls)
        return [text] * len(jobs)

    return answer


def test_the_texts_used_here_pass_and_fail_the_gate() -> None:
    """The fixtures: GOOD passes the gate, BAD fails it."""
    assert plausibility.check(SOURCE, GOOD) == ()
    assert plausibility.check(SOURCE, BAD)


def test_a_good_first_generation_needs_one_round() -> None:
    """A piece that passes is published as generated, in one round."""
    rounds = ModelRounds(PlausibilityMode.RETRY, preparer().cache)
    outcomes, asked = drive(rounds.run(prepared_of(SOURCE, preparer())), replies(GOOD))
    assert len(asked) == 1
    assert outcomes[0] == Outcome(GOOD, (), outcomes[0].terms, 5, 5)


@pytest.mark.parametrize(
    ("beams", "retry_beams"),
    [(1, 4), (2, 4), (4, 8), (8, 8)],
    ids=["greedy-to-4", "2-to-4", "4-to-8", "8-capped"],
)
def test_a_failed_piece_is_retried_once_with_more_beams(beams: int, retry_beams: int) -> None:
    """The gate's retry: beam search (4) for a greedy piece, else twice the beams, at
    most 8; a better retry replaces the first output and both generations count."""
    rounds = ModelRounds(PlausibilityMode.RETRY, preparer().cache)
    prepared = prepared_of(SOURCE, preparer(), beams)
    outcomes, asked = drive(rounds.run(prepared), replies(BAD, GOOD))
    assert [job.spec.num_beams for job in asked[1]] == [retry_beams]
    assert asked[1][0].text == asked[0][0].text
    (outcome,) = outcomes.values()
    assert (outcome.text, outcome.reasons, outcome.retried) == (GOOD, (), True)
    assert outcome.source_tokens == 10 and outcome.target_tokens == 6 + 5


def test_a_retry_that_fails_more_checks_is_not_taken() -> None:
    """The first output stands when its retry fails more checks, or is empty."""
    first = "The government made 5 decisions."
    worse = "the the the the 7 8 9"
    assert len(plausibility.check(SOURCE, worse)) > len(plausibility.check(SOURCE, first))
    for retry in (worse, ""):
        rounds = ModelRounds(PlausibilityMode.RETRY, preparer().cache)
        outcomes, _ = drive(rounds.run(prepared_of(SOURCE, preparer())), replies(first, retry))
        assert outcomes[0].text == first and outcomes[0].retried
        assert outcomes[0].reasons == (plausibility.NUMBERS,)


def test_an_empty_generation_falls_back_to_the_source() -> None:
    """The model wrote nothing: the source text stands in, counted as a fallback,
    until a retry writes something."""
    flag = ModelRounds(PlausibilityMode.FLAG, preparer().cache)
    outcomes, asked = drive(flag.run(prepared_of(SOURCE, preparer())), replies(""))
    assert len(asked) == 1
    assert (outcomes[0].text, outcomes[0].fallback) == (SOURCE, True)
    assert outcomes[0].reasons == (plausibility.EMPTY,)
    retry = ModelRounds(PlausibilityMode.RETRY, preparer().cache)
    outcomes, _ = drive(retry.run(prepared_of(SOURCE, preparer())), replies("", GOOD))
    assert (outcomes[0].text, outcomes[0].fallback) == (GOOD, False)


@pytest.mark.parametrize(
    ("mode", "reasons"),
    [(PlausibilityMode.FLAG, True), (PlausibilityMode.OFF, False)],
    ids=["flag", "off"],
)
def test_flag_checks_without_a_retry_and_off_checks_nothing(mode, reasons: bool) -> None:
    """FLAG: the reasons, one round. OFF: no reasons, one round."""
    rounds = ModelRounds(mode, preparer().cache)
    outcomes, asked = drive(rounds.run(prepared_of(SOURCE, preparer())), replies(BAD))
    assert len(asked) == 1 and not outcomes[0].retried
    assert bool(outcomes[0].reasons) is reasons


def test_a_lost_term_is_retried_unmasked_and_keeps_its_first_counts() -> None:
    """A dropped placeholder: the retry sends the source text itself (its own token
    count); a retry with the rendering is published; the term stays counted dropped."""
    prep = preparer(policy=TranslatorPolicy(terms=TERMS))
    prepared = prepared_of(WITH_TERM, prep)
    rounds = ModelRounds(PlausibilityMode.RETRY, prep.cache)
    outcomes, asked = drive(
        rounds.run(prepared), replies("shot down a drone over the city.", GOOD_WITH_TERM)
    )
    piece = prepared.pieces[0]
    assert "ZQ1" in asked[0][0].text
    assert (asked[1][0].text, asked[1][0].tokens) == (piece.text, piece.tokens)
    assert outcomes[0].unmasked and outcomes[0].text == GOOD_WITH_TERM
    assert outcomes[0].reasons == ()
    assert (outcomes[0].terms.restored, outcomes[0].terms.dropped) == (0, 1)


def test_the_cache_answers_both_rounds() -> None:
    """Generations are kept; the same request again asks the model nothing, and its
    pieces count as cached; a piece whose retry went to the model does not."""
    prep = preparer(cache=TranslationCache(1 << 20))
    rounds = ModelRounds(PlausibilityMode.RETRY, prep.cache)
    text = f"{SOURCE} Мер пообіцяв допомогу."
    first, asked = drive(rounds.run(prepared_of(text, prep)), replies(BAD, GOOD))
    assert [len(jobs) for jobs in asked] == [2, 2]
    assert not any(o.cached for o in first.values())
    again, asked = drive(rounds.run(prepared_of(text, prep)), replies())
    assert asked == []
    assert again == {i: replace(o, cached=True) for i, o in first.items()}


def test_one_paragraph_at_a_time() -> None:
    """Scoped to a paragraph, the rounds ask for and answer only its pieces."""
    prepared = prepared_of(f"{SOURCE}\n\nМер пообіцяв допомогу. Ще одне.", preparer())
    rounds = ModelRounds(PlausibilityMode.RETRY, preparer().cache)
    outcomes, asked = drive(rounds.run(prepared, prepared.units[1]), replies(BAD, GOOD))
    assert sorted(outcomes) == [1, 2]
    assert [job.text for job in asked[0]] == [p.job.text for p in prepared.pieces[1:]]


def test_judge_restores_counts_and_checks() -> None:
    """Placeholders become renderings (counted, exempt from the script checks); one
    made up is removed and flagged; with the gate off only the terms are reported."""
    prep = preparer(policy=TranslatorPolicy(terms=TERMS))
    piece = prepared_of("ЗСУ і ЖКЛ збили дрон.", prep).pieces[0]
    done = judge(
        piece,
        Generated("ZQ1 and ZQ2 shot down a drone.", 5, 5),
        masked=True,
        mode=PlausibilityMode.RETRY,
    )
    assert done.text == "Armed Forces of Ukraine and ЖКЛ shot down a drone."
    assert (done.terms.restored, done.terms.dropped, done.terms.invented) == (2, 0, 0)
    assert done.reasons == () and not done.lost_term
    made_up = judge(
        piece,
        Generated("ZQ1 ZQ2 ZQ9 shot down a drone.", 5, 5),
        masked=True,
        mode=PlausibilityMode.OFF,
    )
    assert "ZQ9" not in made_up.text and made_up.terms.invented == 1
    assert made_up.reasons == (plausibility.TERM_INVENTED,) and made_up.lost_term
