"""The shortlist benchmark runs end to end on the tiny model (its times are noise at that
size; this keeps it from rotting) and prints its table, the map and the coverage."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from tests.conftest import REPO


def test_shortlist_bench_quick_prints_the_side_by_side_table(tmp_path) -> None:
    """`--quick`: a header, one row per decoding (greedy, beam 4) with both times, their
    ratio, equal token counts (the same steps) and the output layer's sizes; then the
    map's sizes and the coverage line."""
    bench = REPO / "bench" / "shortlist_bench.py"
    env = {**os.environ, "NEWSDESK_BENCH_MODEL_DIR": str(tmp_path / "models")}
    run = [sys.executable, str(bench), "--quick", "--threads", "1"]
    result = subprocess.run(run, capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.startswith("### shortlist decode"))
    header, columns, rule, *rest = lines[start:]
    assert "8 tokens per row" in header and "1 threads" in header
    assert columns.startswith("| decoding | full vocabulary (s) | shortlist (s) | speedup |")
    assert rule.startswith("|---|")
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in rest[:2]]
    assert [row[0] for row in rows] == ["greedy", "beam 4"]
    for _, full, short, ratio, tokens, layer in rows:
        assert float(full) > 0 and float(short) > 0 and re.fullmatch(r"\d+\.\d\dx", ratio)
        assert tokens == "32 / 32"  # 4 rows × 8 steps, with and without the shortlist
        vocabulary, shortlist = (int(n) for n in layer.split(" → "))
        assert 0 < shortlist < vocabulary
    assert re.match(
        r"map timed \(vmap\.txt, \d+ KiB\): sized \(16 sampled targets per source piece\): "
        r"\d+ source entries, 16\.0 targets",
        rest[2],
    )
    assert re.match(r"map from .*: \d+ source entries, \d+\.\d targets", rest[3])
    assert re.match(r"coverage: \d+\.\d% of .* fall outside .* fully covered$", rest[4])
