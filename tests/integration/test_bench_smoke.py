"""The serving benchmark runs end to end on the tiny models (its numbers are noise at
that size; this only keeps the load generator from rotting)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO


def test_serving_bench_runs_on_tiny_models(tmp_path) -> None:
    """`bench/serving_bench.py --size tiny --quick` completes and prints every ratio."""
    env_model_dir = tmp_path / "models"
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "serving_bench.py"),
            "--size",
            "tiny",
            "--quick",
            "--idle-calls",
            "2",
            "--document-chars",
            "3000",
            "--threads",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=280,
        env={
            **os.environ,
            "NEWSDESK_BENCH_MODEL_DIR": str(env_model_dir),
        },
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    for ratio in (
        "16 concurrent calls vs one-at-a-time serving",
        "16 concurrent calls vs the same 16 sentences in one call",
        "service (16 concurrent calls) vs raw engine batch of 16",
        "1 sentence right after a dropped 16-sentence call vs alone",
    ):
        assert ratio in out
    assert "summarizer beam 1: 4 concurrent briefs" in out
    lines = out.splitlines()
    start = lines.index(
        "| configuration | calls | errors | wall s | calls/s | p50 s | p95 s | p99 s | RSS MiB |"
    )
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("| "):
            break
        rows.append(line)
    assert len(rows) >= 8
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        name, calls, errors = cells[0], int(cells[1]), int(cells[2])
        assert errors == 0, row
        assert calls >= 1 or "during a" in name, row


def test_engine_bench_runs_on_tiny_models(tmp_path) -> None:
    """`bench/engine_bench.py --size tiny --quick` builds, converts and serves both
    engines side by side and prints every goal row (values are noise at this size)."""
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "engine_bench.py"), "--size", "tiny", "--quick"],
        capture_output=True,
        text=True,
        timeout=280,
        env={**os.environ, "NEWSDESK_BENCH_MODEL_DIR": str(tmp_path / "models")},
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    for goal in (
        "ctranslate2 int8 vs transformers fp32 (throughput, x)",
        "summarizer, one brief of a 700-token article",
        "translator RSS after the loads",
        "summarizer peak RSS during the brief",
    ):
        assert goal in out
    table = [line for line in out.splitlines() if line.startswith("| translator ")]
    engines = {e for e in ("transformers", "ctranslate2") if any(e in row for row in table)}
    assert engines == {"transformers", "ctranslate2"}
