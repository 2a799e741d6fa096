"""Folder mode of `newsdesk brief | translate | summarize DIR`: thousands of files
(which files, and how outputs are written: tree.py).

- Continuous concurrency: N files in flight at all times; the next starts as soon as
  one finishes (a slow file holds up no one else).
- Failures: each failed input and its error go to a JSON Lines failures file, and the
  run goes on (a file that cannot be read or written is its input's failure).
- A service that has gone: after UNAVAILABLE_STOP inputs in a row failed with
  UNAVAILABLE, no new input starts (those in flight finish) and the summary names the
  service and its address (`Summary.service_down`, exit 3); a rerun skips the done ones.
- A run that cannot write at all stops at once with one message: the output folder
  cannot be made, is not a folder or is not writable (checked before anything is
  sent), or a write fails with ENOSPC, EDQUOT or EROFS (tree.CannotWrite).
- Progress: a tqdm bar (rate, ETA) when stderr is a terminal; otherwise a plain line
  every few seconds; nothing with `--quiet`.
- Ctrl-C: the files in flight finish, no new one starts, and a summary line says
  what was done (a second Ctrl-C stops at once).

Exit codes (see README): 0 every item done or skipped; 1 some items failed; 3 the
service was unavailable for every item that was tried, or the run stopped because a
service was unavailable for UNAVAILABLE_STOP items in a row; 4 the outputs cannot be
written (the message says where and why); 130 interrupted.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from newsdesk_client.cli.common import (
    EXIT_CANNOT_WRITE,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_UNAVAILABLE,
)
from newsdesk_client.cli.tree import CannotWrite, Item, read_input, write_atomic, write_outputs
from newsdesk_client.errors import NewsdeskError

FAILURES_NAME = "newsdesk-failures.jsonl"
# Inputs failing with UNAVAILABLE one after another that stop a run: the service has
# gone, and every further input would fail the same way.
UNAVAILABLE_STOP = 5
# The service behind each stage, for the message that names the one that has gone.
SERVICES = {"detect": "detector", "translate": "translator", "summarize": "summarizer"}


class Progress:
    """A tqdm bar on a terminal, a line every `every_s` seconds otherwise, or nothing."""

    def __init__(
        self, total: int, *, quiet: bool, stream: TextIO | None = None, every_s: float = 5.0
    ) -> None:
        self.stream = stream or sys.stderr
        self.total, self.quiet, self.every_s = total, quiet, every_s
        self.done = self.failed = 0
        self.started = self.last = time.monotonic()
        self.bar: Any = None
        if not quiet and self.stream.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, file=self.stream, unit="file", dynamic_ncols=True)

    def update(self, ok: bool) -> None:
        """Count one finished item."""
        self.done += 1
        self.failed += not ok
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix(failed=self.failed, refresh=False)
            return
        now = time.monotonic()
        if not self.quiet and (now - self.last >= self.every_s or self.done == self.total):
            self.last = now
            rate = self.done / max(now - self.started, 1e-9)
            eta = (self.total - self.done) / rate if rate else 0.0
            print(
                f"progress: {self.done}/{self.total} ({self.failed} failed), "
                f"{rate:.1f} files/s, eta {eta:.0f}s",
                file=self.stream,
                flush=True,
            )

    def close(self) -> None:
        """Finish the bar."""
        if self.bar is not None:
            self.bar.close()


@dataclass
class Summary:
    """What a folder run did."""

    total: int = 0
    skipped: int = 0
    done: int = 0
    failed: int = 0
    unavailable: int = 0
    interrupted: bool = False
    seconds: float = 0.0
    failures: list[tuple[str, NewsdeskError]] = field(default_factory=list)
    links_skipped: int = 0
    # Why the run stopped early because nothing could be written (empty: it did not).
    cannot_write: str = ""
    # Which service was unavailable for UNAVAILABLE_STOP items in a row, stopping the
    # run (empty: none was).
    service_down: str = ""

    @property
    def not_started(self) -> int:
        """Items left when the run was interrupted or stopped."""
        return self.total - self.skipped - self.done - self.failed

    def line(self) -> str:
        """The closing summary line."""
        text = f"done {self.done}, failed {self.failed}, skipped {self.skipped} (already done)"
        if self.links_skipped:
            text += (
                f", skipped {self.links_skipped} (links leading outside the folder; "
                "--follow-links follows them)"
            )
        text += f", {self.seconds:.1f}s"
        if self.cannot_write or self.service_down:
            text = f"stopped: {text}, not started {self.not_started}"
        elif self.interrupted:
            text = f"interrupted: {text}, not started {self.not_started}"
        return text

    @property
    def exit_code(self) -> int:
        """0, 1, 3, 4 or 130 (see the module docstring)."""
        if self.cannot_write:
            return EXIT_CANNOT_WRITE
        if self.interrupted:
            return EXIT_INTERRUPTED
        if self.service_down:
            return EXIT_UNAVAILABLE
        if self.failed and self.failed == self.unavailable and not self.done:
            return EXIT_UNAVAILABLE
        return EXIT_FAILED if self.failed else EXIT_OK


def error_record(name: str, error: NewsdeskError) -> dict[str, str]:
    """One line of the failures file."""
    return {
        "input": name,
        "stage": error.stage,
        "code": error.code,
        "reason": error.reason,
        "message": error.message,
    }


Work = Callable[[Item, str], Awaitable[Any]]
Emit = Callable[[Item, Any, NewsdeskError | None], None]
Outputs = Callable[[Item, Any], list[tuple[Path, str]]]


class _Run:
    """One folder run in progress: the items not started, the workers, and when to
    stop (Ctrl-C, a service gone, outputs that cannot be written)."""

    def __init__(
        self,
        items: list[Item],
        work: Work,
        emit: Emit,
        summary: Summary,
        progress: Progress,
        outputs: Outputs | None,
        encoding: str | None,
    ) -> None:
        self.pending: Iterator[Item] = iter(items)
        self.work, self.emit, self.outputs, self.encoding = work, emit, outputs, encoding
        self.summary, self.progress = summary, progress
        self.stop = asyncio.Event()
        self.signalled = False
        self.tasks: set[asyncio.Task[None]] = set()
        self.unavailable_in_a_row = 0

    def count_unavailable(self, err: NewsdeskError | None) -> None:
        """Count UNAVAILABLE in a row; at UNAVAILABLE_STOP the service has gone."""
        # A service's answer (a result or another error) shows it is there; a local
        # read or write failure says nothing either way.
        if err is not None and err.code == "FILE_ERROR":
            return
        if err is None or err.code != "UNAVAILABLE":
            self.unavailable_in_a_row = 0
            return
        self.unavailable_in_a_row += 1
        if self.unavailable_in_a_row >= UNAVAILABLE_STOP and not self.summary.service_down:
            service = SERVICES.get(err.stage, f"{err.stage} service")
            where = f" at {err.address}" if err.address else ""
            self.summary.service_down = (
                f"the {service}{where} is unavailable ({self.unavailable_in_a_row} inputs "
                "in a row failed with UNAVAILABLE)"
            )
            self.stop.set()

    def interrupt(self) -> None:
        """Ctrl-C: start no more; the second one cancels the items in flight."""
        if self.stop.is_set():
            for task in self.tasks:
                task.cancel()
        self.signalled = True
        self.stop.set()

    def failed(self, item: Item, err: NewsdeskError) -> None:
        """One item failed: counted, recorded, emitted."""
        self.summary.failed += 1
        self.summary.unavailable += err.code == "UNAVAILABLE"
        self.count_unavailable(err)
        self.summary.failures.append((item.name, err))
        self.emit(item, None, err)
        self.progress.update(False)

    def cannot_write(self, exc: CannotWrite) -> None:
        """Nothing can be written: one message for the run (the caller prints it), not
        one per item; this item and those in flight (cancelled) count as not started."""
        self.summary.cannot_write = str(exc)
        self.stop.set()
        for task in self.tasks:
            if task is not asyncio.current_task():
                task.cancel()

    async def worker(self) -> None:
        """Take the next item until none is left or the run stops."""
        while not self.stop.is_set():
            item = next(self.pending, None)
            if item is None:
                return
            try:
                text = await asyncio.to_thread(read_input, item.source, self.encoding)
                result = await self.work(item, text)
                if self.outputs is not None:
                    write_outputs(self.outputs(item, result))
            except NewsdeskError as err:
                self.failed(item, err)
                continue
            except CannotWrite as exc:
                self.cannot_write(exc)
                return
            self.summary.done += 1
            self.count_unavailable(None)
            self.emit(item, result, None)
            self.progress.update(True)


async def run(
    items: list[Item],
    work: Work,
    emit: Emit,
    *,
    concurrency: int,
    progress: Progress,
    outputs: Outputs | None = None,
    skipped: int = 0,
    links_skipped: int = 0,
    encoding: str | None = None,
) -> Summary:
    """Read each item (UTF-8 unless `encoding`), `work(item, text)`, write
    `outputs(item, result)` (each (path, text) in order; None: nothing is written),
    `concurrency` items in flight at all times; `emit(item, result, error)` for each as
    it finishes (in the event loop's thread). A read or write failure is that item's
    failure; CannotWrite stops the run at once (`Summary.cannot_write`); UNAVAILABLE_STOP
    items in a row failing with UNAVAILABLE start no more (`Summary.service_down`).
    Ctrl-C (SIGINT) lets the items in flight finish and starts no more; a second one
    cancels them."""
    summary = Summary(total=len(items) + skipped, skipped=skipped, links_skipped=links_skipped)
    state = _Run(items, work, emit, summary, progress, outputs, encoding)
    started = time.monotonic()
    loop = asyncio.get_running_loop()
    installed = False
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        loop.add_signal_handler(signal.SIGINT, state.interrupt)
        installed = True
    try:
        state.tasks.update(asyncio.create_task(state.worker()) for _ in range(max(1, concurrency)))
        results = await asyncio.gather(*state.tasks, return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
                raise result
    finally:
        if installed:
            loop.remove_signal_handler(signal.SIGINT)
        progress.close()
    summary.interrupted = state.signalled and summary.not_started > 0
    summary.seconds = time.monotonic() - started
    return summary


def write_failures(path: Path, summary: Summary) -> None:
    """The failures file: one JSON object per failed input (removed when none failed)."""
    if not summary.failures:
        path.unlink(missing_ok=True)
        return
    write_atomic(
        path,
        "".join(
            json.dumps(error_record(name, err), ensure_ascii=False) + "\n"
            for name, err in summary.failures
        ),
    )
