"""False-positive rate of the plausibility gate on human translations.

    python bench/gate_bench.py [--show N]

Every FLORES-200 devtest sentence of ../shared/eval/mt/flores200-devtest.{uk,ru}-en.tsv
is passed through the gate with its English reference as if the reference were the
model's translation. A human translation should pass: each failure is a false
positive. Prints the rate per file and per reason (goal: 1% or less overall), and
with --show N the first N failures.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.translator.gate import check

MT = Path(__file__).resolve().parents[2] / "shared/eval/mt"


def rows(path: Path) -> list[tuple[str, str]]:
    """(source, reference) rows of a `source<TAB>reference` file (header skipped)."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        source, _, reference = line.partition("\t")
        if number == 0 and source.lower() in {"source", "src"}:
            continue
        out.append((source, reference))
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the false-positive table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=0, help="print the first N failures")
    args = parser.parse_args(argv)
    total = failed = 0
    print("| file | sentences | flagged | rate | by reason |\n|---|---|---|---|---|")
    shown = 0
    for name in ("flores200-devtest.uk-en.tsv", "flores200-devtest.ru-en.tsv"):
        path = MT / name
        if not path.exists():
            print(f"{path} not found: this needs ../shared beside the clone", file=sys.stderr)
            return 2
        reasons: Counter[str] = Counter()
        pairs = rows(path)
        flagged = 0
        for source, reference in pairs:
            found = check(source, reference)
            if found:
                flagged += 1
                reasons.update(found)
                if shown < args.show:
                    shown += 1
                    print(f"  {found}: {source[:90]!r} -> {reference[:90]!r}", file=sys.stderr)
        total += len(pairs)
        failed += flagged
        detail = ", ".join(f"{r} {n}" for r, n in reasons.most_common()) or "-"
        print(f"| {name} | {len(pairs)} | {flagged} | {flagged / len(pairs):.2%} | {detail} |")
    print(f"\noverall false-positive rate: {failed}/{total} = {failed / total:.2%} (goal <= 1%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
