"""The serving core through real grpc.aio servers on the tiny models: cross-request
batches, cancellation, a stream admitted once, health and RetryInfo under load.

The model layer is real (the tiny MarianMT and BART); where a test needs the model to
be busy for a known time, it wraps the real engine with a gate that holds a batch
until the test releases it (and records what the engine was asked to translate)."""

from __future__ import annotations

import asyncio
import threading
import time

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from prometheus_client import REGISTRY

from newsdesk.summarization.v1 import summarization_pb2, summarization_pb2_grpc
from newsdesk.translation.v1 import translation_pb2, translation_pb2_grpc
from services.common.models.corpus import article
from services.translator.pipeline import DocumentTranslator
from tests.conftest import (
    WrappedEngine,
    serve,
    status_detail,
    summarizer_binding,
    translator_binding,
)

TRANSLATE = "/newsdesk.translation.v1.TranslationService/Translate"


class GatedEngine(WrappedEngine):
    """The real tiny engine behind a gate: each batch waits until `open` is set."""

    def __init__(self, inner) -> None:
        super().__init__(inner)
        self.open = threading.Event()
        self.busy = threading.Event()
        self.seen: list[str] = []

    def generate(self, inputs, spec, should_stop=None, on_done=None):
        self.seen += inputs
        self.busy.set()
        self.open.wait(30)
        return super().generate(inputs, spec, should_stop, on_done)


def gated_translator(translator) -> tuple[DocumentTranslator, GatedEngine]:
    engine = GatedEngine(translator.engines["uk"])
    gated = DocumentTranslator({"uk": engine, "ru": engine}, translator.language_gate, num_beams=2)
    return gated, engine


def batcher_of(built):
    (batcher,) = built.bindings[0].servicer.batchers.values()
    return batcher


def retry_info(err: grpc.aio.AioRpcError) -> error_details_pb2.RetryInfo | None:
    return status_detail(err, error_details_pb2.RetryInfo)


def sentences(n: int, lang: str = "uk") -> list[str]:
    from services.common.models.corpus import sentences as owned

    pool = owned(lang)
    return [f"Номер {i}: {pool[i % len(pool)]}" for i in range(n)]


async def wait_for(predicate, within: float = 10.0) -> None:
    """Poll a condition the server reaches on its own (no event to await from here)."""
    deadline = time.monotonic() + within
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.01)


@pytest.fixture
async def stack_of():
    """Starts servers for a test and stops them (and their batchers) whatever happens."""
    started = []

    async def start(binding_and_built, **config):
        binding, built = binding_and_built
        s = await serve([binding], **config)
        started.append((s, built))
        return s

    yield start
    for s, built in started:
        await s.channel.close()
        await s.running.stop()
        built.close()


async def test_concurrent_calls_share_batches(translator, stack_of) -> None:
    """Eight concurrent one-sentence calls are translated in shared model batches."""
    binding, built = translator_binding(translator, batch_max_wait_ms=200)
    s = await stack_of((binding, built))
    stub = translation_pb2_grpc.TranslationServiceStub(s.channel)
    texts = sentences(8)
    replies = await asyncio.gather(
        *[
            stub.Translate(
                translation_pb2.TranslateRequest(contents=[t], source_language_code="uk")
            )
            for t in texts
        ]
    )
    assert all(r.translations[0].translated_text.strip() for r in replies)
    for reply in replies:
        segments = reply.translations[0].segments
        assert segments.translated_segments == segments.source_segments >= 1
    assert batcher_of(built).batches <= 2


async def test_cancelled_call_never_reaches_the_model(translator, stack_of) -> None:
    """A call cancelled by its client while queued is dropped: the engine never sees it."""
    gated, engine = gated_translator(translator)
    binding, built = translator_binding(gated, batch_max_wait_ms=0, warm_up=False)
    s = await stack_of((binding, built))
    stub = translation_pb2_grpc.TranslationServiceStub(s.channel)
    first = stub.Translate(
        translation_pb2.TranslateRequest(contents=["Перше речення."], source_language_code="uk")
    )
    await asyncio.to_thread(engine.busy.wait, 10)
    doomed_text = "Це речення ніколи не має дійти до моделі."
    doomed = stub.Translate(
        translation_pb2.TranslateRequest(contents=[doomed_text], source_language_code="uk")
    )
    batcher = batcher_of(built)
    await wait_for(lambda: batcher.queued_tokens > 0)
    before = REGISTRY.get_sample_value(
        "newsdesk_rpc_requests_total", {"method": TRANSLATE, "code": "CANCELLED"}
    )
    doomed.cancel()
    await wait_for(
        lambda: (
            (
                REGISTRY.get_sample_value(
                    "newsdesk_rpc_requests_total", {"method": TRANSLATE, "code": "CANCELLED"}
                )
                or 0
            )
            > (before or 0)
        )
    )
    engine.open.set()
    reply = await first
    assert reply.translations[0].translated_text
    await wait_for(lambda: batcher.queued_tokens == 0)
    assert doomed_text not in engine.seen
    # Only the first call's sentence (twice when the gate retried a noisy output).
    assert set(engine.seen) == {"Перше речення."}


