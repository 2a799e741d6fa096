"""Whole-document translation: paragraphs kept, sentences packed into model batches,
over-long sentences split (never cut), every segment accounted for.

Pure Python over a TranslationEngine; never imports grpc.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from services.common.errors import FailedPrecondition, UnsupportedLanguage
from services.translator.engine import Generated, ModelRef, TranslationEngine
from services.translator.segment import fit_pieces, split_sentences, split_with_breaks

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


@dataclass(frozen=True)
class _Unit:
    """One paragraph of one document, and the language it is translated from."""

    document: int
    index: int
    text: str
    trailing_break: str
    language: str

    @property
    def key(self) -> tuple[int, int]:
        return (self.document, self.index)


@dataclass
class _Piece:
    unit: tuple[int, int]
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
        return self.translate_documents([(text, decision)])[0]

    def translate_documents(
        self, documents: list[tuple[str, LanguageDecision]]
    ) -> list[DocumentResult]:
        """Translate several documents, batching sentences across them per model."""
        units: list[_Unit] = []
        for d, (text, decision) in enumerate(documents):
            paragraphs, breaks = split_with_breaks(text)
            units += [
                _Unit(d, i, p, b, decision.source)
                for i, (p, b) in enumerate(zip(paragraphs, breaks, strict=True))
            ]
        results = self._translate_units(units)
        out = []
        for d, (_, decision) in enumerate(documents):
            done = [results[u.key] for u in units if u.document == d]
            report = SegmentReport()
            for p in done:
                report.add(p.report)
            joined = "".join(p.text + p.trailing_break for p in done)
            out.append(
                DocumentResult(joined, decision, self.model_for(decision.source), report, done)
            )
        return out

    def paragraphs_of(self, text: str) -> tuple[list[str], list[str]]:
        """Paragraphs and their trailing breaks."""
        return split_with_breaks(text)

    def translate_one_paragraph(
        self, paragraph: str, trailing_break: str, index: int, decision: LanguageDecision
    ) -> ParagraphResult:
        """Translate a single paragraph (the streaming unit)."""
        unit = _Unit(0, index, paragraph, trailing_break, decision.source)
        return self._translate_units([unit])[(0, index)]

    def _translate_units(self, units: list[_Unit]) -> dict[tuple[int, int], ParagraphResult]:
        """Translate paragraphs of any documents; sentences of units that share a model
        are batched together."""
        results: dict[tuple[int, int], ParagraphResult] = {}
        sentences = {u.key: split_sentences(u.text) for u in units}
        reports = {
            u.key: SegmentReport(paragraphs=1, source_segments=len(sentences[u.key])) for u in units
        }
        pieces: dict[int, list[_Piece]] = {}
        engines: dict[int, TranslationEngine] = {}
        for unit in units:
            engine = self.engines.get(unit.language)
            if engine is None:  # English: passthrough, counted but unchanged
                reports[unit.key].translated_segments = reports[unit.key].source_segments
                results[unit.key] = ParagraphResult(
                    unit.index, unit.text, unit.trailing_break, reports[unit.key]
                )
                continue
            engines[id(engine)] = engine
            group = pieces.setdefault(id(engine), [])
            for j, sentence in enumerate(sentences[unit.key]):
                parts = fit_pieces(sentence, engine.max_source_tokens, engine.count_tokens)
                if len(parts) > 1:
                    reports[unit.key].split_segments += 1
                group += [_Piece(unit.key, j, part, tokens) for part, tokens in parts]
        for engine_id, group in pieces.items():
            for batch in self._batches(group):
                generated = engines[engine_id].translate([p.text for p in batch])
                for piece, result in zip(batch, generated, strict=True):
                    self._accept(piece, result, reports[piece.unit])
        by_unit: dict[tuple[int, int], list[_Piece]] = {}
        for group in pieces.values():
            for piece in group:
                by_unit.setdefault(piece.unit, []).append(piece)
        for unit in units:
            if unit.key in results:
                continue
            outputs: list[list[str]] = [[] for _ in sentences[unit.key]]
            for piece in by_unit.get(unit.key, []):
                outputs[piece.sentence].append(piece.output)
            translated = [" ".join(o) for o in outputs]
            report = reports[unit.key]
            report.translated_segments = sum(1 for t in translated if t.strip())
            results[unit.key] = ParagraphResult(
                unit.index, " ".join(translated), unit.trailing_break, report
            )
        return results

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
