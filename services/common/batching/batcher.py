"""The dynamic batcher: one per loaded model, shared by every request of a service.

Callers `submit` a request's jobs and await their futures; model worker threads (one
per engine replica) take batches from the one BatchQueue, under one lock, after a short
wait for the batch to fill (while jobs keep arriving, bounded like Triton's
max_queue_delay), call the engine once and
hand each result back to its request. Admission is by cost (admission.py: token-beams,
(source tokens + the most tokens generated) × beams): a request larger than the whole
queue bound is refused INVALID_ARGUMENT, past the bound RESOURCE_EXHAUSTED with a retry
delay from the measured drain rate, and a request whose deadline the drain cannot meet
is refused at once too. When a caller goes, its queued jobs are dropped before they run,
and a running batch whose callers have all gone stops at the next decoding step.
Nothing here imports grpc.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import CancelledError, InvalidStateError
from dataclasses import dataclass, replace

from services.common.batching.admission import Admission
from services.common.batching.queue import Batch, BatchQueue, Entry, Job
from services.common.config import ConfigError, env_bool, env_float, env_int
from services.common.engines.base import Engine, Generated, GenerationSpec
from services.common.engines.footprint import MIB, Footprint
from services.common.errors import DeadlineExceeded, Unavailable
from services.common.logs import get_logger
from services.common.memory import release_free_memory
from services.common.serving.metrics import (
    BATCH_PADDED_TOKENS,
    BATCH_SIZE,
    DROPPED,
    QUEUE_CAPACITY,
    QUEUE_TOKENS,
    QUEUE_WAIT,
    STOPPED_EARLY,
)

# Under sustained load the queue is never idle: trim at most this often anyway
# (malloc_trim costs 12-21 ms; every 30 s that is under 0.1% of the model's time).
TRIM_EVERY_S = 30.0
# The warm-up generation: a few new tokens are enough to run every kernel once.
WARM_UP_TOKENS = 4
log = get_logger("newsdesk.batcher")


@dataclass(frozen=True)
class BatchConfig:
    """Budgets of one batcher (batch_config_from_env reads them)."""

    max_batch_tokens: int = 4096
    max_batch_items: int = 16
    # A batch that is not full waits for more jobs while they keep arriving (a burst of
    # concurrent calls is prepared a few ms apart), at most max_wait_s after its oldest
    # job and at most gap_s after the newest.
    max_wait_s: float = 0.05
    gap_s: float = 0.01
    # The admission bound, in token-beams (batch_queue.Job.cost); also the most one
    # request may cost.
    max_queue_tokens: int = 65_536
    workers: int = 1
    # Estimated working set of one batch (engines/footprint.py); 0: no byte budget.
    max_batch_mib: int = 0
    # Batch concurrent calls by length (queue.py); off: by arrival.
    group_lengths: bool = False
    # One short generation per replica before serving (DynamicBatcher.warm_up).
    warm_up: bool = True


def batch_config_from_env(environ: Mapping[str, str], prefix: str) -> BatchConfig:
    """The batcher budgets of a model service: PREFIX_MAX_BATCH_TOKENS (padded tokens
    per batch), _MAX_BATCH_SEGMENTS (rows per batch), _BATCH_MAX_WAIT_MS (how long a
    batch may wait to fill while jobs keep arriving, at most 10 ms after the newest),
    _MAX_QUEUE_TOKENS (admission bound), _WORKERS (model workers, each with its own
    engine replica) and _WARM_UP; defaults per service in the registry."""
    config = BatchConfig(
        max_batch_tokens=env_int(environ, f"{prefix}MAX_BATCH_TOKENS"),
        max_batch_items=env_int(environ, f"{prefix}MAX_BATCH_SEGMENTS"),
        max_wait_s=env_float(environ, f"{prefix}BATCH_MAX_WAIT_MS") / 1000.0,
        max_queue_tokens=env_int(environ, f"{prefix}MAX_QUEUE_TOKENS"),
        workers=env_int(environ, f"{prefix}WORKERS"),
        warm_up=env_bool(environ, f"{prefix}WARM_UP"),
        max_batch_mib=env_int(environ, f"{prefix}MAX_BATCH_MIB"),
        group_lengths=env_bool(environ, f"{prefix}GROUP_LENGTHS"),
    )
    if config.max_queue_tokens < config.max_batch_tokens:
        raise ConfigError(
            f"{prefix}MAX_QUEUE_TOKENS={config.max_queue_tokens} is below "
            f"{prefix}MAX_BATCH_TOKENS={config.max_batch_tokens}: the queue could never "
            "hold one full batch"
        )
    return config


class Ticket:
    """A submitted request: await `results()` (or single `result(i)`), `cancel()` it."""

    def __init__(self, batcher: DynamicBatcher, entry: Entry) -> None:
        self._batcher = batcher
        self.entry = entry

    async def result(self, index: int) -> Generated:
        """The result of job `index`; cancelling the awaiting task cancels the ticket."""
        try:
            return await asyncio.wrap_future(self.entry.futures[index])
        except (asyncio.CancelledError, CancelledError):
            self.cancel()
            raise

    async def results(self) -> list[Generated]:
        """Every job's result, in submission order."""
        try:
            return [await asyncio.wrap_future(f) for f in self.entry.futures]
        except (asyncio.CancelledError, CancelledError):
            self.cancel()
            raise

    def cancel(self) -> None:
        """The caller has gone: drop queued jobs, let a running batch stop."""
        self._batcher.cancel(self.entry)


