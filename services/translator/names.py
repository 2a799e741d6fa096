"""The entity layer in the translator: the names of a uk/ru document found
(services/common/text/entities.py), the trusted ones masked through the model like
protected terms and restored with their one English rendering, and every name's source
and target spans reported.

Which names are masked (`NamesMode`): by default (`glossary`) the names with an
established English spelling — the desk's names glossary, the `…_NAMES_FILE` that
replaces it, and a request's `extra_names`. Names rendered by a transliteration
standard alone are found and reported but left to the model unless the server runs
`all`: on the FLORES-200 devtest DEV split (bench/name_finder_bench.py) the glossary's
renderings match the English reference for 80% of names (41/51 uk, 39/52 ru), a
person-tagged name transliterated by KMU 2010 or iuliia's Wikipedia scheme only 19–23%
(37/196 uk, 43/185 ru) — mostly foreign people written in Cyrillic (Джордж Буш), whom a
trained model renders better than a back-transliteration. `off` turns the layer off.

A masked name that the model drops makes the piece retry unmasked (rounds.py); the
unmasked output's spellings of the name under other standards (Zelenskyi, Zelenskiy,
Zelenskyy…) are then rewritten to the one rendering (`unify`), and a rendering still
missing flags the sentence. Pure Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from services.common.config import ConfigError, env_choice, env_str
from services.common.errors import FailedPrecondition
from services.common.text.entities import (
    DEFAULT_NAMES,
    HOW_GLOSSARY,
    Entity,
    NamesEntry,
    NamesGlossary,
    find_entities,
)
from services.common.text.glossary import GlossaryError

LANGUAGES = ("uk", "ru")
PER_REQUEST = "per-request"


class NamesMode(StrEnum):
    """Which names the translator masks through the model."""

    GLOSSARY = "glossary"  # names with an established spelling (glossary, per-request)
    ALL = "all"  # every name found, transliterated ones too
    OFF = "off"  # the layer is off: nothing found, nothing reported


@dataclass(frozen=True)
class NamesPolicy:
    """The server's names: its glossary and what it masks."""

    glossary: NamesGlossary
    mode: NamesMode = NamesMode.GLOSSARY

    def protects(self, entity: Entity) -> bool:
        """True when `entity` is masked through the model."""
        if self.mode is NamesMode.ALL:
            return True
        return entity.how == HOW_GLOSSARY

    def find(self, text: str, language: str, extra: Sequence[NamesEntry]) -> tuple[Entity, ...]:
        """The names of one document (none for a language the layer does not read)."""
        if language not in LANGUAGES:
            return ()
        mine = [e for e in extra if e.language == language]
        glossary = self.glossary.merged(mine) if mine else self.glossary
        return tuple(find_entities(text, language, glossary))


def names_off() -> FailedPrecondition:
    """The error of a request's extra_names on a server whose entity layer is off."""
    return FailedPrecondition(
        "extra_names: the entity layer is off on this server "
        "(NEWSDESK_TRANSLATOR_NAMES=off); send no names or ask its operator",
        reason="NAMES_OFF",
        field="extra_names",
    )


def names_from_env(environ: Mapping[str, str], prefix: str) -> NamesPolicy | None:
    """The names policy: {prefix}NAMES (glossary, all or off) and {prefix}NAMES_FILE (a
    `language<TAB>lemma<TAB>english<TAB>kind<TAB>source` TSV replacing the shipped
    names); None when off. A bad file is a ConfigError naming the variable."""
    mode = NamesMode(
        env_choice(environ, f"{prefix}NAMES", "glossary", {m.value for m in NamesMode})
    )
    if mode is NamesMode.OFF:
        return None
    try:
        import iuliia  # noqa: F401
        import pymorphy3  # noqa: F401
        import translitua  # noqa: F401
    except ImportError as exc:
        raise ConfigError(
            f"{prefix}NAMES={mode.value!r} needs the entity layer's packages ({exc.name} is "
            "missing): pip install 'newsdesk[entities]', or set it to 'off'"
        ) from None
    name = f"{prefix}NAMES_FILE"
    path = Path(env_str(environ, name) or DEFAULT_NAMES)
    try:
        glossary = NamesGlossary.from_tsv(path)
    except OSError as exc:
        raise ConfigError(f"{name}={str(path)!r} cannot be read: {exc.strerror}") from None
    except GlossaryError as exc:
        raise ConfigError(f"{name}={str(path)!r}: {exc}") from None
    return NamesPolicy(glossary, mode)


