"""Builds a running summarizer from its config: the engine, its dynamic batcher, the
language gate, the plan-step thread pool and the gRPC binding. Used by `__main__` and
by the tests (which may pass an already loaded writer and gate)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from newsdesk.summarization.v1 import summarization_pb2_grpc
from services.common.batching.batcher import DynamicBatcher
from services.common.engines.base import GenerationSpec, worker_engines
from services.common.serving.main import Built
from services.common.serving.server import ServiceBinding
from services.common.text.language import LanguageGate
from services.summarizer.config import SummarizerConfig
from services.summarizer.loader import build_writer
from services.summarizer.servicer import SERVICE_NAME, SummarizationServicer
from services.summarizer.summary import SummaryWriter


def build(
    config: SummarizerConfig,
    writer: SummaryWriter | None = None,
    gate: LanguageGate | None = None,
) -> Built:
    """Load (unless given) and wire the summarizer; nothing is bound yet."""
    if writer is None:
        writer = build_writer(config.model_dir, config.model, config.engine)
    if gate is None:
        gate = LanguageGate.light()
    replicas = worker_engines(writer.engine, config.batch.workers)
    batcher = DynamicBatcher(f"summarizer:{writer.engine.model.id}", replicas, config.batch)
    if config.batch.warm_up:  # the first burst must not pay the first-call costs
        beams = config.defaults.num_beams
        batcher.warm_up("Good morning.", GenerationSpec(max_new_tokens=1, num_beams=beams))
    executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="summarizer-prepare")
    servicer = SummarizationServicer(
        writer,
        gate,
        {writer.key: batcher},
        executor,
        defaults=config.defaults,
        max_chars=config.max_chars,
        house_style=config.house_style,
        max_concurrent_rpcs=config.server.max_concurrent_rpcs,
    )
    binding = ServiceBinding(
        SERVICE_NAME,
        servicer,
        summarization_pb2_grpc.add_SummarizationServiceServicer_to_server,
    )
    model = writer.engine.model
    return Built(
        [binding],
        [batcher.close, lambda: executor.shutdown(wait=False, cancel_futures=True)],
        {
            "model": f"{model.id}@{model.revision}",
            "engine": model.engine,
            "workers": config.batch.workers,
            "threads_per_worker": config.engine.intra_threads(),
        },
    )
