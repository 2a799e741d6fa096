"""The summarizer through a real grpc.aio server on the tiny BART model."""

from __future__ import annotations

import grpc
import pytest

from newsdesk.summarization.v1 import summarization_pb2, summarization_pb2_grpc
from tests.conftest import flores_documents, seed_article, serve, summarizer_binding


@pytest.fixture
async def served(writer, detector):
    binding, runner = summarizer_binding(writer, detector, max_chars=40_000)
    s = await serve([binding])
    yield s
    await s.channel.close()
    await s.running.stop()
    runner.close()


def stub(s) -> summarization_pb2_grpc.SummarizationServiceStub:
    return summarization_pb2_grpc.SummarizationServiceStub(s.channel)


def assert_brief(reply, bullets_at_least: int = 3) -> None:
    assert reply.headline.strip() and len(reply.headline.split()) <= 15
    assert reply.summary.strip()
    assert bullets_at_least <= len(reply.bullets) <= 5
    assert len(set(reply.bullets)) == len(reply.bullets)
    assert reply.model.id == "newsdesk-local/bart-tiny-cnn"
    assert reply.chunking.sentences_read == reply.chunking.sentences
    assert reply.timing.total_ms > 0


@pytest.mark.shared
async def test_seed_article_brief(served) -> None:
    """The seed article gives headline, summary and 3–5 non-duplicate bullets."""
    reply = await stub(served).Summarize(summarization_pb2.SummarizeRequest(text=seed_article()))
    assert_brief(reply)


@pytest.mark.shared
async def test_translated_flores_brief(served) -> None:
    """A translated FLORES document gives a full brief with the requested bullet count."""
    doc = next(d for d in flores_documents("ru", 80) if d["sentences"] >= 5)
    reply = await stub(served).Summarize(
        summarization_pb2.SummarizeRequest(
            text=doc["reference_en"],
            options=summarization_pb2.SummarizeOptions(bullet_count=3, summary_max_words=40),
        )
    )
    assert_brief(reply)
    assert len(reply.summary.split()) <= 41


@pytest.mark.parametrize(
    ("request_", "code", "needle"),
    [
        pytest.param(
            summarization_pb2.SummarizeRequest(text="  "),
            grpc.StatusCode.INVALID_ARGUMENT,
            "text",
            id="empty",
        ),
        pytest.param(
            summarization_pb2.SummarizeRequest(text="word " * 9000),
            grpc.StatusCode.INVALID_ARGUMENT,
            "40000",
            id="over-cap",
        ),
        pytest.param(
            summarization_pb2.SummarizeRequest(
                text="Уряд України ухвалив нове рішення щодо підтримки громад у понеділок."
            ),
            grpc.StatusCode.FAILED_PRECONDITION,
            "translate it first",
            id="ukrainian",
        ),
        pytest.param(
            summarization_pb2.SummarizeRequest(
                text="The cabinet met.",
                options=summarization_pb2.SummarizeOptions(bullet_count=0),
            ),
            grpc.StatusCode.INVALID_ARGUMENT,
            "options.bullet_count",
            id="zero-bullets",
        ),
        pytest.param(
            summarization_pb2.SummarizeRequest(
                text="The cabinet met.",
                options=summarization_pb2.SummarizeOptions(summary_max_words=-5),
            ),
            grpc.StatusCode.INVALID_ARGUMENT,
            "options.summary_max_words",
            id="negative-length",
        ),
    ],
)
async def test_bad_input(served, request_, code, needle) -> None:
    """Bad input gets a clear status naming the problem."""
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub(served).Summarize(request_)
    assert err.value.code() == code
    assert needle in err.value.details()


async def test_info(served, engine_settings) -> None:
    """Info reports the model window, limits, and the engine and compute type serving."""
    info = await stub(served).Info(summarization_pb2.InfoRequest())
    assert info.max_source_tokens == 1024
    assert info.info.limits.max_chars == 40_000
    expected = {
        "ctranslate2": {"ctranslate2-int8", "ctranslate2-int8_float32"},
        "transformers": {"transformers-float32"},
    }[engine_settings.name]
    assert info.info.models[0].engine in expected
