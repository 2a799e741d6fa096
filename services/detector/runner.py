"""The detector's runner: blocking detection off the event loop, admitted by cost.

Only the detector uses it: its app builds one (`workers` threads, `max_queue`,
`max_queue_chars`) and its servicer awaits `runner.run(fn, *args, cost=, deadline=)`,
which returns the result with the call's queue and run times. The translator and the
summarizer do not: their model work is batched across requests
(services/common/batching/batcher.py, driven by plan.py). Detection is not: a
request's texts already run as one call, and language ID has no padded batch to share.

Before a call is queued it is refused at once when
- admission (services/common/batching/admission.py, in characters; on when
  `max_queue_chars` is set) says so:
  a call over the bound is INVALID_ARGUMENT (REQUEST_TOO_LARGE: split it), one past
  the bound of queued characters RESOURCE_EXHAUSTED with a retry delay from the
  measured drain rate, one whose deadline the drain cannot meet RESOURCE_EXHAUSTED
  (DEADLINE_UNREACHABLE);
- `max_queue` calls are already admitted: RESOURCE_EXHAUSTED, retry after 1 s.
A call whose deadline passes while it waits for a worker is dropped (DEADLINE_EXCEEDED),
never run.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from services.common.batching.admission import Admission
from services.common.errors import DeadlineExceeded, ResourceExhausted
from services.common.serving.metrics import QUEUE_DEPTH, REJECTED

T = TypeVar("T")


class InferenceRunner:
    """A thread pool for blocking model calls with a cap on admitted jobs."""

    def __init__(
        self, name: str, *, workers: int = 1, max_queue: int = 32, max_queue_chars: int = 0
    ) -> None:
        self.name = name
        self.max_queue = max_queue
        self.workers = workers
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        self._admitted = 0
        self._queued_cost = 0
        self.admission = (
            Admission(
                name,
                max_queue_chars,
                unit="characters",
                split_hint="split the texts into smaller requests",
            )
            if max_queue_chars
            else None
        )

    @property
    def admitted(self) -> int:
        """Jobs waiting or running now."""
        return self._admitted

    async def run(
        self,
        fn: Callable[..., T],
        *args: object,
        cost: int = 0,
        deadline: float | None = None,
    ) -> tuple[T, float, float]:
        """Run fn(*args) in the pool; return (result, queue_ms, run_ms). `cost` is the
        call's work (characters), `deadline` the caller's (time.monotonic() seconds).

        Refuses at once (admission.py) a call over the cost bound, past it, or that
        cannot finish by its deadline, and when max_queue calls are already admitted.
        """
        if self.admission is not None:
            self.admission.check(cost, self._queued_cost, deadline, time.monotonic())
        if self._admitted >= self.max_queue:
            REJECTED.labels(self.name, "queue_full").inc()
            raise ResourceExhausted(
                f"{self.name} is busy: {self._admitted} jobs queued (limit {self.max_queue})",
                retry_after_s=1.0,
            )
        self._admitted += 1
        self._queued_cost += cost
        QUEUE_DEPTH.labels(self.name).set(self._admitted)
        enqueued = time.perf_counter()
        started: list[float] = []

        def timed() -> T:
            started.append(time.perf_counter())
            if deadline is not None and time.monotonic() >= deadline:
                # Its caller (or the server's MAX_REQUEST_SECONDS) gave up while it
                # waited for a worker: nobody would read the answer.
                raise DeadlineExceeded(f"{self.name}: the deadline passed in the queue")
            return fn(*args)

        try:
            loop = asyncio.get_running_loop()
            result = await loop.run_in_executor(self._executor, timed)
            done = time.perf_counter()
            start = started[0] if started else enqueued
            if self.admission is not None and cost:
                self.admission.record(cost, done - start, self.workers)
            return result, (start - enqueued) * 1000.0, (done - start) * 1000.0
        finally:
            self._admitted -= 1
            self._queued_cost -= cost
            QUEUE_DEPTH.labels(self.name).set(self._admitted)

    def close(self) -> None:
        """Finish running jobs and stop the pool."""
        self._executor.shutdown(wait=True, cancel_futures=True)
