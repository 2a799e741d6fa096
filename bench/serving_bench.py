"""Serving-core load generator: the translator and summarizer services under load over
loopback (grpc.aio), against the raw engine, side by side in one run.

    python bench/serving_bench.py                      # full-size models, greedy + beam 4
    python bench/serving_bench.py --size tiny --quick  # a smoke run (seconds)
    python bench/serving_bench.py --engine transformers   # the same on transformers fp32

Models: random-weight MarianMT at opus-mt size and BART at distilbart-cnn-12-6 size,
built once into .cache/models (NEWSDESK_BENCH_MODEL_DIR). Inputs: FLORES-200 devtest
uk sentences and documents from ../shared/eval/mt (owned text when it is absent);
every call sends inputs no other call sent. Random weights never stop early, so every
output runs to its length bound (1.6 × input + 10 tokens): a worst case.

Prints, per configuration, throughput, p50/p95/p99 latency and the service's RSS,
then the ratios the serving-core issue sets goals for:
- 16 concurrent one-sentence calls vs one-at-a-time serving (batcher limited to one
  item: NEWSDESK_TRANSLATOR_MAX_BATCH_SEGMENTS=1), throughput;
- 16 concurrent one-sentence calls vs the same 16 sentences in one call, time;
- service vs the raw engine's batched throughput on the same sentences;
- p95 of one-sentence calls while a 20,000-character document is translated vs idle;
- one sentence right after a dropped 16-sentence call vs the same sentence alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import MODEL_DIR, SHARED, bench_models, engine_env, english_documents, rss_mib


@dataclass
class Run:
    """One load configuration's outcome."""

    name: str
    calls: int
    wall_s: float
    latencies: list[float]
    errors: int = 0
    rss_mib: float = float("nan")

    def pct(self, q: float) -> float:
        """The q-quantile latency (nearest rank)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]

    def row(self) -> str:
        """A markdown table row."""
        return (
            f"| {self.name} | {self.calls} | {self.errors} | {self.wall_s:.1f} | "
            f"{self.calls / self.wall_s:.2f} | {self.pct(0.5):.2f} | {self.pct(0.95):.2f} | "
            f"{self.pct(0.99):.2f} | {self.rss_mib:.0f} |"
        )


class Inputs:
    """Unique FLORES inputs: each `take` returns sentences no earlier call got."""

    def __init__(self) -> None:
        path = SHARED / "eval" / "mt" / "flores200-devtest.uk-en.tsv"
        docs = SHARED / "eval" / "mt" / "flores200-devtest.docs.jsonl"
        if path.exists() and docs.exists():
            lines = path.read_text(encoding="utf-8").splitlines()[1:]
            self.sentences = [line.split("\t", 1)[0] for line in lines]
            self.documents = [
                d["text"]
                for d in map(json.loads, docs.read_text(encoding="utf-8").splitlines())
                if d["lang"] == "uk"
            ]
            self.source = str(path.parent)
        else:
            from services.common.models.corpus import article, sentences

            pool = sentences("uk")
            self.sentences = [f"Номер {i}: {pool[i % len(pool)]}" for i in range(2000)]
            self.documents = [article("uk", i) for i in range(200)]
            self.source = "owned corpus (../shared absent)"
        self._next = 0
        self._next_doc = 0

    def take(self, count: int) -> list[str]:
        """`count` sentences not handed out before (cycling, with a marker, if needed)."""
        out = []
        for _ in range(count):
            i = self._next
            base = self.sentences[i % len(self.sentences)]
            out.append(base if i < len(self.sentences) else f"{base} ({i})")
            self._next += 1
        return out

    def document(self, min_chars: int) -> str:
        """FLORES documents joined (paragraphs) until at least min_chars characters."""
        parts: list[str] = []
        while sum(len(p) + 2 for p in parts) < min_chars:
            parts.append(self.documents[self._next_doc % len(self.documents)])
            self._next_doc += 1
        return "\n\n".join(parts)


async def timed(call: Callable[[], Awaitable[Any]]) -> tuple[float, bool]:
    """(seconds, ok) of one call."""
    import grpc

    started = time.perf_counter()
    try:
        await call()
        return time.perf_counter() - started, True
    except grpc.aio.AioRpcError:
        return time.perf_counter() - started, False


async def load(
    name: str, calls: Sequence[Callable[[], Awaitable[Any]]], concurrency: int, pid: int
) -> Run:
    """Run the calls with `concurrency` in flight; latencies of the successful ones."""
    gate = asyncio.Semaphore(concurrency)

    async def one(call: Callable[[], Awaitable[Any]]) -> tuple[float, bool]:
        async with gate:
            return await timed(call)

    started = time.perf_counter()
    outcomes = await asyncio.gather(*(one(c) for c in calls))
    wall = time.perf_counter() - started
    run = Run(name, len(calls), wall, [t for t, ok in outcomes if ok])
    run.errors = sum(not ok for _, ok in outcomes)
    run.rss_mib = rss_mib(pid)
    print(run.row(), file=sys.stderr, flush=True)
    return run


def translator_env(
    spec: str, beams: int, threads: int, engine: str = "ctranslate2", **extra: str
) -> dict[str, str]:
    """The environment of a translator process serving the bench model."""
    return {
        "NEWSDESK_MODEL_DIR": str(MODEL_DIR),
        "NEWSDESK_TRANSLATOR_MODEL_UK": spec,
        "NEWSDESK_TRANSLATOR_MODEL_RU": spec,
        "NEWSDESK_TRANSLATOR_NUM_BEAMS": str(beams),
        **engine_env("translator", engine, threads),
        "NEWSDESK_TRANSLATOR_MAX_BATCH": "64",
        "NEWSDESK_LOG_LEVEL": "WARNING",
        **extra,
    }


class Service:
    """One service process and an aio channel to it."""

    def __init__(self, name: str, env: dict[str, str]) -> None:
        from services.tools.local import LocalStack

        self.name = name
        self.stack = LocalStack({name: 0}, env)

    def __enter__(self) -> Service:
        self.stack.start_only((self.name,), timeout=900)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stack.stop()

    @property
    def pid(self) -> int:
        """The service's process id."""
        return self.stack.processes[self.name].pid

    @property
    def address(self) -> str:
        """host:port."""
        return self.stack.address(self.name)


