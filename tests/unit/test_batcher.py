"""The dynamic batcher with a scripted engine (no model): shared batches, order,
cancellation, early stop, admission by tokens and deadline, shutdown."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from services.common.batching.batcher import BatchConfig, DynamicBatcher
from services.common.batching.queue import Job
from services.common.engines.base import Generated, GenerationSpec
from services.common.errors import DeadlineExceeded, ResourceExhausted, Unavailable
from services.common.models.store import ModelRef

SPEC = GenerationSpec(max_new_tokens=8)


class ScriptedEngine:
    """Echoes inputs upper-cased; records every batch; can hold a batch until released
    and then runs `steps` decoding steps, checking should_stop at each."""

    def __init__(self, *, hold: bool = False, steps: int = 1, step_s: float = 0.0) -> None:
        self.model = ModelRef("scripted", "0", "test")
        self.max_source_tokens = 512
        self.footprint = None  # no shape: budgeted by tokens and rows
        self.batches: list[list[str]] = []
        self.release = threading.Event()
        if not hold:
            self.release.set()
        self.started = threading.Event()
        self.steps = steps
        self.step_s = step_s
        self.steps_run = 0

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 1

    def generate(self, inputs, spec, should_stop=None, on_done=None):
        self.batches.append(list(inputs))
        self.started.set()
        self.release.wait(10)
        for _ in range(self.steps):
            if should_stop is not None and should_stop():
                break
            self.steps_run += 1
            time.sleep(self.step_s)
        return [Generated(t.upper(), self.count_tokens(t), 1) for t in inputs]


def jobs(*texts: str) -> list[Job]:
    return [Job(t, len(t.split()) + 1, SPEC) for t in texts]


@pytest.fixture
def make():
    made: list[DynamicBatcher] = []

    def factory(engine: ScriptedEngine, **config) -> DynamicBatcher:
        config.setdefault("max_wait_s", 0.05)
        batcher = DynamicBatcher("test", [engine], BatchConfig(**config))
        made.append(batcher)
        return batcher

    yield factory
    for batcher in made:
        batcher.close()


async def test_concurrent_requests_share_one_batch_in_order(make) -> None:
    """Jobs of requests submitted together go through one engine call, and each
    request gets its own results in submission order."""
    engine = ScriptedEngine()
    batcher = make(engine)
    tickets = [batcher.submit(jobs(f"a{i}", f"b{i}")) for i in range(4)]
    results = await asyncio.gather(*(t.results() for t in tickets))
    assert len(engine.batches) == 1 and len(engine.batches[0]) == 8
    for i, out in enumerate(results):
        assert [g.text for g in out] == [f"A{i}", f"B{i}"]


async def test_cancelled_request_never_runs(make) -> None:
    """A request cancelled while queued is dropped: its jobs never reach the engine."""
    engine = ScriptedEngine(hold=True)
    batcher = make(engine, max_wait_s=0.0)
    first = batcher.submit(jobs("first"))
    await asyncio.to_thread(engine.started.wait, 5)
    doomed = batcher.submit(jobs("doomed one", "doomed two"))
    waiter = asyncio.ensure_future(doomed.results())
    await asyncio.sleep(0.01)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    later = batcher.submit(jobs("later"))
    engine.release.set()
    assert [g.text for g in await first.results()] == ["FIRST"]
    assert [g.text for g in await later.results()] == ["LATER"]
    seen = [text for batch in engine.batches for text in batch]
    assert "doomed one" not in seen and "doomed two" not in seen


async def test_running_batch_stops_when_all_callers_gone(make) -> None:
    """A running batch whose only caller cancels stops at the next step."""
    engine = ScriptedEngine(steps=1000, step_s=0.002)
    batcher = make(engine, max_wait_s=0.0)
    ticket = batcher.submit(jobs("long generation"))
    await asyncio.to_thread(engine.started.wait, 5)
    await asyncio.sleep(0.05)
    ticket.cancel()
    deadline = time.monotonic() + 5
    while batcher.stopped_early == 0 and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.01)
    assert batcher.stopped_early == 1
    assert engine.steps_run < 1000


async def test_queue_full_is_refused_with_retry_delay(make) -> None:
    """Past max_queue_tokens (in token-beams: a 31-token job with 8 new tokens costs
    39) a request is refused at once with a retry delay."""
    engine = ScriptedEngine(hold=True)
    batcher = make(engine, max_queue_tokens=100, max_batch_tokens=64, max_wait_s=0.0)
    batcher.submit(jobs(" ".join(["w"] * 30)))
    await asyncio.to_thread(engine.started.wait, 5)
    batcher.submit(jobs(" ".join(["w"] * 30)))
    with pytest.raises(ResourceExhausted) as caught:
        batcher.submit(jobs(" ".join(["w"] * 30)))
    assert caught.value.retry_after_s > 0
    assert caught.value.reason == "OVERLOADED"
    # A later stage of an admitted request is never refused.
    batcher.submit(jobs(" ".join(["w"] * 30)), admitted=True)
    engine.release.set()


async def test_unreachable_deadline_is_refused_at_once(make) -> None:
    """With work queued ahead and a measured drain rate, a request whose deadline
    comes before it could start is refused at once (DEADLINE_UNREACHABLE)."""
    engine = ScriptedEngine(steps=1, step_s=0.05)
    batcher = make(engine, max_wait_s=0.0)
    await batcher.submit(jobs("warm up the rate")).results()
    engine.release.clear()
    batcher.submit(jobs(" ".join(["w"] * 200)))
    await asyncio.to_thread(engine.started.wait, 5)
    with pytest.raises(ResourceExhausted) as caught:
        batcher.submit(jobs("late"), deadline=time.monotonic() + 1e-4)
    assert caught.value.reason == "DEADLINE_UNREACHABLE"
    engine.release.set()


async def test_expired_request_is_dropped_with_deadline_error(make) -> None:
    """A request whose deadline passes while queued is dropped, and its waiter told."""
    engine = ScriptedEngine(hold=True)
    batcher = make(engine, max_wait_s=0.0)
    batcher.submit(jobs("blocking"))
    await asyncio.to_thread(engine.started.wait, 5)
    expiring = batcher.submit(jobs("expires"), deadline=time.monotonic() + 0.05)
    await asyncio.sleep(0.1)
    engine.release.set()
    with pytest.raises(DeadlineExceeded):
        await expiring.results()
    assert all("expires" not in batch for batch in engine.batches)


async def test_close_fails_queued_requests(make) -> None:
    """Shutting down answers queued requests UNAVAILABLE instead of leaving them hanging."""
    engine = ScriptedEngine(hold=True)
    batcher = make(engine, max_wait_s=0.0)
    batcher.submit(jobs("running"))
    await asyncio.to_thread(engine.started.wait, 5)
    queued = batcher.submit(jobs("queued"))
    closing = asyncio.ensure_future(asyncio.to_thread(batcher.close))
    await asyncio.sleep(0.05)  # close() has taken the queue; the running batch holds
    engine.release.set()
    await closing
    with pytest.raises(Unavailable):
        await queued.results()
    with pytest.raises(Unavailable):
        batcher.submit(jobs("after close"))


async def test_a_request_larger_than_the_bound_is_refused_on_an_empty_queue(make) -> None:
    """A request costing more than the whole queue bound is INVALID_ARGUMENT
    (REQUEST_TOO_LARGE) even when nothing is queued, saying the limit and how many
    requests to split it into; nothing runs."""
    from services.common.batching.admission import RequestTooLarge

    engine = ScriptedEngine()
    batcher = make(engine, max_queue_tokens=100, max_batch_tokens=64, max_wait_s=0.0)
    big = jobs(*[" ".join(["w"] * 30)] * 4)  # 4 × 39 = 156 token-beams
    with pytest.raises(RequestTooLarge) as caught:
        batcher.submit(big)
    assert caught.value.code_name == "INVALID_ARGUMENT"
    assert caught.value.reason == "REQUEST_TOO_LARGE"
    assert "156" in caught.value.message and "(100)" in caught.value.message
    assert "at least 2 requests" in caught.value.message
    assert engine.batches == []


def test_cost_counts_beams_and_the_output_bound() -> None:
    """A job's cost is (source tokens + its output bound) × beams."""
    greedy = Job("x", 10, GenerationSpec(max_new_tokens=8))
    beams = Job("x", 10, GenerationSpec(max_new_tokens=8, num_beams=4))
    relative = Job("x", 10, GenerationSpec(max_new_tokens=512, length_ratio=1.6, length_extra=10))
    assert (greedy.cost, beams.cost, relative.cost) == (18, 72, 36)


