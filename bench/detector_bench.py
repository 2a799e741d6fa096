"""Detector benchmark: the combined detector against seeded langdetect (and the light gate).

--light adds the translator's and summarizer's light in-process check (language.py).

    python bench/detector_bench.py FILE.tsv [FILE.tsv ...] [--repeats 3] [--light]

Each FILE is `lang<TAB>text` (one optional header line). Prints, per file and side by
side: uk+ru+en accuracy, other languages answered uk/ru (all, and with reliable=true),
texts/s on one core (the process pins itself to one CPU), and whether two runs agree.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "RAYON_NUM_THREADS"):
    os.environ[_var] = "1"
with contextlib.suppress(AttributeError, OSError):
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.common.text.language import LIGHT  # noqa: E402
from services.common.text.lid import LanguageIdentifier, lingua_opinion  # noqa: E402
from services.detector.langid.engine import LanguageDetector  # noqa: E402
from services.detector.langid.evaluate import load_labelled, score  # noqa: E402
from services.detector.langid.langdetect_baseline import LangdetectDetector  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Print the comparison table for each file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--repeats", type=int, default=3, help="timed passes (median)")
    parser.add_argument(
        "--light", action="store_true", help="also the translator's and summarizer's check"
    )
    args = parser.parse_args(argv)
    detectors: dict[str, LanguageIdentifier | LangdetectDetector] = {
        "newsdesk combined": LanguageDetector(),
        "langdetect (seed 0)": LangdetectDetector(),
    }
    if args.light:
        detectors["light gate (model services)"] = LanguageIdentifier(
            LIGHT, lingua_opinion(low_accuracy=True)
        )
    for path in args.files:
        rows = load_labelled(path)
        print(f"\n## {path.name}: {len(rows)} texts\n")
        print(
            "| detector | uk+ru+en acc | uk acc | right and reliable | other→uk/ru "
            "| other→uk/ru reliable | texts/s (1 core) | deterministic |"
        )
        print("|---|---|---|---|---|---|---|---|")
        speeds: dict[str, float] = {}
        per_language: dict[str, str] = {}
        for name, det in detectors.items():
            runs = [score(det.detect_many, rows) for _ in range(max(1, args.repeats))]
            first = runs[0]
            # Determinism: a second, separate pass must give the same verdict per text.
            texts = [t for _, t in rows]
            once, twice = det.detect_many(texts), det.detect_many(texts)
            same = [(r.language, r.reliable) for r in once] == [
                (r.language, r.reliable) for r in twice
            ]
            speeds[name] = statistics.median(r.texts_per_s for r in runs)
            print(
                f"| {name} | {first.target_accuracy * 100:.2f}% "
                f"| {first.language_accuracy('uk') * 100:.1f}% "
                f"| {first.reliable_accuracy * 100:.2f}% "
                f"| {first.other_as_ukru}/{first.other_rows} "
                f"| {first.other_as_ukru_reliable}/{first.other_rows} "
                f"({first.other_reliable_rate * 100:.2f}%) "
                f"| {speeds[name]:.0f} | {'yes' if same else 'NO'} |"
            )
            per_language[name] = ", ".join(
                f"{k} {c / t * 100:.1f}%" for k, (c, t) in sorted(first.per_language.items())
            )
        names = list(speeds)
        print(f"\nspeed ratio {names[0]} / {names[1]}: {speeds[names[0]] / speeds[names[1]]:.2f}x")
        for name, line in per_language.items():
            print(f"per-language accuracy, {name}: {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
