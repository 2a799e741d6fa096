"""Whole-document translation: paragraphs kept, sentences packed into model batches,
over-long sentences split (never cut), every segment accounted for.

Pure Python over a TranslationEngine; never imports grpc.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from services.common.errors import FailedPrecondition, UnsupportedLanguage
from services.translator.engine import Generated, ModelRef, TranslationEngine
from services.translator.segment import split_long, split_sentences, split_with_breaks

PASSTHROUGH = ModelRef("passthrough", "", "none")
TARGET = "en"


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

    def add(self, other: SegmentReport) -> None:
        """Accumulate another report into this one."""
        for name in (
            "paragraphs",
            "source_segments",
            "translated_segments",
            "split_segments",
            "fallback_segments",
            "source_tokens",
            "target_tokens",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.truncated = self.truncated or other.truncated


@dataclass
class ParagraphResult:
    """One translated paragraph and the break that followed it in the source."""

    index: int
    text: str
    trailing_break: str
    report: SegmentReport


@dataclass
class LanguageDecision:
    """The language a document is translated from, and how it was decided."""

    source: str
    detected: str = ""
    confidence: float = 0.0


@dataclass
class DocumentResult:
    """A translated document."""

    text: str
    language: LanguageDecision
    model: ModelRef
    report: SegmentReport
    paragraphs: list[ParagraphResult] = field(default_factory=list)


@dataclass
class _Piece:
    paragraph: int
    sentence: int
    text: str
    tokens: int
    output: str = ""


class DocumentTranslator:
    """Translates documents with one engine per source language (one engine may serve
    several languages)."""

    def __init__(
        self,
        engines: Mapping[str, TranslationEngine],
        detect: Callable[[str], tuple[str, float, bool]],
        *,
        max_batch_segments: int = 16,
        max_batch_tokens: int = 4096,
    ) -> None:
        self.engines = dict(engines)
        self._detect = detect
        self.max_batch_segments = max_batch_segments
        self.max_batch_tokens = max_batch_tokens

    @property
    def source_languages(self) -> list[str]:
        """Languages translated to English (English itself passes through)."""
        return sorted(self.engines)

    def supported(self) -> list[str]:
        """Every accepted source language code."""
        return [*self.source_languages, TARGET]

    def decide_language(self, text: str, requested: str, field: str) -> LanguageDecision:
        """The source language: the requested one, or detected when empty.

        Raises UnsupportedLanguage for anything but uk/ru/en (a Belarusian text never
        goes to the Ukrainian model) and FailedPrecondition when detection is unsure.
        """
        code = requested.strip().lower()
        if code:
            if code not in self.engines and code != TARGET:
                raise UnsupportedLanguage(code, field, self.supported())
            return LanguageDecision(code)
        language, confidence, reliable = self._detect(text)
        if language not in self.engines and language != TARGET:
            raise UnsupportedLanguage(language, field, self.supported())
        if not reliable:
            raise FailedPrecondition(
                f"{field}: the language could not be detected reliably (best guess "
                f"{language!r}, confidence {confidence:.2f}); set source_language_code",
                reason="LANGUAGE_UNCERTAIN",
                language=language,
            )
        return LanguageDecision(language, language, confidence)

    def model_for(self, language: str) -> ModelRef:
        """The model that serves `language` (passthrough for English)."""
        return self.engines[language].model if language in self.engines else PASSTHROUGH

    def translate_document(self, text: str, decision: LanguageDecision) -> DocumentResult:
        """Translate a whole document; paragraph breaks survive."""
        paragraphs = list(self.translate_paragraphs(text, decision))
        report = SegmentReport()
        for p in paragraphs:
            report.add(p.report)
        joined = "".join(p.text + p.trailing_break for p in paragraphs)
        return DocumentResult(joined, decision, self.model_for(decision.source), report, paragraphs)

    def paragraphs_of(self, text: str) -> tuple[list[str], list[str]]:
        """Paragraphs and their trailing breaks."""
        return split_with_breaks(text)

    def translate_paragraphs(
        self, text: str, decision: LanguageDecision, *, per_paragraph: bool = False
    ) -> Iterator[ParagraphResult]:
        """Paragraph results in order. per_paragraph=True translates one paragraph per
        model pass (for streaming); otherwise all segments are batched together."""
        paragraphs, breaks = split_with_breaks(text)
        groups = (
            [[i] for i in range(len(paragraphs))]
            if per_paragraph
            else [list(range(len(paragraphs)))]
        )
        for group in groups:
            yield from self._translate_group(
                [paragraphs[i] for i in group], [breaks[i] for i in group], group, decision
            )

    def translate_one_paragraph(
        self, paragraph: str, trailing_break: str, index: int, decision: LanguageDecision
    ) -> ParagraphResult:
        """Translate a single paragraph (the streaming unit)."""
        return next(iter(self._translate_group([paragraph], [trailing_break], [index], decision)))

    def _translate_group(
        self,
        paragraphs: list[str],
        breaks: list[str],
        indexes: list[int],
        decision: LanguageDecision,
    ) -> Iterator[ParagraphResult]:
        sentences = [split_sentences(p) for p in paragraphs]
        reports = [SegmentReport(paragraphs=1, source_segments=len(s)) for s in sentences]
        engine = self.engines.get(decision.source)
        if engine is None:  # English: passthrough, counted but unchanged
            for k, paragraph in enumerate(paragraphs):
                reports[k].translated_segments = reports[k].source_segments
                yield ParagraphResult(indexes[k], paragraph, breaks[k], reports[k])
            return
        pieces: list[_Piece] = []
        for k, sents in enumerate(sentences):
            for j, sentence in enumerate(sents):
                parts = split_long(sentence, engine.max_source_tokens, engine.count_tokens)
                if len(parts) > 1:
                    reports[k].split_segments += 1
                for part in parts:
                    pieces.append(_Piece(k, j, part, engine.count_tokens(part)))
        for batch in self._batches(pieces):
            results = engine.translate([p.text for p in batch])
            for piece, result in zip(batch, results, strict=True):
                self._accept(piece, result, reports[piece.paragraph])
        for k, sents in enumerate(sentences):
            outputs: list[list[str]] = [[] for _ in sents]
            for piece in pieces:
                if piece.paragraph == k:
                    outputs[piece.sentence].append(piece.output)
            translated = [" ".join(o) for o in outputs]
            reports[k].translated_segments = sum(1 for t in translated if t.strip())
            yield ParagraphResult(indexes[k], " ".join(translated), breaks[k], reports[k])

    @staticmethod
    def _accept(piece: _Piece, result: Generated, report: SegmentReport) -> None:
        report.source_tokens += result.source_tokens
        report.target_tokens += result.target_tokens
        if result.text.strip():
            piece.output = result.text
        else:
            # The model wrote nothing for a non-empty segment: keep the source text in
            # its place rather than lose it, and say so in the report.
            piece.output = piece.text
            report.fallback_segments += 1

    def _batches(self, pieces: list[_Piece]) -> Iterator[list[_Piece]]:
        """Model batches of similar length (less padding), under the segment and
        padded-token caps."""
        ordered = sorted(pieces, key=lambda p: p.tokens)
        batch: list[_Piece] = []
        for piece in ordered:
            longest = max([p.tokens for p in batch] + [piece.tokens])
            if batch and (
                len(batch) >= self.max_batch_segments
                or longest * (len(batch) + 1) > self.max_batch_tokens
            ):
                yield batch
                batch = []
            batch.append(piece)
        if batch:
            yield batch
