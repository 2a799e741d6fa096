"""One generation of one piece, judged: its protected terms restored (or, for an
unmasked retry, looked for), then checked by the plausibility gate.

The model rounds (rounds.py) judge every generation as it comes in, fresh or cached
(a cached generation is judged again, per request, exactly as a fresh one): whether a
piece is retried depends on the verdict. Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.common.engines.base import Generated
from services.translator import plausibility
from services.translator.names import unify
from services.translator.options import PlausibilityMode
from services.translator.prepare import Piece
from services.translator.terms import renderings_missing, restore


@dataclass(frozen=True)
class TermCounts:
    """What happened to a piece's protected terms in its published output."""

    restored: int = 0
    dropped: int = 0
    invented: int = 0
    # The entity layer's masked names (names.py), counted apart from the terms.
    names_restored: int = 0
    names_dropped: int = 0
    # Links, mentions, hashtags, emoji and code kept byte for byte (verbatim.py).
    verbatim_restored: int = 0
    verbatim_dropped: int = 0


@dataclass(frozen=True)
class Attempt:
    """A generation, judged: its text ("" when the model wrote nothing), the gate's
    reasons, its terms, and what it cost."""

    text: str
    reasons: tuple[str, ...]
    terms: TermCounts
    source_tokens: int
    target_tokens: int

    @property
    def lost_term(self) -> bool:
        """True when a placeholder was dropped or made up: a retry goes unmasked."""
        return (
            plausibility.TERM_DROPPED in self.reasons or plausibility.TERM_INVENTED in self.reasons
        )


def judge(piece: Piece, result: Generated, *, masked: bool, mode: PlausibilityMode) -> Attempt:
    """The generation with its terms restored (masked input) or checked for their
    renderings (unmasked input), and the gate's reasons (only the terms' when the gate
    is off)."""
    text = " ".join(result.text.split())
    protected: list[str] = []
    problems: list[str] = []
    terms = TermCounts()
    names = sum(s.name for s in piece.slots)
    kept = sum(bool(s.verbatim) for s in piece.slots)
    if piece.slots and masked:
        restored = restore(text, piece.slots)
        text = restored.text
        protected = restored.protected
        names_dropped = sum(s.name for s in restored.dropped)
        kept_dropped = sum(bool(s.verbatim) for s in restored.dropped)
        terms = TermCounts(
            restored.restored - (names - names_dropped) - (kept - kept_dropped),
            len(restored.dropped) - names_dropped - kept_dropped,
            restored.invented,
            names - names_dropped,
            names_dropped,
            kept - kept_dropped,
            kept_dropped,
        )
        problems += [plausibility.TERM_DROPPED] * bool(restored.dropped)
        problems += [plausibility.TERM_INVENTED] * bool(restored.invented)
    elif piece.slots:
        # The masked attempt lost a placeholder: the names' other spellings in this
        # unmasked output become their one rendering before anything is checked.
        text = unify(text, [(s.english, s.variants) for s in piece.slots if s.name])
        missing = renderings_missing(text, piece.slots)
        protected = [s.english for s in piece.slots if s not in missing]
        # The masked attempt lost them.
        terms = TermCounts(
            dropped=len(piece.slots) - names - kept, names_dropped=names, verbatim_dropped=kept
        )
        problems += [plausibility.TERM_DROPPED] * bool(missing)
    reasons = tuple(problems)
    if mode.checks:
        reasons += plausibility.check(piece.text, text, protected=protected)
    return Attempt(text, reasons, terms, result.source_tokens, result.target_tokens)
