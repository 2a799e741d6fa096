"""The client's own frozen dataclasses (the chain's Brief is in chain.py): no protobuf
type reaches the caller."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Generic, TypeVar

R = TypeVar("R")


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
    names_protected: int = 0
    names_restored: int = 0
    names_dropped: int = 0
    verbatim_protected: int = 0
    verbatim_restored: int = 0
    verbatim_dropped: int = 0


Span = tuple[int, int]
"""(start, end): code-point offsets (Python string indices), end exclusive."""


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
class NamedEntity:
    """A person, place or organisation of the source (the translator's entity layer):
    every inflected form is one entity, written one way in English. `how` says where
    the rendering came from ("glossary", "per-request", "KMU 2010", "Wikipedia");
    `masked`: forced through the model (else found and left to it). `source` spans are
    into the original text, `target` spans into the English text; `original` is the
    original text of each source span (the brief fills it)."""

    kind: str
    english: str
    how: str
    lemma: str
    masked: bool
    source: tuple[Span, ...]
    target: tuple[Span, ...]
    evidence: str = ""
    original: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """A JSON-friendly dict (spans as [start, end] code-point offsets)."""
        out: dict[str, object] = {
            "kind": self.kind,
            "english": self.english,
            "how": self.how,
            "lemma": self.lemma,
            "masked": self.masked,
            "evidence": self.evidence,
            "source_spans": [list(s) for s in self.source],
            "target_spans": [list(t) for t in self.target],
        }
        if self.original:
            out["original"] = list(self.original)
        return out


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
    # The people, places and organisations of the source, in order of first mention.
    entities: tuple[NamedEntity, ...] = ()
    # Each non-empty paragraph's language when the document mixes uk, ru and en by
    # paragraph (each translated from its own); () when all are source_language's.
    paragraph_languages: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """A JSON-friendly dict (the CLI's --json / --jsonl)."""
        return {
            "text": self.text,
            "source_language": self.source_language,
            "detected_language": self.detected_language,
            "model": vars(self.model),
            "segments": {k: v for k, v in vars(self.segments).items() if k != "flags"},
            "flags": flag_dicts(self.segments.flags),
            "house_style": style_dict(self.house_style, "details"),
            "entities": [e.to_dict() for e in self.entities],
            "paragraph_languages": list(self.paragraph_languages),
        }


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


class BulletShortfall:
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
class FactCheck:
    """The figures check of one part of a brief (headline, summary or a bullet) against
    the English text it was written from: the figures it states (each checked), what
    the model's draft stated that the text does not, and what was done: "" (nothing
    needed), "REMOVED", "REPLACED" or "FLAGGED" (still stated: see `detail`)."""

    figures_checked: int = 0
    figures_unsupported: tuple[str, ...] = ()
    names_unsupported: tuple[str, ...] = ()
    action: str = ""
    detail: str = ""

    @property
    def flagged(self) -> bool:
        """True when the part as published states what the text does not."""
        return self.action == "FLAGGED"

    def to_dict(self) -> dict[str, object]:
        """A JSON-friendly dict."""
        return {
            "figures_checked": self.figures_checked,
            "figures_unsupported": list(self.figures_unsupported),
            "names_unsupported": list(self.names_unsupported),
            "action": self.action,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Summary(BulletShortfall):
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
    # The figures check of the headline, the summary and each bullet (in order).
    headline_check: FactCheck = field(default_factory=FactCheck)
    summary_check: FactCheck = field(default_factory=FactCheck)
    bullet_checks: tuple[FactCheck, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """A JSON-friendly dict (the CLI's --json / --jsonl)."""
        return {
            "fact_checks": {
                "headline": self.headline_check.to_dict(),
                "summary": self.summary_check.to_dict(),
                "bullets": [c.to_dict() for c in self.bullet_checks],
            },
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
            "house_style": style_dict(self.house_style),
        }


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
    # The names with a mention in this paragraph (target spans into `text`).
    entities: tuple[NamedEntity, ...] = ()


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


@dataclass(frozen=True, init=False)
class Outcome(Generic[R]):
    """One item of a call on many texts: its result, or the error that stopped it.
    Each call returns it under its result's name (TranslationOutcome.translation,
    SummaryOutcome.summary, BriefOutcome.brief), a keyword its constructor takes too."""

    index: int
    result: R | None = None
    error: Exception | None = None
    kind: ClassVar[str] = "result"  # the result's own name (keyword and property)

    def __init__(
        self, index: int, result: R | None = None, error: Exception | None = None, **named: R
    ) -> None:
        unknown = sorted(set(named) - {self.kind})
        if unknown:
            raise TypeError(f"{type(self).__name__}: unexpected keyword argument {unknown[0]!r}")
        object.__setattr__(self, "index", index)
        object.__setattr__(self, "result", named.get(self.kind, result))
        object.__setattr__(self, "error", error)

    @property
    def ok(self) -> bool:
        """True when the item has its result."""
        return self.result is not None


class TranslationOutcome(Outcome[Translation]):
    """One item of translate_each."""

    kind = "translation"

    @property
    def translation(self) -> Translation | None:
        """The translation (None when it failed: see `error`)."""
        return self.result


class SummaryOutcome(Outcome[Summary]):
    """One item of summarize_many."""

    kind = "summary"

    @property
    def summary(self) -> Summary | None:
        """The summary (None when it failed: see `error`)."""
        return self.result


def style_dict(report: StyleReport, *extra: str) -> dict[str, object]:
    """A house-style report as a JSON-friendly dict: applied, replacements, and the
    `extra` fields asked for ("details", "glossary_version")."""
    data: dict[str, object] = {"applied": report.applied, "replacements": report.replacements}
    if "details" in extra:
        data["details"] = [list(d) for d in report.details]
    if "glossary_version" in extra:
        data["glossary_version"] = report.glossary_version
    return data


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


def fact_warning(checks: Sequence[tuple[str, FactCheck]]) -> str:
    """One line naming the parts of a brief that state figures or names the article does
    not ("" when none is flagged): (part, check) pairs."""
    flagged = [(part, c) for part, c in checks if c.flagged]
    if not flagged:
        return ""
    named = "; ".join(
        f"{part}: " + ", ".join((*c.figures_unsupported, *c.names_unsupported))
        for part, c in flagged
    )
    return f"warning: the figures check flagged what the article does not state: {named}"


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


# The chain's result types lived here before they moved to chain.py; old imports
# (`from newsdesk_client.types import Brief`) keep working. Lazy: chain.py imports
# this module.
_MOVED_TO_CHAIN = ("Brief", "BriefOutcome", "BulletProvenance", "SourceSentence")


def __getattr__(name: str) -> object:
    if name in _MOVED_TO_CHAIN:
        from newsdesk_client import chain

        return getattr(chain, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
