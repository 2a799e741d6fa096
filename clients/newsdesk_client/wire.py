"""The wire: the client's options → request protos, response protos → the client's
dataclasses (the only module that builds requests or reads responses).

Requests are checked here before anything is sent: a text that is not valid Unicode is
a NewsdeskError (INVALID_ARGUMENT) naming it. The services check every range
themselves (newsdesk_shared.limits), so a value the server would refuse is refused
with its error, never silently clamped here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypedDict

from newsdesk.common.v1 import common_pb2
from newsdesk.language.v1 import language_pb2
from newsdesk.summarization.v1 import summarization_pb2
from newsdesk.translation.v1 import translation_pb2
from newsdesk_client.errors import NewsdeskError
from newsdesk_client.types import (
    AlignedSentence,
    BulletSource,
    Chunking,
    Detection,
    FactCheck,
    LanguageCandidate,
    Limits,
    ModelInfo,
    NamedEntity,
    SegmentCounts,
    SegmentFlag,
    ServiceInfo,
    StyleReport,
    Summary,
    TranslatedParagraph,
    Translation,
)

_STATUS = {
    language_pb2.DETECTION_STATUS_OK: "ok",
    language_pb2.DETECTION_STATUS_EMPTY: "empty",
    language_pb2.DETECTION_STATUS_NO_LETTERS: "no_letters",
}


_SHORTFALL = {
    summarization_pb2.BULLET_SHORTFALL_SHORT_ARTICLE: "SHORT_ARTICLE",
    summarization_pb2.BULLET_SHORTFALL_REPEATS_SUMMARY: "REPEATS_SUMMARY",
    summarization_pb2.BULLET_SHORTFALL_LONG_SENTENCES: "LONG_SENTENCES",
}


def model_from_proto(model: common_pb2.ModelInfo) -> ModelInfo:
    """ModelInfo proto → dataclass."""
    return ModelInfo(model.id, model.revision, model.engine)


def detection_from_proto(d: language_pb2.Detection) -> Detection:
    """Detection proto → dataclass."""
    return Detection(
        language=d.language_code,
        confidence=round(d.confidence, 6),
        reliable=d.reliable,
        candidates=tuple(
            LanguageCandidate(c.language_code, round(c.probability, 6)) for c in d.candidates
        ),
        status=_STATUS.get(d.status, "unspecified"),
        script=d.script,
    )


def _span(s: common_pb2.TextSpan) -> tuple[int, int]:
    return (s.start, s.end)


def style_from_proto(r: common_pb2.HouseStyleReport) -> StyleReport:
    """HouseStyleReport proto → dataclass."""
    return StyleReport(
        r.applied,
        r.replacements,
        tuple((d.variant, d.preferred, d.count) for d in r.details),
        r.glossary_version,
    )


def alignment_from_proto(
    items: Iterable[translation_pb2.SentenceAlignment],
) -> tuple[AlignedSentence, ...]:
    """SentenceAlignment protos → dataclasses."""
    return tuple(
        AlignedSentence(
            a.paragraph_index,
            _span(a.source),
            _span(a.target),
            tuple((_span(p.source), _span(p.target)) for p in a.pieces),
        )
        for a in items
    )


def _segments(s: translation_pb2.SegmentReport) -> SegmentCounts:
    return SegmentCounts(
        s.paragraphs,
        s.source_segments,
        s.translated_segments,
        s.split_segments,
        s.fallback_segments,
        s.truncated,
        s.flagged_segments,
        s.retried_segments,
        tuple(
            SegmentFlag(f.paragraph_index, f.sentence_index, _span(f.source), tuple(f.reasons))
            for f in s.flags
        ),
        s.cached_segments,
        s.terms_protected,
        s.terms_restored,
        s.terms_dropped,
        s.terms_invented,
        s.names_protected,
        s.names_restored,
        s.names_dropped,
        s.verbatim_protected,
        s.verbatim_restored,
        s.verbatim_dropped,
    )


def entities_from_proto(items: Sequence[translation_pb2.Entity]) -> tuple[NamedEntity, ...]:
    """The entity layer's names → dataclasses."""
    return tuple(
        NamedEntity(
            kind=e.kind,
            english=e.english,
            how=e.how,
            lemma=e.lemma,
            masked=e.masked,
            source=tuple(_span(s) for s in e.source_spans),
            target=tuple(_span(t) for t in e.target_spans),
            evidence=e.evidence,
        )
        for e in items
    )


