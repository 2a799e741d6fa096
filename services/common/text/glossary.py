"""Glossaries: rules that fix how a term is written, and the house style built on them.

A `Glossary` is a set of `GlossaryEntry` rules of one language: English-to-English
house style today (variant → preferred, applied to every English output); source-side
term protection for uk/ru (a term masked through the model and restored with its
fixed rendering) joins as entries with `language` "uk"/"ru" and the same matcher.

Matching is whole-word (a rule never fires inside a longer word), case-insensitive,
longest rule first, and case-preserving: "KIEV" → "KYIV", "kiev" → "kyiv", "Kiev's"
→ "Kyiv's" (a possessive is the word plus "'s", which whole-word matching leaves in
place). A rule whose preferred form equals its variant keeps that phrase as written,
so "chicken Kiev" survives the "Kiev" rule. Every rewrite is counted.

A rewrite is idempotent: rewrite(rewrite(x)) == rewrite(x), so house style and desk
rules apply once to any text, however many services it passes through (the translator
styles its output, the summarizer the brief drawn from it). Every rule's rendering is
matched as a phrase that is left as written, so "occupied Crimea" is never rewritten
by the rule "Crimea" → "occupied Crimea", nor "Dniprovskyi-X" by "Dniprovskyi" →
"Dniprovskyi-X". A rendering that is itself another rule's variant is rewritten by
that rule (rules chain: "Kiev" → "Kyiv" → "Kyiv City"), and a text is rewritten until
nothing changes; rules that go round in a circle are refused. A request's rules win
over the server's: a server rule whose rendering they rewrite renders their form.

The default house style is glossaries/house_style_en.tsv (Ukrainian place names,
official 2010 romanization as AP, Reuters and the BBC use it). Pure Python.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from services.common.config import ConfigError, env_bool, env_str

DEFAULT_HOUSE_STYLE = Path(__file__).resolve().parent / "glossaries" / "house_style_en.tsv"
MAX_TERM_CHARS = 100
MAX_EXTRA_ENTRIES = 200


class GlossaryError(ValueError):
    """A rule that cannot be used; `field` names it (e.g. "extra_entries[2].variant")."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


@dataclass(frozen=True)
class GlossaryEntry:
    """One rule: `variant` (in `language`) is written `preferred` in English."""

    variant: str
    preferred: str
    note: str = ""
    language: str = "en"

    @property
    def keeps(self) -> bool:
        """True for an exception: the phrase is kept as written."""
        return self.variant == self.preferred


def entries_version(entries: Iterable[GlossaryEntry]) -> str:
    """A short hash of glossary rules: it changes whenever a rule does."""
    digest = hashlib.sha256()
    for e in entries:
        digest.update(f"{e.language}\t{e.variant}\t{e.preferred}\n".encode())
    return digest.hexdigest()[:12]


def check_term(text: str, field: str) -> None:
    """Refuse a variant or preferred form that cannot be matched whole-word."""
    if not text or not text.strip():
        raise GlossaryError(field, "is empty")
    if len(text) > MAX_TERM_CHARS:
        raise GlossaryError(field, f"is {len(text)} characters; at most {MAX_TERM_CHARS}")
    if text != text.strip():
        raise GlossaryError(field, "starts or ends with whitespace")
    if any(unicodedata.category(ch).startswith("C") for ch in text):
        raise GlossaryError(field, "holds a line break, tab or control character")
    if not (text[0].isalnum() and text[-1].isalnum()):
        raise GlossaryError(field, "must start and end with a letter or digit")


def _key(phrase: str) -> str:
    """How a phrase is looked up: case-folded, a run of spaces as one."""
    return " ".join(phrase.split()).casefold()


def _cased(preferred: str, written: str) -> str:
    """`preferred` in the case `written` was in (all caps, all lower, or as the rule)."""
    letters = [ch for ch in written if ch.isalpha()]
    if letters and all(ch.isupper() for ch in letters) and len(letters) > 1:
        return preferred.upper()
    if letters and all(ch.islower() for ch in letters):
        return preferred.lower()
    return preferred


@dataclass(frozen=True)
class Rewrite:
    """A text after the house style, and the rewrites per (variant, preferred)."""

    text: str
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def replacements(self) -> int:
        """Rewrites made."""
        return sum(self.counts.values())


