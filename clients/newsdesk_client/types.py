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
class SegmentFlag:
    """A sentence the plausibility gate flagged (after one retry), and why."""

    paragraph: int
    sentence: int
    source: tuple[int, int]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class SegmentCounts:
    """Accounting for a translated document."""

    paragraphs: int
    source_segments: int
    translated_segments: int
    split_segments: int
    fallback_segments: int
    truncated: bool
    flagged_segments: int = 0
    retried_segments: int = 0
    flags: tuple[SegmentFlag, ...] = ()
    cached_segments: int = 0
    terms_protected: int = 0
    terms_restored: int = 0
    terms_dropped: int = 0
    terms_invented: int = 0


Span = tuple[int, int]
"""(start, end): code-point offsets (Python string indices), end exclusive."""

# The languages the chain reads, by name (Brief.source_lines).
LANGUAGE_NAMES = {"uk": "Ukrainian", "ru": "Russian", "en": "English", "be": "Belarusian"}


@dataclass(frozen=True)
class StyleReport:
    """What the house style rewrote: rewrites per (variant, preferred)."""

    applied: bool = False
    replacements: int = 0
    details: tuple[tuple[str, str, int], ...] = ()
    glossary_version: str = ""


@dataclass(frozen=True)
class AlignedSentence:
    """A source sentence and its translation: spans into the source text and into
    the translated text; `pieces` are (source, target) per piece it was translated in."""

    paragraph: int
    source: Span
    target: Span
    pieces: tuple[tuple[Span, Span], ...] = ()


@dataclass(frozen=True)
class Translation:
    """One translated document."""

    text: str
    source_language: str
    detected_language: str
    model: ModelInfo
    segments: SegmentCounts
    house_style: StyleReport = field(default_factory=StyleReport)
    alignment: tuple[AlignedSentence, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """A JSON-friendly dict (the CLI's --json / --jsonl)."""
        return {
            "text": self.text,
            "source_language": self.source_language,
            "detected_language": self.detected_language,
            "model": vars(self.model),
            "segments": {k: v for k, v in vars(self.segments).items() if k != "flags"},
            "flags": flag_dicts(self.segments.flags),
            "house_style": {
                "applied": self.house_style.applied,
                "replacements": self.house_style.replacements,
                "details": [list(d) for d in self.house_style.details],
            },
        }


@dataclass(frozen=True)
class TranslationOutcome:
    """One item of translate_each: a translation or the error that stopped it."""

    index: int
    translation: Translation | None = None
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        """True when the document was translated."""
        return self.translation is not None


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
class BulletSource:
    """The sentences of the English text a bullet was drawn from (indexes into
    Summary.sentences, and their spans)."""

    sentences: tuple[int, ...]
    spans: tuple[Span, ...]
    rewritten: bool


class _Shortfall:
    """`bullet_shortfall` / `bullet_shortfall_detail`: the names in JSON and in the
    protocol, read from the `shortfall` fields the constructors keep."""

    shortfall: str
    shortfall_detail: str

    @property
    def bullet_shortfall(self) -> str:
        """Why there are fewer bullets than asked for: "", "SHORT_ARTICLE",
        "REPEATS_SUMMARY" or "LONG_SENTENCES"."""
        return self.shortfall

    @property
    def bullet_shortfall_detail(self) -> str:
        """The shortfall in words ("" when there is none)."""
        return self.shortfall_detail


@dataclass(frozen=True)
class Summary(_Shortfall):
    """The summarizer's brief of an English text. Spans index the text as sent."""

    headline: str
    summary: str
    bullets: tuple[str, ...]
    model: ModelInfo
    chunking: Chunking
    sentences: tuple[Span, ...] = ()
    windows: tuple[tuple[int, int, Span], ...] = ()  # (first sentence, count, span)
    bullet_sources: tuple[BulletSource, ...] = ()
    # Read them as bullet_shortfall / bullet_shortfall_detail (the name in JSON and in
    # the protocol); the constructor keeps these names.
    shortfall: str = ""  # "", "SHORT_ARTICLE", "REPEATS_SUMMARY" or "LONG_SENTENCES"
    shortfall_detail: str = ""
    house_style: StyleReport = field(default_factory=StyleReport)

    def to_dict(self) -> dict[str, object]:
        """A JSON-friendly dict (the CLI's --json / --jsonl)."""
        return {
            "headline": self.headline,
            "summary": self.summary,
            "bullets": list(self.bullets),
            "bullet_sources": [
                {"sentences": list(b.sentences), "spans": [list(x) for x in b.spans]}
                for b in self.bullet_sources
            ],
            "bullet_shortfall": self.shortfall,
            "bullet_shortfall_detail": self.shortfall_detail,
            "model": vars(self.model),
            "house_style": {
                "applied": self.house_style.applied,
                "replacements": self.house_style.replacements,
            },
        }


@dataclass(frozen=True)
class SourceSentence:
    """A sentence of the original article: its text and span in the article."""

    text: str
    span: Span


@dataclass(frozen=True)
class BulletProvenance:
    """Where a bullet comes from: the English sentences (spans into
    Brief.english_text) and the original sentences (spans into the article as given)."""

    english: tuple[Span, ...]
    original: tuple[SourceSentence, ...]
    rewritten: bool


@dataclass(frozen=True)
class Brief(_Shortfall):
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
    sources: tuple[BulletProvenance, ...] = ()
    # Read them as bullet_shortfall / bullet_shortfall_detail (the name in JSON and in
    # the protocol); the constructor keeps these names.
    shortfall: str = ""
    shortfall_detail: str = ""
    house_style: dict[str, StyleReport] = field(default_factory=dict)
    # Sentences of the original the plausibility gate flagged in their translation.
    flags: tuple[SegmentFlag, ...] = ()
    # The translator's caveat for the source language ("be: … expect lower quality"),
    # "" when it has none.
    quality_note: str = ""

    def source_lines(self, language_given: bool = False) -> tuple[str, ...]:
        """What the reader is reading: the source language, how it was known (detected
        with a confidence, or `language_given` by the caller), whether it was
        translated, and the translator's quality note for it when it has one."""
        name = LANGUAGE_NAMES.get(self.language, self.language)
        how = "given" if language_given else f"detected, confidence {self.confidence:.2f}"
        done = "translated into English" if self.translated else "not translated"
        lines = [f"Source: {name} ({self.language}), {how}; {done}"]
        if self.quality_note:
            # The translator's notes start with the language code ("be: …").
            lines.append(f"Note: {self.quality_note.removeprefix(f'{self.language}: ')}")
        return tuple(lines)

    def flag_warning(self) -> str:
        """One line naming the flagged sentences ("" when none)."""
        return flag_warning(self.flags)

    def to_dict(self) -> dict[str, object]:
        """A JSON-friendly dict (spans as [start, end] code-point offsets)."""
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
            "sources": [
                {
                    "english_spans": [list(s) for s in p.english],
                    "original": [{"text": o.text, "span": list(o.span)} for o in p.original],
                    "rewritten": p.rewritten,
                }
                for p in self.sources
            ],
            "bullet_shortfall": self.shortfall,
            "bullet_shortfall_detail": self.shortfall_detail,
            "quality_note": self.quality_note,
            "flags": flag_dicts(self.flags),
            "house_style": {
                stage: {
                    "applied": r.applied,
                    "replacements": r.replacements,
                    "details": [list(d) for d in r.details],
                    "glossary_version": r.glossary_version,
                }
                for stage, r in self.house_style.items()
            },
        }

    def to_text(self, with_translation: bool = False, with_sources: bool = False) -> str:
        """Shaped like a wire brief: headline, summary, then "•" bullets; with_sources
        puts each bullet's original sentence(s) underneath it."""
        parts = [self.headline, "", self.summary, ""]
        for i, bullet in enumerate(self.bullets):
            parts.append(f"• {bullet}")
            if with_sources and i < len(self.sources):
                label = self.language if self.translated else "source"
                parts += [f"    [{label}] {o.text}" for o in self.sources[i].original]
        if self.bullet_shortfall_detail:
            parts += ["", f"({self.bullet_shortfall_detail})"]
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


