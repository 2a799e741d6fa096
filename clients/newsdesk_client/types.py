"""The client's own frozen dataclasses: no protobuf type reaches the caller."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ModelInfo:
    """Which weights answered."""

    id: str
    revision: str
    engine: str = ""


@dataclass(frozen=True)
class LanguageCandidate:
    """One ranked language guess."""

    language: str
    probability: float


@dataclass(frozen=True)
class Detection:
    """The detector's verdict on one text ("und" when it cannot judge)."""

    language: str
    confidence: float
    reliable: bool
    candidates: tuple[LanguageCandidate, ...]
    status: str
    script: str


@dataclass(frozen=True)
class SegmentCounts:
    """Accounting for a translated document."""

    paragraphs: int
    source_segments: int
    translated_segments: int
    split_segments: int
    fallback_segments: int
    truncated: bool


@dataclass(frozen=True)
class Translation:
    """One translated document."""

    text: str
    source_language: str
    detected_language: str
    model: ModelInfo
    segments: SegmentCounts


@dataclass(frozen=True)
class Chunking:
    """How the summarizer read a long article."""

    input_tokens: int
    windows: int
    window_tokens: tuple[int, ...]
    sentences: int
    sentences_read: int
    reduced: bool


@dataclass(frozen=True)
class Summary:
    """The summarizer's brief of an English text."""

    headline: str
    summary: str
    bullets: tuple[str, ...]
    model: ModelInfo
    chunking: Chunking


@dataclass(frozen=True)
class Brief:
    """An English brief of an article in uk, ru or en."""

    language: str
    confidence: float
    english_text: str
    headline: str
    summary: str
    bullets: tuple[str, ...]
    models: dict[str, ModelInfo]
    timings_ms: dict[str, float]
    request_id: str
    translated: bool = field(default=False)

    def to_dict(self) -> dict[str, object]:
        """A JSON-friendly dict."""
        return {
            "language": self.language,
            "confidence": self.confidence,
            "headline": self.headline,
            "summary": self.summary,
            "bullets": list(self.bullets),
            "english_text": self.english_text,
            "translated": self.translated,
            "models": {k: vars(v) for k, v in self.models.items()},
            "timings_ms": self.timings_ms,
            "request_id": self.request_id,
        }

    def to_text(self, with_translation: bool = False) -> str:
        """Shaped like a wire brief: headline, summary, then "•" bullets."""
        parts = [self.headline, "", self.summary, ""]
        parts += [f"• {b}" for b in self.bullets]
        if with_translation:
            parts += ["", "--- English text ---", self.english_text]
        return "\n".join(parts).rstrip() + "\n"


@dataclass(frozen=True)
class BriefOutcome:
    """One item of brief_many: a brief or the error that stopped it."""

    index: int
    brief: Brief | None = None
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        """True when the brief was produced."""
        return self.brief is not None
