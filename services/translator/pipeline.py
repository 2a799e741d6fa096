"""Whole-document translation as prepare → model work → assemble.

prepare: the language decision per document (the shared language gate), paragraphs
kept exactly, sentences split by the shared splitter, over-long sentences split (never
cut) to the model's window, one generation job per piece. Model work: the jobs go to
the batcher of their model, where they share batches with other requests. Assemble:
pieces back into sentences, paragraphs and documents, every segment accounted for; a
piece the model left empty keeps its source text and is counted as a fallback.

Pure Python over the Engine interface; never imports grpc.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from services.common.batch_queue import Job
from services.common.engine import Engine, Generated, GenerationSpec
from services.common.language import ENGLISH, LanguageDecision, LanguageGate
from services.common.models import ModelRef
from services.common.plan import Plan, run_sync
from services.common.segment import fit_pieces, split_sentences, split_with_breaks

PASSTHROUGH = ModelRef("passthrough", "", "none")
TARGET = ENGLISH
# Output length bound: a runaway repetition cannot eat the server.
LENGTH_RATIO = 1.6
LENGTH_EXTRA = 10


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
class DocumentResult:
    """A translated document."""

    text: str
    language: LanguageDecision
    model: ModelRef
    report: SegmentReport
    paragraphs: list[ParagraphResult] = field(default_factory=list)


@dataclass(frozen=True)
class Unit:
    """One paragraph of one document, and the language it is translated from."""

    document: int
    index: int
    text: str
    trailing_break: str
    language: str

    @property
    def key(self) -> tuple[int, int]:
        """(document, paragraph index)."""
        return (self.document, self.index)


@dataclass
class _Piece:
    unit: tuple[int, int]
    sentence: int
    text: str
    output: str = ""


@dataclass
class Prepared:
    """A request after preparation: its paragraphs and one job per sentence piece."""

    documents: list[tuple[str, LanguageDecision]]
    units: list[Unit]
    sentences: dict[tuple[int, int], list[str]]
    reports: dict[tuple[int, int], SegmentReport]
    models: dict[str, ModelRef]
    pieces: list[_Piece] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)

    def jobs_of(self, unit: Unit) -> list[int]:
        """Indices of the jobs that translate one paragraph."""
        return [i for i, piece in enumerate(self.pieces) if piece.unit == unit.key]

    def accept(self, index: int, result: Generated) -> None:
        """Record the model's output for job `index`."""
        piece = self.pieces[index]
        report = self.reports[piece.unit]
        report.source_tokens += result.source_tokens
        report.target_tokens += result.target_tokens
        if result.text.strip():
            piece.output = result.text
        else:
            # The model wrote nothing for a non-empty segment: keep the source text in
            # its place rather than lose it, and say so in the report.
            piece.output = piece.text
            report.fallback_segments += 1

    def paragraph(self, unit: Unit) -> ParagraphResult:
        """A paragraph's translation (its jobs accepted; English passes through)."""
        report = self.reports[unit.key]
        sentences = self.sentences[unit.key]
        if unit.language == TARGET:
            report.translated_segments = report.source_segments
            return ParagraphResult(unit.index, unit.text, unit.trailing_break, report)
        outputs: list[list[str]] = [[] for _ in sentences]
        for piece in self.pieces:
            if piece.unit == unit.key:
                outputs[piece.sentence].append(piece.output)
        translated = [" ".join(o) for o in outputs]
        report.translated_segments = sum(1 for t in translated if t.strip())
        return ParagraphResult(unit.index, " ".join(translated), unit.trailing_break, report)

    def results(self) -> list[DocumentResult]:
        """Every document, assembled (all jobs accepted)."""
        out = []
        for d, (_, decision) in enumerate(self.documents):
            done = [self.paragraph(u) for u in self.units if u.document == d]
            report = SegmentReport()
            for p in done:
                report.add(p.report)
            joined = "".join(p.text + p.trailing_break for p in done)
            model = self.models.get(decision.source, PASSTHROUGH)
            out.append(DocumentResult(joined, decision, model, report, done))
        return out


