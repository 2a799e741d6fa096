"""The entity layer through a real translator service on the tiny model. Random weights
carry no name through, so a stand-in that copies its input the way a trained model
copies placeholders (tests.translator_servers.Copying) shows names restored with one
rendering; the bare tiny model shows what happens when a placeholder is lost."""

from __future__ import annotations

import contextlib
import re

import grpc
import pytest
from google.rpc import error_details_pb2

from newsdesk.translation.v1 import translation_pb2
from tests.conftest import WrappedEngine, status_detail
from tests.translator_servers import Copying, over, serving

pytest.importorskip("pymorphy3", reason="the entity layer needs the serve extra (pymorphy3)")

# One person in three case forms (nominative, genitive, dative), a place, another person.
UK = (
    "Президент Володимир Зеленський заявив, що 12 000 військових готові.\n\n"
    "Офіс Зеленського повідомив про зустріч у Києві. "
    "Зеленському передали лист від Андрія Єрмака."
)


def spans(items) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in items]


@contextlib.asynccontextmanager
async def served(translator, engine_type=Copying, **env):
    """A real translator service over the tiny engine behind `engine_type`."""
    engine = engine_type(translator.engines["uk"])
    async with serving(over(engine), cache_mb=0, **env) as stub:
        yield engine, stub


def entity(t: translation_pb2.Translation, lemma: str) -> translation_pb2.Entity:
    found = [e for e in t.entities if e.lemma == lemma]
    assert len(found) == 1, [e.lemma for e in t.entities]
    return found[0]


async def test_one_person_in_three_cases_has_one_rendering(translator) -> None:
    async with served(translator) as (engine, stub):
        reply = await stub.Translate(
            translation_pb2.TranslateRequest(contents=[UK], source_language_code="uk")
        )
    t = reply.translations[0]
    zelensky = entity(t, "зеленський")
    assert (zelensky.kind, zelensky.english, zelensky.how) == (
        "person",
        "Volodymyr Zelensky",
        "glossary",
    )
    assert zelensky.masked
    # Every inflected form is a source span of the one entity.
    forms = [UK[s.start : s.end] for s in zelensky.source_spans]
    assert forms == ["Володимир Зеленський", "Зеленського", "Зеленському"]
    # Each target span holds the one rendering, and no other spelling is anywhere.
    written = [t.translated_text[s.start : s.end] for s in zelensky.target_spans]
    assert written == ["Volodymyr Zelensky", "Zelensky", "Zelensky"]
    assert re.findall(r"Zelensk\w*", t.translated_text) == ["Zelensky"] * 3
    # The model saw placeholders, never the names.
    assert not any("Зеленськ" in text for text in engine.seen)
    assert entity(t, "київ").english == "Kyiv"
    assert entity(t, "єрмак").english == "Andriy Yermak"
    report = t.segments
    assert report.names_protected == 5 and report.names_restored == 5
    assert report.names_dropped == 0 and report.terms_protected == 0
    # Entities come in order of first mention.
    assert [e.lemma for e in t.entities] == ["зеленський", "київ", "єрмак"]


async def test_stream_reports_each_paragraphs_names(translator) -> None:
    async with served(translator) as (_, stub):
        replies = [
            r
            async for r in stub.TranslateStream(
                translation_pb2.TranslateStreamRequest(content=UK, source_language_code="uk")
            )
        ]
    assert [[e.lemma for e in r.entities] for r in replies] == [
        ["зеленський"],
        ["зеленський", "київ", "єрмак"],
    ]
    second = replies[1]
    zelensky = second.entities[0]
    assert len(zelensky.source_spans) == 2  # offsets into the whole content
    assert [UK[s.start : s.end] for s in zelensky.source_spans] == ["Зеленського", "Зеленському"]
    assert [second.translated_text[s.start : s.end] for s in zelensky.target_spans] == [
        "Zelensky"
    ] * 2


async def test_request_names_win_and_are_not_cached_across_requests(translator) -> None:
    """Two requests for one text with different names for one person: each gets its own
    (the cache holds the masked generation, never a rendering)."""
    text = "Сибіга зустрівся з колегою. Сибігу привітали."
    async with serving(over(Copying(translator.engines["uk"]))) as stub:  # cache on
        renderings = []
        for english in ("Andrii Sybiha", "Andriy Sybiha"):
            name = translation_pb2.NameEntry(language_code="uk", lemma="сибіга", english=english)
            reply = await stub.Translate(
                translation_pb2.TranslateRequest(
                    contents=[text], source_language_code="uk", extra_names=[name]
                )
            )
            t = reply.translations[0]
            sybiha = entity(t, "сибіга")
            assert sybiha.how == "per-request" and sybiha.masked
            assert len(sybiha.source_spans) == 2
            renderings.append(t.translated_text)
        assert "Andrii Sybiha" not in renderings[1] and "Sybiha" in renderings[1]
        assert reply.translations[0].segments.cached_segments >= 1


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        (dict(language_code="de", lemma="зеленський", english="Z"), "extra_names[0].language_code"),
        (dict(language_code="uk", lemma="в", english="In"), "extra_names[0].lemma"),
        (dict(language_code="uk", lemma="на", english="On"), "extra_names[0].lemma"),
        (dict(language_code="uk", lemma="Zelensky", english="Z"), "extra_names[0].lemma"),
        (dict(language_code="uk", lemma="Зеленський", english="Z"), "extra_names[0].lemma"),
        (dict(language_code="uk", lemma="зеленський", english="Зе"), "extra_names[0].english"),
        (dict(language_code="uk", lemma="зеленський", english=""), "extra_names[0].english"),
        (dict(language_code="uk", lemma="сибіга", english="S", kind="x"), "extra_names[0].kind"),
    ],
)
async def test_bad_request_names_are_refused_naming_the_field(translator, entry, field) -> None:
    async with served(translator) as (_, stub):
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await stub.Translate(
                translation_pb2.TranslateRequest(
                    contents=[UK],
                    source_language_code="uk",
                    extra_names=[translation_pb2.NameEntry(**entry)],
                )
            )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    bad = status_detail(caught.value, error_details_pb2.BadRequest)
    assert bad.field_violations[0].field == field


