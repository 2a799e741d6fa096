"""Whole-document translation as prepare → model work → assemble.

prepare: the language decision per document (the shared language gate), paragraphs
kept exactly, sentences split by the shared splitter (with their code-point spans in
the document), over-long sentences split (never cut) to the model's window, one
generation job per piece. Model work: the jobs go to the batcher of their model, where
they share batches with other requests. Assemble: pieces back into sentences,
paragraphs and documents, each piece in house style (glossary.py), every segment
accounted for, and the sentence alignment (source span ↔ target span, per piece) built
as the text is joined, so its offsets are those of the text returned. A piece the
model left empty keeps its source text and is counted as a fallback.

Pure Python over the Engine interface; never imports grpc.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from services.common.batching.plan import Plan, run_sync
from services.common.batching.queue import Job
from services.common.engines.base import Engine, Generated, GenerationSpec
from services.common.errors import FailedPrecondition, ServiceError
from services.common.models.store import ModelRef
from services.common.text.glossary import HouseStyle, StyleCounts, style_counts
from services.common.text.language import ENGLISH, LanguageDecision, LanguageGate
from services.common.text.segment import (
    Span,
    document_spans,
    fit_pieces,
    piece_spans,
    split_with_breaks,
)
from services.translator import gate
from services.translator.cache import CacheKey, TranslationCache
from services.translator.terms import Masked, Slot, TermGlossary, renderings_missing, restore

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
    retried_segments: int = 0
    cached_segments: int = 0
    terms_protected: int = 0
    terms_restored: int = 0
    terms_dropped: int = 0
    terms_invented: int = 0
    flags: list[SentenceFlag] = field(default_factory=list)

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
            "retried_segments",
            "cached_segments",
            "terms_protected",
            "terms_restored",
            "terms_dropped",
            "terms_invented",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.truncated = self.truncated or other.truncated
        self.flags += other.flags

    @property
    def flagged_segments(self) -> int:
        """Sentences the plausibility gate flagged."""
        return len(self.flags)


@dataclass(frozen=True)
class SentenceFlag:
    """A sentence the plausibility gate flagged: where it is and why."""

    paragraph: int
    sentence: int  # index in its paragraph (in its document once assembled)
    source: tuple[int, int]
    reasons: tuple[str, ...]


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

    @classmethod
    def failed(cls, error: ServiceError) -> DocumentResult:
        """The result of a document that could not be translated."""
        return cls("", LanguageDecision(""), PASSTHROUGH, SegmentReport(), error=error)


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
    source: tuple[int, int]
    job: Job
    output: str = ""
    reasons: tuple[str, ...] = ()
    fallback: bool = False  # the model wrote nothing: the source text stands in
    tokens: int = 0  # of the unmasked text
    cached: bool = False  # every generation it needed came from the cache
    retry: Job | None = None  # the job of its retry, once one was asked for
    slots: tuple[Slot, ...] = ()  # protected terms masked in job.text
    unmasked: bool = False  # a term was lost: the retry (and its output) is unmasked
    terms: tuple[int, int, int] = (0, 0, 0)  # restored, dropped, invented (its output)


@dataclass
class Prepared:
    """A request after preparation: its paragraphs, their sentences (with their spans
    in the source document) and one job per sentence piece."""

    documents: list[tuple[str, LanguageDecision]]
    units: list[Unit]
    sentences: dict[tuple[int, int], list[Span]]
    reports: dict[tuple[int, int], SegmentReport]
    models: dict[str, ModelRef]
    style: HouseStyle = field(default_factory=lambda: HouseStyle(None))
    plausibility: str = "retry"  # the gate: "retry", "flag" or "off"
    cache: TranslationCache | None = None
    pieces: list[_Piece] = field(default_factory=list)
    # The model jobs: one per piece the cache did not answer (pending[i] is its piece).
    jobs: list[Job] = field(default_factory=list)
    pending: list[int] = field(default_factory=list)

    # model key → engine and compute type (part of every cache key)
    engines: dict[str, str] = field(default_factory=dict)

    def _cached(self, job: Job) -> Generated | None:
        """The cached generation of exactly this job, if any (None: cache off or miss)."""
        if self.cache is None:
            return None
        return self.cache.get(
            CacheKey(job.model, self.engines.get(job.model, ""), job.spec, job.text)
        )

    def _keep(self, job: Job, result: Generated) -> None:
        """Cache what the model generated for this job."""
        if self.cache is not None:
            key = CacheKey(job.model, self.engines.get(job.model, ""), job.spec, job.text)
            self.cache.put(key, result)

    def add_piece(self, piece: _Piece) -> None:
        """A piece to translate: its generation found in the cache (then checked here,
        as a fresh one would be), or queued as a model job."""
        index = len(self.pieces)
        self.pieces.append(piece)
        hit = self._cached(piece.job)
        if hit is None:
            self.jobs.append(piece.job)
            self.pending.append(index)
            return
        piece.cached = True
        self._take(piece, hit)

    def jobs_of(self, unit: Unit) -> list[int]:
        """Indices of the model jobs that translate one paragraph."""
        return [j for j, i in enumerate(self.pending) if self.pieces[i].unit == unit.key]

    def accept(self, index: int, result: Generated) -> None:
        """Record the model's output for model job `index` (and cache it)."""
        piece = self.pieces[self.pending[index]]
        self._keep(piece.job, result)
        self._take(piece, result)

    def _take(self, piece: _Piece, result: Generated) -> None:
        """A piece's first generation, fresh or cached: terms restored, the gate's
        checks made, everything counted for this request."""
        report = self.reports[piece.unit]
        report.source_tokens += result.source_tokens
        report.target_tokens += result.target_tokens
        text, reasons, piece.terms = self._checked(piece, result.text, masked=True)
        piece.unmasked = gate.TERM_DROPPED in reasons or gate.TERM_INVENTED in reasons
        if text:
            piece.output = text
        else:
            # The model wrote nothing for a non-empty segment: keep the source text in
            # its place rather than lose it, and say so in the report.
            piece.output, piece.fallback = piece.text, True
            report.fallback_segments += 1
        piece.reasons = reasons

    def _checked(
        self, piece: _Piece, raw: str, *, masked: bool
    ) -> tuple[str, tuple[str, ...], tuple[int, int, int]]:
        """The output with its terms restored (masked input) or checked for their
        renderings (unmasked input); the gate's reasons (none when it is off); and
        the terms restored, dropped and invented."""
        text = " ".join(raw.split())
        protected: list[str] = []
        problems: list[str] = []
        counts = (0, 0, 0)
        if piece.slots and masked:
            restored = restore(text, piece.slots)
            text = restored.text
            protected = restored.protected
            counts = (restored.restored, len(restored.dropped), restored.invented)
            problems += [gate.TERM_DROPPED] * bool(restored.dropped)
            problems += [gate.TERM_INVENTED] * bool(restored.invented)
        elif piece.slots:
            missing = renderings_missing(text, piece.slots)
            protected = [s.english for s in piece.slots if s not in missing]
            counts = (0, len(piece.slots), 0)  # the masked attempt lost them
            problems += [gate.TERM_DROPPED] * bool(missing)
        if self.plausibility == "off":
            return text, tuple(problems), counts
        reasons = tuple(problems) + gate.check(piece.text, text, protected=protected)
        return text, reasons, counts

    def retries(self, unit: Unit | None = None) -> list[tuple[int, Job]]:
        """The pieces that failed (of one paragraph, or all) and not yet retried, each
        with the job that tries it once more: without masking when a protected term was
        dropped or invented, and with beam search (4 beams) if it was greedy, twice the
        beams (at most 8) otherwise. A retry the cache answers is taken here; the
        others are returned for the model. None unless the gate retries."""
        if self.plausibility != "retry":
            return []
        out = []
        for index, piece in enumerate(self.pieces):
            if not piece.reasons or piece.retry is not None:
                continue
            if unit is not None and piece.unit != unit.key:
                continue
            job = piece.job
            if piece.unmasked:
                job = replace(job, text=piece.text, tokens=piece.tokens)
            beams = 4 if job.spec.num_beams <= 1 else min(8, 2 * job.spec.num_beams)
            piece.retry = replace(job, spec=replace(job.spec, num_beams=beams))
            hit = self._cached(piece.retry)
            if hit is not None:
                self._take_retry(piece, hit)
            else:
                piece.cached = False
                out.append((index, piece.retry))
        return out

    def accept_retry(self, index: int, result: Generated) -> None:
        """Record the model's output for the retry of piece `index` (and cache it)."""
        piece = self.pieces[index]
        if piece.retry is not None:
            self._keep(piece.retry, result)
        self._take_retry(piece, result)

    def _take_retry(self, piece: _Piece, result: Generated) -> None:
        """A retry's generation, fresh or cached: it replaces the first unless it fails
        more checks."""
        report = self.reports[piece.unit]
        report.retried_segments += 1
        report.source_tokens += result.source_tokens
        report.target_tokens += result.target_tokens
        text, reasons, terms = self._checked(piece, result.text, masked=not piece.unmasked)
        if text and len(reasons) <= len(piece.reasons):
            if piece.fallback:
                report.fallback_segments -= 1
            piece.output, piece.reasons, piece.fallback = text, reasons, False
            if not piece.unmasked:
                piece.terms = terms

    def paragraph(self, unit: Unit) -> ParagraphResult:
        """A paragraph's translation in house style, with its sentence alignment
        (its jobs accepted; English passes through, house style applied)."""
        report = self.reports[unit.key]
        report.flags = []  # (re)counted below: idempotent
        mine = [p for p in self.pieces if p.unit == unit.key]
        report.terms_restored = sum(p.terms[0] for p in mine)
        report.terms_dropped = sum(p.terms[1] for p in mine)
        report.terms_invented = sum(p.terms[2] for p in mine)
        report.cached_segments = sum(p.cached for p in mine)
        spans = self.sentences[unit.key]
        style = style_counts(self.style)
        if unit.language == TARGET:
            report.translated_segments = report.source_segments
            return self._passthrough(unit, spans, report, style)
        outputs: list[list[_Piece]] = [[] for _ in spans]
        for piece in self.pieces:
            if piece.unit == unit.key:
                outputs[piece.sentence].append(piece)
        text = ""
        alignment: list[SentenceAlignment] = []
        for number, (span, pieces) in enumerate(zip(spans, outputs, strict=True)):
            if text:
                text += " "
            begin = len(text)
            aligned = []
            for k, piece in enumerate(pieces):
                if k:
                    text += " "
                styled = style.add(self.style.rewrite(piece.output))
                aligned.append(PieceAlignment(piece.source, (len(text), len(text) + len(styled))))
                text += styled
            reasons = tuple(dict.fromkeys(r for piece in pieces for r in piece.reasons))
            if reasons:
                report.flags.append(
                    SentenceFlag(unit.index, number, (span.start, span.end), reasons)
                )
            alignment.append(
                SentenceAlignment(
                    unit.index, (span.start, span.end), (begin, len(text)), tuple(aligned), reasons
                )
            )
        report.translated_segments = sum(1 for pieces in outputs if pieces)
        return ParagraphResult(unit.index, text, unit.trailing_break, report, alignment, style)

    def _passthrough(
        self, unit: Unit, spans: list[Span], report: SegmentReport, style: StyleCounts
    ) -> ParagraphResult:
        """English: the paragraph as sent, each sentence in house style, the spaces
        between sentences kept exactly."""
        source = self.documents[unit.document][0]
        first = spans[0].start
        text = ""
        alignment: list[SentenceAlignment] = []
        position = first
        for span in spans:
            text += source[position : span.start]
            styled = style.add(self.style.rewrite(span.text))
            target = (len(text), len(text) + len(styled))
            piece = PieceAlignment((span.start, span.end), target)
            alignment.append(
                SentenceAlignment(unit.index, (span.start, span.end), target, (piece,))
            )
            text += styled
            position = span.end
        return ParagraphResult(unit.index, text, unit.trailing_break, report, alignment, style)

    def results(self) -> list[DocumentResult]:
        """Every document, assembled (all jobs accepted)."""
        out = []
        for d, (_, decision) in enumerate(self.documents):
            done = [self.paragraph(u) for u in self.units if u.document == d]
            report = SegmentReport()
            style = style_counts(self.style)
            alignment: list[SentenceAlignment] = []
            joined = ""
            for p in done:
                first = report.source_segments
                report.add(p.report)
                report.flags[len(report.flags) - len(p.report.flags) :] = [
                    replace(f, sentence=first + f.sentence) for f in p.report.flags
                ]
                style.merge(p.style)
                alignment += [a.shifted(len(joined)) for a in p.alignment]
                joined += p.text + p.trailing_break
            model = self.models.get(decision.source, PASSTHROUGH)
            out.append(DocumentResult(joined, decision, model, report, done, alignment, style))
        return out


