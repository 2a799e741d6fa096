"""Plans and their drivers (batching/plan.py), with scripted engines and batchers (no
model): results come back in job order per round, jobs go to their model's engine or
batcher, only a request's first round is subject to admission, a refusal or a caller
that goes closes the plan and cancels what it submitted, and timings add up."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Generator
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest

from services.common.batching.batcher import BatchConfig, DynamicBatcher
from services.common.batching.plan import JobSet, Timing, generate_all, run_async, run_sync
from services.common.batching.queue import Job
from services.common.engines.base import Generated, GenerationSpec
from services.common.errors import ResourceExhausted
from services.common.models.store import ModelRef

SPEC = GenerationSpec(max_new_tokens=8)
BEAMS = GenerationSpec(max_new_tokens=8, num_beams=2)


class TagEngine:
    """Answers each input as "<tag>:<input>" and records every batch it was given."""

    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.model = ModelRef(tag, "0", "scripted")
        self.max_source_tokens = 512
        self.footprint = None  # no shape: budgeted by tokens and rows
        self.batches: list[tuple[list[str], GenerationSpec]] = []

    def replica(self) -> TagEngine:
        return self

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 1

    def generate(self, inputs, spec, should_stop=None, on_done=None) -> list[Generated]:
        self.batches.append((list(inputs), spec))
        return [Generated(f"{self.tag}:{text}", len(text.split()) + 1, 1) for text in inputs]


def job(text: str, model: str = "a", *, tokens: int = 2, spec: GenerationSpec = SPEC) -> Job:
    return Job(text, tokens, spec, model=model)


def two_rounds(texts: list[str], log: list[str] | None = None) -> Generator:
    """Round 1: every text on model a; round 2: each answer on model b; the texts."""
    try:
        first = yield [job(t, "a") for t in texts]
        second = yield [job(g.text, "b") for g in first]
        return [g.text for g in second]
    finally:
        if log is not None:
            log.append("closed")


class FakeTicket:
    """A submitted job list: answers like TagEngine, or (held) never answers."""

    def __init__(self, batcher: FakeBatcher, jobs: list[Job]) -> None:
        self.batcher = batcher
        self.jobs = jobs
        self.cancelled = False
        now = time.monotonic()
        self.entry = SimpleNamespace(enqueued=now - 3.0, started=now - 1.0)

    async def result(self, index: int) -> Generated:
        if self.batcher.hold:
            self.batcher.waiting.set()
            await asyncio.get_running_loop().create_future()  # never resolved
        return Generated(f"{self.batcher.tag}:{self.jobs[index].text}", 1, 1)

    def cancel(self) -> None:
        self.cancelled = True


class FakeBatcher:
    """Records each submit (texts, deadline, admitted); may refuse or hold."""

    def __init__(self, tag: str, *, refuse: Exception | None = None, hold: bool = False) -> None:
        self.tag = tag
        self.refuse = refuse
        self.hold = hold
        self.waiting = asyncio.Event()
        self.submits: list[tuple[list[str], float | None, bool]] = []
        self.tickets: list[FakeTicket] = []

    def submit(self, jobs, *, deadline: float | None, admitted: bool) -> FakeTicket:
        self.submits.append(([j.text for j in jobs], deadline, admitted))
        if self.refuse is not None:
            raise self.refuse
        ticket = FakeTicket(self, list(jobs))
        self.tickets.append(ticket)
        return ticket


@pytest.fixture
def executor():
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="plan-step")
    yield pool
    pool.shutdown(wait=True, cancel_futures=True)


# --- generate_all and run_sync: the engines called directly -------------------------


def test_generate_all_keeps_job_order_under_the_item_budget() -> None:
    """Jobs run in batches of at most max_items; results come back in job order."""
    engine = TagEngine("a")
    texts = [f"t{i}" for i in range(5)]
    out = generate_all(engine, [job(t) for t in texts], max_items=2)
    assert [g.text for g in out] == [f"a:{t}" for t in texts]
    assert [len(inputs) for inputs, _ in engine.batches] == [2, 2, 1]


def test_generate_all_respects_the_padded_token_budget() -> None:
    """longest × count stays within max_tokens: three 10-token jobs under 25 → 2 + 1."""
    engine = TagEngine("a")
    out = generate_all(engine, [job(f"t{i}", tokens=10) for i in range(3)], max_tokens=25)
    assert len(out) == 3
    assert [len(inputs) for inputs, _ in engine.batches] == [2, 1]


def test_generate_all_never_mixes_generation_specs() -> None:
    """Jobs with different GenerationSpecs go to different engine calls, each with its
    own spec; results still come back in job order."""
    engine = TagEngine("a")
    jobs = [job("x", spec=SPEC), job("y", spec=BEAMS), job("z", spec=SPEC)]
    out = generate_all(engine, jobs)
    assert [g.text for g in out] == ["a:x", "a:y", "a:z"]
    assert sorted((sorted(inputs), spec.num_beams) for inputs, spec in engine.batches) == [
        (["x", "z"], 1),
        (["y"], 2),
    ]


def test_generate_all_of_no_jobs_is_no_results() -> None:
    """An empty job list calls no engine and gives no results."""
    engine = TagEngine("a")
    assert generate_all(engine, []) == []
    assert engine.batches == []


def test_run_sync_routes_each_job_to_its_model_in_order() -> None:
    """One round with jobs of two models interleaved: each engine gets its own jobs,
    the plan gets the results in the order it yielded the jobs."""
    engines = {"a": TagEngine("a"), "b": TagEngine("b")}

    def plan():
        results = yield [job("0", "a"), job("1", "b"), job("2", "a"), job("3", "b")]
        return [g.text for g in results]

    assert run_sync(plan(), engines) == ["a:0", "b:1", "a:2", "b:3"]
    assert [inputs for inputs, _ in engines["a"].batches] == [["0", "2"]]
    assert [inputs for inputs, _ in engines["b"].batches] == [["1", "3"]]


def test_run_sync_drives_every_round_to_the_plan_value() -> None:
    """Each round receives the previous round's results; the plan's return value is
    the driver's."""
    engines = {"a": TagEngine("a"), "b": TagEngine("b")}
    assert run_sync(two_rounds(["x", "y"]), engines) == ["b:a:x", "b:a:y"]


