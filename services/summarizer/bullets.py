"""Background bullets: which candidates become bullets, and why a Summary has fewer.

A bullet is one whole sentence of at most `max_words` words, never cut. Candidates
come best first (background.rank_background); the first ones also have the model's
rewrite. For each, a grounded rewrite that is a whole sentence, fits and states only
figures and names of the text (`facts`, facts.py's rule) is used, else the source
sentence if it fits; otherwise the next candidate takes its place. No
bullet repeats the headline, the summary or another bullet (background.repeats),
judged in house style, as the reader sees them. Kept bullets come in article order.
Pure Python.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from services.common.text.factcheck import ClaimCheck
from services.common.text.segment import first_sentence
from services.summarizer.background import Candidate, overlap, repeats

SHORT_ARTICLE = "SHORT_ARTICLE"
REPEATS_SUMMARY = "REPEATS_SUMMARY"
LONG_SENTENCES = "LONG_SENTENCES"

BULLET_MARKS = "•*-–—· "
# A rewrite is kept only when most of its content words come from its source.
_GROUNDED = 0.6
# Sentence-final punctuation, then any closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?][\"'”’»)\]]*$")


@dataclass(frozen=True)
class BulletSource:
    """The sentences (indexes into Summary.sentences) a bullet was drawn from."""

    sentences: tuple[int, ...]
    rewritten: bool


@dataclass
class Picked:
    """The bullets kept (text before house style, source) and, for the candidates
    passed over, why: too long, repeating, or not a whole sentence. `unsupported` holds
    the figures check of each rewrite set aside for stating what the text does not,
    by candidate sentence index."""

    bullets: list[tuple[str, BulletSource]] = field(default_factory=list)
    too_long: int = 0
    repeating: int = 0
    fragments: int = 0
    unsupported: dict[int, ClaimCheck] = field(default_factory=dict)


def whole_sentence(text: str) -> bool:
    """True when `text` ends like a sentence: a full stop, question or exclamation mark
    (then closing quotes or brackets), never an ellipsis or a cut."""
    text = text.rstrip()
    return bool(_SENTENCE_END.search(text)) and not text.endswith(("..", "…"))


def pick_bullets(
    ranked: Sequence[Candidate],
    rewrites: Mapping[int, str],
    *,
    taken: Sequence[str],
    count: int,
    max_words: int,
    restyle: Callable[[str], str] = str,
    lead: int = 1,
    facts: Callable[[str], ClaimCheck | None] | None = None,
) -> Picked:
    """Up to `count` bullets from `ranked` (best first; `rewrites` holds the model's
    rewrite of some, by sentence index); none repeats a text of `taken` (headline and
    summary, in house style) or another bullet. `restyle` puts a text in house style.
    Sentences before index `lead` are the lead, which the headline and summary say: one
    passed over is not counted. `facts` checks a rewrite (in house style) against the
    text: one stating a figure or name the text does not is set aside."""
    picked = Picked()
    kept: list[str] = []  # in house style
    for cand in ranked:
        if len(picked.bullets) == count:
            break
        source = cand.text.strip().lstrip(BULLET_MARKS)
        options = [(source, False)]
        generated = first_sentence(rewrites.get(cand.index, "")).strip().lstrip(BULLET_MARKS)
        if whole_sentence(generated) and overlap(generated, source) >= _GROUNDED:
            check = facts(restyle(generated)) if facts is not None else None
            if check is None or check.supported:
                options.insert(0, (generated, True))
            else:
                picked.unsupported[cand.index] = check
        problem = ""
        for text, rewritten in options:
            styled = restyle(text)
            problem = _problem(styled, [*taken, *kept], max_words)
            if not problem:
                picked.bullets.append((text, BulletSource((cand.index,), rewritten)))
                kept.append(styled)
                break
        # The source sentence's problem counts: it is the candidate itself.
        problem = problem if cand.index >= lead else ""
        picked.too_long += problem == "long"
        picked.repeating += problem == "repeats"
        picked.fragments += problem == "fragment"
    picked.bullets.sort(key=lambda bullet: bullet[1].sentences)
    return picked


def _problem(text: str, others: Sequence[str], max_words: int) -> str:
    """Why `text` cannot be a bullet ("" when it can)."""
    if not whole_sentence(text):
        return "fragment"
    if len(text.split()) > max_words:
        return "long"
    if any(repeats(text, other) for other in others):
        return "repeats"
    return ""


def bullet_shortfall(
    picked: Picked,
    wanted: int,
    *,
    sentences: int,
    article: int,
    candidates: int,
    max_words: int,
) -> tuple[str, str]:
    """Why a Summary has fewer bullets than asked for ("" when it has enough): the reason
    and a note. `sentences` are those of the text read, `article` those of the article
    (more when the text is a translation that joined some), `candidates` the sentences
    beside the lead that could stand alone as bullets."""
    got = len(picked.bullets)
    if got >= wanted:
        return "", ""
    has = _sentences(article, sentences)
    if sentences <= 2:
        return SHORT_ARTICLE, (
            f"the article has {has}: the headline and summary cover its lead, so "
            f"{got} distinct bullet{'s' if got != 1 else ''} (of {wanted} asked for) "
            "could be drawn without repeating them"
        )
    reasons = []
    if candidates < wanted:
        reasons.append(
            f"the article has {has}, {candidates} of them long enough to stand alone "
            "beside the headline and summary"
        )
    if picked.too_long:
        reasons.append(
            f"{_count(picked.too_long, 'candidate sentence')} "
            f"{'is' if picked.too_long == 1 else 'are'} longer than {max_words} words "
            "(bullet_max_words) and no shorter grounded rewrite fits"
        )
    if picked.repeating:
        reasons.append(
            f"{_count(picked.repeating, 'candidate')} would repeat the headline, "
            "the summary or another bullet"
        )
    if picked.fragments:
        reasons.append(
            f"{_count(picked.fragments, 'candidate')} "
            f"{'is' if picked.fragments == 1 else 'are'} not a whole sentence"
        )
    if candidates < wanted or picked.fragments > max(picked.too_long, picked.repeating):
        reason = SHORT_ARTICLE
    elif picked.too_long >= picked.repeating:
        reason = LONG_SENTENCES
    else:
        reason = REPEATS_SUMMARY
    return reason, (
        f"{got} of {wanted} bullets: {'; '.join(reasons)}; bullets are never cut, "
        "padded or duplicated"
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def _sentences(article: int, read: int) -> str:
    """ "6 sentences", or "6 sentences (4 in the English text)" for a translation that
    joined some."""
    has = _count(article, "sentence")
    return has if article == read else f"{has} ({read} in the English text)"
