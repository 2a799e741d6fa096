"""Two translator replicas on loopback behind one client target (a multi-address target
balanced round_robin): both serve, a replica killed mid-load loses no call (the client's
retry policy retries UNAVAILABLE on the other, which works because no header is sent
before the response), and a replica that comes back gets traffic again."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from newsdesk_client import AsyncNewsdeskClient, ClientConfig
from services.common.models.corpus import sentences
from services.tools.local import LocalStack
from tests.conftest import tiny_translator_env


def served_calls(log: Path, since: int = 0) -> int:
    """Translate calls a replica's log says it answered OK (lines after `since`)."""
    count = 0
    for line in log.read_text(encoding="utf-8").splitlines()[since:]:
        if '"rpc.completed"' in line:
            record = json.loads(line)
            if record.get("code") == "OK" and record.get("method", "").endswith("/Translate"):
                count += 1
    return count


def replica(model_dir: Path, log_dir: Path, port: int = 0) -> LocalStack:
    """One translator process on `port` (0: any free port, reported back)."""
    stack = LocalStack({"translator": port}, tiny_translator_env(model_dir), log_dir=log_dir)
    stack.start_only(("translator",), timeout=120)
    return stack


@pytest.fixture
def replicas(model_dir, tmp_path):
    """Two replicas, each logging to its own folder; both stopped at the end."""
    started = [replica(model_dir, tmp_path / "a"), replica(model_dir, tmp_path / "b")]
    yield started, tmp_path
    for stack in started:
        stack.stop()


async def load(client: AsyncNewsdeskClient, texts: list[str], concurrency: int) -> list[str]:
    """Translate each text in its own call, `concurrency` at a time; the outcomes."""
    gate = asyncio.Semaphore(concurrency)

    async def one(text: str) -> str:
        async with gate:
            result = await client.translate(text, source_language="uk")
            return result.text

    return await asyncio.gather(*(one(t) for t in texts))


async def test_no_call_lost_when_a_replica_dies_and_traffic_returns(replicas, model_dir) -> None:
    """Both replicas serve; SIGKILL of one mid-load fails no call; once it is back on
    its port it answers calls again."""
    (a, b), folder = replicas
    target = f"ipv4:{a.address('translator')},{b.address('translator')}"
    config = ClientConfig(translator=target, translate_timeout=60.0)
    texts = [f"{s} ({i})" for i, s in enumerate(sentences("uk") * 3)][:90]
    async with AsyncNewsdeskClient(config) as client:
        first = await load(client, texts[:20], 8)
        assert all(first)
        log_a, log_b = folder / "a" / "translator.log", folder / "b" / "translator.log"
        assert served_calls(log_a) > 0 and served_calls(log_b) > 0  # both serve

        task = asyncio.ensure_future(load(client, texts[20:70], 8))
        while served_calls(log_a) + served_calls(log_b) < 30:  # noqa: ASYNC110 (a log, not an event)
            await asyncio.sleep(0.05)
        a.processes["translator"].kill()
        results = await task  # raises if any call failed
        assert len(results) == 50 and all(results)
        print(
            f"\nscale-out: 70 calls, none failed; replica A answered {served_calls(log_a)} "
            f"(killed mid-load), replica B {served_calls(log_b)}"
        )

        port = a.ports["translator"]
        lines_before = len(log_a.read_text(encoding="utf-8").splitlines())
        back = await asyncio.to_thread(replica, model_dir, folder / "a", port)
        try:
            deadline = asyncio.get_running_loop().time() + 60
            while served_calls(log_a, lines_before) == 0:
                assert asyncio.get_running_loop().time() < deadline, "the replica got no traffic"
                assert all(await load(client, texts[70:90], 4))
        finally:
            back.stop()


async def test_connections_are_recycled_so_clients_re_resolve(detector, caplog) -> None:
    """With a maximum connection age the server closes (gracefully) a client's
    connection after that age; the client reconnects — where a re-resolved headless
    Service would now include replicas added since — and no call fails."""
    import logging

    from newsdesk.language.v1 import language_pb2, language_pb2_grpc
    from tests.conftest import detector_binding, serve

    caplog.set_level(logging.INFO)
    binding, built = detector_binding(detector)
    served = await serve([binding], max_connection_age_s=1.0, max_connection_age_grace_s=0.5)
    try:
        stub = language_pb2_grpc.LanguageServiceStub(served.channel)
        request = language_pb2.DetectLanguageRequest(texts=["Добрий день"])
        for _ in range(3):
            await stub.DetectLanguage(request, timeout=10)
            await asyncio.sleep(1.6)
        await stub.DetectLanguage(request, timeout=10)
    finally:
        await served.channel.close()
        await served.running.stop()
        built.close()
    peers = {
        r.msg.get("peer")
        for r in caplog.records
        if isinstance(r.msg, dict) and r.msg.get("event") == "rpc.completed"
    }
    assert len(peers) >= 3, peers  # a new connection (client port) after each age