def paragraph_spans(text: str) -> list[list[Span]]:
    """The sentences of each non-empty paragraph of `text` (as split_with_breaks numbers
    them), with their offsets in `text`."""
    grouped: dict[int, list[Span]] = {}
    for span in document_spans(text):
        grouped.setdefault(span.paragraph, []).append(span)
    return [grouped[i] for i in sorted(grouped)]


PLAUSIBILITY = ("retry", "flag", "off")


def run_rounds(prepared: Prepared) -> Plan[None]:
    """The model work of a prepared request: every piece, then one retry round for the
    pieces the plausibility gate failed (none when it does not retry)."""
    results = yield prepared.jobs
    for index, result in enumerate(results):
        prepared.accept(index, result)
    retry = prepared.retries()
    if retry:
        results = yield [job for _, job in retry]
        for (index, _), result in zip(retry, results, strict=True):
            prepared.accept_retry(index, result)


def implausible(result: DocumentResult, field: str) -> FailedPrecondition:
    """The error of a document with flagged sentences when the caller rejects them."""
    flags = result.report.flags
    listed = "; ".join(f"sentence {f.sentence} ({', '.join(f.reasons)})" for f in flags[:5])
    more = f" and {len(flags) - 5} more" if len(flags) > 5 else ""
    return FailedPrecondition(
        f"{field}: {len(flags)} sentence(s) failed the plausibility gate after a retry: "
        f"{listed}{more}",
        reason="IMPLAUSIBLE_TRANSLATION",
        field=field,
    )


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

    def spec_for(self, engine: Engine, num_beams: int | None = None) -> GenerationSpec:
        """How sentences are generated: `num_beams` (default: the configured beams),
        length-bounded output."""
        return GenerationSpec(
            max_new_tokens=engine.max_source_tokens,
            num_beams=num_beams or self.num_beams,
            length_ratio=LENGTH_RATIO,
            length_extra=LENGTH_EXTRA,
        )

    def prepare(
        self,
        documents: list[tuple[str, LanguageDecision]],
        style: HouseStyle | None = None,
        num_beams: int | None = None,
        plausibility: str = "retry",
        cache: TranslationCache | None = None,
        terms: TermGlossary | None = None,
    ) -> Prepared:
        """Paragraphs, sentences and one job per piece that fits the model window.
        `plausibility` is the gate: "retry" failed pieces once, "flag" them only, or
        "off". `cache` answers pieces translated before (cache.py; None: off).
        `terms` are masked through the model and restored (terms.py; None: off)."""
        if plausibility not in PLAUSIBILITY:
            raise ValueError(f"plausibility must be one of {PLAUSIBILITY}")
        units: list[Unit] = []
        sentences: dict[tuple[int, int], list[Span]] = {}
        for d, (text, decision) in enumerate(documents):
            paragraphs, breaks = split_with_breaks(text)
            grouped = paragraph_spans(text)
            if len(grouped) != len(paragraphs):  # one splitter: cannot happen
                raise RuntimeError("paragraph split disagrees with sentence spans")
            for i, (p, b) in enumerate(zip(paragraphs, breaks, strict=True)):
                units.append(Unit(d, i, p, b, decision.source))
                sentences[(d, i)] = grouped[i]
        reports = {
            u.key: SegmentReport(paragraphs=1, source_segments=len(sentences[u.key])) for u in units
        }
        models = {lang: e.model for lang, e in self.engines.items()}
        prepared = Prepared(
            documents,
            units,
            sentences,
            reports,
            models,
            style or HouseStyle(None),
            plausibility,
            cache,
        )
        prepared.engines = {self.key(e): e.model.engine for e in self.engines.values()}
        for unit in units:
            engine = self.engines.get(unit.language)
            if engine is None:  # English: passthrough, counted but unchanged
                continue
            spec, key = self.spec_for(engine, num_beams), self.key(engine)
            for j, sentence in enumerate(sentences[unit.key]):
                parts = fit_pieces(sentence.text, engine.max_source_tokens, engine.count_tokens)
                if len(parts) > 1:
                    reports[unit.key].split_segments += 1
                where = piece_spans(sentence, [part for part, _ in parts])
                for (part, tokens), source in zip(parts, where, strict=True):
                    masked = terms.mask(part, unit.language) if terms else Masked(part)
                    sent = masked.text
                    job = Job(
                        sent, engine.count_tokens(sent) if masked.slots else tokens, spec, key
                    )
                    reports[unit.key].terms_protected += len(masked.slots)
                    piece = _Piece(unit.key, j, part, source, job, tokens=tokens)
                    piece.slots = masked.slots
                    prepared.add_piece(piece)
        return prepared

    def plan(
        self,
        contents: list[str],
        requested: str,
        style: HouseStyle | None = None,
        *,
        failed: Mapping[int, ServiceError] | None = None,
        partial: bool = False,
        num_beams: int | None = None,
        reject_flagged: bool = False,
        plausibility: str = "retry",
        cache: TranslationCache | None = None,
        terms: TermGlossary | None = None,
    ) -> Plan[list[DocumentResult]]:
        """A Translate request: decide, prepare, one round of jobs, assemble.

        With `partial`, a document whose language cannot be decided (or that is in
        `failed` already) gets a failed result and the others are translated;
        otherwise the first such error fails the request."""
        errors: dict[int, ServiceError] = dict(failed or {})
        good: list[tuple[int, tuple[str, LanguageDecision]]] = []
        for i, text in enumerate(contents):
            if i in errors:
                continue
            try:
                decision = self.decide_language(text, requested, f"contents[{i}]")
            except ServiceError as error:
                if not partial:
                    raise
                errors[i] = error
                continue
            good.append((i, (text, decision)))
        prepared = self.prepare(
            [doc for _, doc in good], style, num_beams, plausibility, cache, terms
        )
        yield from run_rounds(prepared)
        done = dict(zip((i for i, _ in good), prepared.results(), strict=True))
        for i, result in done.items():
            if reject_flagged and result.report.flagged_segments:
                rejected = implausible(result, f"contents[{i}]")
                if not partial:
                    raise rejected
                done[i] = DocumentResult.failed(rejected)
        return [
            done[i] if i in done else DocumentResult.failed(errors[i]) for i in range(len(contents))
        ]

    def translate_documents(
        self,
        documents: list[tuple[str, LanguageDecision]],
        style: HouseStyle | None = None,
        plausibility: str = "retry",
        cache: TranslationCache | None = None,
        terms: TermGlossary | None = None,
    ) -> list[DocumentResult]:
        """Translate now, calling the engines directly (tests, benchmarks, scripts)."""

        def plan() -> Plan[list[DocumentResult]]:
            prepared = self.prepare(
                documents, style, plausibility=plausibility, cache=cache, terms=terms
            )
            yield from run_rounds(prepared)
            return prepared.results()

        return run_sync(
            plan(),
            self.models(),
            max_tokens=self.max_batch_tokens,
            max_items=self.max_batch_segments,
        )

    def translate_document(
        self, text: str, decision: LanguageDecision, style: HouseStyle | None = None
    ) -> DocumentResult:
        """Translate one whole document now; paragraph breaks survive."""
        return self.translate_documents([(text, decision)], style)[0]
