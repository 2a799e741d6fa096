"""Scores a detector on labelled `lang<TAB>text` files (used by bench/ and the tests).

Figures: accuracy on uk+ru+en rows, the share of rows of other languages answered
uk or ru (and with reliable=true), per-language accuracy, texts/s. Pure Python.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from services.detector.langid.engine import DetectionResult

TARGETS = ("uk", "ru", "en")


def load_labelled(path: Path) -> list[tuple[str, str]]:
    """Rows of a `lang<TAB>text` file (one optional header line), split on the first tab."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            line = line.rstrip("\n")
            if not line or (number == 0 and line == "lang\ttext"):
                continue
            lang, text = line.split("\t", 1)
            rows.append((lang, text))
    return rows


@dataclass
class Score:
    """What a detector did on one labelled set."""

    rows: int = 0
    target_rows: int = 0
    target_correct: int = 0
    target_correct_reliable: int = 0
    other_rows: int = 0
    other_as_ukru: int = 0
    other_as_ukru_reliable: int = 0
    texts_per_s: float = 0.0
    per_language: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def target_accuracy(self) -> float:
        """Accuracy on uk+ru+en rows."""
        return self.target_correct / self.target_rows if self.target_rows else 0.0

    @property
    def reliable_accuracy(self) -> float:
        """Accuracy on uk+ru+en rows counting only right answers with reliable=true:
        what lets the translator go on without asking for a language."""
        return self.target_correct_reliable / self.target_rows if self.target_rows else 0.0

    def language_accuracy(self, language: str) -> float:
        """Accuracy on the rows of one language."""
        right, total = self.per_language.get(language, (0, 0))
        return right / total if total else 0.0

    @property
    def other_reliable_rate(self) -> float:
        """Share of other-language rows answered uk/ru with reliable=true."""
        return self.other_as_ukru_reliable / self.other_rows if self.other_rows else 0.0


def score(detect_many, rows: list[tuple[str, str]]) -> Score:
    """Run detect_many over the texts once (timed) and score the answers."""
    texts = [t for _, t in rows]
    started = time.perf_counter()
    results: list[DetectionResult] = detect_many(texts)
    elapsed = time.perf_counter() - started
    out = Score(rows=len(rows), texts_per_s=len(rows) / elapsed if elapsed else 0.0)
    correct: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for (gold, _), result in zip(rows, results, strict=True):
        total[gold] += 1
        correct[gold] += result.language == gold
        if gold in TARGETS:
            out.target_rows += 1
            out.target_correct += result.language == gold
            out.target_correct_reliable += result.language == gold and result.reliable
        else:
            out.other_rows += 1
            if result.language in ("uk", "ru"):
                out.other_as_ukru += 1
                out.other_as_ukru_reliable += result.reliable
    out.per_language = {lang: (correct[lang], total[lang]) for lang in total}
    return out
