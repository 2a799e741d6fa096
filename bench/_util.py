"""Helpers shared by the benchmarks: RSS, workloads, a local model directory."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSDESK_SHARED_DIR", REPO.parent / "shared"))
MODEL_DIR = Path(os.environ.get("NEWSDESK_BENCH_MODEL_DIR", REPO / ".cache" / "models"))


def rss_mib(pid: int | str = "self") -> float:
    """Resident set size of a process in MiB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def source_sentences(count: int) -> tuple[list[str], str]:
    """Ukrainian FLORES devtest sentences (if ../shared is present) or owned ones."""
    path = SHARED / "eval" / "mt" / "flores200-devtest.uk-en.tsv"
    if path.exists():
        lines = path.read_text(encoding="utf-8").splitlines()[1:]
        return [line.split("\t", 1)[0] for line in lines[:count]], str(path)
    from services.common.corpus import sentences

    pool = sentences("uk")[:-2]
    return [pool[i % len(pool)] for i in range(count)], "owned corpus (../shared absent)"
