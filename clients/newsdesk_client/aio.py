"""AsyncNewsdeskClient: the transport to the detector, translator and summarizer over
grpc.aio.

Owns one channel per service (closed by `close()` / `async with`), sets a deadline on
every call, retries UNAVAILABLE through the channel's service config, retries overload
refusals after the server's RetryInfo delay, and sends one x-request-id per call (the
same to every hop of a brief). Requests are built and answers read in wire.py; the
brief chain (which calls a brief makes) is chain.py's.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Unpack

import grpc

from newsdesk.language.v1 import language_pb2, language_pb2_grpc
from newsdesk.summarization.v1 import summarization_pb2, summarization_pb2_grpc
from newsdesk.translation.v1 import translation_pb2, translation_pb2_grpc
from newsdesk_client.archive import AsyncArchive, no_archive
from newsdesk_client.chain import Brief, BriefChain, BriefOutcome, Filing, each
from newsdesk_client.config import ClientConfig
from newsdesk_client.errors import NewsdeskError
from newsdesk_client.types import (
    Detection,
    LanguagePair,
    ServiceInfo,
    Summary,
    SummaryOutcome,
    TranslatedParagraph,
    Translation,
    TranslationOutcome,
)
from newsdesk_client.wire import (
    SummarizeOptions,
    TranslateOptions,
    detection_from_proto,
    info_from_proto,
    model_from_proto,
    paragraph_from_proto,
    summarize_request,
    summary_from_proto,
    translate_request,
    translate_stream_request,
    translation_from_proto,
    valid_texts,
)
from newsdesk_shared import tracing

if TYPE_CHECKING:
    from newsdesk_client.web import Page

__all__ = ["AsyncNewsdeskClient", "SummarizeOptions", "TranslateOptions"]

SERVICES = ("detector", "translator", "summarizer")


class AsyncNewsdeskClient:
    """The asynchronous client. Use as `async with AsyncNewsdeskClient() as client:`."""

    def __init__(self, config: ClientConfig | None = None, **addresses: str | None) -> None:
        self.config = config or ClientConfig.from_env(None, **addresses)
        tracing.configure("newsdesk-client")  # NEWSDESK_TRACING=1; before any channel
        self._channels = {name: self._channel(getattr(self.config, name)) for name in SERVICES}
        self._detector = language_pb2_grpc.LanguageServiceStub(self._channels["detector"])
        self._translator = translation_pb2_grpc.TranslationServiceStub(self._channels["translator"])
        self._summarizer = summarization_pb2_grpc.SummarizationServiceStub(
            self._channels["summarizer"]
        )
        self._archive: AsyncArchive | None = None
        if self.config.archive:
            self._channels["archive"] = self._channel(self.config.archive)
            self._archive = AsyncArchive(self, self._channels["archive"])
        self._chain = BriefChain(self)

    def _channel(self, address: str) -> grpc.aio.Channel:
        options = self.config.channel_options()
        creds = self.config.credentials()
        if creds is not None:
            return grpc.aio.secure_channel(address, creds, options=options)
        return grpc.aio.insecure_channel(address, options=options)

    @property
    def archive(self) -> AsyncArchive:
        """The archive's calls (add, get, list, delete, search, related, background,
        info); NewsdeskError FAILED_PRECONDITION when no archive address is set."""
        if self._archive is None:
            raise no_archive()
        return self._archive

    @property
    def has_archive(self) -> bool:
        """Whether an archive address is configured."""
        return self._archive is not None

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
        request_id: str | None,
    ) -> Any:
        """One call under one overall deadline. RESOURCE_EXHAUSTED with a RetryInfo
        delay is retried after that delay (with jitter, growing per attempt) while the
        deadline allows, so overload slows a batch job down instead of failing it.
        UNAVAILABLE is retried by the channel's service config."""
        request_id = request_id or uuid.uuid4().hex
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
            language_pb2.DetectLanguageRequest(
                texts=valid_texts("detect", "texts", texts), top_k=top_k
            ),
            self.config.detect_timeout,
            request_id,
        )
        return [detection_from_proto(d) for d in reply.detections]

    async def detect(
        self, text: str, *, top_k: int = 3, request_id: str | None = None
    ) -> Detection:
        """The language of one text, with up to top_k ranked candidates."""
        return (await self.detect_many([text], top_k=top_k, request_id=request_id))[0]

    async def _translate(
        self,
        texts: Sequence[str],
        source_language: str,
        request_id: str,
        options: TranslateOptions,
        partial: bool,
    ) -> Any:
        return await self._call(
            "translate",
            self.config.translator,
            self._translator.Translate,
            translate_request(texts, source_language, options, partial=partial),
            self.config.translate_timeout,
            request_id,
        )

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
        `alignment=True` asks for sentence alignment; `num_beams` (1..8);
        `reject_flagged=True` refuses a translation the plausibility gate flagged;
        `extra_terms` protects terms, as (language, term, english)."""
        rid = request_id or uuid.uuid4().hex
        reply = await self._translate(texts, source_language, rid, options, False)
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
        reply = await self._translate(texts, source_language, rid, options, True)
        out = []
        for index, t in enumerate(reply.translations):
            if t.HasField("error"):
                error = NewsdeskError.from_item("translate", t.error, self.config.translator, rid)
                # Named as the caller's item ("texts[2]"), not the request field.
                out.append(TranslationOutcome(index, error=error.about(f"texts[{index}]")))
            else:
                out.append(TranslationOutcome(index, translation_from_proto(t)))
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
        request = translate_stream_request(text, source_language, options)
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
        reply = await self._call(
            "summarize",
            self.config.summarizer,
            self._summarizer.Summarize,
            summarize_request(text, options, source_sentences),
            self.config.summarize_timeout,
            request_id,
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

        results = await each(texts, one, concurrency)
        return [
            SummaryOutcome(i, r)
            if isinstance(r, Summary)
            # Each text goes alone (`text`): named as the caller's item instead.
            else SummaryOutcome(i, error=r.about(f"texts[{i}]"))
            for i, r in enumerate(results)
        ]

    async def brief(
        self,
        text: str,
        *,
        source_language: str = "",
        request_id: str | None = None,
        remember: bool = False,
        published_date: str = "",
        source: str = "",
        url: str = "",
        **options: Unpack[SummarizeOptions],
    ) -> Brief:
        """detect → translate (uk, ru) or pass through (en) → summarize; each bullet
        carries the original sentence(s) it came from. `source_language` skips the
        detection (what LANGUAGE_UNCERTAIN asks for); options as summarize
        (num_beams applies to the translation too). With an archive configured, its
        background bullets come first (see chain.py); `remember=True` stores the brief
        there, with the article's `published_date` (ISO; "" lets the archive read it
        from the text), `source` (the outlet) and `url`. The chain is chain.py's."""
        filing = Filing(published_date, source, url, remember)
        return await self._chain.brief(text, source_language, request_id, options, filing)

    async def brief_page(
        self,
        page: str | bytes,
        *,
        url: str = "",
        allow_private: bool = False,
        source_language: str = "",
        request_id: str | None = None,
        remember: bool = False,
        **options: Unpack[SummarizeOptions],
    ) -> tuple[Page, Brief]:
        """The brief of a web page: `page` is its HTML (with `url` where it came from),
        or "" with `url` to fetch it (http/https, public addresses unless
        `allow_private`; see web.py). The article is extracted (trafilatura: the `web`
        extra), briefed, dated by the page and filed with its site and URL. PageError
        (a ValueError) when it cannot be fetched or holds no article."""
        from newsdesk_client import web

        if page:
            found = web.extract(page, url)
        elif url:
            found = await asyncio.to_thread(web.fetch, url, allow_private)
        else:
            raise ValueError("brief_page needs the page's HTML or its url")
        hinted: SummarizeOptions = {"headline_hint": found.title, **options}
        brief = await self.brief(
            found.text,
            source_language=source_language,
            request_id=request_id,
            remember=remember,
            published_date=found.date,
            source=found.site,
            url=found.url,
            **hinted,
        )
        return found, brief

    async def brief_many(
        self,
        texts: Sequence[str],
        *,
        concurrency: int = 4,
        source_language: str = "",
        filings: Sequence[Filing] | None = None,
        group: bool | float | None = False,
        **options: Unpack[SummarizeOptions],
    ) -> list[BriefOutcome]:
        """Briefs of many texts, `concurrency` in flight, results in input order; a
        failed item carries its error and does not stop the rest (translations are
        asked for with per-item results). Options as brief; `filings`, one per text,
        say each article's date, outlet, URL and whether to store it (chain.Filing).
        `group=True` (or a similarity threshold) briefs near-duplicate texts once
        (grouping.py; the `group` extra): each member's brief is the story's, and
        `Brief.story` lists the members, the briefed one first."""
        threshold: float | None = None
        if group is not False and group is not None:
            from newsdesk_client.grouping import THRESHOLD

            threshold = THRESHOLD if group is True else float(group)
        return await self._chain.brief_many(
            texts, concurrency, source_language, options, filings, threshold
        )

    async def info(self, service: str) -> ServiceInfo:
        """What one service serves: its models, limits and version ("detector",
        "translator" or "summarizer")."""
        if service not in SERVICES:
            raise ValueError(f"unknown service {service!r}: detector, translator or summarizer")
        stub, request = {
            "detector": (self._detector, language_pb2.InfoRequest()),
            "translator": (self._translator, translation_pb2.InfoRequest()),
            "summarizer": (self._summarizer, summarization_pb2.InfoRequest()),
        }[service]
        address = getattr(self.config, service)
        reply = await self._call(
            "info", address, stub.Info, request, self.config.detect_timeout, None
        )
        if service == "detector":
            return info_from_proto(reply.info, languages=reply.supported_language_codes)
        notes = reply.quality_notes if service == "translator" else ()
        return info_from_proto(
            reply.info, max_source_tokens=reply.max_source_tokens, quality_notes=notes
        )

    async def language_pairs(self, *, request_id: str | None = None) -> list[LanguagePair]:
        """The translator's source → target directions and the model of each."""
        reply = await self._call(
            "info",
            self.config.translator,
            self._translator.ListLanguagePairs,
            translation_pb2.ListLanguagePairsRequest(),
            self.config.detect_timeout,
            request_id,
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
