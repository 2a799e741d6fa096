"""The plausibility gate: checks on every translated segment before it is published.

A segment fails (each failure is a reason) when its translation
- `empty`: is empty;
- `untranslated`: is still mostly in the source's script (Cyrillic);
- `foreign_script`: holds letters of a third script (CJK, Arabic, Greek…) or Cyrillic
  words in an otherwise English text — another script's junk;
- `length`: is far out of proportion with its source (characters);
- `repetition`: loops the way a degenerate model does: a word or a group of words
  three times running ("the the the", "and the city, and the city, and the city"), a
  looping group of letters ("grgrgr"), or one phrase coming back until it fills most
  of the segment. Rhetorical repeats ("what he is going through … what he is going
  through") and repeated units ("68 per cent … 72 per cent") pass;
- `dangling`: ends mid-phrase ("… and meeting with") where the source ends a sentence;
- `numbers`: has numbers the source does not have, or lacks numbers it has, compared
  as sets, each read every way its typography allows (numerals.py).

Protected spans (restored glossary terms, acronyms deliberately kept in the source
script) are taken out of the text before the script checks. Thresholds were set on
the FLORES-200 devtest references passed through as if they were translations of
their sources, and the number and repetition rules on the DEV split of this project's
hand-written news set (bench/data/gate_news_dev.tsv; bench/gate_bench.py measures
both and the held-out TEST split): a human translation must pass. Pure Python.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from services.common.text.numerals import WORD, numbers_differ

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

_LOOP = re.compile(r"([^\W\d_]{1,6})\1{2,}", re.IGNORECASE)
_DANGLING = frozenset(
    "and or but with the a an of to in on at by for from as that which who whose than "
    "nor into onto about between against during without".split()
)
_SENTENCE_END = (".", "!", "?", "…", "»", '"', "”", "'", "’", ")", ":", ";")


@dataclass(frozen=True)
class GateSettings:
    """Thresholds (set on FLORES-200 devtest and the news DEV split, see the module
    docstring)."""

    # Target characters per source character outside [min_ratio, max_ratio] fail,
    # with `slack` characters of leeway for short segments.
    min_ratio: float = 0.35
    max_ratio: float = 2.6
    slack: int = 12
    # More than this share of the target's letters in the source script: untranslated.
    untranslated_share: float = 0.5
    # A group of up to `loop_span` words repeated three times running is a loop.
    loop_span: int = 8
    # A phrase (word trigram) this many times that also covers at least `phrase_share`
    # of the segment's words is a loop (a long paragraph may repeat a phrase).
    trigram_repeats: int = 3
    phrase_share: float = 0.4
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
    words = [w.lower() for w in WORD.findall(text)]
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


# Words and numbers, a number with its "per cent" as one token: "68 per cent … 72 per
# cent" repeats a unit, not a phrase.
_TOKEN = re.compile(r"\d+(?:[.,:]\d+)*%?|[^\W\d_]+(?:['’-][^\W\d_]+)*")
_PERCENT = re.compile(r"(\d)\s*(?:per\s?cent|percent|pct)\b", re.IGNORECASE)


def _repeats(text: str, s: GateSettings) -> bool:
    tokens = [t.lower() for t in _TOKEN.findall(_PERCENT.sub(r"\1%", text))]
    if any(_LOOP.search(t) for t in tokens if len(t) >= 6):
        return True
    for n in range(1, s.loop_span + 1):  # "the the the"; "and the city" three times running
        for i in range(len(tokens) - 3 * n + 1):
            if tokens[i : i + n] == tokens[i + n : i + 2 * n] == tokens[i + 2 * n : i + 3 * n]:
                return True
    trigrams = Counter(zip(tokens, tokens[1:], tokens[2:], strict=False))
    if not trigrams:
        return False
    count = max(trigrams.values())
    return count >= s.trigram_repeats and 3 * count / len(tokens) >= s.phrase_share
