"""The client under server overload: RESOURCE_EXHAUSTED with RetryInfo is retried after
the server's delay, within the call's deadline, instead of failing the item."""

from __future__ import annotations

import asyncio
import time

import pytest

from newsdesk_client import AsyncNewsdeskClient, NewsdeskError
from newsdesk_client.config import ClientConfig
from tests.conftest import SlowDetector, detector_binding, serve


@pytest.fixture
async def overloaded(detector):
    """A detector that admits one job at a time, each taking 0.3 s."""
    binding, built = detector_binding(SlowDetector(detector, 0.3), max_queue=1)
    s = await serve([binding])
    yield s
    await s.channel.close()
    await s.running.stop()
    built.close()


async def test_overload_is_retried_within_the_deadline(overloaded) -> None:
    """Four concurrent calls against a one-job queue all succeed: refusals are retried
    after their RetryInfo delay."""
    config = ClientConfig(detector=overloaded.address, detect_timeout=20.0)
    async with AsyncNewsdeskClient(config) as client:
        results = await asyncio.gather(
            *[client.detect(f"Добрий день, як справи у Києві? {i}") for i in range(4)]
        )
    assert [r.language for r in results] == ["uk"] * 4


async def test_overload_past_the_deadline_fails_with_retry_hint(overloaded) -> None:
    """When the deadline leaves no room for the suggested delay, the refusal is raised
    with its code and retry delay, promptly."""
    config = ClientConfig(detector=overloaded.address, detect_timeout=0.8, overload_retries=8)
    async with AsyncNewsdeskClient(config) as client:
        started = time.perf_counter()
        outcomes = await asyncio.gather(
            *[client.detect(f"Добрий день, як справи у Києві? {i}") for i in range(4)],
            return_exceptions=True,
        )
        elapsed = time.perf_counter() - started
    errors = [o for o in outcomes if isinstance(o, NewsdeskError)]
    assert errors
    for err in errors:
        assert err.stage == "detect"
        assert err.code in {"RESOURCE_EXHAUSTED", "DEADLINE_EXCEEDED"}
    assert any(e.code == "RESOURCE_EXHAUSTED" and e.retry_after_s for e in errors)
    assert elapsed < 3.0