def translation_from_proto(t: translation_pb2.Translation) -> Translation:
    """Translation proto → dataclass."""
    return Translation(
        text=t.translated_text,
        source_language=t.source_language_code,
        detected_language=t.detected_language_code,
        model=model_from_proto(t.model),
        segments=_segments(t.segments),
        house_style=style_from_proto(t.house_style),
        alignment=alignment_from_proto(t.alignment),
        entities=entities_from_proto(t.entities),
        paragraph_languages=tuple(t.paragraph_language_codes),
    )


def summary_from_proto(r: summarization_pb2.SummarizeResponse) -> Summary:
    """SummarizeResponse proto → dataclass."""
    c = r.chunking
    return Summary(
        headline=r.headline,
        summary=r.summary,
        bullets=tuple(r.bullets),
        model=model_from_proto(r.model),
        chunking=Chunking(
            c.input_tokens,
            c.windows,
            tuple(c.window_tokens),
            c.sentences,
            c.sentences_read,
            c.reduced,
        ),
        sentences=tuple(_span(s) for s in r.sentences),
        windows=tuple((w.first_sentence, w.sentence_count, _span(w.span)) for w in r.windows),
        bullet_sources=tuple(
            BulletSource(tuple(b.sentence_indexes), tuple(_span(s) for s in b.spans), b.rewritten)
            for b in r.bullet_sources
        ),
        shortfall=_SHORTFALL.get(r.bullet_shortfall, ""),
        shortfall_detail=r.bullet_shortfall_detail,
        house_style=style_from_proto(r.house_style),
        headline_check=fact_check_from_proto(r.headline_check),
        summary_check=fact_check_from_proto(r.summary_check),
        bullet_checks=tuple(fact_check_from_proto(c) for c in r.bullet_checks),
    )


_FACT_ACTION = {
    summarization_pb2.FACT_ACTION_REMOVED: "REMOVED",
    summarization_pb2.FACT_ACTION_REPLACED: "REPLACED",
    summarization_pb2.FACT_ACTION_FLAGGED: "FLAGGED",
}


def fact_check_from_proto(c: summarization_pb2.FactCheck) -> FactCheck:
    """FactCheck proto → dataclass."""
    return FactCheck(
        c.figures_checked,
        tuple(c.figures_unsupported),
        tuple(c.names_unsupported),
        _FACT_ACTION.get(c.action, ""),
        c.detail,
    )


def paragraph_from_proto(m: translation_pb2.TranslateStreamResponse) -> TranslatedParagraph:
    """TranslateStreamResponse proto → dataclass."""
    return TranslatedParagraph(
        index=m.paragraph_index,
        count=m.paragraph_count,
        text=m.translated_text,
        source_language=m.source_language_code,
        detected_language=m.detected_language_code,
        model=model_from_proto(m.model),
        segments=_segments(m.segments),
        house_style=style_from_proto(m.house_style),
        entities=entities_from_proto(m.entities),
    )


def info_from_proto(
    info: common_pb2.ServerInfo,
    *,
    max_source_tokens: int = 0,
    languages: Iterable[str] = (),
    quality_notes: Iterable[str] = (),
) -> ServiceInfo:
    """ServerInfo proto (plus the service's own fields) → dataclass."""
    return ServiceInfo(
        service_name=info.service_name,
        version=info.version,
        models=tuple(model_from_proto(m) for m in info.models),
        limits=Limits(
            info.limits.max_chars, info.limits.max_batch, info.limits.max_concurrent_rpcs
        ),
        max_source_tokens=max_source_tokens,
        languages=tuple(languages),
        quality_notes=tuple(quality_notes),
    )


class TranslateOptions(TypedDict, total=False):
    """Options of the translate calls (translate, translate_many, translate_each,
    translate_stream)."""

    house_style: bool
    style_entries: Mapping[str, str] | None
    alignment: bool
    num_beams: int | None
    # A document with a sentence the plausibility gate flagged is an error
    # (FAILED_PRECONDITION, IMPLAUSIBLE_TRANSLATION) instead of a flagged translation.
    reject_flagged: bool
    # Protected terms on top of the server's glossary: (language, term, english).
    extra_terms: Sequence[tuple[str, str, str]] | None
    # Names on top of the server's names glossary: (language, lemma, english[, kind]),
    # the lemma in lower case ("зеленський"); kind "person" (default), "place", "org".
    extra_names: Sequence[tuple[str, ...]] | None
    # The translator's entity layer off for this request: no names found or reported.
    names_off: bool


