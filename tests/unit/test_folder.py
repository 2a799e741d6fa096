"""Folder mode's machinery without services: continuous concurrency, resume planning,
Ctrl-C (files in flight finish, nothing new starts), exit codes, atomic writes, local
read and write failures (one input's, or the whole run's: not text, empty, --encoding),
a service gone (UNAVAILABLE in a row stops the run), links leaving the tree."""

from __future__ import annotations

import asyncio
import errno
import io
import json
import os
import signal
from pathlib import Path

import pytest

from newsdesk_client.cli import common, folder, tree
from newsdesk_client.errors import NewsdeskError


def items(tmp_path: Path, count: int) -> list[tree.Item]:
    for i in range(count):
        (tmp_path / f"{i:02}.txt").write_text(f"text {i}", encoding="utf-8")
    plan = tree.plan_items(tmp_path, tmp_path / "out", (".json", ".md"), recursive=False)
    return plan.items


def quiet() -> folder.Progress:
    return folder.Progress(0, quiet=True, stream=io.StringIO())


async def test_continuous_concurrency(tmp_path: Path) -> None:
    """N in flight at all times: a slow item does not hold the others back."""
    running = peak = 0
    finished: list[str] = []

    async def work(item: tree.Item, text: str) -> str:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.5 if item.name == "00.txt" else 0.01)
        running -= 1
        return item.name

    def emit(item, result, error) -> None:
        finished.append(item.name)

    summary = await folder.run(items(tmp_path, 12), work, emit, concurrency=3, progress=quiet())
    assert summary.done == 12 and summary.exit_code == 0
    assert peak == 3
    assert finished[-1] == "00.txt"  # the slow one finished last, the rest went past it


async def test_ctrl_c_finishes_in_flight_then_stops(tmp_path: Path) -> None:
    """SIGINT: the items in flight finish and are emitted, nothing new starts, and
    the summary says interrupted (exit 130)."""
    started: list[str] = []
    emitted: list[str] = []

    async def work(item: tree.Item, text: str) -> str:
        started.append(item.name)
        if len(started) == 2:
            os.kill(os.getpid(), signal.SIGINT)
        await asyncio.sleep(0.2)
        return item.name

    summary = await folder.run(
        items(tmp_path, 10),
        work,
        lambda item, result, error: emitted.append(item.name),
        concurrency=2,
        progress=quiet(),
    )
    assert summary.interrupted and summary.exit_code == common.EXIT_INTERRUPTED
    assert emitted == started and summary.done == len(started) < 10
    assert summary.not_started == 10 - len(started)
    assert "interrupted" in summary.line()


@pytest.mark.parametrize(
    ("done", "codes", "exit_code"),
    [
        (3, [], 0),
        (2, ["INVALID_ARGUMENT"], 1),
        (0, ["UNAVAILABLE", "UNAVAILABLE"], 3),
        (1, ["UNAVAILABLE"], 1),  # something got through: not "unavailable for every item"
        (0, ["UNAVAILABLE", "INVALID_ARGUMENT"], 1),  # mixed errors: 1
        (2, ["FILE_ERROR"], 1),  # an input that could not be read or written
    ],
)
def test_exit_codes(done: int, codes: list[str], exit_code: int) -> None:
    """0 all done, 1 some failed, 3 unavailable for every item tried."""
    summary = folder.Summary(total=done + len(codes), done=done, failed=len(codes))
    summary.unavailable = codes.count("UNAVAILABLE")
    assert summary.exit_code == exit_code
    summary.cannot_write = "cannot write outputs: …"
    assert summary.exit_code == common.EXIT_CANNOT_WRITE == 4


def test_plan_mirrors_the_tree_and_resumes(tmp_path: Path) -> None:
    """Outputs mirror the input tree under --out; an item whose outputs all exist is
    done; the command's own .txt outputs are never inputs."""
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.txt").write_text("x", encoding="utf-8")
    (tmp_path / "top.txt").write_text("t", encoding="utf-8")
    (tmp_path / "top.en.txt").write_text("an output", encoding="utf-8")
    out = tmp_path / "out"
    flat = tree.plan_items(tmp_path, out, (".en.json", ".en.txt"), recursive=False).items
    assert [i.name for i in flat] == ["top.txt"]
    deep = tree.plan_items(tmp_path, out, (".en.json", ".en.txt"), recursive=True).items
    assert [i.name for i in deep] == ["a/b/x.txt", "top.txt"]
    assert deep[0].outputs == (out / "a/b/x.en.json", out / "a/b/x.en.txt")
    assert not deep[0].done()
    for path in deep[0].outputs:
        tree.write_atomic(path, "{}")
    assert deep[0].done()
    assert not list(out.rglob("*.tmp"))


