"""SummarizationService servicer: proto ⇄ domain only; the work is in brief.py."""

from __future__ import annotations

import dataclasses
import time

import grpc

from newsdesk.common.v1 import common_pb2
from newsdesk.summarization.v1 import summarization_pb2, summarization_pb2_grpc
from services.common.errors import FailedPrecondition, Violations
from services.common.inference import InferenceRunner
from services.common.protoutil import model_info, server_info
from services.common.validation import check_batch, check_range
from services.detector.factory import Detector
from services.summarizer.brief import Brief, BriefOptions, BriefWriter

SERVICE_NAME = summarization_pb2.DESCRIPTOR.services_by_name["SummarizationService"].full_name
# field → allowed range
OPTION_RANGES = {
    "summary_max_words": (10, 400),
    "headline_max_words": (3, 30),
    "bullet_count": (3, 5),
    "num_beams": (1, 8),
}


def options_from_proto(
    proto: summarization_pb2.SummarizeOptions, defaults: BriefOptions
) -> BriefOptions:
    """Merge set options over the defaults; every bad field is named."""
    problems = Violations()
    values = {}
    for name, (low, high) in OPTION_RANGES.items():
        if proto.HasField(name):
            value = getattr(proto, name)
            check_range(value, field=f"options.{name}", low=low, high=high, problems=problems)
            values[name] = value
    problems.raise_if_any()
    return dataclasses.replace(defaults, **values)


def brief_to_proto(
    brief: Brief, total_ms: float, queue_ms: float, run_ms: float
) -> summarization_pb2.SummarizeResponse:
    """Domain brief → proto."""
    c = brief.chunking
    return summarization_pb2.SummarizeResponse(
        headline=brief.headline,
        summary=brief.summary,
        bullets=brief.bullets,
        model=model_info(brief.model),
        chunking=summarization_pb2.ChunkingReport(
            input_tokens=c.input_tokens,
            windows=c.windows,
            window_tokens=c.window_tokens,
            sentences=c.sentences,
            sentences_read=c.sentences_read,
            reduced=c.reduced,
        ),
        timing=common_pb2.Timing(total_ms=total_ms, queue_ms=queue_ms, inference_ms=run_ms),
        generations=brief.generations,
    )


class SummarizationServicer(summarization_pb2_grpc.SummarizationServiceServicer):
    """Answers Summarize and Info."""

    def __init__(
        self,
        writer: BriefWriter,
        detector: Detector,
        runner: InferenceRunner,
        *,
        defaults: BriefOptions,
        max_chars: int,
        max_concurrent_rpcs: int,
    ) -> None:
        self.writer = writer
        self.detector = detector
        self.runner = runner
        self.defaults = defaults
        self.max_chars = max_chars
        self.max_concurrent_rpcs = max_concurrent_rpcs

    def _check_and_write(self, text: str, options: BriefOptions) -> Brief:
        """Refuse clearly non-English text, then write the brief (off the event loop)."""
        detection = self.detector.detect(text)
        if detection.reliable and detection.language != "en":
            raise FailedPrecondition(
                f"text is in {detection.language!r}, not English: translate it first "
                "(TranslationService.Translate), then summarize the English text",
                reason="NOT_ENGLISH",
                language=detection.language,
            )
        return self.writer.write(text, options)

    async def Summarize(
        self, request: summarization_pb2.SummarizeRequest, context: grpc.aio.ServicerContext
    ) -> summarization_pb2.SummarizeResponse:
        """The brief of one English article."""
        started = time.perf_counter()
        check_batch(
            [request.text],
            field="text",
            max_batch=1,
            max_chars=self.max_chars,
            allow_empty_items=False,
        )
        options = options_from_proto(request.options, self.defaults)
        brief, queue_ms, run_ms = await self.runner.run(
            self._check_and_write, request.text, options
        )
        total_ms = (time.perf_counter() - started) * 1000
        return brief_to_proto(brief, total_ms, queue_ms, run_ms)

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
                max_batch=1,
                max_concurrent_rpcs=self.max_concurrent_rpcs,
            ),
            max_source_tokens=self.writer.engine.max_source_tokens,
        )
