"""Names in Ukrainian and Russian news: people, places and organisations, found by rules
over pymorphy3's parses and rendered in English (issue 25, the core; no model).

`find_entities(text, language)` returns one `Entity` per document per lemma key, with
every span (code-point offsets into `text`) of every inflected form: Зеленського,
Зеленському and Зеленський are one person, `зеленський`, with three spans.

Candidates (docs/research/entity-layer.md has the measurements behind each rule):

* Capitalised Cyrillic words anywhere in a sentence. A sentence-initial word (or the first
  word of a long «quotation») counts when it is in the names glossary, when a parse has a
  person tag (Name/Surn/Patr) and no common-word reading, when it has a Russian place or
  organisation tag, or when its lemma recurs as a name mid-sentence in the document.
* Runs of adjacent capitalised words that agree in case: first name + patronymic +
  surname, "В. Зеленський" (initials + surname) and "Зеленський Володимир Олександрович"
  are one person span; the key is the surname's lemma. A double surname with a hyphen is
  one word ("Римського-Корсакова" → римський-корсаков).
* The names glossary (glossaries/names_en.tsv) by lemma: every parse's normal form is
  searched, not the first (Ukrainian parse order means nothing: Києві is first "Кий", a
  person), plus the word itself and its ending swapped for a nominative one (Сибізі,
  Сибігою → сибіга: recent names the dictionary does not know). Multi-word entries
  ("Верховної Ради", "Генерального штабу") match word by word.
* Russian Geox/Orgn tags. The Ukrainian dictionary has none, so a capitalised mid-sentence
  Ukrainian noun whose dictionary paradigm has no plural (Лондоні, Ірпені, Шотландія: a
  proper place; Університеті, Асоціації have plurals and are common nouns) is a place,
  and a capitalised word the dictionary does not know is a name (a place after в/у/на…,
  otherwise a person).
* Not candidates: lower-case words ("надія" = hope), a name that is also a common word
  (Надія, Віра, Слава, Роман) standing alone — it is a name beside a surname ("Надія
  Савченко") or when its lemma is a name elsewhere in the document — capitalised known
  common nouns and adjectives (Президент, Канадської), and all-capital acronyms that are
  not in the glossary (services/translator/terms.py keeps those in their script).

Rendering: the glossary's English first (Zelensky, Moscow, NATO); else the lemma
transliterated and title-cased per word and per hyphenated part: Ukrainian by KMU 2010
(translitua `UkrainianKMU`, the official system AP, Reuters and the BBC use for places),
Russian by iuliia's `WIKIPEDIA` scheme. Wikipedia rather than BGN/PCGN because it is what
English-language news prints for Russian names (Dmitry, Yury, Solovyov, Zelensky: -ий as
-y, ё as yo, е after a vowel as ye), while iuliia's BGN/PCGN gives Dmitriy and leaves ё in
Cyrillic; every lemma is transliterated from lower case, so all-caps input never becomes
"ShOYGU". Patronymics are dropped (English news never prints them); initials are kept.
No rendering holds a Cyrillic letter (asserted).

`how` says where a rendering came from: "glossary", "KMU 2010" or "Wikipedia" (iuliia's
scheme of that name); `evidence` says why the words are a name ("glossary", "person tag",
"place tag", "org tag", "no-plural noun", "unknown word", "recurs"), so a caller can mask
only what it trusts (a foreign place the dictionary knows, Парижі, transliterates as
Paryzh: a translation model does better with it).

The analysers are loaded once per language on first use (thread-safe); each word's
parses are cached (functools.lru_cache). Pure Python, no model.
"""

from __future__ import annotations

import bisect
import itertools
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from services.common.text.glossary import MAX_EXTRA_ENTRIES, GlossaryError, check_term
from services.common.text.segment import document_spans

DEFAULT_NAMES = Path(__file__).resolve().parent / "glossaries" / "names_en.tsv"
LANGUAGES = ("uk", "ru")
KINDS = ("person", "place", "org")
HOW_GLOSSARY = "glossary"
HOW = {"uk": "KMU 2010", "ru": "Wikipedia"}

_CYRILLIC = re.compile(r"[\u0400-\u052f]")
_LATIN = re.compile(r"[A-Za-z]")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'"})
# Letters, with the stress marks and soft hyphens news text carries inside words
# (Зеле́нський; a decomposed й is и + U+0306): one word, read without them.
_LETTERS = r"[^\W\d_](?:[^\W\d_]|[\u0300-\u036f\u00ad])*"
_MARKS = re.compile("[\u0301\u0300\u00ad]")
_WORD = re.compile(rf"{_LETTERS}(?:['’ʼ]{_LETTERS})*(?:-{_LETTERS}(?:['’ʼ]{_LETTERS})*)*")
# Spaces, no-break and thin spaces between the words of one name: never a line break
# (a byline's name and the next paragraph's first word are two people).
_GAP = re.compile(r"[ \t\u00a0\u2007\u2009\u202f]{1,3}")
# The most words of a names-glossary lemma (Міністерство оборони України: 3).
MAX_NAME_WORDS = 6
# A document with more capitalised Cyrillic words than this is not news: the layer
# finds nothing in it rather than spend seconds of CPU (news runs to a few hundred).
MAX_CANDIDATES = 5000
# The most words one person's name runs to (first name, patronymic, surname, an initial).
MAX_RUN = 4
_OPEN_QUOTES = '«„“"'
_CLOSE_QUOTES = '»“”"'
# A quotation longer than this is speech (its first word is a sentence start); a shorter
# one is a name in quotes («Укренерго», бригада «Азов»).
_SPEECH_WORDS = 4

