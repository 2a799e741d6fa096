"""Protected terms: uk/ru terms with a fixed English rendering, masked through the model.

A term of the glossary (glossaries/terms_uk_ru.tsv: military, security and state
acronyms and names) is replaced by a placeholder (ZQ1, ZQ2, …) before the model and
the placeholder by the term's English rendering after it, so the model can never
turn ВСУ into "Russian Air Force". An all-capital Cyrillic word that is in neither
the glossary nor the known-good list (acronyms the models translate reliably: США,
ЄС, НАТО…) is masked too and restored in its original script: kept, never guessed.

Text that already looks like a placeholder (a user's "ZQ12") is masked too, as a kept
slot restored to itself: otherwise restoring would delete it as invented, or put a
term in its place.

`restore` counts what came back: restored, dropped (a placeholder the output lost)
and invented (one the input never had). The pipeline retries a piece with a dropped
or invented placeholder without masking and flags it if the rendering is still
missing: a term's meaning is never quietly removed. Pure Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from services.common.text.glossary import (
    GlossaryEntry,
    GlossaryError,
    check_term,
    entries_version,
    glossary_from_env,
)
from services.common.text.verbatim import verbatim_spans

if TYPE_CHECKING:
    from services.translator.names import NameSpan

DEFAULT_TERMS = (
    Path(__file__).resolve().parents[1] / "common" / "text" / "glossaries" / "terms_uk_ru.tsv"
)
PLACEHOLDER = "ZQ{}"
# A placeholder, and the space mask() puts after one that a digit follows ("☎0800":
# "ZQ1 0800", never "ZQ10800", which would read as placeholder 10800).
_PLACEHOLDER = re.compile(r"ZQ(\d{1,3})(?!\d)( (?=\d))?")
# Input that restore could read as a placeholder (any length of digits, inside a word too).
_LOOKALIKE = re.compile(r"ZQ\d+")
_ACRONYM = re.compile(r"(?<![\w-])[А-ЯЁЇІЄҐ]{2,6}(?![\w-])")
# Acronyms the opus-mt models translate reliably: left to the model.
KNOWN_ACRONYMS = frozenset(
    """
    США ЄС ЕС ООН НАТО МВФ ОБСЄ ОБСЕ ВВП ЗМІ СМИ РФ ФРН ФРГ КНР СНД СНГ ЮНЕСКО МАГАТЕ
    ВООЗ ВОЗ ЄСПЛ ЕСПЧ ВВС МКС ДТП ЦРУ ФБР СРСР СССР КПРФ ПАРЄ ПАСЕ ОАЕ ОАЭ ПАР ЮАР
    """.split()
)


@dataclass(frozen=True)
class Slot:
    """One masked span: its placeholder, the original text and what replaces it."""

    placeholder: str
    original: str
    english: str
    kept: bool  # an unknown acronym kept in its original script
    # A name of the entity layer (names.py), not a term: counted apart; `variants` are
    # its other spellings, rewritten to `english` in an unmasked output.
    name: bool = False
    variants: tuple[str, ...] = ()
    # A link, mention, hashtag, emoji or inline code kept byte for byte (its kind), not
    # a term: counted apart.
    verbatim: str = ""
    # A digit followed the span: mask() wrote a space after the placeholder, which
    # restore() takes away again.
    glued: bool = False


@dataclass(frozen=True)
class Masked:
    """A text with its protected spans replaced by placeholders."""

    text: str
    slots: tuple[Slot, ...] = ()


@dataclass
class Restored:
    """A model output with placeholders restored, and what happened to them."""

    text: str
    restored: int = 0
    dropped: list[Slot] = field(default_factory=list)
    invented: int = 0
    protected: list[str] = field(default_factory=list)  # exempt from script checks

    @property
    def ok(self) -> bool:
        """True when every placeholder came back once and none was invented."""
        return not self.dropped and not self.invented


#: Letters or digits a word ending in * needs before the *: "Сил*" is a term, "*" or
#: "С*" would match nearly every word (or nothing at all, anywhere).
MIN_STEM = 3


def check_pattern(pattern: str, field: str) -> None:
    """Refuse a term pattern that could match empty text or nearly everything: a `*`
    anywhere but at the end of a word, a word ending in * with fewer than MIN_STEM
    letters before it, a pattern of fewer than two letters."""
    check_term(pattern.replace("*", "x"), field)
    for word in pattern.split():
        stem = word.removesuffix("*")
        if "*" in stem:
            raise GlossaryError(field, f"'*' may only end a word ({word!r})")
        if word.endswith("*") and sum(ch.isalnum() for ch in stem) < MIN_STEM:
            raise GlossaryError(field, f"{word!r} needs at least {MIN_STEM} letters before the '*'")
    if sum(ch.isalnum() for ch in pattern) < 2:
        raise GlossaryError(field, "needs at least 2 letters")


def _compile(pattern: str) -> re.Pattern[str]:
    words = []
    for word in pattern.split():
        if word.endswith("*"):
            words.append(re.escape(word[:-1]) + r"\w*")
        else:
            words.append(re.escape(word))
    flags = 0 if pattern.replace(" ", "").isupper() else re.IGNORECASE
    return re.compile(r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])", flags)


@dataclass(frozen=True)
class TermGlossary:
    """Protected terms per source language (GlossaryEntry with language uk or ru;
    `variant` is the pattern)."""

    entries: tuple[GlossaryEntry, ...]

    @classmethod
    def from_tsv(cls, path: Path) -> TermGlossary:
        """Terms from a `language<TAB>pattern<TAB>english<TAB>source` file."""
        entries = []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#") or line.startswith("language\t"):
                continue
            cells = line.split("\t")
            where = f"{path.name}:{number}"
            if len(cells) < 3:
                raise GlossaryError(where, "needs language<TAB>pattern<TAB>english[<TAB>source]")
            check_pattern(cells[1], f"{where} pattern")
            check_term(cells[2], f"{where} english")
            for language in cells[0].split(","):
                if language.strip() not in ("uk", "ru"):
                    raise GlossaryError(where, f"language {language!r} is not uk or ru")
                note = cells[3] if len(cells) > 3 else ""
                entries.append(GlossaryEntry(cells[1], cells[2], note, language.strip()))
        return cls(tuple(entries))

    def merged(self, extra: Iterable[GlossaryEntry]) -> TermGlossary:
        """These terms and `extra` (per-request terms) on top."""
        return TermGlossary(self.entries + tuple(extra))

    @cached_property
    def version(self) -> str:
        """A short hash of the terms (part of every translation cache key)."""
        return entries_version(self.entries)

    @cached_property
    def _patterns(self) -> dict[str, list[tuple[re.Pattern[str], GlossaryEntry]]]:
        by_language: dict[str, list[tuple[re.Pattern[str], GlossaryEntry]]] = {}
        for entry in sorted(self.entries, key=lambda e: -len(e.variant)):
            by_language.setdefault(entry.language, []).append((_compile(entry.variant), entry))
        return by_language

    def mask(self, text: str, language: str) -> Masked:
        """`text` with glossary terms and unknown acronyms replaced by placeholders
        (longest term first; the same term twice gets one placeholder each time)."""
        return mask(text, language, self)


def mask(
    text: str,
    language: str,
    terms: TermGlossary | None,
    names: Sequence[NameSpan] = (),
    *,
    verbatim: bool = False,
) -> Masked:
    """`text` with placeholders for: with `verbatim`, links, e-mail addresses,
    @mentions, #hashtags, emoji and inline code (kept as written,
    services/common/text/verbatim.py); text that looks like a placeholder (kept as
    itself); the glossary's terms (longest first); the entity layer's `names` (piece
    offsets) where nothing else covers them; and unknown acronyms (only with a
    glossary: `terms` None masks the rest alone)."""
    if terms is None and not names and not verbatim:
        return Masked(text)
    # (start, end, english, kept, name, verbatim kind)
    spans: list[tuple[int, int, str, bool, NameSpan | None, str]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e, *_ in spans)

    if verbatim:
        for v in verbatim_spans(text):
            spans.append((v.start, v.end, text[v.start : v.end], True, None, v.kind))
    for match in _LOOKALIKE.finditer(text):
        if free(match.start(), match.end()):
            spans.append((match.start(), match.end(), match.group(0), True, None, ""))
    for pattern, entry in terms._patterns.get(language, []) if terms else []:
        for match in pattern.finditer(text):
            if free(match.start(), match.end()):
                spans.append((match.start(), match.end(), entry.preferred, False, None, ""))
    for name in names:
        if free(name.start, name.end):
            spans.append((name.start, name.end, name.english, False, name, ""))
    if terms is not None:
        for match in _ACRONYM.finditer(text):
            word = match.group(0)
            if word not in KNOWN_ACRONYMS and free(match.start(), match.end()):
                spans.append((match.start(), match.end(), word, True, None, ""))
    if not spans:
        return Masked(text)
    spans.sort(key=lambda s: s[0])
    out, slots, position = [], [], 0
    for n, (start, end, english, kept, found, kind) in enumerate(spans, 1):
        placeholder = PLACEHOLDER.format(n)
        glued = end < len(text) and text[end].isdigit()
        out.append(text[position:start])
        out.append(placeholder + " " if glued else placeholder)
        variants = found.variants if found is not None else ()
        slots.append(
            Slot(
                placeholder,
                text[start:end],
                english,
                kept,
                found is not None,
                variants,
                kind,
                glued,
            )
        )
        position = end
    out.append(text[position:])
    return Masked("".join(out), tuple(slots))


def restore(output: str, slots: tuple[Slot, ...]) -> Restored:
    """The output with each placeholder replaced by its rendering (the first time it
    appears); what was dropped or invented is counted, an invented one removed."""
    by_name = {s.placeholder: s for s in slots}
    seen: set[str] = set()
    result = Restored(output)
    invented = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal invented
        space = match.group(2) or ""
        slot = by_name.get(f"ZQ{match.group(1)}")
        if slot is None or slot.placeholder in seen:
            invented += 1
            return space
        seen.add(slot.placeholder)
        result.protected.append(slot.english)
        return slot.english if slot.glued else slot.english + space

    text = _PLACEHOLDER.sub(replace, output)
    result.text = " ".join(text.split())
    result.restored = len(seen)
    result.dropped = [s for s in slots if s.placeholder not in seen]
    result.invented = invented
    return result


def renderings_missing(output: str, slots: tuple[Slot, ...]) -> list[Slot]:
    """The slots whose rendering is missing from an unmasked translation (an unknown
    acronym counts as present when its original script text is there)."""
    lowered = output.lower()
    return [s for s in slots if s.english.lower() not in lowered]


def terms_from_env(environ: Mapping[str, str]) -> TermGlossary | None:
    """The protected-term glossary: NEWSDESK_TRANSLATOR_TERMS (default true) and
    NEWSDESK_TRANSLATOR_TERMS_FILE (a language<TAB>pattern<TAB>english<TAB>source TSV;
    default the shipped one); a bad file is a ConfigError naming the variable."""
    return glossary_from_env(
        environ, "NEWSDESK_TRANSLATOR_TERMS", DEFAULT_TERMS, TermGlossary.from_tsv
    )
