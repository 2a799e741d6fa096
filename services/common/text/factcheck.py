"""Figures and names of an English claim checked against the English text it was written
from (issue 25): does a headline, summary or bullet state only the source's numbers,
dates and times, and name only the people and places the source names?

Figures. Every number is read every way its typography allows (numerals.py: "1,200" =
"1 200" = "1200"; "4,2" = "4.2"; "4.40 am" = "4:40" = "16:40"; "2.5bn" = "2.5 billion";
"XV" = 15; "two" = 2) and dates are read whole: "March 30, 2021", "30 March 2021",
"30th of March", "2021-03-30", "30.03.2021" (also as the US 03/30), "March 2021",
"March 30" and a month named alone. A figure of the claim is supported when some
reading of it matches some reading of a figure of the source. A date is supported by a
source date of the same month, with the same day when the claim gives one, and the
same year when both give one (a year the source states elsewhere also does). What
counts as a figure of a claim:

* digits, with their scale word or clock suffix ("2.5bn", "4.40 am"; a percentage is its
  number), and dates (their day and year are not figures of their own);
* Roman numerals of two letters or more ("II", "XIV"): a lone "I", "V", "X", "C" or "L"
  is a pronoun, an initial, a grade or a vitamin more often than a number;
* number words whose value is 2 or more, read as one number per run ("twenty-five",
  "two hundred"). "one" ("one of the"), "zero", ordinals ("first", "second": also a
  unit of time), "once", "twice", "double", "single", "dozen", "quarter", "noon" and
  "midnight" are not figures of a claim — too often not a count — but they are
  readings of the source, so "second" in a source supports "2" in a claim;
* weekdays and relative dates ("yesterday") are not figures.

The source's figures are read generously (every reading of every mention, ordinals and
"one" included): a claim that paraphrases a figure's typography passes, and only a
figure the source has no way of saying is unsupported.

Names. A capitalised word (letters with inner apostrophes and hyphens: "O'Brien",
"Jean-Claude"; dotted acronyms such as "U.S."), or a run of them separated only by
spaces (with "de", "van", "bin"… inside), is a name — unless it stands alone at the
start of a sentence, or right after an opening quote, bracket, colon or dash, where a
capital says nothing ("Officials said", «"Our forces…"). A run of two capitalised words
or more counts there too ("The Kremlin said", "In Kyiv, …"). Function words
("The", "In", "However"…), titles ("President", "Mr"), months and weekdays, "I" and
single-letter initials are not words of a name; a run left with none is no name. A name
is supported when one of its words appears in the source, case-sensitively, with a
possessive "'s" stripped ("Zelensky's"), a plural "s" either way ("Ukrainians") and any
part of a hyphenated word ("Kyiv-based"); of a name with distinctive words ("New
Zealand"), a generic one ("New", "United", "Ministry") does not suffice. A generic
word, a sentence's first word and every word of a title-case claim also match in lower
case ("Government", "government"); an acronym matches a capitalised source word in
another case ("NATO", "Nato"), but not a lower-case one ("US" is not "us").

`check(claim, source)` reads the source every time; `Source(text).check(claim)` reads it
once for many claims (a 200,000-character text in ~0.2 s; each claim's figures are then
set lookups). One module past 400 lines: figures and names are one check, read the same
way, and a third of it is the word lists of the name rule. Pure Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from services.common.text.numerals import Mention, clock_numbers, mentions
from services.common.text.segment import document_spans

# A date's reading: (year or None, month, day or None).
DateReading = tuple[int | None, int, int | None]

_FULL = "January February March April May June July August September October November December"
MONTHS = {name: n for n, name in enumerate(_FULL.split(), 1)}
_ABBREVIATED = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8}
_ABBREVIATED |= {"Sep": 9, "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12}
WEEKDAYS = frozenset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())

_MONTH = (
    rf"(?P<mon>(?:{'|'.join(MONTHS)})\b"
    rf"|(?:{'|'.join(sorted(_ABBREVIATED, key=len, reverse=True))})(?:\.|\b))"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[5-9]|20)\d\d)(?!\d)"
_DATES = (
    # 30 March 2021, 30th of March, 30 March
    re.compile(rf"(?<![\d.,:/]){_DAY}(?!\d)(?:\s+of)?\s+{_MONTH}(?:,?\s+{_YEAR})?"),
    # March 30, 2021; March 30th; Mar. 30
    re.compile(rf"{_MONTH}\s+{_DAY}(?!\d|[.,]\d)(?:,?\s+{_YEAR})?"),
    # March 2021
    re.compile(rf"{_MONTH},?\s+{_YEAR}"),
    # 2021-03-30
    re.compile(rf"(?<![\d.]){_YEAR}-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?!\d)"),
    # 30.03.2021, 30/03/2021 (and 03/30/2021, the US order)
    re.compile(rf"(?<![\d.,])(?P<day>[0-3]?\d)[./](?P<month>[01]?\d)[./]{_YEAR}"),
    # A month named alone ("in March"); "May" alone is more often the verb or a name.
    re.compile(rf"\b(?P<mon>{'|'.join(m for m in MONTHS if m != 'May')})\b"),
)

# Number words that count as figures of a claim (see the module docstring).
_CARDINALS = frozenset(
    """one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy
    eighty ninety hundred thousand million billion trillion""".split()
)
_LETTERS = re.compile(r"[^\W\d_]+")
# A percentage is its number; the sign or words are part of the figure's text only.
_PERCENT = re.compile(r"\s?(?:%|per\s?cent\b|percent\b)")

_APOSTROPHES = "'’ʼ"
_NAME_WORD = re.compile(
    rf"(?:[A-Z]\.){{2,}}|[^\W\d_]+(?:[{_APOSTROPHES}][^\W\d_]+)*"
    rf"(?:-[^\W\d_]+(?:[{_APOSTROPHES}][^\W\d_]+)*)*"
)
_POSSESSIVE = re.compile(rf"[{_APOSTROPHES}]s$")
# Lower-case words that may sit inside a name: "Charles de Gaulle", "Osama bin Laden".
_CONNECTORS = frozenset("de da di del della der den van von bin ibn al el la le du dos das".split())
# A capital right after these says nothing: a quotation, an aside or a list begins.
_OPENERS = "«\"“„‘'([{:;—–•*"
_FUNCTION = frozenset(
    """A An The And But Or Nor So Yet For Of In On At By To From With Without Within Into
    Onto Upon Over Under About Above Below After Before During Since Until Through
    Throughout Across Against Among Amid Around Between Beyond Despite Except Inside
    Outside Near Per Via Like Unlike As If When While Whereas Where Why How What Which
    Who Whom Whose That This These Those There Here Then Than Now Also Still Even Only
    Just Meanwhile However Moreover Furthermore Nevertheless Nonetheless Although Though
    Because Therefore Thus Hence Instead Otherwise Indeed Finally Later Earlier
    Previously Currently Recently Today Tonight Yesterday Tomorrow Me My We Us Our You
    Your He Him His She Her It Its They Them Their One Some Any Many Much Most More Less
    Few Several All Both Each Every Either Neither No Not None Nothing Another Other
    Others Such Same Very Well Yes Please Thank Thanks Let Is Are Was Were Be Been Have
    Has Had Do Does Did Will Would Shall Should Can Could May Might Must According
    Following Including Regarding Given Based Due Breaking Update Updated Exclusive
    Analysis Opinion Live Watch Read""".split()
)
_TITLES = frozenset(
    """Mr Mrs Ms Miss Mx Dr Prof Professor Sir Dame Lord Lady Madam Rev Reverend Fr Father
    Sister Brother St Saint President Presidents Vice Prime Minister Ministers Secretary
    Chancellor Premier Governor Senator Sen Rep Representative Congressman Congresswoman
    Mayor Deputy Chief Head General Gen Colonel Col Major Maj Captain Capt Lieutenant Lt
    Sergeant Sgt Commander Admiral Marshal Officer King Queen Prince Princess Emperor
    Pope Cardinal Bishop Archbishop Patriarch Sheikh Judge Justice Ambassador Director
    Chairman Chairwoman Chair Spokesman Spokeswoman Spokesperson""".split()
)
_GENERIC = frozenset(
    """United National International Republic Democratic People Federal State States
    Kingdom Union North South East West Northern Southern Eastern Western Central New
    Great Royal University College School Institute Association Society Committee
    Council Party Ministry Department Agency Bank Company Corporation Group Office Court
    Supreme High City County Region Province Island Islands River Lake Mount Sea Ocean
    Street Square Airport Station Hospital Church Army Force Forces Air Navy Police
    Service Foundation Organisation Organization Center Centre Museum House Parliament
    Assembly Congress Senate Government Administration Club League Cup Games World
    Federation Commission Authority Fund Network""".split()
)
_CALENDAR = frozenset(MONTHS) | frozenset(_ABBREVIATED) | WEEKDAYS
# A claim whose longer words are mostly capitalised is in title case (a headline style):
# its capitals say nothing about names, so its words match the source in any case.
_TITLE_CASE_SHARE = 0.6


@dataclass(frozen=True)
class Figure:
    """A figure of a claim: its text, code-point span in the claim, kind ("number",
    "time", "words", "roman" or "date") and whether the source supports it."""

    text: str
    start: int
    end: int
    kind: str
    supported: bool


@dataclass(frozen=True)
class Name:
    """A name of a claim: its text (its words from the first to the last that count, a
    possessive "'s" left out), code-point span in the claim and whether the source
    names it."""

    text: str
    start: int
    end: int
    supported: bool


@dataclass(frozen=True)
class ClaimCheck:
    """What the check found in one claim: every figure and every name, in text order."""

    figures: tuple[Figure, ...] = ()
    names: tuple[Name, ...] = ()

    @property
    def unsupported_figures(self) -> tuple[Figure, ...]:
        """The figures the source does not support."""
        return tuple(f for f in self.figures if not f.supported)

    @property
    def unsupported_names(self) -> tuple[Name, ...]:
        """The names the source does not name."""
        return tuple(n for n in self.names if not n.supported)

    @property
    def supported(self) -> bool:
        """True when every figure and name of the claim is the source's."""
        return not self.unsupported_figures and not self.unsupported_names


