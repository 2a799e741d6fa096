"""A translation request's options (options.py), built from either request proto in
one place (wire.py) with the limits table's bounds, and the server's policy."""

from __future__ import annotations

import pytest

from newsdesk.common.v1 import common_pb2
from newsdesk.translation.v1 import translation_pb2
from newsdesk_shared.limits import TRANSLATOR
from services.common.config import ConfigError
from services.common.errors import InvalidArgument
from services.common.text.glossary import Glossary, GlossaryEntry
from services.translator.config import TranslatorConfig
from services.translator.options import PlausibilityMode, TranslateOptions, TranslatorPolicy
from services.translator.terms import TermGlossary
from services.translator.wire import options_of

TERM = translation_pb2.TermEntry(language_code="uk", term="Азов*", english="Azov")
STYLE = Glossary((GlossaryEntry("Kiev", "Kyiv"),))


def both(**fields) -> list:
    """The same options as a TranslateRequest and as a TranslateStreamRequest."""
    return [
        translation_pb2.TranslateRequest(contents=["x"], **fields),
        translation_pb2.TranslateStreamRequest(content="x", **fields),
    ]


def test_both_requests_give_the_same_options() -> None:
    """Every shared field lands in TranslateOptions the same way from either RPC."""
    fields = dict(
        source_language_code="uk",
        num_beams=2,
        include_alignment=True,
        reject_flagged=True,
        extra_terms=[TERM],
        house_style=common_pb2.HouseStyleOptions(
            extra_entries=[common_pb2.StyleEntry(variant="Odessa", preferred="Odesa")]
        ),
    )
    translate, stream = (options_of(r, STYLE) for r in both(**fields))
    assert translate == stream
    assert translate.source_language == "uk" and translate.num_beams == 2
    assert translate.alignment and translate.reject_flagged and not translate.partial
    assert translate.extra_terms == (GlossaryEntry("Азов*", "Azov", "per-request", "uk"),)
    assert translate.style.glossary is not None
    assert translate.style.rewrite("Kiev and Odessa").text == "Kyiv and Odesa"


def test_defaults_and_partial() -> None:
    """No fields: the server's beams and style; partial_results only on Translate."""
    assert options_of(both()[1], None) == TranslateOptions()
    partial = translation_pb2.TranslateRequest(contents=["x"], partial_results=True)
    assert options_of(partial, None).partial


@pytest.mark.parametrize("beams", [TRANSLATOR.num_beams.low - 1, TRANSLATOR.num_beams.high + 1])
def test_beams_outside_the_limits_table(beams: int) -> None:
    """num_beams outside the table's range is VALUE_OUT_OF_RANGE naming num_beams."""
    for request in both(num_beams=beams):
        with pytest.raises(InvalidArgument) as caught:
            options_of(request, None)
        assert caught.value.reason == "VALUE_OUT_OF_RANGE"
        assert caught.value.violations[0].field == "num_beams"
        assert str(TRANSLATOR.num_beams) in caught.value.violations[0].description


# Bad request terms and the field each one's violation names.
BAD_TERMS = [
    pytest.param(
        [translation_pb2.TermEntry(language_code="de", term="Wort", english="word")],
        "extra_terms[0].language_code",
        id="language",
    ),
    pytest.param(
        [TERM, translation_pb2.TermEntry(language_code="uk", term="А*", english="A")],
        "extra_terms[1].term",
        id="short-stem",
    ),
    pytest.param(
        [translation_pb2.TermEntry(language_code="uk", term="Слово", english="")],
        "extra_terms[0].english",
        id="empty-english",
    ),
    pytest.param([TERM] * (TRANSLATOR.extra_terms.high + 1), "extra_terms", id="too-many"),
]


@pytest.mark.parametrize(("terms", "field"), BAD_TERMS)
def test_bad_extra_terms_name_the_entry(terms, field: str) -> None:
    """A bad request term is BAD_GLOSSARY_ENTRY naming extra_terms[i] and its field,
    the same from either RPC; at most the table's extra_terms entries."""
    for request in both(extra_terms=terms):
        with pytest.raises(InvalidArgument) as caught:
            options_of(request, None)
        assert caught.value.reason == "BAD_GLOSSARY_ENTRY"
        assert field in [v.field for v in caught.value.violations]


def test_house_style_extra_rules_with_style_off_are_refused() -> None:
    """Extra rules with disabled=true would be ignored: refused, naming the field."""
    style = common_pb2.HouseStyleOptions(
        disabled=True, extra_entries=[common_pb2.StyleEntry(variant="a b", preferred="c d")]
    )
    for request in both(house_style=style):
        with pytest.raises(InvalidArgument) as caught:
            options_of(request, STYLE)
        assert caught.value.violations[0].field == "house_style.extra_entries"


def test_plausibility_mode_from_the_environment() -> None:
    """NEWSDESK_TRANSLATOR_PLAUSIBILITY is read into the Enum; a bad value names it."""
    assert TranslatorConfig.from_env({}).plausibility is PlausibilityMode.RETRY
    config = TranslatorConfig.from_env({"NEWSDESK_TRANSLATOR_PLAUSIBILITY": "flag"})
    assert config.plausibility is PlausibilityMode.FLAG
    with pytest.raises(ConfigError, match="NEWSDESK_TRANSLATOR_PLAUSIBILITY"):
        TranslatorConfig.from_env({"NEWSDESK_TRANSLATOR_PLAUSIBILITY": "sometimes"})


@pytest.mark.parametrize(
    ("mode", "checks", "retries"),
    [("retry", True, True), ("flag", True, False), ("off", False, False)],
)
def test_what_each_mode_does(mode: str, checks: bool, retries: bool) -> None:
    """RETRY checks and retries, FLAG only checks, OFF does neither."""
    assert (PlausibilityMode(mode).checks, PlausibilityMode(mode).retries) == (checks, retries)


def test_request_terms_go_on_top_of_the_servers() -> None:
    """No extra terms: the server's glossary as it is (None when off); with them, the
    server's (or an empty one) with the request's on top."""
    server = TermGlossary((GlossaryEntry("ЗСУ", "Armed Forces of Ukraine", "", "uk"),))
    extra = (GlossaryEntry("Пупкін", "Pupkin", "per-request", "uk"),)
    assert TranslatorPolicy(terms=server).terms_for(()) is server
    assert TranslatorPolicy().terms_for(()) is None
    assert TranslatorPolicy(terms=server).terms_for(extra) == TermGlossary(server.entries + extra)
    assert TranslatorPolicy().terms_for(extra) == TermGlossary(extra)