def test_run_sync_without_model_work() -> None:
    """A plan that returns at once is its value; an empty round is answered [] without
    calling an engine."""

    def nothing():
        return "done"
        yield  # a generator that never yields

    def empty_round():
        got = yield []
        return got

    engines = {"a": TagEngine("a")}
    assert run_sync(nothing(), engines) == "done"
    assert run_sync(empty_round(), engines) == []
    assert engines["a"].batches == []


def test_run_sync_lets_an_engine_error_through() -> None:
    """An engine failure reaches the caller as raised, and the plan is closed (its
    cleanup runs), as run_async closes it."""

    class Broken(TagEngine):
        def generate(self, inputs, spec, should_stop=None, on_done=None):
            raise RuntimeError("model exploded")

    log: list[str] = []
    plan = two_rounds(["x"], log)  # held here: only the driver can close it
    with pytest.raises(RuntimeError, match="model exploded"):
        run_sync(plan, {"a": Broken("a"), "b": TagEngine("b")})
    assert log == ["closed"]


# --- run_async and JobSet: through batchers ------------------------------------------


async def test_run_async_gives_what_run_sync_gives_through_real_batchers() -> None:
    """Driven through two dynamic batchers (scripted engines), a two-round plan ends
    with the same value as driven synchronously."""
    config = BatchConfig(max_wait_s=0.0, gap_s=0.0)
    batchers = {
        "a": DynamicBatcher("plan-a", [TagEngine("a")], config),
        "b": DynamicBatcher("plan-b", [TagEngine("b")], config),
    }
    try:
        got = await run_async(two_rounds(["x", "y", "z"]), batchers)
    finally:
        for batcher in batchers.values():
            batcher.close()
    expected = run_sync(two_rounds(["x", "y", "z"]), {"a": TagEngine("a"), "b": TagEngine("b")})
    assert got == expected == ["b:a:x", "b:a:y", "b:a:z"]


async def test_only_the_first_round_is_subject_to_admission(executor) -> None:
    """The first round is submitted unadmitted, every later one as admitted (never
    refused halfway); each carries the request's deadline; plan steps run in the
    executor's threads, not on the event loop."""
    batchers = {"a": FakeBatcher("a"), "b": FakeBatcher("b")}
    threads: list[str] = []

    def plan():
        threads.append(threading.current_thread().name)
        first = yield [job("x", "a")]
        threads.append(threading.current_thread().name)
        second = yield [job(first[0].text, "b"), job("y", "a")]
        threads.append(threading.current_thread().name)
        return [g.text for g in second]

    deadline = time.monotonic() + 30
    out = await run_async(plan(), batchers, deadline=deadline, executor=executor)
    assert out == ["b:a:x", "a:y"]
    assert batchers["a"].submits == [(["x"], deadline, False), (["y"], deadline, True)]
    assert batchers["b"].submits == [(["a:x"], deadline, True)]
    assert len(threads) == 3 and all(name.startswith("plan-step") for name in threads)


