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
from collections.abc import Sequence
from types import TracebackType
from typing import Any

import grpc

from newsdesk.language.v1 import language_pb2, language_pb2_grpc
from newsdesk.summarization.v1 import summarization_pb2, summarization_pb2_grpc
from newsdesk.translation.v1 import translation_pb2, translation_pb2_grpc
from newsdesk_client import tracing
from newsdesk_client.config import ClientConfig
from newsdesk_client.convert import detection_from_proto, summary_from_proto, translation_from_proto
from newsdesk_client.errors import NewsdeskError
from newsdesk_client.types import Brief, BriefOutcome, Detection, ModelInfo, Summary, Translation


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

    async def translate_many(
        self,
        texts: Sequence[str],
        *,
        source_language: str = "",
        request_id: str | None = None,
    ) -> list[Translation]:
        """English translations of documents (source language detected when empty)."""
        reply = await self._call(
            "translate",
            self.config.translator,
            self._translator.Translate,
            translation_pb2.TranslateRequest(
                contents=_valid("translate", "contents", texts),
                source_language_code=source_language,
                target_language_code="en",
            ),
            self.config.translate_timeout,
            request_id or uuid.uuid4().hex,
        )
        return [translation_from_proto(t) for t in reply.translations]

    async def translate(
        self, text: str, *, source_language: str = "", request_id: str | None = None
    ) -> Translation:
        """The English translation of one document."""
        return (
            await self.translate_many(
                [text], source_language=source_language, request_id=request_id
            )
        )[0]

    async def summarize(
        self,
        text: str,
        *,
        bullet_count: int | None = None,
        summary_max_words: int | None = None,
        request_id: str | None = None,
    ) -> Summary:
        """Headline, summary and background bullets of an English text."""
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
                text=_valid("summarize", "text", [text])[0], options=options
            ),
            self.config.summarize_timeout,
            request_id or uuid.uuid4().hex,
        )
        return summary_from_proto(reply)

    async def brief(self, text: str, *, request_id: str | None = None) -> Brief:
        """detect → translate (uk, ru) or pass through (en) → summarize."""
        rid = request_id or uuid.uuid4().hex
        with tracing.span("newsdesk.brief", **{"newsdesk.request_id": rid}):
            return await self._brief(text, rid)

    async def _brief(self, text: str, rid: str) -> Brief:
        timings: dict[str, float] = {}
        models: dict[str, ModelInfo] = {}
        started = time.perf_counter()
        detection = await self.detect(text, request_id=rid)
        timings["detect"] = (time.perf_counter() - started) * 1000
        english, translated = text, False
        if not (detection.language == "en" and detection.reliable):
            t0 = time.perf_counter()
            # A reliable uk/ru decision is passed on; anything else lets the translator
            # decide (and refuse unsupported languages with a clear error).
            source = (
                detection.language
                if (detection.reliable and detection.language in ("uk", "ru"))
                else ""
            )
            translation = await self.translate(text, source_language=source, request_id=rid)
            timings["translate"] = (time.perf_counter() - t0) * 1000
            english = translation.text
            translated = translation.source_language != "en"
            models["translate"] = translation.model
        t0 = time.perf_counter()
        summary = await self.summarize(english, request_id=rid)
        timings["summarize"] = (time.perf_counter() - t0) * 1000
        timings["total"] = (time.perf_counter() - started) * 1000
        models["summarize"] = summary.model
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
        )

    async def brief_many(self, texts: Sequence[str], *, concurrency: int = 4) -> list[BriefOutcome]:
        """Briefs of many texts, `concurrency` in flight, results in input order; a
        failed item carries its error and does not stop the rest."""
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        gate = asyncio.Semaphore(concurrency)

        async def one(index: int, text: str) -> BriefOutcome:
            async with gate:
                try:
                    return BriefOutcome(index, brief=await self.brief(text))
                except NewsdeskError as err:
                    return BriefOutcome(index, error=err)

        return list(await asyncio.gather(*(one(i, t) for i, t in enumerate(texts))))


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
