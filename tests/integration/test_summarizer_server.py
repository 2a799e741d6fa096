"""The summarizer through a real grpc.aio server on the tiny BART model."""

from __future__ import annotations

import grpc
import pytest

from newsdesk.summarization.v1 import summarization_pb2, summarization_pb2_grpc
from newsdesk_shared.limits import SUMMARIZER
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


def assert_summary(reply, bullets_at_least: int = 3) -> None:
    assert reply.headline.strip() and len(reply.headline.split()) <= 15
    assert reply.summary.strip()
    assert bullets_at_least <= len(reply.bullets) <= 5
    assert len(set(reply.bullets)) == len(reply.bullets)
    assert reply.model.id == "newsdesk-local/bart-tiny-cnn"
    assert reply.chunking.sentences_read == reply.chunking.sentences
    assert reply.timing.total_ms > 0


@pytest.mark.shared
async def test_seed_article_summary(served) -> None:
    """The seed article gives headline, summary and 3–5 non-duplicate bullets."""
    reply = await stub(served).Summarize(summarization_pb2.SummarizeRequest(text=seed_article()))
    assert_summary(reply)


@pytest.mark.shared
async def test_translated_flores_summary(served) -> None:
    """A translated FLORES document gives a full Summary with the requested bullet count."""
    doc = next(d for d in flores_documents("ru", 80) if d["sentences"] >= 5)
    reply = await stub(served).Summarize(
        summarization_pb2.SummarizeRequest(
            text=doc["reference_en"],
            options=summarization_pb2.SummarizeOptions(bullet_count=3, summary_max_words=40),
        )
    )
    assert_summary(reply)
    assert len(reply.summary.split()) <= 41


def bad_option(needle: str, *, case: str, **options: int) -> object:
    """A case of test_bad_input: one option out of its range, INVALID_ARGUMENT."""
    request = summarization_pb2.SummarizeRequest(
        text="The cabinet met.", options=summarization_pb2.SummarizeOptions(**options)
    )
    return pytest.param(request, grpc.StatusCode.INVALID_ARGUMENT, needle, id=case)


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
        bad_option("options.bullet_count", case="zero-bullets", bullet_count=0),
        bad_option("options.summary_max_words", case="negative-length", summary_max_words=-5),
        bad_option(
            "options.bullet_max_words: 9 is outside the allowed range 10..100",
            case="bullet-words-9",
            bullet_max_words=9,
        ),
        pytest.param(
            summarization_pb2.SummarizeRequest(text="The cabinet met.", source_sentences=0),
            grpc.StatusCode.INVALID_ARGUMENT,
            "source_sentences: 0 is outside the allowed range 1..100000",
            id="source-sentences-0",
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
    """Info reports the model window, the configured limits (one text per call, the
    table's cap), and the engine and compute type serving."""
    info = await stub(served).Info(summarization_pb2.InfoRequest())
    assert info.max_source_tokens == 1024
    assert info.info.limits.max_chars == 40_000
    assert info.info.limits.max_batch == SUMMARIZER.max_batch.high == 1
    assert info.info.limits.max_concurrent_rpcs == 256
    expected = {
        "ctranslate2": {"ctranslate2-int8", "ctranslate2-int8_float32"},
        "transformers": {"transformers-float32"},
    }[engine_settings.name]
    assert info.info.models[0].engine in expected


# Five sentences of 14-20 words, then one of 8: only the last fits 10 words.
LONG_SENTENCES = (
    "The regional council approved a new budget for schools and hospitals after a long "
    "debate on Tuesday. In 2019, the council had rejected a similar plan by a narrow "
    "margin, according to local reports. The mayor said that 12 schools would be rebuilt "
    "before the winter, officials reported on Wednesday. Critics said the plan ignored "
    "the villages, where 3,000 people still lack running water. The governor announced "
    "that the first payments would arrive in March 2024, the ministry said. Officials "
    "said the vote was final."
)


async def test_bullet_max_words(served) -> None:
    """bullet_max_words bounds every bullet, which stays a whole sentence: with 10,
    the longer candidates give way and the shortfall says so, naming the option."""
    reply = await stub(served).Summarize(
        summarization_pb2.SummarizeRequest(
            text=LONG_SENTENCES,
            options=summarization_pb2.SummarizeOptions(bullet_count=4, bullet_max_words=10),
        )
    )
    assert len(reply.bullets) < 4
    for bullet in reply.bullets:
        assert len(bullet.split()) <= 10 and bullet.endswith(".")
    assert reply.bullet_shortfall == summarization_pb2.BULLET_SHORTFALL_LONG_SENTENCES
    assert "longer than 10 words (bullet_max_words)" in reply.bullet_shortfall_detail
    roomy = await stub(served).Summarize(
        summarization_pb2.SummarizeRequest(
            text=LONG_SENTENCES, options=summarization_pb2.SummarizeOptions(bullet_count=4)
        )
    )
    assert len(roomy.bullets) == 4 and not roomy.bullet_shortfall


async def test_shortfall_counts_the_article(served) -> None:
    """A plain Summarize counts the text's sentences; with source_sentences (the text
    is a translation) the note counts the article's."""
    text = "Russian forces shelled the city overnight, officials said on Monday."
    plain = await stub(served).Summarize(summarization_pb2.SummarizeRequest(text=text))
    assert "the article has 1 sentence:" in plain.bullet_shortfall_detail
    translated = await stub(served).Summarize(
        summarization_pb2.SummarizeRequest(text=text, source_sentences=6)
    )
    assert "the article has 6 sentences (1 in the English text)" in (
        translated.bullet_shortfall_detail
    )
