"""The detector through a real grpc.aio server: RPCs, errors, health, reflection, lifecycle."""

from __future__ import annotations

import asyncio
import logging

import grpc
import pytest
from google.rpc import error_details_pb2, status_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from grpc_status import rpc_status

from newsdesk.language.v1 import language_pb2, language_pb2_grpc
from tests.conftest import SlowDetector, detector_binding, serve


@pytest.fixture
async def served(detector):
    binding, runner = detector_binding(detector, max_chars=1000, max_batch=8)
    s = await serve([binding])
    yield s
    await s.channel.close()
    await s.running.stop()
    runner.close()


def stub(served) -> language_pb2_grpc.LanguageServiceStub:
    return language_pb2_grpc.LanguageServiceStub(served.channel)


def status_details(err: grpc.aio.AioRpcError) -> status_pb2.Status:
    status = rpc_status.from_call(err)
    assert status is not None, "no google.rpc.Status details in the trailers"
    return status


async def test_detect_batch_in_order(served) -> None:
    """A batch is answered in request order with the right languages."""
    texts = [
        "Уряд України ухвалив нове рішення.",
        "Правительство России объявило о мерах.",
        "The cabinet met on Monday.",
    ]
    reply = await stub(served).DetectLanguage(language_pb2.DetectLanguageRequest(texts=texts))
    assert [d.language_code for d in reply.detections] == ["uk", "ru", "en"]
    assert all(d.reliable for d in reply.detections)
    assert reply.model.id
    assert reply.timing.total_ms > 0


async def test_empty_and_letterless_items_do_not_fail_batch(served) -> None:
    """Empty and letter-less items get a per-item status; the batch succeeds."""
    reply = await stub(served).DetectLanguage(
        language_pb2.DetectLanguageRequest(texts=["", "12 345 !!", "Добрий день, друзі!"])
    )
    statuses = [d.status for d in reply.detections]
    assert statuses == [
        language_pb2.DETECTION_STATUS_EMPTY,
        language_pb2.DETECTION_STATUS_NO_LETTERS,
        language_pb2.DETECTION_STATUS_OK,
    ]
    assert [d.language_code for d in reply.detections[:2]] == ["und", "und"]
    assert not any(d.reliable for d in reply.detections[:2])


async def test_item_over_size_limit_names_index(served) -> None:
    """An item over max_chars is INVALID_ARGUMENT naming its index and the limit."""
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub(served).DetectLanguage(
            language_pb2.DetectLanguageRequest(texts=["ok", "x" * 1001])
        )
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "texts[1]" in err.value.details() and "1000" in err.value.details()
    status = status_details(err.value)
    bad = error_details_pb2.BadRequest()
    assert any(d.Unpack(bad) for d in status.details)
    assert bad.field_violations[0].field == "texts[1]"


async def test_batch_over_count_limit(served) -> None:
    """A batch over max_batch is INVALID_ARGUMENT naming the limit."""
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub(served).DetectLanguage(language_pb2.DetectLanguageRequest(texts=["a"] * 9))
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "limit of 8" in err.value.details()


async def test_bad_top_k(served) -> None:
    """A negative top_k is INVALID_ARGUMENT naming the field, reason VALUE_OUT_OF_RANGE."""
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub(served).DetectLanguage(
            language_pb2.DetectLanguageRequest(texts=["hello"], top_k=-1)
        )
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "top_k" in err.value.details()
    assert reason_of(err.value) == "VALUE_OUT_OF_RANGE"


async def test_no_texts(served) -> None:
    """A request with no texts is INVALID_ARGUMENT with reason EMPTY_BATCH."""
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub(served).DetectLanguage(language_pb2.DetectLanguageRequest(texts=[]))
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert reason_of(err.value) == "EMPTY_BATCH"


def reason_of(err: grpc.aio.AioRpcError) -> str:
    """The ErrorInfo reason of a failed call."""
    for detail in status_details(err).details:
        info = error_details_pb2.ErrorInfo()
        if detail.Unpack(info):
            return info.reason
    return ""


async def test_info_reports_limits(served) -> None:
    """Info returns version, model and limits."""
    reply = await stub(served).Info(language_pb2.InfoRequest())
    assert reply.info.limits.max_chars == 1000
    assert reply.info.limits.max_batch == 8
    assert reply.info.service_name == "newsdesk.language.v1.LanguageService"
    assert "uk" in reply.supported_language_codes


async def test_health_serving(served) -> None:
    """grpc.health.v1 answers SERVING for the server and for the service name."""
    health = health_pb2_grpc.HealthStub(served.channel)
    for name in ("", "newsdesk.language.v1.LanguageService"):
        reply = await health.Check(health_pb2.HealthCheckRequest(service=name))
        assert reply.status == health_pb2.HealthCheckResponse.SERVING


