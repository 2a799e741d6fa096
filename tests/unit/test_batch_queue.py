"""The batcher's queue rules, on plain data: budgets, fairness, specs, expiry."""

from __future__ import annotations

import pytest

from services.common.batching.queue import BatchQueue, Entry, Job
from services.common.engines.base import GenerationSpec

GREEDY = GenerationSpec(max_new_tokens=16, num_beams=1)
BEAM = GenerationSpec(max_new_tokens=16, num_beams=4)


def entry(*tokens: int, spec: GenerationSpec = GREEDY, at: float = 0.0, **kw) -> Entry:
    return Entry([Job(f"t{i}", t, spec) for i, t in enumerate(tokens)], at, **kw)


def drain(queue: BatchQueue, now: float = 0.0) -> list[list[tuple[Entry, int]]]:
    batches = []
    while (batch := queue.next_batch(now)) is not None:
        batches.append(batch.members)
    return batches


@pytest.mark.parametrize(
    ("max_tokens", "max_items", "tokens"),
    [
        pytest.param(100, 16, [10] * 30, id="token-budget"),
        pytest.param(10_000, 4, [10] * 30, id="item-budget"),
        pytest.param(64, 16, [5, 9, 30, 31, 2, 17, 8, 8], id="mixed-lengths"),
    ],
)
def test_budgets_hold(max_tokens: int, max_items: int, tokens: list[int]) -> None:
    """Every batch keeps longest × count within max_tokens and at most max_items jobs;
    every job is taken exactly once."""
    queue = BatchQueue(max_tokens=max_tokens, max_items=max_items)
    e = entry(*tokens)
    queue.append(e)
    taken = []
    for members in drain(queue):
        longest = max(e.jobs[i].tokens for _, i in members)
        assert longest * len(members) <= max_tokens
        assert len(members) <= max_items
        taken += [i for _, i in members]
    assert sorted(taken) == list(range(len(tokens)))
    assert queue.queued_tokens == 0


def test_first_job_always_fits() -> None:
    """A job longer than the padded budget still runs, alone."""
    queue = BatchQueue(max_tokens=50, max_items=8)
    queue.append(entry(400, 10))
    batches = drain(queue)
    assert [len(b) for b in batches] == [1, 1]


def test_one_sentence_call_is_not_starved_by_a_long_document() -> None:
    """A one-job request that arrives after a 300-job document is in the first batch."""
    queue = BatchQueue(max_tokens=4096, max_items=16)
    document = entry(*([30] * 300))
    single = entry(20, at=0.1)
    queue.append(document)
    queue.append(single)
    first = queue.next_batch(0.2)
    assert first is not None
    assert any(e is single for e, _ in first.members)


def test_round_robin_across_many_requests() -> None:
    """With 16 one-job requests behind a long document, a batch of 16 holds at least 15
    of them: one job per request per round."""
    queue = BatchQueue(max_tokens=100_000, max_items=16)
    queue.append(entry(*([30] * 300)))
    singles = [entry(20, at=0.1 + i) for i in range(16)]
    for s in singles:
        queue.append(s)
    first = queue.next_batch(1.0)
    assert first is not None
    served = {id(e) for e, _ in first.members}
    assert sum(id(s) in served for s in singles) >= 15


def test_specs_never_share_a_batch() -> None:
    """Jobs with different generation specs go to different batches."""
    queue = BatchQueue(max_tokens=4096, max_items=16)
    queue.append(entry(10, 10, spec=GREEDY))
    queue.append(entry(10, 10, spec=BEAM))
    for members in drain(queue):
        assert len({e.jobs[i].spec for e, i in members}) == 1


def test_shortest_first_within_a_request() -> None:
    """One request's jobs are taken shortest first, so its batches pad little."""
    queue = BatchQueue(max_tokens=10_000, max_items=2, max_bulk_items=2)
    queue.append(entry(50, 5, 40, 6))
    lengths = [[m[0].jobs[m[1]].tokens for m in b] for b in drain(queue)]
    assert lengths == [[5, 6], [40, 50]]