async def test_failures_file(tmp_path: Path) -> None:
    """One line per failed input; the file is removed by a run with no failures."""

    async def work(item: tree.Item, text: str) -> str:
        if item.name == "01.txt":
            raise NewsdeskError("translate", "INVALID_ARGUMENT", "bad", reason="EMPTY")
        return item.name

    summary = await folder.run(
        items(tmp_path, 3), work, lambda *a: None, concurrency=2, progress=quiet()
    )
    path = tmp_path / "failures.jsonl"
    folder.write_failures(path, summary)
    assert path.read_text(encoding="utf-8").count("\n") == 1
    assert '"input": "01.txt"' in path.read_text(encoding="utf-8")
    folder.write_failures(path, folder.Summary())
    assert not path.exists()


def test_progress_lines_when_not_a_terminal() -> None:
    """Without a terminal: plain progress lines with rate and ETA, no carriage returns."""
    stream = io.StringIO()
    progress = folder.Progress(3, quiet=False, stream=stream, every_s=0.0)
    for ok in (True, False, True):
        progress.update(ok)
    progress.close()
    lines = stream.getvalue().splitlines()
    assert lines[-1].startswith("progress: 3/3 (1 failed)") and "eta" in lines[-1]
    assert "\r" not in stream.getvalue()


async def echo(item: tree.Item, text: str) -> str:
    return text


def outputs(item: tree.Item, result: str) -> list[tuple[Path, str]]:
    return [(item.outputs[1], result), (item.outputs[0], json.dumps({"text": result}))]


def temporaries(tmp_path: Path) -> list[Path]:
    return [p for p in tmp_path.rglob("*.tmp")]


@pytest.mark.parametrize("concurrency", [1, 3])
async def test_a_file_removed_mid_run_fails_alone(tmp_path: Path, concurrency: int) -> None:
    """An input gone before it is read is a read failure (ENOENT) of that input alone:
    every other input is done, and its error is in the failures file."""
    todo = items(tmp_path, 5)

    async def work(item: tree.Item, text: str) -> str:
        if item.name == "00.txt":
            (tmp_path / "04.txt").unlink()  # not read yet, whatever the concurrency
        await asyncio.sleep(0.01)
        return text

    summary = await folder.run(
        todo, work, lambda *a: None, concurrency=concurrency, progress=quiet(), outputs=outputs
    )
    assert (summary.done, summary.failed, summary.exit_code) == (4, 1, common.EXIT_FAILED)
    name, error = summary.failures[0]
    assert (name, error.stage, error.code) == ("04.txt", "read", "FILE_ERROR")
    assert error.reason == "ENOENT" and "04.txt" in error.message
    folder.write_failures(tmp_path / "failures.jsonl", summary)
    record = json.loads((tmp_path / "failures.jsonl").read_text(encoding="utf-8"))
    assert record["input"] == "04.txt" and record["reason"] == "ENOENT"


async def test_a_file_not_utf8_is_a_read_failure(tmp_path: Path) -> None:
    """A cp1251 input fails alone (NOT_UTF8), cp1251 and the ways out named, never sent."""
    todo = items(tmp_path, 3)
    todo[1].source.write_bytes("Привіт, світ".encode("cp1251"))
    errors: list[NewsdeskError] = []
    summary = await folder.run(
        todo, echo, lambda i, r, e: errors.append(e) if e else None, concurrency=2, progress=quiet()
    )
    assert summary.done == 2 and summary.failed == 1
    assert errors[0].stage == "read" and errors[0].reason == "NOT_UTF8"
    message = str(errors[0])
    assert "01.txt is not UTF-8 text" in message and "cp1251" in message and "iconv" in message


async def test_encoding_decodes_every_input(tmp_path: Path) -> None:
    """`encoding` decodes every input (else NOT_DECODABLE); the default stays strict UTF-8."""
    todo = items(tmp_path, 2)
    for item in todo:
        item.source.write_bytes("Привіт, світ".encode("cp1251"))
    texts: list[str] = []

    async def keep(item: tree.Item, text: str) -> str:
        texts.append(text)
        return text

    summary = await folder.run(
        todo, keep, lambda *a: None, concurrency=1, progress=quiet(), encoding="cp1251"
    )
    assert summary.done == 2 and texts == ["Привіт, світ"] * 2
    todo[0].source.write_bytes(b"\xff\xfe\x00")  # not ASCII: undecodable as ASCII
    summary = await folder.run(
        todo, echo, lambda *a: None, concurrency=1, progress=quiet(), encoding="ascii"
    )
    (name, error), _ = summary.failures
    assert (name, error.reason) == ("00.txt", "NOT_DECODABLE") and "is not ascii text" in str(error)
    summary = await folder.run(todo, echo, lambda *a: None, concurrency=1, progress=quiet())
    assert summary.failed == 2 and {e.reason for _, e in summary.failures} == {"NOT_UTF8"}