async def test_a_lone_request_that_cannot_finish_by_its_deadline_is_refused(make) -> None:
    """With a measured drain rate, a request whose own work cannot finish before its
    deadline is refused at admission even with nothing queued ahead."""
    engine = ScriptedEngine(steps=1, step_s=0.2)
    batcher = make(engine, max_wait_s=0.0)
    await batcher.submit(jobs("warm up the rate")).results()
    heavy = jobs(*[" ".join(["w"] * 50)] * 8)
    with pytest.raises(ResourceExhausted) as caught:
        batcher.submit(heavy, deadline=time.monotonic() + 0.01)
    assert caught.value.reason == "DEADLINE_UNREACHABLE"
    assert caught.value.retry_after_s > 0


async def test_a_cancelled_request_stops_counting_at_once(make) -> None:
    """A queued request whose caller goes leaves the admission count at once, not when
    the running batch ends: the next caller is not refused for work nobody waits for."""
    engine = ScriptedEngine(hold=True)
    batcher = make(engine, max_queue_tokens=100, max_batch_tokens=64, max_wait_s=0.0)
    batcher.submit(jobs(" ".join(["w"] * 5)))  # runs (held): 14 token-beams
    await asyncio.to_thread(engine.started.wait, 5)
    gone = batcher.submit(jobs(" ".join(["w"] * 30)))  # queued: 39
    gone.cancel()
    assert batcher.queued_cost == 0
    batcher.submit(jobs(" ".join(["w"] * 30), " ".join(["w"] * 30)))  # 78: fits now
    engine.release.set()


