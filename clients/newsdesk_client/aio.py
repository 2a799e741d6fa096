"""AsyncNewsdeskClient: detect → translate → summarize over grpc.aio.

Owns one channel per service (closed by `close()` / `async with`), sets a deadline on
every call, retries UNAVAILABLE through the channel's service config, and sends the
same x-request-id to every hop of a brief.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import replace
from types import TracebackType
from typing import Any, TypedDict, TypeVar, Unpack

import grpc

from newsdesk.common.v1 import common_pb2
from newsdesk.language.v1 import language_pb2, language_pb2_grpc
from newsdesk.summarization.v1 import summarization_pb2, summarization_pb2_grpc
from newsdesk.translation.v1 import translation_pb2, translation_pb2_grpc
from newsdesk_client.config import ClientConfig
from newsdesk_client.errors import NewsdeskError
from newsdesk_client.types import (
    AlignedSentence,
    Brief,
    BriefOutcome,
    BulletProvenance,
    BulletSource,
    Detection,
    LanguagePair,
    ServiceInfo,
    SourceSentence,
    Summary,
    SummaryOutcome,
    TranslatedParagraph,
    Translation,
    TranslationOutcome,
)
from newsdesk_client.wire import (
    detection_from_proto,
    info_from_proto,
    model_from_proto,
    paragraph_from_proto,
    summary_from_proto,
    translation_from_proto,
)
from newsdesk_shared import tracing

T = TypeVar("T")


class AsyncNewsdeskClient:
    """The asynchronous client. Use as `async with AsyncNewsdeskClient() as client:`."""

    def __init__(self, config: ClientConfig | None = None, **addresses: str | None) -> None:
        self.config = config or ClientConfig.from_env(None, **addresses)
        tracing.configure("newsdesk-client")  # NEWSDESK_TRACING=1; before any channel
        self._channels = {
            name: self._channel(getattr(self.config, name))
            for name in ("detector", "translator", "summarizer")
        }
        self._detector = language_pb2_grpc.LanguageServiceStub(self._channels["detector"])
        self._translator = translation_pb2_grpc.TranslationServiceStub(self._channels["translator"])
        self._summarizer = summarization_pb2_grpc.SummarizationServiceStub(
            self._channels["summarizer"]
        )
        self._notes: dict[str, str] | None = None  # brief_many's quality notes, once

    def _channel(self, address: str) -> grpc.aio.Channel:
        options = self.config.channel_options()
        creds = self.config.credentials()
        if creds is not None:
            return grpc.aio.secure_channel(address, creds, options=options)
        return grpc.aio.insecure_channel(address, options=options)

    async def __aenter__(self) -> AsyncNewsdeskClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close every channel."""
        for channel in self._channels.values():
            await channel.close()

    def _metadata(self, request_id: str) -> tuple[tuple[str, str], ...]:
        meta = [("x-request-id", request_id)]
        if self.config.token:
            meta.append(("authorization", f"Bearer {self.config.token}"))
        return tuple(meta)

    async def _call(
        self,
        stage: str,
        address: str,
        rpc: Any,
        request: Any,
        deadline_s: float,
        request_id: str,
    ) -> Any:
        """One call under one overall deadline. RESOURCE_EXHAUSTED with a RetryInfo
        delay is retried after that delay (with jitter, growing per attempt) while the
        deadline allows, so overload slows a batch job down instead of failing it.
        UNAVAILABLE is retried by the channel's service config."""
        deadline = time.monotonic() + deadline_s
        attempt = 0
        while True:
            remaining = deadline - time.monotonic()
            try:
                return await rpc(
                    request, timeout=max(0.001, remaining), metadata=self._metadata(request_id)
                )
            except grpc.aio.AioRpcError as err:
                error = NewsdeskError.from_rpc(stage, err, address, request_id)
            attempt += 1
            delay = self._overload_delay(error, attempt)
            if delay is None or time.monotonic() + delay >= deadline:
                raise error from None
            await asyncio.sleep(delay)

    def _overload_delay(self, error: NewsdeskError, attempt: int) -> float | None:
        """How long to wait before retrying an overload refusal (None: do not retry)."""
        if error.code != "RESOURCE_EXHAUSTED" or error.retry_after_s is None:
            return None
        if attempt > self.config.overload_retries:
            return None
        base = min(30.0, error.retry_after_s * (1.5 ** (attempt - 1)))
        return base * random.uniform(1.0, 1.5)

    async def detect_many(
        self, texts: Sequence[str], *, top_k: int = 3, request_id: str | None = None
    ) -> list[Detection]:
        """The language of each text, in order."""
        reply = await self._call(
            "detect",
            self.config.detector,
            self._detector.DetectLanguage,
            language_pb2.DetectLanguageRequest(texts=_valid("detect", "texts", texts), top_k=top_k),
            self.config.detect_timeout,
            request_id or uuid.uuid4().hex,
        )
        return [detection_from_proto(d) for d in reply.detections]

    async def detect(
        self, text: str, *, top_k: int = 3, request_id: str | None = None
    ) -> Detection:
        """The language of one text, with up to top_k ranked candidates."""
        return (await self.detect_many([text], top_k=top_k, request_id=request_id))[0]

    def _translate_request(
        self,
        texts: Sequence[str],
        source_language: str,
        options: TranslateOptions,
        *,
        partial: bool = False,
    ) -> translation_pb2.TranslateRequest:
        request = translation_pb2.TranslateRequest(
            contents=_valid("translate", "contents", texts),
            source_language_code=source_language,
            target_language_code="en",
            house_style=_style_options(
                options.get("house_style", True), options.get("style_entries")
            ),
            include_alignment=options.get("alignment", False),
            partial_results=partial,
        )
        if options.get("num_beams") is not None:
            request.num_beams = options["num_beams"]
        return request

    async def translate_many(
        self,
        texts: Sequence[str],
        *,
        source_language: str = "",
        request_id: str | None = None,
        **options: Unpack[TranslateOptions],
    ) -> list[Translation]:
        """English translations of documents (source language detected when empty);
        one bad document fails the call (see translate_each). Options: `house_style=False`
        leaves the model's spelling; `style_entries` adds desk rules ({"Kiev": "Kyiv"});
        `alignment=True` asks for sentence alignment; `num_beams` (1..8)."""
        reply = await self._call(
            "translate",
            self.config.translator,
            self._translator.Translate,
            self._translate_request(texts, source_language, options),
            self.config.translate_timeout,
            request_id or uuid.uuid4().hex,
        )
        return [translation_from_proto(t) for t in reply.translations]

    async def translate_each(
        self,
        texts: Sequence[str],
        *,
        source_language: str = "",
        request_id: str | None = None,
        **options: Unpack[TranslateOptions],
    ) -> list[TranslationOutcome]:
        """Like translate_many, but a document that cannot be translated (empty,
        unsupported or uncertain language, too long) carries its own error and the
        others are translated (the server's partial_results)."""
        rid = request_id or uuid.uuid4().hex
        reply = await self._call(
            "translate",
            self.config.translator,
            self._translator.Translate,
            self._translate_request(texts, source_language, options, partial=True),
            self.config.translate_timeout,
            rid,
        )
        out = []
        for index, t in enumerate(reply.translations):
            if t.HasField("error"):
                error = NewsdeskError.from_item("translate", t.error, self.config.translator, rid)
                # Named as the caller's item ("texts[2]"), not the request field.
                out.append(TranslationOutcome(index, error=error.about(f"texts[{index}]")))
            else:
                out.append(TranslationOutcome(index, translation=translation_from_proto(t)))
        return out

    async def translate(
        self,
        text: str,
        *,
        source_language: str = "",
        request_id: str | None = None,
        **options: Unpack[TranslateOptions],
    ) -> Translation:
        """The English translation of one document (options as translate_many)."""
        translations = await self.translate_many(
            [text], source_language=source_language, request_id=request_id, **options
        )
        return translations[0]

    async def translate_stream(
        self,
        text: str,
        *,
        source_language: str = "",
        request_id: str | None = None,
        **options: Unpack[TranslateOptions],
    ) -> AsyncIterator[TranslatedParagraph]:
        """One document's translation, paragraph by paragraph as each is done (the
        TranslateStream RPC; options as translate_many). Leaving the loop early
        cancels the rest of the work on the server."""
        request = translation_pb2.TranslateStreamRequest(
            content=_valid("translate", "content", [text])[0],
            source_language_code=source_language,
            target_language_code="en",
            house_style=_style_options(
                options.get("house_style", True), options.get("style_entries")
            ),
            include_alignment=options.get("alignment", False),
        )
        if options.get("num_beams") is not None:
            request.num_beams = options["num_beams"]
        rid = request_id or uuid.uuid4().hex
        call = self._translator.TranslateStream(
            request, timeout=self.config.translate_timeout, metadata=self._metadata(rid)
        )
        try:
            async for message in call:
                yield paragraph_from_proto(message)
        except grpc.aio.AioRpcError as err:
            raise NewsdeskError.from_rpc("translate", err, self.config.translator, rid) from None
        finally:
            call.cancel()

    async def summarize(
        self,
        text: str,
        *,
        request_id: str | None = None,
        source_sentences: int | None = None,
        **options: Unpack[SummarizeOptions],
    ) -> Summary:
        """Headline, summary and background bullets of an English text, with the
        spans of the sentences each bullet was drawn from. Options (server defaults
        when unset; the server's ranges apply): bullet_count 3..5, summary_max_words
        10..400, headline_max_words 3..30, bullet_max_words 10..100, num_beams 1..8,
        house_style, style_entries. `source_sentences`: the sentences of the article
        `text` translates, which the shortfall note counts (brief sets it)."""
        proto = summarization_pb2.SummarizeOptions()
        for name in (
            "bullet_count",
            "summary_max_words",
            "headline_max_words",
            "bullet_max_words",
            "num_beams",
        ):
            value = options.get(name)
            if value is not None:
                setattr(proto, name, value)
        reply = await self._call(
            "summarize",
            self.config.summarizer,
            self._summarizer.Summarize,
            summarization_pb2.SummarizeRequest(
                text=_valid("summarize", "text", [text])[0],
                options=proto,
                house_style=_style_options(
                    options.get("house_style", True), options.get("style_entries")
                ),
                source_sentences=source_sentences,
            ),
            self.config.summarize_timeout,
            request_id or uuid.uuid4().hex,
        )
        return summary_from_proto(reply)

    async def summarize_many(
        self,
        texts: Sequence[str],
        *,
        concurrency: int = 4,
        **options: Unpack[SummarizeOptions],
    ) -> list[SummaryOutcome]:
        """Summaries of many English texts, `concurrency` in flight, in input order; a
        failed item carries its error and does not stop the rest."""

        async def one(text: str) -> Summary:
            return await self.summarize(text, **options)

        results = await _each(texts, one, concurrency)
        return [
            SummaryOutcome(i, summary=r)
            if isinstance(r, Summary)
            # Each text goes alone (`text`): named as the caller's item instead.
            else SummaryOutcome(i, error=r.about(f"texts[{i}]"))
            for i, r in enumerate(results)
        ]

    async def info(self, service: str) -> ServiceInfo:
        """What one service serves: its models, limits and version ("detector",
        "translator" or "summarizer")."""
        rid = uuid.uuid4().hex
        timeout = self.config.detect_timeout
        if service == "detector":
            reply = await self._call(
                "info",
                self.config.detector,
                self._detector.Info,
                language_pb2.InfoRequest(),
                timeout,
                rid,
            )
            return info_from_proto(reply.info, languages=reply.supported_language_codes)
        if service == "translator":
            reply = await self._call(
                "info",
                self.config.translator,
                self._translator.Info,
                translation_pb2.InfoRequest(),
                timeout,
                rid,
            )
            return info_from_proto(
                reply.info,
                max_source_tokens=reply.max_source_tokens,
                quality_notes=reply.quality_notes,
            )
        if service == "summarizer":
            reply = await self._call(
                "info",
                self.config.summarizer,
                self._summarizer.Info,
                summarization_pb2.InfoRequest(),
                timeout,
                rid,
            )
            return info_from_proto(reply.info, max_source_tokens=reply.max_source_tokens)
        raise ValueError(f"unknown service {service!r}: detector, translator or summarizer")

    async def language_pairs(self, *, request_id: str | None = None) -> list[LanguagePair]:
        """The translator's source → target directions and the model of each."""
        reply = await self._call(
            "info",
            self.config.translator,
            self._translator.ListLanguagePairs,
            translation_pb2.ListLanguagePairsRequest(),
            self.config.detect_timeout,
            request_id or uuid.uuid4().hex,
        )
        return [
            LanguagePair(
                p.source_language_code,
                p.target_language_code,
                model_from_proto(p.model),
                p.quality_note,
            )
            for p in reply.pairs
        ]

    async def brief(
        self,
        text: str,
        *,
        source_language: str = "",
        request_id: str | None = None,
        **options: Unpack[SummarizeOptions],
    ) -> Brief:
        """detect → translate (uk, ru) or pass through (en) → summarize; each bullet
        carries the original sentence(s) it came from. `source_language` skips the
        detection (what LANGUAGE_UNCERTAIN asks for); options as summarize
        (num_beams applies to the translation too)."""
        rid = request_id or uuid.uuid4().hex
        with tracing.span("newsdesk.brief", **{"newsdesk.request_id": rid}):
            brief = await self._brief(text, rid, source_language, options)
            notes = await self._quality_notes(rid)
        return replace(brief, quality_note=notes.get(brief.language, ""))

    async def _brief(
        self,
        text: str,
        rid: str,
        source_language: str,
        options: SummarizeOptions,
        *,
        partial: bool = False,
    ) -> Brief:
        timings: dict[str, float] = {}
        started = time.perf_counter()
        if source_language:
            # The caller named the language: no detection (confidence 1.0).
            language = source = source_language.strip().lower()
            confidence = 1.0
        else:
            detection = await self.detect(text, request_id=rid)
            timings["detect"] = (time.perf_counter() - started) * 1000
            language, confidence = detection.language, detection.confidence
            # A reliable uk/ru/en decision is passed on; anything else lets the
            # translator decide (and refuse unsupported languages with a clear error).
            reliable = detection.reliable and language in ("uk", "ru", "en")
            source = language if reliable else ""
        # English goes through the translator too: its passthrough costs no model
        # work and gives the text in house style, with the sentence alignment.
        t0 = time.perf_counter()
        translate_options: TranslateOptions = {
            "alignment": True,
            "house_style": options.get("house_style", True),
            "style_entries": options.get("style_entries"),
            "num_beams": options.get("num_beams"),
        }
        if partial:
            # Per-item results: this document's own error, never a whole-call one.
            (outcome,) = await self.translate_each(
                [text], source_language=source, request_id=rid, **translate_options
            )
            if outcome.translation is None:
                assert outcome.error is not None
                raise outcome.error
            translation = outcome.translation
        else:
            translation = await self.translate(
                text, source_language=source, request_id=rid, **translate_options
            )
        timings["translate"] = (time.perf_counter() - t0) * 1000
        english = translation.text
        t0 = time.perf_counter()
        # The shortfall note counts the article's sentences: a translation's, as the
        # aligned source sentences (a tiny or loose model may join several into one).
        translated = translation.source_language != "en"
        article = len(translation.alignment) if translated else 0
        summary = await self.summarize(
            english, request_id=rid, source_sentences=article or None, **options
        )
        timings["summarize"] = (time.perf_counter() - t0) * 1000
        timings["total"] = (time.perf_counter() - started) * 1000
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
            sources=tuple(
                provenance(b, text, english, translation.alignment) for b in summary.bullet_sources
            ),
            shortfall=summary.shortfall,
            shortfall_detail=summary.shortfall_detail,
            house_style={"translate": translation.house_style, "summarize": summary.house_style},
            flags=translation.segments.flags,
        )

    async def brief_many(
        self,
        texts: Sequence[str],
        *,
        concurrency: int = 4,
        source_language: str = "",
        **options: Unpack[SummarizeOptions],
    ) -> list[BriefOutcome]:
        """Briefs of many texts, `concurrency` in flight, results in input order; a
        failed item carries its error and does not stop the rest (translations are
        asked for with per-item results). Options as brief."""

        async def one(text: str) -> Brief:
            rid = uuid.uuid4().hex
            with tracing.span("newsdesk.brief", **{"newsdesk.request_id": rid}):
                return await self._brief(text, rid, source_language, options, partial=True)

        results = await _each(texts, one, concurrency)
        notes = await self._quality_notes() if any(isinstance(r, Brief) for r in results) else {}
        return [
            BriefOutcome(i, brief=replace(r, quality_note=notes.get(r.language, "")))
            if isinstance(r, Brief)
            # Each text goes alone (contents[0]): named as the caller's item instead.
            else BriefOutcome(i, error=r.about(f"texts[{i}]"))
            for i, r in enumerate(results)
        ]

    async def _quality_notes(self, request_id: str | None = None) -> dict[str, str]:
        """The translator's quality note per source language (ListLanguagePairs, asked
        once per client); {} when it cannot be asked now (the briefs stand without)."""
        if self._notes is None:
            try:
                pairs = await self.language_pairs(request_id=request_id)
            except NewsdeskError:
                return {}
            self._notes = {p.source: p.quality_note for p in pairs if p.quality_note}
        return self._notes


