"""Driving a streamed document's plans paragraph by paragraph, through the batchers.

A streamed document is admitted whole, once, before its first paragraph: the jobs of
its first round (every paragraph's) go to the batchers together — nothing is refused
after that. Each paragraph's plan (its model rounds, then its assembly) is then
driven in order: its first round is answered from those jobs, any later round (the
gate's retries) is submitted as already admitted. Plan steps run in the executor,
off the event loop, as run_async runs them. If the caller goes, the remaining jobs
are dropped. Never imports grpc.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from typing import TypeVar

from services.common.batching.batcher import DynamicBatcher
from services.common.batching.plan import JobSet, Plan, step
from services.common.batching.queue import Job
from services.common.engines.base import Generated

R = TypeVar("R")


class HeadStart:
    """A document's first-round jobs, submitted at once; later plans take their
    results by job (the very objects submitted)."""

    def __init__(
        self,
        jobs: Sequence[Job],
        batchers: Mapping[str, DynamicBatcher],
        *,
        deadline: float | None,
        executor: Executor | None,
    ) -> None:
        self.batchers = batchers
        self.deadline = deadline
        self.executor = executor
        self._ahead = JobSet(jobs, batchers, deadline=deadline, admitted=False)
        self._where = {id(job): k for k, job in enumerate(jobs)}

    async def results(self, jobs: Sequence[Job]) -> list[Generated]:
        """The generations of `jobs`: from the head start when it holds them all,
        else from a new submission (admitted: the request already was)."""
        positions = [self._where.get(id(job)) for job in jobs]
        if all(k is not None for k in positions):
            return [await self._ahead.result(k) for k in positions if k is not None]
        later = JobSet(jobs, self.batchers, deadline=self.deadline, admitted=True)
        try:
            return await later.results()
        finally:
            later.cancel()

    async def drive(self, plan: Plan[R]) -> R:
        """Run a plan to its result, its steps in the executor (plan.step: the step
        that run_async takes, StopIteration caught before it meets a future)."""
        loop = asyncio.get_running_loop()
        value: list[Generated] | None = None
        try:
            while True:
                done, out = await loop.run_in_executor(self.executor, step, plan, value)
                if done:
                    result: R = out
                    return result
                value = await self.results(out) if out else []
        finally:
            # ValueError: a step still runs in its thread (the caller went meanwhile).
            with contextlib.suppress(ValueError):
                plan.close()

    def cancel(self) -> None:
        """Drop every job not run yet."""
        self._ahead.cancel()
