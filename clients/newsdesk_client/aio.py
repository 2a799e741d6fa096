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
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any

import grpc

from newsdesk.common.v1 import common_pb2
from newsdesk.language.v1 import language_pb2, language_pb2_grpc
from newsdesk.summarization.v1 import summarization_pb2, summarization_pb2_grpc
from newsdesk.translation.v1 import translation_pb2, translation_pb2_grpc
from newsdesk_client import tracing
from newsdesk_client.config import ClientConfig
from newsdesk_client.convert import detection_from_proto, summary_from_proto, translation_from_proto
from newsdesk_client.errors import NewsdeskError
from newsdesk_client.types import (
    AlignedSentence,
    Brief,
    BriefOutcome,
    BulletProvenance,
    BulletSource,
    Detection,
    ModelInfo,
    SourceSentence,
    StyleReport,
    Summary,
    Translation,
    TranslationOutcome,
)


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

    async def detect(self, text: str, *, request_id: str | None = None) -> Detection:
        """The language of one text."""
        return (await self.detect_many([text], request_id=request_id))[0]

    async def _translate(
        self,
        texts: Sequence[str],
        *,
        source_language: str,
        request_id: str | None,
        house_style: bool,
        style_entries: Mapping[str, str] | None,
        alignment: bool,
        partial: bool,
    ) -> list[translation_pb2.Translation]:
        reply = await self._call(
            "translate",
            self.config.translator,
            self._translator.Translate,
            translation_pb2.TranslateRequest(
                contents=_valid("translate", "contents", texts),
                source_language_code=source_language,
                target_language_code="en",
                house_style=_style_options(house_style, style_entries),
                include_alignment=alignment,
                partial_results=partial,
            ),
            self.config.translate_timeout,
            request_id or uuid.uuid4().hex,
        )
        return list(reply.translations)

    async def translate_many(
        self,
        texts: Sequence[str],
        *,
        source_language: str = "",
        request_id: str | None = None,
        house_style: bool = True,
        style_entries: Mapping[str, str] | None = None,
        alignment: bool = False,
    ) -> list[Translation]:
        """English translations of documents (source language detected when empty);
        one bad document fails the call (see translate_each). `house_style=False`
        leaves the model's spelling; `style_entries` adds desk rules
        ({"Kiev": "Kyiv"}); `alignment` asks for sentence alignment."""
        replies = await self._translate(
            texts,
            source_language=source_language,
            request_id=request_id,
            house_style=house_style,
            style_entries=style_entries,
            alignment=alignment,
            partial=False,
        )
        return [translation_from_proto(t) for t in replies]

    async def translate_each(
        self,
        texts: Sequence[str],
        *,
        source_language: str = "",
        request_id: str | None = None,
        house_style: bool = True,
        style_entries: Mapping[str, str] | None = None,
        alignment: bool = False,
    ) -> list[TranslationOutcome]:
        """Like translate_many, but a document that cannot be translated (empty,
        unsupported or uncertain language, too long) carries its own error and the
        others are translated (the server's partial_results)."""
        rid = request_id or uuid.uuid4().hex
        replies = await self._translate(
            texts,
            source_language=source_language,
            request_id=rid,
            house_style=house_style,
            style_entries=style_entries,
            alignment=alignment,
            partial=True,
        )
        out = []
        for index, t in enumerate(replies):
            if t.HasField("error"):
                error = NewsdeskError.from_item("translate", t.error, self.config.translator, rid)
                out.append(TranslationOutcome(index, error=error))
            else:
                out.append(TranslationOutcome(index, translation=translation_from_proto(t)))
        return out

    async def translate(
        self, text: str, *, source_language: str = "", request_id: str | None = None, **kw: Any
    ) -> Translation:
        """The English translation of one document (options as translate_many)."""
        return (
            await self.translate_many(
                [text], source_language=source_language, request_id=request_id, **kw
            )
        )[0]

    async def summarize(
        self,
        text: str,
        *,
        bullet_count: int | None = None,
        summary_max_words: int | None = None,
        request_id: str | None = None,
        house_style: bool = True,
        style_entries: Mapping[str, str] | None = None,
    ) -> Summary:
        """Headline, summary and background bullets of an English text, with the
        spans of the sentences each bullet was drawn from."""
        options = summarization_pb2.SummarizeOptions()
        if bullet_count is not None:
            options.bullet_count = bullet_count
        if summary_max_words is not None:
            options.summary_max_words = summary_max_words
        reply = await self._call(
            "summarize",
            self.config.summarizer,
            self._summarizer.Summarize,
            summarization_pb2.SummarizeRequest(
                text=_valid("summarize", "text", [text])[0],
                options=options,
                house_style=_style_options(house_style, style_entries),
            ),
            self.config.summarize_timeout,
            request_id or uuid.uuid4().hex,
        )
        return summary_from_proto(reply)

    async def brief(
        self,
        text: str,
        *,
        request_id: str | None = None,
        house_style: bool = True,
        style_entries: Mapping[str, str] | None = None,
    ) -> Brief:
        """detect → translate (uk, ru) or pass through (en) → summarize; each bullet
        carries the original sentence(s) it came from."""
        rid = request_id or uuid.uuid4().hex
        style = {"house_style": house_style, "style_entries": style_entries}
        with tracing.span("newsdesk.brief", **{"newsdesk.request_id": rid}):
            return await self._brief(text, rid, style)

    async def _brief(
        self, text: str, rid: str, style: dict[str, Any], *, partial: bool = False
    ) -> Brief:
        timings: dict[str, float] = {}
        models: dict[str, ModelInfo] = {}
        styles: dict[str, StyleReport] = {}
        started = time.perf_counter()
        detection = await self.detect(text, request_id=rid)
        timings["detect"] = (time.perf_counter() - started) * 1000
        # English goes through the translator too: its passthrough costs no model
        # work and gives the text in house style, with the sentence alignment.
        t0 = time.perf_counter()
        # A reliable uk/ru/en decision is passed on; anything else lets the translator
        # decide (and refuse unsupported languages with a clear error).
        source = (
            detection.language
            if (detection.reliable and detection.language in ("uk", "ru", "en"))
            else ""
        )
        if partial:
            # Per-item results: this document's own error, never a whole-call one.
            (outcome,) = await self.translate_each(
                [text], source_language=source, request_id=rid, alignment=True, **style
            )
            if outcome.translation is None:
                assert outcome.error is not None
                raise outcome.error
            translation = outcome.translation
        else:
            translation = await self.translate(
                text, source_language=source, request_id=rid, alignment=True, **style
            )
        timings["translate"] = (time.perf_counter() - t0) * 1000
        english = translation.text
        translated = translation.source_language != "en"
        models["translate"] = translation.model
        styles["translate"] = translation.house_style
        alignment = translation.alignment
        t0 = time.perf_counter()
        summary = await self.summarize(english, request_id=rid, **style)
        timings["summarize"] = (time.perf_counter() - t0) * 1000
        timings["total"] = (time.perf_counter() - started) * 1000
        models["summarize"] = summary.model
        styles["summarize"] = summary.house_style
        return Brief(
            language=detection.language,
            confidence=detection.confidence,
            english_text=english,
            headline=summary.headline,
            summary=summary.summary,
            bullets=summary.bullets,
            models=models,
            timings_ms=timings,
            request_id=rid,
            translated=translated,
            sources=tuple(provenance(b, text, english, alignment) for b in summary.bullet_sources),
            shortfall=summary.shortfall,
            shortfall_detail=summary.shortfall_detail,
            house_style=styles,
        )

    async def brief_many(
        self,
        texts: Sequence[str],
        *,
        concurrency: int = 4,
        house_style: bool = True,
        style_entries: Mapping[str, str] | None = None,
    ) -> list[BriefOutcome]:
        """Briefs of many texts, `concurrency` in flight, results in input order; a
        failed item carries its error and does not stop the rest (translations are
        asked for with per-item results)."""
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        gate = asyncio.Semaphore(concurrency)
        style = {"house_style": house_style, "style_entries": style_entries}

        async def one(index: int, text: str) -> BriefOutcome:
            async with gate:
                rid = uuid.uuid4().hex
                try:
                    with tracing.span("newsdesk.brief", **{"newsdesk.request_id": rid}):
                        brief = await self._brief(text, rid, style, partial=True)
                    return BriefOutcome(index, brief=brief)
                except NewsdeskError as err:
                    return BriefOutcome(index, error=err)

        return list(await asyncio.gather(*(one(i, t) for i, t in enumerate(texts))))


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
