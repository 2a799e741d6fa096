"""The first burst: 16 concurrent one-sentence calls right after start, after a warm
burst and after an idle period, each against the same 16 sentences in one call.

    python bench/first_burst_bench.py                       # transformer-big, greedy + beam 4
    python bench/first_burst_bench.py --shape big --shape full   # big and base side by side
    python bench/first_burst_bench.py --size tiny --quick   # a smoke run (< 60 s)
    python bench/first_burst_bench.py --env NEWSDESK_TRANSLATOR_WARMUP=0   # a variant

One translator process per (shape, beams), started for the run: its first traffic is
the first burst. Then a burst on the warm service, the 16 sentences in one call, a pause
of --idle seconds and the burst again. Every burst sends the same 16 FLORES sentences
(the cache is off, so each pass does the same work). The batches the batcher formed for
each are read from the service's Prometheus /metrics (newsdesk_batch_size, before and
after): their number, jobs and size buckets ("9-12" is a batch of 9 to 12 jobs).

Models: random-weight MarianMT (CTranslate2 int8) in NEWSDESK_BENCH_MODEL_DIR, built
once; `big` is opus-mt-tc-big-zle-en's shape (the default), `full` the base shape.
Each --variant runs the whole sequence again with extra environment, so a fix and
its absence print side by side in one run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import MODEL_DIR, rss_mib
from bench.serving_bench import Inputs, Service, translate_call, translator_env

BUCKETS = (1, 2, 4, 8, 12, 16, 24, 32, 64)
# The states before the fixes, for before/after rows: a sitecustomize on the service's
# PYTHONPATH makes gc.freeze (services/common/memory.py) or the batcher's warm-up a no-op.
_WITHOUT = """import os
if "freeze" in os.environ.get("BENCH_WITHOUT", ""):
    import gc
    gc.freeze = lambda: None
if "warmup" in os.environ.get("BENCH_WITHOUT", ""):
    from services.common.batching.batcher import DynamicBatcher
    DynamicBatcher.warm_up = lambda self, *args, **kwargs: False
"""
_SAMPLE = re.compile(r"^newsdesk_batch_size_(bucket|count|sum)\{([^}]*)\}\s+(\S+)$")


@dataclass
class BatchStats:
    """newsdesk_batch_size summed over models: cumulative bucket counts, count, sum."""

    buckets: dict[float, float] = field(default_factory=dict)
    count: float = 0.0
    total: float = 0.0

    def minus(self, before: BatchStats) -> BatchStats:
        """The batches formed between two readings."""
        return BatchStats(
            {le: n - before.buckets.get(le, 0.0) for le, n in self.buckets.items()},
            self.count - before.count,
            self.total - before.total,
        )

    def describe(self) -> str:
        """'2 batches, 17 jobs [3-4, 9-12]'."""
        sizes: list[str] = []
        below, lower = 0.0, 0
        for le in sorted(self.buckets):
            n = self.buckets[le] - below
            below = self.buckets[le]
            label = (
                "over 64"
                if le == float("inf")
                else (str(int(le)) if lower + 1 >= le else f"{lower + 1}-{int(le)}")
            )
            sizes += [label] * round(n)
            lower = 0 if le == float("inf") else int(le)
        return f"{self.count:.0f} batches, {self.total:.0f} jobs [{', '.join(sizes)}]"


def batch_stats(metrics_port: int) -> BatchStats:
    """The service's batch-size histogram now."""
    url = f"http://127.0.0.1:{metrics_port}/metrics"
    with urllib.request.urlopen(url, timeout=10) as reply:
        text = reply.read().decode()
    stats = BatchStats({float(b): 0.0 for b in BUCKETS} | {float("inf"): 0.0})
    for line in text.splitlines():
        match = _SAMPLE.match(line)
        if not match:
            continue
        kind, labels, value = match.groups()
        if kind == "bucket":
            le = re.search(r'le="([^"]+)"', labels)
            assert le is not None
            bound = float("inf") if le.group(1) == "+Inf" else float(le.group(1))
            stats.buckets[bound] = stats.buckets.get(bound, 0.0) + float(value)
        elif kind == "count":
            stats.count += float(value)
        else:
            stats.total += float(value)
    return stats


@dataclass
class Row:
    """One measured pass."""

    name: str
    wall_s: float
    batches: str
    errors: int = 0


async def measured(name: str, calls: list[Any], port: int) -> Row:
    """Run `calls` all at once; the wall time and the batches they formed."""
    before = batch_stats(port)
    started = time.perf_counter()
    outcomes = await asyncio.gather(*(c() for c in calls), return_exceptions=True)
    wall = time.perf_counter() - started
    errors = sum(isinstance(o, BaseException) for o in outcomes)
    row = Row(name, wall, batch_stats(port).minus(before).describe(), errors)
    print(f"  {name}: {wall:.3f} s, {row.batches}", file=sys.stderr, flush=True)
    return row


