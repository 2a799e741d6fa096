"""LanguageService servicer: proto ⇄ domain only; the detection logic is in engine.py."""

from __future__ import annotations

import time

import grpc

from newsdesk.common.v1 import common_pb2
from newsdesk.language.v1 import language_pb2, language_pb2_grpc
from newsdesk_shared.limits import DETECTOR
from services.common.errors import Violations
from services.common.serving.protoutil import deadline_of, server_info, timing
from services.common.serving.validation import check_batch, check_range
from services.detector.langid.engine import DetectionResult
from services.detector.langid.factory import Detector
from services.detector.runner import InferenceRunner

_STATUS = {
    "ok": language_pb2.DETECTION_STATUS_OK,
    "empty": language_pb2.DETECTION_STATUS_EMPTY,
    "no_letters": language_pb2.DETECTION_STATUS_NO_LETTERS,
}
SERVICE_NAME = language_pb2.DESCRIPTOR.services_by_name["LanguageService"].full_name


def detection_to_proto(result: DetectionResult) -> language_pb2.Detection:
    """Domain result → proto."""
    return language_pb2.Detection(
        language_code=result.language,
        confidence=result.confidence,
        reliable=result.reliable,
        candidates=[
            language_pb2.LanguageCandidate(language_code=c.language, probability=c.probability)
            for c in result.candidates
        ],
        status=_STATUS[result.status],
        script=result.script,
    )


class LanguageServicer(language_pb2_grpc.LanguageServiceServicer):
    """Answers DetectLanguage and Info."""

    def __init__(
        self,
        detector: Detector,
        runner: InferenceRunner,
        *,
        max_chars: int,
        max_batch: int,
        max_concurrent_rpcs: int,
    ) -> None:
        self.detector = detector
        self.runner = runner
        self.max_chars = max_chars
        self.max_batch = max_batch
        self.max_concurrent_rpcs = max_concurrent_rpcs
        self.model = common_pb2.ModelInfo(id=detector.model_id, revision="bundled", engine="cpu")

    async def DetectLanguage(
        self, request: language_pb2.DetectLanguageRequest, context: grpc.aio.ServicerContext
    ) -> language_pb2.DetectLanguageResponse:
        """Judge every text; empty or letter-less texts get a per-item status."""
        started = time.perf_counter()
        texts = list(request.texts)
        check_batch(
            texts,
            field="texts",
            max_batch=self.max_batch,
            max_chars=self.max_chars,
            allow_empty_items=True,
        )
        problems = Violations()
        top_k = DETECTOR.top_k
        check_range(request.top_k, field="top_k", low=top_k.low, high=top_k.high, problems=problems)
        problems.raise_if_any(reason="VALUE_OUT_OF_RANGE")
        results, queue_ms, run_ms = await self.runner.run(
            self.detector.detect_many,
            texts,
            request.top_k or top_k.default,
            cost=sum(map(len, texts)),
            deadline=deadline_of(context),
        )
        return language_pb2.DetectLanguageResponse(
            detections=[detection_to_proto(r) for r in results],
            model=self.model,
            timing=timing(started, queue_ms, run_ms),
        )

    async def Info(
        self, request: language_pb2.InfoRequest, context: grpc.aio.ServicerContext
    ) -> language_pb2.InfoResponse:
        """Describe the detector and its limits."""
        return language_pb2.InfoResponse(
            info=server_info(
                SERVICE_NAME,
                [self.model],
                max_chars=self.max_chars,
                max_batch=self.max_batch,
                max_concurrent_rpcs=self.max_concurrent_rpcs,
            ),
            supported_language_codes=self.detector.supported_languages(),
        )