@dataclass(frozen=True)
class Glossary:
    """Rules of one language, compiled into one whole-word matcher."""

    entries: tuple[GlossaryEntry, ...]

    @classmethod
    def from_tsv(cls, path: Path, *, language: str = "en") -> Glossary:
        """Rules from a `variant<TAB>preferred<TAB>note` file ('#' comments, a header
        line starting "variant" allowed); a bad line raises GlossaryError naming it."""
        entries: list[GlossaryEntry] = []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#") or line.startswith("variant\t"):
                continue
            cells = line.split("\t")
            where = f"{path.name}:{number}"
            if len(cells) < 2:
                raise GlossaryError(where, "needs variant<TAB>preferred[<TAB>note]")
            check_term(cells[0], f"{where} variant")
            check_term(cells[1], f"{where} preferred")
            note = cells[2] if len(cells) > 2 else ""
            entries.append(GlossaryEntry(cells[0], cells[1], note, language))
        return cls(tuple(entries)).checked("")

    def checked(self, prefix: str) -> Glossary:
        """This glossary, or GlossaryError for a variant given twice or rules that go
        round in a circle ("Kharkov" → "Kharkiv" and "Kharkiv" → "Kharkov")."""
        seen: dict[str, int] = {}
        for i, entry in enumerate(self.entries):
            key = _key(entry.variant)
            if key in seen:
                raise GlossaryError(
                    f"{prefix}[{i}].variant" if prefix else entry.variant,
                    f"{entry.variant!r} is given twice (also entry {seen[key]})",
                )
            seen[key] = i
        for i, entry in enumerate(self.entries):
            if not entry.keeps and self._passes(entry.variant)[1] is None:
                raise GlossaryError(
                    f"{prefix}[{i}].preferred" if prefix else entry.variant,
                    f"{entry.preferred!r} is rewritten by other rules back into "
                    f"{entry.variant!r}: the rules go round in a circle",
                )
        return self

    def merged(self, extra: Sequence[GlossaryEntry]) -> Glossary:
        """These rules with `extra` on top: an extra rule for a known variant wins, and
        a rule whose rendering the extra rules rewrite renders their form (with the
        extra "Kyiv" → "Kyiv City", "Kiev" → "Kyiv City"; with "Odesa" → "Odessa",
        "Odessa" stays as written), so the two sets never go round in a circle."""
        replaced = {_key(e.variant) for e in extra}
        desk = Glossary(tuple(extra))
        kept = tuple(
            replace(e, preferred=desk.rewrite(e.preferred).text)
            for e in self.entries
            if _key(e.variant) not in replaced
        )
        return Glossary(kept + tuple(extra))

    @cached_property
    def version(self) -> str:
        """A short hash of the rules (changes whenever a rule does)."""
        return entries_version(self.entries)

    @cached_property
    def _matcher(self) -> tuple[re.Pattern[str] | None, dict[str, GlossaryEntry]]:
        by_key = {_key(e.variant): e for e in self.entries}
        if not by_key:
            return None, by_key
        # Renderings are matched as phrases too, and left as written: a text already
        # in house style is not rewritten again. One that is a rule's variant is that
        # rule's (the rules chain).
        phrases = {_key(e.preferred): e.preferred for e in self.entries if not e.keeps}
        phrases.update({key: e.variant for key, e in by_key.items()})
        # Longest first, so an exception phrase or a rendering wins over the rule
        # inside it; spaces in a rule match any run of spaces.
        alternatives = sorted(phrases.values(), key=lambda phrase: -len(phrase))
        body = "|".join(r"\s+".join(map(re.escape, p.split())) for p in alternatives)
        return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE), by_key

    def _pass(self, text: str, counts: Counter[tuple[str, str]]) -> str:
        """`text` with every rule applied once, left to right; rewrites counted."""
        pattern, by_key = self._matcher
        if pattern is None:
            return text

        def restyle(match: re.Match[str]) -> str:
            written = match.group(0)
            entry = by_key.get(_key(written))
            if entry is None or entry.keeps:  # a rendering, or an exception
                return written
            styled = _cased(entry.preferred, written)
            if styled != written:
                counts[(entry.variant, entry.preferred)] += 1
            return styled

        return pattern.sub(restyle, text)

    def _passes(self, text: str) -> tuple[Counter[tuple[str, str]], str | None]:
        """Passes over `text` until one changes nothing: the rewrites made and the
        text, or None for a text that comes back to an earlier form (a circle) or is
        still changing after a pass per rule (a chain can be no longer)."""
        counts: Counter[tuple[str, str]] = Counter()
        seen = {text}
        for _ in range(len(self.entries) + 1):
            made = counts.total()
            text = self._pass(text, counts)
            if counts.total() == made:
                return counts, text
            if text in seen:
                return counts, None
            seen.add(text)
        return counts, None

    def rewrite(self, text: str) -> Rewrite:
        """`text` in this glossary's style: every rule applied until nothing changes
        (once, but for chained rules), so rewriting the result changes nothing."""
        if not text:
            return Rewrite(text)
        counts, result = self._passes(text)
        if result is None:  # checked() refuses circles; unchecked, the text is kept
            return Rewrite(text)
        return Rewrite(result, counts)


