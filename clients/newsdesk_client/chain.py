"""The brief chain: detect → translate (uk, ru, be) or pass through (en) → summarize,
and its result, the Brief, each bullet with the sentences of the original it came from.

With an archive configured, the summary and the archive's background are asked for at
once: the archive's bullets (dated facts from earlier coverage, each with the item it
came from) come first, and the summarizer's bullets — sentences of the article itself —
fill the rest, labelled `article`. `remember` stores the finished brief in the archive.

The transport (aio.py) makes each call; this module decides which calls a brief makes,
in what order and with which options, and puts their answers together. One request id
travels through every hop of a brief.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TypeVar

from newsdesk_client.archive import ArchiveItem, Background, BackgroundBullet
from newsdesk_client.errors import NewsdeskError
from newsdesk_client.types import (
    AlignedSentence,
    BulletShortfall,
    BulletSource,
    FactCheck,
    ModelInfo,
    NamedEntity,
    Outcome,
    SegmentFlag,
    Span,
    StyleReport,
    Summary,
    Translation,
    flag_dicts,
    flag_warning,
    style_dict,
)
from newsdesk_client.wire import SummarizeOptions, TranslateOptions
from newsdesk_shared import tracing
from newsdesk_shared.limits import ARCHIVE

if TYPE_CHECKING:
    from newsdesk_client.aio import AsyncNewsdeskClient

T = TypeVar("T")
Item = TypeVar("Item")

# The archive's answers that leave a brief on the article's own bullets, not failed.
_ARCHIVE_DOWN = ("UNAVAILABLE", "DEADLINE_EXCEEDED", "RESOURCE_EXHAUSTED", "INTERNAL", "UNKNOWN")
# The languages the chain reads, by name (Brief.source_lines).
LANGUAGE_NAMES = {"uk": "Ukrainian", "ru": "Russian", "en": "English", "be": "Belarusian"}


@dataclass(frozen=True)
class SourceSentence:
    """A sentence of the original article: its text and span in the article."""

    text: str
    span: Span


@dataclass(frozen=True)
class BulletProvenance:
    """Where a bullet comes from. `kind` "article": sentences of the article itself —
    the English sentences (spans into Brief.english_text) and the original sentences
    (spans into the article as given). `kind` "archive": an earlier item of the desk's
    archive (`archive`: its id, source, date, URL and the sentence's span there)."""

    english: tuple[Span, ...]
    original: tuple[SourceSentence, ...]
    rewritten: bool
    kind: str = "article"
    archive: BackgroundBullet | None = None


@dataclass(frozen=True)
class Filing:
    """What a brief tells the archive: the article's date (ISO; "" lets the archive read
    it from the text), its outlet and URL, and whether to store the brief."""

    published_date: str = ""
    source: str = ""
    url: str = ""
    remember: bool = False


@dataclass(frozen=True)
class Brief(BulletShortfall):
    """An English brief of an article in uk, ru or en."""

    language: str
    confidence: float
    english_text: str
    headline: str
    summary: str
    bullets: tuple[str, ...]
    models: dict[str, ModelInfo]
    timings_ms: dict[str, float]
    request_id: str
    translated: bool = field(default=False)
    sources: tuple[BulletProvenance, ...] = ()
    # Read them as bullet_shortfall / bullet_shortfall_detail (the name in JSON and in
    # the protocol); the constructor keeps these names.
    shortfall: str = ""
    shortfall_detail: str = ""
    house_style: dict[str, StyleReport] = field(default_factory=dict)
    # Sentences of the original the plausibility gate flagged in their translation.
    flags: tuple[SegmentFlag, ...] = ()
    # The translator's caveat for the source language ("be: … expect lower quality"),
    # "" when it has none.
    quality_note: str = ""
    # The archive: whether one was asked for background, the article's date it used
    # (and where that came from), and the id the brief was stored under (0: not stored).
    archive_asked: bool = False
    published_date: str = ""
    date_origin: str = ""
    archived_id: int = 0
    # The people, places and organisations of the original (the translator's entity
    # layer), in order of first mention, each with its original spelling per mention.
    entities: tuple[NamedEntity, ...] = ()
    # A batch's near-duplicates briefed once (brief_many with group): the indexes of every
    # text telling this story, the one briefed first ((i,) for a story told once); ()
    # when not grouped.
    story: tuple[int, ...] = ()
    # The same story's tellings by name (a folder run's files), the briefed one first.
    story_sources: tuple[str, ...] = ()
    # The figures check of the headline and the summary against the English text, and
    # of each bullet in order (None: an archive bullet, a sentence of an earlier item
    # quoted with its date, not written from this article).
    headline_check: FactCheck = field(default_factory=FactCheck)
    summary_check: FactCheck = field(default_factory=FactCheck)
    bullet_checks: tuple[FactCheck | None, ...] = ()

    def fact_checks(self) -> list[tuple[str, FactCheck]]:
        """(part, check) of every part checked against the article: "headline",
        "summary", "bullet N" (from 1)."""
        parts = [("headline", self.headline_check), ("summary", self.summary_check)]
        parts += [(f"bullet {i + 1}", c) for i, c in enumerate(self.bullet_checks) if c]
        return parts

    @property
    def bullet_kinds(self) -> tuple[str, ...]:
        """Per bullet: "archive" (earlier coverage) or "article" (the article itself)."""
        kinds = tuple(p.kind for p in self.sources)
        return kinds + ("article",) * (len(self.bullets) - len(kinds))

    def source_lines(self, language_given: bool = False) -> tuple[str, ...]:
        """What the reader is reading: the source language, how it was known (detected
        with a confidence, or `language_given` by the caller), whether it was
        translated, and the translator's quality note for it when it has one."""
        name = LANGUAGE_NAMES.get(self.language, self.language)
        how = "given" if language_given else f"detected, confidence {self.confidence:.2f}"
        done = "translated into English" if self.translated else "not translated"
        lines = [f"Source: {name} ({self.language}), {how}; {done}"]
        if self.quality_note:
            # The translator's notes start with the language code ("be: …").
            lines.append(f"Note: {self.quality_note.removeprefix(f'{self.language}: ')}")
        return tuple(lines)

    def flag_warning(self) -> str:
        """One line naming the flagged sentences ("" when none)."""
        return flag_warning(self.flags)

    def to_dict(self) -> dict[str, object]:
        """A JSON-friendly dict (spans as [start, end] code-point offsets)."""
        return {
            "language": self.language,
            "confidence": self.confidence,
            "headline": self.headline,
            "summary": self.summary,
            "bullets": list(self.bullets),
            "english_text": self.english_text,
            "translated": self.translated,
            "models": {k: vars(v) for k, v in self.models.items()},
            "timings_ms": self.timings_ms,
            "request_id": self.request_id,
            "sources": [
                {
                    "kind": p.kind,
                    "english_spans": [list(s) for s in p.english],
                    "original": [{"text": o.text, "span": list(o.span)} for o in p.original],
                    "rewritten": p.rewritten,
                    **({"archive": p.archive.to_dict()} if p.archive else {}),
                }
                for p in self.sources
            ],
            "bullet_kinds": list(self.bullet_kinds),
            "archive": {
                "asked": self.archive_asked,
                "published_date": self.published_date,
                "date_origin": self.date_origin,
                "archived_id": self.archived_id,
            },
            "bullet_shortfall": self.shortfall,
            "bullet_shortfall_detail": self.shortfall_detail,
            "quality_note": self.quality_note,
            "flags": flag_dicts(self.flags),
            "house_style": {
                stage: style_dict(r, "details", "glossary_version")
                for stage, r in self.house_style.items()
            },
            "entities": [
                {**e.to_dict(), "in_brief": [list(m) for m in self.mentions(e)]}
                for e in self.entities
            ],
            "story": list(self.story),
            "story_sources": list(self.story_sources),
            "fact_checks": {
                "headline": self.headline_check.to_dict(),
                "summary": self.summary_check.to_dict(),
                "bullets": [
                    c.to_dict() if c is not None else {"checked": "archive item, quoted"}
                    for c in self.bullet_checks
                ],
            },
        }

    def mentions(self, entity: NamedEntity) -> tuple[tuple[str, int, int, int], ...]:
        """Where `entity` stands in the brief: (part, index, start, end) per occurrence
        of any of its English forms (its rendering, and each form the translation wrote
        it in: "Volodymyr Zelensky", "Zelensky"), part "headline", "summary" or
        "bullet" (index: which bullet)."""
        forms = {entity.english} | {self.english_text[a:b] for a, b in entity.target}
        forms = {f for f in forms if f.strip()}
        if not forms:
            return ()
        ordered = sorted(forms, key=lambda f: (-len(f), f))
        pattern = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, ordered)) + r")(?![\w-])")
        parts = [("headline", 0, self.headline), ("summary", 0, self.summary)]
        parts += [("bullet", i, b) for i, b in enumerate(self.bullets)]
        return tuple(
            (part, index, m.start(), m.end())
            for part, index, text in parts
            for m in pattern.finditer(text)
        )

    def entity_lines(self) -> tuple[str, ...]:
        """The names under a printed brief: one line each, its rendering, the original
        spelling of its first mention, kind, how the rendering was chosen, and how many
        times it stands in the source, the translation and the brief."""
        lines = []
        for e in self.entities:
            original = f" ({e.original[0]})" if e.original else ""
            how = e.how + ("" if e.masked else ", left to the model")
            brief = len(self.mentions(e))
            lines.append(
                f"{e.english}{original} — {e.kind}, {how}; {len(e.source)} in the source, "
                f"{len(e.target)} in the translation, {brief} in the brief"
            )
        return tuple(lines)

    def with_original_names(self, parts: Sequence[str]) -> list[str]:
        """`parts` of the brief, in reading order, with each entity's first mention in
        them followed by its original spelling: "Yermak (Єрмак)"."""
        out = list(parts)
        for e in self.entities:
            if not e.original:
                continue
            forms = {e.english} | {self.english_text[a:b] for a, b in e.target}
            ordered = sorted((f for f in forms if f.strip()), key=lambda f: (-len(f), f))
            pattern = re.compile(
                r"(?<![\w-])(?:" + "|".join(map(re.escape, ordered)) + r")(?![\w-])"
            )
            for n, text in enumerate(out):
                m = pattern.search(text)
                if m is not None:
                    out[n] = f"{text[: m.end()]} ({e.original[0]}){text[m.end() :]}"
                    break
        return out

    def to_text(
        self,
        with_translation: bool = False,
        with_sources: bool = False,
        *,
        entities: bool = False,
        original_names: bool = False,
    ) -> str:
        """Shaped like a wire brief: headline, summary, then "•" bullets; with_sources
        puts each bullet's original sentence(s) underneath it; `entities` lists the
        names under the brief; `original_names` writes each name's original spelling
        after its first mention ("Yermak (Єрмак)")."""
        written = [self.headline, self.summary, *self.bullets]
        if original_names:
            written = self.with_original_names(written)
        headline, summary, *bullets = written
        parts = [headline, "", summary, ""]
        for i, (bullet, kind) in enumerate(zip(bullets, self.bullet_kinds, strict=True)):
            # With an archive asked, a bullet from the article itself says so.
            label = "(from this article) " if self.archive_asked and kind == "article" else ""
            parts.append(f"• {label}{bullet}")
            if not with_sources or i >= len(self.sources):
                continue
            found = self.sources[i].archive
            if found is not None:
                where = ", ".join(x for x in (found.source, found.published_date, found.url) if x)
                parts.append(f"    [archive #{found.item_id}] {where}")
            else:
                label = self.language if self.translated else "source"
                parts += [f"    [{label}] {o.text}" for o in self.sources[i].original]
        if self.bullet_shortfall_detail:
            parts += ["", f"({self.bullet_shortfall_detail})"]
        if entities:
            parts += ["", "Names:"]
            parts += [f"  {line}" for line in self.entity_lines()] or ["  (none found)"]
        if with_translation:
            parts += ["", "--- English text ---", self.english_text]
        return "\n".join(parts).rstrip() + "\n"


