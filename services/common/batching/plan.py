"""Requests as plans: prepare → model work → assemble, driven sync or through batchers.

A model service writes each request as a generator (a "plan"): its code between yields
is the CPU-only preparation and assembly; each `yield jobs` hands a list of independent
generation jobs to whoever drives it and receives their results in the same order.
The summarizer's plan yields several rounds (windows, reduce steps, headline and bullet
rewrites); the translator's yields one. The plan holds all per-request state, so one
shared writer serves any number of concurrent requests.

Drivers: `run_sync` (tests, benchmarks, the engines called directly, batched by the
same queue rules) and `run_async` (the services: plan steps in a thread pool, off the
event loop; jobs through the dynamic batchers, shared with every other request). Only
the first round of a request is subject to admission: a request, once admitted, is
never refused halfway. Nothing here imports grpc.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Generator, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any, TypeVar

from services.common.batching.batcher import DynamicBatcher, Ticket
from services.common.batching.queue import BatchQueue, Entry, Job
from services.common.engines.base import Engine, Generated

R = TypeVar("R")
Plan = Generator[list[Job], list[Generated], R]


def generate_all(
    engine: Engine, jobs: Sequence[Job], *, max_tokens: int = 4096, max_items: int = 16
) -> list[Generated]:
    """Run jobs on one engine now, in batches formed by the batcher's queue rules."""
    if not jobs:
        return []
    # Nobody waits behind a direct call: a long document may fill whole batches.
    queue = BatchQueue(max_tokens=max_tokens, max_items=max_items, max_bulk_items=max_items)
    entry = Entry(list(jobs), 0.0)
    queue.append(entry)
    while (batch := queue.next_batch(0.0)) is not None and batch.members:
        for (member, index), result in zip(
            batch.members, engine.generate(batch.texts, batch.spec), strict=True
        ):
            member.futures[index].set_result(result)
    return [future.result() for future in entry.futures]


def run_sync(
    plan: Plan[R],
    engines: Mapping[str, Engine],
    *,
    max_tokens: int = 4096,
    max_items: int = 16,
) -> R:
    """Drive a plan to its result by calling the engines directly."""
    value: list[Generated] | None = None
    try:
        while True:
            done, out = step(plan, value)
            if done:
                result: R = out
                return result
            value = _gather_sync(out, engines, max_tokens, max_items)
    finally:
        plan.close()  # after an engine error the plan's cleanup runs now, as in run_async


def _gather_sync(
    jobs: list[Job], engines: Mapping[str, Engine], max_tokens: int, max_items: int
) -> list[Generated]:
    results: list[Generated | None] = [None] * len(jobs)
    for model in dict.fromkeys(job.model for job in jobs):
        positions = [i for i, job in enumerate(jobs) if job.model == model]
        outs = generate_all(
            engines[model], [jobs[i] for i in positions], max_tokens=max_tokens, max_items=max_items
        )
        for position, out in zip(positions, outs, strict=True):
            results[position] = out
    return [r for r in results if r is not None]


def step(plan: Plan[Any], value: list[Generated] | None) -> tuple[bool, Any]:
    """One plan step; StopIteration cannot cross a thread-pool future, so it is caught."""
    try:
        return False, (next(plan) if value is None else plan.send(value))
    except StopIteration as stop:
        return True, stop.value


@dataclass
class Timing:
    """Where a request's time went: waiting for a batch, and in model batches."""

    queue_s: float = 0.0
    model_s: float = 0.0


class JobSet:
    """A request's jobs submitted to the batchers of their models."""

    def __init__(
        self,
        jobs: Sequence[Job],
        batchers: Mapping[str, DynamicBatcher],
        *,
        deadline: float | None,
        admitted: bool,
    ) -> None:
        self._where: list[tuple[Ticket, int]] = []
        self._tickets: list[Ticket] = []
        placed: dict[str, tuple[Ticket, list[int]]] = {}
        try:
            for model in dict.fromkeys(job.model for job in jobs):
                positions = [i for i, job in enumerate(jobs) if job.model == model]
                ticket = batchers[model].submit(
                    [jobs[i] for i in positions], deadline=deadline, admitted=admitted
                )
                self._tickets.append(ticket)
                placed[model] = (ticket, positions)
        except BaseException:
            self.cancel()
            raise
        slots: dict[int, tuple[Ticket, int]] = {}
        for ticket, positions in placed.values():
            for k, position in enumerate(positions):
                slots[position] = (ticket, k)
        self._where = [slots[i] for i in range(len(jobs))]

    async def result(self, index: int) -> Generated:
        """The result of job `index`; if the awaiting task is cancelled, so is the set."""
        ticket, k = self._where[index]
        try:
            return await ticket.result(k)
        except asyncio.CancelledError:
            self.cancel()
            raise

    async def results(self) -> list[Generated]:
        """All results, in job order."""
        try:
            return [await self.result(i) for i in range(len(self._where))]
        except BaseException:
            self.cancel()
            raise

    def record(self, timing: Timing) -> None:
        """Add this set's queue wait and model time (call when its results are in)."""
        now = time.monotonic()
        entries = [t.entry for t in self._tickets]
        if not entries:
            return
        enqueued = min(e.enqueued for e in entries)
        started = min((e.started for e in entries if e.started is not None), default=now)
        timing.queue_s += max(0.0, started - enqueued)
        timing.model_s += max(0.0, now - started)

    def cancel(self) -> None:
        """Drop every job of this set that has not run."""
        for ticket in self._tickets:
            ticket.cancel()


async def run_async(
    plan: Plan[R],
    batchers: Mapping[str, DynamicBatcher],
    *,
    deadline: float | None = None,
    executor: Executor | None = None,
    timing: Timing | None = None,
) -> R:
    """Drive a plan through the batchers; plan steps run in `executor` threads."""
    loop = asyncio.get_running_loop()
    value: list[Generated] | None = None
    admitted = False
    try:
        while True:
            done, out = await loop.run_in_executor(executor, step, plan, value)
            if done:
                result: R = out
                return result
            if not out:
                value = []
                continue
            jobs = JobSet(out, batchers, deadline=deadline, admitted=admitted)
            admitted = True
            value = await jobs.results()
            if timing is not None:
                jobs.record(timing)
    finally:
        # ValueError: a step still runs in its thread (the caller went meanwhile).
        with contextlib.suppress(ValueError):
            plan.close()
