"""Background bullets from earlier items: one complete sentence carrying an earlier
item's main fact — its lead, the first complete sentence of its English text — opening
with the date as the seed brief does ("On March 30, 2021, …"), with its provenance
(archive id, source, date, URL, and the span of the sentence in the item's English
text, in code points).

Shaping, so that the bullet reads as one sentence of the brief:
- a wire dateline ("KYIV, March 30 (Reuters) — ", "LONDON (AP) — ") is dropped, and the
  span starts after it;
- a date opening ("On Tuesday, ", "Early on Monday, ", "On March 30, ", "Yesterday, ",
  "On New Year's Eve, ") gives way to the date; a weekday or "yesterday" is resolved
  against the item's date (the last such day on or before it), a day and month without
  a year take the item's year;
- otherwise the first "on Tuesday" inside the sentence that tells when it happened
  ("… said on Tuesday that …") is taken out and dates the bullet — not one that looks
  ahead ("will meet on Friday", "due on Monday");
- a sentence that opens with a quote ("“…,” Zelensky said after …") is turned round to
  put the speaker first ("Zelensky said, “…,” after …"); one whose speaker cannot be
  found is passed over for the next complete sentence;
- the lead's first present perfect becomes the simple past ("has fallen" → "fell"), as
  a dated sentence tells it (quoted words are left as they were said);
- the first word is lower-cased when it is a function word or common opener ("The",
  "Retreating", "Engineers"), never a name (the item's names, titles such as
  "President").
A sentence of fewer than MIN_WORDS words, or without a final stop, is no bullet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from services.archive.store import STOPWORDS, Related
from services.common.text.segment import document_spans

MONTHS = (
    "January February March April May June July August September October November December"
).split()
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MIN_WORDS = 5
_ENDS = ".!?"
_CLOSERS = "\"'”’»)"
_MONTH_NAMES = {m.lower(): i for i, m in enumerate(MONTHS, start=1)} | {
    m[:3].lower(): i for i, m in enumerate(MONTHS, start=1)
}
_MONTH_NAMES["sept"] = 9
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"
# A wire dateline: PLACE[, Country][, Month day] [(Agency)] — (strip_dateline checks that
# it has an agency, a day or a place in capitals: "Kyiv — The city …" keeps its opening).
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})"
    r"(?:,\s*(?P<country>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?))?"
    rf"(?:,?\s*(?P<day>{_MONTH}\s+\d{{1,2}}))?"
    r"\s*(?:\((?P<agency>[A-Z][\w .&-]{1,30})\))?"
    r"\s*[—–-]{1,2}\s+(?=[A-Z0-9“\"«])"
)
# A date opening, up to its comma: group `when` says which day.
_OPENING = re.compile(
    r"^(?:(?:early|late|earlier|later)\s+)?(?:on\s+)?"
    rf"(?P<when>{_WEEKDAY}{_PART_OF_DAY}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?"
    r"|yesterday|today|tonight|this\s+(?:morning|afternoon|evening)"
    r"|new\s+year['’]s\s+(?:eve|day)|christmas\s+(?:eve|day))"
    r"\s*,\s+",
    re.IGNORECASE,
)
# "on Tuesday" inside a sentence (with "early"/"late" and a part of the day).
_INNER_WEEKDAY = re.compile(
    rf"\s+(?:(?:early|late)\s+)?on\s+(?P<day>{_WEEKDAY}){_PART_OF_DAY}\b(?!['’])"
)
# Words before an inner weekday that say it is ahead, not when the thing happened.
_AHEAD = re.compile(
    r"(?:\b(?:will|would|shall|due|next|until|till|before|scheduled|expected|planned)\b"
    r"[^,;]{0,40}|\bto\s+\w+(?:\s+\w+){0,2})$",
    re.IGNORECASE,
)
_QUOTE_OPENERS = '“"«„'
_QUOTE_CLOSERS = '”"»“'
_VERBS = (
    r"(?:said|says|told|wrote|added|stressed|warned|declared|noted|insisted|claimed|"
    r"explained|announced|admitted|replied|posted)"
)
# “Quote,” speaker said[ tail].  /  “Quote,” said speaker[, tail].
_QUOTE_FIRST = re.compile(
    rf"^[{_QUOTE_OPENERS}](?P<quote>[^{_QUOTE_CLOSERS}]+?)(?P<stop>[,.!?…]?)[{_QUOTE_CLOSERS}]"
    rf",?\s+(?P<who>[^{_QUOTE_OPENERS}{_QUOTE_CLOSERS},;]{{2,120}}?)\s+(?P<verb>{_VERBS})\b"
    r"(?P<tail>.*?)(?P<end>[.!?])$"
)
_QUOTE_SAID_FIRST = re.compile(
    rf"^[{_QUOTE_OPENERS}](?P<quote>[^{_QUOTE_CLOSERS}]+?)(?P<stop>[,.!?…]?)[{_QUOTE_CLOSERS}]"
    r",?\s+(?P<verb>said|says)\s+(?P<who>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)"
    r"(?P<tail>.*?)(?P<end>[.!?])$"
)
# has/have [adverb] participle: the present perfect a wire lead is written in.
_PERFECT = re.compile(
    r"\b(?P<aux>has|have)\s+(?P<adverb>(?:now|already|also|just|finally|officially|"
    r"reportedly|formally)\s+)?(?P<verb>[a-z]+)\b"
)
# Irregular past participles and their simple past (those that differ).
_IRREGULAR = dict(
    pair.split(":")
    for pair in """arisen:arose become:became begun:began bitten:bit blown:blew broken:broke
    chosen:chose come:came done:did drawn:drew driven:drove eaten:ate fallen:fell
    flown:flew forbidden:forbade forgotten:forgot frozen:froze given:gave gone:went
    grown:grew hidden:hid known:knew ridden:rode risen:rose run:ran seen:saw shaken:shook
    shown:showed spoken:spoke stolen:stole sworn:swore taken:took thrown:threw
    withdrawn:withdrew woken:woke worn:wore written:wrote sent:sent made:made held:held
    left:left lost:lost paid:paid said:said sold:sold told:told found:found built:built
    brought:brought bought:bought caught:caught fought:fought thought:thought
    taught:taught kept:kept met:met led:led read:read hit:hit cut:cut put:put set:set
    shut:shut struck:struck won:won spent:spent stood:stood understood:understood
    agreed:agreed fled:fled felt:felt heard:heard meant:meant slept:slept spread:spread
    sunk:sank sank:sank shot:shot lit:lit dealt:dealt sought:sought""".split()
)
# Common openers of news leads that are no names (lower-cased after the date).
_COMMON_OPENERS = frozenset(
    """one two three four five six seven eight nine ten eleven twelve twenty thirty forty
    fifty sixty seventy eighty ninety hundred hundreds thousand thousands dozens several
    many most almost nearly about around more fewer some all both each every another
    several unknown
    officials authorities lawmakers deputies residents police prosecutors investigators
    scientists analysts experts engineers workers rescuers firefighters doctors
    volunteers soldiers troops servicemen fighters gunmen protesters voters passengers
    drones missiles traffic parliament government naval consumer former retreating
    rapper singer powerful massive heavy fierce fresh next""".split()
)
# Words that open a name or title even when no entity says so (kept capitalised).
_TITLES = frozenset(
    """president prime minister deputy mayor governor general colonel commander
    commander-in-chief chief head pope patriarch metropolitan king queen prince
    chancellor secretary ambassador speaker senator judge""".split()
)


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
    score: float = 0.0
    shared_terms: tuple[str, ...] = ()
    shared_entities: tuple[str, ...] = ()
    # The day the bullet opens with (the item's date unless the sentence said another).
    day: date | None = None


def dateline(day: date) -> str:
    """'March 30, 2021' (AP style, as the seed writes it)."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def strip_dateline(sentence: str) -> int:
    """How many leading characters of `sentence` are a wire dateline (0: none)."""
    match = _DATELINE.match(sentence)
    if not match:
        return 0
    place = match.group("place")
    letters = [c for c in place if c.isalpha()]
    if match.group("agency") or match.group("day") or (letters and place.isupper()):
        return match.end()
    return 0


