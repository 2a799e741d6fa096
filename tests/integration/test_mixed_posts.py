"""A post mixing Ukrainian, Russian and English by paragraph through a real translator
service on the tiny model and the real language gate: each paragraph translated from
its own language, English passed through as written, in Translate and TranslateStream."""

from __future__ import annotations

from newsdesk.translation.v1 import translation_pb2
from tests.translator_servers import serving

UK = (
    "Сили оборони України протягом минулої доби відбили дванадцять атак на сході країни, "
    "повідомили у Генеральному штабі. Найзапекліші бої тривають поблизу міста."
)
RU = (
    "Министр иностранных дел заявил журналистам, что переговоры продолжатся на следующей "
    "неделе. Он также отметил, что стороны обсудили обмен пленными."
)
EN = "The ministry said the talks would continue next week in Geneva, according to a statement."
POST = f"{UK}\n\n{RU}\n\n{EN}"


async def test_each_paragraph_from_its_own_language(translator) -> None:
    async with serving(translator, cache_mb=0) as stub:
        for requested in ("", "uk"):
            reply = await stub.Translate(
                translation_pb2.TranslateRequest(
                    contents=[POST], source_language_code=requested, include_alignment=True
                )
            )
            t = reply.translations[0]
            assert t.source_language_code == "uk"
            assert list(t.paragraph_language_codes) == ["uk", "ru", "en"]
            # English passes through as written; every sentence is aligned.
            assert t.translated_text.rstrip().endswith(EN)
            assert len(t.alignment) == t.segments.source_segments
        replies = [
            r
            async for r in stub.TranslateStream(
                translation_pb2.TranslateStreamRequest(content=POST, source_language_code="uk")
            )
        ]
    assert [r.paragraph_language_code for r in replies] == ["uk", "ru", "en"]
    assert replies[2].translated_text == EN


async def test_one_language_documents_report_no_paragraph_languages(translator) -> None:
    async with serving(translator, cache_mb=0) as stub:
        reply = await stub.Translate(
            translation_pb2.TranslateRequest(contents=[f"{UK}\n\n{UK}"], source_language_code="uk")
        )
    assert list(reply.translations[0].paragraph_language_codes) == []
