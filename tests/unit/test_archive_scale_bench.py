"""The archive's scale bench runs end to end in its smoke size (bench/archive_scale_bench.py
--quick): figures present and sane, and the soak lost nothing and left the database
intact. Structure only: timings are the bench's business, never a test's."""

from __future__ import annotations

import json
import math

from bench.archive_scale_bench import Corpus, main, percentile


def test_quick_run_reports_every_figure(tmp_path, capsys) -> None:
    """--quick on both stores (PostgreSQL skipped when absent): p95s, throughput and
    bytes per item positive; the soak wrote and read, lost nothing, no errors."""
    out = tmp_path / "figures.json"
    assert main(["--quick", "--tmp", str(tmp_path), "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Command: python bench/archive_scale_bench.py --quick" in printed
    assert "| sqlite | 2,100 |" in printed
    figures = {f["store"]: f for f in json.loads(out.read_text("utf-8"))}
    assert "sqlite" in figures
    if "postgresql" not in figures:
        assert "PostgreSQL: skipped" in printed
    for store, f in figures.items():
        assert f["items"] == 2_100, store
        for timing in (f["related_ms"], f["search_ms"]):
            assert timing["n"] == 30 and 0 < timing["p50"] <= timing["p95"] <= timing["max"]
        assert f["load_per_s"] > 0 and f["add_per_s"] > 0 and f["bytes_per_item"] > 0
        assert 0 <= f["related_agreement"] <= 1 and 0 <= f["search_agreement"] <= 1
        assert all(0 <= share <= 1 for share in f["related_story"] + f["search_story"])
        soak = f["soak"]
        assert soak["writes"] > 0 and soak["reads"] > 0, store
        assert soak["errors"] == 0 and soak["lost"] == 0 and soak["count_ok"], soak
        assert soak["duplicate_ids"] == 0
    sqlite = figures["sqlite"]["soak"]
    assert sqlite["integrity"] == "ok" and sqlite["fts_integrity"] == "ok"
    assert list(tmp_path.iterdir()) == [out]  # the SQLite file is removed after


def test_corpus_is_deterministic_news_like_text() -> None:
    """Same seed, same items; 150-400 words; names as entities; a story each."""
    a, b = Corpus(7), Corpus(7)
    first, again = a.article(3), b.article(3)
    assert first == again and first != a.article(4)
    words = first.english.split()
    assert 150 <= len(words) <= 400 and first.english.endswith(".")
    assert first.entities and all(name in first.english + first.headline for name in first.entities)
    assert first.story >= 0 and first.headline


def test_percentile_is_nearest_rank() -> None:
    assert percentile([5.0, 1.0, 3.0, 2.0, 4.0], 50) == 3.0
    assert percentile(list(map(float, range(1, 101))), 95) == 95.0
    assert math.isnan(percentile([], 95))