def translate_call(stub: Any, texts: list[str], timeout: float = 3600) -> Callable[[], Any]:
    """A deferred Translate call of `texts` (Ukrainian)."""
    from newsdesk.translation.v1 import translation_pb2

    request = translation_pb2.TranslateRequest(contents=texts, source_language_code="uk")
    return lambda: stub.Translate(request, timeout=timeout)


async def translator_suite(
    args: argparse.Namespace,
    spec: str,
    beams: int,
    inputs: Inputs,
    sixteen: list[str],
    *,
    complete: bool = True,
) -> dict[str, Any]:
    """The translator configurations at one beam width (all of them when `complete`,
    else the 16-call comparisons and the dropped call); returns the runs."""
    import grpc

    from newsdesk.translation.v1 import translation_pb2_grpc

    levels = [4, 16] if args.quick else [4, 16, 64]
    if not complete:
        levels = [16]
    out: dict[str, Any] = {"runs": []}
    env = translator_env(spec, beams, args.threads, args.engine)
    with Service("translator", env) as svc:
        async with grpc.aio.insecure_channel(svc.address) as channel:
            stub = translation_pb2_grpc.TranslationServiceStub(channel)
            await translate_call(stub, inputs.take(1))()  # warm-up
            idle = await load(
                f"beam {beams}: 1-sentence calls, concurrency 1",
                [translate_call(stub, inputs.take(1)) for _ in range(args.idle_calls)],
                1,
                svc.pid,
            )
            out["runs"].append(idle)
            for level in levels:
                batch = (
                    sixteen if level == 16 else inputs.take(max(level, 4 if level < 4 else level))
                )
                run = await load(
                    f"beam {beams}: 1-sentence calls, concurrency {level}",
                    [translate_call(stub, [t]) for t in batch],
                    level,
                    svc.pid,
                )
                out["runs"].append(run)
                if level == 16:
                    out["c16"] = run
            one_call = await load(
                f"beam {beams}: the same 16 sentences in one call",
                [translate_call(stub, sixteen)],
                1,
                svc.pid,
            )
            out["runs"].append(one_call)
            out["one_call"] = one_call
            # One sentence alone, then a 16-sentence call dropped at its 1 s deadline,
            # then the same sentence again: the same work, so the ratio is the cost of
            # the abandoned call (the service has no cache).
            probe = inputs.take(1)
            alone = await load(
                f"beam {beams}: 1 sentence alone", [translate_call(stub, probe)], 1, svc.pid
            )
            out["runs"].append(alone)
            out["alone"] = alone
            dropped = translate_call(stub, inputs.take(16), timeout=1.0)
            await timed(dropped)
            after = await load(
                f"beam {beams}: the same sentence right after a dropped 16-sentence call",
                [translate_call(stub, probe)],
                1,
                svc.pid,
            )
            out["runs"].append(after)
            out["after_drop"] = after
            out["idle"] = idle
            if complete and not args.skip_mixed:
                out["mixed"] = await mixed_load(stub, inputs, beams, svc.pid, args)
                out["runs"].append(out["mixed"])
    return out


