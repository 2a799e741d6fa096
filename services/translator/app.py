"""Builds a running translator from its config: engines, one dynamic batcher per
distinct model, the plan-step thread pool and the gRPC binding. Used by `__main__`
and by the tests (which may pass an already loaded DocumentTranslator)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from newsdesk.translation.v1 import translation_pb2_grpc
from services.common.batching.batcher import DynamicBatcher
from services.common.engines.base import worker_engines
from services.common.serving.main import Built
from services.common.serving.server import ServiceBinding
from services.translator.cache import TranslationCache
from services.translator.config import TranslatorConfig
from services.translator.loader import build_translator
from services.translator.options import TranslatorPolicy
from services.translator.pipeline import DocumentTranslator
from services.translator.servicer import SERVICE_NAME, TranslationServicer

# A short source sentence for the warm-up generation (its output is discarded).
WARM_UP_TEXT = "Доброго ранку."


def policy_of(config: TranslatorConfig) -> TranslatorPolicy:
    """The server's policy for every request: gate mode, cache, protected terms, names."""
    return TranslatorPolicy(
        plausibility=config.plausibility,
        cache=TranslationCache(config.cache_bytes) if config.cache_bytes else None,
        terms=config.terms,
        names=config.names,
        verbatim=config.verbatim,
    )


def build(config: TranslatorConfig, translator: DocumentTranslator | None = None) -> Built:
    """Load (unless given: then under this config's policy) and wire the translator;
    nothing is bound yet."""
    if translator is None:
        translator = build_translator(
            config.model_dir,
            config.models,
            config.engine,
            num_beams=config.num_beams,
            max_batch_segments=config.batch.max_batch_items,
            max_batch_tokens=config.batch.max_batch_tokens,
            policy=policy_of(config),
        )
    else:
        translator = translator.with_policy(policy_of(config))
    batchers: dict[str, DynamicBatcher] = {}
    for key, engine in translator.models().items():
        replicas = worker_engines(engine, config.batch.workers)
        batchers[key] = DynamicBatcher(f"translator:{engine.model.id}", replicas, config.batch)
        if config.batch.warm_up:  # the first burst must not pay the first-call costs
            batchers[key].warm_up(WARM_UP_TEXT, translator.spec_for(engine))
    executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="translator-prepare")
    servicer = TranslationServicer(
        translator,
        batchers,
        executor,
        max_chars=config.max_chars,
        house_style=config.house_style,
        max_batch=config.max_batch,
        max_concurrent_rpcs=config.server.max_concurrent_rpcs,
    )
    binding = ServiceBinding(
        SERVICE_NAME, servicer, translation_pb2_grpc.add_TranslationServiceServicer_to_server
    )
    closers = [b.close for b in batchers.values()]
    closers.append(lambda: executor.shutdown(wait=False, cancel_futures=True))
    loaded = {
        "models": {
            lang: f"{e.model.id}@{e.model.revision}" for lang, e in translator.engines.items()
        },
        "engine": sorted({e.model.engine for e in translator.engines.values()}),
        "workers": config.batch.workers,
        "threads_per_worker": config.engine.intra_threads(),
    }
    return Built([binding], closers, loaded)