def extra_entries(pairs: Iterable[tuple[str, str]], prefix: str) -> list[GlossaryEntry]:
    """Per-request rules, validated; GlossaryError names the first bad one."""
    entries: list[GlossaryEntry] = []
    for i, (variant, preferred) in enumerate(pairs):
        if i >= MAX_EXTRA_ENTRIES:
            raise GlossaryError(prefix, f"more than {MAX_EXTRA_ENTRIES} entries")
        check_term(variant, f"{prefix}[{i}].variant")
        check_term(preferred, f"{prefix}[{i}].preferred")
        entries.append(GlossaryEntry(variant, preferred, "per-request"))
    Glossary(tuple(entries)).checked(prefix)
    return entries


G = TypeVar("G")


def glossary_from_env(
    environ: Mapping[str, str],
    switch: str,
    default: Path,
    load: Callable[[Path], G],
) -> G | None:
    """A glossary the service ships: `switch` (default true; false turns it off, None)
    and `switch`_FILE (a TSV replacing the shipped `default`); a file that cannot be
    read or used is a ConfigError naming the variable and the line."""
    if not env_bool(environ, switch):
        return None
    name = f"{switch}_FILE"
    path = Path(env_str(environ, name) or default)
    try:
        return load(path)
    except OSError as exc:
        raise ConfigError(f"{name}={str(path)!r} cannot be read: {exc.strerror}") from None
    except GlossaryError as exc:
        raise ConfigError(f"{name}={str(path)!r}: {exc}") from None


def house_style_from_env(environ: Mapping[str, str], prefix: str) -> Glossary | None:
    """The server's house-style glossary: {prefix}HOUSE_STYLE (default true; false
    turns it off) and {prefix}HOUSE_STYLE_FILE (a variant<TAB>preferred<TAB>note TSV;
    default: the shipped Ukrainian place names). None when off."""
    return glossary_from_env(
        environ, f"{prefix}HOUSE_STYLE", DEFAULT_HOUSE_STYLE, Glossary.from_tsv
    )


@dataclass(frozen=True)
class HouseStyle:
    """The house style a request gets: its glossary, or None when it is off."""

    glossary: Glossary | None
    version: str = ""

    @property
    def applied(self) -> bool:
        """True when anything will be rewritten."""
        return self.glossary is not None

    def rewrite(self, text: str) -> Rewrite:
        """`text` in house style (unchanged when off)."""
        return self.glossary.rewrite(text) if self.glossary is not None else Rewrite(text)


@dataclass
class StyleCounts:
    """Rewrites accumulated over the pieces of one result."""

    applied: bool = False
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    version: str = ""

    def add(self, rewrite: Rewrite) -> str:
        """Count a rewrite; return its text."""
        self.counts.update(rewrite.counts)
        return rewrite.text

    def merge(self, other: StyleCounts) -> None:
        """Accumulate another result's counts."""
        self.counts.update(other.counts)

    @property
    def replacements(self) -> int:
        """Rewrites made."""
        return sum(self.counts.values())


def house_style(
    default: Glossary | None, *, disabled: bool, extra: Sequence[GlossaryEntry], prefix: str
) -> HouseStyle:
    """The house style of one request: the server's glossary (None when configured
    off) with the request's extra rules on top, or nothing when the request turns it
    off. Extra rules with disabled=True are refused: they would be silently ignored."""
    if disabled:
        if extra:
            raise GlossaryError(f"{prefix}.extra_entries", "given with disabled=true")
        return HouseStyle(None)
    if default is None and not extra:
        return HouseStyle(None)
    glossary = (default or Glossary(())).merged(extra) if extra else default
    assert glossary is not None
    return HouseStyle(glossary, glossary.version)


def style_counts(style: HouseStyle) -> StyleCounts:
    """Fresh counts for one result under `style`."""
    return StyleCounts(applied=style.applied, version=style.version)