@pytest.mark.parametrize(
    ("kwargs", "now", "reason"),
    [
        pytest.param({"cancelled": True}, 0.0, "cancelled", id="cancelled"),
        pytest.param({"deadline": 1.0}, 2.0, "expired", id="expired"),
    ],
)
def test_gone_callers_are_dropped_and_counted(kwargs: dict, now: float, reason: str) -> None:
    """Jobs of a cancelled or expired request are dropped before a batch forms."""
    queue = BatchQueue(max_tokens=4096, max_items=16)
    gone = entry(10, 10, 10, **kwargs)
    alive = entry(10)
    queue.append(gone)
    queue.append(alive)
    assert queue.queued_tokens == 40
    dropped = queue.prune(now)
    assert [(e, r, n) for e, r, n in dropped] == [(gone, reason, 3)]
    assert queue.queued_tokens == 10
    batch = queue.next_batch(now)
    assert batch is not None
    assert [e for e, _ in batch.members] == [alive]


def test_all_gone_tells_a_running_batch_to_stop() -> None:
    """A batch reports all_gone only when every one of its requests has gone."""
    queue = BatchQueue(max_tokens=4096, max_items=16)
    a, b = entry(10), entry(10)
    queue.append(a)
    queue.append(b)
    batch = queue.next_batch(0.0)
    assert batch is not None
    a.cancelled = True
    assert not batch.all_gone(0.0)
    b.cancelled = True
    assert batch.all_gone(0.0)


def test_bulk_request_takes_at_most_half_a_batch() -> None:
    """A request with more jobs than a batch holds puts at most max_bulk_items into one
    batch, even alone; a request that fits one batch is not capped."""
    queue = BatchQueue(max_tokens=100_000, max_items=16)
    document = entry(*([30] * 40))
    queue.append(document)
    first = queue.next_batch(0.0)
    assert first is not None and len(first.members) == 8
    call = entry(*([20] * 14), at=1.0)
    queue.append(call)
    mixed = queue.next_batch(1.0)
    assert mixed is not None
    assert len(mixed.members) == 16
    assert sum(e is document for e, _ in mixed.members) <= 8
    rest = queue.next_batch(1.0)
    assert rest is not None
    assert sum(e is call for e, _ in mixed.members + rest.members) == 14


@pytest.mark.parametrize(
    ("beams", "max_items", "expected"),
    [
        pytest.param(1, 16, 16, id="greedy"),
        pytest.param(4, 16, 4, id="beam-4"),
        pytest.param(8, 4, 1, id="beams-above-budget"),
    ],
)
def test_beams_count_against_the_budgets(beams: int, max_items: int, expected: int) -> None:
    """With beam search each job is num_beams rows of the model batch; a job always fits."""
    spec = GenerationSpec(max_new_tokens=16, num_beams=beams)
    queue = BatchQueue(max_tokens=100_000, max_items=max_items, max_bulk_items=max_items)
    queue.append(entry(*([10] * 16), spec=spec))
    batch = queue.next_batch(0.0)
    assert batch is not None and len(batch.members) == expected


def test_byte_budget_bounds_the_working_set_of_a_beam_batch() -> None:
    """With the model's footprint known, a batch's estimated working set (rows ×
    (source + new tokens) × bytes per cached token-row, + per-row scores) stays within
    max_bytes, while the token and row budgets alone would take every job at once; a
    job over the budget on its own still runs, alone."""
    from services.common.engines.footprint import Footprint

    footprint = Footprint(token_row_bytes=1000, row_bytes=500)
    budget = footprint.batch_bytes(8, 20, 16)  # two beam-4 jobs of 20 tokens
    queue = BatchQueue(max_tokens=10_000, max_items=64, max_bytes=budget, footprint=footprint)
    e = entry(20, 20, 20, 20, 20, 20, spec=BEAM)
    queue.append(e)
    batches = drain(queue)
    assert [len(m) for m in batches] == [2, 2, 2]
    for members in batches:
        rows = len(members) * 4
        assert footprint.batch_bytes(rows, 20, BEAM.bound(20)) <= budget
    lone = BatchQueue(max_tokens=10_000, max_items=64, max_bytes=1, footprint=footprint)
    lone.append(entry(20, 20, spec=BEAM))
    assert [len(m) for m in drain(lone)] == [1, 1]


