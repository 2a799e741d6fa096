"""The summary writer on the tiny, locally built BART (random weights: outputs are noise,
so the tests check structure, counts and chunking, not wording)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from services.common.models.corpus import article
from services.summarizer.background import Candidate, repeats, similar
from services.summarizer.bullets import (
    LONG_SENTENCES,
    REPEATS_SUMMARY,
    SHORT_ARTICLE,
    BulletSource,
    Picked,
    bullet_shortfall,
    pick_bullets,
    whole_sentence,
)
from services.summarizer.summary import SummaryOptions
from tests.conftest import WrappedEngine, flores_documents, long_document, seed_article


def check_bullets(summary, options: SummaryOptions) -> None:
    """The bullet rules: whole sentences within the word limit, never cut, none
    repeating the headline, the summary or another bullet; a shortfall says why."""
    for i, bullet in enumerate(summary.bullets):
        assert whole_sentence(bullet) and not bullet.endswith("…"), bullet
        assert len(bullet.split()) <= options.bullet_max_words, bullet
        assert not repeats(bullet, summary.headline), (bullet, summary.headline)
        assert not repeats(bullet, summary.summary), bullet
        assert not any(repeats(bullet, other) for other in summary.bullets[:i]), bullet
    if len(summary.bullets) < options.bullet_count:
        assert summary.shortfall and summary.shortfall_detail
    else:
        assert not summary.shortfall and not summary.shortfall_detail


def check_summary(summary, options: SummaryOptions, min_bullets: int = 3) -> None:
    assert summary.headline.strip()
    assert len(summary.headline.split()) <= options.headline_max_words
    assert summary.summary.strip()
    assert len(summary.summary.split()) <= options.summary_max_words + 1
    assert min_bullets <= len(summary.bullets) <= options.bullet_count
    for i, a in enumerate(summary.bullets):
        assert a.strip()
        assert not similar(a, summary.summary, 0.7)
        assert not any(similar(a, b) for b in summary.bullets[i + 1 :])
    check_bullets(summary, options)
    assert summary.chunking.sentences_read == summary.chunking.sentences


@pytest.mark.shared
def test_seed_article(writer) -> None:
    """The seed wire story gives a headline, a summary and 3–5 distinct bullets."""
    options = SummaryOptions(num_beams=2)
    summary = writer.write(seed_article(), options)
    check_summary(summary, options)
    assert summary.generations <= 4
    # The 61-word background sentence is a bullet, whole (it was cut at word 45).
    assert any(b.startswith("On March 30, 2021") and len(b.split()) == 61 for b in summary.bullets)


@pytest.mark.shared
def test_translated_flores_document(writer) -> None:
    """A translated FLORES document (its human English translation) gives a full summary."""
    docs = [d for d in flores_documents("uk", 60) if d["sentences"] >= 5]
    options = SummaryOptions(num_beams=2, bullet_count=3)
    summary = writer.write(docs[0]["reference_en"], options)
    check_summary(summary, options)


def test_owned_article(writer) -> None:
    """An article of owned text gives a full summary in two model calls."""
    options = SummaryOptions(num_beams=2, bullet_count=5)
    summary = writer.write(long_document("en", 1500), options)
    check_summary(summary, options)
    assert summary.chunking.windows == 1
    assert summary.generations == 2


def test_long_article_every_window_read(writer) -> None:
    """A 30,000-character article is chunked at sentence boundaries, map-reduced, and
    every sentence lands in a window under the model limit."""
    text = long_document("en", 30_000)
    assert len(text) >= 30_000
    summary = writer.write(text, SummaryOptions(num_beams=1))
    c = summary.chunking
    assert c.windows > 1
    assert c.reduced
    assert len(c.window_tokens) == c.windows
    assert all(t <= writer.engine.max_source_tokens for t in c.window_tokens)
    assert c.sentences_read == c.sentences > 0
    # Every token of the article was inside some window (joins add at most a few).
    assert sum(c.window_tokens) >= c.input_tokens - 2 * c.sentences
    assert summary.generations >= 3


class VerboseEngine(WrappedEngine):
    """The real tiny engine, but every generation comes back a quarter longer than its
    input (a model whose summaries, re-tokenized, outgrow what it read)."""

    def generate(self, inputs, spec, should_stop=None, on_done=None):
        self.calls += 1
        real = self.inner.generate(inputs, spec, should_stop, on_done)
        return [
            replace(g, text=f"{text} {text[: len(text) // 4]}")
            for g, text in zip(real, inputs, strict=True)
        ]


def test_reduce_never_exceeds_the_window_and_ends(writer) -> None:
    """Map-reduce survives partial summaries longer than a window: every model input
    fits the window (over-long partials are split, never cut) and reduction ends."""
    from services.summarizer.summary import SummaryWriter

    engine = VerboseEngine(writer.engine)
    verbose = SummaryWriter(engine)
    seen: list[int] = []
    original = engine.generate

    def spy(inputs, spec, should_stop=None, on_done=None):
        seen.extend(engine.count_tokens(t) for t in inputs)
        return original(inputs, spec, should_stop, on_done)

    engine.generate = spy
    summary = verbose.write(long_document("en", 8_000), SummaryOptions(num_beams=1))
    assert summary.chunking.reduced
    assert max(seen) <= engine.max_source_tokens
    assert summary.summary.strip()
    assert summary.generations <= 7


@pytest.mark.parametrize("max_words", [10, 12, 20, 64])
@pytest.mark.parametrize("sentences", [3, 5, 8, 14, 40])
def test_bullet_rules_on_owned_articles(writer, sentences: int, max_words: int) -> None:
    """On owned English articles of 3-40 sentences, at any bullet_max_words, every
    bullet keeps the rules and a summary short of bullets says why."""
    options = SummaryOptions(num_beams=1, bullet_count=5, bullet_max_words=max_words)
    summary = writer.write(article("en", sentences), options)
    check_bullets(summary, options)
    assert summary.bullets or summary.shortfall


LONG = (
    "On March 30, 2021, the commander said the Russian Federation had amassed 28 "
    "battalion tactical groups along the state border of Ukraine and in the temporarily "
    "occupied territories and, under the guise of preparing for exercises, intends to "
    "deploy up to 25 battalion tactical groups, which poses a threat to Ukraine's "
    "military security."
)
HEADLINE = "Ukraine offers NATO joint military drills near the border"
SUMMARY = "Ukraine has offered NATO joint drills as Russian troops gather near its border."
BODY = [
    "Ukraine offers NATO joint military drills near the border, officials said.",
    LONG,
    "In 2019, the two sides held talks in Brussels that ended without agreement.",
    "The weather was mild in the capital on Monday afternoon",
    "According to the ministry, 28 battalion groups had been deployed by March 30.",
    "According to the ministry, 28 battalion groups were deployed by March 30.",
]


def ranked(*indexes: int) -> list[Candidate]:
    return [Candidate(i, BODY[i], 0.0) for i in indexes]


@pytest.mark.parametrize(
    ("candidates", "rewrites", "count", "max_words", "kept", "passed_over"),
    [
        # A long source sentence gives way to the next candidate, never a cut.
        ((1, 2), {}, 1, 45, [(2, False)], (1, 0, 0)),
        # ... or to its grounded rewrite, when that is a whole sentence that fits.
        (
            (1, 2),
            {1: "The commander said Russia had amassed 28 battalion tactical groups."},
            1,
            45,
            [(1, True)],
            (0, 0, 0),
        ),
        # A rewrite cut off by the length bound is not used.
        ((1,), {1: "The commander said Russia had amassed 28 battalion…"}, 1, 45, [], (1, 0, 0)),
        # An ungrounded rewrite is not used: the source is.
        ((2,), {2: "The weather was mild."}, 1, 64, [(2, False)], (0, 0, 0)),
        # The headline said again (inside a longer sentence).
        ((0, 2), {}, 2, 64, [(2, False)], (0, 1, 0)),
        # The summary said again, or another bullet.
        ((4, 5, 2), {}, 3, 64, [(2, False), (4, False)], (0, 1, 0)),
        # Not a whole sentence (no final punctuation).
        ((3, 2), {}, 1, 64, [(2, False)], (0, 0, 1)),
    ],
    ids=[
        "long-next",
        "long-rewrite",
        "cut-rewrite",
        "ungrounded-rewrite",
        "headline",
        "another-bullet",
        "fragment",
    ],
)
def test_pick_bullets(candidates, rewrites, count, max_words, kept, passed_over) -> None:
    """Whole sentences within the limit, grounded rewrites first, then the next
    candidate; none repeats the headline, the summary or another bullet."""
    picked = pick_bullets(
        ranked(*candidates),
        rewrites,
        taken=[HEADLINE, SUMMARY],
        count=count,
        max_words=max_words,
        lead=0,
    )
    assert [(s.sentences[0], s.rewritten) for _, s in picked.bullets] == kept
    assert (picked.too_long, picked.repeating, picked.fragments) == passed_over
    for text, _ in picked.bullets:
        assert whole_sentence(text) and len(text.split()) <= max_words


def test_bullets_are_judged_in_house_style() -> None:
    """A bullet is judged as the reader sees it: a rendering that makes it too long
    passes it over."""
    cand = [Candidate(1, "In 2019, the two sides met in Crimea and in Crimea again.", 0.0)]
    plain = pick_bullets(cand, {}, taken=[], count=1, max_words=12, lead=0)
    assert plain.bullets
    styled = pick_bullets(
        cand,
        {},
        taken=[],
        count=1,
        max_words=12,
        lead=0,
        restyle=lambda t: t.replace("Crimea", "occupied Crimea"),
    )
    assert not styled.bullets and styled.too_long == 1


def picked(got: int, too_long: int = 0, repeating: int = 0, fragments: int = 0) -> Picked:
    bullets = [(f"Bullet {i}.", BulletSource((i,), False)) for i in range(got)]
    return Picked(bullets, too_long, repeating, fragments)


@pytest.mark.parametrize(
    ("pick", "sentences", "article_", "candidates", "reason", "needles"),
    [
        (picked(4), 9, 9, 8, "", []),
        (picked(0), 1, 1, 0, SHORT_ARTICLE, ["the article has 1 sentence:", "0 distinct"]),
        (picked(1), 2, 5, 1, SHORT_ARTICLE, ["5 sentences (2 in the English text)"]),
        (picked(2), 3, 6, 2, SHORT_ARTICLE, ["the article has 6 sentences (3 in", "2 of them"]),
        (picked(3), 4, 4, 3, SHORT_ARTICLE, ["the article has 4 sentences, 3 of them"]),
        (
            picked(2, too_long=2),
            9,
            9,
            8,
            LONG_SENTENCES,
            ["2 of 4 bullets", "2 candidate sentences are longer than 30 words", "never cut"],
        ),
        (
            picked(3, repeating=1),
            9,
            9,
            8,
            REPEATS_SUMMARY,
            ["1 candidate would repeat the headline, the summary or another bullet"],
        ),
        (picked(3, fragments=1), 9, 9, 8, SHORT_ARTICLE, ["1 candidate is not a whole"]),
    ],
    ids=["enough", "one", "two-of-five", "translated", "lead-only", "long", "repeats", "fragment"],
)
def test_shortfall_names_the_reason(pick, sentences, article_, candidates, reason, needles) -> None:
    """The reason, and a note that counts the article's sentences (the English text's
    own count beside it when a translation joined some)."""
    got, detail = bullet_shortfall(
        pick, 4, sentences=sentences, article=article_, candidates=candidates, max_words=30
    )
    assert got == reason
    for needle in needles:
        assert needle in detail, detail
    assert bool(detail) == bool(reason)


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        ("The talks ended.", True),
        ('He said: "We agree."', True),
        ("Is it over?", True),
        ("(The talks ended.)", True),
        ("The talks ended…", False),
        ("The talks ended...", False),
        ("The talks ended and", False),
        ("Donbas: Kyiv invites NATO to hold joint military drills", False),
    ],
)
def test_whole_sentence(text: str, whole: bool) -> None:
    """A bullet ends like a sentence; an ellipsis or a missing stop is a cut."""
    assert whole_sentence(text) is whole


def test_the_note_counts_the_article_sentences(writer) -> None:
    """The note counts the text's sentences, or the article's when the text is its
    translation (source_sentences)."""
    text = "Ukraine offered NATO joint exercises on Monday, officials said."
    plain = writer.write(text, SummaryOptions(num_beams=1))
    assert "the article has 1 sentence:" in plain.shortfall_detail
    translated = writer.write(text, SummaryOptions(num_beams=1, source_sentences=6))
    assert "the article has 6 sentences (1 in the English text)" in translated.shortfall_detail