_PERSON_TAGS = frozenset({"Name", "Surn", "Patr"})
_PROPER_TAGS = _PERSON_TAGS | {"Geox", "Orgn", "Init", "Abbr"}
_FUNCTION_POS = frozenset(
    {"NPRO", "PREP", "CONJ", "PRCL", "INTJ", "ADVB", "PRED", "NUMR", "COMP", "VERB", "INFN"}
)
_CASES = frozenset({"nomn", "gent", "datv", "accs", "ablt", "loct", "voct"})
_ALL_CASES = _CASES | {"gen2", "acc2", "loc2", "gen1", "loc1"}
# Prepositions after which a word that is both a person and a place is the place, with
# the cases a place takes after them ("з Германом" is "with Herman": instrumental).
_GEN, _LOC, _ACC, _INS = {"gent", "gen2"}, {"loct", "loc2"}, {"accs", "acc2"}, {"ablt"}
_LOCATIVE: dict[str, dict[str, frozenset[str]]] = {
    "uk": {
        **dict.fromkeys("в у на".split(), frozenset(_LOC | _ACC)),
        **dict.fromkeys("під над між поза".split(), frozenset(_INS | _ACC)),
        **dict.fromkeys("біля поблизу до від з із зі".split(), frozenset(_GEN)),
        "через": frozenset(_ACC),
    },
    "ru": {
        **dict.fromkeys("в во на".split(), frozenset(_LOC | _ACC)),
        **dict.fromkeys("под над между".split(), frozenset(_INS | _ACC)),
        **dict.fromkeys("около возле близ до от из".split(), frozenset(_GEN)),
        "через": frozenset(_ACC),
    },
}
# Nominative endings a glossary lemma may have, by the oblique ending of a word: a lookup
# fallback for names the dictionary does not know (only ever looked up in the glossary).
_SWAPS = {
    language: tuple(tuple(pair.split(":")) for pair in table.split())
    for language, table in {
        "uk": "ого:ий ому:ий им:ий ім:ий ою:а ею:я єю:я зі:га ці:ка сі:ха ові: еві: єві:й"
        " ом: ем: и:а і:а у:а ю:я і:я а: у: я:ь ю:ь і: е: о:а",
        "ru": "ого:ий ому:ий ым:ый им:ий ом:ый ой:а ою:а ей:я ы:а и:а е:а у:а ю:я а: у: ом: е: ем:",
    }.items()
}
_PARTICLES = frozenset("von van der den de da di del la le bin al ibn".split())


# ------------------------------------------------------------------ the glossary


@dataclass(frozen=True)
class NamesEntry:
    """One name: `lemma` (in `language`, lower case) is written `english`."""

    language: str
    lemma: str
    english: str
    kind: str
    source: str = ""

    @property
    def surname(self) -> str:
        """A person's English surname (the last word, with a lowercase particle before
        it: "von der Leyen"); the whole rendering for places and organisations."""
        words = self.english.split()
        if self.kind != "person" or len(words) < 2:
            return self.english
        start = len(words) - 1
        while start > 1 and words[start - 1] in _PARTICLES:
            start -= 1
        return " ".join(words[start:])


def _norm(word: str) -> str:
    """How a word or lemma is looked up: lower case, one kind of apostrophe, composed
    (и + U+0306 = й), without stress marks or soft hyphens."""
    return _MARKS.sub("", unicodedata.normalize("NFC", word)).translate(_APOSTROPHES).lower()


def check_entry(entry: NamesEntry, field: str) -> None:
    """Refuse a name that could match empty text or nearly everything, or whose English
    is unusable: a lemma of other than Cyrillic letters, a word under 2 letters, a lemma that is a function word (в, на, він: every sentence has one),
    an English rendering with a Cyrillic letter."""
    if entry.language not in LANGUAGES:
        raise GlossaryError(f"{field}.language", f"{entry.language!r} is not uk or ru")
    if entry.kind not in KINDS:
        raise GlossaryError(f"{field}.kind", f"{entry.kind!r} is not person, place or org")
    check_term(entry.lemma, f"{field}.lemma")
    check_term(entry.english, f"{field}.english")
    if entry.lemma != _norm(entry.lemma):
        raise GlossaryError(f"{field}.lemma", "must be lower case (as pymorphy3 gives it)")
    words = entry.lemma.split()
    if entry.lemma != " ".join(words):
        raise GlossaryError(f"{field}.lemma", "words must be separated by single plain spaces")
    if len(words) > MAX_NAME_WORDS:
        raise GlossaryError(f"{field}.lemma", f"more than {MAX_NAME_WORDS} words")
    for word in words:
        if not re.fullmatch(rf"{_WORD.pattern}", word) or not _CYRILLIC.search(word):
            raise GlossaryError(f"{field}.lemma", f"{word!r} is not a Cyrillic word")
        if _LATIN.search(word) or sum(ch.isalpha() for ch in word) < 2:
            raise GlossaryError(f"{field}.lemma", f"{word!r} needs 2 or more Cyrillic letters")
    if len(words) == 1 and _is_function_word(entry.language, entry.lemma):
        raise GlossaryError(f"{field}.lemma", f"{entry.lemma!r} is a function word")
    if _CYRILLIC.search(entry.english):
        raise GlossaryError(f"{field}.english", "holds a Cyrillic letter")


