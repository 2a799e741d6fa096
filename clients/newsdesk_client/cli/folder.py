"""Folder mode of `newsdesk brief | translate | summarize DIR`: thousands of files.

- Continuous concurrency: N files in flight at all times; the next starts as soon as
  one finishes (a slow file holds up no one else).
- Outputs mirror the input tree under `--out DIR` (default: beside each input);
  `--recursive` walks subfolders. Each output is written to a temporary file and
  renamed (the temporary file is removed whatever happens), so an interrupted run
  never leaves a half-written output behind.
- Links: a linked file or folder that resolves outside the input folder is skipped and
  counted in the summary line, unless `--follow-links`; a link loop is walked once.
- Resume: an input whose outputs all exist is skipped unless `--force`.
- Failures: each failed input and its error go to a JSON Lines failures file; an input
  that cannot be read (gone; not UTF-8, or not in `--encoding`; empty) or written is
  stage `read`/`write`, code FILE_ERROR, reason the errno name (ENOENT, EISDIR…),
  NOT_UTF8, NOT_DECODABLE or EMPTY, and the run goes on.
- A service that has gone: after UNAVAILABLE_STOP inputs in a row failed with
  UNAVAILABLE, no new input starts (those in flight finish) and the summary names the
  service and its address (`Summary.service_down`, exit 3); a rerun skips the done ones.
- A run that cannot write at all stops at once with one message: the output folder
  cannot be made, is not a folder or is not writable (checked before anything is
  sent), or a write fails with ENOSPC, EDQUOT or EROFS (no other file would fare better).
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
import errno
import json
import os
import signal
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from newsdesk_client.cli import inputs
from newsdesk_client.errors import NewsdeskError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_UNAVAILABLE = 0, 1, 2, 3
EXIT_CANNOT_WRITE, EXIT_INTERRUPTED = 4, 130
FAILURES_NAME = "newsdesk-failures.jsonl"
# Write errors no other output would escape: the run stops at once.
CANNOT_WRITE = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS})
# Inputs failing with UNAVAILABLE one after another that stop a run: the service has
# gone, and every further input would fail the same way.
UNAVAILABLE_STOP = 5
# The service behind each stage, for the message that names the one that has gone.
SERVICES = {"detect": "detector", "translate": "translator", "summarize": "summarizer"}


class CannotWrite(Exception):
    """The outputs cannot be written at all: the run stops (exit 4)."""


def file_error(
    stage: str, path: Path, exc: OSError | UnicodeDecodeError | inputs.InputError
) -> NewsdeskError:
    """A local failure as a failures-file record: stage `read` or `write`, code
    FILE_ERROR, the reason the errno name (or NOT_UTF8, NOT_DECODABLE, EMPTY)."""
    if isinstance(exc, UnicodeDecodeError):
        exc = inputs.InputError(inputs.not_text_message(str(path), exc), "NOT_UTF8")
    if isinstance(exc, inputs.InputError):
        return NewsdeskError(stage, "FILE_ERROR", str(exc), reason=exc.reason)
    reason = errno.errorcode.get(exc.errno or 0, type(exc).__name__)
    return NewsdeskError(stage, "FILE_ERROR", f"{path}: {exc.strerror or exc}", reason=reason)


@dataclass(frozen=True)
class Item:
    """One input file and the outputs it makes (`name`: its path below the root)."""

    source: Path
    name: str
    outputs: tuple[Path, ...]

    def done(self) -> bool:
        """True when every output exists (the item is skipped on a resumed run)."""
        try:
            return all(p.exists() for p in self.outputs)
        except OSError:  # a folder on the way that cannot be searched: not done
            return False


@dataclass(frozen=True)
class Plan:
    """The inputs of a folder run, and how many links leading outside it were skipped."""

    items: list[Item]
    links_skipped: int = 0


def find_inputs(
    root: Path, *, recursive: bool, exclude: tuple[str, ...], follow_links: bool = False
) -> tuple[list[Path], int]:
    """The .txt files under `root` (sorted), leaving out names ending in `exclude`
    (this command's own outputs, when they are written beside the inputs), and the
    number of links skipped because they resolve outside `root` (all are followed
    with `follow_links`). Each folder is walked once, however many links lead to it (a
    linked folder that leads back into the tree is not walked again); a linked file
    inside the tree is an input of its own name."""
    top = root.resolve()
    found: list[Path] = []
    links = 0
    walked: set[Path] = {top}

    def walk(folder: Path, above: frozenset[Path]) -> None:
        nonlocal links
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            if folder == root:
                raise
            return  # a subfolder that cannot be listed: as glob did, nothing in it
        for entry in entries:
            path = Path(entry.path)
            is_input = entry.name.endswith(".txt") and not entry.name.endswith(exclude)
            with contextlib.suppress(OSError):
                folder_below = recursive and entry.is_dir()
                if not folder_below and not (is_input and entry.is_file()):
                    continue
                real = path.resolve()
                if entry.is_symlink() and not follow_links and not real.is_relative_to(top):
                    links += 1
                elif not folder_below:
                    found.append(path)
                elif real not in above and real not in walked:
                    walked.add(real)
                    walk(path, above | {real})

    walk(root, frozenset({top}))
    return sorted(found), links


def plan_items(
    root: Path,
    out: Path | None,
    suffixes: tuple[str, ...],
    *,
    recursive: bool,
    follow: bool = False,
) -> Plan:
    """Every input under `root` and its outputs: `out` mirrors the tree (the input's
    path with its .txt replaced by each suffix), beside the input without `out`;
    `follow`: follow links leading outside `root` too."""
    sources, skipped = find_inputs(root, recursive=recursive, exclude=suffixes, follow_links=follow)
    items = []
    for source in sources:
        relative = source.relative_to(root)
        base = (out / relative) if out is not None else source
        stem = base.with_suffix("")
        items.append(Item(source, relative.as_posix(), tuple(Path(f"{stem}{s}") for s in suffixes)))
    return Plan(items, skipped)


def read_input(path: Path, encoding: str | None = None) -> str:
    """The text of an input (UTF-8 unless `encoding`, decoded strictly); a NewsdeskError
    (stage `read`) when it cannot be read or decoded, or is empty."""
    try:
        return inputs.read_file(path, str(path), encoding)
    except (OSError, inputs.InputError) as exc:
        raise file_error("read", path, exc) from None


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file and a rename; the temporary file
    is removed whatever stops the write (an error, KeyboardInterrupt)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise


def write_outputs(outputs: list[tuple[Path, str]]) -> None:
    """Write each (path, text) in order: a NewsdeskError (stage `write`) for this
    input, or CannotWrite when no output could be written (ENOSPC, EDQUOT, EROFS)."""
    for path, text in outputs:
        try:
            write_atomic(path, text)
        except OSError as exc:
            error = file_error("write", path, exc)
            if exc.errno in CANNOT_WRITE:
                raise CannotWrite(
                    f"cannot write outputs: {error.message} ({error.reason}); stopped, nothing "
                    "more was started: make room (or make it writable) and run again, done "
                    "inputs are skipped"
                ) from None
            raise error from None


def check_writable(folder: Path) -> None:
    """CannotWrite unless `folder` exists or can be made and a file written in it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".newsdesk-probe-") as probe:
            probe.write(b"x")
            probe.flush()
    except OSError as exc:
        blocker = next((p for p in (folder, *folder.parents) if p.is_file()), None)
        why = f"{blocker} is a file, not a folder" if blocker else str(exc.strerror or exc)
        raise CannotWrite(f"cannot write outputs to {folder}: {why}") from None


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