async def mixed_load(
    stub: Any, inputs: Inputs, beams: int, pid: int, args: argparse.Namespace
) -> Run:
    """One-sentence calls, one after another, while a 20,000-character document is
    being translated; their latencies."""
    document = inputs.document(args.document_chars)
    doc_task = asyncio.ensure_future(timed(translate_call(stub, [document])))
    await asyncio.sleep(1.0)
    latencies: list[float] = []
    errors = 0
    started = time.perf_counter()
    while not doc_task.done() and len(latencies) < args.mixed_calls:
        seconds, ok = await timed(translate_call(stub, inputs.take(1)))
        if ok and not doc_task.done():
            latencies.append(seconds)
        errors += not ok
    wall = time.perf_counter() - started
    doc_s, doc_ok = await doc_task
    run = Run(
        f"beam {beams}: 1-sentence calls during a {len(document):,}-char document "
        f"(document {doc_s:.0f} s{'' if doc_ok else ', FAILED'})",
        len(latencies),
        wall,
        latencies,
        errors,
        rss_mib(pid),
    )
    print(run.row(), file=sys.stderr, flush=True)
    return run


async def serial_suite(args: argparse.Namespace, spec: str, inputs: Inputs) -> Run:
    """16 concurrent one-sentence calls on a translator whose batcher takes one item."""
    import grpc

    from newsdesk.translation.v1 import translation_pb2_grpc

    env = translator_env(
        spec, 1, args.threads, args.engine, NEWSDESK_TRANSLATOR_MAX_BATCH_SEGMENTS="1"
    )
    with Service("translator", env) as svc:
        async with grpc.aio.insecure_channel(svc.address) as channel:
            stub = translation_pb2_grpc.TranslationServiceStub(channel)
            await translate_call(stub, inputs.take(1))()
            return await load(
                "greedy, batcher limited to 1 item: 16 concurrent 1-sentence calls",
                [translate_call(stub, [t]) for t in inputs.take(16)],
                16,
                svc.pid,
            )