# ------------------------------------------------------------------ masking


@dataclass(frozen=True)
class NameSpan:
    """A name's span in a piece (piece offsets) and what it is written as."""

    start: int
    end: int
    english: str
    variants: tuple[str, ...]


def piece_names(
    entities: Sequence[Entity],
    protected: Sequence[bool],
    source: tuple[int, int],
    document: str,
    piece: str,
) -> list[NameSpan]:
    """The masked names inside one piece (`source`: its span in `document`; `piece`: its
    text, whose spaces may differ from the document's where a long sentence was split
    and rejoined), in piece offsets, each with its span's rendering and that
    rendering's other spellings. Offsets are carried over by counting non-space
    characters, so a doubled space or a tab before a name never shifts it; a name whose
    text is not found where it should be is left unmasked (the model gets it as is)."""
    out = []
    where = _nonspace_offsets(piece)
    for entity, masked in zip(entities, protected, strict=True):
        if not masked:
            continue
        for (start, end), english in zip(entity.spans, entity.renderings, strict=True):
            if not (source[0] <= start and end <= source[1]):
                continue
            first = _count_nonspace(document, source[0], start)
            length = _count_nonspace(document, start, end)
            if first + length > len(where) or length == 0:
                continue
            a, b = where[first], where[first + length - 1] + 1
            if _squeezed(piece[a:b]) != _squeezed(document[start:end]):
                continue
            out.append(NameSpan(a, b, english, spellings(entity.lemma, english)))
    return out


def _nonspace_offsets(text: str) -> list[int]:
    """The offset of each non-space character of `text`, in order."""
    return [i for i, ch in enumerate(text) if not ch.isspace()]


def _count_nonspace(text: str, start: int, end: int) -> int:
    """How many non-space characters text[start:end] holds."""
    return sum(not ch.isspace() for ch in text[start:end])


def _squeezed(text: str) -> str:
    """`text` without its spaces."""
    return "".join(text.split())


# iuliia's Russian schemes whose spellings a model may have learnt (besides Wikipedia).
_RU_SCHEMES = ("BGN_PCGN", "ALA_LC", "ICAO_DOC_9303", "SCIENTIFIC", "YANDEX_MAPS", "MOSMETRO")
# Endings the schemes write -ий/-ій/-ый as, in any of which a model may end a name.
_ENDINGS = ("yy", "yi", "iy", "ii", "ij", "yj", "y", "i")


@lru_cache(maxsize=4096)
def spellings(lemma: str, english: str) -> tuple[str, ...]:
    """Other spellings of `english` (the rendering of `lemma`'s surname or name) that a
    model may write: the lemma under the other transliteration standards, and the
    rendering's adjective ending written the other ways (Zelensky: Zelenskyy,
    Zelenskyi, Zelenskiy…). Never `english` itself, never under 4 letters, never a
    common English word; none for a multi-word lemma."""
    import iuliia
    from translitua import UkrainianKMU, translit

    words = english.split()
    if not words or " " in lemma.strip():
        # A multi-word lemma (Чорне море, Донецька область) is a phrase the model
        # translates: its last word's spellings would be English words (More, Oblast).
        return ()
    last = words[-1]
    found: set[str] = set()
    base = lemma.strip().replace("'", "")
    for scheme in _RU_SCHEMES:
        found.add(getattr(iuliia, scheme).translate(base))
    found.add(translit(base, UkrainianKMU))
    stem = re.sub(r"(?:yy|yi|iy|ii|ij|yj|y|i)$", "", last)
    if stem != last:
        found.update(stem + ending for ending in _ENDINGS)
    out = set()
    for variant in found:
        variant = "-".join(p[:1].upper() + p[1:] for p in variant.replace("'", "").split("-"))
        plain = variant.replace("-", "")
        if (
            variant != last
            and len(plain) >= 4
            and plain.isascii()
            and plain.isalpha()
            and variant.lower() not in _ENGLISH_WORDS
        ):
            out.add(" ".join([*words[:-1], variant]))
            out.add(variant)
    out.discard(english)
    return tuple(sorted(out, key=lambda v: (-len(v), v)))


# English words a transliteration can spell (Mir, More, Most…): never rewritten.
_ENGLISH_WORDS = frozenset(
    """more most mine main mark march mars mira mir bank banks rada oblast oblasts
    region city state sea river lake park street square nova kiev kyiv""".split()
)


