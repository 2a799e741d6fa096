"""TranslateStream's reject_flagged and extra_terms, and Translate ⇄ TranslateStream
parity, through a real translator service on the tiny model. A seam around the real
engine (which runs, and is counted) scripts the English of each input, so what the
gate sees — and whether a piece is retried — is decided by the test, not by random
weights."""

from __future__ import annotations

import contextlib
import dataclasses
import re

import grpc
import pytest
from google.rpc import error_details_pb2

from newsdesk.translation.v1 import translation_pb2
from services.common.engines.base import Generated, GenerationSpec
from services.translator import plausibility
from tests.conftest import status_detail
from tests.translator_servers import Rewriting, over, serving
from tests.unit.test_translator_options import BAD_TERMS

# The English of each input as the model sees it (protected terms masked).
ENGLISH = {
    "Київ — столиця України.": "Kyiv is the capital of Ukraine.",
    "Уряд ухвалив рішення.": "The government made a decision.",
    "ZQ1 збили 12 дронів над Харковом.": "ZQ1 shot down 12 drones over Kharkiv.",
    "ЗСУ збили 12 дронів над Харковом.": "Ukraine's army shot down 12 drones over Kharkiv.",
    "Мер пообіцяв допомогу.": "The mayor promised help.",
    "Бригада ZQ1 тримає оборону.": "The ZQ1 brigade holds the line.",
}
LOOP = "the the the the the the"
DOC = (
    "Уряд ухвалив рішення. ЗСУ збили 12 дронів над Харковом.\n\n"
    "Мер пообіцяв допомогу.\n\nКиїв — столиця України."
)
SERVER_BEAMS = 2  # a retry: 4 beams


class Scripted(Rewriting):
    """Each output is ENGLISH[input]; an input matching `bad` loops instead while its
    beams are below `fixed_at` (a retry has more beams). Its target tokens are its
    words: the random model's own count depends on what shared its batch."""

    def __init__(self, inner, bad: str = "", fixed_at: int = 0) -> None:
        super().__init__(inner)
        self.bad, self.fixed_at = bad, fixed_at

    def rewrite(self, source: str, output: str, spec: GenerationSpec) -> str:
        if self.bad and re.search(self.bad, source) and spec.num_beams < self.fixed_at:
            return LOOP
        return ENGLISH[source]

    def generated(self, source: str, result: Generated, spec: GenerationSpec) -> Generated:
        text = self.rewrite(source, result.text, spec)
        return dataclasses.replace(result, text=text, target_tokens=len(text.split()))


@contextlib.asynccontextmanager
async def served(translator, **seam):
    """The service (no cache, the server's terms, no entity layer: the seam scripts the
    English of each source as written) over a Scripted seam."""
    engine = Scripted(translator.engines["uk"], **seam)
    async with serving(over(engine, SERVER_BEAMS), cache_mb=0, names="off") as stub:
        yield engine, stub


async def stream(stub, content: str, **fields) -> list:
    request = translation_pb2.TranslateStreamRequest(content=content, **fields)
    return [m async for m in stub.TranslateStream(request)]


def test_the_scripted_english_passes_and_the_loop_fails_the_gate() -> None:
    """The fixtures: each scripted rendering passes the gate, LOOP does not."""
    assert plausibility.check("Уряд ухвалив рішення.", LOOP)
    for source, english in ENGLISH.items():
        restored = english.replace("ZQ1", "Armed Forces of Ukraine")
        protected = ["Armed Forces of Ukraine"] if "ZQ1" in english else []
        check = plausibility.check(source.replace("ZQ1", "ЗСУ"), restored, protected=protected)
        assert check == (), source


async def test_stream_reject_flagged_fails_before_the_flagged_paragraph(translator) -> None:
    """With reject_flagged the paragraphs before the flagged one arrive; then the
    stream fails FAILED_PRECONDITION, IMPLAUSIBLE_TRANSLATION, naming `content` and
    the document's sentence number, as Translate names it for contents[0]."""
    async with served(translator, bad="Мер", fixed_at=99) as (_, stub):
        got = []
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            request = translation_pb2.TranslateStreamRequest(
                content=DOC, source_language_code="uk", reject_flagged=True
            )
            async for message in stub.TranslateStream(request):
                got.append(message)
        assert [m.paragraph_index for m in got] == [0]
        err = caught.value
        assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
        assert status_detail(err, error_details_pb2.ErrorInfo).reason == "IMPLAUSIBLE_TRANSLATION"
        assert err.details().startswith("content: 1 sentence(s) failed")
        assert "sentence 2 (" in err.details()
        with pytest.raises(grpc.aio.AioRpcError) as translated:
            await stub.Translate(
                translation_pb2.TranslateRequest(
                    contents=[DOC], source_language_code="uk", reject_flagged=True
                )
            )
        assert translated.value.details() == "contents[0]" + err.details().removeprefix("content")
        # Without reject_flagged the flagged paragraph is sent, with its flags.
        kept = await stream(stub, DOC, source_language_code="uk")
        assert [m.segments.flagged_segments for m in kept] == [0, 1, 0]
        assert kept[1].segments.retried_segments == 1