@dataclass(frozen=True)
class NamesGlossary:
    """The desk's names: established English spellings by language and lemma."""

    entries: tuple[NamesEntry, ...]

    @classmethod
    def from_tsv(cls, path: Path) -> NamesGlossary:
        """Names from a `language<TAB>lemma<TAB>english<TAB>kind<TAB>source` file ('#'
        comments and a header line starting "language" allowed); a bad line raises
        GlossaryError naming it."""
        entries: list[NamesEntry] = []
        seen: dict[tuple[str, str], int] = {}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#") or line.startswith("language\t"):
                continue
            cells = line.split("\t")
            where = f"{path.name}:{number}"
            if len(cells) < 4:
                raise GlossaryError(where, "needs language<TAB>lemma<TAB>english<TAB>kind")
            language, lemma, english, kind = (c.strip() for c in cells[:4])
            source = cells[4].strip() if len(cells) > 4 else ""
            entry = NamesEntry(language, lemma, english, kind, source)
            check_entry(entry, where)
            key = (entry.language, entry.lemma)
            if key in seen:
                raise GlossaryError(
                    where, f"{entry.lemma!r} is given twice (also line {seen[key]})"
                )
            seen[key] = number
            entries.append(entry)
        return cls(tuple(entries))

    def merged(self, extra: Sequence[NamesEntry]) -> NamesGlossary:
        """These names with `extra` on top (an extra name for a known lemma wins)."""
        replaced = {(e.language, e.lemma) for e in extra}
        kept = tuple(e for e in self.entries if (e.language, e.lemma) not in replaced)
        return NamesGlossary(kept + tuple(extra))

    @cached_property
    def _single(self) -> dict[tuple[str, str], NamesEntry]:
        return {(e.language, e.lemma): e for e in self.entries if " " not in e.lemma}

    @cached_property
    def _multi(self) -> dict[str, list[tuple[tuple[frozenset[str], ...], NamesEntry]]]:
        """Multi-word entries per language, longest first; each word as the set of forms
        a text word may reduce to (an adjective's masculine normal form too)."""
        out: dict[str, list[tuple[tuple[frozenset[str], ...], NamesEntry]]] = {}
        for e in sorted(self.entries, key=lambda e: -len(e.lemma.split())):
            if " " in e.lemma:
                keys = tuple(_entry_word_keys(e.language, w) for w in e.lemma.split())
                out.setdefault(e.language, []).append((keys, e))
        return out

    def lookup(self, language: str, forms: Iterable[str]) -> NamesEntry | None:
        """The first single-word entry among `forms` (lemmas, in order of preference)."""
        for form in forms:
            entry = self._single.get((language, form))
            if entry is not None:
                return entry
        return None

    def multi(self, language: str) -> list[tuple[tuple[frozenset[str], ...], NamesEntry]]:
        """Multi-word entries of `language`, longest first."""
        return self._multi.get(language, [])

    @cached_property
    def _multi_by_first(
        self,
    ) -> dict[tuple[str, str], list[tuple[tuple[frozenset[str], ...], NamesEntry]]]:
        """Multi-word entries by (language, a form their first word may reduce to)."""
        out: dict[tuple[str, str], list[tuple[tuple[frozenset[str], ...], NamesEntry]]] = {}
        for language, phrases in self._multi.items():
            for keys, entry in phrases:
                for key in keys[0]:
                    out.setdefault((language, key), []).append((keys, entry))
        return out

    def multi_from(
        self, language: str, forms: Iterable[str]
    ) -> list[tuple[tuple[frozenset[str], ...], NamesEntry]]:
        """The multi-word entries whose first word one of `forms` matches, longest first."""
        found: dict[int, tuple[tuple[frozenset[str], ...], NamesEntry]] = {}
        for form in forms:
            for item in self._multi_by_first.get((language, form), []):
                found[id(item[1])] = item
        return sorted(found.values(), key=lambda item: -len(item[0]))


@lru_cache(maxsize=1)
def default_glossary() -> NamesGlossary:
    """The shipped names glossary (glossaries/names_en.tsv), loaded once."""
    return NamesGlossary.from_tsv(DEFAULT_NAMES)


def check_extra_names(
    items: Iterable[NamesEntry | tuple[str, str] | tuple[str, str, str]],
    language: str,
    prefix: str = "extra_names",
) -> list[NamesEntry]:
    """Per-request names, validated: (lemma, english[, kind]) tuples (kind defaults to
    person) or NamesEntry; GlossaryError (a ValueError) names the first bad one."""
    entries: list[NamesEntry] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        if i >= MAX_EXTRA_ENTRIES:
            raise GlossaryError(prefix, f"more than {MAX_EXTRA_ENTRIES} entries")
        if isinstance(item, NamesEntry):
            entry = item
        else:
            if not isinstance(item, tuple) or len(item) not in (2, 3):
                raise GlossaryError(f"{prefix}[{i}]", "needs (lemma, english[, kind])")
            if not all(isinstance(cell, str) for cell in item):
                raise GlossaryError(f"{prefix}[{i}]", "lemma, english and kind are strings")
            kind = item[2] if len(item) == 3 else "person"
            entry = NamesEntry(language, item[0], item[1], kind, "per-request")
        if entry.language != language:
            raise GlossaryError(f"{prefix}[{i}].language", f"is not the text's {language!r}")
        check_entry(entry, f"{prefix}[{i}]")
        if entry.lemma in seen:
            raise GlossaryError(f"{prefix}[{i}].lemma", f"{entry.lemma!r} is given twice")
        seen.add(entry.lemma)
        entries.append(entry)
    return entries


# ------------------------------------------------------------------ the analysers

_LOCK = threading.Lock()
_ANALYSERS: dict[str, Any] = {}


def analyser(language: str) -> Any:
    """pymorphy3's MorphAnalyzer for `language`, created once (thread-safe)."""
    morph = _ANALYSERS.get(language)
    if morph is None:
        with _LOCK:
            morph = _ANALYSERS.get(language)
            if morph is None:
                import pymorphy3

                morph = pymorphy3.MorphAnalyzer(lang=language)
                _ANALYSERS[language] = morph
    return morph


@dataclass(frozen=True)
class _Reading:
    lemma: str  # normal form; a Russian feminine surname's feminine nominative
    pos: str
    tags: frozenset[str]
    known: bool
    cases: frozenset[str]
    gender: str


