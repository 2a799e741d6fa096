"""proto → the client's dataclasses (the only module that touches response protos)."""

from __future__ import annotations

from collections.abc import Iterable

from newsdesk.common.v1 import common_pb2
from newsdesk.language.v1 import language_pb2
from newsdesk.summarization.v1 import summarization_pb2
from newsdesk.translation.v1 import translation_pb2
from newsdesk_client.types import (
    AlignedSentence,
    BulletSource,
    Chunking,
    Detection,
    LanguageCandidate,
    Limits,
    ModelInfo,
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