class DocumentTranslator:
    """Translates documents with one engine per source language (one engine may serve
    several languages). Holds no per-request state."""

    def __init__(
        self,
        engines: Mapping[str, Engine],
        gate: LanguageGate,
        *,
        num_beams: int = 4,
        max_batch_segments: int = 32,
        max_batch_tokens: int = 8192,
    ) -> None:
        self.engines = dict(engines)
        self.gate = gate
        self.num_beams = num_beams
        self.max_batch_segments = max_batch_segments
        self.max_batch_tokens = max_batch_tokens

    @staticmethod
    def key(engine: Engine) -> str:
        """The batcher key of an engine's model."""
        return f"{engine.model.id}@{engine.model.revision}"

    def models(self) -> dict[str, Engine]:
        """Each distinct loaded model by its key."""
        return {self.key(e): e for e in self.engines.values()}

    @property
    def source_languages(self) -> list[str]:
        """Languages translated to English (English itself passes through)."""
        return sorted(self.engines)

    def supported(self) -> list[str]:
        """Every accepted source language code."""
        return [*self.source_languages, TARGET]

    def decide_language(self, text: str, requested: str, field: str) -> LanguageDecision:
        """The source language (see LanguageGate.decide)."""
        return self.gate.decide(text, requested, field, self.engines)

    def model_for(self, language: str) -> ModelRef:
        """The model that serves `language` (passthrough for English)."""
        return self.engines[language].model if language in self.engines else PASSTHROUGH

    def spec_for(self, engine: Engine) -> GenerationSpec:
        """How sentences are generated: the configured beams, length-bounded output."""
        return GenerationSpec(
            max_new_tokens=engine.max_source_tokens,
            num_beams=self.num_beams,
            length_ratio=LENGTH_RATIO,
            length_extra=LENGTH_EXTRA,
        )

    def prepare(self, documents: list[tuple[str, LanguageDecision]]) -> Prepared:
        """Paragraphs, sentences and one job per piece that fits the model window."""
        units: list[Unit] = []
        for d, (text, decision) in enumerate(documents):
            paragraphs, breaks = split_with_breaks(text)
            units += [
                Unit(d, i, p, b, decision.source)
                for i, (p, b) in enumerate(zip(paragraphs, breaks, strict=True))
            ]
        sentences = {u.key: split_sentences(u.text) for u in units}
        reports = {
            u.key: SegmentReport(paragraphs=1, source_segments=len(sentences[u.key])) for u in units
        }
        models = {lang: e.model for lang, e in self.engines.items()}
        prepared = Prepared(documents, units, sentences, reports, models)
        for unit in units:
            engine = self.engines.get(unit.language)
            if engine is None:  # English: passthrough, counted but unchanged
                continue
            spec, key = self.spec_for(engine), self.key(engine)
            for j, sentence in enumerate(sentences[unit.key]):
                parts = fit_pieces(sentence, engine.max_source_tokens, engine.count_tokens)
                if len(parts) > 1:
                    reports[unit.key].split_segments += 1
                for part, tokens in parts:
                    prepared.pieces.append(_Piece(unit.key, j, part))
                    prepared.jobs.append(Job(part, tokens, spec, key))
        return prepared

    def plan(self, contents: list[str], requested: str) -> Plan[list[DocumentResult]]:
        """A Translate request: decide, prepare, one round of jobs, assemble."""
        decisions = [
            self.decide_language(text, requested, f"contents[{i}]")
            for i, text in enumerate(contents)
        ]
        prepared = self.prepare(list(zip(contents, decisions, strict=True)))
        results = yield prepared.jobs
        for index, result in enumerate(results):
            prepared.accept(index, result)
        return prepared.results()

    def translate_documents(
        self, documents: list[tuple[str, LanguageDecision]]
    ) -> list[DocumentResult]:
        """Translate now, calling the engines directly (tests, benchmarks, scripts)."""

        def plan() -> Plan[list[DocumentResult]]:
            prepared = self.prepare(documents)
            results = yield prepared.jobs
            for index, result in enumerate(results):
                prepared.accept(index, result)
            return prepared.results()

        return run_sync(
            plan(),
            self.models(),
            max_tokens=self.max_batch_tokens,
            max_items=self.max_batch_segments,
        )

    def translate_document(self, text: str, decision: LanguageDecision) -> DocumentResult:
        """Translate one whole document now; paragraph breaks survive."""
        return self.translate_documents([(text, decision)])[0]
