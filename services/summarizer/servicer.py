"""SummarizationService servicer: proto ⇄ domain only. The work is in summary.py (the
plan of a Summary) and the shared batcher (the model work); the accepted options are
the summarizer's table in newsdesk_shared/limits.py."""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Mapping
from concurrent.futures import Executor

import grpc

from newsdesk.common.v1 import common_pb2
from newsdesk.summarization.v1 import summarization_pb2, summarization_pb2_grpc
from newsdesk_shared.limits import SUMMARIZER
from services.common.batching.batcher import DynamicBatcher
from services.common.batching.plan import Plan, Timing, run_async
from services.common.errors import Violations
from services.common.serving.protoutil import (
    deadline_of,
    house_style_of,
    model_info,
    server_info,
    span,
    style_report,
)
from services.common.serving.validation import check_batch, check_range
from services.common.text.glossary import Glossary, HouseStyle
from services.common.text.language import LanguageGate
from services.summarizer.bullets import LONG_SENTENCES, REPEATS_SUMMARY, SHORT_ARTICLE
from services.summarizer.facts import FLAGGED, REMOVED, REPLACED, FactCheck
from services.summarizer.summary import Summary, SummaryOptions, SummaryWriter

SERVICE_NAME = summarization_pb2.DESCRIPTOR.services_by_name["SummarizationService"].full_name


def options_from_proto(
    request: summarization_pb2.SummarizeRequest, defaults: SummaryOptions
) -> SummaryOptions:
    """Merge set options (and the article's sentence count and reject_unsupported) over
    the defaults; every bad field is named."""
    problems = Violations()
    values = {}
    fields = [(request.options, "options.", r) for r in SUMMARIZER.options()]
    for message, path, limit in [*fields, (request, "", SUMMARIZER.source_sentences)]:
        if message.HasField(limit.name):
            value = getattr(message, limit.name)
            field = path + limit.name
            check_range(value, field=field, low=limit.low, high=limit.high, problems=problems)
            values[limit.name] = value
    problems.raise_if_any(reason="VALUE_OUT_OF_RANGE")
    hint = request.headline_hint
    if len(hint) > MAX_HINT_CHARS or any(ch in hint for ch in "\n\r") or _CONTROL.search(hint):
        problems.add(
            "headline_hint",
            f"must be one line of at most {MAX_HINT_CHARS} characters, no control characters",
        )
        problems.raise_if_any(reason="BAD_HEADLINE_HINT")
    return dataclasses.replace(
        defaults, **values, reject_unsupported=request.reject_unsupported, headline_hint=hint
    )


# The longest headline hint (a page title) accepted.
MAX_HINT_CHARS = 300
_CONTROL = re.compile("[\x00-\x1f\x7f]")


_SHORTFALL = {
    "": summarization_pb2.BULLET_SHORTFALL_UNSPECIFIED,
    SHORT_ARTICLE: summarization_pb2.BULLET_SHORTFALL_SHORT_ARTICLE,
    REPEATS_SUMMARY: summarization_pb2.BULLET_SHORTFALL_REPEATS_SUMMARY,
    LONG_SENTENCES: summarization_pb2.BULLET_SHORTFALL_LONG_SENTENCES,
}


_ACTION = {
    "": summarization_pb2.FACT_ACTION_UNSPECIFIED,
    REMOVED: summarization_pb2.FACT_ACTION_REMOVED,
    REPLACED: summarization_pb2.FACT_ACTION_REPLACED,
    FLAGGED: summarization_pb2.FACT_ACTION_FLAGGED,
}


def fact_check_to_proto(check: FactCheck) -> summarization_pb2.FactCheck:
    """Domain FactCheck → proto."""
    return summarization_pb2.FactCheck(
        figures_checked=check.figures_checked,
        figures_unsupported=list(check.figures_unsupported),
        names_unsupported=list(check.names_unsupported),
        action=_ACTION[check.action],
        detail=check.detail,
    )


