"""Alphabet evidence: which Cyrillic languages can spell a text at all.

fastText and langdetect judge by character n-grams; the alphabet is harder evidence.
A text with ў is not Ukrainian or Russian, one with ї is not Russian, one with ы is
not Ukrainian. Pure functions, no model.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

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
UK_ONLY = frozenset("іїєґ")
RU_ONLY = frozenset("ыэъё")


@dataclass(frozen=True)
class ScriptProfile:
    """Letter counts of a text by script, and its set of lower-case Cyrillic letters."""

    letters: int
    cyrillic: int
    latin: int
    cyrillic_set: frozenset[str]

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

    def can_spell(self, language: str) -> bool:
        """True if every Cyrillic letter of the text is in `language`'s alphabet
        (languages without a listed alphabet are not constrained)."""
        alphabet = ALPHABETS.get(language)
        return alphabet is None or self.cyrillic_set <= alphabet

    def spellers(self) -> list[str]:
        """The listed Cyrillic languages whose alphabet can spell the text."""
        return [lang for lang in ALPHABETS if self.cyrillic_set <= ALPHABETS[lang]]

    @property
    def uk_cue(self) -> bool:
        """Has a letter only Ukrainian (of uk/ru) uses."""
        return bool(self.cyrillic_set & UK_ONLY)

    @property
    def ru_cue(self) -> bool:
        """Has a letter only Russian (of uk/ru) uses."""
        return bool(self.cyrillic_set & RU_ONLY)


def profile(text: str) -> ScriptProfile:
    """Count the letters of `text` by script."""
    letters = cyrillic = latin = 0
    cyr: set[str] = set()
    for ch in text:
        if not ch.isalpha():
            continue
        letters += 1
        if "\u0400" <= ch <= "\u04ff" or "\u0500" <= ch <= "\u052f":
            cyrillic += 1
            cyr.add(ch.lower())
        elif ch.isascii() or "LATIN" in unicodedata.name(ch, ""):
            latin += 1
    return ScriptProfile(letters, cyrillic, latin, frozenset(cyr))