def test_a_requests_later_rounds_count_at_admission(make) -> None:
    """A first round that declares the cost of its later rounds (a brief's) is judged
    whole: too large for the bound even though its first round alone fits."""
    from services.common.batching.admission import RequestTooLarge

    batcher = make(ScriptedEngine(), max_queue_tokens=100, max_batch_tokens=64)
    first = Job("a b c", 4, SPEC, reserve=90)  # 12 now + 90 later
    with pytest.raises(RequestTooLarge):
        batcher.submit([first])


class RecordingEngine(ScriptedEngine):
    """A ScriptedEngine that keeps each call's spec, and can fail."""

    def __init__(self, *, fail: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.specs: list[GenerationSpec] = []
        self.fail = fail

    def generate(self, inputs, spec, should_stop=None, on_done=None):
        self.specs.append(spec)
        if self.fail:
            raise RuntimeError("broken model")
        return super().generate(inputs, spec, should_stop, on_done)


def test_warm_up_runs_one_short_generation_per_replica() -> None:
    """Each replica generates once, a few tokens at the service's beams, before any
    batch; the batcher serves normally afterwards."""
    from services.common.batching.batcher import WARM_UP_TOKENS

    engines = [RecordingEngine(), RecordingEngine()]
    batcher = DynamicBatcher("warm", engines, BatchConfig(workers=2))
    try:
        spec = GenerationSpec(max_new_tokens=256, min_new_tokens=40, num_beams=4)
        assert batcher.warm_up("hello", spec) is True
        for engine in engines:
            assert engine.batches == [["hello"]]
            assert engine.specs == [GenerationSpec(WARM_UP_TOKENS, 1, num_beams=4)]
        assert batcher.batches == 0
        ticket = batcher.submit(jobs("a b"))
        assert ticket.entry.futures[0].result(5).text == "A B"
    finally:
        batcher.close()


def test_warm_up_never_blocks_past_its_timeout() -> None:
    """A replica that does not finish its warm-up leaves the start going on time."""
    engine = RecordingEngine(hold=True)
    batcher = DynamicBatcher("warm-hung", [engine], BatchConfig())
    try:
        started = time.monotonic()
        assert batcher.warm_up("hello", SPEC, timeout_s=0.2) is False
        assert time.monotonic() - started < 2.0
    finally:
        engine.release.set()
        batcher.close()


def test_a_failing_warm_up_is_reported_not_raised() -> None:
    """An engine error in the warm-up returns False (logged), without failing the start."""
    engine = RecordingEngine(fail=True)
    batcher = DynamicBatcher("warm-broken", [engine], BatchConfig())
    try:
        assert batcher.warm_up("hello", SPEC, timeout_s=5) is False
        assert len(engine.specs) == 1
    finally:
        batcher.close()


async def test_a_burst_is_shared_among_idle_workers() -> None:
    """Two idle workers and a burst of 16 one-job calls: two batches of 8, one per
    worker, not one batch of 16 on one worker while the other idles."""
    engine = ScriptedEngine(steps=1, step_s=0.05)
    batcher = DynamicBatcher(
        "test", [engine, engine], BatchConfig(max_wait_s=0.5, gap_s=0.2, max_batch_items=32)
    )
    try:
        texts = [f"call {i}" for i in range(16)]
        tickets = [batcher.submit(jobs(t)) for t in texts]
        results = [(await t.results())[0].text for t in tickets]
        assert results == [t.upper() for t in texts]
        assert sorted(len(b) for b in engine.batches) == [8, 8]
    finally:
        batcher.close()
