"""False-positive rate of the plausibility gate on human translations.

    python bench/gate_bench.py [--sets flores dev test] [--show N]

Each set's sources go through the gate with their human English as if it were the
model's translation. A human translation should pass: each failure is a false
positive. Goal: 1% or less on every set. Sets:
- `flores`: every FLORES-200 devtest sentence of
  ../shared/eval/mt/flores200-devtest.{uk,ru}-en.tsv (skipped when ../shared is absent);
- `dev`, `test`: the news paragraphs of bench/data/gate_news_{dev,test}.tsv, written
  for this project in the typography of Ukrainian and Russian outlets with wire-style
  English (see bench/data/README.md). The gate's thresholds are tuned on `dev`; `test`
  is only measured.
Prints one table row per set and language: paragraphs, flagged, the exact rate and the
count per reason; with --show N the first N failures of the sets asked for.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import SHARED
from services.translator.plausibility import check

MT = SHARED / "eval" / "mt"
DATA = Path(__file__).resolve().parent / "data"
FLORES = {"uk": "flores200-devtest.uk-en.tsv", "ru": "flores200-devtest.ru-en.tsv"}


def rows(path: Path) -> list[tuple[str, str]]:
    """(source, reference) rows of a `source<TAB>reference` file (header skipped)."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        source, _, reference = line.partition("\t")
        if number == 0 and source.lower() in {"source", "src"}:
            continue
        out.append((source, reference))
    return out


def news_rows(path: Path) -> list[tuple[str, str, str]]:
    """(lang, source, english) rows of a news set: `#` comments and the header skipped."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("lang\t"):
            continue
        lang, source, english = line.split("\t")
        out.append((lang, source, english))
    return out


def load(name: str) -> dict[str, list[tuple[str, str]]] | None:
    """The set `name` as {lang: [(source, english)]}; None when it is not on disk."""
    if name == "flores":
        if not all((MT / f).exists() for f in FLORES.values()):
            return None
        return {lang: rows(MT / f) for lang, f in FLORES.items()}
    by_lang: dict[str, list[tuple[str, str]]] = {}
    for lang, source, english in news_rows(DATA / f"gate_news_{name}.tsv"):
        by_lang.setdefault(lang, []).append((source, english))
    return by_lang


def main(argv: list[str] | None = None) -> int:
    """Print the false-positive table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", choices=("flores", "dev", "test"))
    parser.add_argument("--show", type=int, default=0, help="print the first N failures")
    args = parser.parse_args(argv)
    shown = 0
    print("| set | lang | paragraphs | flagged | rate | by reason |\n|---|---|---|---|---|---|")
    for name in args.sets or ("flores", "dev", "test"):
        sets = load(name)
        if sets is None:
            print(f"| {name} | - | skipped: {MT} not found (needs ../shared) | | | |")
            continue
        total: Counter[str] = Counter()
        for lang, pairs in sets.items():
            reasons: Counter[str] = Counter()
            flagged = 0
            for source, english in pairs:
                found = check(source, english)
                if found:
                    flagged += 1
                    reasons.update(found)
                    total.update(found)
                    if shown < args.show:
                        shown += 1
                        print(
                            f"  {name} {lang} {found}: {source!r} -> {english!r}", file=sys.stderr
                        )
            total["paragraphs"] += len(pairs)
            total["flagged"] += flagged
            detail = ", ".join(f"{r} {n}" for r, n in reasons.most_common()) or "-"
            rate = f"{flagged}/{len(pairs)} = {flagged / len(pairs):.2%}"
            print(f"| {name} | {lang} | {len(pairs)} | {flagged} | {rate} | {detail} |")
        n, flagged = total.pop("paragraphs"), total.pop("flagged")
        detail = ", ".join(f"{r} {c}" for r, c in total.most_common()) or "-"
        rate = f"{flagged}/{n} = {flagged / n:.2%}"
        print(f"| {name} | all | {n} | {flagged} | **{rate}** | {detail} |")
    print("\ngoal: a false-positive rate of at most 1% on every set")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