async def test_an_empty_file_is_a_read_failure_naming_it(tmp_path: Path) -> None:
    """An empty or blank input fails alone (read, EMPTY), the message naming the file."""
    todo = items(tmp_path, 3)
    todo[0].source.write_bytes(b"")
    todo[2].source.write_text("  \n\n ", encoding="utf-8")
    summary = await folder.run(todo, echo, lambda *a: None, concurrency=2, progress=quiet())
    assert summary.done == 1 and summary.failed == 2
    by_name = dict(summary.failures)
    assert {e.reason for e in by_name.values()} == {"EMPTY"}
    assert str(by_name["00.txt"]).endswith("00.txt: the file is empty")
    assert "02.txt: the file is empty (only whitespace)" in str(by_name["02.txt"])


def unavailable(stage: str = "translate") -> NewsdeskError:
    return NewsdeskError(stage, "UNAVAILABLE", "connection refused", address="127.0.0.1:1")


@pytest.mark.parametrize("concurrency", [1, 4, 8])
async def test_a_service_gone_stops_the_run(tmp_path: Path, concurrency: int) -> None:
    """UNAVAILABLE_STOP UNAVAILABLE in a row: no new input, service named, exit 3."""
    started: list[str] = []

    async def work(item: tree.Item, text: str) -> str:
        started.append(item.name)
        if item.name >= "03.txt":  # the service goes away after three inputs
            await asyncio.sleep(0.01)
            raise unavailable()
        return text

    summary = await folder.run(
        items(tmp_path, 40), work, lambda *a: None, concurrency=concurrency, progress=quiet()
    )
    assert summary.done == 3 and summary.exit_code == common.EXIT_UNAVAILABLE == 3
    assert summary.failed == len(started) - 3 < folder.UNAVAILABLE_STOP + concurrency
    assert summary.not_started == 40 - len(started) > 0
    assert summary.service_down.startswith("the translator at 127.0.0.1:1 is unavailable")
    assert summary.line().startswith("stopped: done 3,") and "not started" in summary.line()


async def test_other_answers_break_an_unavailable_streak(tmp_path: Path) -> None:
    """UNAVAILABLE alternating with results (a flapping replica) does not stop the run."""

    async def work(item: tree.Item, text: str) -> str:
        if int(item.name[:2]) % 2:
            raise unavailable("summarize")
        return text

    summary = await folder.run(
        items(tmp_path, 20), work, lambda *a: None, concurrency=1, progress=quiet()
    )
    assert (summary.done, summary.failed, summary.service_down) == (10, 10, "")
    assert summary.exit_code == common.EXIT_FAILED


async def test_a_write_failure_of_one_input_goes_on(tmp_path: Path) -> None:
    """An output that cannot be written (its path is a folder: EISDIR) fails that input
    (stage write) and the run goes on; no temporary file is left."""
    todo = items(tmp_path, 4)
    todo[2].outputs[0].mkdir(parents=True)  # 02.json is a folder
    summary = await folder.run(
        todo, echo, lambda *a: None, concurrency=2, progress=quiet(), outputs=outputs
    )
    assert (summary.done, summary.failed, summary.exit_code) == (3, 1, common.EXIT_FAILED)
    name, error = summary.failures[0]
    assert (name, error.stage, error.reason) == ("02.txt", "write", "EISDIR")
    assert "02.json" in error.message
    assert all(item.done() for i, item in enumerate(todo) if i != 2)
    assert not temporaries(tmp_path)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS], ids=["ENOSPC", "EROFS"])
async def test_a_full_disk_stops_the_run_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    """A write failing with ENOSPC or EROFS stops the run at once: nothing new starts,
    the ones in flight are cancelled, the half-written temporary file is removed, and
    the summary says stopped (exit 4) with one message naming the error."""
    todo = items(tmp_path, 20)
    started: list[str] = []
    real_write = Path.write_text

    def full(self: Path, text: str, *args, **kwargs) -> int:
        real_write(self, text[:2], *args, **kwargs)  # a partial write, then the error
        raise OSError(code, os.strerror(code), str(self))

    async def work(item: tree.Item, text: str) -> str:
        started.append(item.name)
        await asyncio.sleep(0.01 if item.name == "00.txt" else 5)
        return text

    monkeypatch.setattr(Path, "write_text", full)
    emitted: list[str] = []
    summary = await asyncio.wait_for(
        folder.run(
            todo,
            work,
            lambda item, r, e: emitted.append(item.name),
            concurrency=4,
            progress=quiet(),
            outputs=outputs,
        ),
        timeout=3,
    )
    monkeypatch.undo()
    assert summary.exit_code == common.EXIT_CANNOT_WRITE and not summary.interrupted
    assert errno.errorcode[code] in summary.cannot_write and "00.md" in summary.cannot_write
    assert len(started) == 4 and not emitted and not summary.failures
    assert summary.not_started == 20 and summary.line().startswith("stopped: done 0")
    assert not temporaries(tmp_path) and not list((tmp_path / "out").rglob("*.md"))


