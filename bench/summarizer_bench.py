"""Summarizer benchmark: a full brief vs a summary alone, at distilbart-cnn-12-6 size.

    python bench/summarizer_bench.py [--threads 1] [--tokens 700] [--beams 1,4]

Builds (once, cached in .cache/models) a random-weight BART at distilbart-cnn-12-6's
architecture (d_model 1024, 12+6 layers, 16 heads, FFN 4096, 50,264 vocabulary). The
article is the seed wire story (or owned text without ../shared) cut to ~700 tokens.
For greedy and beam 4 it prints seconds for the summary alone (one generation, the same
length bounds the brief uses), seconds for the whole brief (summary, headline and
bullets), seconds per model call, and the ratio brief / summary alone (goal <= 2x).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import MODEL_DIR, SHARED, bench_models, rss_mib


def article(engine: Any, tokens: int) -> tuple[str, str]:
    """An English article of about `tokens` tokens, and where it came from."""
    seeds = sorted((SHARED / "seed").glob("*.txt"))
    if seeds:
        text, source = seeds[0].read_text(encoding="utf-8"), str(seeds[0])
    else:
        from services.common.models.corpus import article as owned

        text, source = owned("en", 120), "owned corpus (../shared absent)"
    words = text.split(" ")
    while engine.count_tokens(" ".join(words)) > tokens:
        words = words[: int(len(words) * 0.95)]
    return " ".join(words), source


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--tokens", type=int, default=700)
    parser.add_argument("--beams", default="1,4")
    parser.add_argument("--size", choices=["tiny", "full"], default="full")
    parser.add_argument("--engine", choices=["ctranslate2", "transformers"], default="ctranslate2")
    args = parser.parse_args(argv)

    from services.common.engines.base import (
        EngineSettings,
        Generated,
        GenerationSpec,
        RowDone,
        StopCheck,
    )
    from services.summarizer.loader import build_writer
    from services.summarizer.summary import SummaryOptions, tokens_for_words

    _, local = bench_models(args.size, args.engine)
    writer = build_writer(MODEL_DIR, local.spec, EngineSettings(args.engine, threads=args.threads))
    engine = writer.engine
    text, source = article(engine, args.tokens)
    print(
        f"model: {local.spec} ({args.size}, random weights); {engine.model.engine}; "
        f"threads {args.threads}"
    )
    print(f"article: {engine.count_tokens(text)} tokens from {source}")

    calls: list[float] = []
    original = engine.generate

    def timed(
        inputs: list[str],
        spec: GenerationSpec,
        should_stop: StopCheck | None = None,
        on_done: RowDone | None = None,
    ) -> list[Generated]:
        started = time.perf_counter()
        try:
            return original(inputs, spec, should_stop, on_done)
        finally:
            calls.append(time.perf_counter() - started)

    engine.generate = timed  # type: ignore[method-assign]
    rows = []
    for beams in [int(b) for b in args.beams.split(",")]:
        options = SummaryOptions(num_beams=beams)
        words = options.summary_max_words
        spec = GenerationSpec(
            max_new_tokens=tokens_for_words(words),
            min_new_tokens=max(1, tokens_for_words(words) // 3),
            num_beams=beams,
        )
        calls.clear()
        engine.generate([text], spec)
        summary_s = calls[-1]
        calls.clear()
        started = time.perf_counter()
        brief = writer.write(text, options)
        brief_s = time.perf_counter() - started
        rows.append((beams, summary_s, brief_s, list(calls), brief))
    print()
    print(
        "| decoding | summary alone (s) | full brief (s) | model calls | s per call "
        "| brief / summary |"
    )
    print("|---|---|---|---|---|---|")
    for beams, summary_s, brief_s, per_call, brief in rows:
        name = "greedy" if beams == 1 else f"beam {beams}"
        per = ", ".join(f"{c:.1f}" for c in per_call)
        print(
            f"| {name} | {summary_s:.1f} | {brief_s:.1f} | {brief.generations} | {per} "
            f"| {brief_s / summary_s:.2f}x |"
        )
    print(
        f"\nbullets per brief: {[len(r[4].bullets) for r in rows]}; "
        "goal: a full brief costs <= 2x a summary alone"
    )
    print(f"RSS after the runs: {rss_mib():.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
