"""Nobody holds a service hostage, through real servers (tiny models; the real detector,
slowed): every service refuses up front a request that costs more than it admits at
once (INVALID_ARGUMENT, REQUEST_TOO_LARGE, saying the limit and how to split), even on
an empty queue; a call whose deadline the measured drain cannot meet is refused
RESOURCE_EXHAUSTED with RetryInfo; and a caller that sends no deadline is held to the
server's maximum time per request (MAX_REQUEST_SECONDS)."""

from __future__ import annotations

import asyncio
import contextlib
import time

import grpc
import pytest
from google.rpc import error_details_pb2

from newsdesk.language.v1 import language_pb2, language_pb2_grpc
from newsdesk.summarization.v1 import summarization_pb2, summarization_pb2_grpc
from newsdesk.translation.v1 import translation_pb2, translation_pb2_grpc
from services.common.models.corpus import article
from services.common.text.language import LanguageGate
from services.translator.pipeline import DocumentTranslator
from tests.conftest import (
    SlowDetector,
    WrappedEngine,
    detector_binding,
    long_document,
    serve,
    status_detail,
    summarizer_binding,
    translator_binding,
)

UK_SHORT = "Київ сьогодні вранці зазнав атаки дронів."
PL = "Rząd ogłosił dziś nowe środki wsparcia dla rolników dotkniętych suszą w regionie. "
TEXT = (PL * 100)[:5000]


async def stopped(served, built) -> None:
    await served.channel.close()
    await served.running.stop()
    built.close()


def too_large(err: grpc.aio.AioRpcError) -> error_details_pb2.ErrorInfo:
    """The ErrorInfo of a REQUEST_TOO_LARGE refusal (asserting its shape)."""
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT, err.details()
    info = status_detail(err, error_details_pb2.ErrorInfo)
    assert info is not None and info.reason == "REQUEST_TOO_LARGE"
    assert int(info.metadata["cost"]) > int(info.metadata["limit"])
    assert "split" in err.details() and "at least" in err.details()
    return info


async def test_translator_refuses_a_request_over_its_cost_bound_on_an_empty_queue(
    translator,
) -> None:
    """Four long documents on an idle translator: refused at once as too large (not
    admitted because the queue happened to be empty); one of them alone is served."""
    document = long_document("uk", 40_000)
    binding, built = translator_binding(translator, max_queue_tokens=200_000)
    served = await serve([binding])
    try:
        stub = translation_pb2_grpc.TranslationServiceStub(served.channel)
        started = time.perf_counter()
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.Translate(
                translation_pb2.TranslateRequest(
                    contents=[document] * 4, source_language_code="uk", num_beams=4
                ),
                timeout=60,
            )
        assert time.perf_counter() - started < 5  # refused before any model work
        info = too_large(err.value)
        assert info.metadata["limit"] == "200000"
        reply = await stub.Translate(
            translation_pb2.TranslateRequest(
                contents=[document[:6000]], source_language_code="uk", num_beams=1
            ),
            timeout=120,
        )
        assert reply.translations[0].translated_text
    finally:
        await stopped(served, built)


async def test_summarizer_refuses_a_brief_over_its_cost_bound(writer, detector) -> None:
    """A long text at 8 beams and 400-word summaries is refused up front as too large
    (no model round runs); the same text at the defaults is briefed."""
    text = " ".join(article("en", i) for i in range(40))[:58_000]
    # The tiny model packs this text in 8 windows: about 258,000 token-beams at 8 beams
    # and 400 words, about 37,000 at the defaults.
    binding, built = summarizer_binding(writer, detector, max_queue_tokens=100_000)
    served = await serve([binding])
    try:
        stub = summarization_pb2_grpc.SummarizationServiceStub(served.channel)
        started = time.perf_counter()
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.Summarize(
                summarization_pb2.SummarizeRequest(
                    text=text,
                    options=summarization_pb2.SummarizeOptions(num_beams=8, summary_max_words=400),
                ),
                timeout=120,
            )
        assert time.perf_counter() - started < 10
        too_large(err.value)
        assert "fewer beams or a shorter summary" in err.value.details()
        reply = await stub.Summarize(
            summarization_pb2.SummarizeRequest(text=text[:8000]), timeout=300
        )
        assert reply.headline
    finally:
        await stopped(served, built)


async def test_detector_refuses_a_request_over_its_character_bound(detector) -> None:
    """DetectLanguage of 64 × 7,500 characters past MAX_QUEUE_CHARS is refused at once
    as too large; a concurrent one-text call is served."""
    binding, built = detector_binding(detector, max_queue_chars=100_000)
    served = await serve([binding])
    try:
        stub = language_pb2_grpc.LanguageServiceStub(served.channel)
        big = language_pb2.DetectLanguageRequest(texts=[(PL * 100)[:7500]] * 64)
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.DetectLanguage(big, timeout=30)
        info = too_large(err.value)
        assert info.metadata["cost"] == str(64 * 7500)
        small = await stub.DetectLanguage(
            language_pb2.DetectLanguageRequest(texts=[UK_SHORT]), timeout=10
        )
        assert small.detections[0].language_code == "uk"
    finally:
        await stopped(served, built)


