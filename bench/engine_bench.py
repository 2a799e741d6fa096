"""Engines side by side: CTranslate2 int8 against transformers fp32, through the real
services under load (the serving-core load generator of serving_bench.py), in one run.

    python bench/engine_bench.py                 # full size: opus-mt base, distilbart-cnn-12-6
    python bench/engine_bench.py --size tiny --quick   # a smoke run (seconds; noise)

Models: random-weight MarianMT at opus-mt size (two of them, uk→en and ru→en, as the
translator serves in production) and BART at distilbart-cnn-12-6 size, built and
converted once into .cache/models (`models build-local`, then `models convert`).
Random weights never stop early, so every output runs to its length bound: a worst case.

Prints per configuration the wall time, calls/s and the service's RSS (now and peak),
then the issue's goals:
- translator, 16 concurrent one-sentence calls (greedy; beam 4 alongside): CTranslate2
  int8 throughput ≥ 3x transformers fp32;
- summarizer, one full brief of a 700-token article (the service default, beam 4): ≥ 3x;
- translator RSS with int8 models and in-process detection ≤ 584 MiB (half of 1,168);
- summarizer RSS ≤ 800 MB;
and the worker layout: one 2-thread worker against two 1-thread workers (CTranslate2).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import MODEL_DIR, bench_models, engine_env, english_documents, rss_mib
from bench.serving_bench import Inputs, Run, Service, load, translate_call

ENGINES = ("transformers", "ctranslate2")


def peak_mib(pid: int) -> float:
    """Peak resident set size (VmHWM) of a process in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def second_marian(size: str, engine: str) -> Any:
    """A second, different random MarianMT (the ru→en model), converted like the first."""
    from services.common.models.ct2_convert import convert
    from services.common.models.store import ModelSpec
    from services.translator.build_local import build_marian

    local = build_marian(
        MODEL_DIR, size, spec=ModelSpec(f"newsdesk-local/opus-mt-{size}-ru-en", "main"), seed=1
    )
    if engine == "ctranslate2":
        convert(local.spec, MODEL_DIR, quantization="int8")
    return local


async def translator_runs(
    args: argparse.Namespace,
    engine: str,
    beams: int,
    inputs: Inputs,
    *,
    threads: int,
    workers: int = 1,
    label: str = "",
    sentences: list[str] | None = None,
    singles: list[str] | None = None,
) -> tuple[Run, float, float]:
    """16 concurrent one-sentence calls on a translator (`sentences`, or 16 new ones);
    (run, rss, peak rss). With `singles`, each of them alone first (a Run named
    "... alone" is printed)."""
    import grpc

    from newsdesk.translation.v1 import translation_pb2, translation_pb2_grpc

    uk, _ = bench_models(args.size, engine)
    ru = second_marian(args.size, engine)
    env = {
        "NEWSDESK_MODEL_DIR": str(MODEL_DIR),
        "NEWSDESK_TRANSLATOR_MODEL_UK": str(uk.spec),
        "NEWSDESK_TRANSLATOR_MODEL_RU": str(ru.spec),
        "NEWSDESK_TRANSLATOR_NUM_BEAMS": str(beams),
        "NEWSDESK_LOG_LEVEL": "WARNING",
        **engine_env("translator", engine, threads, workers),
    }
    with Service("translator", env) as svc:
        async with grpc.aio.insecure_channel(svc.address) as channel:
            stub = translation_pb2_grpc.TranslationServiceStub(channel)
            await translate_call(stub, inputs.take(1))()  # warm-up, uk
            russian = translation_pb2.TranslateRequest(
                contents=["Москва заявила о новых санкциях."], source_language_code="ru"
            )
            await stub.Translate(russian, timeout=600)  # warm-up, ru
            name = label or f"translator {engine}, beam {beams}: 16 concurrent 1-sentence calls"
            if singles:
                await load(
                    f"{name.split(':')[0]}: 1-sentence calls one at a time",
                    [translate_call(stub, [t]) for t in singles],
                    1,
                    svc.pid,
                )
            run = await load(
                name,
                [translate_call(stub, [t]) for t in (sentences or inputs.take(16))],
                16,
                svc.pid,
            )
            await asyncio.sleep(0.5)  # idle: the batcher hands freed memory back
            return run, rss_mib(svc.pid), peak_mib(svc.pid)


