"""The plausibility gate through a real translator on the tiny random-weight model:
random weights loop and ramble, so the gate must flag their output — retried once
with beam search, still flagged, published with the reasons — and reject_flagged
turns the flags into an error. The FLORES references, as if they were translations,
must pass (false positives <= 1%)."""

from __future__ import annotations

import grpc
import pytest
from google.rpc import error_details_pb2

from newsdesk.translation.v1 import translation_pb2
from services.translator import plausibility
from tests.conftest import shared_path, status_detail
from tests.translator_servers import serving

UK = (
    "Уряд України ухвалив нове рішення щодо підтримки громад у понеділок. За даними "
    "агентства, у 2022 році обсяг експорту збільшився на 12 відсотків.\n\nМер пообіцяв "
    "відбудувати 40 шкіл до вересня."
)


@pytest.fixture
async def stub(translator, request):
    # The entity layer off: the random weights drop a masked name's placeholder, which
    # is reported even with the gate off (tests/integration/test_entity_layer.py).
    mode = getattr(request, "param", "retry")
    async with serving(translator, plausibility=mode, names="off") as served:
        yield served


async def test_random_weights_are_flagged_retried_and_published(stub) -> None:
    reply = await stub.Translate(
        translation_pb2.TranslateRequest(
            contents=[UK], source_language_code="uk", include_alignment=True
        )
    )
    (t,) = reply.translations
    report = t.segments
    assert report.flagged_segments >= 1
    assert report.retried_segments >= report.flagged_segments
    assert len(report.flags) == report.flagged_segments
    for flag in report.flags:
        assert flag.reasons and set(flag.reasons) <= set(plausibility.REASONS)
        assert UK[flag.source.start : flag.source.end].strip()
    flagged = {f.sentence_index: list(f.reasons) for f in report.flags}
    for index, sentence in enumerate(t.alignment):
        assert list(sentence.flags) == flagged.get(index, [])
    assert t.translated_text.strip()  # kept, flagged: never silently dropped


async def test_reject_flagged_is_an_error_per_document(stub) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.Translate(
            translation_pb2.TranslateRequest(
                contents=[UK], source_language_code="uk", reject_flagged=True
            )
        )
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    info = status_detail(caught.value, error_details_pb2.ErrorInfo)
    assert info is not None and info.reason == "IMPLAUSIBLE_TRANSLATION"
    assert "contents[0]" in caught.value.details()
    reply = await stub.Translate(
        translation_pb2.TranslateRequest(
            contents=["Kyiv is the capital of Ukraine.", UK],
            reject_flagged=True,
            partial_results=True,
        )
    )
    english, ukrainian = reply.translations
    assert not english.HasField("error")  # English passes through, never gated
    assert ukrainian.error.reason == "IMPLAUSIBLE_TRANSLATION"
    assert ukrainian.error.field == "contents[1]"


@pytest.mark.parametrize(("stub", "retried"), [("flag", False), ("off", None)], indirect=["stub"])
async def test_flag_only_and_off(stub, retried) -> None:
    """PLAUSIBILITY=flag checks without a retry; off checks nothing."""
    reply = await stub.Translate(
        translation_pb2.TranslateRequest(contents=[UK], source_language_code="uk")
    )
    report = reply.translations[0].segments
    assert report.retried_segments == 0
    if retried is None:
        assert report.flagged_segments == 0 and not report.flags
    else:
        assert report.flagged_segments >= 1


async def test_stream_flags_each_paragraph(stub) -> None:
    paragraphs = [
        m
        async for m in stub.TranslateStream(
            translation_pb2.TranslateStreamRequest(
                content=UK, source_language_code="uk", include_alignment=True
            )
        )
    ]
    assert len(paragraphs) == 2
    assert sum(p.segments.flagged_segments for p in paragraphs) >= 1
    assert all(p.segments.retried_segments >= p.segments.flagged_segments for p in paragraphs)


@pytest.mark.shared
def test_flores_references_pass_the_gate() -> None:
    """Human translations passed off as model output: at most 1% flagged."""
    total = flagged = 0
    for name in ("flores200-devtest.uk-en.tsv", "flores200-devtest.ru-en.tsv"):
        lines = shared_path(f"eval/mt/{name}").read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            source, _, reference = line.partition("\t")
            if number == 0 and source.lower() in {"source", "src"}:
                continue
            total += 1
            flagged += bool(plausibility.check(source, reference))
    print(f"gate false positives on FLORES references: {flagged}/{total}")
    assert total == 2024
    assert flagged / total <= 0.01
