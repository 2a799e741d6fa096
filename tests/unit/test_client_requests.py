"""What the client sends (wire.py's request building, no sockets) and the per-item
outcomes it returns: TranslateStream carries the options Translate does, options left
unset stay unset, text that no gRPC message can carry is refused before sending, and
the three *Outcome names are one generic under their result's name."""

from __future__ import annotations

import pytest

from newsdesk_client import (
    BriefOutcome,
    NewsdeskError,
    Outcome,
    SummaryOutcome,
    TranslationOutcome,
)
from newsdesk_client.wire import (
    TranslateOptions,
    summarize_request,
    translate_request,
    translate_stream_request,
    valid_texts,
)

OPTIONS: TranslateOptions = {
    "house_style": False,
    "style_entries": {"Kiev": "Kyiv"},
    "alignment": True,
    "num_beams": 2,
    "reject_flagged": True,
    "extra_terms": [("uk", "Укренерго", "Ukrenergo"), ("ru", "Минобороны*", "the MoD")],
}
SHARED = (
    "source_language_code",
    "target_language_code",
    "house_style",
    "include_alignment",
    "num_beams",
    "reject_flagged",
    "extra_terms",
)


def test_stream_request_carries_the_translate_options() -> None:
    """Every option reaches TranslateStreamRequest as it reaches TranslateRequest:
    reject_flagged, extra_terms (language, term, english), beams, style, alignment."""
    batch = translate_request(["текст"], "uk", OPTIONS, partial=True)
    stream = translate_stream_request("текст", "uk", OPTIONS)
    assert stream.content == batch.contents[0] == "текст" and batch.partial_results
    for name in SHARED:
        assert getattr(stream, name) == getattr(batch, name), name
    assert stream.reject_flagged is True
    assert [(t.language_code, t.term, t.english) for t in stream.extra_terms] == list(
        OPTIONS["extra_terms"] or ()
    )
    assert stream.house_style.disabled and stream.house_style.extra_entries[0].preferred == "Kyiv"


def test_unset_options_stay_unset() -> None:
    """No options: beams and summary options unset (the server's defaults), nothing
    rejected, no extra terms, house style on."""
    stream = translate_stream_request("text", "", {})
    assert not stream.HasField("num_beams") and not stream.reject_flagged
    assert list(stream.extra_terms) == [] and not stream.house_style.disabled
    summary = summarize_request("text", {"bullet_count": 3, "num_beams": None}, None)
    assert summary.options.bullet_count == 3 and not summary.options.HasField("num_beams")
    assert not summary.HasField("source_sentences")


def test_lone_surrogates_are_refused_before_sending() -> None:
    """A text with a lone surrogate is INVALID_ARGUMENT naming the field, nothing sent."""
    with pytest.raises(NewsdeskError) as refused:
        valid_texts("translate", "contents", ["ok", "bad \udcff"])
    assert refused.value.code == "INVALID_ARGUMENT" and "contents[1]" in refused.value.message
    with pytest.raises(NewsdeskError, match="content\\[0\\] is not valid Unicode"):
        translate_stream_request("\ud800", "", {})


@pytest.mark.parametrize(
    ("cls", "name"),
    [(TranslationOutcome, "translation"), (SummaryOutcome, "summary"), (BriefOutcome, "brief")],
)
def test_outcomes_are_one_generic(cls: type[Outcome[object]], name: str) -> None:
    """Each *Outcome is the generic Outcome under its result's name: read as
    `.translation`/`.summary`/`.brief`, built by that keyword or positionally."""
    result = object()
    by_name = cls(1, **{name: result})
    assert isinstance(by_name, Outcome) and by_name == cls(1, result)
    assert getattr(by_name, name) is by_name.result is result and by_name.ok
    failed = cls(2, error=ValueError("no"))
    assert not failed.ok and getattr(failed, name) is None
    with pytest.raises(TypeError, match="unexpected keyword argument 'other'"):
        cls(0, other=result)
