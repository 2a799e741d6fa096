"""The translation cache through a real translator: the same article translated twice
costs no model call the second time; the response says so; hits and misses are
metrics; a cache never changes the answer."""

from __future__ import annotations

import contextlib

from prometheus_client import REGISTRY

from newsdesk.translation.v1 import translation_pb2
from tests.conftest import WrappedEngine
from tests.translator_servers import Rewriting, over, serving

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


class CopiesInput(Rewriting):
    """The real engine runs (and counts), then each output is replaced by its input: a
    stand-in for a trained model, which copies placeholders, so restored terms show."""

    def rewrite(self, source, output, spec):
        return source


@contextlib.asynccontextmanager
async def counted_translator(translator, cache_mb: int, engine_type=WrappedEngine):
    """A real translator service over the tiny engine, counting its model calls."""
    engine = engine_type(translator.engines["uk"])
    async with serving(over(engine), cache_mb=cache_mb) as stub:
        yield engine, stub


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
        # Three first generations, and each retry the gate asked for, from the cache.
        assert hits() - before == 3 + first.segments.retried_segments
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


def report(t) -> dict:
    """A translation's segment report as a dict, without the cache's own count."""
    fields = {f.name: getattr(t.segments, f.name) for f in t.segments.DESCRIPTOR.fields}
    fields.pop("cached_segments")
    fields["flags"] = [str(f) for f in t.segments.flags]
    return fields


# Four sentences differing only in the protected term; one masked text for all four.
TERM_CASES = [
    ("ЗСУ заявили про успіх.", "Armed Forces of Ukraine"),
    ("СБУ заявили про успіх.", "SBU"),
    ("ГУР заявили про успіх.", "HUR"),
    ("ЖКЛ заявили про успіх.", "ЖКЛ"),  # an unknown acronym, kept in its script
]


async def test_a_hit_never_returns_another_requests_term(translator) -> None:
    """Sentences that differ only in their protected term share the model's work (one
    masked text) but each gets its own rendering; the second of each identical pair is
    a hit with the same report (term accounting included) as the first."""
    cases = TERM_CASES
    async with counted_translator(translator, 8, CopiesInput) as (engine, stub):
        texts = []
        for sentence, rendering in cases:
            request = translation_pb2.TranslateRequest(
                contents=[sentence], source_language_code="uk"
            )
            first = (await stub.Translate(request)).translations[0]
            calls = engine.calls
            second = (await stub.Translate(request)).translations[0]
            assert engine.calls == calls  # the second of the pair is a hit
            assert second.segments.cached_segments == 1
            for t in (first, second):
                assert t.translated_text.startswith(rendering + " "), t.translated_text
                assert t.segments.terms_protected == t.segments.terms_restored == 1
                assert t.segments.terms_dropped == 0
            assert second.translated_text == first.translated_text
            assert report(second) == report(first)
            texts.append(first.translated_text)
        assert len(set(texts)) == len(cases)
        # All four masked to one text: after the first, every first generation is a hit.
        assert {t.split()[0] for t in engine.seen} == {"ZQ1"}


async def test_a_hit_never_returns_another_requests_extra_term(translator) -> None:
    """A request's own extra term is not answered to the next caller whose masked text
    is the same: "ОДКБ заявив." after "Пупкін заявив." (with Пупкін→Pupkin) is CSTO."""
    async with counted_translator(translator, 8, CopiesInput) as (engine, stub):
        pupkin = translation_pb2.TranslateRequest(
            contents=["Пупкін заявив."],
            source_language_code="uk",
            extra_terms=[
                translation_pb2.TermEntry(language_code="uk", term="Пупкін", english="Pupkin")
            ],
        )
        assert (await stub.Translate(pupkin)).translations[0].translated_text.startswith("Pupkin ")
        calls = engine.calls
        other = translation_pb2.TranslateRequest(
            contents=["ОДКБ заявив."], source_language_code="uk"
        )
        reply = (await stub.Translate(other)).translations[0]
        assert engine.calls == calls and reply.segments.cached_segments == 1
        assert reply.translated_text.startswith("CSTO "), reply.translated_text
        assert "Pupkin" not in reply.translated_text


async def test_a_hit_reports_the_term_accounting_of_the_first_answer(translator) -> None:
    """The raw tiny model drops placeholders: the second answer of the same article is
    a hit and reports the same terms dropped, retries and flags as the first."""
    article = "ЗСУ збили 12 БПЛА над Харковом. СБУ затримала агента ГУР."
    async with counted_translator(translator, 8) as (engine, stub):
        request = translation_pb2.TranslateRequest(contents=[article], source_language_code="uk")
        first = (await stub.Translate(request)).translations[0]
        calls = engine.calls
        second = (await stub.Translate(request)).translations[0]
        assert engine.calls == calls
        assert first.segments.terms_dropped >= 1  # random weights do not copy them
        assert report(second) == report(first)
        assert second.translated_text == first.translated_text