class BriefOutcome(Outcome[Brief]):
    """One item of brief_many."""

    kind = "brief"

    @property
    def brief(self) -> Brief | None:
        """The brief (None when it failed: see `error`)."""
        return self.result


class BriefChain:
    """Briefs made with one client's calls (AsyncNewsdeskClient.brief and brief_many);
    asks the translator for its quality notes once."""

    def __init__(self, client: AsyncNewsdeskClient) -> None:
        self._client = client
        self._notes: dict[str, str] | None = None

    async def brief(
        self,
        text: str,
        source_language: str,
        request_id: str | None,
        options: SummarizeOptions,
        filing: Filing | None = None,
    ) -> Brief:
        """One brief; a failed hop raises its NewsdeskError."""
        rid = request_id or uuid.uuid4().hex
        with tracing.span("newsdesk.brief", **{"newsdesk.request_id": rid}):
            brief = await self._brief(text, rid, source_language, options, filing or Filing())
            notes = await self._quality_notes(rid)
        return replace(brief, quality_note=notes.get(brief.language, ""))

    async def brief_many(
        self,
        texts: Sequence[str],
        concurrency: int,
        source_language: str,
        options: SummarizeOptions,
        filings: Sequence[Filing] | None = None,
        group: float | None = None,
    ) -> list[BriefOutcome]:
        """Briefs in input order, a failed item carrying its error (translations are
        asked for with per-item results). `filings`: one per text (the archive's).
        `group` (a similarity threshold, grouping.THRESHOLD by default): near-duplicate
        texts are grouped first and each story briefed once, from its longest telling;
        every member's outcome is that brief, its `story` naming the members."""
        if filings is not None and len(filings) != len(texts):
            raise ValueError(f"{len(filings)} filings for {len(texts)} texts")
        if group is not None:
            return await self._brief_groups(
                texts, concurrency, source_language, options, filings, group
            )
        return await self._brief_each(texts, concurrency, source_language, options, filings)

    async def _brief_groups(
        self,
        texts: Sequence[str],
        concurrency: int,
        source_language: str,
        options: SummarizeOptions,
        filings: Sequence[Filing] | None,
        threshold: float,
    ) -> list[BriefOutcome]:
        """brief_many with near-duplicates grouped (grouping.py): one brief a story."""
        from newsdesk_client.grouping import group_texts

        groups = group_texts(texts, threshold)
        leads = [g.lead for g in groups]
        briefed = await self._brief_each(
            [texts[i] for i in leads],
            concurrency,
            source_language,
            options,
            [filings[i] for i in leads] if filings is not None else None,
        )
        out: list[BriefOutcome | None] = [None] * len(texts)
        for g, outcome in zip(groups, briefed, strict=True):
            for member in g.members:
                if outcome.brief is not None:
                    story = (g.lead, *(m for m in g.members if m != g.lead))
                    out[member] = BriefOutcome(member, replace(outcome.brief, story=story))
                else:
                    error = outcome.error
                    about = (
                        error.about(f"texts[{g.lead}]")
                        if isinstance(error, NewsdeskError)
                        else error
                    )
                    out[member] = BriefOutcome(member, error=about)
        return [o for o in out if o is not None]

    async def _brief_each(
        self,
        texts: Sequence[str],
        concurrency: int,
        source_language: str,
        options: SummarizeOptions,
        filings: Sequence[Filing] | None,
    ) -> list[BriefOutcome]:
        """One brief a text, in input order."""

        async def one(index: int) -> Brief:
            rid = uuid.uuid4().hex
            filing = filings[index] if filings is not None else Filing()
            with tracing.span("newsdesk.brief", **{"newsdesk.request_id": rid}):
                return await self._brief(
                    texts[index], rid, source_language, options, filing, partial=True
                )

        results = await each(range(len(texts)), one, concurrency)
        notes = await self._quality_notes() if any(isinstance(r, Brief) for r in results) else {}
        return [
            BriefOutcome(i, replace(r, quality_note=notes.get(r.language, "")))
            if isinstance(r, Brief)
            # Each text goes alone (contents[0]): named as the caller's item instead.
            else BriefOutcome(i, error=r.about(f"texts[{i}]"))
            for i, r in enumerate(results)
        ]

    async def _language(
        self, text: str, rid: str, given: str, timings: dict[str, float]
    ) -> tuple[str, float, str]:
        """(language, confidence, the source language to ask the translator for)."""
        if given:
            # The caller named the language: no detection (confidence 1.0).
            language = given.strip().lower()
            return language, 1.0, language
        started = time.perf_counter()
        detection = await self._client.detect(text, request_id=rid)
        timings["detect"] = _ms_since(started)
        # A reliable uk/ru/en decision is passed on, so the translator does not detect
        # again. Anything else lets the translator decide: it refuses other languages
        # (Belarusian only translates when the caller declares it) and words the
        # LANGUAGE_UNCERTAIN refusal, naming the document.
        served = detection.reliable and detection.language in ("uk", "ru", "en")
        return detection.language, detection.confidence, detection.language if served else ""

    async def _translate(
        self, text: str, rid: str, source: str, options: SummarizeOptions, partial: bool
    ) -> Translation:
        """The article in English, aligned sentence by sentence. English goes through the
        translator too: its passthrough costs no model work and gives the text in house
        style, with the alignment. `partial`: per-item results, so a document's own
        error is never a whole-call one."""
        asked: TranslateOptions = {
            "alignment": True,
            "house_style": options.get("house_style", True),
            "style_entries": options.get("style_entries"),
            "num_beams": options.get("num_beams"),
            "extra_names": options.get("extra_names"),
            "names_off": options.get("names_off", False),
        }
        if not partial:
            return await self._client.translate(
                text, source_language=source, request_id=rid, **asked
            )
        (outcome,) = await self._client.translate_each(
            [text], source_language=source, request_id=rid, **asked
        )
        if outcome.translation is None:
            assert outcome.error is not None
            raise outcome.error
        return outcome.translation

    async def _brief(
        self,
        text: str,
        rid: str,
        source_language: str,
        options: SummarizeOptions,
        filing: Filing,
        *,
        partial: bool = False,
    ) -> Brief:
        timings: dict[str, float] = {}
        started = time.perf_counter()
        language, confidence, source = await self._language(text, rid, source_language, timings)
        step = time.perf_counter()
        translation = await self._translate(text, rid, source, options, partial)
        timings["translate"] = _ms_since(step)
        step = time.perf_counter()
        # The shortfall note counts the article's sentences, as the aligned source
        # sentences (a tiny or loose model may join several into one). source_sentences
        # also tells the summarizer the language was decided — the text is the
        # translator's English, or the detector found it English — so it does not detect
        # again; English the caller declared is still checked there.
        translated = translation.source_language != "en"
        decided = translated or (not source_language and bool(source))
        options = await self._hint(options, translation, rid)
        summarizing = self._client.summarize(
            translation.text,
            request_id=rid,
            source_sentences=(len(translation.alignment) or None) if decided else None,
            **options,
        )
        found: Background | None = None
        if self._client.has_archive:
            # The archive's background is asked for while the summary is made; a failure
            # of either cancels the other.
            original = text if translated else ""
            try:
                async with asyncio.TaskGroup() as group:
                    summary_task = group.create_task(summarizing)
                    found_task = group.create_task(
                        self._background(
                            translation.text,
                            original,
                            rid,
                            options,
                            filing,
                            archive_names(translation.entities),
                        )
                    )
            except ExceptionGroup as failed:  # the hop's own error, as without an archive
                raise failed.exceptions[0] from None
            summary, found = summary_task.result(), found_task.result()
        else:
            summary = await summarizing
        timings["summarize"] = _ms_since(step)
        brief = _assemble(text, rid, language, confidence, translation, summary, timings)
        if found is not None:
            count = options.get("bullet_count") or ARCHIVE.bullet_count.default
            brief = with_background(brief, found, count)
        if filing.remember or self._client.config.remember:
            step = time.perf_counter()
            brief = await self._remember(brief, text, rid, filing)
            timings["archive"] = _ms_since(step)
        timings["total"] = _ms_since(started)
        return brief

    async def _hint(
        self, options: SummarizeOptions, translation: Translation, rid: str
    ) -> SummarizeOptions:
        """The options with the headline hint (a page's title) in English, on one line
        and within MAX_HINT_CHARS; without it when it cannot be (a title that does not
        translate, or is too long): the hint never costs the brief."""
        hint = " ".join((options.get("headline_hint") or "").split())
        if hint and translation.source_language != "en":
            try:
                titled = await self._client.translate(
                    hint,
                    source_language=translation.source_language,
                    request_id=rid,
                    house_style=options.get("house_style", True),
                    style_entries=options.get("style_entries"),
                    extra_names=options.get("extra_names"),
                    names_off=options.get("names_off", False),
                )
                hint = " ".join(titled.text.split())
            except NewsdeskError:
                hint = ""
        if len(hint) > MAX_HINT_CHARS or any(not ch.isprintable() for ch in hint):
            hint = ""
        hinted: SummarizeOptions = {**options, "headline_hint": hint}
        return hinted

    async def _background(
        self,
        english: str,
        original: str,
        rid: str,
        options: SummarizeOptions,
        filing: Filing,
        names: tuple[str, ...] = (),
    ) -> Background:
        """The archive's background for the article; when the archive cannot answer
        (down, its storage down, overloaded, too slow, or an internal error of its own),
        no bullets and the shortfall ARCHIVE_UNAVAILABLE naming why: the brief stands on
        the article's own bullets. A bad request is still the brief's error."""
        try:
            return await self._client.archive.background(
                english,
                published_date=filing.published_date,
                bullet_count=options.get("bullet_count") or 0,
                original_text=original,
                entities=names,
                request_id=rid,
            )
        except NewsdeskError as err:
            if err.code not in _ARCHIVE_DOWN:
                raise
            return Background((), "ARCHIVE_UNAVAILABLE", f"the archive did not answer: {err}")

    async def _remember(self, brief: Brief, text: str, rid: str, filing: Filing) -> Brief:
        """Store the brief in the archive; the brief with its archive id. A failure is
        the brief's error: the caller asked for it to be kept."""
        (stored,) = await self._client.archive.add(
            [
                ArchiveItem(
                    english_text=brief.english_text,
                    # The date the background used (given, or read from the
                    # text by the archive); "" when none was asked for: the archive
                    # reads it as it would have.
                    published_date=filing.published_date or brief.published_date,
                    headline=brief.headline,
                    summary=brief.summary,
                    original_text=text if brief.translated else "",
                    language=brief.language,
                    source=filing.source,
                    url=filing.url,
                    entities=archive_names(brief.entities),
                )
            ],
            request_id=rid,
        )
        return replace(
            brief,
            archived_id=stored.id,
            published_date=stored.published_date,
            date_origin=brief.date_origin or stored.date_origin,
        )

    async def _quality_notes(self, request_id: str | None = None) -> dict[str, str]:
        """The translator's quality note per source language (ListLanguagePairs, asked
        once per client); {} when it cannot be asked now (the briefs stand without)."""
        if self._notes is None:
            try:
                pairs = await self._client.language_pairs(request_id=request_id)
            except NewsdeskError:
                return {}
            self._notes = {p.source: p.quality_note for p in pairs if p.quality_note}
        return self._notes


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _assemble(
    text: str,
    rid: str,
    language: str,
    confidence: float,
    translation: Translation,
    summary: Summary,
    timings: dict[str, float],
) -> Brief:
    """The Brief from the hops' answers."""
    english = translation.text
    translated = translation.source_language != "en"
    return Brief(
        language=language,
        confidence=confidence,
        english_text=english,
        headline=summary.headline,
        summary=summary.summary,
        bullets=summary.bullets,
        models={"translate": translation.model, "summarize": summary.model},
        timings_ms=timings,
        request_id=rid,
        translated=translated,
        sources=tuple(provenance(b, text, translation.alignment) for b in summary.bullet_sources),
        shortfall=summary.shortfall,
        shortfall_detail=summary.shortfall_detail,
        house_style={"translate": translation.house_style, "summarize": summary.house_style},
        flags=translation.segments.flags,
        entities=tuple(
            replace(e, original=tuple(text[a:b] for a, b in e.source)) for e in translation.entities
        ),
        headline_check=summary.headline_check,
        summary_check=summary.summary_check,
        bullet_checks=summary.bullet_checks,
    )


