"""The first-burst benchmark runs end to end on the tiny model (its times are noise at
that size; this keeps it from rotting) and reads the batches each burst formed."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from tests.conftest import REPO


def test_first_burst_bench_runs_on_the_tiny_model(tmp_path) -> None:
    """`--size tiny --quick` prints every pass, with its batches and no errors, and
    the before-row (`--without warmup`) beside it."""
    bench = REPO / "bench" / "first_burst_bench.py"
    args = ["--size", "tiny", "--quick", "--idle", "1", "--threads", "1", "--without", "warmup"]
    env = {**os.environ, "NEWSDESK_BENCH_MODEL_DIR": str(tmp_path / "models")}
    run = [sys.executable, str(bench), *args]
    result = subprocess.run(run, capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    tables = result.stdout.split("\n### ")[1:]
    assert [t.splitlines()[0].split(", ")[-1].split(" (RSS")[0] for t in tables] == [
        "as configured",
        "without warmup (before)",
    ]
    for table in tables:
        rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
        passes = [r.split("|")[1].strip() for r in rows[1:]]
        assert passes[0] == "16 calls, first burst after start"
        assert "16 calls after 1 s idle" in passes
        for row in rows[1:]:
            cells = [c.strip() for c in row.strip("|").split("|")]
            assert float(cells[1]) > 0 and cells[2].endswith("x")
            # Every pass formed batches holding all 16 calls' jobs (one or two each).
            match = re.fullmatch(r"(\d+) batches, (\d+) jobs \[.*\]", cells[3])
            assert match and int(match.group(1)) >= 1 and 16 <= int(match.group(2)) <= 32
            assert cells[4] == "0"
