"""`newsdesk eval summarization`'s arithmetic: ROUGE on a fixture with known scores
(worked out by hand below), the TSV reader, and the reference-free checks."""

from __future__ import annotations

import pytest

from services.tools.summary_eval import BriefChecks, grounded, near_duplicate, read_rows, rouge

# (summary, reference, ROUGE-1 F1, ROUGE-2 F1, ROUGE-L F1), x100.
# 1: identical -> 100 / 100 / 100.
# 2: 6 unigrams each, 5 shared ("the" twice, cat, on, mat) -> 83.33; 5 bigrams each,
#    3 shared (the cat, on the, the mat) -> 60; LCS "the cat on the mat" = 5 -> 83.33.
# 3: nothing shared -> 0 / 0 / 0.
# 4: summary "police arrested two men" vs reference "two men were arrested by police";
#    stemmed unigrams shared: police, arrest, two, men = 4; P 4/4, R 4/6 -> F 80;
#    bigrams: "two men" shared = 1 of 3 and 5 -> F 2*(1/3*1/5)/(1/3+1/5) = 25;
#    LCS "two men" (or "police"...) = 2 -> P 2/4, R 2/6 -> F 40.
FIXTURE = [
    ("the cat sat on the mat", "the cat sat on the mat", 100.0, 100.0, 100.0),
    ("the cat was on the mat", "the cat sat on the mat", 83.33, 60.0, 83.33),
    ("storm closes schools", "markets rally on earnings", 0.0, 0.0, 0.0),
    ("police arrested two men", "two men were arrested by police", 80.0, 25.0, 40.0),
]


@pytest.mark.parametrize(("summary", "reference", "r1", "r2", "rl"), FIXTURE)
def test_rouge_known_scores(summary: str, reference: str, r1: float, r2: float, rl: float):
    assert rouge([(summary, reference)]) == {"rouge1": r1, "rouge2": r2, "rougeL": rl}


def test_rouge_is_the_mean_over_articles() -> None:
    pairs = [(s, r) for s, r, *_ in FIXTURE]
    scores = rouge(pairs)
    assert scores["rouge1"] == pytest.approx((100 + 83.33 + 0 + 80) / 4, abs=0.01)
    assert scores["rouge2"] == pytest.approx((100 + 60 + 0 + 25) / 4, abs=0.01)


def test_read_rows() -> None:
    rows = read_rows(
        [
            "article\treference\n",
            "First para.\\nSecond para.\tA reference.\n",
            "\n",
            "No reference here.\n",
        ]
    )
    assert rows == [("First para.\nSecond para.", "A reference."), ("No reference here.", "")]


def test_reference_free_checks() -> None:
    article = (
        "Officials said 3 people were killed in Kharkiv on Monday. The mayor promised "
        "to rebuild 12 schools by September."
    )
    checks = BriefChecks()
    checks.add(
        article,
        "Three killed in Kharkiv",
        "Officials said three people were killed.",
        [
            "The mayor promised to rebuild 12 schools by September.",  # grounded
            "The mayor promised to rebuild 12 schools by September!",  # duplicate
            # Repeats the summary; grounded: 4 of its 5 content words are in the article.
            "Officials said three people were killed.",
            "Bananas are yellow and grow in warm places.",  # not grounded
        ],
        "",
    )
    report = checks.report()
    assert report["bullets"] == 4 and report["briefs"] == 1
    assert report["grounded_share"] == 0.75
    assert report["duplicate_bullets"] == 1
    assert report["bullets_repeating_summary"] == 1
    assert report["mean_headline_words"] == 4
    assert grounded("Kharkiv schools", article) and not grounded("", article)
    assert near_duplicate("rebuild schools", "schools rebuild") and not near_duplicate("a", "")