@dataclass(frozen=True)
class _Date:
    start: int
    end: int
    readings: tuple[DateReading, ...]


def _date_readings(match: re.Match[str]) -> tuple[DateReading, ...]:
    groups = match.groupdict()
    year = int(groups["year"]) if groups.get("year") else None
    day = int(groups["day"]) if groups.get("day") else None
    if groups.get("mon"):
        name = groups["mon"].rstrip(".")
        readings: list[DateReading] = [(year, MONTHS.get(name) or _ABBREVIATED[name], day)]
    else:
        month = int(groups["month"])
        readings = [(year, month, day)]
        if "-" not in match.group(0) and day is not None and day <= 12:
            readings.append((year, day, month))  # 03/30/2021: the US order
    return tuple(r for r in readings if 1 <= r[1] <= 12 and (r[2] is None or 1 <= r[2] <= 31))


def _dates(text: str) -> list[_Date]:
    """Every date of a text, overlapping ones included ("30 March 2021" and "March 2021")."""
    found = []
    for pattern in _DATES:
        for match in pattern.finditer(text):
            readings = _date_readings(match)
            if readings:
                found.append(_Date(match.start(), match.end(), readings))
    return found


def _longest_first(dates: list[_Date]) -> list[_Date]:
    """The dates of a claim without overlaps, the longest reading of a stretch kept."""
    kept: list[_Date] = []
    for date in sorted(dates, key=lambda d: (d.start - d.end, d.start)):
        if not any(date.start < k.end and k.start < date.end for k in kept):
            kept.append(date)
    return sorted(kept, key=lambda d: d.start)