def unify(text: str, names: Iterable[tuple[str, tuple[str, ...]]]) -> str:
    """`text` with each name's other spellings (a whole word, possessive kept) written
    as its rendering: (rendering, spellings) pairs."""
    for english, variants in names:
        if not variants:
            continue
        pattern = r"(?<![\w-])(?:" + "|".join(re.escape(v) for v in variants) + r")(?![\w-])"
        text = re.sub(pattern, lambda _m, e=english: e, text)  # type: ignore[misc]
    return text


# ------------------------------------------------------------------ reporting


@dataclass(frozen=True)
class NameResult:
    """One name of a document (or paragraph) as reported: its kind, one English
    rendering and how it was chosen, whether it was masked, and every source span
    (document offsets) and target span (offsets into the text it is reported with)."""

    kind: str
    english: str
    how: str
    lemma: str
    evidence: str
    protected: bool
    source: tuple[tuple[int, int], ...]
    target: tuple[tuple[int, int], ...]

    def shifted(self, by: int) -> NameResult:
        """The same name with target offsets moved by `by`."""
        return replace(self, target=tuple((a + by, b + by) for a, b in self.target))


def how_of(entity: Entity, extra: Sequence[NamesEntry], language: str) -> str:
    """`how` as reported: "per-request" for a request's own name, else the entity's."""
    if entity.how == HOW_GLOSSARY and any(
        e.language == language and e.lemma == entity.lemma for e in extra
    ):
        return PER_REQUEST
    return entity.how


def in_text(
    entities: Sequence[Entity],
    protected: Sequence[bool],
    hows: Sequence[str],
    source: tuple[int, int],
    text: str,
    extra_forms: Mapping[str, str] | None = None,
) -> list[NameResult]:
    """The names with a source span inside `source` (a paragraph's span in its
    document), and where their renderings stand in `text` (that paragraph's English):
    every whole-word occurrence of any of the name's renderings, the longest form first
    wherever two overlap (Kyiv region before Kyiv), each occurrence given to one name.
    `extra_forms` maps a rendering to what the house style made of it, looked for too.
    One pass over the text's words with a dictionary of forms: linear in the text."""
    present = []
    forms: dict[str, int] = {}
    for index, entity in enumerate(entities):
        spans = tuple(s for s in entity.spans if source[0] <= s[0] and s[1] <= source[1])
        if not spans:
            continue
        present.append((index, spans))
        for form in (entity.english, *entity.renderings):
            for written in (form, (extra_forms or {}).get(form, "")):
                if written.strip():
                    forms.setdefault(" ".join(written.split()), index)
    if not present:
        return []
    longest = max(len(f.split()) for f in forms)
    words = [(m.start(), m.end()) for m in _WORDS.finditer(text)]
    found: dict[int, list[tuple[int, int]]] = {}
    n = 0
    while n < len(words):
        for size in range(min(longest, len(words) - n), 0, -1):
            start, end = words[n][0], words[n + size - 1][1]
            hit = forms.get(text[start:end])
            if hit is not None:
                found.setdefault(hit, []).append((start, end))
                n += size
                break
        else:
            n += 1
    return [
        NameResult(
            entities[index].kind,
            entities[index].english,
            hows[index],
            entities[index].lemma,
            entities[index].evidence,
            protected[index],
            spans,
            tuple(found.get(index, ())),
        )
        for index, spans in present
    ]


# A word of English text as names are matched: letters, digits, hyphens; an apostrophe
# ends it ("Kyiv's" holds the name Kyiv), and a form spanning several words matches
# their text exactly ("Andriy Yermak", "O'Brien").
_WORDS = re.compile(r"[\w-]+")


def merged(parts: Iterable[tuple[int, Sequence[NameResult]]]) -> list[NameResult]:
    """A document's names from its paragraphs' ((offset of the paragraph's text in the
    document's, its names)), in order of first mention: spans joined per name."""
    by_key: dict[tuple[str, str], NameResult] = {}
    for offset, names in parts:
        for name in names:
            moved = name.shifted(offset)
            key = (name.lemma, name.kind)
            have = by_key.get(key)
            if have is None:
                by_key[key] = moved
            else:
                by_key[key] = replace(
                    have, source=have.source + moved.source, target=have.target + moved.target
                )
    return list(by_key.values())
