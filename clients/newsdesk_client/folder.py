"""Folder mode of `newsdesk brief | translate | summarize DIR`: thousands of files.

- Continuous concurrency: N files in flight at all times; the next starts as soon as
  one finishes (a slow file holds up no one else).
- Outputs mirror the input tree under `--out DIR` (default: beside each input);
  `--recursive` walks subfolders. Each output is written to a temporary file and
  renamed, so an interrupted run never leaves a half-written output behind.
- Resume: an input whose outputs all exist is skipped unless `--force`.
- Failures: each failed input and its error go to a JSON Lines failures file.
- Progress: a tqdm bar (rate, ETA) when stderr is a terminal; otherwise a plain line
  every few seconds; nothing with `--quiet`.
- Ctrl-C: the files in flight finish, no new one starts, and a summary line says
  what was done (a second Ctrl-C stops at once).

Exit codes (see README): 0 every item done or skipped; 1 some items failed; 3 the
service was unavailable for every item that was tried; 130 interrupted.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from newsdesk_client.errors import NewsdeskError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_UNAVAILABLE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
FAILURES_NAME = "newsdesk-failures.jsonl"


@dataclass(frozen=True)
class Item:
    """One input file and the outputs it makes (`name`: its path below the root)."""

    source: Path
    name: str
    outputs: tuple[Path, ...]

    def done(self) -> bool:
        """True when every output exists (the item is skipped on a resumed run)."""
        return all(p.exists() for p in self.outputs)


def find_inputs(root: Path, *, recursive: bool, exclude: tuple[str, ...]) -> list[Path]:
    """The .txt files under `root` (sorted), leaving out names ending in `exclude`
    (this command's own outputs, when they are written beside the inputs)."""
    pattern = "**/*.txt" if recursive else "*.txt"
    return sorted(p for p in root.glob(pattern) if p.is_file() and not p.name.endswith(exclude))


def plan_items(
    root: Path, out: Path | None, suffixes: tuple[str, ...], *, recursive: bool
) -> list[Item]:
    """Every input under `root` and its outputs: `out` mirrors the tree (the input's
    path with its .txt replaced by each suffix), beside the input without `out`."""
    items = []
    for source in find_inputs(root, recursive=recursive, exclude=suffixes):
        relative = source.relative_to(root)
        base = (out / relative) if out is not None else source
        stem = base.with_suffix("")
        items.append(Item(source, relative.as_posix(), tuple(Path(f"{stem}{s}") for s in suffixes)))
    return items


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


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

    @property
    def not_started(self) -> int:
        """Items left when the run was interrupted."""
        return self.total - self.skipped - self.done - self.failed

    def line(self) -> str:
        """The closing summary line."""
        text = (
            f"done {self.done}, failed {self.failed}, skipped {self.skipped} (already done), "
            f"{self.seconds:.1f}s"
        )
        if self.interrupted:
            text = f"interrupted: {text}, not started {self.not_started}"
        return text

    @property
    def exit_code(self) -> int:
        """0, 1, 3 or 130 (see the module docstring)."""
        if self.interrupted:
            return EXIT_INTERRUPTED
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


async def run(
    items: list[Item],
    work: Callable[[Item], Awaitable[Any]],
    emit: Callable[[Item, Any, NewsdeskError | None], None],
    *,
    concurrency: int,
    progress: Progress,
    skipped: int = 0,
) -> Summary:
    """`work` on every item, `concurrency` in flight at all times; `emit(item, result,
    error)` for each as it finishes (in the event loop's thread). Ctrl-C (SIGINT)
    lets the items in flight finish and starts no more; a second one cancels them."""
    summary = Summary(total=len(items) + skipped, skipped=skipped)
    started = time.monotonic()
    pending: Iterator[Item] = iter(items)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    tasks: set[asyncio.Task[None]] = set()

    def interrupt() -> None:
        if stop.is_set():
            for task in tasks:
                task.cancel()
        stop.set()

    async def worker() -> None:
        while not stop.is_set():
            item = next(pending, None)
            if item is None:
                return
            try:
                result = await work(item)
            except NewsdeskError as err:
                summary.failed += 1
                summary.unavailable += err.code == "UNAVAILABLE"
                summary.failures.append((item.name, err))
                emit(item, None, err)
                progress.update(False)
                continue
            summary.done += 1
            emit(item, result, None)
            progress.update(True)

    installed = False
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        loop.add_signal_handler(signal.SIGINT, interrupt)
        installed = True
    try:
        tasks.update(asyncio.create_task(worker()) for _ in range(max(1, concurrency)))
        results = await asyncio.gather(*tasks, return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
                raise result
    finally:
        if installed:
            loop.remove_signal_handler(signal.SIGINT)
        progress.close()
    summary.interrupted = stop.is_set() and summary.not_started > 0
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