def _key(value: float) -> float:
    """A number to nine significant digits: "1.2bn" and "1,200 million" are one key
    though 1.2 × 10⁹ is not exact in binary."""
    return float(f"{value:.9g}")


def _word_figure(text: str, mention: Mention) -> tuple[float, ...] | None:
    """The readings a run of number words has as a figure of a claim, or None when it is
    not one (see the module docstring)."""
    words = [w.lower() for w in _LETTERS.findall(text[mention.start : mention.end])]
    words = [w for w in words if w != "and"]
    if all(w in _CARDINALS for w in words):
        return (mention.readings[0],) if mention.readings[0] >= 2 else None
    if any(w in _CARDINALS and w != "one" for w in words):
        return mention.readings  # "the first two": every reading may be the figure
    return None


def _overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def _source_words(text: str) -> set[str]:
    words: set[str] = set()
    for match in _NAME_WORD.finditer(text):
        word = _POSSESSIVE.sub("", match.group(0))
        words.add(word)
        words.add(word.replace(".", ""))
        words.update(word.split("-"))
    return words


class Source:
    """The figures and words of a source text (and of its other forms, such as the same
    text in house style), read once; `check` judges claims against them."""

    def __init__(self, text: str, *other_forms: str) -> None:
        texts = (text, *other_forms)
        # Every reading of every source figure, indexed (a long source is read once and
        # each claim's figure is then a few set lookups): plain numbers to nine
        # significant digits, times, and the plain numbers a clock writes for them.
        values = {v for t in texts for m in mentions(t, roman=False) for v in m.readings}
        self.plain = {_key(v) for v in values if v >= 0}
        self.times = {v for v in values if v < 0}
        self.clock = {n for t in self.times for n in clock_numbers(t)}
        self.dates: dict[int, list[DateReading]] = {}
        for date in (r for t in texts for d in _dates(t) for r in d.readings):
            self.dates.setdefault(date[1], []).append(date)
        self.words: set[str] = set().union(*(_source_words(t) for t in texts))
        self.lower_words = {w.lower() for w in self.words}
        self.lower_names = {w.lower() for w in self.words if w[:1].isupper()}

    def number_supported(self, readings: tuple[float, ...]) -> bool:
        """True when some reading can be the same number as some reading of a source
        figure (numerals.readings_match: equal, or a time and a clock's number for it)."""
        for value in readings:
            if value >= 0 and (_key(value) in self.plain or value in self.clock):
                return True
            if value < 0 and (
                value in self.times or any(_key(n) in self.plain for n in clock_numbers(value))
            ):
                return True
        return False

    def date_supported(self, readings: tuple[DateReading, ...]) -> bool:
        """True when some reading of a claim's date is a source date's (see the module
        docstring)."""
        for year, month, day in readings:
            for s_year, _, s_day in self.dates.get(month, []):
                if day is not None and day != s_day:
                    continue
                if year is None or year == s_year:
                    return True
                if s_year is None and self.number_supported((float(year),)):
                    return True
        return False

    def word_found(self, word: str, *, any_case: bool = False) -> bool:
        """True when the source has the word (possessive stripped, a plural "s" either
        way, or a capitalised part of a hyphenated word). With `any_case`, or for a
        generic word ("Government" for "government"), in any case; an acronym also
        matches a capitalised source word in another case ("NATO", "Nato")."""
        word = _POSSESSIVE.sub("", word)
        forms = {word, word.replace(".", "")}
        forms |= {part for part in word.split("-") if part[:1].isupper()}
        forms |= {f[:-1] for f in forms if f.endswith("s")} | {f + "s" for f in forms}
        if forms & self.words:
            return True
        lower = {f.lower() for f in forms}
        if any_case or word in _GENERIC:
            return bool(lower & self.lower_words)
        return word.isupper() and len(word) > 1 and bool(lower & self.lower_names)

    def figures(self, claim: str) -> list[Figure]:
        """The figures of a claim, in text order, each judged."""
        dates = _longest_first(_dates(claim))
        taken = [(d.start, d.end) for d in dates]
        found = [
            Figure(claim[d.start : d.end], d.start, d.end, "date", self.date_supported(d.readings))
            for d in dates
        ]
        by_span: dict[tuple[int, int], tuple[str, tuple[float, ...]]] = {}
        for mention in mentions(claim, roman=False):
            span = (mention.start, mention.end)
            if mention.kind == "month" or _overlaps(*span, taken):
                continue
            readings: tuple[float, ...] | None = mention.readings
            kind = {"digits": "number"}.get(mention.kind, mention.kind)
            if mention.kind == "roman" and mention.end - mention.start < 2:
                continue
            if mention.kind == "words":
                # A scale word after digits ("1.2 million") belongs to the digits.
                if _overlaps(*span, by_span):
                    continue
                readings = _word_figure(claim, mention)
            if readings is None:
                continue
            known = by_span.get(span)  # "24.02.2022" gives three mentions of one span
            by_span[span] = (kind, (known[1] if known else ()) + readings)
        for (start, end), (kind, readings) in by_span.items():
            supported = self.number_supported(readings)
            kind = "time" if kind == "number" and any(r < 0 for r in readings) else kind
            percent = _PERCENT.match(claim, end) if kind == "number" else None
            end = percent.end() if percent else end
            found.append(Figure(claim[start:end], start, end, kind, supported))
        return sorted(found, key=lambda f: f.start)

    def names(self, claim: str) -> list[Name]:
        """The names of a claim, in text order, each judged."""
        tokens = list(_NAME_WORD.finditer(claim))
        initial = _initial_tokens(claim, tokens)
        longer = [t.group(0) for t in tokens if len(t.group(0)) > 3]
        title_case = len(longer) >= 3 and (
            sum(w[0].isupper() for w in longer) >= _TITLE_CASE_SHARE * len(longer)
        )
        found: list[Name] = []
        for run in _runs(claim, tokens):
            capitals = [t for t in run if t.group(0)[0].isupper()]
            content = [t for t in capitals if _counts(t.group(0))]
            starts_sentence = run[0].start() in initial
            if not content or (starts_sentence and len(capitals) < 2):
                continue
            first = content[0]
            lead = first is run[0] and starts_sentence
            distinctive = [t for t in content if _POSSESSIVE.sub("", t.group(0)) not in _GENERIC]
            supported = any(
                self.word_found(t.group(0), any_case=title_case or (lead and t is first))
                for t in distinctive or content
            )
            start = first.start()
            end = content[-1].start() + len(_POSSESSIVE.sub("", content[-1].group(0)))
            found.append(Name(claim[start:end], start, end, supported))
        return found

    def check(self, claim: str) -> ClaimCheck:
        """Every figure and name of `claim`, each judged against this source."""
        return ClaimCheck(tuple(self.figures(claim)), tuple(self.names(claim)))