async def one_service(
    args: argparse.Namespace, spec: str, beams: int, sixteen: list[str], extra: dict[str, str]
) -> tuple[list[Row], float]:
    """Start a translator, run the sequence on it; the rows and its RSS at the end."""
    import grpc

    from newsdesk.translation.v1 import translation_pb2_grpc
    from services.tools.local import free_port

    port = free_port()
    env = translator_env(
        spec,
        beams,
        args.threads,
        NEWSDESK_TRANSLATOR_METRICS_PORT=str(port),
        **extra,
    )
    rows: list[Row] = []
    with Service("translator", env) as svc:
        async with grpc.aio.insecure_channel(svc.address) as channel:
            stub = translation_pb2_grpc.TranslationServiceStub(channel)

            def burst() -> list[Any]:
                return [translate_call(stub, [t]) for t in sixteen]

            rows.append(await measured("16 calls, first burst after start", burst(), port))
            rows.append(await measured("16 calls, warm burst", burst(), port))
            rows.append(await measured("16 calls, warm burst again", burst(), port))
            one = [translate_call(stub, sixteen)]
            rows.append(await measured("the 16 sentences in one call", one, port))
            await asyncio.sleep(args.idle)
            rows.append(await measured(f"16 calls after {args.idle:g} s idle", burst(), port))
            rows.append(await measured("the 16 sentences in one call, again", one, port))
            rss = rss_mib(svc.pid)
    return rows, rss


def parse_env(items: list[str]) -> dict[str, str]:
    """KEY=VALUE pairs."""
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"--env/--variant wants KEY=VALUE, got {item!r}")
        out[key] = value
    return out


def print_table(title: str, rows: list[Row], rss: float) -> None:
    """One service's rows, with each time as a ratio of the (faster) one-call pass."""
    one = min(r.wall_s for r in rows if "one call" in r.name)
    print(f"\n### {title} (RSS at the end {rss:.0f} MiB)\n")
    print("| pass | wall s | vs one call | batches formed | errors |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {r.name} | {r.wall_s:.3f} | {r.wall_s / one:.2f}x | {r.batches} | {r.errors} |")


async def main_async(args: argparse.Namespace) -> int:
    from services.common.models.ct2_convert import convert
    from services.translator.build_local import build_marian

    inputs = Inputs()
    sixteen = inputs.take(16)
    shapes = args.shape or (["tiny"] if args.size == "tiny" else ["big"])
    beam_list = args.beams or ([1] if args.quick else [1, 4])
    variants = [("as configured", parse_env(args.env))]
    if args.without:
        site = Path(tempfile.mkdtemp(prefix="first-burst-"))
        (site / "sitecustomize.py").write_text(_WITHOUT, encoding="utf-8")
        path = os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH", "")) if p)
        for without in args.without:
            off = {"BENCH_WITHOUT": without, "PYTHONPATH": path}
            variants.append((f"without {without} (before)", {**parse_env(args.env), **off}))
    for i, extra in enumerate(args.variant):
        variants.append(
            (f"variant {i + 1}: {extra}", {**parse_env(args.env), **parse_env([extra])})
        )
    print(
        f"inputs: {inputs.source}; cpus {os.cpu_count()}; threads {args.threads}; "
        f"idle {args.idle:g} s; models in {MODEL_DIR}",
        flush=True,
    )
    for shape in shapes:
        local = build_marian(MODEL_DIR, shape)
        convert(local.spec, MODEL_DIR, quantization="int8")
        for beams in beam_list:
            for attempt, (label, extra) in enumerate(variants * args.repeat):
                run = f", run {attempt // len(variants) + 1}" if args.repeat > 1 else ""
                title = f"{local.spec} ({shape}), beam {beams}, {label}{run}"
                print(title, file=sys.stderr, flush=True)
                rows, rss = await one_service(args, str(local.spec), beams, sixteen, extra)
                print_table(title, rows, rss)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["tiny", "full"], default="full")
    parser.add_argument(
        "--shape",
        action="append",
        choices=["tiny", "full", "big"],
        help="model shape(s) (repeatable; default: big at full size, tiny at tiny size)",
    )
    parser.add_argument("--beams", action="append", type=int, help="repeatable; default 1 and 4")
    parser.add_argument("--idle", type=float, default=30.0, help="seconds idle before a burst")
    parser.add_argument("--threads", type=int, default=2, help="engine threads")
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE for every run")
    parser.add_argument(
        "--variant",
        action="append",
        default=[],
        help="KEY=VALUE: run everything again with it, beside the plain run (repeatable)",
    )
    parser.add_argument(
        "--without",
        action="append",
        choices=["freeze", "warmup", "freeze+warmup"],
        help="also run with that fix disabled in the service, beside (repeatable)",
    )
    parser.add_argument("--repeat", type=int, default=1, help="fresh services per variant")
    parser.add_argument("--quick", action="store_true", help="greedy only, 3 s idle")
    args = parser.parse_args(argv)
    if args.quick and args.idle == 30.0:
        args.idle = 3.0
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    raise SystemExit(main())