async def test_too_many_request_names_are_refused(translator) -> None:
    letters = "абвгдежзиклмнопрстуф"
    lemmas = [f"прізвище{a}{b}" for a in letters for b in letters][:201]
    names = [
        translation_pb2.NameEntry(language_code="uk", lemma=lemma, english="X") for lemma in lemmas
    ]
    async with served(translator) as (_, stub):
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await stub.Translate(
                translation_pb2.TranslateRequest(
                    contents=[UK], source_language_code="uk", extra_names=names
                )
            )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    bad = status_detail(caught.value, error_details_pb2.BadRequest)
    assert bad.field_violations[0].field == "extra_names"


async def test_every_bad_name_fits_in_one_error(translator) -> None:
    """201 bad names: INVALID_ARGUMENT with a bounded list of details (gRPC caps
    trailing metadata at 16 KiB), never RESOURCE_EXHAUSTED from the transport."""
    names = [translation_pb2.NameEntry(language_code="uk", lemma="в", english="X")] * 150
    async with served(translator) as (_, stub):
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await stub.Translate(
                translation_pb2.TranslateRequest(
                    contents=[UK], source_language_code="uk", extra_names=names
                )
            )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    bad = status_detail(caught.value, error_details_pb2.BadRequest)
    assert 1 < len(bad.field_violations) <= 21
    assert "more violation" in bad.field_violations[-1].description


async def test_the_layer_switched_off(translator) -> None:
    async with served(translator, names="off") as (engine, stub):
        reply = await stub.Translate(
            translation_pb2.TranslateRequest(contents=[UK], source_language_code="uk")
        )
        t = reply.translations[0]
        assert not t.entities and t.segments.names_protected == 0
        assert any("Зеленського" in text for text in engine.seen)
    async with served(translator) as (engine, stub):
        reply = await stub.Translate(
            translation_pb2.TranslateRequest(
                contents=[UK], source_language_code="uk", names_off=True
            )
        )
        assert not reply.translations[0].entities
        assert any("Зеленського" in text for text in engine.seen)
    name = translation_pb2.NameEntry(language_code="uk", lemma="сибіга", english="Sybiha")
    async with served(translator, names="off") as (engine, stub):
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await stub.Translate(
                translation_pb2.TranslateRequest(
                    contents=[UK], source_language_code="uk", extra_names=[name]
                )
            )
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "entity layer is off" in caught.value.details()


async def test_transliterated_names_are_masked_only_when_the_server_says_all(translator) -> None:
    text = "Ігор Коваленко прибув. Коваленка зустріли."
    for mode, masked in (("glossary", False), ("all", True)):
        async with served(translator, names=mode) as (engine, stub):
            reply = await stub.Translate(
                translation_pb2.TranslateRequest(contents=[text], source_language_code="uk")
            )
        found = reply.translations[0].entities
        by_lemma = {e.lemma: e for e in found}
        kovalenko = by_lemma["коваленко"]
        assert (kovalenko.english, kovalenko.how) == ("Ihor Kovalenko", "KMU 2010")
        assert kovalenko.masked is masked
        assert len(kovalenko.source_spans) == 2
        assert any("Коваленк" in seen for seen in engine.seen) is not masked
        text_out = reply.translations[0].translated_text
        written = [text_out[s.start : s.end] for s in kovalenko.target_spans]
        if masked:
            assert written == ["Ihor Kovalenko", "Kovalenko"]


async def test_a_lost_name_is_retried_unmasked_and_flagged(translator) -> None:
    """Random weights drop the placeholders: counted, retried without masking, and the
    sentence flagged when the rendering is still missing — never silently lost."""
    async with served(translator, WrappedEngine) as (engine, stub):
        reply = await stub.Translate(
            translation_pb2.TranslateRequest(contents=[UK], source_language_code="uk")
        )
    report = reply.translations[0].segments
    assert report.names_protected == 5
    assert report.names_dropped >= 1
    assert report.names_dropped + report.names_restored == 5
    assert any("Зеленського" in text for text in engine.seen)  # the unmasked retry
    assert any("term_dropped" in f.reasons for f in report.flags)


async def test_russian_names(translator) -> None:
    text = "Министр Сергей Лавров заявил. Лаврова спросили о Москве. Лаврову ответили."
    async with served(translator) as (_, stub):
        reply = await stub.Translate(
            translation_pb2.TranslateRequest(contents=[text], source_language_code="ru")
        )
    t = reply.translations[0]
    lavrov = entity(t, "лавров")
    assert lavrov.english == "Sergei Lavrov" or lavrov.english.endswith("Lavrov")
    assert len(lavrov.source_spans) == 3
    assert len(lavrov.target_spans) == 3
    assert all(t.translated_text[s.start : s.end].endswith("Lavrov") for s in lavrov.target_spans)
