"""TranslationService servicer: proto ⇄ domain only; the work is in pipeline.py."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import grpc

from newsdesk.translation.v1 import translation_pb2, translation_pb2_grpc
from services.common.errors import UnsupportedLanguage
from services.common.inference import InferenceRunner
from services.common.protoutil import model_info, server_info, timing
from services.common.validation import check_batch
from services.translator.pipeline import (
    TARGET,
    DocumentResult,
    DocumentTranslator,
    LanguageDecision,
    SegmentReport,
)

SERVICE_NAME = translation_pb2.DESCRIPTOR.services_by_name["TranslationService"].full_name


def report_to_proto(report: SegmentReport) -> translation_pb2.SegmentReport:
    """Domain segment report → proto."""
    return translation_pb2.SegmentReport(
        paragraphs=report.paragraphs,
        source_segments=report.source_segments,
        translated_segments=report.translated_segments,
        split_segments=report.split_segments,
        truncated=report.truncated,
        source_tokens=report.source_tokens,
        target_tokens=report.target_tokens,
        fallback_segments=report.fallback_segments,
    )


def result_to_proto(result: DocumentResult) -> translation_pb2.Translation:
    """Domain document result → proto."""
    return translation_pb2.Translation(
        translated_text=result.text,
        source_language_code=result.language.source,
        detected_language_code=result.language.detected,
        detection_confidence=result.language.confidence,
        model=model_info(result.model),
        segments=report_to_proto(result.report),
    )


def _check_target(code: str) -> None:
    if code.strip().lower() not in ("", TARGET):
        raise UnsupportedLanguage(code, "target_language_code", [TARGET])


class TranslationServicer(translation_pb2_grpc.TranslationServiceServicer):
    """Answers Translate, TranslateStream, ListLanguagePairs and Info."""

    def __init__(
        self,
        translator: DocumentTranslator,
        runner: InferenceRunner,
        *,
        max_chars: int,
        max_batch: int,
        max_concurrent_rpcs: int,
    ) -> None:
        self.translator = translator
        self.runner = runner
        self.max_chars = max_chars
        self.max_batch = max_batch
        self.max_concurrent_rpcs = max_concurrent_rpcs

    async def Translate(
        self, request: translation_pb2.TranslateRequest, context: grpc.aio.ServicerContext
    ) -> translation_pb2.TranslateResponse:
        """Translate a batch of documents; any bad document fails the call naming it."""
        started = time.perf_counter()
        contents = list(request.contents)
        check_batch(
            contents,
            field="contents",
            max_batch=self.max_batch,
            max_chars=self.max_chars,
            allow_empty_items=False,
        )
        _check_target(request.target_language_code)
        # One job for the whole request, off the event loop: language decisions (the
        # detector), then sentences of all documents sharing model batches.
        results, queue_ms, run_ms = await self.runner.run(
            self._decide_and_translate, contents, request.source_language_code
        )
        return translation_pb2.TranslateResponse(
            translations=[result_to_proto(r) for r in results],
            timing=timing(started, queue_ms, run_ms),
        )

    def _decide_and_translate(self, contents: list[str], requested: str) -> list[DocumentResult]:
        decisions = [
            self.translator.decide_language(text, requested, f"contents[{i}]")
            for i, text in enumerate(contents)
        ]
        return self.translator.translate_documents(list(zip(contents, decisions, strict=True)))

    async def TranslateStream(
        self, request: translation_pb2.TranslateStreamRequest, context: grpc.aio.ServicerContext
    ) -> AsyncIterator[translation_pb2.TranslateStreamResponse]:
        """Translate one document, streaming its paragraphs in order as they finish."""
        check_batch(
            [request.content],
            field="content",
            max_batch=1,
            max_chars=self.max_chars,
            allow_empty_items=False,
        )
        _check_target(request.target_language_code)
        decision: LanguageDecision
        decision, _, _ = await self.runner.run(
            self.translator.decide_language,
            request.content,
            request.source_language_code,
            "content",
        )
        paragraphs, breaks = self.translator.paragraphs_of(request.content)
        model = model_info(self.translator.model_for(decision.source))
        for index, (paragraph, brk) in enumerate(zip(paragraphs, breaks, strict=True)):
            result, _, _ = await self.runner.run(
                self.translator.translate_one_paragraph, paragraph, brk, index, decision
            )
            yield translation_pb2.TranslateStreamResponse(
                paragraph_index=index,
                paragraph_count=len(paragraphs),
                translated_text=result.text,
                source_language_code=decision.source,
                detected_language_code=decision.detected,
                model=model,
                segments=report_to_proto(result.report),
            )

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
        )
