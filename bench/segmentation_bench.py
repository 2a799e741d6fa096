"""Sentence splitting on the shared FLORES-200 documents: newsdesk vs razdel vs pysbd.

    python bench/segmentation_bench.py [../shared/eval/mt]

Each FLORES document is 2–6 consecutive FLORES sentences joined by spaces, so the true
boundaries are known. Prints, per language and splitter, how many true boundaries were
found (recall) and how many extra splits fell inside a FLORES sentence (many FLORES
"sentences" hold two sentences, so extra splits are not all errors), plus a few
abbreviation cases. razdel and pysbd are used only if installed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import SHARED
from services.common.text.segment import split_sentences

CASES = [
    "Він живе у м. Києві, на вул. Хрещатик. Потім пішов.",
    "Проф. О. В. Петренко виступив. Зал аплодував.",
    "В 1990 г. было так. См. рис. 3 ниже. Далее.",
]


def splitters() -> dict[str, Callable[[str], list[str]]]:
    """Available splitters by name."""
    out: dict[str, Callable[[str], list[str]]] = {"newsdesk": split_sentences}
    try:
        import razdel

        out["razdel"] = lambda t: [s.text for s in razdel.sentenize(t)]
    except ImportError:
        pass
    try:
        import pysbd

        seg = pysbd.Segmenter(language="ru", clean=False)
        out["pysbd-ru"] = lambda t: [s.strip() for s in seg.segment(t) if s.strip()]
    except ImportError:
        pass
    return out


def true_boundaries(text: str, sentences: list[str]) -> set[int] | None:
    """Character offsets after each FLORES sentence but the last (None if unmatched)."""
    pos, ends = 0, []
    while pos < len(text):
        while pos < len(text) and text[pos] == " ":
            pos += 1
        match = next((s for s in sentences if text.startswith(s, pos)), None)
        if match is None:
            return None
        pos += len(match)
        ends.append(pos)
    return set(ends[:-1])


def predicted_boundaries(text: str, pieces: list[str]) -> set[int]:
    """Character offsets after each predicted sentence but the last."""
    ends, pos = set(), 0
    for piece in pieces[:-1]:
        pos = text.find(piece, pos) + len(piece)
        ends.add(pos)
    return ends


def main(argv: list[str] | None = None) -> int:
    """Print the comparison."""
    folder = Path(argv[0]) if argv else SHARED / "eval" / "mt"
    docs = [json.loads(x) for x in (folder / "flores200-devtest.docs.jsonl").open()]
    print("| lang | splitter | boundaries found | extra splits inside a FLORES sentence |")
    print("|---|---|---|---|")
    for lang in ("uk", "ru"):
        tsv = (folder / f"flores200-devtest.{lang}-en.tsv").read_text("utf-8").splitlines()[1:]
        sentences = [row.split("\t", 1)[0] for row in tsv]
        for name, split in splitters().items():
            found = total = extra = 0
            for doc in (d for d in docs if d["lang"] == lang):
                truth = true_boundaries(doc["text"], sentences)
                if truth is None:
                    continue
                pred = predicted_boundaries(doc["text"], split(doc["text"]))
                found += len(truth & pred)
                total += len(truth)
                extra += len(pred - truth)
            print(f"| {lang} | {name} | {found}/{total} | {extra} |")
    print()
    for case in CASES:
        for name, split in splitters().items():
            print(f"{name:>9}: {split(case)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