def engine_throughput(
    spec_text: str, sentences: list[str], threads: int, engine_name: str
) -> float:
    """Sentences/s of the raw engine on `sentences` in one greedy batch, segmented as
    the service segments them (a FLORES "sentence" may hold two), so both do the same
    generation work."""
    from services.common.engines.base import EngineSettings
    from services.common.models.store import ModelSpec
    from services.common.text.language import LanguageDecision
    from services.translator.loader import build_translator

    translator = build_translator(
        MODEL_DIR,
        {"uk": ModelSpec.parse(spec_text)},
        EngineSettings(engine_name, threads=threads),
        num_beams=1,
    )
    engine = translator.engines["uk"]
    spec = translator.spec_for(engine)
    prepared = translator.prepare([(s, LanguageDecision("uk")) for s in sentences])
    pieces = [job.text for job in prepared.jobs]
    engine.generate(pieces[:1], spec)
    started = time.perf_counter()
    engine.generate(pieces, spec)
    return len(sentences) / (time.perf_counter() - started)


async def summarizer_suite(args: argparse.Namespace, inputs: Inputs) -> list[Run]:
    """4 concurrent briefs vs one at a time, greedy and beam 4."""
    import grpc

    from newsdesk.summarization.v1 import summarization_pb2, summarization_pb2_grpc

    _, local = bench_models(args.size, args.engine)
    english, _ = english_documents()
    runs = []
    env = {
        "NEWSDESK_MODEL_DIR": str(MODEL_DIR),
        "NEWSDESK_SUMMARIZER_MODEL": str(local.spec),
        **engine_env("summarizer", args.engine, args.threads),
        "NEWSDESK_LOG_LEVEL": "WARNING",
    }
    with Service("summarizer", env) as svc:
        async with grpc.aio.insecure_channel(svc.address) as channel:
            stub = summarization_pb2_grpc.SummarizationServiceStub(channel)
            beam_list = [1] if args.quick else [1, 4]
            for beams in beam_list:

                def brief(text: str, beams: int = beams) -> Callable[[], Any]:
                    request = summarization_pb2.SummarizeRequest(
                        text=text, options=summarization_pb2.SummarizeOptions(num_beams=beams)
                    )
                    return lambda: stub.Summarize(request, timeout=3600)

                articles = [" ".join(english[i : i + 3]) for i in range(0, 24, 3)]
                await brief(articles[0])()  # warm-up
                runs.append(
                    await load(
                        f"summarizer beam {beams}: 4 briefs one at a time",
                        [brief(a) for a in articles[:4]],
                        1,
                        svc.pid,
                    )
                )
                runs.append(
                    await load(
                        f"summarizer beam {beams}: 4 concurrent briefs",
                        [brief(a) for a in articles[4:8]],
                        4,
                        svc.pid,
                    )
                )
    return runs


def ratio_line(name: str, value: float, goal: str, met: bool) -> str:
    """One ratio with its goal."""
    return f"| {name} | {value:.2f}x | {goal} | {'met' if met else 'NOT met'} |"


