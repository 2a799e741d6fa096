"""`python -m services.translator`: config → logging → load models → serve.

Serving never downloads: HF_HUB_OFFLINE is forced on and models load from
NEWSDESK_MODEL_DIR (fill it with `newsdesk models pull`).
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from newsdesk.translation.v1 import translation_pb2_grpc
from services.common.inference import InferenceRunner
from services.common.logs import get_logger
from services.common.models import ModelNotFound
from services.common.server import ServiceBinding, run_service, startup
from services.translator.config import TranslatorConfig
from services.translator.loader import build_translator
from services.translator.servicer import SERVICE_NAME, TranslationServicer


def main() -> int:
    """Run the translator until SIGTERM/SIGINT."""
    config: TranslatorConfig = startup(lambda: TranslatorConfig.from_env(os.environ), "translator")
    log = get_logger("newsdesk.translator")
    if config.threads:
        import torch

        torch.set_num_threads(config.threads)
    started = time.perf_counter()
    log.info(
        "model.loading",
        models={k: str(v) for k, v in config.models.items()},
        model_dir=str(config.model_dir),
    )
    try:
        translator = build_translator(
            config.model_dir,
            config.models,
            num_beams=config.num_beams,
            detector_method=config.detector_method,
            max_batch_segments=config.max_batch_segments,
            max_batch_tokens=config.max_batch_tokens,
        )
    except ModelNotFound as exc:
        log.error("model.missing", error=str(exc))
        return 3
    log.info(
        "model.loaded",
        models={k: f"{e.model.id}@{e.model.revision}" for k, e in translator.engines.items()},
        load_s=round(time.perf_counter() - started, 2),
    )
    runner = InferenceRunner(
        "translator", workers=config.server.workers, max_queue=config.server.max_queue
    )
    servicer = TranslationServicer(
        translator,
        runner,
        max_chars=config.max_chars,
        max_batch=config.max_batch,
        max_concurrent_rpcs=config.server.max_concurrent_rpcs,
    )
    binding = ServiceBinding(
        SERVICE_NAME, servicer, translation_pb2_grpc.add_TranslationServiceServicer_to_server
    )
    return run_service(config.server, [binding], cleanup=runner.close)


if __name__ == "__main__":
    raise SystemExit(main())
