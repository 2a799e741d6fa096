"""The default translator's cost: transformer-big (opus-mt-tc-big-zle-en's shape)
against the base shape (opus-mt-uk-en / opus-mt-ru-en), side by side in one run.

    python bench/model_shape_bench.py [--threads 2] [--engine ctranslate2]

Both are random-weight MarianMT models built locally at the real shapes (d_model 1024,
6+6 layers, 16 heads, FFN 4096 against d_model 512, 8 heads, FFN 2048), on the same
engine (CTranslate2 int8 by default), fed the same unique FLORES sentences.

1. Decode cost: the engine itself, a batch of 16 sentences decoded to exactly 48 new
   tokens each (min = max), greedy and beam 4 — random weights stop at different
   lengths, so only a forced length compares the shapes' cost per token.
2. Service: the translator service, 16 concurrent one-sentence calls (the cache off,
   the gate flagging only — see bench/_util.engine_env), and its resident memory. Its
   wall times also depend on where each random model happens to stop.

Prints the big/base ratios. Quality is not measured here: random weights (the BLEU
figures are the model cards', see README).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.engine_bench import translator_runs
from bench.serving_bench import Inputs


def decode_cost(args: argparse.Namespace, sentences: list[str]) -> dict[tuple[str, int], float]:
    """Seconds to decode the 16 sentences to exactly 48 new tokens, per shape and beams
    (median of `args.repeats` timed runs after one warm-up)."""
    import statistics

    from bench._util import MODEL_DIR, bench_models
    from services.common.engines.base import EngineSettings, GenerationSpec, load_engine

    out = {}
    for size in ("full", "big"):
        marian, _ = bench_models(size, args.engine)
        settings = EngineSettings(args.engine, "int8" if args.engine == "ctranslate2" else "")
        engine = load_engine(
            EngineSettings(settings.name, settings.compute_type, threads=args.threads),
            MODEL_DIR,
            marian.spec,
        )
        for beams in (1, 4):
            spec = GenerationSpec(max_new_tokens=48, min_new_tokens=48, num_beams=beams)
            engine.generate(sentences[:2], spec)  # warm-up
            times = []
            for _ in range(args.repeats):
                started = time.perf_counter()
                results = engine.generate(sentences, spec)
                times.append(time.perf_counter() - started)
            tokens = sum(r.target_tokens for r in results)
            out[(size, beams)] = statistics.median(times)
            print(
                f"decode {size:>4}, beam {beams}: {out[(size, beams)]:.2f} s for 16 x 48 "
                f"tokens ({tokens} counted)",
                flush=True,
            )
        del engine
    return out


async def main_async(args: argparse.Namespace) -> int:
    """Run both shapes and print the comparison."""
    inputs = Inputs()
    print(f"inputs: {inputs.source}; engine {args.engine}, {args.threads} threads\n")
    decode = decode_cost(args, inputs.take(16))
    print("\n| beams | base decode s | big decode s | big / base |\n|---|---|---|---|")
    for beams in (1, 4):
        base_s, big_s = decode[("full", beams)], decode[("big", beams)]
        print(f"| {beams} | {base_s:.2f} | {big_s:.2f} | {big_s / base_s:.2f}x |")
    print()
    rows: dict[tuple[str, int], tuple[float, float, float]] = {}
    for size in ("full", "big"):
        for beams in (1, 4):
            shape = {"full": "base (opus-mt-uk-en shape)", "big": "transformer-big (zle)"}[size]
            run, rss, peak = await translator_runs(
                argparse.Namespace(size=size),
                args.engine,
                beams,
                inputs,
                threads=args.threads,
                label=f"{shape}, beam {beams}: 16 concurrent 1-sentence calls",
            )
            rows[(size, beams)] = (run.wall_s, rss, peak)
    print(
        "\n| beams | base service wall s | big service wall s | big / base | base RSS MiB "
        "| big RSS MiB |"
    )
    print("|---|---|---|---|---|---|")
    for beams in (1, 4):
        base, big = rows[("full", beams)], rows[("big", beams)]
        print(
            f"| {beams} | {base[0]:.2f} | {big[0]:.2f} | {big[0] / base[0]:.2f}x "
            f"| {base[1]:.0f} (peak {base[2]:.0f}) | {big[1]:.0f} (peak {big[2]:.0f}) |"
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2, help="engine threads")
    parser.add_argument("--engine", choices=["ctranslate2", "transformers"], default="ctranslate2")
    parser.add_argument("--repeats", type=int, default=3, help="timed decode runs (median)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    code = asyncio.run(main_async(args))
    print(f"\n({time.perf_counter() - started:.0f} s)")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
