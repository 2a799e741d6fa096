"""Translator refusals through a real grpc.aio server on the tiny model: an uncertain
language says why and what to do; an empty document has a reason of its own."""

from __future__ import annotations

import grpc
import pytest
from google.rpc import error_details_pb2

from newsdesk.translation.v1 import translation_pb2
from tests.conftest import status_detail
from tests.translator_servers import serving

UK = "Київ сьогодні вранці зазнав масованої атаки дронів, повідомили у міській адміністрації."


@pytest.fixture
async def translation(translator):
    async with serving(translator, max_chars=30_000, max_batch=4) as stub:
        yield stub


async def test_one_word_is_too_short_not_confidently_uncertain(translation) -> None:
    """Київ alone: LANGUAGE_UNCERTAIN, too short to tell uk from ru, set source_language_code."""
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await translation.Translate(translation_pb2.TranslateRequest(contents=["Київ"]))
    err = caught.value
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    info = status_detail(err, error_details_pb2.ErrorInfo)
    assert info.reason == "LANGUAGE_UNCERTAIN" and info.metadata["doubt"] == "too_short"
    message = err.details()
    assert "too short" in message and "Ukrainian from Russian" in message
    assert "source_language_code" in message
    assert "confidence" not in message and "1.00" not in message


async def test_one_word_with_source_language_is_translated(translation) -> None:
    """What the message asks for works: with source_language_code the word is translated."""
    reply = await translation.Translate(
        translation_pb2.TranslateRequest(contents=["Київ"], source_language_code="uk")
    )
    assert reply.translations[0].source_language_code == "uk"


async def test_empty_document_item_error_has_a_specific_reason(translation) -> None:
    """With partial_results an empty document fails alone, reason EMPTY_TEXT, naming contents[1]."""
    reply = await translation.Translate(
        translation_pb2.TranslateRequest(
            contents=[UK, "  "], source_language_code="uk", partial_results=True
        )
    )
    ok, empty = reply.translations
    assert not ok.HasField("error") and ok.translated_text.strip()
    assert empty.error.code == "INVALID_ARGUMENT"
    assert (empty.error.reason, empty.error.field) == ("EMPTY_TEXT", "contents[1]")


async def test_empty_document_fails_the_call_with_empty_text(translation) -> None:
    """Without partial_results the empty document fails the call, reason EMPTY_TEXT."""
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await translation.Translate(
            translation_pb2.TranslateRequest(contents=[UK, ""], source_language_code="uk")
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert status_detail(caught.value, error_details_pb2.ErrorInfo).reason == "EMPTY_TEXT"
