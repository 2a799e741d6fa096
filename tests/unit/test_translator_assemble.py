"""Stage 3 of the translator's request path (assemble.py): outcomes back into
paragraphs and documents — house style, report, flags and alignment — from outcomes
written by hand."""

from __future__ import annotations

from services.common.text.glossary import Glossary, GlossaryEntry, HouseStyle
from services.common.text.language import LanguageDecision
from services.translator import assemble
from services.translator.options import TranslateOptions
from services.translator.prepare import Prepared
from services.translator.rounds import Outcome
from services.translator.verdict import TermCounts
from tests.unit.test_translator_prepare import CountingEngine, preparer

DOC = "Перше речення. Друге речення.\n\nТретє."
STYLE = Glossary((GlossaryEntry("Kiev", "Kyiv"),))


def prepared(text: str = DOC, language: str = "uk", engine=None) -> Prepared:
    return preparer(engine).prepare([(text, LanguageDecision(language))], TranslateOptions())


def outcome(text: str, *reasons: str, **counts) -> Outcome:
    return Outcome(text, reasons, TermCounts(), 3, 4, **counts)


def test_document_text_report_flags_and_alignment() -> None:
    """Sentences joined by a space, paragraphs by their breaks; every count added up;
    a flag's sentence number is its paragraph's, then its document's; alignment
    offsets point into the text returned."""
    prep = prepared()
    outcomes = {
        0: outcome("First sentence.", cached=True),
        1: outcome("Second Kiev.", "numbers", retried=True),
        2: outcome("Третє.", "untranslated", fallback=True),
    }
    (result,) = assemble.documents(prep, outcomes, HouseStyle(STYLE, STYLE.version))
    assert result.text == "First sentence. Second Kyiv.\n\nТретє."
    assert result.style.replacements == 1 and result.style.version == STYLE.version
    report = result.report
    assert (report.paragraphs, report.source_segments, report.translated_segments) == (2, 3, 3)
    assert (report.cached_segments, report.retried_segments, report.fallback_segments) == (1, 1, 1)
    assert (report.source_tokens, report.target_tokens) == (9, 12)
    assert [(f.paragraph, f.sentence, f.reasons) for f in report.flags] == [
        (0, 1, ("numbers",)),
        (1, 2, ("untranslated",)),
    ]
    assert [f.sentence for f in result.paragraphs[1].report.flags] == [0]
    for sentence in result.alignment:
        start, end = sentence.source
        assert DOC[start:end].strip()
        assert result.text[sentence.target[0] : sentence.target[1]].strip()
    assert [a.flags for a in result.alignment] == [(), ("numbers",), ("untranslated",)]


def test_pieces_of_a_split_sentence_join_into_one() -> None:
    """A sentence split into pieces is one translated sentence, counted split once,
    with an aligned span per piece; reasons are the union of its pieces'."""
    text = " ".join(["слово"] * 20) + "."
    prep = prepared(text, engine=CountingEngine(max_source_tokens=6))
    outcomes = {i: outcome(f"w{i}", *(["length"] if i else [])) for i in range(len(prep.pieces))}
    (result,) = assemble.documents(prep, outcomes, HouseStyle(None))
    assert result.text == " ".join(f"w{i}" for i in range(len(prep.pieces)))
    assert (result.report.split_segments, result.report.translated_segments) == (1, 1)
    (sentence,) = result.alignment
    assert len(sentence.pieces) == len(prep.pieces) and sentence.flags == ("length",)
    assert [p.source for p in sentence.pieces] == [p.source for p in prep.pieces]


def test_english_passes_through_in_house_style() -> None:
    """English keeps its spacing exactly; only house style rewrites it."""
    text = "In Kiev  today.   It rained.\n\nMore."
    (result,) = assemble.documents(prepared(text, "en"), {}, HouseStyle(STYLE, STYLE.version))
    assert result.text == "In Kyiv  today.   It rained.\n\nMore."
    assert result.report.translated_segments == result.report.source_segments == 3
    first = result.alignment[0]
    assert result.text[first.target[0] : first.target[1]] == "In Kyiv  today."


def test_terms_and_protected_counts_come_from_pieces_and_outcomes() -> None:
    """terms_protected counts the slots prepared; restored/dropped/invented the
    outcomes' counts."""
    prep = prepared()
    outcomes = {
        i: Outcome("x.", (), TermCounts(restored=i, dropped=1, invented=0), 1, 1) for i in range(3)
    }
    paragraph = assemble.paragraph(prep, prep.units[0], outcomes, HouseStyle(None))
    assert paragraph.report.terms_protected == 0
    assert (paragraph.report.terms_restored, paragraph.report.terms_dropped) == (1, 2)
    assert paragraph.text == "x. x." and paragraph.trailing_break == "\n\n"