@dataclass(frozen=True)
class _Word:
    """What the rules need to know about one word (lower case), from all its parses."""

    readings: tuple[_Reading, ...]
    lookups: tuple[str, ...]  # glossary lookup order: the word, nouns' lemmas, swaps
    reduces_to: frozenset[str]  # every form and lemma (multi-word glossary entries)
    surname: bool
    name: bool
    patronymic: bool
    place: str  # lemma of a place reading (ru Geox; uk no-plural noun), or ""
    place_cases: frozenset[str]  # the cases of the place readings
    org: str  # lemma of a ru Orgn reading, or ""
    unknown: bool  # no parse from the dictionary
    common: bool  # a common-noun (one with a plural) or function-word reading
    thing: bool  # an inanimate common-noun reading, plural or not (слава, надія)

    @property
    def person(self) -> bool:
        return self.surname or self.name or self.patronymic

    @property
    def ambiguous(self) -> bool:
        """A name that is also a common word (Надія, Слава, Віра)."""
        return self.person and (self.common or self.thing)

    def person_cases(self) -> frozenset[str]:
        if self.unknown:
            return _ALL_CASES
        cases: set[str] = set()
        for r in self.readings:
            if r.tags & _PERSON_TAGS:
                cases |= r.cases
        return frozenset(cases)

    def person_lemmas(self, gender: str = "", cases: frozenset[str] = _ALL_CASES) -> list[str]:
        """Lemma candidates as a person: surname readings first, then first names and
        patronymics, then (unknown words) any noun reading; of `gender` and in one of
        `cases` first (Ларрі Нассара: the man Нассар, not the woman Нассара)."""
        ranked: list[tuple[bool, bool, int, int, str]] = []
        for n, r in enumerate(self.readings):
            if "Surn" in r.tags:
                rank = 0
            elif "Name" in r.tags:
                rank = 1
            elif "Patr" in r.tags:
                rank = 2
            elif self.unknown and r.pos == "NOUN":
                rank = 3
            else:
                continue
            mismatch = bool(gender and r.gender and r.gender != gender)
            disagrees = bool(r.cases) and not r.cases & cases
            ranked.append((disagrees, mismatch, rank, n, r.lemma))
        return _unique([lemma for *_, lemma in sorted(ranked)])


