"""The translation cache through a real translator: the same article translated twice
costs no model call the second time; the response says so; hits and misses are
metrics; a cache never changes the answer."""

from __future__ import annotations

import contextlib

from prometheus_client import REGISTRY

from newsdesk.translation.v1 import translation_pb2, translation_pb2_grpc
from services.common.language import LanguageGate
from services.translator.pipeline import DocumentTranslator
from tests.conftest import WrappedEngine, serve, translator_binding

UK = (
    "Уряд України ухвалив нове рішення щодо підтримки громад у понеділок.\n\n"
    "За даними агентства, у 2022 році обсяг експорту збільшився на 12 відсотків. "
    "Мер пообіцяв відбудувати 40 шкіл до вересня."
)


def hits() -> float:
    return (
        REGISTRY.get_sample_value("newsdesk_translation_cache_lookups_total", {"result": "hit"})
        or 0.0
    )


@contextlib.asynccontextmanager
async def counted_translator(translator, cache_mb: int):
    """A real translator service over the tiny engine, counting its model calls."""
    engine = WrappedEngine(translator.engines["uk"])
    counted = DocumentTranslator(
        {"uk": engine, "ru": engine}, LanguageGate(lambda t: ("uk", 1.0, True))
    )
    binding, runner = translator_binding(counted, cache_mb=cache_mb)
    s = await serve([binding])
    try:
        yield engine, translation_pb2_grpc.TranslationServiceStub(s.channel)
    finally:
        await s.channel.close()
        await s.running.stop()
        runner.close()


async def test_same_article_twice_costs_no_model_call(translator) -> None:
    async with counted_translator(translator, 8) as (engine, stub):
        request = translation_pb2.TranslateRequest(contents=[UK], source_language_code="uk")
        first = (await stub.Translate(request)).translations[0]
        calls = engine.calls
        assert calls >= 1 and first.segments.cached_segments == 0
        before = hits()
        second = (await stub.Translate(request)).translations[0]
        assert engine.calls == calls  # no model call the second time
        assert second.segments.cached_segments == second.segments.source_segments == 3
        assert hits() - before == 3
        assert second.translated_text == first.translated_text
        assert [list(f.reasons) for f in second.segments.flags] == [
            list(f.reasons) for f in first.segments.flags
        ]
        # Other settings are other keys: greedy decoding is a model call again.
        greedy = translation_pb2.TranslateRequest(
            contents=[UK], source_language_code="uk", num_beams=1
        )
        third = (await stub.Translate(greedy)).translations[0]
        assert engine.calls > calls and third.segments.cached_segments == 0
        # The stream shares the cache.
        streamed = [
            m
            async for m in stub.TranslateStream(
                translation_pb2.TranslateStreamRequest(content=UK, source_language_code="uk")
            )
        ]
        assert sum(m.segments.cached_segments for m in streamed) == 3


async def test_cache_off(translator) -> None:
    async with counted_translator(translator, 0) as (engine, stub):
        request = translation_pb2.TranslateRequest(contents=[UK], source_language_code="uk")
        await stub.Translate(request)
        calls = engine.calls
        again = (await stub.Translate(request)).translations[0]
        assert engine.calls > calls and again.segments.cached_segments == 0