def test_temporary_file_removed_when_a_write_is_interrupted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """write_atomic removes its temporary file when the rename fails or Ctrl-C lands
    in the middle (KeyboardInterrupt), and leaves any earlier output untouched."""
    target = tmp_path / "out" / "a.json"
    tree.write_atomic(target, "old")
    for failure in (OSError(errno.EFBIG, "File too large"), KeyboardInterrupt()):

        def replace(src: object, dst: object, failure: BaseException = failure) -> None:
            raise failure

        monkeypatch.setattr(os, "replace", replace)
        with pytest.raises(type(failure)):
            tree.write_atomic(target, "new")
        monkeypatch.undo()
        assert not temporaries(tmp_path) and target.read_text(encoding="utf-8") == "old"


def test_an_output_folder_that_cannot_be_written_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """check_writable: an output folder under a regular file, or that is one, or on a
    read-only file system, is CannotWrite with a message saying which and why; a
    writable one is created and left without a probe file."""
    regular = tmp_path / "notadir"
    regular.write_text("x", encoding="utf-8")
    for target in (regular / "o", regular):
        with pytest.raises(tree.CannotWrite, match=f"{regular} is a file, not a folder"):
            tree.check_writable(target)

    def read_only(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(tree.tempfile, "NamedTemporaryFile", read_only)
    with pytest.raises(tree.CannotWrite, match="Read-only file system"):
        tree.check_writable(tmp_path / "ro")
    monkeypatch.undo()
    tree.check_writable(tmp_path / "new" / "out")
    assert (tmp_path / "new" / "out").is_dir() and not any((tmp_path / "new" / "out").iterdir())


def test_links_leading_outside_the_tree_are_skipped(tmp_path: Path) -> None:
    """A linked file or folder resolving outside the root is skipped and counted (the
    summary line says so) unless follow_links; links inside the tree are kept, and a
    link back up the tree is not walked again."""
    root, outside = tmp_path / "in", tmp_path / "outside"
    (root / "sub").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.txt").write_text("secret", encoding="utf-8")
    (outside / "deep.txt").write_text("deep", encoding="utf-8")
    (root / "a.txt").write_text("a", encoding="utf-8")
    (root / "sub" / "b.txt").write_text("b", encoding="utf-8")
    (root / "secret.txt").symlink_to(outside / "secret.txt")
    (root / "away").symlink_to(outside, target_is_directory=True)
    (root / "alias.txt").symlink_to(root / "a.txt")  # inside: kept
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)  # inside, a loop
    plan = tree.plan_items(root, None, (".json",), recursive=True)
    assert [i.name for i in plan.items] == ["a.txt", "alias.txt", "sub/b.txt"]
    assert plan.links_skipped == 2
    flat = tree.plan_items(root, None, (".json",), recursive=False)
    assert [i.name for i in flat.items] == ["a.txt", "alias.txt"] and flat.links_skipped == 1
    followed = tree.plan_items(root, None, (".json",), recursive=True, follow=True)
    names = [i.name for i in followed.items]
    assert names == [
        "a.txt",
        "alias.txt",
        "away/deep.txt",
        "away/secret.txt",
        "secret.txt",
        "sub/b.txt",
    ]
    assert followed.links_skipped == 0
    summary = folder.Summary(total=3, done=3, links_skipped=2)
    assert "skipped 2 (links leading outside the folder" in summary.line()
    assert summary.exit_code == 0


def test_a_linked_folder_inside_the_tree_is_walked_once(tmp_path: Path) -> None:
    """A link to a folder that is also in the tree leads to the same inputs: the folder
    is walked once, its files not sent twice under two output names."""
    from newsdesk_client.cli.tree import find_inputs

    root = tmp_path / "in"
    (root / "real").mkdir(parents=True)
    (root / "real" / "a.txt").write_text("Текст.", encoding="utf-8")
    (root / "zlink").symlink_to(root / "real", target_is_directory=True)
    found, skipped = find_inputs(root, recursive=True, exclude=())
    assert [p.resolve() for p in found] == [(root / "real" / "a.txt").resolve()]
    assert skipped == 0