@contextlib.asynccontextmanager
async def warm_slow_detector(detector, **server):
    """A detector server whose detector holds each call 0.5 s, its drain rate measured
    (about 20,000 characters a second) by one call of 2 × 5,000 characters first."""
    binding, built = detector_binding(SlowDetector(detector, 0.5), max_queue_chars=500_000)
    served = await serve([binding], **server)
    try:
        stub = language_pb2_grpc.LanguageServiceStub(served.channel)
        await stub.DetectLanguage(language_pb2.DetectLanguageRequest(texts=[TEXT] * 2))
        yield stub
    finally:
        await stopped(served, built)


def unreachable(err: BaseException) -> None:
    """`err` is a RESOURCE_EXHAUSTED refusal for an unreachable deadline, with RetryInfo."""
    assert isinstance(err, grpc.aio.AioRpcError), err
    assert err.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, err.details()
    info = status_detail(err, error_details_pb2.ErrorInfo)
    assert info is not None and info.reason == "DEADLINE_UNREACHABLE"
    assert status_detail(err, error_details_pb2.RetryInfo) is not None


async def test_detector_refuses_a_deadline_its_drain_cannot_meet(detector) -> None:
    """After the drain rate is measured, a call whose work cannot finish before its
    deadline is refused at once (DEADLINE_UNREACHABLE, RetryInfo), not run out in the
    queue; a small call with the same deadline is served."""
    async with warm_slow_detector(detector) as stub:
        started = time.perf_counter()
        with pytest.raises(grpc.aio.AioRpcError) as err:
            # 60 × 5,000 characters need about 15 s at the measured rate.
            await stub.DetectLanguage(
                language_pb2.DetectLanguageRequest(texts=[TEXT] * 60), timeout=3
            )
        assert time.perf_counter() - started < 5.0  # refused, not run (15 s of work)
        unreachable(err.value)
        reply = await stub.DetectLanguage(
            language_pb2.DetectLanguageRequest(texts=[UK_SHORT]), timeout=3
        )
        assert reply.detections[0].language_code == "uk"


async def test_a_caller_without_a_deadline_is_held_to_the_servers_maximum(detector) -> None:
    """With MAX_REQUEST_SECONDS=2, a call with no deadline whose measured work needs
    far longer is refused at once, as if it had sent a 2 s deadline; without the cap the
    same call would hold the worker. Others are served meanwhile."""
    async with warm_slow_detector(detector, max_request_s=2.0) as stub:
        started = time.perf_counter()
        heavy = stub.DetectLanguage(language_pb2.DetectLanguageRequest(texts=[TEXT] * 60))
        light = stub.DetectLanguage(language_pb2.DetectLanguageRequest(texts=[UK_SHORT]), timeout=5)
        outcomes = await asyncio.gather(heavy, light, return_exceptions=True)
        unreachable(outcomes[0])
        assert not isinstance(outcomes[1], BaseException)
        assert outcomes[1].detections[0].language_code == "uk"
        assert time.perf_counter() - started < 3.0


class SlowEngine(WrappedEngine):
    """The real tiny engine, each model call held 0.3 s (a slow model)."""

    def generate(self, inputs, spec, should_stop=None, on_done=None):
        time.sleep(0.3)
        return super().generate(inputs, spec, should_stop, on_done)


async def test_translator_holds_a_caller_without_a_deadline_to_the_servers_maximum(
    translator,
) -> None:
    """A translator with MAX_REQUEST_SECONDS=2: a no-deadline call whose measured work
    needs far longer is refused at once (DEADLINE_UNREACHABLE, RetryInfo, saying the
    request alone is too much for the deadline); a one-sentence call is served."""
    engine = SlowEngine(translator.engines["uk"])
    slow = DocumentTranslator(
        {"uk": engine, "ru": engine}, LanguageGate(lambda t: ("uk", 1.0, True))
    )
    binding, built = translator_binding(slow, cache_mb=0, plausibility="flag", batch_max_wait_ms=0)
    served = await serve([binding], max_request_s=2.0)
    try:
        stub = translation_pb2_grpc.TranslationServiceStub(served.channel)
        warm = translation_pb2.TranslateRequest(contents=[UK_SHORT], source_language_code="uk")
        await stub.Translate(warm, timeout=60)  # measures the drain rate
        heavy = translation_pb2.TranslateRequest(
            contents=[long_document("uk", 20_000)], source_language_code="uk"
        )
        started = time.perf_counter()
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.Translate(heavy)  # no deadline of its own
        assert time.perf_counter() - started < 5.0
        unreachable(err.value)
        assert "alone" in err.value.details() and "MAX_REQUEST_SECONDS" in err.value.details()
        assert (await stub.Translate(warm, timeout=60)).translations[0].translated_text
    finally:
        await stopped(served, built)
