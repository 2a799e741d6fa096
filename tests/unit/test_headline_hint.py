"""The article's own title (a web page's) as the first headline candidate, on the tiny
BART: used when it fits and states nothing the text does not; refused when malformed."""

from __future__ import annotations

import pytest

from newsdesk.summarization.v1 import summarization_pb2
from services.common.errors import InvalidArgument
from services.summarizer.servicer import MAX_HINT_CHARS, options_from_proto
from services.summarizer.summary import SummaryOptions

TEXT = (
    "Air defence forces shot down 38 of 40 drones over Kyiv overnight, the city's military "
    "administration said on Saturday. Debris damaged two houses in the Darnytskyi district. "
    "Nobody was killed; two people were injured and treated at the scene. The attack "
    "lasted more than four hours, officials said."
)


def test_a_fitting_grounded_title_is_the_headline(writer) -> None:
    hint = "Kyiv air defence downs 38 of 40 drones overnight"
    summary = writer.write(TEXT, SummaryOptions(headline_hint=hint))
    assert summary.headline == hint
    assert summary.headline_check.action == ""


def test_a_title_with_a_figure_the_text_lacks_is_never_published(writer) -> None:
    summary = writer.write(TEXT, SummaryOptions(headline_hint="Kyiv air defence downs 55 drones"))
    assert "55" not in summary.headline
    assert summary.headline_check.action != "FLAGGED"


def test_a_title_not_grounded_in_the_lead_is_not_taken(writer) -> None:
    summary = writer.write(TEXT, SummaryOptions(headline_hint="Latest news"))
    assert summary.headline != "Latest news"


def test_a_title_over_the_word_cap_is_not_taken(writer) -> None:
    long = "Kyiv air defence " + "drones " * 20
    summary = writer.write(TEXT, SummaryOptions(headline_hint=long, headline_max_words=8))
    assert summary.headline != " ".join(long.split())


@pytest.mark.parametrize("hint", ["a\nb", "x\x00y", "t" * (MAX_HINT_CHARS + 1)])
def test_malformed_hints_are_refused(hint) -> None:
    request = summarization_pb2.SummarizeRequest(text=TEXT, headline_hint=hint)
    with pytest.raises(InvalidArgument) as caught:
        options_from_proto(request, SummaryOptions())
    assert caught.value.reason == "BAD_HEADLINE_HINT"
