"""`python -m services.detector`: config → logging → load the detector → serve."""

from __future__ import annotations

import os
import time

from newsdesk.language.v1 import language_pb2_grpc
from services.common.inference import InferenceRunner
from services.common.logs import get_logger
from services.common.server import ServiceBinding, run_service, startup
from services.detector.config import DetectorConfig
from services.detector.factory import build_detector
from services.detector.servicer import SERVICE_NAME, LanguageServicer


def main() -> int:
    """Run the detector service until SIGTERM/SIGINT."""
    config: DetectorConfig = startup(lambda: DetectorConfig.from_env(os.environ), "detector")
    log = get_logger("newsdesk.detector")
    started = time.perf_counter()
    detector = build_detector(config.method)
    log.info(
        "model.loaded",
        model_id=detector.model_id,
        method=config.method,
        load_s=round(time.perf_counter() - started, 2),
    )
    runner = InferenceRunner(
        "detector", workers=config.server.workers, max_queue=config.server.max_queue
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
    return run_service(config.server, [binding], cleanup=runner.close)


if __name__ == "__main__":
    raise SystemExit(main())
