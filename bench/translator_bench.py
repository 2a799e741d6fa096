"""Translator benchmark: the MarianMT engine at opus-mt size vs the same workload
through the gRPC service, side by side, in one run.

    python bench/translator_bench.py [--sentences 32] [--batches 1,8,32] [--beams 4]

Builds (once, cached in .cache/models) a random-weight MarianMT model at full opus-mt
size: d_model 512, 6+6 layers, 8 heads, FFN 2048, ~61k vocabulary. Random weights
rarely stop early, so output lengths hit the bound (1.6 x input + 10 tokens): a worst
case for time per sentence. Prints sentences/s and target tokens/s per batch size for
the engine and the service, their ratio, and the RSS of each process.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import MODEL_DIR, rss_mib, source_sentences


def bench_engine(engine: Any, spec: Any, sentences: list[str], batch: int) -> tuple[float, float]:
    """(sentences/s, target tokens/s) of engine.generate over the workload."""
    tokens = 0
    started = time.perf_counter()
    for start in range(0, len(sentences), batch):
        chunk = sentences[start : start + batch]
        tokens += sum(g.target_tokens for g in engine.generate(chunk, spec))
    elapsed = time.perf_counter() - started
    return len(sentences) / elapsed, tokens / elapsed


def bench_service(client: Any, sentences: list[str], batch: int) -> tuple[float, float]:
    """(sentences/s, target tokens/s) through Translate with `batch` documents a call."""
    from newsdesk.translation.v1 import translation_pb2

    tokens = 0
    started = time.perf_counter()
    for start in range(0, len(sentences), batch):
        reply = client.Translate(
            translation_pb2.TranslateRequest(
                contents=sentences[start : start + batch], source_language_code="uk"
            ),
            timeout=3600,
        )
        tokens += sum(t.segments.target_tokens for t in reply.translations)
    elapsed = time.perf_counter() - started
    return len(sentences) / elapsed, tokens / elapsed


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=32)
    parser.add_argument("--batches", default="1,8,32")
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument("--size", choices=["tiny", "full"], default="full")
    args = parser.parse_args(argv)
    batches = [int(b) for b in args.batches.split(",")]

    import grpc
    import torch

    from newsdesk.translation.v1 import translation_pb2_grpc
    from newsdesk_client.local import LocalStack, free_port
    from services.translator.build_local import build_marian
    from services.translator.loader import build_translator

    local = build_marian(MODEL_DIR, args.size)
    sentences, source = source_sentences(args.sentences)
    print(f"model: {local.spec} ({args.size}, random weights) at {local.path}")
    print(
        f"workload: {len(sentences)} sentences from {source}; beams {args.beams}; "
        f"torch threads {torch.get_num_threads()}; cpus {os.cpu_count()}"
    )

    base_rss = rss_mib()
    translator = build_translator(MODEL_DIR, {"uk": local.spec}, num_beams=args.beams)
    engine = translator.engines["uk"]
    spec = translator.spec_for(engine)
    engine.generate(sentences[:1], spec)  # warm-up
    engine_rss = rss_mib()
    engine_rows = {}
    for b in batches:
        engine_rows[b] = bench_engine(engine, spec, sentences, b)
        print(f"engine batch {b}: {engine_rows[b][0]:.2f} sent/s", file=sys.stderr, flush=True)

    port = free_port()
    stack = LocalStack(
        {"detector": free_port(), "translator": port, "summarizer": free_port()},
        {
            "NEWSDESK_MODEL_DIR": str(MODEL_DIR),
            "NEWSDESK_TRANSLATOR_MODEL_UK": str(local.spec),
            "NEWSDESK_TRANSLATOR_MODEL_RU": str(local.spec),
            "NEWSDESK_TRANSLATOR_NUM_BEAMS": str(args.beams),
            "NEWSDESK_TRANSLATOR_MAX_BATCH": str(max(batches)),
            "NEWSDESK_TRANSLATOR_MAX_BATCH_SEGMENTS": str(max(batches)),
            "NEWSDESK_LOG_LEVEL": "WARNING",
        },
    )
    stack_services = ("translator",)
    stack.start_only(stack_services, timeout=600)
    try:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            client = translation_pb2_grpc.TranslationServiceStub(channel)
            bench_service(client, sentences[:1], 1)  # warm-up
            service_rows = {}
            for b in batches:
                service_rows[b] = bench_service(client, sentences, b)
                print(
                    f"service batch {b}: {service_rows[b][0]:.2f} sent/s",
                    file=sys.stderr,
                    flush=True,
                )
            service_rss = rss_mib(stack.processes["translator"].pid)
    finally:
        stack.stop()

    print()
    print(
        "| batch | engine sent/s | engine tok/s | service sent/s | service tok/s | service/engine |"
    )
    print("|---|---|---|---|---|---|")
    for b in batches:
        es, et = engine_rows[b]
        ss, st = service_rows[b]
        print(f"| {b} | {es:.2f} | {et:.1f} | {ss:.2f} | {st:.1f} | {ss / es:.2f}x |")
    print()
    print(
        f"RSS: benchmark process before load {base_rss:.0f} MiB, with engine "
        f"{engine_rss:.0f} MiB; translator service process {service_rss:.0f} MiB "
        "(service includes the detector models)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