async def main_async(args: argparse.Namespace) -> int:
    local, _ = bench_models(args.size, args.engine)
    spec = str(local.spec)
    inputs = Inputs()
    print(
        f"models: {local.spec} ({args.size}, random weights); engine {args.engine}; "
        f"inputs: {inputs.source}; cpus {os.cpu_count()}; threads per service {args.threads}",
        flush=True,
    )
    sixteen = inputs.take(16)
    if args.beam4_only:
        beam_only = await translator_suite(args, spec, 4, inputs, sixteen, complete=False)
        summary_only = [] if args.skip_summarizer else await summarizer_suite(args, inputs)
        print(
            "| configuration | calls | errors | wall s | calls/s | p50 s | p95 s | p99 s | RSS MiB |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        for run in [*beam_only["runs"], *summary_only]:
            print(run.row())
        b16, bone = beam_only["c16"], beam_only["one_call"]
        print(
            f"\nbeam 4: 16 concurrent vs one call {b16.wall_s / bone.wall_s:.2f}x; after a "
            f"dropped call vs alone "
            f"{beam_only['after_drop'].pct(0.5) / beam_only['alone'].pct(0.5):.2f}x"
        )
        return 0
    engine_sps = engine_throughput(spec, sixteen, args.threads, args.engine)
    greedy = await translator_suite(args, spec, 1, inputs, sixteen)
    serial = await serial_suite(args, spec, inputs)
    beam = (
        None
        if args.quick
        else await translator_suite(args, spec, 4, inputs, sixteen, complete=False)
    )
    summarizer = [] if args.skip_summarizer else await summarizer_suite(args, inputs)

    runs: list[Run] = [*greedy["runs"], serial, *(beam["runs"] if beam else []), *summarizer]
    print()
    print("| configuration | calls | errors | wall s | calls/s | p50 s | p95 s | p99 s | RSS MiB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for run in runs:
        print(run.row())
    c16, one, idle = greedy["c16"], greedy["one_call"], greedy["idle"]
    after, alone = greedy["after_drop"], greedy["alone"]
    service_sps = c16.calls / c16.wall_s
    ratios = [
        ratio_line(
            "16 concurrent calls vs one-at-a-time serving (throughput)",
            serial.wall_s / c16.wall_s,
            ">= 3.5x",
            serial.wall_s / c16.wall_s >= 3.5,
        ),
        ratio_line(
            "16 concurrent calls vs the same 16 sentences in one call (time)",
            c16.wall_s / one.wall_s,
            "<= 1.3x",
            c16.wall_s / one.wall_s <= 1.3,
        ),
        ratio_line(
            "service (16 concurrent calls) vs raw engine batch of 16 (throughput)",
            service_sps / engine_sps,
            ">= 0.85",
            service_sps / engine_sps >= 0.85,
        ),
        ratio_line(
            "1 sentence right after a dropped 16-sentence call vs alone",
            after.pct(0.5) / alone.pct(0.5),
            "<= 1.5x",
            after.pct(0.5) / alone.pct(0.5) <= 1.5,
        ),
    ]
    if "mixed" in greedy and greedy["mixed"].latencies:
        mixed = greedy["mixed"]
        ratios.append(
            ratio_line(
                "p95 of 1-sentence calls during a document vs idle p95",
                mixed.pct(0.95) / idle.pct(0.95),
                "<= 3x",
                mixed.pct(0.95) / idle.pct(0.95) <= 3.0,
            )
        )
    print()
    print(f"raw engine, greedy, the 16 sentences in one batch: {engine_sps:.2f} sentences/s")
    print("| ratio (greedy) | value | goal | |")
    print("|---|---|---|---|")
    for line in ratios:
        print(line)
    if beam:
        b16, bone = beam["c16"], beam["one_call"]
        print(
            f"\nbeam 4 alongside: 16 concurrent vs one call {b16.wall_s / bone.wall_s:.2f}x; "
            f"after a dropped call vs alone {beam['after_drop'].pct(0.5) / beam['alone'].pct(0.5):.2f}x"
            + (
                f"; during a document p95 vs idle p95 "
                f"{beam['mixed'].pct(0.95) / beam['idle'].pct(0.95):.2f}x"
                if "mixed" in beam and beam["mixed"].latencies
                else ""
            )
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["tiny", "full"], default="full")
    parser.add_argument("--threads", type=int, default=2, help="engine threads per service")
    parser.add_argument("--engine", choices=["ctranslate2", "transformers"], default="ctranslate2")
    parser.add_argument("--idle-calls", type=int, default=4)
    parser.add_argument("--mixed-calls", type=int, default=8)
    parser.add_argument("--document-chars", type=int, default=20_000)
    parser.add_argument("--quick", action="store_true", help="fewer levels, greedy only")
    parser.add_argument("--skip-mixed", action="store_true")
    parser.add_argument("--skip-summarizer", action="store_true")
    parser.add_argument(
        "--beam4-only",
        action="store_true",
        help="only the beam-4 translator rows (16-call comparisons, dropped call) and briefs",
    )
    args = parser.parse_args(argv)
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    raise SystemExit(main())
