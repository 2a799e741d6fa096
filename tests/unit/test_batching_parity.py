"""Issue 27's batching levers change how jobs are grouped, never what they produce: on
the tiny models, through the batcher as the services drive it, the new defaults (two
workers, length grouping, the byte budget, bulk counted in rows) give the same tokens
as the settings before them (one worker, batches by arrival, tokens and rows only),
greedy and at beam 2, for concurrent one-sentence requests and one bulk request."""

from __future__ import annotations

import pytest

from services.common.batching.batcher import BatchConfig, DynamicBatcher
from services.common.batching.queue import Job
from services.common.engines.base import worker_engines
from services.common.models.corpus import sentences as owned_sentences

BEFORE = BatchConfig(max_batch_tokens=8192, max_batch_items=32, workers=1)
AFTER = BatchConfig(
    max_batch_tokens=8192, max_batch_items=32, workers=2, max_batch_mib=1, group_lengths=True
)
# The byte budget alone (one worker: no sharing among idle workers to split batches).
BUDGET = BatchConfig(max_batch_tokens=8192, max_batch_items=32, workers=1, max_batch_mib=1)


def _outputs(
    engine, config: BatchConfig, texts: list[str], spec, *, bulk: bool
) -> tuple[list[str], int]:
    batcher = DynamicBatcher("parity", worker_engines(engine, config.workers), config)
    try:
        jobs = [Job(t, engine.count_tokens(t), spec) for t in texts]
        if bulk:
            futures = batcher.submit(jobs).entry.futures
        else:
            futures = [batcher.submit([job]).entry.futures[0] for job in jobs]
        return [f.result(120).text for f in futures], batcher.batches
    finally:
        batcher.close()


@pytest.mark.parametrize("beams", [1, 2])
@pytest.mark.parametrize("bulk", [False, True], ids=["concurrent", "bulk"])
def test_new_batching_defaults_give_the_same_tokens(
    model_dir, tiny_marian_spec, engine_settings, beams, bulk
) -> None:
    from dataclasses import replace

    from services.common.engines.base import load_engine
    from services.translator.prepare import generation_spec

    engine = load_engine(replace(engine_settings, workers=2), model_dir, tiny_marian_spec)
    # Lengths from 3 to ~40 tokens, so grouping and the byte budget reorder them.
    texts = owned_sentences("uk")[:24]
    spec = generation_spec(engine, beams)
    before, before_batches = _outputs(engine, BEFORE, texts, spec, bulk=bulk)
    after, _ = _outputs(engine, AFTER, texts, spec, bulk=bulk)
    budgeted, budget_batches = _outputs(engine, BUDGET, texts, spec, bulk=bulk)
    alone = [engine.generate([t], spec)[0].text for t in texts]
    assert after == budgeted == before == alone
    if bulk:  # one request: its batches do not depend on arrival timing
        # The 1 MiB budget binds on the tiny model: the whole request in one batch
        # (at most 16 jobs a batch, the bulk cap) is estimated over 1 MiB.
        assert engine.footprint is not None
        rows = 16 * beams
        longest = max(engine.count_tokens(t) for t in texts)
        assert engine.footprint.batch_bytes(rows, longest, spec.bound(longest)) > 2**20
        assert budget_batches > before_batches
