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
    from services.common.models.corpus import sentences

    pool = sentences("uk")[:-2]
    return [pool[i % len(pool)] for i in range(count)], "owned corpus (../shared absent)"


def bench_models(size: str, engine: str = "ctranslate2", quantization: str = "int8") -> tuple:
    """The random-weight MarianMT and BART of `size` in MODEL_DIR (built once), with
    their CTranslate2 conversion when the engine serves one — exactly the sequence
    users run: `models build-local`, then `models convert`."""
    from services.common.models.ct2_convert import convert
    from services.summarizer.build_local import build_bart
    from services.translator.build_local import build_marian

    marian = build_marian(MODEL_DIR, size)
    # The summarizer has no transformer-big shape: "big" pairs with the full BART.
    bart = build_bart(MODEL_DIR, "full" if size == "big" else size)
    if engine == "ctranslate2":
        for local in (marian, bart):
            convert(local.spec, MODEL_DIR, quantization=quantization)
    return marian, bart


def engine_env(service: str, engine: str, threads: int, workers: int = 1) -> dict[str, str]:
    """NEWSDESK_<SERVICE>_ENGINE / _THREADS / _WORKERS for a bench service process.

    The translator's plausibility gate only flags in benchmarks: random weights fail
    it on every sentence, and a retry of each would make the figures measure noise
    being retried (real models rarely trip it). The translation cache is off."""
    prefix = f"NEWSDESK_{service.upper()}_"
    env = {
        f"{prefix}ENGINE": engine,
        f"{prefix}THREADS": str(threads),
        f"{prefix}WORKERS": str(workers),
    }
    if service == "translator":
        env[f"{prefix}PLAUSIBILITY"] = "flag"
        # A cache never makes a throughput figure: benchmarks run with it off.
        env[f"{prefix}CACHE_MB"] = "0"
    return env


def english_documents() -> tuple[list[str], str]:
    """English news text: FLORES-200 devtest references of the uk documents (if
    ../shared is present) or owned articles; and where they came from."""
    import json

    docs = SHARED / "eval" / "mt" / "flores200-devtest.docs.jsonl"
    if docs.exists():
        rows = map(json.loads, docs.read_text(encoding="utf-8").splitlines())
        english = [d["reference_en"] for d in rows if d["lang"] == "uk"]
        return english, "FLORES-200 devtest English references"
    from services.common.models.corpus import article

    return [article("en", i) for i in range(40)], "owned corpus (../shared absent)"
