"""Figures in the brief are the source's figures (issue 25): the headline, the summary
and every bullet are checked against the English text the brief was written from
(services/common/text/factcheck.py), and a figure or name that text does not support is
removed, replaced or flagged, by this rule:

* Bullets. The model's rewrite of a candidate sentence is used only when the text
  supports every figure and name in it; otherwise its source sentence takes its place
  (REPLACED) when that fits the bullet rules, else the next candidate does
  (bullets.pick_bullets). An extractive bullet (the source sentence itself) is supported
  by construction and is still checked and reported; one that is not (a house-style
  rule rewrote a figure) is FLAGGED.
* Headline. The model's headline with an unsupported figure or name gives way to the
  lead-derived headline the writer falls back on anyway (the article's first sentence,
  cut to the word cap) when that one passes (REPLACED); otherwise the model's headline
  is kept and FLAGGED.
* Summary. Each summary sentence carrying an unsupported figure is removed (REMOVED),
  unless every sentence carries one: removing them would leave no summary, so it is
  kept whole and FLAGGED. A name the text does not have is flagged, its sentence kept
  (FLAGGED): a summary's names are the model's to choose, its figures are not.

Each part gets a FactCheck: the figures of the part as published (each was checked);
the unsupported figures and names found in the model's draft, as written (no longer in
the text when REMOVED or REPLACED, still in it when FLAGGED); the action and a detail in
words. With reject_unsupported, a brief that still has a FLAGGED part is refused
FAILED_PRECONDITION, reason UNSUPPORTED_FACTS (`refusal`). `BriefCheck` holds one
request's check for the writer (summary.py). Pure Python.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from services.common.errors import FailedPrecondition
from services.common.text.factcheck import ClaimCheck, Figure, Name, Source
from services.common.text.glossary import HouseStyle
from services.common.text.segment import document_spans

REMOVED = "REMOVED"
REPLACED = "REPLACED"
FLAGGED = "FLAGGED"
UNSUPPORTED_FACTS = "UNSUPPORTED_FACTS"


@dataclass(frozen=True)
class FactCheck:
    """The figures check of one part of a brief (see the module docstring): `action` is
    "" (nothing needed), REMOVED, REPLACED or FLAGGED."""

    figures_checked: int = 0
    figures_unsupported: tuple[str, ...] = ()
    names_unsupported: tuple[str, ...] = ()
    action: str = ""
    detail: str = ""

    @property
    def flagged(self) -> bool:
        """True when the part as published still states something the text does not."""
        return self.action == FLAGGED


def _texts(items: Iterable[Figure | Name]) -> tuple[str, ...]:
    """The distinct texts of figures or names, in order."""
    return tuple(dict.fromkeys(item.text for item in items))


def _said(check: ClaimCheck) -> str:
    """What a claim states that the text does not, in words."""
    parts = []
    if check.unsupported_figures:
        parts.append(f"figures {', '.join(_texts(check.unsupported_figures))}")
    if check.unsupported_names:
        parts.append(f"names {', '.join(_texts(check.unsupported_names))}")
    return " and ".join(parts)


def _found(
    checks: Sequence[ClaimCheck], figures_checked: int, action: str, detail: str
) -> FactCheck:
    return FactCheck(
        figures_checked,
        _texts(f for c in checks for f in c.unsupported_figures),
        _texts(n for c in checks for n in c.unsupported_names),
        action,
        detail,
    )


def check_headline(candidates: Sequence[str], source: Source) -> tuple[int, FactCheck]:
    """Which headline to publish (an index into `candidates`: the model's, when grounded
    in the lead, then the lead-derived one; both in house style) and its check."""
    checks = [source.check(text) for text in candidates]
    first = checks[0]
    if first.supported:
        return 0, _found([first], len(first.figures), "", "")
    for index, check in enumerate(checks[1:], 1):
        if check.supported and candidates[index] != candidates[0]:
            detail = (
                f"the model's headline stated {_said(first)}, which the text does not; "
                "the headline is the article's first sentence instead"
            )
            return index, _found([first], len(check.figures), REPLACED, detail)
    detail = (
        f"the headline states {_said(first)}, which the text does not, and no headline "
        "drawn from the text passes"
    )
    return 0, _found([first], len(first.figures), FLAGGED, detail)


def check_summary(
    summary: str, source: Source, restyle: Callable[[str], str] = str
) -> tuple[str, FactCheck]:
    """The summary to publish (its sentences with unsupported figures removed, unless
    that would leave none; before house style, which `restyle` applies for the check)
    and its check."""
    spans = document_spans(summary)
    if not spans:
        return summary, FactCheck()
    checks = [source.check(restyle(span.text)) for span in spans]
    bad = {i for i, check in enumerate(checks) if check.unsupported_figures}
    kept = [i for i in range(len(spans)) if i not in bad] or list(range(len(spans)))
    text = summary if len(kept) == len(spans) else " ".join(spans[i].text for i in kept)
    figures = sum(len(checks[i].figures) for i in kept)
    left = [checks[i] for i in kept if not checks[i].supported]
    notes = []
    if len(kept) < len(spans):
        removed = [checks[i] for i in sorted(bad)]
        figures_removed = ", ".join(_texts(f for c in removed for f in c.unsupported_figures))
        notes.append(
            f"removed {len(removed)} of {len(spans)} sentences for figures the text "
            f"does not state ({figures_removed})"
        )
    if left:
        still = _said(
            ClaimCheck(
                tuple(f for c in left for f in c.figures), tuple(n for c in left for n in c.names)
            )
        )
        why = (
            " (every sentence has one, and a summary is never left empty)"
            if bad and len(kept) == len(spans)
            else ""
        )
        notes.append(f"kept and flagged: {still}, which the text does not state{why}")
    action = FLAGGED if left else REMOVED if len(kept) < len(spans) else ""
    return text, _found(checks, figures, action, "; ".join(notes))


def check_bullet(text: str, source: Source, rewrite: ClaimCheck | None = None) -> FactCheck:
    """The check of a published bullet (in house style); `rewrite` is the check of the
    model's rewrite that this bullet's source sentence replaced, if one was."""
    check = source.check(text)
    found = [rewrite, check] if rewrite is not None else [check]
    if not check.supported:
        detail = f"the bullet states {_said(check)}, which the text does not"
        return _found(found, len(check.figures), FLAGGED, detail)
    if rewrite is not None:
        detail = (
            f"the model's rewrite stated {_said(rewrite)}, which the text does not; "
            "the bullet is its source sentence"
        )
        return _found(found, len(check.figures), REPLACED, detail)
    return _found(found, len(check.figures), "", "")


def refusal(
    headline: FactCheck, summary: FactCheck, bullets: Sequence[FactCheck]
) -> FailedPrecondition | None:
    """The error of a brief that reject_unsupported refuses: one with a FLAGGED part
    (None when there is none). The message counts, by part, what is unsupported (a
    message is logged, so it quotes no text); the ErrorInfo metadata lists the figures
    and names of each flagged part, keyed by the response field ("headline_check",
    "summary_check", "bullet_checks_2")."""
    parts = [("headline_check", headline), ("summary_check", summary)]
    parts += [(f"bullet_checks[{i}]", check) for i, check in enumerate(bullets)]
    flagged = [(field, check) for field, check in parts if check.flagged]
    if not flagged:
        return None
    listed = "; ".join(
        f"{field} ({len(check.figures_unsupported)} figure(s), "
        f"{len(check.names_unsupported)} name(s))"
        for field, check in flagged
    )
    metadata = {
        field.replace("[", "_").rstrip("]"): "; ".join(
            f"{kind}: {', '.join(items)}"
            for kind, items in (
                ("figures", check.figures_unsupported),
                ("names", check.names_unsupported),
            )
            if items
        )
        for field, check in flagged
    }
    return FailedPrecondition(
        f"reject_unsupported: {len(flagged)} part(s) of the brief state figures or names "
        f"the text does not, which could not be removed or replaced: {listed}",
        reason=UNSUPPORTED_FACTS,
        **metadata,
    )


class BriefCheck:
    """One request's figures check, part by part, as the writer assembles the brief. The
    text is read once, also in house style (the form the published parts take: "Kiev"
    in the text supports "Kyiv" in a bullet). Off (`enabled=False`), every part passes
    unchecked and each FactCheck is empty."""

    def __init__(self, text: str, house: HouseStyle, *, enabled: bool = True) -> None:
        self.house = house
        self.enabled = enabled
        styled = house.rewrite(text).text if enabled and house.applied else text
        self.source = Source(text, styled) if styled != text else Source(text)
        self.headline = FactCheck()
        self.summary = FactCheck()
        self.bullets: list[FactCheck] = []

    def _restyle(self, text: str) -> str:
        return self.house.rewrite(text).text

    def pick_headline(self, candidates: Sequence[str]) -> int:
        """The index of the headline to publish among `candidates` (in house style)."""
        if not self.enabled:
            return 0
        chosen, self.headline = check_headline(candidates, self.source)
        return chosen

    def keep_summary(self, summary: str) -> str:
        """The summary (before house style) without its unsupported figures' sentences."""
        if not self.enabled:
            return summary
        summary, self.summary = check_summary(summary, self.source, self._restyle)
        return summary

    def rewrite(self, text: str) -> ClaimCheck | None:
        """The check of a bullet rewrite (in house style); None when off."""
        return self.source.check(text) if self.enabled else None

    def check_bullets(self, bullets: Sequence[str], replaced: Sequence[ClaimCheck | None]) -> None:
        """Check the published bullets; `replaced` holds, for each, the check of the
        rewrite its source sentence replaced (None where none was)."""
        if not self.enabled:
            self.bullets = [FactCheck() for _ in bullets]
            return
        self.bullets = [
            check_bullet(bullet, self.source, rewrite)
            for bullet, rewrite in zip(bullets, replaced, strict=True)
        ]

    def refusal(self) -> FailedPrecondition | None:
        """The error reject_unsupported answers for this brief, or None (see `refusal`)."""
        return refusal(self.headline, self.summary, self.bullets)