async def run(
    items: list[Item],
    work: Callable[[Item, str], Awaitable[Any]],
    emit: Callable[[Item, Any, NewsdeskError | None], None],
    *,
    concurrency: int,
    progress: Progress,
    outputs: Callable[[Item, Any], list[tuple[Path, str]]] | None = None,
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
    started = time.monotonic()
    pending: Iterator[Item] = iter(items)
    stop = asyncio.Event()
    signalled = False
    loop = asyncio.get_running_loop()
    tasks: set[asyncio.Task[None]] = set()
    unavailable_in_a_row = 0

    def count_unavailable(err: NewsdeskError | None) -> None:
        # A service's answer (a result or another error) shows it is there; a local
        # read or write failure says nothing either way.
        nonlocal unavailable_in_a_row
        if err is not None and err.code == "FILE_ERROR":
            return
        if err is None or err.code != "UNAVAILABLE":
            unavailable_in_a_row = 0
            return
        unavailable_in_a_row += 1
        if unavailable_in_a_row >= UNAVAILABLE_STOP and not summary.service_down:
            service = SERVICES.get(err.stage, f"{err.stage} service")
            where = f" at {err.address}" if err.address else ""
            summary.service_down = (
                f"the {service}{where} is unavailable ({unavailable_in_a_row} inputs in a "
                "row failed with UNAVAILABLE)"
            )
            stop.set()

    def interrupt() -> None:
        nonlocal signalled
        if stop.is_set():
            for task in tasks:
                task.cancel()
        signalled = True
        stop.set()

    async def worker() -> None:
        while not stop.is_set():
            item = next(pending, None)
            if item is None:
                return
            try:
                text = await asyncio.to_thread(read_input, item.source, encoding)
                result = await work(item, text)
                if outputs is not None:
                    write_outputs(outputs(item, result))
            except NewsdeskError as err:
                summary.failed += 1
                summary.unavailable += err.code == "UNAVAILABLE"
                count_unavailable(err)
                summary.failures.append((item.name, err))
                emit(item, None, err)
                progress.update(False)
                continue
            except CannotWrite as exc:
                # One message for the run (the caller prints it), not one per item; this
                # item and those in flight (cancelled) count as not started.
                summary.cannot_write = str(exc)
                stop.set()
                for task in tasks:
                    if task is not asyncio.current_task():
                        task.cancel()
                return
            summary.done += 1
            count_unavailable(None)
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
    summary.interrupted = signalled and summary.not_started > 0
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
