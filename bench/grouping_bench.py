"""Grouping the same story told twice (newsdesk_client/grouping.py) on a set made from
the shared FLORES-200 devtest documents: each document, and three light edits of it
(sentences reordered; a different lead sentence; a headline and a "Read also" line added,
as a page's text comes), among all the other documents as distinct stories.

    python bench/grouping_bench.py [--threshold T]

The documents are split by FLORES id: DEV (even ids, uk and ru) chooses the threshold
(the best pair F1 of a sweep), TEST (odd ids) reports it. Precision and recall are over pairs of texts: a pair is
right when both are tellings of one document. "Model work saved" is the share of texts
not briefed (1 − groups / texts). The uk and ru documents of one FLORES id tell one
story in two languages; grouping works on source text, so it cannot join them, and the
bench counts the uk–ru pairs of one id it joined (expected 0) rather than scoring them.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import SHARED
from newsdesk_client.grouping import THRESHOLD, group_texts
from services.common.text.segment import document_spans

SWEEP = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8)


def variants(text: str, other_lead: str) -> list[str]:
    """Three light edits of a document."""
    sentences = [s.text for s in document_spans(text)]
    reordered = " ".join(sentences[1:] + sentences[:1]) if len(sentences) > 1 else text
    new_lead = " ".join([other_lead, *sentences[1:]]) if len(sentences) > 1 else text
    headline = " ".join(sentences[0].split()[:8])
    dressed = f"{headline}\n\n{text}\n\nЧитайте також: {other_lead}"
    return [reordered, new_lead, dressed]


def build(docs: list[dict]) -> tuple[list[str], list[str], list[str]]:
    """(texts, story of each text, language of each text)."""
    texts, story, language = [], [], []
    for n, doc in enumerate(docs):
        lead = next(s.text for s in document_spans(docs[(n + 7) % len(docs)]["text"]))
        for text in [doc["text"], *variants(doc["text"], lead)]:
            texts.append(text)
            story.append(doc["id"])
            language.append(doc["lang"])
    return texts, story, language


def score(texts: list[str], story: list[str], threshold: float) -> dict[str, float]:
    """Pair precision and recall, texts, groups, and the seconds it took."""
    started = time.perf_counter()
    groups = group_texts(texts, threshold)
    seconds = time.perf_counter() - started
    found = {frozenset(p) for g in groups for p in itertools.combinations(g.members, 2)}
    truth = {
        frozenset((a, b))
        for a, b in itertools.combinations(range(len(texts)), 2)
        if story[a] == story[b]
    }
    right = len(found & truth)
    precision = right / len(found) if found else 1.0
    recall = right / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "texts": len(texts),
        "groups": len(groups),
        "saved": 1 - len(groups) / len(texts),
        "seconds": seconds,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=None)
    args = parser.parse_args(argv)
    path = SHARED / "eval" / "mt" / "flores200-devtest.docs.jsonl"
    if not path.exists():
        print(f"{path} is absent (../shared): nothing to measure", file=sys.stderr)
        return 2
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    # Split by FLORES id (both languages of an id in one half, each half both languages).
    number = {d["id"]: int(d["id"].split("-")[2]) for d in docs}
    halves = {
        "DEV": [d for d in docs if number[d["id"]] % 2 == 0],
        "TEST": [d for d in docs if number[d["id"]] % 2 == 1],
    }
    dev_texts, dev_story, _ = build(halves["DEV"])
    print("| threshold | DEV precision | DEV recall | DEV F1 |")
    print("|---|---|---|---|")
    best = (0.0, THRESHOLD)
    for t in SWEEP:
        s = score(dev_texts, dev_story, t)
        print(f"| {t} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} |")
        best = max(best, (s["f1"], t))
    texts, story, language = build(halves["TEST"])
    chosen = [args.threshold] if args.threshold is not None else [THRESHOLD, best[1]]
    for threshold in dict.fromkeys(chosen):
        s = score(texts, story, threshold)
        groups = group_texts(texts, threshold)
        # One FLORES id, two languages: one story told in uk and in ru.
        cross = sum(
            1
            for g in groups
            for a, b in itertools.combinations(g.members, 2)
            if story[a].rsplit("-", 1)[0] == story[b].rsplit("-", 1)[0]
            and language[a] != language[b]
        )
        label = "the shipped default" if threshold == THRESHOLD else "DEV's best F1"
        print(
            f"\nTEST at threshold {threshold} ({label}): {s['texts']} texts "
            f"({len(halves['TEST'])} documents, uk and ru, × 4 tellings), {s['groups']} groups; pair "
            f"precision {s['precision']:.3f}, recall {s['recall']:.3f}; model work saved "
            f"{s['saved']:.1%} (the most possible: {1 - len(set(story)) / len(texts):.1%}); "
            f"uk–ru tellings of one story joined: {cross}; "
            f"{1000 * s['seconds'] / len(texts):.2f} ms a text"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
