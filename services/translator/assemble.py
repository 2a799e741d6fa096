"""Stage 3 of a translation request: assemble.

The outcomes of the model rounds (rounds.py: terms restored, the gate's reasons) back
into sentences, paragraphs and documents: each piece in house style (glossary.py),
every segment accounted for in the report, the gate's flags per sentence, and the
sentence alignment (source span ↔ target span, per piece) built as the text is
joined, so its offsets are those of the text returned. English passes through, in
house style. Pure Python.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from services.common.text.glossary import HouseStyle, StyleCounts, style_counts
from services.common.text.segment import Span
from services.translator.names import NameResult, merged
from services.translator.names import in_text as names_in
from services.translator.prepare import TARGET, Piece, Prepared, Unit
from services.translator.results import (
    DocumentResult,
    ParagraphResult,
    PieceAlignment,
    SegmentReport,
    SentenceAlignment,
    SentenceFlag,
)
from services.translator.rounds import Outcome


def report(prepared: Prepared, unit: Unit, outcomes: Mapping[int, Outcome]) -> SegmentReport:
    """A paragraph's accounting (its flags are added as its sentences are joined)."""
    spans = prepared.sentences[unit.key]
    mine = [outcomes[i] for i in prepared.indices(unit)]
    per_sentence = [0] * len(spans)
    for i in prepared.indices(unit):
        per_sentence[prepared.pieces[i].sentence] += 1
    translated = len(spans) if unit.language == TARGET else sum(1 for n in per_sentence if n)
    slots = [slot for i in prepared.indices(unit) for slot in prepared.pieces[i].slots]
    return SegmentReport(
        paragraphs=1,
        source_segments=len(spans),
        translated_segments=translated,
        split_segments=sum(1 for n in per_sentence if n > 1),
        fallback_segments=sum(o.fallback for o in mine),
        source_tokens=sum(o.source_tokens for o in mine),
        target_tokens=sum(o.target_tokens for o in mine),
        retried_segments=sum(o.retried for o in mine),
        cached_segments=sum(o.cached for o in mine),
        terms_protected=sum(not s.name and not s.verbatim for s in slots),
        terms_restored=sum(o.terms.restored for o in mine),
        terms_dropped=sum(o.terms.dropped for o in mine),
        terms_invented=sum(o.terms.invented for o in mine),
        names_protected=sum(s.name for s in slots),
        names_restored=sum(o.terms.names_restored for o in mine),
        names_dropped=sum(o.terms.names_dropped for o in mine),
        verbatim_protected=sum(bool(s.verbatim) for s in slots),
        verbatim_restored=sum(o.terms.verbatim_restored for o in mine),
        verbatim_dropped=sum(o.terms.verbatim_dropped for o in mine),
    )


def paragraph(
    prepared: Prepared, unit: Unit, outcomes: Mapping[int, Outcome], style: HouseStyle
) -> ParagraphResult:
    """A paragraph's translation in house style, with its report and sentence alignment."""
    accounted = report(prepared, unit, outcomes)
    spans = prepared.sentences[unit.key]
    counts = style_counts(style)
    if unit.language == TARGET:
        return _passthrough(prepared, unit, spans, accounted, style, counts)
    pieces: list[list[tuple[Piece, Outcome]]] = [[] for _ in spans]
    for i in prepared.indices(unit):
        pieces[prepared.pieces[i].sentence].append((prepared.pieces[i], outcomes[i]))
    text = ""
    alignment: list[SentenceAlignment] = []
    for number, (span, mine) in enumerate(zip(spans, pieces, strict=True)):
        if text:
            text += " "
        begin = len(text)
        aligned = []
        for k, (piece, outcome) in enumerate(mine):
            if k:
                text += " "
            styled = counts.add(style.rewrite(outcome.text))
            aligned.append(PieceAlignment(piece.source, (len(text), len(text) + len(styled))))
            text += styled
        reasons = tuple(dict.fromkeys(r for _, outcome in mine for r in outcome.reasons))
        where = (span.start, span.end)
        if reasons:
            accounted.flags.append(SentenceFlag(unit.index, number, where, reasons))
        alignment.append(
            SentenceAlignment(unit.index, where, (begin, len(text)), tuple(aligned), reasons)
        )
    doc = prepared.documents[unit.document]
    # A house-style rule may rewrite a rendering: its occurrences are looked for as styled.
    restyled = (
        {f: style.rewrite(f).text for e in doc.names for f in {e.english, *e.renderings}}
        if style.applied and doc.names
        else None
    )
    where = (spans[0].start, spans[-1].end)
    names = names_in(doc.names, doc.protected, doc.hows, where, text, restyled)
    return ParagraphResult(
        unit.index, text, unit.trailing_break, accounted, alignment, counts, names
    )


def _passthrough(
    prepared: Prepared,
    unit: Unit,
    spans: Sequence[Span],
    accounted: SegmentReport,
    style: HouseStyle,
    counts: StyleCounts,
) -> ParagraphResult:
    """English: the paragraph as sent, each sentence in house style, the spaces
    between sentences kept exactly."""
    source = prepared.documents[unit.document].text
    text = ""
    alignment: list[SentenceAlignment] = []
    position = spans[0].start
    for span in spans:
        text += source[position : span.start]
        styled = counts.add(style.rewrite(span.text))
        target = (len(text), len(text) + len(styled))
        piece = PieceAlignment((span.start, span.end), target)
        alignment.append(SentenceAlignment(unit.index, (span.start, span.end), target, (piece,)))
        text += styled
        position = span.end
    return ParagraphResult(unit.index, text, unit.trailing_break, accounted, alignment, counts)


def document(
    prepared: Prepared, number: int, paragraphs: Sequence[ParagraphResult], style: HouseStyle
) -> DocumentResult:
    """A document from its paragraphs: texts joined with their breaks, reports added
    up (sentence numbers of flags made the document's), alignment shifted."""
    accounted = SegmentReport()
    counts = style_counts(style)
    alignment: list[SentenceAlignment] = []
    names: list[tuple[int, list[NameResult]]] = []
    joined = ""
    for p in paragraphs:
        first = accounted.source_segments
        accounted.add(replace(p.report, flags=[]))
        accounted.flags += [replace(f, sentence=first + f.sentence) for f in p.report.flags]
        counts.merge(p.style)
        alignment += [a.shifted(len(joined)) for a in p.alignment]
        names.append((len(joined), p.names))
        joined += p.text + p.trailing_break
    doc = prepared.documents[number]
    return DocumentResult(
        joined,
        doc.language,
        doc.model,
        accounted,
        list(paragraphs),
        alignment,
        counts,
        names=merged(names),
    )


def documents(
    prepared: Prepared, outcomes: Mapping[int, Outcome], style: HouseStyle
) -> list[DocumentResult]:
    """Every document of a request, assembled."""
    return [
        document(
            prepared,
            d,
            [paragraph(prepared, u, outcomes, style) for u in prepared.units if u.document == d],
            style,
        )
        for d in range(len(prepared.documents))
    ]
