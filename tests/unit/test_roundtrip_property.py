"""Property (hypothesis): whatever the input, segmentation → translation → reassembly
accounts for every non-empty segment and keeps the paragraph breaks — through the real
tiny model, on both engines."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.common.text.language import LanguageDecision
from services.common.text.segment import split_sentences, split_with_breaks
from tests.translator_sync import translate_document

WORDS = st.sampled_from(
    ["Київ", "уряд", "ухвалив", "рішення", "ЗСУ", "2024", "т.д.", "Мер", "громад", "—", "«так»"]
)
SENTENCE = st.builds(
    lambda words, end: " ".join(words) + end,
    st.lists(WORDS, min_size=1, max_size=12),
    st.sampled_from([".", "!", "?", "…", "", "...", "?!"]),
)
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=5).map(" ".join)
BREAK = st.sampled_from(["\n", "\n\n", "\n\n\n", "\n \n"])
DOCUMENT = st.builds(
    lambda first, rest: first + "".join(b + p for b, p in rest),
    PARAGRAPH,
    st.lists(st.tuples(BREAK, PARAGRAPH), max_size=4),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(document=DOCUMENT)
def test_every_segment_and_break_survives(translator, document: str) -> None:
    """Paragraph count, break layout and per-sentence accounting survive the round trip."""
    paragraphs, breaks = split_with_breaks(document)
    sentences = sum(len(split_sentences(p)) for p in paragraphs if p.strip())
    result = translate_document(translator, document, LanguageDecision("uk"))
    report = result.report
    assert not report.truncated
    assert report.paragraphs == len([p for p in paragraphs if p.strip()])
    assert report.source_segments == sentences == report.translated_segments
    out_paragraphs, out_breaks = split_with_breaks(result.text)
    assert len(out_paragraphs) == report.paragraphs
    assert all(p.strip() for p in out_paragraphs)
    assert [b.count("\n") >= 2 for b in out_breaks] == [b.count("\n") >= 2 for b in breaks]