def _weekday_on_or_before(name: str, published: date) -> date:
    back = (published.weekday() - WEEKDAYS.index(name.lower())) % 7
    return published - timedelta(days=back)


def _day_of(when: str, published: date) -> date:
    """The day an opening phrase names, read against the item's date."""
    words = when.lower().replace(",", " ").replace(".", " ").split()
    if words[0] in WEEKDAYS:
        return _weekday_on_or_before(words[0], published)
    if words[0] == "yesterday":
        return published - timedelta(days=1)
    numbers = [int(w.rstrip("stndrh")) for w in words if w.rstrip("stndrh").isdigit()]
    month = next((_MONTH_NAMES[w] for w in words if w in _MONTH_NAMES), None)
    if month is None or not numbers:
        return published  # today, tonight, New Year's Eve…: the item's own day
    day_number = next((n for n in numbers if n <= 31), None)
    year = next((n for n in numbers if n > 31), None)
    if day_number is None:
        return published
    try:
        found = date(year or published.year, month, day_number)
    except ValueError:
        return published
    if year is None and found > published:
        found = found.replace(year=found.year - 1)
    # A story is not dated by a day after it was published ("will meet on March 30,
    # 2025"): the bullet keeps the item's own date.
    return found if found <= published else published


def _lower_first(body: str, names: tuple[str, ...]) -> str:
    """`body` with its first word lower-cased when it is no name."""
    first, space, rest = body.partition(" ")
    bare = first.strip('“"«(').lower()
    if not first[:1].isupper() or (first.isupper() and len(first) > 1):
        return body
    if any(name.split()[0].lower() == bare for name in names if name.split()):
        return body
    head = bare.split("-")[0]
    if bare in _TITLES or head in _TITLES:
        return body
    if bare in STOPWORDS or bare in _COMMON_OPENERS or head in _COMMON_OPENERS:
        return first[0].lower() + first[1:] + space + rest
    return body