class SummarizeOptions(TypedDict, total=False):
    """Options of summarize and brief (None: the server's default)."""

    bullet_count: int | None
    summary_max_words: int | None
    headline_max_words: int | None
    bullet_max_words: int | None
    num_beams: int | None
    house_style: bool
    style_entries: Mapping[str, str] | None
    # A brief stating a figure or name the text does not (a FLAGGED part) is an error
    # (FAILED_PRECONDITION, UNSUPPORTED_FACTS) instead of a flagged brief.
    reject_unsupported: bool
    # The article's own title (a web page's), offered as the first headline candidate;
    # a brief translates it with the article.
    headline_hint: str
    # brief only, for its translation (see TranslateOptions): the request's own names
    # and the entity layer switched off.
    extra_names: Sequence[tuple[str, ...]] | None
    names_off: bool


# The SummarizeOptions fields that travel in the request's options message.
_SUMMARY_FIELDS = (
    "bullet_count",
    "summary_max_words",
    "headline_max_words",
    "bullet_max_words",
    "num_beams",
)


def valid_texts(stage: str, field: str, texts: Sequence[str]) -> list[str]:
    """The texts, or NewsdeskError (INVALID_ARGUMENT, nothing sent) for one that is not
    valid Unicode text: a lone surrogate cannot be encoded as UTF-8, so no gRPC message
    can carry it (e.g. text decoded with errors="surrogateescape")."""
    for index, text in enumerate(texts):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as err:
            name = field if field == "text" else f"{field}[{index}]"
            raise NewsdeskError(
                stage,
                "INVALID_ARGUMENT",
                f"{name} is not valid Unicode: a lone surrogate at character {err.start}; "
                "nothing was sent (decode the source text as UTF-8 with errors='replace')",
                violations=((name, "lone surrogate"),),
            ) from None
    return list(texts)


def style_options(enabled: bool, entries: Mapping[str, str] | None) -> common_pb2.HouseStyleOptions:
    """house_style / style_entries → HouseStyleOptions."""
    return common_pb2.HouseStyleOptions(
        disabled=not enabled,
        extra_entries=[
            common_pb2.StyleEntry(variant=v, preferred=p) for v, p in (entries or {}).items()
        ],
    )


def _translate_fields(source_language: str, options: TranslateOptions) -> dict[str, Any]:
    """The fields TranslateRequest and TranslateStreamRequest share, from the options."""
    fields: dict[str, Any] = {
        "source_language_code": source_language,
        "target_language_code": "en",
        "house_style": style_options(
            options.get("house_style", True), options.get("style_entries")
        ),
        "include_alignment": options.get("alignment", False),
        "reject_flagged": options.get("reject_flagged", False),
        "extra_terms": [
            translation_pb2.TermEntry(language_code=language, term=term, english=english)
            for language, term, english in options.get("extra_terms") or ()
        ],
        "extra_names": [name_entry(name) for name in options.get("extra_names") or ()],
        "names_off": options.get("names_off", False),
    }
    if options.get("num_beams") is not None:
        fields["num_beams"] = options["num_beams"]
    return fields


def name_entry(name: Sequence[str]) -> translation_pb2.NameEntry:
    """(language, lemma, english[, kind]) → NameEntry (the server validates it)."""
    if len(name) not in (3, 4):
        raise ValueError(f"a name is (language, lemma, english[, kind]), not {tuple(name)!r}")
    kind = name[3] if len(name) == 4 else ""
    return translation_pb2.NameEntry(
        language_code=name[0], lemma=name[1], english=name[2], kind=kind
    )


def translate_request(
    texts: Sequence[str], source_language: str, options: TranslateOptions, *, partial: bool
) -> translation_pb2.TranslateRequest:
    """The Translate request for documents (`partial`: a result per document)."""
    return translation_pb2.TranslateRequest(
        contents=valid_texts("translate", "contents", texts),
        partial_results=partial,
        **_translate_fields(source_language, options),
    )


def translate_stream_request(
    text: str, source_language: str, options: TranslateOptions
) -> translation_pb2.TranslateStreamRequest:
    """The TranslateStream request for one document (the options as Translate's)."""
    return translation_pb2.TranslateStreamRequest(
        content=valid_texts("translate", "content", [text])[0],
        **_translate_fields(source_language, options),
    )


def summarize_request(
    text: str, options: SummarizeOptions, source_sentences: int | None
) -> summarization_pb2.SummarizeRequest:
    """The Summarize request (options left None: the server's defaults)."""
    proto = summarization_pb2.SummarizeOptions()
    for name in _SUMMARY_FIELDS:
        value = options.get(name)
        if value is not None:
            setattr(proto, name, value)
    return summarization_pb2.SummarizeRequest(
        text=valid_texts("summarize", "text", [text])[0],
        options=proto,
        house_style=style_options(options.get("house_style", True), options.get("style_entries")),
        source_sentences=source_sentences,
        reject_unsupported=options.get("reject_unsupported", False),
        headline_hint=options.get("headline_hint") or "",
    )
