"""The model services' light language gate through real servers: the translator
refuses wrong-language documents item by item (never translating them as uk or ru) and
translates the right ones; the summarizer, built as the service builds its gate,
refuses a non-English article and summarizes an English one."""

from __future__ import annotations

import grpc
import pytest
from google.rpc import error_details_pb2

from newsdesk.summarization.v1 import summarization_pb2, summarization_pb2_grpc
from newsdesk.translation.v1 import translation_pb2, translation_pb2_grpc
from tests.conftest import serve, service_env, status_detail, translator_binding
from tests.language_samples import DOCUMENTS, NEVER_TRANSLATED


async def test_translator_refuses_wrong_language_documents(translator) -> None:
    """bg, mk, sr and kk documents fail alone with UNSUPPORTED_LANGUAGE naming their
    item; the uk, ru and en ones beside them are translated (or passed) as themselves."""
    langs = [*NEVER_TRANSLATED, "uk", "ru", "en"]
    binding, built = translator_binding(translator)
    s = await serve([binding])
    try:
        stub = translation_pb2_grpc.TranslationServiceStub(s.channel)
        reply = await stub.Translate(
            translation_pb2.TranslateRequest(
                contents=[DOCUMENTS[lang] for lang in langs], partial_results=True
            )
        )
        for i, (lang, t) in enumerate(zip(langs, reply.translations, strict=True)):
            if lang in NEVER_TRANSLATED:
                assert (t.error.reason, t.error.field) == ("UNSUPPORTED_LANGUAGE", f"contents[{i}]")
                assert f"'{lang}'" in t.error.message and not t.translated_text
            else:
                assert not t.HasField("error"), t.error.message
                assert t.source_language_code == t.detected_language_code == lang
                assert t.translated_text.strip()
    finally:
        await s.channel.close()
        await s.running.stop()
        built.close()


async def test_summarizer_gate_as_the_service_builds_it(writer) -> None:
    """The summarizer's own gate (no gate passed to build) refuses a Russian article
    NOT_ENGLISH and summarizes an English one."""
    from services.summarizer.app import build
    from services.summarizer.build_local import TINY_SPEC
    from services.summarizer.config import SummarizerConfig

    env = service_env("NEWSDESK_SUMMARIZER_", max_chars=60_000, num_beams=2)
    env["NEWSDESK_SUMMARIZER_MODEL"] = str(TINY_SPEC)
    built = build(SummarizerConfig.from_env(env), writer)
    s = await serve(built.bindings)
    try:
        stub = summarization_pb2_grpc.SummarizationServiceStub(s.channel)
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await stub.Summarize(summarization_pb2.SummarizeRequest(text=DOCUMENTS["ru"] * 3))
        assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        info = status_detail(caught.value, error_details_pb2.ErrorInfo)
        assert (info.reason, info.metadata["language"]) == ("NOT_ENGLISH", "ru")
        reply = await stub.Summarize(summarization_pb2.SummarizeRequest(text=DOCUMENTS["en"] * 3))
        assert reply.summary.strip()
    finally:
        await s.channel.close()
        await s.running.stop()
        built.close()
