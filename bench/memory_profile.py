"""Where the translator's memory goes on the ctranslate2 engine, step by step, with
and without handing freed pages back to the OS (malloc_trim) after each step.

    python bench/memory_profile.py            # full size: two opus-mt int8 models

Each variant runs in its own process (RSS is per process): imports, the light
language gate, two full-size random MarianMT int8 conversions (uk→en, ru→en), then a
beam-4 batch of 8 sentences, a greedy batch of 32, and a beam-4 batch on the second
model.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import MODEL_DIR, bench_models, rss_mib, source_sentences


def child(trim: bool) -> None:
    """One variant: print `step<TAB>RSS MiB<TAB>trim ms` rows."""
    from services.common.memory import release_free_memory

    def step(label: str) -> None:
        started = time.perf_counter()
        if trim:
            release_free_memory()
        print(f"{label}\t{rss_mib():.0f}\t{(time.perf_counter() - started) * 1000:.1f}", flush=True)

    step("python")
    import grpc  # noqa: F401

    import services.translator.app  # noqa: F401

    step("imports")
    from services.common.text.language import LanguageGate

    LanguageGate.light()
    step("+ language gate (light)")
    from services.common.engines.base import EngineSettings, GenerationSpec, load_engine
    from services.common.models.store import ModelSpec

    settings = EngineSettings("ctranslate2", "int8", threads=2)
    first = load_engine(settings, MODEL_DIR, ModelSpec("newsdesk-local/opus-mt-full-zle-en"))
    step("+ opus-mt model 1 (int8)")
    second = load_engine(settings, MODEL_DIR, ModelSpec("newsdesk-local/opus-mt-full-ru-en"))
    step("+ opus-mt model 2 (int8)")
    sentences, _ = source_sentences(32)
    greedy = GenerationSpec(max_new_tokens=256, length_ratio=1.6, length_extra=10)
    beam4 = GenerationSpec(max_new_tokens=256, length_ratio=1.6, length_extra=10, num_beams=4)
    first.generate(sentences[:8], beam4)
    step("after a beam-4 batch of 8 (model 1)")
    first.generate(sentences, greedy)
    step("after a greedy batch of 32 (model 1)")
    second.generate(sentences[:8], beam4)
    step("after a beam-4 batch of 8 (model 2)")


def main(argv: list[str] | None = None) -> int:
    """Run both variants and print them side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=["trim", "keep"])
    args = parser.parse_args(argv)
    if args.child:
        child(args.child == "trim")
        return 0
    from bench.engine_bench import second_marian

    bench_models("full", "ctranslate2")
    second_marian("full", "ctranslate2")
    rows: dict[str, dict[str, str]] = {}
    for variant in ("keep", "trim"):
        out = subprocess.run(
            [sys.executable, __file__, "--child", variant],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for line in out.splitlines():
            label, rss, ms = line.split("\t")
            rows.setdefault(label, {})[variant] = rss
            rows[label][f"{variant}_ms"] = ms
    print("| step | RSS MiB, pages kept | RSS MiB, malloc_trim after each step | trim ms |")
    print("|---|---|---|---|")
    for label, row in rows.items():
        print(f"| {label} | {row['keep']} | {row['trim']} | {row['trim_ms']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
