"""Where the time of a batched greedy generation goes (the profile behind
docs/benchmarks.md): time per decoding step at batch sizes 1, 4 and 16, the steps a
batch runs (its longest row) and the steps its rows needed, and the time of the
largest beam-4 batch (what a cancelled beam batch can waste on ctranslate2).

    python bench/decode_profile.py [--threads 2] [--engine ctranslate2|transformers]

Uses the full-size random-weight MarianMT (built into .cache/models once) and the
first 16 FLORES-200 uk sentences (owned text when ../shared is absent).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import MODEL_DIR, bench_models, source_sentences


def main(argv: list[str] | None = None) -> int:
    """Print the per-step costs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--engine", choices=["ctranslate2", "transformers"], default="ctranslate2")
    args = parser.parse_args(argv)

    from services.common.engines.base import EngineSettings
    from services.translator.loader import build_translator

    local, _ = bench_models("full", args.engine)
    translator = build_translator(
        MODEL_DIR,
        {"uk": local.spec},
        EngineSettings(args.engine, threads=args.threads),
        num_beams=1,
    )
    engine = translator.engines["uk"]
    spec = translator.spec_for(engine)
    sentences, source = source_sentences(16)
    engine.generate(sentences[:1], spec)
    print(f"model {local.spec}; {engine.model.engine}; {source}; threads {args.threads}")
    print("| batch | wall s | steps (longest row) | rows' own steps, sum | ms per step |")
    print("|---|---|---|---|---|")
    for size in (1, 4, 16):
        batch = sentences[:size]
        started = time.perf_counter()
        results = engine.generate(batch, spec)
        wall = time.perf_counter() - started
        steps = max(r.target_tokens for r in results)
        own = sum(r.target_tokens for r in results)
        print(f"| {size} | {wall:.1f} | {steps} | {own} | {wall / steps * 1000:.0f} |")
    # The largest beam batch the translator forms (MAX_BATCH_SEGMENTS=32 rows = 8
    # sentences x 4 beams): what a cancelled beam batch can waste on an engine whose
    # beam search takes no step callback (ctranslate2).
    beam = replace(spec, num_beams=4)
    started = time.perf_counter()
    engine.generate(sentences[:8], beam)
    print(
        f"\nbeam 4, 8 sentences (32 rows, the largest batch): {time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