async def test_reflection_lists_service(served) -> None:
    """Server reflection lists the LanguageService and health."""
    refl = reflection_pb2_grpc.ServerReflectionStub(served.channel)

    async def requests():
        yield reflection_pb2.ServerReflectionRequest(list_services="")

    names = []
    async for reply in refl.ServerReflectionInfo(requests()):
        names = [s.name for s in reply.list_services_response.service]
    assert "newsdesk.language.v1.LanguageService" in names
    assert "grpc.health.v1.Health" in names


async def test_request_id_logged_and_echoed(served, caplog) -> None:
    """The caller's x-request-id is echoed and bound into the rpc.completed log line."""
    caplog.set_level(logging.INFO)
    call = stub(served).DetectLanguage(
        language_pb2.DetectLanguageRequest(texts=["hello there"]),
        metadata=(("x-request-id", "req-abc-123"),),
    )
    await call
    trailing = dict(await call.trailing_metadata())
    assert trailing["x-request-id"] == "req-abc-123"
    # Nothing is sent ahead of the response (it would commit the call: no retries).
    assert "x-request-id" not in dict(await call.initial_metadata())
    completed = [
        r.msg
        for r in caplog.records
        if isinstance(r.msg, dict) and r.msg.get("event") == "rpc.completed"
    ]
    assert any(m.get("request_id") == "req-abc-123" and m.get("code") == "OK" for m in completed)
    # No user text in INFO logs.
    assert not any("hello there" in str(r.msg) for r in caplog.records)


async def test_request_id_generated_when_absent(served) -> None:
    """Without x-request-id the server generates one and returns it."""
    call = stub(served).DetectLanguage(language_pb2.DetectLanguageRequest(texts=["hi"]))
    await call
    assert len(dict(await call.trailing_metadata())["x-request-id"]) >= 16


async def test_graceful_shutdown_finishes_in_flight_call(detector) -> None:
    """On stop, health flips to NOT_SERVING and an in-flight call still completes."""
    binding, runner = detector_binding(SlowDetector(detector, 1.0))
    s = await serve([binding], grace_seconds=10.0)
    try:
        in_flight = asyncio.ensure_future(
            stub(s).DetectLanguage(
                language_pb2.DetectLanguageRequest(texts=["Добрий день, як справи у Києві?"])
            )
        )
        await asyncio.sleep(0.3)
        stopping = asyncio.ensure_future(s.running.stop())
        await asyncio.sleep(0.1)
        health = await s.running.health.Check(health_pb2.HealthCheckRequest(service=""), None)
        assert health.status == health_pb2.HealthCheckResponse.NOT_SERVING
        reply = await in_flight
        assert reply.detections[0].language_code == "uk"
        await stopping
    finally:
        await s.channel.close()
        runner.close()


async def test_overload_is_resource_exhausted(detector) -> None:
    """Past the queue bound, calls are refused at once with RESOURCE_EXHAUSTED + RetryInfo."""
    binding, runner = detector_binding(SlowDetector(detector, 0.5), max_queue=1)
    s = await serve([binding])
    try:
        req = language_pb2.DetectLanguageRequest(texts=["hello world"])
        results = await asyncio.gather(
            *[stub(s).DetectLanguage(req) for _ in range(4)], return_exceptions=True
        )
        codes = [r.code() for r in results if isinstance(r, grpc.aio.AioRpcError)]
        assert grpc.StatusCode.RESOURCE_EXHAUSTED in codes
        assert any(not isinstance(r, Exception) for r in results)
        err = next(r for r in results if isinstance(r, grpc.aio.AioRpcError))
        retry = error_details_pb2.RetryInfo()
        assert any(d.Unpack(retry) for d in status_details(err).details)
    finally:
        await s.channel.close()
        await s.running.stop()
        runner.close()


async def test_metrics_endpoint_counts_calls(detector) -> None:
    """/metrics exposes requests by method and code, latency and in-flight gauges."""
    import urllib.request

    from services.tools.local import free_port

    port = free_port()
    binding, runner = detector_binding(detector)
    s = await serve([binding], metrics_port=port)
    try:
        await stub(s).DetectLanguage(language_pb2.DetectLanguageRequest(texts=["hello there"]))

        def scrape() -> str:
            url = f"http://127.0.0.1:{port}/metrics"
            with urllib.request.urlopen(url, timeout=5) as reply:
                return reply.read().decode()

        body = await asyncio.to_thread(scrape)
        method = "/newsdesk.language.v1.LanguageService/DetectLanguage"
        assert f'newsdesk_rpc_requests_total{{code="OK",method="{method}"}}' in body
        assert "newsdesk_rpc_duration_seconds_bucket" in body
        assert "newsdesk_rpc_in_flight" in body
    finally:
        await s.channel.close()
        await s.running.stop()
        runner.close()
