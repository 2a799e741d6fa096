"""TranslationService servicer: proto ⇄ domain only. The work is in pipeline.py (the
plan of a request) and the shared batchers (the model work)."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from concurrent.futures import Executor

import grpc

from newsdesk.translation.v1 import translation_pb2, translation_pb2_grpc
from services.common.batching.batcher import DynamicBatcher
from services.common.batching.plan import JobSet, Timing, run_async
from services.common.errors import (
    InvalidArgument,
    ServiceError,
    UnsupportedLanguage,
    Violations,
)
from services.common.models.store import QUALITY_NOTES
from services.common.serving.protoutil import (
    deadline_of,
    house_style_of,
    item_error,
    model_info,
    server_info,
    span,
    style_report,
    timing,
)
from services.common.serving.validation import check_batch, check_language_code, check_range
from services.common.text.glossary import Glossary, GlossaryEntry, GlossaryError, check_term
from services.common.text.language import LanguageDecision
from services.translator.cache import TranslationCache
from services.translator.loader import DECLARABLE
from services.translator.pipeline import (
    TARGET,
    DocumentResult,
    DocumentTranslator,
    Prepared,
    SegmentReport,
    SentenceAlignment,
    Unit,
)
from services.translator.terms import TermGlossary, check_pattern

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
        cached_segments=report.cached_segments,
        terms_protected=report.terms_protected,
        terms_restored=report.terms_restored,
        terms_dropped=report.terms_dropped,
        terms_invented=report.terms_invented,
        flagged_segments=report.flagged_segments,
        retried_segments=report.retried_segments,
        flags=[
            translation_pb2.SegmentFlag(
                paragraph_index=f.paragraph,
                sentence_index=f.sentence,
                source=span(f.source),
                reasons=list(f.reasons),
            )
            for f in report.flags
        ],
    )


def alignment_to_proto(items: list[SentenceAlignment]) -> list[translation_pb2.SentenceAlignment]:
    """Domain sentence alignment → proto."""
    return [
        translation_pb2.SentenceAlignment(
            paragraph_index=a.paragraph,
            source=span(a.source),
            target=span(a.target),
            pieces=[
                translation_pb2.AlignedPiece(source=span(p.source), target=span(p.target))
                for p in a.pieces
            ],
            flags=list(a.flags),
        )
        for a in items
    ]


def result_to_proto(result: DocumentResult, *, alignment: bool) -> translation_pb2.Translation:
    """Domain document result → proto (an error alone for a failed document)."""
    if result.error is not None:
        return translation_pb2.Translation(error=item_error(result.error))
    return translation_pb2.Translation(
        translated_text=result.text,
        source_language_code=result.language.source,
        detected_language_code=result.language.detected,
        detection_confidence=result.language.confidence,
        model=model_info(result.model),
        segments=report_to_proto(result.report),
        house_style=style_report(result.style),
        alignment=alignment_to_proto(result.alignment) if alignment else [],
    )


MAX_BEAMS = 8
MAX_EXTRA_TERMS = 200


def _beams(
    request: translation_pb2.TranslateRequest | translation_pb2.TranslateStreamRequest,
) -> int | None:
    """The request's num_beams (None: the server's), or INVALID_ARGUMENT naming it."""
    if not request.HasField("num_beams"):
        return None
    problems = Violations()
    check_range(request.num_beams, field="num_beams", low=1, high=MAX_BEAMS, problems=problems)
    problems.raise_if_any(reason="VALUE_OUT_OF_RANGE")
    return request.num_beams


def _check_codes(
    request: translation_pb2.TranslateRequest | translation_pb2.TranslateStreamRequest,
) -> None:
    """Language codes are short BCP 47 tags, checked before anything else (a code is
    never echoed at length into a status or a log line)."""
    check_language_code(request.source_language_code, "source_language_code")
    check_language_code(request.target_language_code, "target_language_code")
    for i, entry in enumerate(getattr(request, "extra_terms", ())):
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
        plausibility: str = "retry",
        cache: TranslationCache | None = None,
        terms: TermGlossary | None = None,
    ) -> None:
        self.terms = terms
        self.house_style = house_style
        self.plausibility = plausibility
        self.cache = cache
        self.translator = translator
        self.batchers = batchers
        self.executor = executor
        self.max_chars = max_chars
        self.max_batch = max_batch
        self.max_concurrent_rpcs = max_concurrent_rpcs

    async def Translate(
        self, request: translation_pb2.TranslateRequest, context: grpc.aio.ServicerContext
    ) -> translation_pb2.TranslateResponse:
        """Translate a batch of documents. A bad document fails the call naming it, or,
        with partial_results, gets an error of its own while the rest are translated."""
        started = time.perf_counter()
        _check_codes(request)
        contents = list(request.contents)
        failed: dict[int, ServiceError] = {}
        if request.partial_results:
            check_batch(
                contents,
                field="contents",
                max_batch=self.max_batch,
                max_chars=sys.maxsize,
                allow_empty_items=True,
            )
            for index, text in enumerate(contents):
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
        else:
            check_batch(
                contents,
                field="contents",
                max_batch=self.max_batch,
                max_chars=self.max_chars,
                allow_empty_items=False,
            )
        _check_target(request.target_language_code)
        self._check_source(request.source_language_code)
        beams = _beams(request)
        style = house_style_of(request.house_style, self.house_style, "house_style")
        terms = self._terms(request.extra_terms)
        spent = Timing()
        results = await run_async(
            self.translator.plan(
                contents,
                request.source_language_code,
                style,
                failed=failed,
                partial=request.partial_results,
                num_beams=beams,
                reject_flagged=request.reject_flagged,
                plausibility=self.plausibility,
                cache=self.cache,
                terms=terms,
            ),
            self.batchers,
            deadline=deadline_of(context),
            executor=self.executor,
            timing=spent,
        )
        return translation_pb2.TranslateResponse(
            translations=[result_to_proto(r, alignment=request.include_alignment) for r in results],
            timing=timing(started, spent.queue_s * 1000, spent.model_s * 1000),
        )

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
        beams = _beams(request)
        style = house_style_of(request.house_style, self.house_style, "house_style")
        loop = asyncio.get_running_loop()
        decision: LanguageDecision = await loop.run_in_executor(
            self.executor,
            self.translator.decide_language,
            request.content,
            request.source_language_code,
            "content",
        )
        prepared = await loop.run_in_executor(
            self.executor,
            self.translator.prepare,
            [(request.content, decision)],
            style,
            beams,
            self.plausibility,
            self.cache,
            self.terms,
        )
        jobs = JobSet(prepared.jobs, self.batchers, deadline=deadline_of(context), admitted=False)
        model = model_info(self.translator.model_for(decision.source))
        try:
            for unit in prepared.units:
                for index in prepared.jobs_of(unit):
                    prepared.accept(index, await jobs.result(index))
                await self._retry(prepared, unit, deadline_of(context))
                result = prepared.paragraph(unit)
                yield translation_pb2.TranslateStreamResponse(
                    paragraph_index=unit.index,
                    paragraph_count=len(prepared.units),
                    translated_text=result.text,
                    source_language_code=decision.source,
                    detected_language_code=decision.detected,
                    model=model,
                    segments=report_to_proto(result.report),
                    house_style=style_report(result.style),
                    alignment=alignment_to_proto(result.alignment)
                    if request.include_alignment
                    else [],
                )
        finally:
            jobs.cancel()

    async def _retry(self, prepared: Prepared, unit: Unit, deadline: float | None) -> None:
        """One retry round for this paragraph's pieces the gate failed."""
        retry = prepared.retries(unit)
        if not retry:
            return
        jobs = JobSet([job for _, job in retry], self.batchers, deadline=deadline, admitted=True)
        try:
            for k, (index, _) in enumerate(retry):
                prepared.accept_retry(index, await jobs.result(k))
        finally:
            jobs.cancel()

    def _terms(self, extra: Sequence[translation_pb2.TermEntry]) -> TermGlossary | None:
        """The server's term glossary with the request's terms on top (validated)."""
        if not extra:
            return self.terms
        problems = Violations()
        entries = []
        for i, entry in enumerate(extra):
            if i >= MAX_EXTRA_TERMS:
                problems.add("extra_terms", f"more than {MAX_EXTRA_TERMS} entries")
                break
            if entry.language_code not in ("uk", "ru"):
                problems.add(f"extra_terms[{i}].language_code", "must be uk or ru")
            for name, check in (("term", check_pattern), ("english", check_term)):
                try:
                    check(getattr(entry, name), "")
                except GlossaryError as err:
                    problems.add(f"extra_terms[{i}].{name}", err.problem)
            entries.append(
                GlossaryEntry(entry.term, entry.english, "per-request", entry.language_code)
            )
        problems.raise_if_any(reason="BAD_GLOSSARY_ENTRY")
        return (self.terms or TermGlossary(())).merged(entries)

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
