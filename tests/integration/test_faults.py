"""Faults and overload through real service processes (tiny models): a model that
fails to load, SIGTERM under load, and 200 concurrent clients against one translator."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc

from newsdesk.translation.v1 import translation_pb2, translation_pb2_grpc
from services.common.models.corpus import article, sentences
from services.tools.local import LocalStack
from tests.conftest import status_detail, tiny_translator_env


def test_a_model_that_fails_to_load_exits_4_with_one_line(model_dir, tmp_path) -> None:
    """A damaged conversion (truncated weights) stops the translator with exit 4 and
    one clear JSON log line, no traceback; it never binds its port."""
    broken = tmp_path / "models"
    shutil.copytree(model_dir, broken)
    (weights,) = broken.glob(
        "models--newsdesk-local--opus-mt-tiny-zle-en/ctranslate2/*-int8/model.bin"
    )
    weights.write_bytes(weights.read_bytes()[:1000])
    port_file = tmp_path / "port"
    result = subprocess.run(
        [sys.executable, "-m", "services.translator"],
        env={
            **os.environ,
            **tiny_translator_env(broken),
            "NEWSDESK_TRANSLATOR_PORT": "0",
            "NEWSDESK_TRANSLATOR_PORT_FILE": str(port_file),
            "NEWSDESK_TRANSLATOR_METRICS_PORT": "0",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 4
    assert "Traceback" not in result.stderr
    failures = [line for line in result.stderr.splitlines() if "model.load_failed" in line]
    assert len(failures) == 1
    record = json.loads(failures[0])
    assert record["level"] == "error" and "models convert" in record["hint"]
    assert not port_file.exists()


async def test_sigterm_under_load_drains(model_dir, tmp_path) -> None:
    """SIGTERM with calls in flight: health flips to NOT_SERVING first, the calls in
    flight finish OK within the grace, new calls are refused, and the process exits 0."""
    stack = LocalStack({"translator": 0}, tiny_translator_env(model_dir), log_dir=tmp_path)
    await asyncio.to_thread(stack.start_only, ("translator",), 120)
    proc = stack.processes["translator"]
    try:
        async with grpc.aio.insecure_channel(stack.address("translator")) as channel:
            stub = translation_pb2_grpc.TranslationServiceStub(channel)
            health = health_pb2_grpc.HealthStub(channel)
            documents = ["\n\n".join(article("uk", 60 + i + k) for k in range(8)) for i in range(2)]
            calls = [
                asyncio.ensure_future(
                    stub.Translate(
                        translation_pb2.TranslateRequest(contents=[d], source_language_code="uk"),
                        timeout=120,
                    )
                )
                for d in documents
            ]
            # A Watch opened before SIGTERM sees the flip (new calls are refused once
            # the drain starts, health checks included: UNAVAILABLE).
            watch = health.Watch(health_pb2.HealthCheckRequest(), timeout=60)
            first = await watch.read()
            assert first.status == health_pb2.HealthCheckResponse.SERVING
            await asyncio.sleep(0.05)  # admitted and in flight
            assert not all(c.done() for c in calls), "the load finished before SIGTERM"
            proc.send_signal(signal.SIGTERM)
            flipped = await asyncio.wait_for(watch.read(), timeout=5)
            assert flipped.status == health_pb2.HealthCheckResponse.NOT_SERVING
            assert not all(c.done() for c in calls)  # the flip came before the drain ended
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await stub.Translate(
                    translation_pb2.TranslateRequest(contents=["Київ."], source_language_code="uk"),
                    timeout=10,
                )
            assert refused.value.code() == grpc.StatusCode.UNAVAILABLE
            replies = await asyncio.gather(*calls)
            assert all(r.translations[0].translated_text for r in replies)
        assert await asyncio.to_thread(proc.wait, 30) == 0
    finally:
        stack.stop()


async def test_two_hundred_clients_against_one_translator(model_dir, tmp_path) -> None:
    """200 concurrent clients: excess calls get RESOURCE_EXHAUSTED with RetryInfo well
    before model work could answer them, health is never queued behind model work, RSS
    stays under 1,024 MiB, and one-sentence latency returns to its idle level after.

    Wall-clock bounds are relative to the same run's model work (the slowest served
    call), with a generous floor: a busy machine slows everything, but a health check
    or refusal queued behind the model would take as long as the model work itself."""
    from bench._util import rss_mib

    env = tiny_translator_env(
        model_dir,
        NEWSDESK_TRANSLATOR_MAX_CONCURRENT_RPCS="64",
        NEWSDESK_TRANSLATOR_MAX_QUEUE_TOKENS="8192",
        # The owned corpus repeats sentences across these texts: a warm translation
        # cache would answer them without load, and this test is about overload.
        NEWSDESK_TRANSLATOR_CACHE_MB="0",
    )
    stack = LocalStack({"translator": 0}, env, log_dir=tmp_path)
    await asyncio.to_thread(stack.start_only, ("translator",), 120)
    pid = stack.processes["translator"].pid
    pool = sentences("uk")
    try:
        async with grpc.aio.insecure_channel(stack.address("translator")) as channel:
            stub = translation_pb2_grpc.TranslationServiceStub(channel)

            async def one(text: str) -> tuple[float, grpc.StatusCode, object]:
                started = time.perf_counter()
                try:
                    await stub.Translate(
                        translation_pb2.TranslateRequest(
                            contents=[text], source_language_code="uk"
                        ),
                        timeout=120,
                    )
                    return time.perf_counter() - started, grpc.StatusCode.OK, None
                except grpc.aio.AioRpcError as err:
                    retry = status_detail(err, error_details_pb2.RetryInfo)
                    return time.perf_counter() - started, err.code(), retry

            idle = sorted([(await one(pool[i]))[0] for i in range(5)])[2]
            health_times: list[float] = []
            rss: list[float] = []
            stop = threading.Event()

            def watch() -> None:
                # Its own thread and channel: the 200 callers' event loop in this
                # process must not be what the health latency measures.
                with grpc.insecure_channel(stack.address("translator")) as own:
                    check = health_pb2_grpc.HealthStub(own).Check
                    while not stop.is_set():
                        t0 = time.perf_counter()
                        reply = check(health_pb2.HealthCheckRequest(), timeout=30)
                        health_times.append(time.perf_counter() - t0)
                        assert reply.status == health_pb2.HealthCheckResponse.SERVING
                        rss.append(rss_mib(pid))
                        stop.wait(0.02)

            watcher = asyncio.ensure_future(asyncio.to_thread(watch))
            texts = [f"{pool[i % len(pool)]} {article('uk', i)[:400]}" for i in range(200)]
            try:
                outcomes = await asyncio.gather(*(one(t) for t in texts))
            finally:
                stop.set()
                await watcher
            refused = [o for o in outcomes if o[1] == grpc.StatusCode.RESOURCE_EXHAUSTED]
            served = [o for o in outcomes if o[1] == grpc.StatusCode.OK]
            assert refused and served and len(refused) + len(served) == 200
            assert all(o[2] is not None for o in refused)  # RetryInfo on every refusal
            model_work = max(o[0] for o in served)
            bound = max(3.0, 0.5 * model_work)
            # Refused at admission, not after waiting in the queue.
            assert max(o[0] for o in refused) < bound, (model_work, max(refused))
            # Health answered throughout, never behind the model: at most a hiccup.
            assert len(health_times) >= 3, health_times
            assert max(health_times) < bound, (model_work, max(health_times))
            # Typically answered at once: most checks far quicker than the model work.
            assert statistics.median(health_times) < max(0.5, 0.25 * model_work), health_times
            assert max(rss) < 1024
            after = sorted([(await one(pool[10 + i]))[0] for i in range(5)])[2]
            print(
                f"\noverload: 200 calls, {len(served)} served, {len(refused)} refused "
                f"(slowest refusal {max(o[0] for o in refused):.3f} s); health p100 "
                f"{max(health_times):.3f} s over {len(health_times)} checks; peak RSS "
                f"{max(rss):.0f} MiB; slowest served {model_work:.3f} s; "
                f"median 1-sentence latency idle {idle:.3f} s, "
                f"after {after:.3f} s"
            )
            # Back near its idle level (generous: a property, not a benchmark).
            assert after < 5 * idle + 1.0, (idle, after)
    finally:
        stack.stop()