def article_700(size: str) -> tuple[str, str]:
    """An English news article of about 700 BART tokens (FLORES references joined)."""
    from tokenizers import Tokenizer

    from services.common.models.store import locate_converted

    _, bart = bench_models(size, "ctranslate2")
    tokenizer = Tokenizer.from_file(
        str(locate_converted(MODEL_DIR, bart.spec, "int8").path / "tokenizer.json")
    )
    english, source = english_documents()
    words: list[str] = []
    for doc in english:
        for word in doc.split():
            if len(tokenizer.encode(" ".join([*words, word])).ids) > 700:
                return " ".join(words), source
            words.append(word)
    return " ".join(words), source


async def summarizer_run(
    args: argparse.Namespace, engine: str, text: str, threads: int
) -> tuple[Run, float, float]:
    """One full brief (service defaults: beam 4); (run, rss, peak rss)."""
    import grpc

    from newsdesk.summarization.v1 import summarization_pb2, summarization_pb2_grpc

    _, bart = bench_models(args.size, engine)
    env = {
        "NEWSDESK_MODEL_DIR": str(MODEL_DIR),
        "NEWSDESK_SUMMARIZER_MODEL": str(bart.spec),
        "NEWSDESK_LOG_LEVEL": "WARNING",
        **engine_env("summarizer", engine, threads),
    }
    with Service("summarizer", env) as svc:
        async with grpc.aio.insecure_channel(svc.address) as channel:
            stub = summarization_pb2_grpc.SummarizationServiceStub(channel)
            warm = summarization_pb2.SummarizeRequest(text=" ".join(text.split()[:60]))
            await stub.Summarize(warm, timeout=3600)
            request = summarization_pb2.SummarizeRequest(text=text)
            run = await load(
                f"summarizer {engine}: one brief of a 700-token article (beam 4)",
                [lambda: stub.Summarize(request, timeout=3600)],
                1,
                svc.pid,
            )
            await asyncio.sleep(0.5)  # idle: the batcher hands freed memory back
            return run, rss_mib(svc.pid), peak_mib(svc.pid)


def goal(name: str, value: float, target: str, met: bool) -> str:
    """A markdown row for one goal."""
    return f"| {name} | {value:.2f} | {target} | {'met' if met else 'NOT met'} |"