def _gone_check(batch: Batch) -> Callable[[], bool]:
    """The engine's per-step question: has every caller of this batch gone?"""
    return lambda: batch.all_gone(time.monotonic())


def _deliver(batch: Batch) -> Callable[[int, Generated], None]:
    """Hands one finished job's result to its caller before the batch ends."""

    def deliver(position: int, result: Generated) -> None:
        entry, index = batch.members[position]
        with contextlib.suppress(InvalidStateError):
            entry.futures[index].set_result(result)

    return deliver


class DynamicBatcher:
    """Cross-request batching for one model; see the module docstring."""

    def __init__(self, name: str, engines: Sequence[Engine], config: BatchConfig) -> None:
        if not engines:
            raise ValueError("a batcher needs at least one engine")
        self.name = name
        self._trimmed = time.monotonic()
        QUEUE_CAPACITY.labels(name).set(config.max_queue_tokens)
        self.engines = list(engines)
        self.config = config
        self.footprint: Footprint | None = self.engines[0].footprint
        if config.max_batch_mib and self.footprint is None:
            log.warning(
                "batcher.byte_budget_off",
                batcher=name,
                max_batch_mib=config.max_batch_mib,
                reason="the model's shape (d_model, decoder_layers, vocab_size) is unknown: "
                "batches are budgeted by tokens and rows only",
            )
        self._queue = BatchQueue(
            max_tokens=config.max_batch_tokens,
            max_items=config.max_batch_items,
            max_bytes=config.max_batch_mib * MIB,
            footprint=self.footprint,
            group_lengths=config.group_lengths,
        )
        self._cond = threading.Condition()
        self._closing = False
        self._running: list[Batch] = []
        self.admission = Admission(
            name,
            config.max_queue_tokens,
            unit="token-beams",
            split_hint="split the documents into smaller requests, or use fewer beams",
        )
        self.batches = 0
        self.stopped_early = 0
        self._threads = [
            threading.Thread(target=self._work, args=(e,), name=f"{name}-model-{i}", daemon=True)
            for i, e in enumerate(self.engines)
        ]
        for thread in self._threads:
            thread.start()

    @property
    def engine(self) -> Engine:
        """The first replica (for token counting and model info)."""
        return self.engines[0]

    @property
    def queued_tokens(self) -> int:
        """Source tokens waiting for a batch."""
        return self._queue.queued_tokens

    @property
    def queued_cost(self) -> int:
        """Token-beams waiting for a batch (what admission counts)."""
        return self._queue.queued_cost

    def submit(
        self, jobs: Sequence[Job], *, deadline: float | None = None, admitted: bool = False
    ) -> Ticket:
        """Queue a request's jobs. Raises ResourceExhausted when the token bound would be
        passed, or when the queue ahead cannot drain before `deadline` (monotonic
        seconds). `admitted=True` is a later stage of a request already admitted: it is
        never refused, so an answer is never lost halfway."""
        now = time.monotonic()
        entry = Entry(list(jobs), now, deadline)
        cost = entry.pending_cost + sum(job.reserve for job in entry.jobs)
        with self._cond:
            if self._closing:
                raise Unavailable(f"{self.name} is shutting down; retry on another replica")
            if not admitted:
                running = sum(e.jobs[i].cost for b in self._running for e, i in b.members)
                self.admission.check(cost, self._queue.queued_cost + running, deadline, now)
            self._queue.append(entry)
            QUEUE_TOKENS.labels(self.name).set(self._queue.queued_cost)
            self._cond.notify()
        return Ticket(self, entry)

    def cancel(self, entry: Entry) -> None:
        """Mark an entry's caller as gone; queued jobs are dropped at the next batch."""
        with self._cond:
            if not entry.cancelled:
                entry.cancelled = True
                dropped = self._queue.drop(entry)
                if dropped:
                    DROPPED.labels(self.name, "cancelled").inc(dropped)
                    QUEUE_TOKENS.labels(self.name).set(self._queue.queued_cost)
                for future in entry.futures:
                    future.cancel()
                self._cond.notify_all()

    def warm_up(self, text: str, spec: GenerationSpec, timeout_s: float = 120.0) -> bool:
        """Before serving: one short generation of `text` on every replica, so the
        engine's first-call cost (CTranslate2's first generation on a fresh model: 42
        ms against 4 ms after it, tiny model) is paid before the port is bound, not by
        the first burst's callers. At most WARM_UP_TOKENS new
        tokens with `spec`'s beams; nothing is kept, so no result changes. Never blocks
        past `timeout_s` (a slow replica is left to finish on its own) and never fails
        the start: logged either way; True when every replica finished."""
        spec = replace(spec, max_new_tokens=WARM_UP_TOKENS, min_new_tokens=1)
        started = time.monotonic()
        failed: list[int] = []
        for i, engine in enumerate(self.engines):
            done = threading.Event()
            threading.Thread(
                target=self._warm_one,
                args=(engine, text, spec, done, lambda i=i: failed.append(i)),
                name=f"{self.name}-warm-up-{i}",
                daemon=True,
            ).start()
            if not done.wait(max(0.0, started + timeout_s - time.monotonic())):
                log.warning(
                    "batcher.warm_up_timeout", batcher=self.name, replica=i, timeout_s=timeout_s
                )
                return False
        if failed:
            return False
        log.info(
            "batcher.warmed_up",
            batcher=self.name,
            replicas=len(self.engines),
            beams=spec.num_beams,
            ms=round((time.monotonic() - started) * 1000, 1),
        )
        return True

    def _warm_one(
        self,
        engine: Engine,
        text: str,
        spec: GenerationSpec,
        done: threading.Event,
        on_failure: Callable[[], None],
    ) -> None:
        try:
            engine.generate([text], spec)
        except Exception:
            on_failure()
            log.warning("batcher.warm_up_failed", batcher=self.name, exc_info=True)
        finally:
            done.set()

    def _take(self) -> Batch | None:
        """Wait for, then form, the next batch (None when closing)."""
        wait = self.config.max_wait_s
        with self._cond:
            while not self._closing:
                now = time.monotonic()
                self._count_dropped(self._queue.prune(now))
                oldest = self._queue.oldest()
                if oldest is None:
                    self._cond.wait(timeout=1.0)
                    continue
                full = self._queue.pending_rows >= self.config.max_batch_items
                newest = self._queue.newest() or oldest
                until = min(oldest + wait, newest + min(self.config.gap_s, wait))
                if not full and now < until:
                    self._cond.wait(timeout=until - now)
                    continue
                batch = self._queue.next_batch(now, max_rows=self._share())
                if batch is None:
                    continue
                self._running.append(batch)
                self._cond.notify()  # another idle worker may take what is left
                QUEUE_TOKENS.labels(self.name).set(self._queue.queued_cost)
                BATCH_SIZE.labels(self.name).observe(len(batch.members))
                BATCH_PADDED_TOKENS.labels(self.name).observe(batch.padded_tokens)
                for entry, _ in batch.members:
                    QUEUE_WAIT.labels(self.name).observe(now - entry.enqueued)
                log.debug(
                    "batch.formed",
                    batcher=self.name,
                    jobs=len(batch.members),
                    requests=len({id(e) for e, _ in batch.members}),
                    padded_tokens=batch.padded_tokens,
                    queued_tokens=self._queue.queued_tokens,
                    waited_ms=round((now - oldest) * 1000, 1),
                )
                return batch
        return None

    def _share(self) -> int:
        """The most rows the next batch may take: with several idle workers, the
        queued rows split evenly among them (one worker's 1-thread batch of 16 leaves
        the other core idle; two batches of 8 use both), else the row budget."""
        idle = len(self.engines) - len(self._running)  # this worker included
        if idle <= 1:
            return self.config.max_batch_items
        share = -(-self._queue.pending_rows // idle)
        return max(1, min(self.config.max_batch_items, share))

    def _count_dropped(self, dropped: list[tuple[Entry, str, int]]) -> None:
        for entry, reason, count in dropped:
            DROPPED.labels(self.name, reason).inc(count)
            log.info("batcher.dropped", batcher=self.name, reason=reason, jobs=count)
            if reason == "expired":
                for future in entry.futures:
                    if not future.done():
                        with contextlib.suppress(InvalidStateError):
                            future.set_exception(
                                DeadlineExceeded(f"{self.name}: the deadline passed in the queue")
                            )

    def _work(self, engine: Engine) -> None:
        while True:
            batch = self._take()
            if batch is None:
                return
            started = time.monotonic()
            try:
                results = engine.generate(
                    batch.texts, batch.spec, _gone_check(batch), _deliver(batch)
                )
            except Exception as exc:
                log.exception("batcher.failed", batcher=self.name, jobs=len(batch.members))
                self._finish(batch, None, exc, started)
            else:
                self._finish(batch, results, None, started)
            with self._cond:
                idle = self._queue.oldest() is None and not self._running
            now = time.monotonic()
            if idle or now - self._trimmed >= TRIM_EVERY_S:
                # The burst is over (or has lasted a while): hand the freed working set
                # back to the OS, so resident memory cannot ratchet up under load.
                self._trimmed = now
                release_free_memory()

    def _finish(
        self,
        batch: Batch,
        results: list[Generated] | None,
        error: BaseException | None,
        started: float,
    ) -> None:
        elapsed = max(1e-6, time.monotonic() - started)
        with self._cond:
            self._running.remove(batch)
            self.batches += 1
            if batch.all_gone(time.monotonic()):
                self.stopped_early += 1
                STOPPED_EARLY.labels(self.name).inc()
            elif results is not None:
                cost = sum(e.jobs[i].cost for e, i in batch.members)
                self.admission.record(cost, elapsed, len(self.engines))
        for position, (entry, index) in enumerate(batch.members):
            future = entry.futures[index]
            if future.done():  # delivered early, or its caller cancelled it
                continue
            try:
                if error is not None:
                    future.set_exception(error)
                elif results is not None:
                    future.set_result(results[position])
            except InvalidStateError:  # the caller cancelled it meanwhile
                pass

    def close(self) -> None:
        """Stop the workers after their running batch; fail what is still queued."""
        with self._cond:
            self._closing = True
            leftover = list(self._queue.entries)
            self._queue.entries = []
            self._cond.notify_all()
        for thread in self._threads:
            thread.join(timeout=60)
        for entry in leftover:
            for future in entry.futures:
                if not future.done():
                    with contextlib.suppress(InvalidStateError):
                        future.set_exception(Unavailable(f"{self.name} shut down"))
