"""Builds a running detector from its config: the detector, its bounded runner and the
gRPC binding. Used by `__main__` and by the tests (which may pass a loaded detector)."""

from __future__ import annotations

from newsdesk.language.v1 import language_pb2_grpc
from services.common.logs import get_logger
from services.common.serving.main import Built
from services.common.serving.server import ServiceBinding
from services.detector.config import DetectorConfig
from services.detector.langid.factory import Detector, build_detector
from services.detector.runner import InferenceRunner
from services.detector.servicer import SERVICE_NAME, LanguageServicer

log = get_logger("newsdesk.detector")


def build(config: DetectorConfig, detector: Detector | None = None) -> Built:
    """Load (unless given) and wire the detector; nothing is bound yet."""
    for old, new in config.deprecated:
        log.warning("config.deprecated", variable=old, use=new)
    if detector is None:
        detector = build_detector(config.method)
    runner = InferenceRunner(
        "detector",
        workers=config.threads,
        max_queue=config.max_queue,
        max_queue_chars=config.max_queue_chars,
    )
    servicer = LanguageServicer(
        detector,
        runner,
        max_chars=config.max_chars,
        max_batch=config.max_batch,
        max_concurrent_rpcs=config.server.max_concurrent_rpcs,
    )
    binding = ServiceBinding(
        SERVICE_NAME, servicer, language_pb2_grpc.add_LanguageServiceServicer_to_server
    )
    return Built(
        [binding], [runner.close], {"model_id": detector.model_id, "method": config.method}
    )
