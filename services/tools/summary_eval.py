"""`newsdesk eval summarization`: ROUGE against references, and reference-free checks
of the briefs a desk can read without any reference.

ROUGE-1, ROUGE-2 and ROUGE-L are the F1 scores of Google's rouge-score package
(Porter stemming, its own tokenizer), averaged over articles, x100; it runs offline
(`evaluate.load("rouge")` downloads its metric at run time, so it is not used).

Reference-free checks, computed here on the client from the article and its brief:
- grounded: a bullet whose content words are at least GROUNDED_SHARE in the article;
- duplicate: a bullet that is a near-duplicate (Jaccard of content words >= SIMILAR)
  of an earlier bullet of the same brief;
- repeats summary: a bullet that is a near-duplicate of the summary;
- mean lengths in words of headline, summary and bullets, and bullets per brief.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

GROUNDED_SHARE = 0.8
SIMILAR = 0.6
_WORD = re.compile(r"[\w'’-]+", re.UNICODE)
_STOP = frozenset(
    "a an the of to in on for and or but is are was were be been by with at from as that "
    "this it its he she they his her their not have has had will would".split()
)


def content_words(text: str) -> set[str]:
    """Lower-cased words of a text, without the commonest function words."""
    return {w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP}


def grounded(bullet: str, article: str) -> bool:
    """True when most of the bullet's content words occur in the article."""
    words = content_words(bullet)
    if not words:
        return False
    return len(words & content_words(article)) / len(words) >= GROUNDED_SHARE


def near_duplicate(a: str, b: str) -> bool:
    """True when two texts share most of their content words (Jaccard >= SIMILAR)."""
    wa, wb = content_words(a), content_words(b)
    if not wa or not wb:
        return False
    return len(wa & wb) / len(wa | wb) >= SIMILAR


def read_rows(lines: Iterable[str]) -> list[tuple[str, str]]:
    """(article, reference) rows of an `article<TAB>reference` file: one optional header
    line ("article<TAB>reference"), a missing reference is "", and the two characters
    backslash-n stand for a line break (paragraphs) in either column."""
    rows = []
    for number, raw in enumerate(lines):
        line = raw.rstrip("\n").rstrip("\r")
        if not line.strip():
            continue
        article, _, reference = line.partition("\t")
        if number == 0 and article.strip().lower() == "article":
            continue
        rows.append((article.replace("\\n", "\n"), reference.replace("\\n", "\n")))
    return rows


@dataclass
class BriefChecks:
    """Reference-free figures accumulated over briefs."""

    briefs: int = 0
    bullets: int = 0
    grounded: int = 0
    duplicates: int = 0
    repeat_summary: int = 0
    short_articles: int = 0
    headline_words: list[int] = field(default_factory=list)
    summary_words: list[int] = field(default_factory=list)
    bullet_words: list[int] = field(default_factory=list)

    def add(
        self, article: str, headline: str, summary: str, bullets: Sequence[str], shortfall: str
    ) -> None:
        """Check one brief against its article."""
        self.briefs += 1
        self.bullets += len(bullets)
        self.short_articles += shortfall == "SHORT_ARTICLE"
        self.headline_words.append(len(headline.split()))
        self.summary_words.append(len(summary.split()))
        for i, bullet in enumerate(bullets):
            self.bullet_words.append(len(bullet.split()))
            self.grounded += grounded(bullet, article)
            self.duplicates += any(near_duplicate(bullet, b) for b in bullets[:i])
            self.repeat_summary += near_duplicate(bullet, summary)

    def report(self) -> dict[str, float | int]:
        """The figures (shares as fractions, lengths in words)."""

        def mean(values: list[int]) -> float:
            return round(sum(values) / len(values), 2) if values else 0.0

        share = (lambda n: round(n / self.bullets, 4)) if self.bullets else (lambda n: 0.0)
        return {
            "briefs": self.briefs,
            "bullets": self.bullets,
            "bullets_per_brief": round(self.bullets / self.briefs, 2) if self.briefs else 0.0,
            "grounded_share": share(self.grounded),
            "duplicate_bullets": self.duplicates,
            "bullets_repeating_summary": self.repeat_summary,
            "short_article_briefs": self.short_articles,
            "mean_headline_words": mean(self.headline_words),
            "mean_summary_words": mean(self.summary_words),
            "mean_bullet_words": mean(self.bullet_words),
        }


def rouge(pairs: Sequence[tuple[str, str]]) -> dict[str, float]:
    """Mean ROUGE-1/2/L F1 (x100) of (summary, reference) pairs, with rouge-score."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    for summary, reference in pairs:
        scores = scorer.score(reference, summary)
        for name in totals:
            totals[name] += scores[name].fmeasure
    return {name: round(100 * value / len(pairs), 2) for name, value in totals.items()}
