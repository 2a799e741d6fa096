"""The translator's protos ⇄ its domain: a request's options, built and validated in
one place for Translate and TranslateStream, and the results as messages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

from newsdesk.translation.v1 import translation_pb2
from newsdesk_shared.limits import TRANSLATOR
from services.common.errors import Violations
from services.common.serving.protoutil import (
    house_style_of,
    item_error,
    model_info,
    span,
    style_report,
)
from services.common.serving.validation import check_range
from services.common.text.entities import NamesEntry, check_entry
from services.common.text.glossary import (
    MAX_EXTRA_ENTRIES,
    Glossary,
    GlossaryEntry,
    GlossaryError,
    StyleCounts,
    check_term,
)
from services.translator.names import PER_REQUEST, NameResult, names_off
from services.translator.options import TranslateOptions
from services.translator.results import (
    DocumentResult,
    SegmentReport,
    SentenceAlignment,
    StreamedParagraph,
)
from services.translator.terms import check_pattern

Request: TypeAlias = translation_pb2.TranslateRequest | translation_pb2.TranslateStreamRequest
# Languages a request's own protected terms may be in.
TERM_LANGUAGES = ("uk", "ru")


def options_of(
    request: Request, house_style: Glossary | None, names_on: bool = True
) -> TranslateOptions:
    """A request's options, validated in this order: num_beams, house_style,
    extra_terms, extra_names (INVALID_ARGUMENT naming the field). `house_style` is the
    server's; `names_on` whether its entity layer is on (extra_names on a server
    without it: FAILED_PRECONDITION NAMES_OFF, before any name is read)."""
    partial = isinstance(request, translation_pb2.TranslateRequest) and request.partial_results
    if request.extra_names and not names_on and not request.names_off:
        raise names_off()
    return TranslateOptions(
        source_language=request.source_language_code,
        num_beams=_beams(request),
        style=house_style_of(request.house_style, house_style, "house_style"),
        alignment=request.include_alignment,
        extra_terms=_extra_terms(request.extra_terms),
        reject_flagged=request.reject_flagged,
        partial=partial,
        extra_names=() if request.names_off else _extra_names(request.extra_names),
        names_off=request.names_off,
    )


def _beams(request: Request) -> int | None:
    """The request's num_beams (None: the server's), or INVALID_ARGUMENT naming it."""
    if not request.HasField("num_beams"):
        return None
    problems = Violations()
    limit = TRANSLATOR.num_beams
    check_range(
        request.num_beams, field="num_beams", low=limit.low, high=limit.high, problems=problems
    )
    problems.raise_if_any(reason="VALUE_OUT_OF_RANGE")
    return request.num_beams


def _extra_terms(extra: Sequence[translation_pb2.TermEntry]) -> tuple[GlossaryEntry, ...]:
    """A request's own protected terms, validated (BAD_GLOSSARY_ENTRY naming
    extra_terms[i] and its field)."""
    problems = Violations()
    entries = []
    most = TRANSLATOR.extra_terms.high
    for i, entry in enumerate(extra):
        if i >= most:
            problems.add("extra_terms", f"more than {most} entries")
            break
        if entry.language_code not in TERM_LANGUAGES:
            problems.add(f"extra_terms[{i}].language_code", "must be uk or ru")
        for name, check in (("term", check_pattern), ("english", check_term)):
            try:
                check(getattr(entry, name), "")
            except GlossaryError as err:
                problems.add(f"extra_terms[{i}].{name}", err.problem)
        entries.append(GlossaryEntry(entry.term, entry.english, "per-request", entry.language_code))
    problems.raise_if_any(reason="BAD_GLOSSARY_ENTRY")
    return tuple(entries)


def _extra_names(extra: Sequence[translation_pb2.NameEntry]) -> tuple[NamesEntry, ...]:
    """A request's own names, validated (BAD_NAME_ENTRY naming extra_names[i] and its
    field): uk or ru, a lower-case Cyrillic lemma of real words, an English rendering."""
    problems = Violations()
    entries: list[NamesEntry] = []
    seen: set[tuple[str, str]] = set()
    most = MAX_EXTRA_ENTRIES
    for i, item in enumerate(extra):
        if i >= most:
            problems.add("extra_names", f"more than {most} entries")
            break
        entry = NamesEntry(item.language_code, item.lemma, item.english, item.kind or "person")
        try:
            check_entry(entry, f"extra_names[{i}]")
        except GlossaryError as err:
            field = err.field.removesuffix(".language") + (
                ".language_code" if err.field.endswith(".language") else ""
            )
            problems.add(field, err.problem)
            continue
        key = (entry.language, entry.lemma)
        if key in seen:
            problems.add(f"extra_names[{i}].lemma", f"{entry.lemma!r} is given twice")
        seen.add(key)
        entries.append(NamesEntry(*key, entry.english, entry.kind, PER_REQUEST))
    problems.raise_if_any(reason="BAD_NAME_ENTRY")
    return tuple(entries)


def names_to_proto(names: Sequence[NameResult]) -> list[translation_pb2.Entity]:
    """The entity layer's names → proto."""
    return [
        translation_pb2.Entity(
            kind=n.kind,
            english=n.english,
            how=n.how,
            lemma=n.lemma,
            masked=n.protected,
            source_spans=[span(s) for s in n.source],
            target_spans=[span(t) for t in n.target],
            evidence=n.evidence,
        )
        for n in names
    ]


