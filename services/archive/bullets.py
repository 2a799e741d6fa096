"""Background bullets from earlier items (WIP, issue 24): one complete sentence carrying
an earlier item's main fact, opening with its date as the seed brief does ("On March
30, 2021, …"), with its provenance (archive id, source, date, URL, the sentence's span
in the item's English text, in code points)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from services.archive.store import STOPWORDS, Related

_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+[\"'”’»)]*|$)")
_WEEKDAY_OPENING = re.compile(
    r"^(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s*,?\s*",
    re.IGNORECASE,
)
MONTHS = (
    "January February March April May June July August September October November December"
).split()


@dataclass(frozen=True)
class Bullet:
    """One background bullet and where it came from."""

    text: str
    item_id: int
    source: str
    published: date
    url: str
    span: tuple[int, int]
    kind: str = "archive"


def dateline(day: date) -> str:
    """'March 30, 2021' (AP style, as the seed writes it)."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def main_sentence(text: str) -> tuple[str, tuple[int, int]] | None:
    """The item's first complete sentence of at least five words, and its span."""
    for match in _SENTENCE.finditer(text):
        sentence = match.group(0)
        stripped = sentence.strip()
        if len(stripped.split()) >= 5 and stripped[-1:] in '.!?"”’»)':
            start = match.start() + (len(sentence) - len(sentence.lstrip()))
            return stripped, (start, start + len(stripped))
    return None


def bullet(related: Related) -> Bullet | None:
    """The bullet for one related item; None when it has no complete sentence."""
    item = related.item
    found = main_sentence(item.english)
    if found is None:
        return None
    sentence, span = found
    body = _WEEKDAY_OPENING.sub("", sentence)
    first, _, rest = body.partition(" ")
    if first.lower() in STOPWORDS:
        body = f"{first.lower()} {rest}"
    return Bullet(
        f"On {dateline(item.published)}, {body}",
        item.id,
        item.source,
        item.published,
        item.url,
        span,
    )
