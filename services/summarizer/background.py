"""Background-bullet selection: which sentences of an article give the reader context.

A background bullet is a self-contained sentence with a dated earlier event, figures,
or an attribution ("according to", "said", "reported") — the kind of line that closes
a wire story (see ../shared/seed/). Candidates are scored by those cues, sentences the
summary already covers are dropped, near-duplicates are removed, and the picks are
returned in article order. Pure Python.
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


def similar(a: str, b: str, threshold: float = 0.6) -> bool:
    """True when two texts are near-duplicates (Jaccard of content words)."""
    wa, wb = content_words(a), content_words(b)
    if not wa or not wb:
        return not wa and not wb
    return len(wa & wb) / len(wa | wb) >= threshold


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


def select_background(
    sentences: list[str],
    summary: str,
    count: int,
    *,
    skip_first: int = 1,
    allow_lead: bool = True,
) -> list[Candidate]:
    """Up to `count` background sentences, in article order.

    The lead (first `skip_first` sentences) is what the summary and headline cover;
    sentences mostly covered by the summary (overlap >= 0.7) and near-duplicates of
    each other are skipped. With too few others the lead comes back in, unless
    `allow_lead` is false (a one- or two-sentence article).
    """
    scored = [
        Candidate(i, s, cue_score(s) - 2.0 * overlap(s, summary))
        for i, s in enumerate(sentences)
        if i >= skip_first and overlap(s, summary) < 0.7 and len(s.split()) >= 4
    ]
    if len(scored) < count and allow_lead:  # short article: allow the lead back in
        scored += [
            Candidate(i, s, cue_score(s) - 3.0)
            for i, s in enumerate(sentences[:skip_first])
            if len(s.split()) >= 4
        ]
    picked: list[Candidate] = []
    for cand in sorted(scored, key=lambda c: (-c.score, c.index)):
        if any(similar(cand.text, p.text) for p in picked):
            continue
        picked.append(cand)
        if len(picked) == count:
            break
    return sorted(picked, key=lambda c: c.index)