def report_to_proto(report: SegmentReport) -> translation_pb2.SegmentReport:
    """Domain segment report → proto."""
    return translation_pb2.SegmentReport(
        paragraphs=report.paragraphs,
        source_segments=report.source_segments,
        translated_segments=report.translated_segments,
        split_segments=report.split_segments,
        truncated=report.truncated,
        source_tokens=report.source_tokens,
        target_tokens=report.target_tokens,
        fallback_segments=report.fallback_segments,
        cached_segments=report.cached_segments,
        terms_protected=report.terms_protected,
        terms_restored=report.terms_restored,
        terms_dropped=report.terms_dropped,
        terms_invented=report.terms_invented,
        names_protected=report.names_protected,
        names_restored=report.names_restored,
        names_dropped=report.names_dropped,
        verbatim_protected=report.verbatim_protected,
        verbatim_restored=report.verbatim_restored,
        verbatim_dropped=report.verbatim_dropped,
        flagged_segments=report.flagged_segments,
        retried_segments=report.retried_segments,
        flags=[
            translation_pb2.SegmentFlag(
                paragraph_index=f.paragraph,
                sentence_index=f.sentence,
                source=span(f.source),
                reasons=list(f.reasons),
            )
            for f in report.flags
        ],
    )


def alignment_to_proto(
    items: Sequence[SentenceAlignment],
) -> list[translation_pb2.SentenceAlignment]:
    """Domain sentence alignment → proto."""
    return [
        translation_pb2.SentenceAlignment(
            paragraph_index=a.paragraph,
            source=span(a.source),
            target=span(a.target),
            pieces=[
                translation_pb2.AlignedPiece(source=span(p.source), target=span(p.target))
                for p in a.pieces
            ],
            flags=list(a.flags),
        )
        for a in items
    ]


def _body(
    report: SegmentReport,
    style: StyleCounts,
    items: Sequence[SentenceAlignment],
    *,
    alignment: bool,
) -> dict[str, Any]:
    """The fields a Translation and a TranslateStreamResponse share."""
    return dict(
        segments=report_to_proto(report),
        house_style=style_report(style),
        alignment=alignment_to_proto(items) if alignment else [],
    )


def result_to_proto(result: DocumentResult, *, alignment: bool) -> translation_pb2.Translation:
    """Domain document result → proto (an error alone for a failed document)."""
    if result.error is not None:
        return translation_pb2.Translation(error=item_error(result.error))
    return translation_pb2.Translation(
        translated_text=result.text,
        source_language_code=result.language.source,
        detected_language_code=result.language.detected,
        detection_confidence=result.language.confidence,
        model=model_info(result.model),
        entities=names_to_proto(result.names),
        paragraph_language_codes=list(result.language.paragraphs),
        **_body(result.report, result.style, result.alignment, alignment=alignment),
    )


def paragraph_to_proto(
    item: StreamedParagraph, *, alignment: bool
) -> translation_pb2.TranslateStreamResponse:
    """A streamed paragraph → proto."""
    paragraph = item.paragraph
    return translation_pb2.TranslateStreamResponse(
        paragraph_index=paragraph.index,
        paragraph_count=item.count,
        translated_text=paragraph.text,
        source_language_code=item.language.source,
        detected_language_code=item.language.detected,
        model=model_info(item.model),
        entities=names_to_proto(paragraph.names),
        paragraph_language_code=item.language.paragraph(paragraph.index),
        **_body(paragraph.report, paragraph.style, paragraph.alignment, alignment=alignment),
    )
