"""What a translation request gives back: documents and paragraphs with their text,
segment report, sentence alignment and house-style counts; the error of a document
whose flagged sentences the caller rejects. Built by the assembly (assemble.py) and
converted to protos by wire.py. Pure Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from services.common.errors import FailedPrecondition, ServiceError
from services.common.models.store import ModelRef
from services.common.text.glossary import StyleCounts
from services.common.text.language import LanguageDecision
from services.translator.names import NameResult

PASSTHROUGH = ModelRef("passthrough", "", "none")


@dataclass(frozen=True)
class SentenceFlag:
    """A sentence the plausibility gate flagged: where it is and why."""

    paragraph: int
    sentence: int  # index in its paragraph (in its document once assembled)
    source: tuple[int, int]
    reasons: tuple[str, ...]


# The counts a report adds up over paragraphs (every field but `truncated` and `flags`).
_COUNTS = (
    "paragraphs",
    "source_segments",
    "translated_segments",
    "split_segments",
    "fallback_segments",
    "source_tokens",
    "target_tokens",
    "retried_segments",
    "cached_segments",
    "terms_protected",
    "terms_restored",
    "terms_dropped",
    "terms_invented",
    "names_protected",
    "names_restored",
    "names_dropped",
    "verbatim_protected",
    "verbatim_restored",
    "verbatim_dropped",
)


@dataclass
class SegmentReport:
    """Accounting for a document or paragraph; nothing is ever truncated."""

    paragraphs: int = 0
    source_segments: int = 0
    translated_segments: int = 0
    split_segments: int = 0
    fallback_segments: int = 0
    source_tokens: int = 0
    target_tokens: int = 0
    truncated: bool = False
    retried_segments: int = 0
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
    flags: list[SentenceFlag] = field(default_factory=list)

    def add(self, other: SegmentReport) -> None:
        """Accumulate another report into this one."""
        for name in _COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.truncated = self.truncated or other.truncated
        self.flags += other.flags

    @property
    def flagged_segments(self) -> int:
        """Sentences the plausibility gate flagged."""
        return len(self.flags)


@dataclass(frozen=True)
class PieceAlignment:
    """One translated piece: its span in the source document and in the output text."""

    source: tuple[int, int]
    target: tuple[int, int]


@dataclass(frozen=True)
class SentenceAlignment:
    """A source sentence and its translation (code-point spans, end exclusive): source
    offsets into the document as sent, target offsets into the text they belong to."""

    paragraph: int
    source: tuple[int, int]
    target: tuple[int, int]
    pieces: tuple[PieceAlignment, ...]
    flags: tuple[str, ...] = ()

    def shifted(self, by: int) -> SentenceAlignment:
        """The same alignment with target offsets moved by `by`."""
        return SentenceAlignment(
            self.paragraph,
            self.source,
            (self.target[0] + by, self.target[1] + by),
            tuple(
                PieceAlignment(p.source, (p.target[0] + by, p.target[1] + by)) for p in self.pieces
            ),
            self.flags,
        )


@dataclass
class ParagraphResult:
    """One translated paragraph and the break that followed it in the source; target
    offsets of its alignment are into `text`."""

    index: int
    text: str
    trailing_break: str
    report: SegmentReport
    alignment: list[SentenceAlignment] = field(default_factory=list)
    style: StyleCounts = field(default_factory=StyleCounts)
    # The entity layer's names with a source span in this paragraph; target offsets
    # into `text`.
    names: list[NameResult] = field(default_factory=list)


@dataclass
class DocumentResult:
    """A translated document, or the error that stopped it (per-item results only)."""

    text: str
    language: LanguageDecision
    model: ModelRef
    report: SegmentReport
    paragraphs: list[ParagraphResult] = field(default_factory=list)
    alignment: list[SentenceAlignment] = field(default_factory=list)
    style: StyleCounts = field(default_factory=StyleCounts)
    error: ServiceError | None = None
    # The entity layer's names, in order of first mention; target offsets into `text`.
    names: list[NameResult] = field(default_factory=list)

    @classmethod
    def failed(cls, error: ServiceError) -> DocumentResult:
        """The result of a document that could not be translated."""
        return cls("", LanguageDecision(""), PASSTHROUGH, SegmentReport(), error=error)


@dataclass(frozen=True)
class StreamedParagraph:
    """One paragraph of a streamed document, as it is finished."""

    paragraph: ParagraphResult
    count: int  # paragraphs in the document
    language: LanguageDecision
    model: ModelRef


def implausible(flags: Sequence[SentenceFlag], field: str) -> FailedPrecondition | None:
    """The error of a document (or stream) with flagged sentences when the caller
    rejects them; None when nothing is flagged. Sentence numbers are the document's."""
    if not flags:
        return None
    listed = "; ".join(f"sentence {f.sentence} ({', '.join(f.reasons)})" for f in flags[:5])
    more = f" and {len(flags) - 5} more" if len(flags) > 5 else ""
    return FailedPrecondition(
        f"{field}: {len(flags)} sentence(s) failed the plausibility gate after a retry: "
        f"{listed}{more}",
        reason="IMPLAUSIBLE_TRANSLATION",
        field=field,
    )
