"""Alphabet and script evidence: which languages can write a text at all.

fastText and langdetect judge by character n-grams; the letters are harder evidence.
A text with ў is not Ukrainian or Russian, one with ї is not Russian, one with ы is
not Ukrainian; a text in Cyrillic letters is not Georgian, English or Korean. In a
long document a few letters may come from a quoted name or a sentence of another
language, so the alphabet test takes a tolerance (see LidSettings in lid.py). Pure
functions, no model.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache

from services.common.text.writing import LANGUAGE_SCRIPTS, script_of

# Lower-case alphabets of the Cyrillic languages we must tell apart.
ALPHABETS: dict[str, frozenset[str]] = {
    "ru": frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюя"),
    "uk": frozenset("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"),
    "be": frozenset("абвгдеёжзійклмнопрстуўфхцчшыьэюя"),
    "bg": frozenset("абвгдежзийклмнопрстуфхцчшщъьюяѝ"),
    "mk": frozenset("абвгдѓежзѕијклљмнњопрстќуфхцчџшѐѝ"),
    "sr": frozenset("абвгдђежзијклљмнњопрстћуфхцчџш"),
    "kk": frozenset("аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"),
}


@dataclass(frozen=True)
class ScriptProfile:
    """Letter counts of a text by script, and its lower-case Cyrillic letters."""

    letters: int
    cyrillic: int
    latin: int
    cyrillic_set: frozenset[str]
    # Letters by ISO 15924 script, most frequent first (letters of no listed script,
    # such as the modifier apostrophe ʼ, are left out).
    by_script: tuple[tuple[str, int], ...] = ()
    # How often each lower-case Cyrillic letter occurs.
    cyrillic_counts: tuple[tuple[str, int], ...] = ()

    @property
    def script(self) -> str:
        """The dominant script: "Cyrl", "Latn", "Other", or "" when there are no letters."""
        if not self.letters:
            return ""
        if self.cyrillic >= self.latin and self.cyrillic * 2 >= self.letters:
            return "Cyrl"
        if self.latin * 2 >= self.letters:
            return "Latn"
        return "Other"

    def writes(self, language: str) -> bool:
        """True if `language`'s scripts write at least a third of the text's letters,
        or its most common script (languages without a listed script are not
        constrained): a Cyrillic article with Latin names is not English, a Bulgarian
        sentence around two Latin taxon names may be either."""
        scripts = LANGUAGE_SCRIPTS.get(language)
        if scripts is None or not self.by_script:
            return True
        if len(scripts) == 1:
            return not scripts.isdisjoint(self._scripts_written)
        covered = sum(n for script, n in self.by_script if script in scripts)
        return covered * 3 >= self._scripted or covered >= self.by_script[0][1]

    @cached_property
    def _scripted(self) -> int:
        return sum(n for _, n in self.by_script)

    @cached_property
    def _scripts_written(self) -> frozenset[str]:
        """The scripts a one-script language may be written in to write the text."""
        top = self.by_script[0][1]
        return frozenset(s for s, n in self.by_script if n * 3 >= self._scripted or n >= top)

    def foreign_letters(self, language: str) -> int:
        """How many Cyrillic letters of the text `language`'s alphabet lacks (0 for a
        language without a listed alphabet)."""
        alphabet = ALPHABETS.get(language)
        if alphabet is None:
            return 0
        missing = self.cyrillic_set - alphabet
        if not missing:
            return 0
        counts = self._counts
        return sum(counts[letter] for letter in missing)

    @cached_property
    def _counts(self) -> dict[str, int]:
        return dict(self.cyrillic_counts)

    def ruled_out(self, tolerance: int) -> frozenset[str]:
        """The listed Cyrillic languages the alphabet rules out: those that lack more
        than `tolerance` of the text's letters beyond what the best-fitting listed
        language lacks (a text no alphabet spells rules out only the worse fits)."""
        if not self.cyrillic_set:
            return frozenset()
        if not tolerance:  # the common case: some alphabet spells it all, no counting
            spell = [lang for lang, alphabet in ALPHABETS.items() if self.cyrillic_set <= alphabet]
            if spell:
                return frozenset(ALPHABETS).difference(spell)
        missing = {lang: self.cyrillic_set - alphabet for lang, alphabet in ALPHABETS.items()}
        counts = self._counts
        foreign = {lang: sum(counts[c] for c in letters) for lang, letters in missing.items()}
        limit = min(foreign.values()) + tolerance
        return frozenset(lang for lang, n in foreign.items() if n > limit)


@lru_cache(maxsize=8192)
def _letter(ch: str) -> tuple[str, str, str] | None:
    """(script, "Cyrl" / "Latn" / "" as profile counts it, lower case), or None for a
    character that is not a letter."""
    if not ch.isalpha():
        return None
    if "\u0400" <= ch <= "\u052f":
        kind = "Cyrl"
    elif ch.isascii() or "LATIN" in unicodedata.name(ch, ""):
        kind = "Latn"
    else:
        kind = ""
    return script_of(ch), kind, ch.lower()


def profile(text: str) -> ScriptProfile:
    """Count the letters of `text` by script."""
    letters = cyrillic = latin = 0
    by_script: dict[str, int] = {}
    cyrillic_counts: dict[str, int] = {}
    for ch, n in Counter(text).items():  # counted in C; the loop sees each character once
        info = _letter(ch)
        if info is None:
            continue
        script, kind, lower = info
        letters += n
        if script:
            by_script[script] = by_script.get(script, 0) + n
        if kind == "Cyrl":
            cyrillic += n
            cyrillic_counts[lower] = cyrillic_counts.get(lower, 0) + n
        elif kind == "Latn":
            latin += n
    return ScriptProfile(
        letters,
        cyrillic,
        latin,
        frozenset(cyrillic_counts),
        tuple(by_script.items())
        if len(by_script) < 2
        else tuple(sorted(by_script.items(), key=lambda kv: -kv[1])),
        tuple(cyrillic_counts.items()),
    )