def _unique(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out


def _is_function_word(language: str, word: str) -> bool:
    parses = analyser(language).parse(word)
    return any(p.is_known and p.tag.POS in _FUNCTION_POS for p in parses) and not any(
        p.tag.POS == "NOUN" and p.is_known for p in parses
    )


def _entry_word_keys(language: str, word: str) -> frozenset[str]:
    """One word of a multi-word glossary lemma: itself and, for an adjective, its
    masculine normal form (Верховної → верховний matches "верховна")."""
    keys = {word}
    for p in analyser(language).parse(word):
        if p.tag.POS in ("ADJF", "PRTF"):
            keys.add(p.normal_form.translate(_APOSTROPHES))
    return frozenset(keys)


def _no_plural(parse: Any) -> bool:
    """A noun whose dictionary paradigm has no plural: a proper place (Лондон, Ірпінь,
    Шотландія) rather than a common noun (університет, асоціація)."""
    if "Pltm" in parse.tag:
        return True
    try:
        return not any("plur" in form.tag for form in parse.lexeme)
    except Exception:  # a guessed paradigm pymorphy3 cannot expand
        return False


def _lexeme_has(parse: Any, grammeme: str) -> bool:
    try:
        return any(grammeme in form.tag for form in parse.lexeme)
    except Exception:
        return False


def _feminine_nominative(parse: Any, word: str) -> str:
    """A Russian woman's surname in the nominative (Захаровой → захарова; each part of
    a double surname: Волковой-Сидоренко → волкова-сидоренко)."""
    if "nomn" in parse.tag:
        return word
    if "-" in word:
        parts = []
        for part in word.split("-"):
            femn = [
                q for q in analyser("ru").parse(part) if {"Surn", "femn"} <= set(q.tag.grammemes)
            ]
            inflected = femn[0].inflect({"nomn"}) if femn else None
            parts.append(inflected.word if inflected is not None else part)
        return "-".join(parts)
    nominative = parse.inflect({"nomn"})
    return str(nominative.word) if nominative is not None else str(parse.normal_form)


@lru_cache(maxsize=16384)
def _word(language: str, word: str) -> _Word:
    """Everything the rules use about `word` (lower case, apostrophes normalised)."""
    parses = analyser(language).parse(word)
    readings: list[_Reading] = []
    place = org = ""
    place_cases: set[str] = set()
    thing = False
    # Шведської, Канадської: an adjective of a name, never a place by the no-plural rule.
    # Parse.is_known is a dictionary lookup each time it is read, and depends on the
    # form alone (the same for most parses of a word): read once per form.
    known_forms: dict[str, bool] = {}

    def is_known(p: Any) -> bool:
        if p.word not in known_forms:
            known_forms[p.word] = bool(p.is_known)
        return known_forms[p.word]

    adjective = any(is_known(p) and p.tag.POS in ("ADJF", "PRTF") for p in parses)
    common = False
    for p in parses:
        tags = frozenset(p.tag.grammemes)
        pos = str(p.tag.POS or "")
        lemma = p.normal_form.translate(_APOSTROPHES)
        gender = next((g for g in ("masc", "femn", "neut") if g in tags), "")
        if language == "ru" and "Surn" in tags and gender == "femn":
            # pymorphy3's Russian lemma of Захаровой is захаров: the woman is Захарова.
            lemma = _feminine_nominative(p, word)
        known = is_known(p)
        readings.append(_Reading(lemma, pos, tags, known, tags & _ALL_CASES, gender))
        if not known:
            continue
        if pos in _FUNCTION_POS:
            common = True
        if language == "ru":
            if "Geox" in tags and place in ("", lemma):
                place = lemma
                place_cases.update(tags & _ALL_CASES)
            if "Orgn" in tags and not org:
                org = lemma
        if pos == "NOUN" and not tags & _PROPER_TAGS:
            singular = _no_plural(p)
            thing = thing or "inan" in tags
            if "anim" in tags and _lexeme_has(p, "Name"):
                # Володимир, Богдан: the nominative lacks the Name tag its other forms have.
                readings[-1] = _Reading(
                    lemma, pos, tags | {"Name"}, True, tags & _ALL_CASES, gender
                )
            elif "inan" in tags and singular:
                if language == "uk" and place in ("", lemma) and not adjective:
                    place = lemma
                    place_cases.update(tags & _ALL_CASES)
            elif not singular:
                common = True
    known = any(r.known for r in readings)
    nouns = [r.lemma for r in readings if r.pos not in ("ADJF", "PRTF", "VERB", "INFN")]
    swaps = [
        word[: -len(end)] + new
        for end, new in _SWAPS[language]
        if word.endswith(end) and len(word) - len(end) >= 3
    ]
    return _Word(
        readings=tuple(readings),
        lookups=tuple(_unique([word, *nouns, *swaps])),
        reduces_to=frozenset([word, *(r.lemma for r in readings)]),
        surname=any("Surn" in r.tags for r in readings),
        name=any("Name" in r.tags for r in readings),
        patronymic=any("Patr" in r.tags for r in readings),
        place=place,
        place_cases=frozenset(place_cases),
        org=org,
        unknown=not known,
        common=common,
        thing=thing,
    )


# ------------------------------------------------------------------ transliteration


def _title(text: str) -> str:
    """Each word and hyphenated part with a capital first letter (Rymskyi-Korsakov)."""
    return " ".join(
        "-".join(part[:1].upper() + part[1:] for part in word.split("-")) for word in text.split()
    )


@lru_cache(maxsize=16384)
def transliterate(lemma: str, language: str) -> str:
    """`lemma` in Latin letters, title-cased: Ukrainian by KMU 2010 (translitua), Russian
    by iuliia's WIKIPEDIA scheme; letters of the other language that are left over go
    through the other scheme. Never returns a Cyrillic letter."""
    import iuliia
    from translitua import UkrainianKMU, translit

    text = _norm(lemma).replace("'", "")
    ukrainian = lambda s: translit(s, UkrainianKMU)  # noqa: E731
    russian = iuliia.WIKIPEDIA.translate
    first, second = (ukrainian, russian) if language == "uk" else (russian, ukrainian)
    out = first(text)
    if _CYRILLIC.search(out):
        out = second(out)
    out = _CYRILLIC.sub("", out)
    out = _title(out.replace("'", "").replace("’", ""))
    assert not _CYRILLIC.search(out), out
    return out


# ------------------------------------------------------------------ the finder


@dataclass(frozen=True)
class Entity:
    """One person, place or organisation of a document.

    `english` is the one rendering (a person's fullest form seen: "Volodymyr Zelensky"
    rather than "Zelensky"); `spans` every source span, in order, as (start, end)
    code-point offsets, and `renderings` each span's own rendering (the surname alone
    where the text has the surname alone); `lemma` the key (a person's surname lemma)."""

    kind: str
    english: str
    how: str
    lemma: str
    spans: tuple[tuple[int, int], ...]
    renderings: tuple[str, ...] = ()
    evidence: str = ""


@dataclass
class _Token:
    start: int
    end: int
    text: str
    cyrillic: bool
    capital: bool
    caps: bool
    initial_letter: bool  # "В." (the dot is not part of the token)
    sentence_start: bool = False
    language: str = ""  # set by find_entities: the parses are read in this language

    @property
    def key(self) -> str:
        return _norm(self.text)

    @property
    def word(self) -> _Word | None:
        """The parses of a Cyrillic token (None for others), read on first use: most
        words of a text are never looked at (only capitalised words and their
        neighbours are), and a first parse costs ~2 ms (cached per word)."""
        if not self.cyrillic or not self.language:
            return None
        return _word(self.language, self.key)


@dataclass
class _Mention:
    start: int
    end: int
    kind: str
    candidates: list[str]  # lemma keys, in order of preference
    evidence: str
    strong: bool
    entry: NamesEntry | None = None
    # For a person run: the rendering pieces before and after the surname.
    given: list[str] = field(default_factory=list)
    initials: list[str] = field(default_factory=list)


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for m in _WORD.finditer(text):
        word = m.group(0)
        letters = [ch for ch in word if ch.isalpha()]
        cyrillic = bool(_CYRILLIC.search(word)) and not _LATIN.search(word)
        initial = len(word) == 1 and word.isupper() and m.end() < len(text) and text[m.end()] == "."
        tokens.append(
            _Token(
                m.start(),
                m.end(),
                word,
                cyrillic,
                word[0].isupper(),
                len(letters) > 1 and all(ch.isupper() for ch in letters),
                initial and cyrillic,
            )
        )
    return tokens


def _mark_sentence_starts(text: str, tokens: list[_Token]) -> None:
    """A token is a sentence start when only punctuation lies between it and its
    sentence's start, or it opens a long quotation (direct speech)."""
    starts = sorted(span.start for span in document_spans(text))
    i = 0
    for start in starts:
        while i < len(tokens) and tokens[i].start < start:
            i += 1
        if i < len(tokens) and not any(ch.isalnum() for ch in text[start : tokens[i].start]):
            tokens[i].sentence_start = True
    # Where each closing quote stands and where each token starts, so that each token
    # after an opening quote costs two binary searches, not a scan of the rest.
    closes = [i for i, ch in enumerate(text) if ch in _CLOSE_QUOTES]
    token_starts = [t.start for t in tokens]
    for n, tok in enumerate(tokens):
        before = tok.start - 1
        while before >= 0 and text[before].isspace():
            before -= 1
        if before < 0 or text[before] not in _OPEN_QUOTES:
            continue
        k = bisect.bisect_left(closes, tok.start)
        if k == len(closes):  # never closed: direct speech running on
            tok.sentence_start = True
            continue
        words = bisect.bisect_left(token_starts, closes[k]) - n
        if words > _SPEECH_WORDS:
            tok.sentence_start = True


def _adjacent(text: str, left: _Token, right: _Token) -> bool:
    """True when only a few spaces (or an initial's dot) lie between two words."""
    gap = text[left.end : right.start]
    if left.initial_letter:
        gap = gap[1:] if gap.startswith(".") else "x"
        return gap == "" or _GAP.fullmatch(gap) is not None
    return _GAP.fullmatch(gap) is not None


def _after_number(text: str, tok: _Token) -> bool:
    """A word right after a number ("100 Мбіт") is a unit."""
    return re.search(r"\d\s?$", text[max(0, tok.start - 2) : tok.start]) is not None


def _after_locative(tokens: list[_Token], n: int, text: str, language: str) -> bool:
    """The word follows a preposition that takes a place in one of its cases (у Києві,
    до Лондона; not "з Германом", with Herman)."""
    cases = _LOCATIVE[language].get(_previous_word(tokens, n, text))
    w = tokens[n].word
    return bool(
        cases and w is not None and w.place and (w.place_cases & cases or not w.place_cases)
    )


def _previous_word(tokens: list[_Token], n: int, text: str) -> str:
    if n == 0 or not _adjacent(text, tokens[n - 1], tokens[n]):
        return ""
    return tokens[n - 1].key


def find_entities(
    text: str,
    language: str,
    glossary: NamesGlossary | None = None,
    extra_names: Iterable[NamesEntry | tuple[str, str] | tuple[str, str, str]] = (),
) -> list[Entity]:
    """The people, places and organisations of a uk or ru document, one Entity per
    lemma key (every inflected form's spans merged), in order of first mention.
    `glossary` defaults to the shipped names glossary; `extra_names` (per-request
    (lemma, english[, kind]) names, validated: ValueError for one that could match empty
    text or nearly everything) win over it."""
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r} is not uk or ru")
    names = glossary if glossary is not None else default_glossary()
    extra = check_extra_names(extra_names, language)
    if extra:
        names = names.merged(extra)
    tokens = _tokens(text)
    candidates = sum(t.cyrillic and t.capital for t in tokens)
    if not candidates or candidates > MAX_CANDIDATES:
        return []
    _mark_sentence_starts(text, tokens)
    for tok in tokens:
        tok.language = language
    mentions: list[_Mention] = []
    used: set[int] = set()
    _glossary_phrases(text, tokens, language, names, mentions, used)
    _person_runs(text, tokens, language, names, mentions, used)
    _singles(text, tokens, language, names, mentions, used)
    return _group(mentions, language, names)