def _turn_quote(sentence: str) -> str | None:
    """A quote-led sentence with its speaker first; None when none can be found."""
    match = _QUOTE_FIRST.match(sentence) or _QUOTE_SAID_FIRST.match(sentence)
    if not match:
        return None
    who, verb = match.group("who").strip(), match.group("verb")
    if len(who.split()) > 12 or (not who[:1].isupper() and who.split()[0] not in STOPWORDS):
        return None
    quote = match.group("quote").strip()
    stop = match.group("stop") or ","
    tail = (match.group("tail") or "").strip()
    end = match.group("end")
    if tail.startswith(","):
        tail = tail[1:].lstrip()
    if verb == "told" and tail:
        # "told The Economist[, adding …]": the one told goes with the verb.
        told, _, tail = tail.partition(",")
        verb, tail = f"told {told.strip()}", tail.strip()
    if not tail:
        mark = end if stop in {",", ""} else stop
        return f"{who} {verb}, “{quote}{mark}”"
    stop = "," if stop in {"", "."} else stop
    return f"{who} {verb}, “{quote}{stop}” {tail}{end}"


def _simple_past(sentence: str) -> str:
    """The first present perfect outside quotes in the simple past ("has fallen" →
    "fell", "have been" → "were"), as a dated bullet tells it."""
    for match in _PERFECT.finditer(sentence):
        before = sentence[: match.start()]
        if sum(before.count(c) for c in "“«") > sum(before.count(c) for c in "”»"):
            continue  # inside a quote: the speaker's words stay
        aux, adverb, verb = match.group("aux"), match.group("adverb") or "", match.group("verb")
        lower = verb.lower()
        if lower == "been":
            past = "was" if aux.lower() == "has" else "were"
        elif lower in _IRREGULAR:
            past = _IRREGULAR[lower]
        elif lower.endswith("ed") and not lower.endswith("eed") and len(lower) > 4:
            past = lower
        else:
            return sentence
        if aux[:1].isupper():
            return sentence
        return f"{before}{adverb}{past}{sentence[match.end() :]}"
    return sentence


def _complete(sentence: str) -> bool:
    return len(sentence.split()) >= MIN_WORDS and sentence.rstrip(_CLOSERS)[-1:] in _ENDS


@dataclass(frozen=True)
class Shaped:
    """A sentence made ready to follow 'On <date>, ', its day and its source span."""

    body: str
    day: date
    span: tuple[int, int]


def shape(text: str, published: date, names: tuple[str, ...] = ()) -> Shaped | None:
    """The item's lead shaped for a bullet (see the module docstring), or None."""
    for found in document_spans(text):
        sentence, start = found.text, found.start
        cut = strip_dateline(sentence)
        if cut:
            sentence, start = sentence[cut:], start + cut
        span = (start, found.end)
        if not _complete(sentence):
            continue
        day = published
        opening = _OPENING.match(sentence)
        if opening:
            day = _day_of(opening.group("when"), published)
            sentence = sentence[opening.end() :]
        else:
            inner = _INNER_WEEKDAY.search(sentence)
            if inner and not _AHEAD.search(sentence[: inner.start()]):
                day = _weekday_on_or_before(inner.group("day"), published)
                sentence = sentence[: inner.start()] + sentence[inner.end() :]
        if sentence[:1] in _QUOTE_OPENERS:
            turned = _turn_quote(sentence)
            if turned is None:
                continue
            sentence = turned
        if not _complete(sentence):
            continue
        return Shaped(_lower_first(_simple_past(sentence), names), day, span)
    return None


def main_sentence(text: str) -> tuple[str, tuple[int, int]] | None:
    """The item's lead as a bullet would carry it (dateline and date opening dropped, a
    quote turned round), and the span of its source sentence; None without one."""
    shaped = shape(text, date.today())
    return (shaped.body, shaped.span) if shaped else None


def bullet(related: Related) -> Bullet | None:
    """The bullet for one related item; None when it has no complete sentence."""
    item = related.item
    shaped = shape(item.english, item.published, tuple(item.entities))
    if shaped is None:
        return None
    return Bullet(
        f"On {dateline(shaped.day)}, {shaped.body}",
        item.id,
        item.source,
        item.published,
        item.url,
        shaped.span,
        score=related.score,
        shared_terms=related.shared_terms,
        shared_entities=related.shared_entities,
        day=shaped.day,
    )
