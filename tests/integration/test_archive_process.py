"""The archive as a real process (`python -m services.archive`, as `newsdesk serve` and
the containers run it), on SQLite and on PostgreSQL: a killed service (SIGKILL, no drain)
loses no item whose AddItems call had returned; concurrent writers and readers lose and
corrupt nothing; a bad storage URL stops the start with the reason named."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys

import pytest

from newsdesk_client import ArchiveItem, AsyncNewsdeskClient, ClientConfig
from services.tools.local import LocalStack, ServiceFailed


def start(url: str, log_dir) -> LocalStack:
    stack = LocalStack({"archive": 0}, {"NEWSDESK_ARCHIVE_URL": url, "NEWSDESK_LOG_FORMAT": "json"},
                       log_dir=log_dir)  # fmt: skip
    stack.start_only(("archive",), timeout=60)
    return stack


def client(stack: LocalStack) -> AsyncNewsdeskClient:
    return AsyncNewsdeskClient(ClientConfig(archive=stack.address("archive"), archive_timeout=20))


def story(i: int) -> ArchiveItem:
    return ArchiveItem(
        english_text=f"Report {i}: the council in Lviv voted on budget line {i}. "
        f"Officials said the vote on line {i} was final.",
        published_date=f"2021-{1 + i % 12:02d}-{1 + i % 28:02d}",
        source="Desk",
    )


async def _write_until_killed(stack: LocalStack) -> dict[int, str]:
    """4 writers add items one by one while the service is SIGKILLed under them (no
    drain): every item whose AddItems call returned, by id."""
    acknowledged: dict[int, str] = {}
    proc = stack.processes["archive"]

    async def writer(c: AsyncNewsdeskClient, w: int) -> None:
        n = 0
        while proc.poll() is None:
            text = story(w * 10_000 + n)
            try:
                (item,) = await c.archive.add([text])
            except Exception:  # the kill: calls in flight fail, none is acknowledged
                return
            acknowledged[item.id] = text.english_text
            n += 1

    async with client(stack) as c:
        tasks = [asyncio.create_task(writer(c, w)) for w in range(4)]
        await asyncio.sleep(1.5)
        proc.send_signal(signal.SIGKILL)
        await asyncio.gather(*tasks)
    assert proc.wait(timeout=30) == -signal.SIGKILL
    return acknowledged


async def _read_back(stack: LocalStack, ids: list[int]) -> list[str]:
    async with client(stack) as c:
        return [(await c.archive.get(i)).english_text for i in ids]


def test_killed_service_loses_no_committed_item(archive_url, tmp_path) -> None:
    """SIGKILL while writers are adding: after a restart every acknowledged item is
    there, text and all."""
    stack = start(archive_url, tmp_path / "logs")
    try:
        acknowledged = asyncio.run(_write_until_killed(stack))
    finally:
        stack.stop()
    assert len(acknowledged) > 10
    again = start(archive_url, tmp_path / "logs2")
    try:
        ids = sorted(acknowledged)
        texts = asyncio.run(_read_back(again, ids))
    finally:
        codes = again.stop()
    assert texts == [acknowledged[i] for i in ids]
    assert codes == {"archive": 0}


async def _soak(stack: LocalStack, seconds: float) -> tuple[list[int], int, int]:
    """8 writers and 8 readers for `seconds`: the ids written, reads done, read errors."""
    written: list[int] = []
    reads = errors = 0
    stop = asyncio.Event()
    async with client(stack) as c:

        async def writer(w: int) -> None:
            n = 0
            while not stop.is_set():
                (item,) = await c.archive.add([story(w * 10_000 + n)])
                written.append(item.id)
                n += 1

        async def reader() -> None:
            nonlocal reads, errors
            while not stop.is_set():
                try:
                    await c.archive.search("council Lviv budget", limit=5)
                    if written:
                        await c.archive.get(written[-1])
                    reads += 1
                except Exception:
                    errors += 1

        tasks = [asyncio.create_task(writer(w)) for w in range(8)]
        tasks += [asyncio.create_task(reader()) for _ in range(8)]
        await asyncio.sleep(seconds)
        stop.set()
        await asyncio.gather(*tasks)
        info = await c.archive.info()
        missing = 0
        for item_id in written:
            try:
                await c.archive.get(item_id)
            except Exception:
                missing += 1
    assert info.item_count == len(written)
    return written, reads, errors + missing


def test_concurrent_writers_and_readers_lose_nothing(archive_url, tmp_path) -> None:
    stack = start(archive_url, tmp_path / "logs")
    try:
        written, reads, errors = asyncio.run(_soak(stack, 4.0))
    finally:
        codes = stack.stop()
    assert written and reads and errors == 0
    assert len(set(written)) == len(written)
    assert codes == {"archive": 0}
    if archive_url.startswith("sqlite:///"):
        import sqlite3

        with sqlite3.connect(archive_url.removeprefix("sqlite:///")) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("mysql://db/archive", "must start with sqlite:/// or postgresql://"),
        ("sqlite://relative.db", "three slashes"),
        ("postgresql://nobody:secret@127.0.0.1:1/none", "NEWSDESK_ARCHIVE_URL"),
    ],
)
def test_bad_storage_url_stops_the_start_naming_it(url, said, tmp_path) -> None:
    stack = LocalStack({"archive": 0}, {"NEWSDESK_ARCHIVE_URL": url, "NEWSDESK_LOG_FORMAT": "json"},
                       log_dir=tmp_path)  # fmt: skip
    with pytest.raises(ServiceFailed) as failed:
        stack.start_only(("archive",), timeout=60)
    assert said in str(failed.value)
    assert "secret" not in (tmp_path / "archive.log").read_text()  # the password is never logged


def test_module_runs_without_models(tmp_path) -> None:
    """`python -m services.archive --help`-free start check: it imports no torch."""
    code = "import sys, services.archive.app; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