def _glossary_phrases(
    text: str,
    tokens: list[_Token],
    language: str,
    names: NamesGlossary,
    mentions: list[_Mention],
    used: set[int],
) -> None:
    """Multi-word glossary entries (Верховної Ради, Генерального штабу)."""
    if not names.multi(language):
        return
    for n, tok in enumerate(tokens):
        if n in used or not (tok.cyrillic and tok.capital) or tok.word is None:
            continue
        for keys, entry in names.multi_from(language, tok.word.reduces_to):
            end = n + len(keys)
            if end > len(tokens) or any(i in used for i in range(n, end)):
                continue
            run = tokens[n:end]
            if not all(t.cyrillic for t in run):
                continue
            if not all(_adjacent(text, a, b) for a, b in itertools.pairwise(run)):
                continue
            if all(
                t.word is not None and t.word.reduces_to & k for t, k in zip(run, keys, strict=True)
            ):
                mentions.append(
                    _Mention(
                        tok.start, run[-1].end, entry.kind, [entry.lemma], "glossary", True, entry
                    )
                )
                used.update(range(n, end))
                break


def _lookup(names: NamesGlossary, language: str, tok: _Token) -> NamesEntry | None:
    assert tok.word is not None
    return names.lookup(language, tok.word.lookups)


def _name_shaped(tok: _Token) -> bool:
    """Not a unit (ГГц, МВт: a capital inside a word) nor a hyphenated common noun
    (Прем’єр-міністерка: a lower-case part after the hyphen)."""
    if tok.caps:
        return True
    parts = tok.text.split("-")
    if any(ch.isupper() for part in parts for ch in part[1:]):
        return False
    return not any(len(part) >= 3 and part[0].islower() for part in parts[1:])


def _adjective_of_phrase(
    text: str, tokens: list[_Token], n: int, language: str, names: NamesGlossary
) -> bool:
    """A capitalised adjective before a capitalised common noun: the first word of an
    organisation's or a place's name (Червоного Хреста), not a surname."""
    w = tokens[n].word
    if w is None or not any(r.known and r.pos in ("ADJF", "PRTF") for r in w.readings):
        return False
    if n + 1 >= len(tokens) or not _adjacent(text, tokens[n], tokens[n + 1]):
        return False
    nxt = tokens[n + 1]
    if not (nxt.cyrillic and nxt.capital) or nxt.word is None or nxt.caps:
        return False
    return nxt.word.common and not nxt.word.person and _lookup(names, language, nxt) is None


def _adjective_surname(tokens: list[_Token], n: int, cases: frozenset[str]) -> bool:
    """A capitalised adjective right after a first name, in its case: a surname the
    dictionary knows only as an adjective (Юлия Навальная)."""
    tok = tokens[n]
    if not (tok.cyrillic and tok.capital) or tok.caps or tok.word is None:
        return False
    if tok.word.common or tok.word.person:
        return False
    return any(r.known and r.pos == "ADJF" and r.cases & cases for r in tok.word.readings)


def _adjective_nominative(language: str, word: str, gender: str) -> str:
    """An adjectival surname in the nominative of its gender (Навальной → навальная)."""
    for p in analyser(language).parse(word):
        if p.tag.POS == "ADJF" and (not gender or gender in p.tag):
            inflected = p.inflect({"nomn", gender} if gender else {"nomn"})
            if inflected is not None:
                return str(inflected.word).translate(_APOSTROPHES)
    return word


def _info(tok: _Token) -> _Word:
    """The parses of a Cyrillic token (set by find_entities before the rules run)."""
    assert tok.word is not None
    return tok.word


