"""TranslationService servicer: proto ⇄ domain only — validation, the request's options
(wire.py), a call to the DocumentTranslator (pipeline.py: the request path), and the
results back as protos."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import AsyncIterator, Mapping
from concurrent.futures import Executor

import grpc

from newsdesk.translation.v1 import translation_pb2, translation_pb2_grpc
from services.common.batching.batcher import DynamicBatcher
from services.common.batching.plan import Timing, run_async
from services.common.errors import InvalidArgument, ServiceError, UnsupportedLanguage
from services.common.models.store import QUALITY_NOTES
from services.common.serving.protoutil import deadline_of, model_info, server_info, timing
from services.common.serving.validation import check_batch, check_language_code
from services.common.text.glossary import Glossary
from services.translator.loader import DECLARABLE
from services.translator.pipeline import DocumentTranslator
from services.translator.prepare import TARGET
from services.translator.wire import Request, options_of, paragraph_to_proto, result_to_proto

SERVICE_NAME = translation_pb2.DESCRIPTOR.services_by_name["TranslationService"].full_name


def _check_codes(request: Request) -> None:
    """Language codes are short BCP 47 tags, checked before anything else (a code is
    never echoed at length into a status or a log line)."""
    check_language_code(request.source_language_code, "source_language_code")
    check_language_code(request.target_language_code, "target_language_code")
    for i, entry in enumerate(request.extra_terms):
        check_language_code(entry.language_code, f"extra_terms[{i}].language_code")


def _check_target(code: str) -> None:
    if code.strip().lower() not in ("", TARGET):
        raise UnsupportedLanguage(code, "target_language_code", [TARGET])


class TranslationServicer(translation_pb2_grpc.TranslationServiceServicer):
    """Answers Translate, TranslateStream, ListLanguagePairs and Info."""

    def __init__(
        self,
        translator: DocumentTranslator,
        batchers: Mapping[str, DynamicBatcher],
        executor: Executor,
        *,
        max_chars: int,
        max_batch: int,
        max_concurrent_rpcs: int,
        house_style: Glossary | None = None,
    ) -> None:
        self.translator = translator
        self.batchers = batchers
        self.executor = executor
        self.max_chars = max_chars
        self.max_batch = max_batch
        self.max_concurrent_rpcs = max_concurrent_rpcs
        self.house_style = house_style  # the server's, under each request's options

    async def Translate(
        self, request: translation_pb2.TranslateRequest, context: grpc.aio.ServicerContext
    ) -> translation_pb2.TranslateResponse:
        """Translate a batch of documents. A bad document fails the call naming it, or,
        with partial_results, gets an error of its own while the rest are translated."""
        started = time.perf_counter()
        _check_codes(request)
        failed = self._check_contents(request)
        _check_target(request.target_language_code)
        self._check_source(request.source_language_code)
        options = options_of(request, self.house_style, self.translator.policy.names is not None)
        spent = Timing()
        results = await run_async(
            self.translator.plan(list(request.contents), options, failed),
            self.batchers,
            deadline=deadline_of(context),
            executor=self.executor,
            timing=spent,
        )
        return translation_pb2.TranslateResponse(
            translations=[result_to_proto(r, alignment=options.alignment) for r in results],
            timing=timing(started, spent.queue_s * 1000, spent.model_s * 1000),
        )

    def _check_contents(self, request: translation_pb2.TranslateRequest) -> dict[int, ServiceError]:
        """The batch's size and its documents': a bad document fails the call, or with
        partial_results, only itself (its error, by index, is returned)."""
        contents = list(request.contents)
        partial = request.partial_results
        check_batch(
            contents,
            field="contents",
            max_batch=self.max_batch,
            max_chars=sys.maxsize if partial else self.max_chars,
            allow_empty_items=partial,
        )
        failed: dict[int, ServiceError] = {}
        for index, text in enumerate(contents if partial else ()):
            try:
                check_batch(
                    [text],
                    field=f"contents[{index}]",
                    max_batch=1,
                    max_chars=self.max_chars,
                    allow_empty_items=False,
                    single=True,
                )
            except InvalidArgument as error:
                failed[index] = error
        return failed

    async def TranslateStream(
        self, request: translation_pb2.TranslateStreamRequest, context: grpc.aio.ServicerContext
    ) -> AsyncIterator[translation_pb2.TranslateStreamResponse]:
        """Translate one document, streaming its paragraphs in order as they finish.

        The whole document is admitted once, before the first paragraph: nothing is
        refused after that. If the caller goes, its remaining jobs are dropped."""
        _check_codes(request)
        check_batch(
            [request.content],
            field="content",
            max_batch=1,
            max_chars=self.max_chars,
            allow_empty_items=False,
        )
        _check_target(request.target_language_code)
        options = options_of(request, self.house_style, self.translator.policy.names is not None)
        paragraphs = self.translator.stream(
            request.content,
            options,
            self.batchers,
            deadline=deadline_of(context),
            executor=self.executor,
        )
        async with contextlib.aclosing(paragraphs):  # a caller gone drops its jobs now
            async for paragraph in paragraphs:
                yield paragraph_to_proto(paragraph, alignment=options.alignment)

    def _check_source(self, code: str) -> None:
        """A requested source language is a request-wide field: one the deployment does
        not serve fails the whole call, per-item results or not."""
        supported = self.translator.supported()
        if code.strip() and code.strip().lower() not in supported:
            raise UnsupportedLanguage(code.strip().lower(), "source_language_code", supported)

    async def ListLanguagePairs(
        self,
        request: translation_pb2.ListLanguagePairsRequest,
        context: grpc.aio.ServicerContext,
    ) -> translation_pb2.ListLanguagePairsResponse:
        """The served directions, English passthrough included."""
        return translation_pb2.ListLanguagePairsResponse(
            pairs=[
                translation_pb2.LanguagePair(
                    source_language_code=lang,
                    target_language_code=TARGET,
                    model=model_info(self.translator.model_for(lang)),
                    quality_note=self._note(lang),
                )
                for lang in self.translator.supported()
            ]
        )

    async def Info(
        self, request: translation_pb2.InfoRequest, context: grpc.aio.ServicerContext
    ) -> translation_pb2.InfoResponse:
        """Describe the service, its models and limits."""
        engines = {id(e): e for e in self.translator.engines.values()}.values()
        return translation_pb2.InfoResponse(
            info=server_info(
                SERVICE_NAME,
                [model_info(e.model) for e in engines],
                max_chars=self.max_chars,
                max_batch=self.max_batch,
                max_concurrent_rpcs=self.max_concurrent_rpcs,
            ),
            max_source_tokens=min((e.max_source_tokens for e in engines), default=0),
            quality_notes=[
                note for lang in self.translator.supported() if (note := self._note(lang))
            ],
        )

    def _note(self, language: str) -> str:
        """The quality caveat of a served language (a known model's, or a generic one
        for a language a locally declared model adds)."""
        model = self.translator.model_for(language)
        note = QUALITY_NOTES.get((model.id, language), "")
        if not note and language in DECLARABLE and language in self.translator.engines:
            note = f"{language}: served by {model.id}, which declares it; expect lower quality"
        return note
