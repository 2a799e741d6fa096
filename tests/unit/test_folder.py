"""Folder mode's machinery without services: continuous concurrency, resume planning,
Ctrl-C (files in flight finish, nothing new starts), exit codes, atomic writes."""

from __future__ import annotations

import asyncio
import io
import os
import signal
from pathlib import Path

import pytest

from newsdesk_client import folder
from newsdesk_client.errors import NewsdeskError


def items(tmp_path: Path, count: int) -> list[folder.Item]:
    for i in range(count):
        (tmp_path / f"{i:02}.txt").write_text(f"text {i}", encoding="utf-8")
    return folder.plan_items(tmp_path, tmp_path / "out", (".json", ".md"), recursive=False)


def quiet() -> folder.Progress:
    return folder.Progress(0, quiet=True, stream=io.StringIO())


async def test_continuous_concurrency(tmp_path: Path) -> None:
    """N in flight at all times: a slow item does not hold the others back."""
    running = peak = 0
    finished: list[str] = []

    async def work(item: folder.Item) -> str:
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

    async def work(item: folder.Item) -> str:
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
    assert summary.interrupted and summary.exit_code == folder.EXIT_INTERRUPTED
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
    ],
)
def test_exit_codes(done: int, codes: list[str], exit_code: int) -> None:
    summary = folder.Summary(total=done + len(codes), done=done, failed=len(codes))
    summary.unavailable = codes.count("UNAVAILABLE")
    assert summary.exit_code == exit_code


def test_plan_mirrors_the_tree_and_resumes(tmp_path: Path) -> None:
    """Outputs mirror the input tree under --out; an item whose outputs all exist is
    done; the command's own .txt outputs are never inputs."""
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.txt").write_text("x", encoding="utf-8")
    (tmp_path / "top.txt").write_text("t", encoding="utf-8")
    (tmp_path / "top.en.txt").write_text("an output", encoding="utf-8")
    out = tmp_path / "out"
    flat = folder.plan_items(tmp_path, out, (".en.json", ".en.txt"), recursive=False)
    assert [i.name for i in flat] == ["top.txt"]
    deep = folder.plan_items(tmp_path, out, (".en.json", ".en.txt"), recursive=True)
    assert [i.name for i in deep] == ["a/b/x.txt", "top.txt"]
    assert deep[0].outputs == (out / "a/b/x.en.json", out / "a/b/x.en.txt")
    assert not deep[0].done()
    for path in deep[0].outputs:
        folder.write_atomic(path, "{}")
    assert deep[0].done()
    assert not list(out.rglob("*.tmp"))


async def test_failures_file(tmp_path: Path) -> None:
    async def work(item: folder.Item) -> str:
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
    stream = io.StringIO()
    progress = folder.Progress(3, quiet=False, stream=stream, every_s=0.0)
    for ok in (True, False, True):
        progress.update(ok)
    progress.close()
    lines = stream.getvalue().splitlines()
    assert lines[-1].startswith("progress: 3/3 (1 failed)") and "eta" in lines[-1]
    assert "\r" not in stream.getvalue()