class TranslateOptions(TypedDict, total=False):
    """Options of the translate calls."""

    house_style: bool
    style_entries: Mapping[str, str] | None
    alignment: bool
    num_beams: int | None


class SummarizeOptions(TypedDict, total=False):
    """Options of summarize and brief (None: the server's default)."""

    bullet_count: int | None
    summary_max_words: int | None
    headline_max_words: int | None
    bullet_max_words: int | None
    num_beams: int | None
    house_style: bool
    style_entries: Mapping[str, str] | None


async def _each(
    texts: Sequence[str], work: Callable[[str], Awaitable[T]], concurrency: int
) -> list[T | NewsdeskError]:
    """`work` on every text, `concurrency` at a time, results (or the NewsdeskError of
    each failed item) in input order."""
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    gate = asyncio.Semaphore(concurrency)

    async def one(text: str) -> T | NewsdeskError:
        async with gate:
            try:
                return await work(text)
            except NewsdeskError as err:
                return err

    return list(await asyncio.gather(*(one(t) for t in texts)))


def _style_options(
    enabled: bool, entries: Mapping[str, str] | None
) -> common_pb2.HouseStyleOptions:
    return common_pb2.HouseStyleOptions(
        disabled=not enabled,
        extra_entries=[
            common_pb2.StyleEntry(variant=v, preferred=p) for v, p in (entries or {}).items()
        ],
    )


def provenance(
    source: BulletSource,
    original: str,
    english: str,
    alignment: tuple[AlignedSentence, ...] | None,
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


def _valid(stage: str, field: str, texts: Sequence[str]) -> list[str]:
    """The texts, or NewsdeskError (INVALID_ARGUMENT, nothing sent) for one that is not
    valid Unicode text: a lone surrogate cannot be encoded as UTF-8, so no gRPC message
    can carry it (e.g. text decoded with errors="surrogateescape")."""
    for index, text in enumerate(texts):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as err:
            name = field if field == "text" else f"{field}[{index}]"
            raise NewsdeskError(
                stage,
                "INVALID_ARGUMENT",
                f"{name} is not valid Unicode: a lone surrogate at character {err.start}; "
                "nothing was sent (decode the source text as UTF-8 with errors='replace')",
                violations=((name, "lone surrogate"),),
            ) from None
    return list(texts)