@dataclass(frozen=True)
class SummaryOutcome:
    """One item of summarize_many: a summary or the error that stopped it."""

    index: int
    summary: Summary | None = None
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        """True when the text was summarized."""
        return self.summary is not None


@dataclass(frozen=True)
class TranslatedParagraph:
    """One paragraph of translate_stream, in document order."""

    index: int
    count: int
    text: str
    source_language: str
    detected_language: str
    model: ModelInfo
    segments: SegmentCounts
    house_style: StyleReport = field(default_factory=StyleReport)


@dataclass(frozen=True)
class Limits:
    """A service's input limits (past them: INVALID_ARGUMENT, never truncation)."""

    max_chars: int
    max_batch: int
    max_concurrent_rpcs: int


@dataclass(frozen=True)
class ServiceInfo:
    """What a service serves (its Info RPC)."""

    service_name: str
    version: str
    models: tuple[ModelInfo, ...]
    limits: Limits
    max_source_tokens: int = 0  # translator, summarizer: the model's input window
    languages: tuple[str, ...] = ()  # detector: the languages it can name
    quality_notes: tuple[str, ...] = ()  # translator: lower-quality languages


@dataclass(frozen=True)
class LanguagePair:
    """One direction the translator serves."""

    source: str
    target: str
    model: ModelInfo
    quality_note: str = ""  # set when served at lower quality (e.g. Belarusian)


def flag_warning(flags: tuple[SegmentFlag, ...]) -> str:
    """One line naming the sentences the plausibility gate flagged ("" when none);
    sentences are numbered from 1, in the original."""
    if not flags:
        return ""
    named = ", ".join(f"{f.sentence + 1} ({'/'.join(f.reasons)})" for f in flags[:8])
    more = f" and {len(flags) - 8} more" if len(flags) > 8 else ""
    return (
        f"warning: the translation of {len(flags)} sentence(s) failed the plausibility "
        f"gate: sentence {named}{more}"
    )


def flag_dicts(flags: tuple[SegmentFlag, ...]) -> list[dict[str, object]]:
    """Flags as JSON-friendly dicts."""
    return [
        {
            "paragraph": f.paragraph,
            "sentence": f.sentence,
            "source_span": list(f.source),
            "reasons": list(f.reasons),
        }
        for f in flags
    ]
