"""Numbers in a text, each read every way its typography allows: the translator's
plausibility gate compares a source and its translation as sets (`numbers_differ`,
services/translator/plausibility.py); the summarizer's figures check
(services/common/text/factcheck.py) reads where each number is (`mentions`) and
whether two numbers can be the same (`readings_match`).

Each number is read every way its typography allows: thousands grouped by no-break,
narrow no-break or thin spaces, plain spaces (then also as separate numbers) or English
commas; decimal commas; times "4:40" = "4.40am", "об 11.15" = "11:15 BST", "18 годині" =
"6pm" = "1800 GMT"; dates "24.02.2022"; "2022-23"; "90-х" = "1990s"; "19 века" =
"1800s"; scale words ("1,2 млрд" = "1.2bn"); number words ("сорок" = 40, "Sixty-eight"
= 68, "доба" = 24 hours, "noon", "February") and Roman numerals ("XV", Cyrillic "ХХ").
The rules were set on the DEV split of this project's hand-written news set
(bench/data/gate_news_dev.tsv). Pure Python.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# A word: letters, with inner apostrophes and hyphens ("п'ять", "Sixty-eight").
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")

# Numbers. A mention is a tuple of readings (the first is the plain one); a reading is
# a value >= 0 or a time, stored negative as -(1 + minutes past 12-hour midnight).
# Roman numerals; Ukrainian text often writes them with Cyrillic І and Х ("ХХ століття").
_ROMAN = re.compile(r"(?<![°\w])[IІVXLCХ]{1,7}\b(?!-\d)")
_ROMAN_VALUES = {"I": 1, "І": 1, "V": 5, "X": 10, "Х": 10, "L": 50, "C": 100}
_HARD = "\u00a0\u202f\u2009\u2007"  # no-break, narrow no-break, thin, figure space
_DATE_TIME = (  # never inside a number: "1.5" is not "5", "2,025" not "025"
    r"(?<!\d)(?<!\d[.,])(?:(?P<date>(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>(?:1[89]|20)\d\d))"
    r"|(?P<time>(?P<h>[01]?\d|2[0-4]):(?P<min>[0-5]\d))|(?P<num>(?P<grp>{})|\d+(?:[.,]\d+)?))(?!\d)"
)
_NUMBER = {  # thousands: English commas, Cyrillic points, spaces in both; then a decimal
    cyrillic: re.compile(
        _DATE_TIME.format(rf"\d{{1,3}}(?:[{sep}{_HARD} ]\d{{3}})+(?!\d)(?:\{dec}\d+)?")
    )
    for cyrillic, sep, dec in ((False, ",", "."), (True, ".", ","))
}
# A scale word after a number: "400 тисяч" = "400,000"; "1,2 млрд" = "1.2bn"; "100-тисячний".
_SCALE = re.compile(
    r"[\s-]?(?:(?P<k>тис|тыс|thousand|k\b)|(?P<m>мільйон|миллион|млн|million|m\b)"
    r"|(?P<b>мільярд|миллиард|млрд|billion|bn\b)|(?P<t>трильйон|триллион|трлн|trillion|tn\b))"
)
_CLOCK = re.compile(r"\s?(?:[ap]\.?m\b\.?|o'clock|GMT|UTC|BST|CES?T|EES?T|MSK|hrs\b|local time)")
_DECADE = re.compile(r"(?:'?s\b|-(?:х|ті|е|ые|ых|ми|их)\b)")
_CENTURY = re.compile(r"(?:-?[а-яіїє]{0,3}\.?\s?)(?:столітт|сторіч|ст\.|век|вв?\.)", re.I)
_EN_NUMBERS = {
    word: float(value)
    for value, words in enumerate(
        "zero|one first once single|two second twice double|three third|four fourth quarter|"
        "five fifth|six sixth|seven seventh|eight eighth|nine ninth|ten tenth|eleven eleventh|"
        "twelve twelfth dozen noon midday midnight|thirteen thirteenth|fourteen fourteenth|"
        "fifteen fifteenth|sixteen sixteenth|seventeen seventeenth|eighteen eighteenth|"
        "nineteen nineteenth|twenty twentieth".split("|")
    )
    for word in words.split()
}
_TENS = "thirty forty fifty sixty seventy eighty ninety".split()
_EN_NUMBERS.update({word: 10.0 * n for n, word in enumerate(_TENS, 3)} | {"hundred": 100.0})
_EN_NUMBERS.update({"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12})
_MONTHS = "January February March April May June July August September October November December"
_EN_MONTHS = {month: float(n) for n, month in enumerate(_MONTHS.split(), 1)}
# Cyrillic number words (uk and ru; cardinal, ordinal, collective and compound forms),
# matched against whole words, in this order: "value pattern; …", {E} = adjective endings.
_CYRILLIC_TABLE = r"""
1.5 півтор[аи]|полторы?; 0.5 пів; 12 дюжин\w*; 24 доб[аиуі]|добою|сутк\w*|суток
100 сто|ста|сотн\w*|сот{E}; 200 двісті|двохсот|двести|двухсот; 300 триста|тр[ьеи]хсот
400 чотириста|чотирьохсот|четыреста|четырехсот; 500 п'?ят[ьи]?сот; 600 ш[іе]ст[ьи]?сот
700 с[іе]м[ьи]?сот; 800 в[іо]с[іе]м[ьи]?сот|восьмисот; 900 дев'?ят[ьи]?сот
1e3 тисяч\w*|тысяч\w*|тис|тыс; 1e6 мільйон\w*|миллион\w*|млн; 1e9 мільярд\w*|миллиард\w*|млрд
1e12 трильйон\w*|триллион\w*|трлн; 11 одинн?адц[яа]т\w*; 12 дв[аеі]надц[яа]т\w*
13 тринадц[яа]т\w*; 14 чотирнадц[яа]т\w*|четырнадц[яа]т\w*; 15 п'?ятнадц[яа]т\w*
16 ш[іе]стнадц[яа]т\w*; 17 с[іе]мнадц[яа]т\w*; 18 в[іо]с[іе]мнадц[яа]т\w*
19 дев'?ятнадц[яа]т\w*; 20 двадц[яа]т\w*; 30 тридц[яа]т\w*; 40 сорок\w{0,2}
50 п'?ят[ьи]?дес[яе]т\w*; 60 ш[іе]ст[ьи]?дес[яе]т\w*; 70 с[іе]м[ьи]?дес[яе]т\w*
80 в[іо]с[іе]м[ьи]?дес[яе]т\w*|восьмидесят\w*; 90 дев'?яност\w*
1 од(?:ин|н(?:а|е|о|ого|ому|ій|ой|им|ім|ієї|ою|у|их|ими))|перш\w*|перв\w*|одно\w{3,}
2 [ув]?дв(?:а|і|е|ох|ух|ом|ум|ома|умя|оє|ое|ічі|ажды)|обидв[аі]|об[ае]|(?:друг|втор){E}|дв[оу]х?\w{3,}
3 [ув]?тр(?:и|ьох|ьом|ьома|ех|ем|емя|оє|ое|ичі|ижды)|трет\w*|тр[ье]х\w{3,}
4 чотир(?:и|ьох|ьом|ма)|четыр(?:е|ех|ем|ьмя)|четвер(?:о|т\w*)|чверт\w*|(?:чотирьох|четырех)\w{3,}
5 п'?ят(?:ь|и|ьох|ьма|ью|еро|{E})|п'?яти\w{3,}; 6 ш[іе]ст(?:ь|и|ьох|ьма|ью|еро)|шост\w*|шест{E}|шести\w{3,}
7 с[іе]м(?:ь|и|ох|ома|ью|еро)?|сьом\w*|седьм\w*|семи\w{3,}; 8 в[іо]с[іе]м(?:ь|ох|ома)?|вос[ье]?м\w*|вісьм\w*
9 дев'?ят(?:ь|и|ьох|ьма|ью|{E})|дев'?яти\w{3,}; 10 десят(?:ь|и|ьох|ью|ок|ка|ки|ків|{E})|десяти\w{3,}
""".replace("{E}", "(?:ий|а|е|ого|ому|ої|ій|ою|им|ая|ое|ой|ую|их|і|ым|ом)?")
_ENTRIES = [e.split(" ") for e in re.split(r"\s*[;\n]\s*", _CYRILLIC_TABLE.strip())]
_CYRILLIC_WORD = re.compile("|".join(f"(?P<w{i}>{p})" for i, (_, p) in enumerate(_ENTRIES)))
_CYRILLIC_VALUES = [float(value) for value, _ in _ENTRIES]
# A source that spells a number out (any word starting like one) may get small digits.
_SPELLED = re.compile(r"(?<!\w)(?:" + _CYRILLIC_WORD.pattern + ")")
# Small numbers a translator may write for a spelled-out source number.
_SMALL = 12.0


def _normal(text: str) -> str:
    return re.sub("[’ʼ`]", "'", text.lower()).replace("ё", "е")


def _word_value(word: str, cyrillic: bool) -> float | None:
    if not cyrillic:
        return _EN_NUMBERS.get(word.lower())
    found = _CYRILLIC_WORD.fullmatch(_normal(word))  # the first form that fits
    return _CYRILLIC_VALUES[int(found.lastgroup[1:])] if found and found.lastgroup else None


def _compose(values: list[float]) -> float:
    """The value of a run of number words: "сто сорок тисяч" = 140,000."""
    total = current = 0.0
    for value in values:
        if value >= 1000:
            total, current = total + (current or 1) * value, 0.0
        elif value == 100:
            current = (current or 1) * 100
        else:
            current += value
    return total + current


@dataclass(frozen=True)
class Mention:
    """One number of a text: its code-point span (a scale word or clock suffix after
    digits included: "2.5bn", "4.40 am") and every reading it allows, the plain one
    first. `kind` says how it is written: "digits", "roman", "words" (a run of number
    words) or "month" (an English month name)."""

    start: int
    end: int
    readings: tuple[float, ...]
    kind: str = "digits"


_EN_WORD = re.compile(r"[^\W\d_]+")


def _word_spans(text: str, cyrillic: bool) -> list[Mention]:
    """Spelled-out numbers: each run of number words read as one number and word by
    word; English month names ("February" = 2)."""
    found: list[Mention] = []
    run: list[float] = []
    start = end = 0
    words = [*(WORD if cyrillic else _EN_WORD).finditer(text), None]
    for match in words:  # English compounds word by word: "Sixty-eight", "eight-hour"
        word = match.group(0) if match else ""
        value = _word_value(word, cyrillic) if word else None
        if value is not None and match:
            start = start if run else match.start()
            end = match.end()
            run.append(value)
            continue
        if run and not (word.lower() == "and" and run[-1] >= 100):
            found.append(Mention(start, end, (_compose(run), *run), "words"))
            run = []
        if not cyrillic and match and word in _EN_MONTHS:
            found.append(Mention(match.start(), match.end(), (_EN_MONTHS[word],), "month"))
    return found


def _word_mentions(text: str, cyrillic: bool) -> list[tuple[float, ...]]:
    return [mention.readings for mention in _word_spans(text, cyrillic)]


def _time(hour: int, minute: int) -> float:
    return -(1 + (hour % 12) * 60 + minute)


def _readings(match: re.Match[str], text: str, cyrillic: bool) -> list[tuple[float, ...]]:
    """The mentions of one match of _NUMBER: each with every reading it allows."""
    if match.group("date"):
        day, month, year = (float(match.group(k)) for k in "dmy")
        return [(day,), (month,), (year,)] if day <= 31 and month <= 12 else []
    if match.group("time"):
        return [(_time(int(match.group("h")), int(match.group("min"))),)]
    raw, after = match.group("num"), text[match.end() : match.end() + 14]
    if match.group("grp"):  # thousands groups, then maybe a decimal part
        integer, _, decimals = raw.partition("," if cyrillic else ".")
        value = float(re.sub(r"\D", "", integer) + "." + (decimals or "0"))
    else:  # "4,2" = "4.2"
        value = float(raw.replace(",", "."))
    readings = [value]
    scale = _SCALE.match(after)
    if scale:  # "1,2 млрд" is 1,200,000,000 only; "2.5m" may be metres
        scaled = value * 1e3 ** (1 + "kmbt".index(scale.lastgroup or "k"))
        readings = [scaled, value] if scale.group(0).strip() in ("m", "k") else [scaled]
    if " " in raw:  # plain-space groups may be separate numbers: "у 2022 300"
        readings += [float(re.sub(r"[.,].*", "", p)) for p in raw.split(" ")]
    if cyrillic and re.fullmatch(r"\d{1,3}[.,]\d{3}", raw):  # "1.250", "6,387": either way
        readings.append(float(raw.replace(",", ".")) if match.group("grp") else value * 1000)
    hour_minute = re.fullmatch(r"([01]?\d|2[0-4])\.([0-5]\d)", raw)
    if hour_minute:  # "4.40am", "об 11.15"
        readings.append(_time(int(hour_minute.group(1)), int(hour_minute.group(2))))
    elif raw.isdigit() and _CLOCK.match(after):
        hhmm = re.fullmatch(r"([01]?\d|2[0-3])([0-5]\d)", raw)
        if hhmm:  # "1200 GMT"
            readings.append(_time(int(hhmm.group(1)), int(hhmm.group(2))))
        elif value <= 24:  # "6pm", "10 o'clock"
            readings.append(_time(int(value), 0))
    # At most 7 characters can match: look at the last 12 only, not the whole prefix.
    before = text[max(0, match.start() - 12) : match.start()]
    year_range = re.search(r"(\d\d)\d\d\s?[-–—/]\s?$", before)
    if year_range and len(raw) == 2:  # "2022-23"
        readings.append(float(year_range.group(1) + raw))
    if len(raw) == 2 and raw.endswith("0") and _DECADE.match(after):  # "90-х", "'90s"
        readings += [1900 + value, 2000 + value]
    if cyrillic and raw.isdigit() and _CENTURY.match(after):  # "19 века" = "1800s"
        readings.append((value - 1) * 100)
    return [tuple(readings)]


def _roman(token: str) -> int | None:
    total, previous = 0, 0
    for ch in reversed(token):
        value = _ROMAN_VALUES[ch]
        total += -value if value < previous else value
        previous = max(previous, value)
    return total if 0 < total <= 100 else None


def _digit_spans(text: str, *, cyrillic: bool, roman: bool) -> list[Mention]:
    """Digit and Roman-numeral mentions of a text, each with its span and readings."""
    found: list[Mention] = []
    for match in _NUMBER[cyrillic].finditer(text):
        after = text[match.end() : match.end() + 14]
        suffix = _SCALE.match(after) or _CLOCK.match(after)
        written = suffix.group(0) if suffix and not match.group("date") else ""
        if written.endswith(".") and written.count(".") == 1:
            written = written[:-1]  # "4.40 am." ends a sentence; "4.40 a.m." keeps its dot
        end = match.end() + len(written)
        found += [Mention(match.start(), end, r) for r in _readings(match, text, cyrillic)]
    for match in _ROMAN.finditer(text):
        token = match.group(0)
        # A lone "I" is an English pronoun; a lone Cyrillic "І" the Ukrainian "and".
        if token == "І" or (token == "I" and not roman):
            continue
        value = _roman(token)
        if value is not None:
            after = text[match.end() : match.end() + 14]
            century = cyrillic and _CENTURY.match(after)
            readings = (float(value), (value - 1) * 100.0) if century else (float(value),)
            found.append(Mention(match.start(), match.end(), readings, "roman"))
    return found


def _mentions(text: str, *, cyrillic: bool, roman: bool) -> list[tuple[float, ...]]:
    return [m.readings for m in _digit_spans(text, cyrillic=cyrillic, roman=roman)]


def mentions(text: str, *, roman: bool = False) -> list[Mention]:
    """Every number of an English text with its span and readings: digits (in text
    order), then Roman numerals (a lone "I" only with `roman`), then number words and
    month names. Spans may overlap: "1.2 million" is one digit mention, and "million"
    is also a number word."""
    return _digit_spans(text, cyrillic=False, roman=roman) + _word_spans(text, False)


def numbers(text: str, *, words: bool = False, roman: bool = True) -> list[float]:
    """The numbers of a text, one plain reading each: digits ("1 000", "1 000", "1,000",
    "1000" are one number; "4,2" is 4.2), times as minutes past 12-hour midnight
    ("22:08" = "10:08"; stored negative), Roman numerals ("XV" = 15; a lone "I" only
    with `roman`: in English it is a pronoun), and with `words` spelled-out numbers
    ("nineteen", "сорок"). Cyrillic text follows Cyrillic typography (decimal comma)."""
    cyrillic = bool(re.search("[а-яА-ЯіїєІЇЄ]", text))
    found = [m[0] for m in _mentions(text, cyrillic=cyrillic, roman=roman)]
    return found + [m[0] for m in _word_mentions(text, cyrillic)] if words else found


def clock_numbers(time: float) -> frozenset[int]:
    """The plain numbers a clock may write for a time reading (stored negative, see
    `numbers`): "16:40" is 1640 or 440 ("0440 GMT"); "12:00" is also 0, 12, 24, 1200 and
    2400 ("12 o'clock", "midnight"); "6:00" is also 6 and 18 ("6pm")."""
    hour, minute = divmod(int(-time - 1), 60)
    hours = (hour, hour + 12) if hour else (0, 12, 24)
    return frozenset({h * 100 + minute for h in hours} | (set(hours) if minute == 0 else set()))


def _same(a: float, b: float) -> bool:
    if math.isclose(a, b, abs_tol=1e-9):
        return True
    if (a < 0) != (b < 0):  # a time and a plain number: "12:00" = "1200 GMT" = "12 o'clock"
        time, plain = (a, b) if a < 0 else (b, a)
        return plain in clock_numbers(time)
    return False


def _match(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return any(_same(x, y) for x in a for y in b)


def readings_match(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """True when some reading of `a` can be the same number as some reading of `b`: equal
    values, or a time and the plain number a clock writes for it ("16:40" = "1640 GMT";
    "12:00" = "12 o'clock")."""
    return _match(a, b)


def numbers_differ(source: str, target: str) -> bool:
    """True when the target lacks a number of the source or has one the source does not,
    compared as sets (spelled-out numbers on either side count for a digit on the
    other; a small extra number is let through when the source spells numbers out)."""
    source_digits = _mentions(source, cyrillic=True, roman=True)
    source_words = _word_mentions(source, cyrillic=True)
    target_digits = _mentions(target, cyrillic=False, roman=False)
    pool = target_digits + _word_mentions(target, cyrillic=False)
    if any(not any(_match(m, t) for t in pool) for m in source_digits):
        return True
    spelled = bool(_SPELLED.search(_normal(source)))
    for mention in target_digits:  # extra digits (English number words may be plain words)
        if any(_match(mention, m) for m in source_digits + source_words):
            continue
        if not (spelled and 0 <= mention[0] <= _SMALL):
            return True
    return False
