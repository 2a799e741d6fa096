"""The translator through a real grpc.aio server on the tiny MarianMT model."""

from __future__ import annotations

import grpc
import pytest
from google.rpc import error_details_pb2

from newsdesk.translation.v1 import translation_pb2
from services.common.text.segment import split_sentences, split_with_breaks
from tests.conftest import flores_documents, long_document, status_detail
from tests.translator_servers import serving


@pytest.fixture
async def served(translator):
    async with serving(translator, max_chars=30_000, max_batch=4) as stub:
        yield stub


def error_info(err: grpc.aio.AioRpcError) -> error_details_pb2.ErrorInfo:
    info = status_detail(err, error_details_pb2.ErrorInfo)
    assert info is not None, "no ErrorInfo"
    return info


def assert_accounted(source: str, translation) -> None:
    """Every paragraph and sentence of `source` is accounted for in `translation`."""
    paragraphs, _ = split_with_breaks(source)
    sentences = sum(len(split_sentences(p)) for p in paragraphs)
    seg = translation.segments
    assert seg.paragraphs == len(paragraphs)
    assert seg.source_segments == sentences
    assert seg.translated_segments == sentences
    assert not seg.truncated
    out_paragraphs, _ = split_with_breaks(translation.translated_text)
    assert len(out_paragraphs) == len(paragraphs)
    assert all(p.strip() for p in out_paragraphs)


@pytest.mark.shared
@pytest.mark.parametrize("lang", ["uk", "ru"])
async def test_flores_documents_detected_and_translated(served, lang: str) -> None:
    """FLORES documents in uk and ru are detected, translated, and fully accounted for."""
    docs = flores_documents(lang, 2)
    reply = await served.Translate(
        translation_pb2.TranslateRequest(contents=[d["text"] for d in docs])
    )
    assert len(reply.translations) == 2
    for doc, tr in zip(docs, reply.translations, strict=True):
        assert tr.detected_language_code == lang
        assert tr.source_language_code == lang
        assert tr.model.id == "newsdesk-local/opus-mt-tiny-zle-en"
        assert tr.model.revision
        assert_accounted(doc["text"], tr)


async def test_twenty_thousand_characters(served) -> None:
    """A 20,000-character document: segment counts match, nothing empty, breaks survive."""
    text = long_document("uk", 20_000)
    assert len(text) >= 20_000
    reply = await served.Translate(
        translation_pb2.TranslateRequest(contents=[text], source_language_code="uk")
    )
    (tr,) = reply.translations
    assert_accounted(text, tr)
    assert tr.translated_text.count("\n\n") == text.count("\n\n")


async def test_english_passthrough(served) -> None:
    """English is returned unchanged."""
    text = "The cabinet met on Monday.\n\nIt agreed on the budget."
    reply = await served.Translate(translation_pb2.TranslateRequest(contents=[text]))
    assert reply.translations[0].translated_text == text
    assert reply.translations[0].source_language_code == "en"


@pytest.mark.parametrize(
    ("contents", "source", "reason", "needle"),
    [
        pytest.param(
            ["Үкімет елдің экономикасын қолдаудың жаңа шараларын дүйсенбіде жариялады."],
            "",
            "UNSUPPORTED_LANGUAGE",
            "'kk'",
            id="kazakh-detected",
        ),
        pytest.param(["Guten Morgen, Berlin."], "de", "UNSUPPORTED_LANGUAGE", "'de'", id="de"),
        pytest.param(["ok text", ""], "uk", "EMPTY_TEXT", "contents[1]", id="empty-doc"),
        pytest.param(["x" * 30_001], "uk", "TEXT_TOO_LONG", "30000", id="over-cap"),
        pytest.param(["a"] * 5, "uk", "BATCH_TOO_LARGE", "limit of 4", id="too-many"),
    ],
)
async def test_bad_input_is_invalid_argument(served, contents, source, reason, needle) -> None:
    """Bad input is INVALID_ARGUMENT with a reason and details naming what was wrong."""
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await served.Translate(
            translation_pb2.TranslateRequest(contents=contents, source_language_code=source)
        )
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert needle in err.value.details()
    assert error_info(err.value).reason == reason


async def test_wrong_target_language(served) -> None:
    """Only English is a target."""
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await served.Translate(
            translation_pb2.TranslateRequest(
                contents=["Привіт"], source_language_code="uk", target_language_code="de"
            )
        )
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "target_language_code" in str(error_info(err.value)) or "de" in err.value.details()


async def test_stream_paragraphs_in_order(served) -> None:
    """TranslateStream yields each paragraph once, in order, with the total count."""
    text = "Перший абзац. Друге речення.\n\nДругий абзац.\n\nТретій абзац тут."
    indexes = []
    async for part in served.TranslateStream(
        translation_pb2.TranslateStreamRequest(content=text, source_language_code="uk")
    ):
        indexes.append(part.paragraph_index)
        assert part.paragraph_count == 3
        assert part.translated_text.strip()
        assert part.segments.source_segments == part.segments.translated_segments
    assert indexes == [0, 1, 2]


async def test_list_pairs_and_info(served, engine_settings) -> None:
    """ListLanguagePairs lists uk, ru, be (the tiny zle model declares it) and en → en;
    Info gives limits, the model, and the engine and compute type actually serving — as
    does every translation."""
    pairs = await served.ListLanguagePairs(translation_pb2.ListLanguagePairsRequest())
    assert {(p.source_language_code, p.target_language_code) for p in pairs.pairs} == {
        ("uk", "en"),
        ("ru", "en"),
        ("be", "en"),
        ("en", "en"),
    }
    info = await served.Info(translation_pb2.InfoRequest())
    assert info.info.limits.max_chars == 30_000
    assert info.max_source_tokens == 512
    assert len(info.info.models) == 1  # one model serves both languages
    engine = info.info.models[0].engine
    expected = {
        "ctranslate2": {"ctranslate2-int8", "ctranslate2-int8_float32"},
        "transformers": {"transformers-float32"},
    }[engine_settings.name]
    assert engine in expected
    reply = await served.Translate(
        translation_pb2.TranslateRequest(contents=["Київ."], source_language_code="uk")
    )
    assert reply.translations[0].model.engine == engine
