"""proto → the client's dataclasses (the only module that touches response protos)."""

from __future__ import annotations

from newsdesk.common.v1 import common_pb2
from newsdesk.language.v1 import language_pb2
from newsdesk.summarization.v1 import summarization_pb2
from newsdesk.translation.v1 import translation_pb2
from newsdesk_client.types import (
    Chunking,
    Detection,
    LanguageCandidate,
    ModelInfo,
    SegmentCounts,
    Summary,
    Translation,
)

_STATUS = {
    language_pb2.DETECTION_STATUS_OK: "ok",
    language_pb2.DETECTION_STATUS_EMPTY: "empty",
    language_pb2.DETECTION_STATUS_NO_LETTERS: "no_letters",
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


def translation_from_proto(t: translation_pb2.Translation) -> Translation:
    """Translation proto → dataclass."""
    s = t.segments
    return Translation(
        text=t.translated_text,
        source_language=t.source_language_code,
        detected_language=t.detected_language_code,
        model=model_from_proto(t.model),
        segments=SegmentCounts(
            s.paragraphs,
            s.source_segments,
            s.translated_segments,
            s.split_segments,
            s.fallback_segments,
            s.truncated,
        ),
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
    )
