"""The plausibility gate: checks on every translated segment before it is published.

A segment fails (each failure is a reason) when its translation
- `empty`: is empty;
- `untranslated`: is still mostly in the source's script (Cyrillic);
- `foreign_script`: holds letters of a third script (CJK, Arabic, Greek…) or Cyrillic
  words in an otherwise English text — another script's junk;
- `length`: is far out of proportion with its source (characters);
- `repetition`: repeats itself: a word three times running, a looping group of letters
  ("grgrgr"), or a phrase that keeps coming back;
- `dangling`: ends mid-phrase ("… and meeting with") where the source ends a sentence;
- `numbers`: has numbers the source does not have, or lacks numbers it has.

Protected spans (restored glossary terms, acronyms deliberately kept in the source
script) are taken out of the text before the script checks. Thresholds were set on
the FLORES-200 devtest references passed through as if they were translations of
their sources (bench/gate_bench.py): a human translation must pass. Pure Python.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

EMPTY = "empty"
UNTRANSLATED = "untranslated"
FOREIGN_SCRIPT = "foreign_script"
LENGTH = "length"
REPETITION = "repetition"
DANGLING = "dangling"
NUMBERS = "numbers"
# Protected terms (terms.py): a placeholder the output lost, or one it made up.
TERM_DROPPED = "term_dropped"
TERM_INVENTED = "term_invented"
REASONS = (
    EMPTY,
    UNTRANSLATED,
    FOREIGN_SCRIPT,
    LENGTH,
    REPETITION,
    DANGLING,
    NUMBERS,
    TERM_DROPPED,
    TERM_INVENTED,
)

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_LOOP = re.compile(r"([^\W\d_]{1,6})\1{2,}", re.IGNORECASE)
# A number: digits with thousands separators (1,000 / 1 000 / 1.000) and a decimal part.
_NUMBER = re.compile(r"\d+(?:[  ,.]\d{3})*(?:[.,]\d+)?")
_DANGLING = frozenset(
    "and or but with the a an of to in on at by for from as that which who whose than "
    "nor into onto about between against during without".split()
)
_SENTENCE_END = (".", "!", "?", "…", "»", '"', "”", "'", "’", ")", ":", ";")


@dataclass(frozen=True)
class GateSettings:
    """Thresholds (set on FLORES-200 devtest references, see the module docstring)."""

    # Target characters per source character outside [min_ratio, max_ratio] fail,
    # with `slack` characters of leeway for short segments.
    min_ratio: float = 0.35
    max_ratio: float = 2.6
    slack: int = 12
    # More than this share of the target's letters in the source script: untranslated.
    untranslated_share: float = 0.5
    # A phrase (word trigram) this many times in one segment is a loop.
    trigram_repeats: int = 3
    # Letters of a third script at or above this count are junk.
    foreign_letters: int = 2


def _script(ch: str) -> str:
    if "a" <= ch.lower() <= "z":
        return "Latn"
    if "\u0400" <= ch <= "\u052f":
        return "Cyrl"
    name = unicodedata.name(ch, "")
    if "LATIN" in name:
        return "Latn"
    return name.split(" ")[0] if name else "Other"


def _masked(text: str, protected: Sequence[str]) -> str:
    for term in sorted(set(protected), key=len, reverse=True):
        if term:
            text = text.replace(term, " ")
    return text


# Roman numerals; Ukrainian text often writes them with Cyrillic І ("Єлизавета ІІ").
_ROMAN = re.compile(r"\b[IІVXLC]{1,7}\b")
_ROMAN_VALUES = {"I": 1, "І": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_TIME = re.compile(r"\b([01]?\d|2[0-4]):([0-5]\d)(?!\d)")
_EN_NUMBERS = {
    word: value
    for value, words in enumerate(
        [
            "zero",
            "one first once single",
            "two second twice double",
            "three third",
            "four fourth",
            "five fifth",
            "six sixth",
            "seven seventh",
            "eight eighth",
            "nine ninth",
            "ten tenth",
            "eleven eleventh",
            "twelve twelfth dozen",
            "thirteen thirteenth",
            "fourteen fourteenth",
            "fifteen fifteenth",
            "sixteen sixteenth",
            "seventeen seventeenth",
            "eighteen eighteenth",
            "nineteen nineteenth",
            "twenty twentieth",
        ]
    )
    for word in words.split()
}
_EN_NUMBERS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70})
_EN_NUMBERS.update({"eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000})
# Cyrillic number words (stems): a source that spells a number out may get digits.
_CYRILLIC_NUMBER_WORD = re.compile(
    r"(?<!\w)(?:од[ин]|дв[аоуі]|тр[иеь]|чотир|четыр|четвер|п['’ʼ]?ят|шіст|шест|сім|сем|"
    r"вісім|восьм|дев['’ʼ]?ят|десят|перш|друг|сот|тисяч|тысяч|міль|милл|млн|млрд|тис|тыс)",
    re.IGNORECASE,
)
# Small numbers a translator may write for a spelled-out source number.
_SMALL = 12.0


def _value(raw: str) -> float | None:
    groups = re.split(r"[\u00a0\u202f ,.]", raw)
    try:
        if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]):
            return float("".join(groups))  # thousands separators
        if len(groups) == 2:
            return float(f"{groups[0]}.{groups[1]}")  # a decimal
        return float("".join(groups))
    except ValueError:
        return None


def _roman(token: str) -> int | None:
    total, previous = 0, 0
    for ch in reversed(token):
        value = _ROMAN_VALUES[ch]
        total += -value if value < previous else value
        previous = max(previous, value)
    return total if 0 < total <= 100 else None


def numbers(text: str, *, words: bool = False, roman: bool = True) -> list[float]:
    """The numbers of a text: digits (thousands separators dropped, decimal comma read
    as a point: "1 000", "1,000", "1000" are one number; "4,2" is 4.2), times as
    minutes past 12-hour midnight ("22:08" = "10:08"; stored negative), Roman numerals
    ("XV" = 15; a lone "I" only with `roman`: in English it is a pronoun), and with
    `words` English number words ("nineteen", "seventh")."""
    found: list[float] = []
    times = list(_TIME.finditer(text))
    for match in times:
        found.append(-(1 + (int(match.group(1)) % 12) * 60 + int(match.group(2))))
    rest = _TIME.sub(" ", text)
    for match in _NUMBER.finditer(rest):
        value = _value(match.group(0))
        if value is not None:
            found.append(value)
    for match in _ROMAN.finditer(rest):
        token = match.group(0)
        # A lone "I" is an English pronoun; a lone Cyrillic "І" the Ukrainian "and".
        if token == "І" or (token == "I" and not roman):
            continue
        value = _roman(token)
        if value is not None:
            found.append(float(value))
    if words:
        found += [
            float(_EN_NUMBERS[w.lower()]) for w in _WORD.findall(rest) if w.lower() in _EN_NUMBERS
        ]
    return found


def _same(a: float, b: float) -> bool:
    if a == b:
        return True
    if (a < 0) != (b < 0):  # a time and a plain number: "12:00" = "1200 GMT" = "12 o'clock"
        time, plain = (a, b) if a < 0 else (b, a)
        hour, minute = divmod(int(-time - 1), 60)
        hours = (hour, hour + 12) if hour else (0, 12, 24)
        return plain in {h * 100 + minute for h in hours} or (minute == 0 and plain in hours)
    if a > 0 and b > 0:  # "400 тисяч" = "400,000"; "3 млн" = "3 million"
        big, small = max(a, b), min(a, b)
        return any(abs(big - small * k) < 1e-6 for k in (1e3, 1e6, 1e9))
    return False


def numbers_differ(source: str, target: str) -> bool:
    """True when the target lacks a number of the source or has one the source does not
    (spelled-out English numbers count; a small extra number is let through when the
    source spells numbers out in words)."""
    pool = numbers(target, words=True, roman=False)
    digits_in_target = numbers(target, roman=False)
    for value in numbers(source, roman=True):
        match = next((i for i, v in enumerate(pool) if _same(v, value)), None)
        if match is None:
            return True
        matched = pool.pop(match)
        if matched in digits_in_target:
            digits_in_target.remove(matched)
    spelled = bool(_CYRILLIC_NUMBER_WORD.search(source))
    for value in digits_in_target:  # extra digits (English number words may be plain words)
        if value not in pool:
            continue
        if not (spelled and 0 <= value <= _SMALL):
            return True
    return False


def check(
    source: str,
    target: str,
    *,
    protected: Sequence[str] = (),
    settings: GateSettings | None = None,
) -> tuple[str, ...]:
    """The reasons `target` is not a plausible translation of `source` (empty: it
    passes). `protected` are spans of the target exempt from the script checks."""
    s = settings or GateSettings()
    text = target.strip()
    if not text:
        return (EMPTY,)
    reasons: list[str] = []
    scripts = Counter(_script(ch) for ch in _masked(text, protected) if ch.isalpha())
    letters = sum(scripts.values())
    cyrillic = scripts.get("Cyrl", 0)
    if letters and cyrillic / letters > s.untranslated_share:
        reasons.append(UNTRANSLATED)
    else:
        third = letters - scripts.get("Latn", 0) - cyrillic
        if third >= s.foreign_letters or cyrillic >= s.foreign_letters:
            reasons.append(FOREIGN_SCRIPT)
    low = s.min_ratio * len(source.strip()) - s.slack
    high = s.max_ratio * len(source.strip()) + s.slack
    if not low <= len(text) <= high:
        reasons.append(LENGTH)
    if _repeats(text, s):
        reasons.append(REPETITION)
    words = [w.lower() for w in _WORD.findall(text)]
    if (
        words
        and source.rstrip().endswith((".", "!", "?", "…"))
        and not text.endswith(_SENTENCE_END)
        and words[-1] in _DANGLING
    ):
        reasons.append(DANGLING)
    if numbers_differ(source, text):
        reasons.append(NUMBERS)
    return tuple(reasons)


def _repeats(text: str, s: GateSettings) -> bool:
    words = [w.lower() for w in _WORD.findall(text)]
    if any(words[i] == words[i + 1] == words[i + 2] for i in range(len(words) - 2)):
        return True
    if any(_LOOP.search(w) for w in words if len(w) >= 6):
        return True
    trigrams = Counter(zip(words, words[1:], words[2:], strict=False))
    return bool(trigrams) and max(trigrams.values()) >= s.trigram_repeats
