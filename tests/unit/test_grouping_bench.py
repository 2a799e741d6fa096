"""bench/grouping_bench.py's set and scoring on a few shared documents."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("datasketch", reason="grouping needs the group extra (datasketch)")

from bench.grouping_bench import build, score
from tests.conftest import shared_path


def test_the_bench_set_and_its_scores() -> None:
    path = shared_path("eval/mt/flores200-devtest.docs.jsonl")
    if not path.exists():
        pytest.skip("../shared/eval/mt is absent: the bench set is made from it")
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()[:12]]
    texts, story, _language = build(docs)
    assert len(texts) == 4 * len(docs) and len(set(story)) == len(docs)
    result = score(texts, story, 0.4)
    assert result["texts"] == len(texts)
    assert 0.9 <= result["precision"] <= 1.0 and result["recall"] > 0.5
    assert result["groups"] >= len(set(story))  # never fewer groups than stories here
