"""Soak: the translator and the summarizer under mixed traffic for a while, watching
memory. Memory growth under load is the most common complaint in LibreTranslate's and
argos-translate's trackers; this is the check.

    python bench/soak_bench.py                      # 10 minutes, full-size int8 models
    python bench/soak_bench.py --minutes 1 --size tiny   # a smoke run

Traffic (a steady mix, every input new): one-sentence translations (4 workers in a
loop), a multi-paragraph document every ~5 s, a brief every ~10 s, and every ~20 s a
call abandoned at a 0.3 s deadline. RSS of both services is sampled every 10 s.
Reports RSS over time, error counts by code and latency percentiles per kind; goal:
RSS growth under 10% after warm-up: the median of the samples in the last 20% of the
run against the median at 20-40% (the first 20% is warm-up).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import MODEL_DIR, bench_models, english_documents, rss_mib
from bench.serving_bench import Inputs, Service


async def main_async(args: argparse.Namespace) -> int:
    import grpc

    from newsdesk.summarization.v1 import summarization_pb2, summarization_pb2_grpc
    from newsdesk.translation.v1 import translation_pb2, translation_pb2_grpc

    marian, bart = bench_models(args.size)
    inputs = Inputs()
    english, _ = english_documents()
    translator_env = {
        "NEWSDESK_MODEL_DIR": str(MODEL_DIR),
        "NEWSDESK_TRANSLATOR_MODEL_UK": str(marian.spec),
        "NEWSDESK_TRANSLATOR_MODEL_RU": str(marian.spec),
        "NEWSDESK_TRANSLATOR_NUM_BEAMS": "1",
        "NEWSDESK_LOG_LEVEL": "WARNING",
    }
    summarizer_env = {
        "NEWSDESK_MODEL_DIR": str(MODEL_DIR),
        "NEWSDESK_SUMMARIZER_MODEL": str(bart.spec),
        "NEWSDESK_SUMMARIZER_NUM_BEAMS": "1",
        "NEWSDESK_LOG_LEVEL": "WARNING",
    }
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    samples: list[tuple[float, float, float]] = []
    with (
        Service("translator", translator_env) as tsvc,
        Service("summarizer", summarizer_env) as ssvc,
    ):
        async with (
            grpc.aio.insecure_channel(tsvc.address) as tch,
            grpc.aio.insecure_channel(ssvc.address) as sch,
        ):
            translate = translation_pb2_grpc.TranslationServiceStub(tch).Translate
            summarize = summarization_pb2_grpc.SummarizationServiceStub(sch).Summarize
            started = time.monotonic()
            end = started + args.minutes * 60

            async def timed(kind: str, call: Any, expect_ok: bool = True) -> None:
                t0 = time.perf_counter()
                try:
                    await call
                    latencies[kind].append(time.perf_counter() - t0)
                except grpc.aio.AioRpcError as err:
                    code = err.code().name
                    # A call that cannot finish by its deadline is dropped when it
                    # expires, or refused at once (RESOURCE_EXHAUSTED, reason
                    # DEADLINE_UNREACHABLE) when the queue ahead cannot drain in time.
                    if expect_ok or code not in {"DEADLINE_EXCEEDED", "RESOURCE_EXHAUSTED"}:
                        errors[f"{kind}:{code}"] += 1
                    else:
                        dropped[code] += 1

            async def sentences() -> None:
                while time.monotonic() < end:
                    request = translation_pb2.TranslateRequest(
                        contents=inputs.take(1), source_language_code="uk"
                    )
                    await timed("sentence", translate(request, timeout=120))

            async def every(seconds: float, make: Any) -> None:
                while time.monotonic() < end:
                    await asyncio.gather(make(), asyncio.sleep(seconds))

            async def document() -> None:
                request = translation_pb2.TranslateRequest(
                    contents=[inputs.document(3000)], source_language_code="uk"
                )
                await timed("document", translate(request, timeout=300))

            doc_index = [0]

            async def brief() -> None:
                text = " ".join(english[doc_index[0] % len(english) :][:3])
                doc_index[0] += 3
                request = summarization_pb2.SummarizeRequest(text=text)
                await timed("brief", summarize(request, timeout=300))

            async def abandoned() -> None:
                request = translation_pb2.TranslateRequest(
                    contents=inputs.take(16), source_language_code="uk"
                )
                await timed("abandoned", translate(request, timeout=0.3), expect_ok=False)

            async def sampler() -> None:
                while time.monotonic() < end:
                    now = time.monotonic() - started
                    samples.append((now, rss_mib(tsvc.pid), rss_mib(ssvc.pid)))
                    print(
                        f"t={now:5.0f}s translator {samples[-1][1]:6.0f} MiB  "
                        f"summarizer {samples[-1][2]:6.0f} MiB  "
                        f"calls {sum(len(v) for v in latencies.values())}  "
                        f"errors {sum(errors.values())}",
                        file=sys.stderr,
                        flush=True,
                    )
                    await asyncio.sleep(max(1.0, min(10.0, args.minutes * 6)))

            await asyncio.gather(
                *(sentences() for _ in range(4)),
                every(5, document),
                every(10, brief),
                every(20, abandoned),
                sampler(),
            )
            samples.append((time.monotonic() - started, rss_mib(tsvc.pid), rss_mib(ssvc.pid)))

    def pct(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return (
            ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]
            if ordered
            else float("nan")
        )

    print(f"\nsoak: {args.minutes} min, size {args.size}, cpus {len(os.sched_getaffinity(0))}")
    print("\n| t (s) | translator RSS MiB | summarizer RSS MiB |\n|---|---|---|")
    for t, tr, sm in samples:
        print(f"| {t:.0f} | {tr:.0f} | {sm:.0f} |")
    print("\n| kind | calls | p50 s | p95 s | p99 s |\n|---|---|---|---|---|")
    for kind, values in sorted(latencies.items()):
        print(
            f"| {kind} | {len(values)} | {pct(values, 0.5):.2f} | {pct(values, 0.95):.2f} | {pct(values, 0.99):.2f} |"
        )
    print(f"\nerrors: {dict(errors) or 'none'}; abandoned calls (0.3 s deadline): {dict(dropped)}")
    duration = args.minutes * 60
    load = [x for x in samples if x[0] <= duration]  # the last sample is after the load

    def window(lo: float, hi: float, column: int) -> float:
        values = sorted(x[column] for x in load if lo * duration <= x[0] < hi * duration)
        return values[len(values) // 2] if values else float("nan")

    code = 0
    for column, name in ((1, "translator"), (2, "summarizer")):
        # Medians of windows, not single samples: RSS swings with the batches in flight.
        base, last = window(0.2, 0.4, column), window(0.8, 1.01, column)
        peak = max(x[column] for x in load)
        growth = (last - base) / base * 100
        met = growth < 10
        code |= 0 if met else 1
        print(
            f"{name}: median RSS at 20-40% of the run {base:.0f} MiB, at 80-100% "
            f"{last:.0f} MiB (peak {peak:.0f}, after the load {samples[-1][column]:.0f}): "
            f"growth {growth:+.1f}% (goal < 10%: {'met' if met else 'NOT met'})"
        )
    return 1 if errors else code


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--size", choices=["tiny", "full"], default="full")
    return asyncio.run(main_async(parser.parse_args(argv)))


if __name__ == "__main__":
    raise SystemExit(main())