def _person_capable(
    text: str, tokens: list[_Token], n: int, language: str, names: NamesGlossary
) -> bool:
    """Can this word be part of a person's name (first name, patronymic, surname)?"""
    tok = tokens[n]
    if not (tok.cyrillic and tok.capital) or tok.word is None:
        return False
    if tok.initial_letter:
        return True
    entry = _lookup(names, language, tok)
    if entry is not None:
        return entry.kind == "person"
    w = tok.word
    if not _name_shaped(tok) or _adjective_of_phrase(text, tokens, n, language, names):
        return False
    if tok.sentence_start and w.common and not w.name:
        return False  # "Співак Раджу Хандельвал": the singer, not a surname
    if tok.caps and not w.surname:
        return False
    if _after_locative(tokens, n, text, language):
        return False
    if language == "ru" and w.org and not w.person:
        return False
    return w.person or w.unknown


def _person_runs(
    text: str,
    tokens: list[_Token],
    language: str,
    names: NamesGlossary,
    mentions: list[_Mention],
    used: set[int],
) -> None:
    """Adjacent capitalised words that agree in case and hold a surname, a patronymic,
    an initial or a glossary person: one person."""
    n = 0
    while n < len(tokens):
        if n in used or not _person_capable(text, tokens, n, language, names):
            n += 1
            continue
        run = [n]
        cases = _ALL_CASES if tokens[n].initial_letter else _info(tokens[n]).person_cases()
        while len(run) < MAX_RUN:
            nxt = run[-1] + 1
            if nxt >= len(tokens) or nxt in used or tokens[nxt].sentence_start:
                break
            if not _adjacent(text, tokens[run[-1]], tokens[nxt]):
                break
            if _complete(tokens, run, nxt, language, names):
                break
            after_name = _info(tokens[run[-1]]).name
            if not _person_capable(text, tokens, nxt, language, names):
                if after_name and _adjective_surname(tokens, nxt, cases):
                    run.append(nxt)
                break
            tok = tokens[nxt]
            if tok.initial_letter and not tokens[run[-1]].initial_letter:
                break  # "Зеленський В." would swallow the next sentence's initial
            more = _ALL_CASES if tok.initial_letter else _info(tok).person_cases()
            glossary_person = _lookup(names, language, tok) is not None
            if not (cases & more) and not glossary_person:
                break
            cases = cases & more or cases
            run.append(nxt)
        mention = _run_mention(tokens, run, language, names, cases) if len(run) > 1 else None
        if mention is None:
            n += 1
            continue
        mentions.append(mention)
        used.update(run)
        n = run[-1] + 1


def _surname_like(tok: _Token, language: str, names: NamesGlossary) -> bool:
    """A glossary person, or a word read as a surname and not as a first name or
    patronymic: the word a person's name ends (or, surname first, starts) with."""
    if tok.initial_letter or tok.word is None:  # an initial, or not a Cyrillic word
        return False
    entry = _lookup(names, language, tok)
    if entry is not None:
        return entry.kind == "person"
    w = tok.word
    return w is not None and w.surname and not w.name and not w.patronymic


def _complete(
    tokens: list[_Token], run: list[int], nxt: int, language: str, names: NamesGlossary
) -> bool:
    """True when the run already names one person and the next word starts another: a
    second surname ("Сергій Лавров Сергій Шойгу": two people), or any word after a
    first name (or initial) followed by a surname."""
    if not any(_surname_like(tokens[i], language, names) for i in run):
        return False
    if _surname_like(tokens[nxt], language, names):
        return True
    ends_with_surname = _surname_like(tokens[run[-1]], language, names)
    return ends_with_surname and not _surname_like(tokens[run[0]], language, names)


def _run_mention(
    tokens: list[_Token],
    run: list[int],
    language: str,
    names: NamesGlossary,
    cases: frozenset[str],
) -> _Mention | None:
    words = [tokens[i] for i in run]
    entries = [None if t.initial_letter else _lookup(names, language, t) for t in words]
    initials = [t for t in words if t.initial_letter]
    full = [t for t in words if not t.initial_letter]
    if not full:
        return None
    ws = [t.word for t in full]
    anchored = (
        any(e is not None for e in entries)
        or bool(initials)
        or any(w is not None and (w.surname or w.patronymic) for w in ws)
        or (any(w is not None and w.name for w in ws) and len(full) >= 2)
    )
    if not anchored:
        return None
    # The surname: a glossary person, else the last word with a surname reading that is
    # not a patronymic, else the last word that is not a patronymic.
    surname_at = next((i for i, e in enumerate(entries) if e is not None), -1)
    if surname_at < 0:
        order = [i for i, t in enumerate(words) if not t.initial_letter]
        surnames = [i for i in order if _info(words[i]).surname and not _info(words[i]).patronymic]
        plain = [i for i in order if not _info(words[i]).patronymic]
        if not plain:
            return None
        first = words[order[0]].word
        rest = [words[i].word for i in order[1:]]
        official = bool(rest) and rest[-1] is not None and rest[-1].patronymic
        plain_order = (
            bool(rest)
            and first is not None
            and not first.name
            and all(w is not None and w.name and not w.surname for w in rest)
        )
        if surnames[:1] == order[:1] and (official or plain_order):
            surname_at = surnames[0]  # "Зеленський Володимир Олександрович"
        else:
            surname_at = (surnames or plain)[-1]
    given_words = [
        t
        for i, t in enumerate(words)
        if i != surname_at
        and not t.initial_letter
        and not (t.word and t.word.patronymic and not t.word.name)
    ]
    gender = _gender(given_words)
    entry = entries[surname_at]
    surname = words[surname_at]
    assert surname.word is not None
    if entry is not None:
        candidates = [entry.lemma]
    else:
        candidates = surname.word.person_lemmas(gender, cases) or [
            _adjective_nominative(language, surname.key, gender)
        ]
    given = [_given_name(t, language, gender, cases) for t in given_words]
    marks = [transliterate(t.text, language)[:2].rstrip() for t in initials]
    marks = [m if len(m) == 2 and m[1].islower() else m[:1] for m in marks]
    return _Mention(
        words[0].start,
        words[-1].end,
        "person",
        candidates,
        "glossary" if entry is not None else "person tag",
        True,
        entry,
        given=given,
        initials=[f"{m}." for m in marks],
    )


