"""Runs blocking inference off the event loop, with bounded admission.

This is the seam between a servicer and an engine: the servicer awaits
`runner.run(fn, ...)`, the runner decides where and when `fn` runs. Today that is a
dedicated thread pool; a cross-request batcher can replace it behind the same call.
Past `max_queue` admitted jobs the runner refuses at once (ResourceExhausted with a
retry hint) instead of letting latency and memory grow.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from services.common.errors import ResourceExhausted
from services.common.metrics import QUEUE_DEPTH, REJECTED

T = TypeVar("T")


class InferenceRunner:
    """A thread pool for blocking model calls with a cap on admitted jobs."""

    def __init__(self, name: str, *, workers: int = 1, max_queue: int = 32) -> None:
        self.name = name
        self.max_queue = max_queue
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        self._admitted = 0

    @property
    def admitted(self) -> int:
        """Jobs waiting or running now."""
        return self._admitted

    async def run(self, fn: Callable[..., T], *args: object) -> tuple[T, float, float]:
        """Run fn(*args) in the pool; return (result, queue_ms, run_ms).

        Raises ResourceExhausted at once when max_queue jobs are already admitted.
        """
        if self._admitted >= self.max_queue:
            REJECTED.labels(self.name, "queue_full").inc()
            raise ResourceExhausted(
                f"{self.name} is busy: {self._admitted} jobs queued (limit {self.max_queue})",
                retry_after_s=1.0,
            )
        self._admitted += 1
        QUEUE_DEPTH.labels(self.name).set(self._admitted)
        enqueued = time.perf_counter()
        started: list[float] = []

        def timed() -> T:
            started.append(time.perf_counter())
            return fn(*args)

        try:
            loop = asyncio.get_running_loop()
            result = await loop.run_in_executor(self._executor, timed)
            done = time.perf_counter()
            start = started[0] if started else enqueued
            return result, (start - enqueued) * 1000.0, (done - start) * 1000.0
        finally:
            self._admitted -= 1
            QUEUE_DEPTH.labels(self.name).set(self._admitted)

    def close(self) -> None:
        """Finish running jobs and stop the pool."""
        self._executor.shutdown(wait=True, cancel_futures=True)