async def test_an_empty_round_submits_nothing_and_admission_waits(executor) -> None:
    """A round with no jobs is answered [] at once; the next round with jobs is still
    the request's first to be judged by admission."""
    batchers = {"a": FakeBatcher("a")}

    def plan():
        nothing = yield []
        results = yield [job("x", "a")]
        return nothing, [g.text for g in results]

    assert await run_async(plan(), batchers, executor=executor) == ([], ["a:x"])
    assert batchers["a"].submits == [(["x"], None, False)]


async def test_a_refused_first_round_closes_the_plan(executor) -> None:
    """Admission's refusal reaches the caller unchanged, the plan is closed (its
    cleanup runs) and nothing else is submitted."""
    refusal = ResourceExhausted("busy", retry_after_s=2.0)
    batchers = {"a": FakeBatcher("a", refuse=refusal), "b": FakeBatcher("b")}
    log: list[str] = []
    with pytest.raises(ResourceExhausted) as caught:
        await run_async(two_rounds(["x"], log), batchers, executor=executor)
    assert caught.value is refusal
    assert log == ["closed"]
    assert batchers["b"].submits == []


def test_a_refusal_by_a_second_model_cancels_what_was_placed() -> None:
    """A job set spread over two batchers: when the second refuses, the ticket already
    placed with the first is cancelled (its jobs would run for nobody)."""
    batchers = {"a": FakeBatcher("a"), "b": FakeBatcher("b", refuse=ResourceExhausted("full"))}
    with pytest.raises(ResourceExhausted):
        JobSet([job("x", "a"), job("y", "b")], batchers, deadline=None, admitted=False)
    assert [t.cancelled for t in batchers["a"].tickets] == [True]


async def test_a_caller_that_goes_cancels_its_jobs_and_closes_the_plan(executor) -> None:
    """Cancelling the request while it waits for model results cancels every ticket
    of the round and closes the plan."""
    batchers = {"a": FakeBatcher("a", hold=True), "b": FakeBatcher("b", hold=True)}
    log: list[str] = []

    def plan():
        try:
            yield [job("x", "a"), job("y", "b")]
        finally:
            log.append("closed")

    task = asyncio.create_task(run_async(plan(), batchers, executor=executor))
    await asyncio.wait_for(batchers["a"].waiting.wait(), 10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    tickets = batchers["a"].tickets + batchers["b"].tickets
    assert len(tickets) == 2 and all(t.cancelled for t in tickets)
    assert log == ["closed"]


async def test_a_caller_that_goes_while_a_step_runs_is_cancelled_cleanly(executor) -> None:
    """Cancelled while a plan step still runs in its thread, the request ends with
    CancelledError (the generator cannot be closed from outside then: that is not an
    error), and nothing is submitted for it."""
    entered, release = threading.Event(), threading.Event()
    batchers = {"a": FakeBatcher("a")}

    def plan():
        entered.set()
        release.wait(10)
        yield [job("x", "a")]

    task = asyncio.create_task(run_async(plan(), batchers, executor=executor))
    try:
        assert await asyncio.to_thread(entered.wait, 10)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    finally:
        release.set()
    assert batchers["a"].submits == []


async def test_an_error_in_the_plan_reaches_the_caller(executor) -> None:
    """An exception raised by the plan's own code (assembly, say) is the driver's."""

    def plan():
        yield [job("x", "a")]
        raise ValueError("cannot assemble")

    with pytest.raises(ValueError, match="cannot assemble"):
        await run_async(plan(), {"a": FakeBatcher("a")}, executor=executor)


async def test_timing_adds_queue_wait_and_model_time_over_rounds(executor) -> None:
    """Each round adds its wait for a batch (started − enqueued) and its model time
    (now − started): the fake tickets waited 2 s and ran 1 s, twice."""
    timing = Timing()
    batchers = {"a": FakeBatcher("a"), "b": FakeBatcher("b")}
    await run_async(two_rounds(["x"]), batchers, executor=executor, timing=timing)
    assert timing.queue_s == pytest.approx(4.0, abs=0.2)
    assert timing.model_s == pytest.approx(2.0, abs=0.2)


def test_timing_of_jobs_not_started_and_of_no_jobs() -> None:
    """Jobs not yet started count all their time as queue wait; an empty set adds
    nothing."""
    batchers = {"a": FakeBatcher("a")}
    jobs = JobSet([job("x", "a")], batchers, deadline=None, admitted=False)
    batchers["a"].tickets[0].entry.started = None
    timing = Timing()
    jobs.record(timing)
    assert timing.queue_s == pytest.approx(3.0, abs=0.2) and timing.model_s < 0.2
    JobSet([], batchers, deadline=None, admitted=False).record(timing)
    assert timing.queue_s == pytest.approx(3.0, abs=0.2)