async def test_stream_reject_flagged_sends_everything_when_nothing_is_flagged(translator) -> None:
    """reject_flagged with nothing flagged: every paragraph arrives."""
    async with served(translator) as (_, stub):
        got = await stream(stub, DOC, source_language_code="uk", reject_flagged=True)
        assert [m.paragraph_index for m in got] == [0, 1, 2]
        assert sum(m.segments.flagged_segments for m in got) == 0


async def test_stream_extra_terms_are_masked_and_restored(translator) -> None:
    """A request's own term in TranslateStream: the model sees a placeholder, the
    paragraph its rendering, counted as in Translate."""
    term = translation_pb2.TermEntry(language_code="uk", term="Азов*", english="Azov")
    async with served(translator) as (engine, stub):
        content = "Бригада Азов тримає оборону."
        (message,) = await stream(stub, content, source_language_code="uk", extra_terms=[term])
        assert message.translated_text == "The Azov brigade holds the line."
        assert message.segments.terms_protected == message.segments.terms_restored == 1
        assert "Азов" not in " ".join(engine.seen)
        translated = await stub.Translate(
            translation_pb2.TranslateRequest(
                contents=[content], source_language_code="uk", extra_terms=[term]
            )
        )
        assert translated.translations[0].translated_text == message.translated_text


@pytest.mark.parametrize(("terms", "field"), BAD_TERMS)
async def test_stream_extra_terms_are_validated_as_in_translate(translator, terms, field) -> None:
    """A bad request term fails the stream before any work with INVALID_ARGUMENT and
    the same details as Translate gives: BAD_GLOSSARY_ENTRY, naming extra_terms[i]."""
    async with served(translator) as (engine, stub):
        failures = []
        for call in (
            stream(stub, "Текст.", source_language_code="uk", extra_terms=terms),
            stub.Translate(
                translation_pb2.TranslateRequest(
                    contents=["Текст."], source_language_code="uk", extra_terms=terms
                )
            ),
        ):
            with pytest.raises(grpc.aio.AioRpcError) as caught:
                await call
            failures.append(caught.value)
        assert engine.calls == 0
        details = []
        for err in failures:
            assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
            assert status_detail(err, error_details_pb2.ErrorInfo).reason == "BAD_GLOSSARY_ENTRY"
            bad = status_detail(err, error_details_pb2.BadRequest)
            details.append([(v.field, v.description) for v in bad.field_violations])
        assert details[0] == details[1]
        assert field in [name for name, _ in details[0]]


def flags_of(report, first: int = 0) -> list[tuple]:
    """A report's flags, sentence numbers moved on by `first`."""
    return [
        (f.paragraph_index, first + f.sentence_index, f.source.start, f.source.end, *f.reasons)
        for f in report.flags
    ]


def counts_of(report) -> dict[str, int]:
    """A report's counts (every numeric field)."""
    return {
        f.name: getattr(report, f.name)
        for f in report.DESCRIPTOR.fields
        if f.name not in ("flags", "truncated")
    }


@pytest.mark.parametrize(
    ("seam", "retried", "flagged"),
    [
        pytest.param({}, 0, 0, id="no-retry"),
        pytest.param({"bad": "Уряд|Мер", "fixed_at": 4}, 2, 0, id="retry-fixes"),
        pytest.param({"bad": "Уряд|Київ", "fixed_at": 99}, 2, 2, id="retry-fails"),
    ],
)
async def test_translate_and_stream_give_the_same_translation(
    translator, seam, retried: int, flagged: int
) -> None:
    """The same document through Translate and TranslateStream: the same English
    paragraph by paragraph, the same counts added up, the same flags (sentence numbers
    made the document's) and the same alignment, with and without the gate's retry."""
    async with served(translator, **seam) as (_, stub):
        reply = await stub.Translate(
            translation_pb2.TranslateRequest(
                contents=[DOC], source_language_code="uk", include_alignment=True
            )
        )
        whole = reply.translations[0]
        parts = await stream(stub, DOC, source_language_code="uk", include_alignment=True)
    assert whole.segments.retried_segments == retried
    assert whole.segments.flagged_segments == flagged
    assert whole.segments.terms_restored == 1
    assert whole.translated_text == "\n\n".join(p.translated_text for p in parts)
    totals = dict.fromkeys(counts_of(whole.segments), 0)
    flags: list[tuple] = []
    alignment: list[tuple] = []
    offset = 0
    for part in parts:
        for name, value in counts_of(part.segments).items():
            totals[name] += value
        flags += flags_of(part.segments, totals["source_segments"] - part.segments.source_segments)
        alignment += [
            (a.source.start, a.source.end, a.target.start + offset, a.target.end + offset, *a.flags)
            for a in part.alignment
        ]
        offset += len(part.translated_text) + 2
    assert totals == counts_of(whole.segments)
    assert flags == flags_of(whole.segments)
    assert alignment == [
        (a.source.start, a.source.end, a.target.start, a.target.end, *a.flags)
        for a in whole.alignment
    ]
