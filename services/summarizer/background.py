"""Background-bullet selection: which sentences of an article give the reader context.

A background bullet is a self-contained sentence with a dated earlier event, figures,
or an attribution ("according to", "said", "reported") — the kind of line that closes
a wire story (see ../shared/seed/). Candidates are scored by those cues, sentences the
summary already covers are dropped, near-duplicates are removed, and the rest are
ranked best first (rank_background). `repeats` is the one test of a bullet that says
again what the headline, the summary or another bullet says. Pure Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[\w'’-]+", re.UNICODE)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_NUMBER = re.compile(r"\d")
_MONTH = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
_ATTRIBUTION = re.compile(
    r"\b(according to|said|says|told|reported|reports|stated|announced|noted|earlier|"
    r"previously|last (?:year|month|week)|in \d{4}|since|ago|former|had been)\b",
    re.IGNORECASE,
)
_STOP = frozenset(
    "a an the of to in on for and or but is are was were be been by with at from as that "
    "this it its he she they his her their not have has had will would".split()
)


@dataclass(frozen=True)
class Candidate:
    """A sentence that may become a bullet."""

    index: int
    text: str
    score: float


def content_words(text: str) -> set[str]:
    """Lower-cased content words of a text."""
    return {w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP}


def overlap(a: str, b: str) -> float:
    """Share of a's content words that also appear in b (0..1)."""
    wa = content_words(a)
    return len(wa & content_words(b)) / len(wa) if wa else 1.0


def _jaccard(a: set[str], b: set[str]) -> float:
    """Jaccard similarity of two word sets (two empty sets are alike)."""
    if not a or not b:
        return float(not a and not b)
    return len(a & b) / len(a | b)


def similar(a: str, b: str, threshold: float = 0.6) -> bool:
    """True when two texts are near-duplicates (Jaccard of content words)."""
    return _jaccard(content_words(a), content_words(b)) >= threshold


def repeats(text: str, other: str, share: float = 0.7) -> bool:
    """True when `text` and `other` say the same: near-duplicates (`similar`), or at
    least `share` of the content words of one are in the other (the headline inside a
    bullet, a bullet inside the summary); containment needs two content words at
    least, and a text without any repeats nothing."""
    wa, wb = content_words(text), content_words(other)
    if not wa or not wb:
        return False
    if _jaccard(wa, wb) >= 0.6:
        return True
    shared = len(wa & wb)
    return any(len(w) >= 2 and shared / len(w) >= share for w in (wa, wb))


def cue_score(sentence: str) -> float:
    """How much background a sentence carries: dates, figures, attributions."""
    score = 0.0
    score += 2.0 * bool(_YEAR.search(sentence))
    score += 1.0 * bool(_MONTH.search(sentence))
    score += 1.0 * bool(_NUMBER.search(sentence))
    score += 1.5 * len(_ATTRIBUTION.findall(sentence))
    words = len(sentence.split())
    if words < 6 or words > 60:  # fragments and run-ons make poor bullets
        score -= 2.0
    elif words > 40:  # long sentences make long bullets (and long rewrites)
        score -= 1.0
    return score


def rank_background(
    sentences: list[str],
    summary: str,
    *,
    skip_first: int = 1,
    allow_lead: bool = True,
    limit: int = 0,
) -> list[Candidate]:
    """Every sentence that may give background, best first (at most `limit`, 0: all).

    The lead (first `skip_first` sentences) is what the summary and headline cover: it
    comes last, and only with `allow_lead` (false for a one- or two-sentence article).
    Sentences mostly covered by the summary (overlap >= 0.7), fragments (under four
    words) and near-duplicates of a better candidate are skipped.
    """
    covered = content_words(summary)

    def candidate(i: int, text: str, penalty: float) -> Candidate | None:
        words = content_words(text)
        said = len(words & covered) / len(words) if words else 1.0
        if said >= 0.7 or len(text.split()) < 4:
            return None
        return Candidate(i, text, cue_score(text) - 2.0 * said - penalty)

    body = [candidate(i, s, 0.0) for i, s in enumerate(sentences) if i >= skip_first]
    lead = [candidate(i, s, 3.0) for i, s in enumerate(sentences[:skip_first])]
    ranked: list[Candidate] = []
    seen: list[set[str]] = []
    groups = [body, lead if allow_lead else []]
    for group in groups:
        for cand in sorted(filter(None, group), key=lambda c: (-c.score, c.index)):
            words = content_words(cand.text)
            if any(_jaccard(words, other) >= 0.6 for other in seen):
                continue
            ranked.append(cand)
            seen.append(words)
            if len(ranked) == limit:
                return ranked
    return ranked
