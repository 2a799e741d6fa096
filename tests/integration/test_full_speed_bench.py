"""The issue-27 benchmark runs end to end on the tiny model (its times are noise at that
size; this keeps it from rotting): the goal table has today's row and the new
defaults', every ratio a number, and no call failed; the levers table follows."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO


def _rows(table: str) -> list[list[str]]:
    lines = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    return [[c.strip() for c in line.strip("|").split("|")] for line in lines[1:]]


def test_full_speed_bench_runs_on_the_tiny_model(tmp_path) -> None:
    """`--size tiny --quick` prints the goal table (today's row, the new defaults'),
    every ratio and time a positive number, no failed call, and the levers table."""
    bench = REPO / "bench" / "full_speed_bench.py"
    args = ["--size", "tiny", "--quick", "--idle", "1", "--threads", "1"]
    env = {**os.environ, "NEWSDESK_BENCH_MODEL_DIR": str(tmp_path / "models")}
    result = subprocess.run(
        [sys.executable, str(bench), *args], capture_output=True, text=True, timeout=300, env=env
    )
    assert result.returncode == 0, result.stderr[-3000:]
    goals, levers = result.stdout.split("\n### ")[1:3]
    rows = _rows(goals)
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("tiny", "today", "4"),
        ("tiny", "new defaults", "4"),
    ]
    for row in rows:
        for ratio in [*row[3:6], row[7]]:
            assert ratio.endswith("x") and float(ratio[:-1]) > 0
        assert float(row[9]) > 0  # the longest sentences' call ran
        assert float(row[8]) > 0 and float(row[10]) > 0  # RSS at start, the peak (VmHWM)
        assert row[-1] == "0"  # no call failed (the dropped call is not counted)
    labels = [r[1] for r in _rows(levers)]
    assert labels[:2] == ["today", "new defaults"]
    assert {
        "workers 1 × threads 2",
        "int8_float32",
        "length grouping off",
        "byte budget off",
    } <= set(labels)
