"""`python -m services.summarizer`: config → logging → load the model → serve.

Serving never downloads: HF_HUB_OFFLINE is forced on and the model loads from
NEWSDESK_MODEL_DIR (fill it with `newsdesk models pull`).
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from newsdesk.summarization.v1 import summarization_pb2_grpc
from services.common.inference import InferenceRunner
from services.common.logs import get_logger
from services.common.models import ModelNotFound
from services.common.server import ServiceBinding, run_service, startup
from services.detector.factory import build_detector
from services.summarizer.config import SummarizerConfig
from services.summarizer.loader import build_writer
from services.summarizer.servicer import SERVICE_NAME, SummarizationServicer


def main() -> int:
    """Run the summarizer until SIGTERM/SIGINT."""
    config: SummarizerConfig = startup(lambda: SummarizerConfig.from_env(os.environ), "summarizer")
    log = get_logger("newsdesk.summarizer")
    if config.threads:
        import torch

        torch.set_num_threads(config.threads)
    started = time.perf_counter()
    log.info("model.loading", model=str(config.model), model_dir=str(config.model_dir))
    try:
        writer = build_writer(config.model_dir, config.model)
    except ModelNotFound as exc:
        log.error("model.missing", error=str(exc))
        return 3
    detector = build_detector(config.detector_method)
    model = writer.engine.model
    log.info(
        "model.loaded",
        model=f"{model.id}@{model.revision}",
        load_s=round(time.perf_counter() - started, 2),
    )
    runner = InferenceRunner(
        "summarizer", workers=config.server.workers, max_queue=config.server.max_queue
    )
    servicer = SummarizationServicer(
        writer,
        detector,
        runner,
        defaults=config.defaults,
        max_chars=config.max_chars,
        max_concurrent_rpcs=config.server.max_concurrent_rpcs,
    )
    binding = ServiceBinding(
        SERVICE_NAME,
        servicer,
        summarization_pb2_grpc.add_SummarizationServiceServicer_to_server,
    )
    return run_service(config.server, [binding], cleanup=runner.close)


if __name__ == "__main__":
    raise SystemExit(main())