async def main_async(args: argparse.Namespace) -> int:
    inputs = Inputs()
    cpus = len(os.sched_getaffinity(0))
    print(
        f"size {args.size} (random weights); inputs {inputs.source}; cpus {cpus}; "
        f"threads per service {args.threads}",
        flush=True,
    )
    rows: list[str] = []
    greedy: dict[str, tuple[Run, float, float]] = {}
    beam4: dict[str, tuple[Run, float, float]] = {}
    briefs: dict[str, tuple[Run, float, float]] = {}
    for engine in ENGINES:
        greedy[engine] = await translator_runs(args, engine, 1, inputs, threads=args.threads)
        if not args.quick:
            beam4[engine] = await translator_runs(args, engine, 4, inputs, threads=args.threads)
    text, source = article_700(args.size)
    for engine in ENGINES:
        briefs[engine] = await summarizer_run(args, engine, text, args.threads)
    layouts: list[tuple[Run, float, float]] = []
    if not args.quick:
        # The same 16 sentences (and 4 single calls) for both layouts, twice, alternating.
        same16, singles = inputs.take(16), inputs.take(4)
        for _ in range(2):
            for workers, threads in ((1, 2), (2, 1)):
                layouts.append(
                    await translator_runs(
                        args,
                        "ctranslate2",
                        1,
                        inputs,
                        threads=threads,
                        workers=workers,
                        label=f"translator ctranslate2, greedy, {workers} worker(s) x {threads} "
                        "thread(s): 16 concurrent 1-sentence calls",
                        sentences=same16,
                        singles=singles,
                    )
                )

    print(f"\narticle for the briefs: {len(text.split())} words from {source}")
    print("\n| configuration | calls | wall s | calls/s | RSS MiB | peak RSS MiB |")
    print("|---|---|---|---|---|---|")
    for run, rss, peak in [
        *greedy.values(),
        *beam4.values(),
        *briefs.values(),
        *layouts,
    ]:
        print(
            f"| {run.name} | {run.calls} | {run.wall_s:.2f} | {run.calls / run.wall_s:.2f} "
            f"| {rss:.0f} | {peak:.0f} |"
        )
        if run.errors:
            print(f"ERRORS: {run.errors} failed calls in {run.name}", file=sys.stderr)
            return 1

    def speedup(pair: dict[str, tuple[Run, float, float]]) -> float:
        return pair["transformers"][0].wall_s / pair["ctranslate2"][0].wall_s

    rows.append(
        goal(
            "translator, 16 concurrent 1-sentence calls, greedy: ctranslate2 int8 vs "
            "transformers fp32 (throughput, x)",
            speedup(greedy),
            ">= 3",
            speedup(greedy) >= 3,
        )
    )
    if beam4:
        rows.append(
            goal(
                "translator, same, beam 4 (alongside, x)",
                speedup(beam4),
                "-",
                True,
            )
        )
    rows.append(
        goal(
            "summarizer, one brief of a 700-token article: ctranslate2 int8 vs "
            "transformers fp32 (x)",
            speedup(briefs),
            ">= 3",
            speedup(briefs) >= 3,
        )
    )
    t_rest = max(greedy["ctranslate2"][1], beam4["ctranslate2"][1] if beam4 else 0.0)
    t_peak = max(greedy["ctranslate2"][2], beam4["ctranslate2"][2] if beam4 else 0.0)
    rows.append(
        goal(
            "translator RSS after the loads, ctranslate2 int8, two models + in-process "
            "detection (MiB)",
            t_rest,
            "<= 584",
            t_rest <= 584,
        )
    )
    rows.append(goal("translator peak RSS during the loads (MiB)", t_peak, "<= 584", t_peak <= 584))
    s_rest_mb = briefs["ctranslate2"][1] * 1.048576
    s_peak_mb = briefs["ctranslate2"][2] * 1.048576
    rows.append(
        goal(
            "summarizer RSS after the brief, ctranslate2 int8 (MB)",
            s_rest_mb,
            "<= 800",
            s_rest_mb <= 800,
        )
    )
    rows.append(
        goal("summarizer peak RSS during the brief (MB)", s_peak_mb, "<= 800", s_peak_mb <= 800)
    )
    if layouts:
        one_two = sum(r.wall_s for r, _, _ in layouts[0::2])
        two_one = sum(r.wall_s for r, _, _ in layouts[1::2])
        rows.append(
            goal(
                "2 workers x 1 thread vs 1 worker x 2 threads, 16 concurrent calls "
                "(throughput, x; two runs each)",
                one_two / two_one,
                "informs the default",
                True,
            )
        )
    print("\n| goal | value | target | |")
    print("|---|---|---|---|")
    for row in rows:
        print(row)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["tiny", "full"], default="full")
    parser.add_argument("--threads", type=int, default=2, help="engine threads per service")
    parser.add_argument("--quick", action="store_true", help="greedy only, no worker layouts")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    code = asyncio.run(main_async(args))
    print(f"\n({time.perf_counter() - started:.0f} s)")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
