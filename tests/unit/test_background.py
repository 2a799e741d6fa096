"""Background-bullet selection and summary text helpers (pure functions)."""

from __future__ import annotations

import pytest

from services.common.text.segment import first_sentence, trim_words
from services.summarizer.background import (
    Candidate,
    cue_score,
    rank_background,
    repeats,
    similar,
)

ARTICLE = [
    "Ukraine offered NATO joint exercises on Monday.",
    "The offer came as Russian troops gathered near the border, officials said.",
    "In 2019, the two sides held talks in Brussels that ended without agreement.",
    "According to the ministry, 28 battalion groups had been deployed by March 30.",
    "The weather was mild.",
    "According to the ministry, 28 battalion groups had been deployed by 30 March.",
    "Analysts said the drills could start within weeks, Reuters reported.",
]


def select_background(sentences: list[str], summary: str, count: int) -> list[Candidate]:
    """Up to `count` background sentences, in article order: the best of
    rank_background (so the lead only when too few others are left)."""
    ranked = rank_background(sentences, summary, limit=count)
    return sorted(ranked, key=lambda c: c.index)


def test_cues_rank_dated_attributed_sentences_higher() -> None:
    """Dates, figures and attributions raise a sentence's background score."""
    assert cue_score(ARTICLE[2]) > cue_score(ARTICLE[4])
    assert cue_score(ARTICLE[3]) > cue_score(ARTICLE[4])


def test_selection_in_article_order_without_duplicates() -> None:
    """Picks come in article order, skip the lead and near-duplicates."""
    picked = select_background(ARTICLE, "Ukraine offered NATO joint exercises.", 3)
    indexes = [c.index for c in picked]
    assert indexes == sorted(indexes)
    assert 0 not in indexes
    assert not (3 in indexes and 5 in indexes)
    assert len(picked) == 3


def test_summary_covered_sentences_skipped() -> None:
    """A sentence the summary already says is not a bullet."""
    summary = "In 2019, the two sides held talks in Brussels that ended without agreement."
    picked = select_background(ARTICLE, summary, 4)
    assert all(c.index != 2 for c in picked)


def test_similarity() -> None:
    """Near-duplicates are recognised; different sentences are not."""
    assert similar(ARTICLE[3], ARTICLE[5])
    assert not similar(ARTICLE[1], ARTICLE[2])


def test_trim_words_prefers_sentence_end() -> None:
    """Trimming keeps whole sentences where the budget allows."""
    text = "One two three. Four five six seven eight nine ten."
    assert trim_words(text, 5) == "One two three."
    assert trim_words("a b c d e f", 3) == "a b c…"
    assert first_sentence("First one. Second.") == "First one."


@pytest.mark.parametrize(
    ("text", "other", "expected"),
    [
        # The headline word for word inside a longer sentence.
        (ARTICLE[0], "Ukraine offered NATO joint exercises", True),
        # A bullet the summary already says.
        (ARTICLE[2], f"{ARTICLE[2]} {ARTICLE[0]} {ARTICLE[1]}", True),
        (ARTICLE[3], ARTICLE[5], True),  # near-duplicates
        (ARTICLE[1], ARTICLE[2], False),
        (ARTICLE[2], "Ukraine offered NATO joint exercises", False),
        # One shared word is no repeat; nor is a text without content words.
        (ARTICLE[6], "Reuters", False),
        (ARTICLE[6], "— !!! —", False),
    ],
    ids=["headline", "summary", "bullet", "different", "other-headline", "one-word", "empty"],
)
def test_repeats(text: str, other: str, expected: bool) -> None:
    """A bullet repeats a text that says what it says, or that it contains."""
    assert repeats(text, other) is expected
    assert repeats(other, text) is expected


def test_ranking_puts_the_lead_last_and_spares_after_the_picks() -> None:
    """Every candidate best first, near-duplicates dropped; the lead comes last, and
    never for a one- or two-sentence article."""
    ranked = rank_background(ARTICLE, "Ukraine offered NATO joint exercises.")
    indexes = [c.index for c in ranked]
    assert not (3 in indexes and 5 in indexes)
    assert 4 not in indexes or indexes.index(4) > indexes.index(2)
    assert 0 not in indexes  # covered by the summary
    two = rank_background(ARTICLE[1:3], "Something else entirely.", allow_lead=False)
    assert [c.index for c in two] == [1]
    lead = rank_background(ARTICLE[1:4], "Something else entirely.")
    assert [c.index for c in lead][-1] == 0
    assert len(rank_background(ARTICLE, "", limit=2)) == 2