def test_without_a_footprint_the_byte_budget_is_not_applied() -> None:
    """An engine that cannot say its shape is budgeted by tokens and rows only."""
    queue = BatchQueue(max_tokens=10_000, max_items=64, max_bytes=1, footprint=None)
    queue.append(entry(20, 20, 20, spec=BEAM))
    assert [len(m) for m in drain(queue)] == [3]


def test_bulk_is_counted_in_rows_at_beam_search() -> None:
    """16 jobs at beam 4 are 64 rows: more than one 32-row batch holds, so the request
    is bulk and puts at most max_bulk_items rows (16: four jobs) in a batch, leaving
    room for calls that arrive behind it; greedy, the same 16 jobs fit one batch."""
    queue = BatchQueue(max_tokens=100_000, max_items=32)
    queue.append(entry(*[10] * 16, spec=BEAM))
    assert [len(m) for m in drain(queue)] == [4, 4, 4, 4]
    greedy = BatchQueue(max_tokens=100_000, max_items=32)
    greedy.append(entry(*[10] * 16))
    assert [len(m) for m in drain(greedy)] == [16]


def test_length_grouping_batches_concurrent_calls_by_length() -> None:
    """One-sentence calls of two lengths, interleaved in arrival: by arrival each
    batch mixes them (padded to the long one); grouped by length, each batch holds one
    length, every call is taken once, and the head still rotates."""
    lengths = [10, 90] * 4

    def batches(group: bool) -> list[list[int]]:
        queue = BatchQueue(max_tokens=100_000, max_items=4, group_lengths=group)
        for i, n in enumerate(lengths):
            queue.append(entry(n, at=float(i)))
        return [sorted(e.jobs[i].tokens for e, i in m) for m in drain(queue)]

    assert batches(False) == [[10, 10, 90, 90], [10, 10, 90, 90]]
    # The head (the first call, 10 tokens) leads the first batch; the next head is the
    # first call left (90 tokens).
    assert batches(True) == [[10, 10, 10, 10], [90, 90, 90, 90]]


def test_length_grouping_keeps_one_job_per_request_per_round() -> None:
    """A long document and short calls: grouping never lets the document's jobs crowd
    out a waiting call — each round takes at most one job per entry."""
    queue = BatchQueue(max_tokens=100_000, max_items=4, max_bulk_items=4, group_lengths=True)
    doc = entry(*[12] * 10, at=0.0)
    calls = [entry(n, at=1.0 + i) for i, n in enumerate((50, 60, 70))]
    for e in (doc, *calls):
        queue.append(e)
    first = queue.next_batch(0.0)
    assert first is not None
    owners = [e for e, _ in first.members]
    assert owners.count(doc) == 1 and set(calls) <= set(owners)


def test_max_rows_lowers_the_row_budget_of_one_batch() -> None:
    """The batcher's share among idle workers: 16 greedy jobs with max_rows 8 form two
    batches of 8 (the first job always fits, even over the share)."""
    queue = BatchQueue(max_tokens=100_000, max_items=32)
    queue.append(entry(*[10] * 16))
    first = queue.next_batch(0.0, max_rows=8)
    assert first is not None and len(first.members) == 8
    assert [len(m) for m in drain(queue)] == [8]
    beam = BatchQueue(max_tokens=100_000, max_items=32)
    beam.append(entry(10, spec=BEAM))
    only = beam.next_batch(0.0, max_rows=1)
    assert only is not None and len(only.members) == 1


def test_bulk_cap_is_never_overshot_at_odd_beams() -> None:
    """At beam 3 a 16-row bulk cap holds 5 jobs (15 rows), never 6 (18 rows)."""
    beam3 = GenerationSpec(max_new_tokens=16, num_beams=3)
    queue = BatchQueue(max_tokens=100_000, max_items=32)
    queue.append(entry(*[10] * 12, spec=beam3))
    assert [len(m) for m in drain(queue)] == [5, 5, 2]