def _counts(word: str) -> bool:
    """True when a capitalised word can be a word of a name."""
    bare = _POSSESSIVE.sub("", word)
    if bare in _FUNCTION or bare in _TITLES or bare in _CALENDAR:
        return False
    return len(bare.replace(".", "")) > 1


def _initial_tokens(claim: str, tokens: list[re.Match[str]]) -> set[int]:
    """Starts of the tokens where a capital says nothing: each sentence's first word,
    and a word right after an opening quote, a bracket, a colon or a dash."""
    firsts = set()
    starts = iter(tokens)
    token = next(starts, None)
    for span in document_spans(claim):
        while token is not None and token.start() < span.start:
            token = next(starts, None)
        if token is not None and token.start() < span.end:
            firsts.add(token.start())
    for token in tokens:
        at = token.start()
        while at and claim[at - 1].isspace():
            at -= 1
        if not at or claim[at - 1] in _OPENERS:
            firsts.add(token.start())
    return firsts


def _runs(claim: str, tokens: list[re.Match[str]]) -> list[list[re.Match[str]]]:
    """Runs of capitalised words separated only by spaces (a connector such as "de"
    inside a run belongs to it)."""
    runs: list[list[re.Match[str]]] = []
    current: list[re.Match[str]] = []
    for index, token in enumerate(tokens):
        word = token.group(0)
        joined = bool(current) and claim[current[-1].end() : token.start()].isspace()
        if word[0].isupper():
            if current and not joined:
                runs.append(current)
                current = []
            current.append(token)
            continue
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if (
            joined
            and word in _CONNECTORS
            and following is not None
            and following.group(0)[0].isupper()
            and claim[token.end() : following.start()].isspace()
        ):
            current.append(token)
            continue
        if current:
            runs.append(current)
        current = []
    if current:
        runs.append(current)
    return [_trim_connectors(run) for run in runs]


def _trim_connectors(run: list[re.Match[str]]) -> list[re.Match[str]]:
    while run and not run[-1].group(0)[0].isupper():
        run = run[:-1]
    return run


def check(claim: str, source: str) -> ClaimCheck:
    """Every figure and name of `claim`, each judged against `source`."""
    return Source(source).check(claim)