# The longest headline hint the summarizer takes (SummarizeRequest.headline_hint).
MAX_HINT_CHARS = 300

# The names a brief gives the archive (its AddItems/Background limit is larger).
ARCHIVE_NAMES = 32


def archive_names(entities: Sequence[NamedEntity]) -> tuple[str, ...]:
    """The English names the archive ranks related coverage by: the entity layer's
    renderings (people and organisations first, then places), at most ARCHIVE_NAMES."""
    order = {"person": 0, "org": 1, "place": 2}
    ranked = sorted(entities, key=lambda e: order.get(e.kind, 3))
    return tuple(dict.fromkeys(e.english for e in ranked))[:ARCHIVE_NAMES]


def with_background(brief: Brief, found: Background, count: int) -> Brief:
    """The brief with the archive's bullets first and the article's own bullets filling
    the rest (up to `count`), each labelled by its kind. When the archive gave fewer than
    asked, bullet_shortfall says so (NO_RELATED_ITEMS, FEW_RELATED_ITEMS,
    ARCHIVE_UNAVAILABLE); when it gave all, the article's shortfall no longer applies."""
    archived = found.bullets[:count]
    fill = max(0, count - len(archived))
    bullets = tuple(b.text for b in archived) + brief.bullets[:fill]
    sources = (
        tuple(BulletProvenance((), (), False, "archive", b) for b in archived)
        + brief.sources[:fill]
    )
    checks = (None,) * len(archived) + brief.bullet_checks[:fill]
    shortfall, detail = brief.shortfall, brief.shortfall_detail
    if found.shortfall:
        used = min(fill, len(brief.bullets))
        shortfall = found.shortfall
        detail = f"{found.shortfall_detail}; " + (
            f"{used} bullet(s) are drawn from the article itself"
            if used
            else "the article gave no bullets of its own"
        )
    elif archived:
        shortfall, detail = "", ""
    return replace(
        brief,
        bullets=bullets,
        sources=sources,
        bullet_checks=checks,
        shortfall=shortfall,
        shortfall_detail=detail,
        archive_asked=True,
        published_date=found.published_date,
        date_origin=found.date_origin,
    )


def provenance(
    source: BulletSource, original: str, alignment: tuple[AlignedSentence, ...] | None
) -> BulletProvenance:
    """A bullet's sentences in the English text and in the original article: every
    aligned sentence whose translation overlaps the bullet's English spans (the
    English spans themselves when the article was English and not translated)."""
    if alignment is None:
        found = [SourceSentence(original[a:b], (a, b)) for a, b in source.spans]
    else:
        found = [
            SourceSentence(original[s.source[0] : s.source[1]], s.source)
            for s in alignment
            if any(s.target[0] < b and a < s.target[1] for a, b in source.spans)
        ]
    return BulletProvenance(source.spans, tuple(found), source.rewritten)


async def each(
    texts: Sequence[Item], work: Callable[[Item], Awaitable[T]], concurrency: int
) -> list[T | NewsdeskError]:
    """`work` on every item (a text, an index), `concurrency` at a time, results (or the
    NewsdeskError of each failed item) in input order (brief_many, summarize_many)."""
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    gate = asyncio.Semaphore(concurrency)

    async def one(text: Item) -> T | NewsdeskError:
        async with gate:
            try:
                return await work(text)
            except NewsdeskError as err:
                return err

    return list(await asyncio.gather(*(one(t) for t in texts)))