def _gender(given: list[_Token]) -> str:
    genders = {
        r.gender
        for t in given
        if t.word is not None
        for r in t.word.readings
        if "Name" in r.tags and r.gender in ("masc", "femn")
    }
    return genders.pop() if len(genders) == 1 else ""


def _given_name(tok: _Token, language: str, gender: str, cases: frozenset[str]) -> str:
    """A first name's rendering: the lemma of its Name reading in the run's case (and
    gender), transliterated (Ерік Рудий: ерік, not the woman's name еріка)."""
    assert tok.word is not None
    ranked = sorted(
        (
            bool(r.cases) and not r.cases & cases,
            bool(gender and r.gender and r.gender != gender),
            r.lemma != tok.key,
            n,
            r.lemma,
        )
        for n, r in enumerate(tok.word.readings)
        if "Name" in r.tags
    )
    lemma = ranked[0][-1] if ranked else tok.key
    if not ranked and not tok.word.unknown:
        nouns = [r.lemma for r in tok.word.readings if r.pos == "NOUN" and "anim" in r.tags]
        lemma = nouns[0] if nouns else tok.key
    return transliterate(lemma, language)


def _singles(
    text: str,
    tokens: list[_Token],
    language: str,
    names: NamesGlossary,
    mentions: list[_Mention],
    used: set[int],
) -> None:
    """One capitalised word: a glossary name, a tagged name, a no-plural noun, an unknown
    word (strong mid-sentence; a sentence start is weak: it needs a strong mention of
    the same lemma)."""
    for n, tok in enumerate(tokens):
        if n in used or not (tok.cyrillic and tok.capital) or tok.initial_letter:
            continue
        w = tok.word
        assert w is not None
        entry = _lookup(names, language, tok)
        if entry is not None:
            mentions.append(
                _Mention(tok.start, tok.end, entry.kind, [entry.lemma], "glossary", True, entry)
            )
            continue
        if not _name_shaped(tok) or _adjective_of_phrase(text, tokens, n, language, names):
            continue
        if tok.caps:
            if w.surname and len(tok.text) >= 4 and not w.common:
                mentions.append(
                    _Mention(tok.start, tok.end, "person", w.person_lemmas(), "person tag", True)
                )
            continue
        mid = not tok.sentence_start
        after_locative = _after_locative(tokens, n, text, language)
        if language == "ru" and w.org and not (w.person and mid):
            mentions.append(_Mention(tok.start, tok.end, "org", [w.org], "org tag", True))
        elif w.place and (after_locative or not w.person or not w.name):
            evidence = "place tag" if language == "ru" else "no-plural noun"
            strong = (language == "ru" or mid or after_locative) and not w.common
            mentions.append(_Mention(tok.start, tok.end, "place", [w.place], evidence, strong))
        elif w.person:
            strong = not w.ambiguous
            mentions.append(
                _Mention(tok.start, tok.end, "person", w.person_lemmas(), "person tag", strong)
            )
        elif w.unknown and not _after_number(text, tok):
            cases = _LOCATIVE[language].get(_previous_word(tokens, n, text), frozenset())
            kind = "place" if any(r.cases & cases for r in w.readings) else "person"
            lemmas = _unique([tok.key, *(r.lemma for r in w.readings if r.pos == "NOUN")])
            mentions.append(_Mention(tok.start, tok.end, kind, lemmas, "unknown word", mid))


def _group(mentions: list[_Mention], language: str, names: NamesGlossary) -> list[Entity]:
    """Mentions → entities: each mention takes the candidate lemma most mentions share
    (Буданова joins Буданов); weak mentions join a strong one's lemma or are dropped."""
    counts: Counter[str] = Counter()
    for m in mentions:
        if m.strong:
            counts.update(set(m.candidates))
    chosen: dict[str, list[tuple[_Mention, str]]] = {}
    for m in sorted(mentions, key=lambda m: m.start):
        if not m.candidates:
            continue
        if m.strong:
            key = max(m.candidates, key=lambda c: (counts[c], -m.candidates.index(c)))
        else:
            shared = [c for c in m.candidates if counts[c]]
            if not shared:
                continue
            key = max(shared, key=lambda c: (counts[c], -shared.index(c)))
            m.evidence = "recurs"
        chosen.setdefault(key, []).append((m, _render(m, key, language)))
    entities: list[Entity] = []
    for key, items in chosen.items():
        entry = next((m.entry for m, _ in items if m.entry is not None), None)
        if entry is None:
            entry = names.lookup(language, [key])
        kinds = Counter(m.kind for m, _ in items)
        kind = entry.kind if entry is not None else kinds.most_common(1)[0][0]
        if entry is None and "person" in kinds and any(m.given for m, _ in items):
            kind = "person"
        rendered = [_render(m, key, language, entry) for m, _ in items]
        english = max(
            rendered, key=lambda r: (". " not in r and not r.endswith("."), len(r.split()))
        )
        evidence = next((m.evidence for m, _ in items if m.strong), items[0][0].evidence)
        entities.append(
            Entity(
                kind=kind,
                english=english,
                how=HOW_GLOSSARY if entry is not None else HOW[language],
                lemma=key,
                spans=tuple((m.start, m.end) for m, _ in items),
                renderings=tuple(rendered),
                evidence=evidence,
            )
        )
    for e in entities:
        assert not any(_CYRILLIC.search(r) for r in (e.english, *e.renderings)), e
    return entities


def _render(m: _Mention, key: str, language: str, entry: NamesEntry | None = None) -> str:
    """One mention's English: the glossary's (a person's surname alone, or the full name
    when the text's first name starts with the same letter), else transliteration."""
    entry = entry or m.entry
    if entry is not None and entry.kind != "person":
        return entry.english
    surname = entry.surname if entry is not None else transliterate(key, language)
    if entry is not None and m.given and not m.initials:
        first = entry.english.split()[0] if entry.english != surname else ""
        if first and first[0].lower() == m.given[0][0].lower():
            return entry.english
    return " ".join([*m.initials, *m.given, surname])
