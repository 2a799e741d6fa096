"""The detector's runner (services/detector/runner.py): off-loop execution and bounded
admission."""

from __future__ import annotations

import asyncio
import threading

import pytest

from services.common.errors import ResourceExhausted
from services.detector.runner import InferenceRunner


async def test_runs_off_the_event_loop() -> None:
    """The job runs in a worker thread and its result and timings come back."""
    runner = InferenceRunner("t", workers=1, max_queue=4)
    result, queue_ms, run_ms = await runner.run(lambda: threading.current_thread().name)
    assert result.startswith("t")
    assert queue_ms >= 0 and run_ms >= 0
    runner.close()


async def test_refuses_past_max_queue() -> None:
    """Past max_queue admitted jobs, a new job is refused at once with ResourceExhausted."""
    runner = InferenceRunner("t", workers=1, max_queue=2)
    gate = threading.Event()
    jobs = [asyncio.ensure_future(runner.run(gate.wait, 5)) for _ in range(2)]
    await asyncio.sleep(0.05)
    with pytest.raises(ResourceExhausted):
        await runner.run(lambda: None)
    gate.set()
    await asyncio.gather(*jobs)
    assert runner.admitted == 0
    runner.close()


async def test_a_call_whose_deadline_passed_in_the_queue_is_not_run() -> None:
    """A call still waiting for a worker when its deadline passes is answered
    DEADLINE_EXCEEDED and its work never runs."""
    import time

    from services.common.errors import DeadlineExceeded

    runner = InferenceRunner("t", workers=1, max_queue=4)
    ran: list[str] = []

    def slow(name: str) -> str:
        time.sleep(0.5)
        ran.append(name)
        return name

    try:
        first = asyncio.ensure_future(runner.run(slow, "first"))
        await asyncio.sleep(0.05)
        with pytest.raises(DeadlineExceeded):
            await runner.run(slow, "late", deadline=time.monotonic() + 0.1)
        assert (await first)[0] == "first"
        assert ran == ["first"]
    finally:
        runner.close()
