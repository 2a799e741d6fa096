"""The batch working-set estimate (engines/footprint.py) read from a model's shape."""

from __future__ import annotations

import json

from services.common.engines.footprint import Footprint, of_conversion

BIG = {"d_model": 1024, "decoder_layers": 6, "vocab_size": 61_000}


def test_footprint_of_transformer_big() -> None:
    """Per cached token of one row: 6 layers × key and value × 1024 × 4 bytes, plus two
    layers' transient copies (the beam reorder, the step's temporaries); per row: three vocabulary-sized float
    buffers."""
    footprint = Footprint.of_config(BIG)
    assert footprint == Footprint(token_row_bytes=8 * 2 * 1024 * 4, row_bytes=61_000 * 4 * 3)
    # 8 jobs at beam 4 (32 rows), 60 source tokens, 106 new tokens: ~354 MiB.
    assert 345 < footprint.batch_bytes(32, 60, 106) / 2**20 < 365


def test_shape_missing_or_bad_gives_no_footprint() -> None:
    """No estimate without the three numbers of the shape, or with a bad one."""
    assert Footprint.of_config({"d_model": 512}) is None
    assert Footprint.of_config({**BIG, "vocab_size": "many"}) is None
    assert Footprint.of_config({**BIG, "d_model": 0}) is None


def test_conversion_dimensions_then_snapshot_config(tmp_path) -> None:
    """A conversion's newsdesk.json `dimensions` first; a conversion made before they
    were written falls back to the snapshot's config.json beside it; neither: None."""
    repo = tmp_path / "models--x--y"
    conversion = repo / "ctranslate2" / "abc-int8"
    conversion.mkdir(parents=True)
    assert of_conversion(conversion, "abc") is None
    snapshot = repo / "snapshots" / "abc"
    snapshot.mkdir(parents=True)
    (snapshot / "config.json").write_text(json.dumps({**BIG, "d_model": 512}))
    assert of_conversion(conversion, "abc") == Footprint.of_config({**BIG, "d_model": 512})
    (conversion / "newsdesk.json").write_text(json.dumps({"dimensions": BIG}))
    assert of_conversion(conversion, "abc") == Footprint.of_config(BIG)