async def test_stream_is_admitted_once_and_never_refused_halfway(translator, stack_of) -> None:
    """A stream admitted into a nearly full queue yields every paragraph in order, while
    new calls are refused with RetryInfo."""
    gated, engine = gated_translator(translator)
    document = "\n\n".join(article("uk", 60 + i) for i in range(4))
    tokens = sum(
        j.cost  # admission counts token-beams
        for j in gated.prepare([(document, gated.decide_language(document, "uk", "c"))]).jobs
    )
    binding, built = translator_binding(
        gated,
        warm_up=False,  # a warm-up would wait at the closed gate
        batch_max_wait_ms=0,
        max_queue_tokens=tokens + 8,
        max_batch_tokens=64,
        max_batch_segments=2,
    )
    s = await stack_of((binding, built))
    stub = translation_pb2_grpc.TranslationServiceStub(s.channel)
    stream = stub.TranslateStream(
        translation_pb2.TranslateStreamRequest(content=document, source_language_code="uk")
    )
    await asyncio.to_thread(engine.busy.wait, 10)
    refused = []
    for text in sentences(3):
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await stub.Translate(
                translation_pb2.TranslateRequest(contents=[text * 3], source_language_code="uk")
            )
        refused.append(caught.value)
    engine.open.set()
    messages = [m async for m in stream]
    assert [m.paragraph_index for m in messages] == list(range(len(messages)))
    assert len(messages) == messages[0].paragraph_count == document.count("\n\n") + 1
    assert all(m.translated_text.strip() for m in messages)
    for err in refused:
        assert err.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        assert retry_info(err) is not None


async def test_health_answers_with_full_queue_and_200_calls_in_flight(translator, stack_of) -> None:
    """With the model held, 200 calls in flight and the queue full, health answers
    SERVING in under a second and every refused call carries RetryInfo."""
    gated, engine = gated_translator(translator)
    texts = sentences(260)
    decision = gated.decide_language(texts[0], "uk", "c")
    bound = sum(j.cost for j in gated.prepare([(t, decision) for t in texts[:200]]).jobs)
    binding, built = translator_binding(
        gated, batch_max_wait_ms=0, max_queue_tokens=bound, max_batch_tokens=2048, warm_up=False
    )
    s = await stack_of((binding, built), max_concurrent_rpcs=230)
    stub = translation_pb2_grpc.TranslationServiceStub(s.channel)
    calls = [
        stub.Translate(
            translation_pb2.TranslateRequest(contents=[t], source_language_code="uk"),
            timeout=60,
        )
        for t in texts
    ]
    pending = [asyncio.ensure_future(c) for c in calls]
    batcher = batcher_of(built)
    await asyncio.to_thread(engine.busy.wait, 10)
    # Everything past the queue's bound (and the in-flight cap) is refused at once; the
    # rest wait in the queue while the model is held.
    await wait_for(lambda: batcher.queued_cost > bound * 0.75, within=30)
    await asyncio.sleep(0.2)
    in_flight = sum(not f.done() for f in pending)
    assert in_flight >= 180
    health = health_pb2_grpc.HealthStub(s.channel)
    for service in ("", "newsdesk.translation.v1.TranslationService"):
        started = time.perf_counter()
        reply = await health.Check(health_pb2.HealthCheckRequest(service=service), timeout=1.0)
        assert reply.status == health_pb2.HealthCheckResponse.SERVING
        assert time.perf_counter() - started < 1.0
    engine.open.set()
    results = await asyncio.gather(*pending, return_exceptions=True)
    errors = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert errors, "the load should have overflowed the queue"
    for err in errors:
        assert err.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, err
        assert retry_info(err) is not None
    answered = [r for r in results if not isinstance(r, BaseException)]
    assert len(answered) + len(errors) == len(texts)
    assert len(answered) >= 180


async def test_concurrent_briefs_share_batches(writer, detector, stack_of) -> None:
    """Four concurrent briefs need fewer model batches than they have rounds, and each
    is complete (headline, summary, 3–5 bullets)."""
    binding, built = summarizer_binding(writer, detector, batch_max_wait_ms=200)
    s = await stack_of((binding, built))
    stub = summarization_pb2_grpc.SummarizationServiceStub(s.channel)
    replies = await asyncio.gather(
        *[
            stub.Summarize(summarization_pb2.SummarizeRequest(text=article("en", 10 + i)))
            for i in range(4)
        ]
    )
    rounds = sum(r.generations for r in replies)
    assert rounds == 8
    assert batcher_of(built).batches < rounds
    for reply in replies:
        assert reply.headline.strip() and reply.summary.strip()
        assert 3 <= len(reply.bullets) <= 5
