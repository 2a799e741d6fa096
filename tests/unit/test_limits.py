"""The limits tables (newsdesk_shared/limits.py): one range per limit, read by the
services' configuration and request validation alike."""

from __future__ import annotations

import pytest

from newsdesk.summarization.v1 import summarization_pb2
from newsdesk_shared.env import REGISTRY
from newsdesk_shared.limits import DETECTOR, SUMMARIZER, TRANSLATOR, Range
from services.common.config import ConfigError
from services.common.errors import InvalidArgument
from services.summarizer.config import OPTION_VARIABLES, SummarizerConfig
from services.summarizer.servicer import options_from_proto
from services.summarizer.summary import SummaryOptions
from services.translator.config import TranslatorConfig


def test_range_checks_its_default() -> None:
    """A default outside its range is refused when the table is built; an optional
    field's default is 0 (unset), outside the range."""
    with pytest.raises(ValueError, match=r"outside 1\.\.8"):
        Range("num_beams", 1, 8, 9, "beams")
    assert Range("n", 1, 5, 0, "n", optional=True).default == 0
    with pytest.raises(ValueError):
        Range("n", 1, 5, 3, "n", optional=True)
    assert 8 in TRANSLATOR.num_beams and 9 not in TRANSLATOR.num_beams
    assert "8" not in TRANSLATOR.num_beams  # only ints
    assert str(SUMMARIZER.summary_max_words) == "10..400"


def test_summarize_options_are_the_proto_fields_and_the_domain_fields() -> None:
    """SUMMARIZER.options() names SummarizeOptions' fields in proto order, and each is a
    SummaryOptions field whose default is the table's."""
    proto = [f.name for f in summarization_pb2.SummarizeOptions.DESCRIPTOR.fields]
    assert [r.name for r in SUMMARIZER.options()] == proto
    defaults = SummaryOptions()
    assert {r.name: r.default for r in SUMMARIZER.options()} == {
        name: getattr(defaults, name) for name in proto
    }
    assert defaults.source_sentences == SUMMARIZER.source_sentences.default == 0


@pytest.mark.parametrize(
    ("name", "limit"),
    [
        pytest.param("NEWSDESK_TRANSLATOR_NUM_BEAMS", TRANSLATOR.num_beams, id="translator-beams"),
        pytest.param("NEWSDESK_TRANSLATOR_MAX_CHARS", TRANSLATOR.max_chars, id="translator-chars"),
        pytest.param("NEWSDESK_TRANSLATOR_MAX_BATCH", TRANSLATOR.max_batch, id="translator-batch"),
        pytest.param("NEWSDESK_DETECTOR_MAX_CHARS", DETECTOR.max_chars, id="detector-chars"),
        pytest.param("NEWSDESK_DETECTOR_MAX_BATCH", DETECTOR.max_batch, id="detector-batch"),
        pytest.param("NEWSDESK_SUMMARIZER_MAX_CHARS", SUMMARIZER.max_chars, id="summarizer-chars"),
        *(
            pytest.param(f"NEWSDESK_SUMMARIZER_{OPTION_VARIABLES[r.name]}", r, id=r.name)
            for r in SUMMARIZER.options()
        ),
    ],
)
def test_each_variable_of_a_limit_has_the_tables_default_and_range(name: str, limit: Range) -> None:
    """The registry entry of a limit's variable takes the table's default and range,
    so configuration accepts exactly what requests may ask."""
    entry = REGISTRY[name]
    assert entry.default == limit.default
    assert entry.parse(name, str(limit.high)) == limit.high
    for outside in (limit.low - 1, limit.high + 1):
        with pytest.raises(ConfigError, match=name):
            entry.parse(name, str(outside))


def test_translator_beams_have_one_range() -> None:
    """NEWSDESK_TRANSLATOR_NUM_BEAMS accepts what a request may ask (1..8), no more."""
    name = "NEWSDESK_TRANSLATOR_NUM_BEAMS"
    assert TranslatorConfig.from_env({}).num_beams == TRANSLATOR.num_beams.default
    assert TranslatorConfig.from_env({name: "8"}).num_beams == 8
    with pytest.raises(ConfigError, match="above the maximum 8"):
        TranslatorConfig.from_env({name: "16"})


def test_summarizer_defaults_come_from_the_table() -> None:
    """With no variables set, the summarizer's defaults are the table's; a variable
    changes its option."""
    assert SummarizerConfig.from_env({}).defaults == SummaryOptions()
    config = SummarizerConfig.from_env({"NEWSDESK_SUMMARIZER_BULLETS": "5"})
    assert config.defaults.bullet_count == 5


@pytest.mark.parametrize("limit", SUMMARIZER.options(), ids=lambda r: r.name)
def test_validation_reads_the_table(limit: Range) -> None:
    """A request's option at its table bound is taken; one past it is INVALID_ARGUMENT
    naming options.<field> and the table's range."""
    request = summarization_pb2.SummarizeRequest(text="x")
    setattr(request.options, limit.name, limit.high)
    assert getattr(options_from_proto(request, SummaryOptions()), limit.name) == limit.high
    setattr(request.options, limit.name, limit.high + 1)
    with pytest.raises(InvalidArgument) as err:
        options_from_proto(request, SummaryOptions())
    assert f"options.{limit.name}" in str(err.value) and str(limit) in str(err.value)


def test_source_sentences_is_optional() -> None:
    """Unset, source_sentences stays 0 (the text is the article); set, it must be in
    the table's range."""
    request = summarization_pb2.SummarizeRequest(text="x")
    assert options_from_proto(request, SummaryOptions()).source_sentences == 0
    request.source_sentences = SUMMARIZER.source_sentences.high
    assert options_from_proto(request, SummaryOptions()).source_sentences == 100_000
    request.source_sentences = 0
    with pytest.raises(InvalidArgument, match="source_sentences"):
        options_from_proto(request, SummaryOptions())
