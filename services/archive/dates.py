"""An article's date when the caller gives none: a full date in its dateline, else the
latest one it mentions —
"March 30, 2021", "30 March 2021", "2021-03-30", "30.03.2021", or the Ukrainian and
Russian forms "30 березня 2021" / "30 марта 2021 года" (the original text is read too,
since a dateline may be lost in translation). A date needs its year: "on Tuesday" or
"March 30" alone say nothing certain, and the archive then uses the day it received the
item (DATE_ORIGIN_RECEIVED)."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    **{
        name.lower(): i
        for i, names in enumerate(
            (
                "january jan",
                "february feb",
                "march mar",
                "april apr",
                "may",
                "june jun",
                "july jul",
                "august aug",
                "september sep sept",
                "october oct",
                "november nov",
                "december dec",
            ),
            start=1,
        )
        for name in names.split()
    },
    # Ukrainian (genitive, as dates are written) and Russian.
    **{
        name: i
        for i, names in enumerate(
            (
                "січня января",
                "лютого февраля",
                "березня марта",
                "квітня апреля",
                "травня мая",
                "червня июня",
                "липня июля",
                "серпня августа",
                "вересня сентября",
                "жовтня октября",
                "листопада ноября",
                "грудня декабря",
            ),
            start=1,
        )
        for name in names.split()
    },
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NBSP = "[\\s\u00a0\u202f]"
# The dateline's reach: "KYIV, March 30, 2021 (Reuters) —" opens a story.
DATELINE_CHARS = 300
_PATTERNS = (
    # March 30, 2021 / Mar. 30 2021
    re.compile(
        rf"\b(?P<m>{_MONTH})\.?{_NBSP}+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?{_NBSP}+(?P<y>\d{{4}})\b",
        re.I,
    ),
    # 30 March 2021 / 30 березня 2021 року
    re.compile(rf"\b(?P<d>\d{{1,2}}){_NBSP}+(?P<m>{_MONTH})\.?,?{_NBSP}+(?P<y>\d{{4}})\b", re.I),
    # 2021-03-30
    re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b"),
    # 30.03.2021 (day first, as uk/ru outlets write it)
    re.compile(r"\b(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})\b"),
)


def extract_date(*texts: str, latest: date | None = None) -> date | None:
    """The article's date from its texts (in order; not after `latest`): a full date in
    the dateline (the first DATELINE_CHARS characters) — else the LATEST full date the
    text mentions, since a story recalls earlier dates ("since February 24, 2022, …")
    but rarely later ones. None when no text holds a full date."""
    found = [day for text in texts for day in _dates(text[:DATELINE_CHARS], latest)]
    if found:
        return found[0]
    mentioned = [day for text in texts for day in _dates(text, latest)]
    return max(mentioned) if mentioned else None


def _dates(text: str, latest: date | None) -> list[date]:
    """The valid full dates in `text`, in order of appearance."""
    found: list[tuple[int, date]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            month = match.group("m")
            number = int(month) if month.isdigit() else _MONTHS.get(month.lower().rstrip("."))
            try:
                day = date(int(match.group("y")), number or 0, int(match.group("d")))
            except ValueError:
                continue
            if day.year >= 1900 and (latest is None or day <= latest):
                found.append((match.start(), day))
    return [day for _, day in sorted(found)]