def summary_to_proto(
    summary: Summary, total_ms: float, queue_ms: float, run_ms: float
) -> summarization_pb2.SummarizeResponse:
    """Domain Summary → proto."""
    c = summary.chunking
    read = summary.sentences
    return summarization_pb2.SummarizeResponse(
        house_style=style_report(summary.style),
        sentences=[span((s.start, s.end)) for s in read],
        windows=[
            summarization_pb2.SummaryWindow(
                first_sentence=w.first,
                sentence_count=w.count,
                span=span((read[w.first].start, read[w.first + w.count - 1].end)),
                tokens=w.tokens,
            )
            for w in summary.windows
        ],
        bullet_sources=[
            summarization_pb2.BulletSource(
                sentence_indexes=list(b.sentences),
                spans=[span((read[i].start, read[i].end)) for i in b.sentences],
                rewritten=b.rewritten,
            )
            for b in summary.sources
        ],
        bullet_shortfall=_SHORTFALL[summary.shortfall],
        bullet_shortfall_detail=summary.shortfall_detail,
        headline=summary.headline,
        summary=summary.summary,
        bullets=summary.bullets,
        model=model_info(summary.model),
        chunking=summarization_pb2.ChunkingReport(
            input_tokens=c.input_tokens,
            windows=c.windows,
            window_tokens=c.window_tokens,
            sentences=c.sentences,
            sentences_read=c.sentences_read,
            reduced=c.reduced,
        ),
        timing=common_pb2.Timing(total_ms=total_ms, queue_ms=queue_ms, inference_ms=run_ms),
        generations=summary.generations,
        headline_check=fact_check_to_proto(summary.headline_check),
        summary_check=fact_check_to_proto(summary.summary_check),
        bullet_checks=[fact_check_to_proto(c) for c in summary.bullet_checks],
    )


class SummarizationServicer(summarization_pb2_grpc.SummarizationServiceServicer):
    """Answers Summarize and Info."""

    def __init__(
        self,
        writer: SummaryWriter,
        gate: LanguageGate,
        batchers: Mapping[str, DynamicBatcher],
        executor: Executor,
        *,
        defaults: SummaryOptions,
        max_chars: int,
        max_concurrent_rpcs: int,
        house_style: Glossary | None = None,
    ) -> None:
        self.house_style = house_style
        self.writer = writer
        self.gate = gate
        self.batchers = batchers
        self.executor = executor
        self.defaults = defaults
        self.max_chars = max_chars
        self.max_concurrent_rpcs = max_concurrent_rpcs

    def _plan(self, text: str, options: SummaryOptions, style: HouseStyle) -> Plan[Summary]:
        """Refuse clearly non-English text (NOT_ENGLISH), then the Summary's plan. A text
        that says it is a translation (source_sentences set: the brief chain's) is not
        detected again, only its script checked: a brief detects its language once."""
        self.gate.require_english(text, translated=bool(options.source_sentences))
        bound = self.batchers[self.writer.key].config.max_queue_tokens
        return (yield from self.writer.plan(text, options, style, max_cost=bound))

    async def Summarize(
        self, request: summarization_pb2.SummarizeRequest, context: grpc.aio.ServicerContext
    ) -> summarization_pb2.SummarizeResponse:
        """The Summary of one English article."""
        started = time.perf_counter()
        check_batch(
            [request.text],
            field="text",
            max_batch=1,
            max_chars=self.max_chars,
            allow_empty_items=False,
            single=True,
        )
        options = options_from_proto(request, self.defaults)
        style = house_style_of(request.house_style, self.house_style, "house_style")
        spent = Timing()
        summary = await run_async(
            self._plan(request.text, options, style),
            self.batchers,
            deadline=deadline_of(context),
            executor=self.executor,
            timing=spent,
        )
        total_ms = (time.perf_counter() - started) * 1000
        return summary_to_proto(summary, total_ms, spent.queue_s * 1000, spent.model_s * 1000)

    async def Info(
        self, request: summarization_pb2.InfoRequest, context: grpc.aio.ServicerContext
    ) -> summarization_pb2.InfoResponse:
        """Describe the service, its model and limits."""
        model = self.writer.engine.model
        return summarization_pb2.InfoResponse(
            info=server_info(
                SERVICE_NAME,
                [model_info(model)],
                max_chars=self.max_chars,
                max_batch=SUMMARIZER.max_batch.high,
                max_concurrent_rpcs=self.max_concurrent_rpcs,
            ),
            max_source_tokens=self.writer.engine.max_source_tokens,
        )
