"""The files of a folder run (`newsdesk brief | translate | summarize DIR`): which inputs
a folder holds and which outputs each makes, reading an input, and writing outputs so
that an interrupted run never leaves a half-written one.

- Outputs mirror the input tree under `--out DIR` (default: beside each input);
  `--recursive` walks subfolders.
- Links: a linked file or folder that resolves outside the input folder is skipped and
  counted, unless `--follow-links`; a link loop is walked once.
- Resume: an input whose outputs all exist is done (skipped unless `--force`).
- Each output is written to a temporary file and renamed (the temporary file is
  removed whatever happens).
- An input that cannot be read (gone; not UTF-8, or not in `--encoding`; empty) or
  written is a NewsdeskError of stage `read`/`write`, code FILE_ERROR, reason the errno
  name (ENOENT, EISDIR…), NOT_UTF8, NOT_DECODABLE or EMPTY: that input's failure.
- A write failing with ENOSPC, EDQUOT or EROFS, or an output folder that cannot be made
  or written, is CannotWrite: no other output would fare better, so the run stops.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from newsdesk_client.cli import inputs
from newsdesk_client.errors import NewsdeskError

# Write errors no other output would escape: the run stops at once.
CANNOT_WRITE = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS})


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
    root: Path,
    *,
    recursive: bool,
    exclude: tuple[str, ...],
    follow_links: bool = False,
    kinds: tuple[str, ...] = (".txt",),
) -> tuple[list[Path], int]:
    """The files under `root` whose names end in one of `kinds` (.txt; brief reads
    .html pages too), sorted, leaving out names ending in `exclude`
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
            is_input = entry.name.lower().endswith(kinds) and not entry.name.endswith(exclude)
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
    kinds: tuple[str, ...] = (".txt",),
) -> Plan:
    """Every input under `root` and its outputs: `out` mirrors the tree (the input's
    path with its .txt replaced by each suffix), beside the input without `out`;
    `follow`: follow links leading outside `root` too."""
    sources, skipped = find_inputs(
        root, recursive=recursive, exclude=suffixes, follow_links=follow, kinds=kinds
    )
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
