"""Stage 1 of a translation request: prepare.

The language of each document (the shared language gate), its paragraphs kept
exactly, sentences split by the shared splitter (with their code-point spans in the
document), a sentence over the model's window split (never cut) into pieces, the
protected terms of each piece masked (terms.py), and one generation job per piece,
looked up in the translation cache. What comes out, `Prepared`, is not changed
afterwards: the model rounds (rounds.py) and the assembly (assemble.py) read it.

Pure Python over the Engine interface; never imports grpc.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from services.common.batching.queue import Job
from services.common.engines.base import Engine, Generated, GenerationSpec
from services.common.errors import ServiceError
from services.common.models.store import ModelRef
from services.common.text.entities import Entity
from services.common.text.language import ENGLISH, LanguageDecision, LanguageGate
from services.common.text.segment import (
    Span,
    document_spans,
    fit_pieces,
    piece_spans,
    split_with_breaks,
)
from services.translator.cache import JobCache
from services.translator.names import NamesPolicy, how_of, names_off, piece_names
from services.translator.options import TranslateOptions, TranslatorPolicy
from services.translator.results import PASSTHROUGH
from services.translator.terms import Slot, TermGlossary, mask

TARGET = ENGLISH
# Output length bound: a runaway repetition cannot eat the server.
LENGTH_RATIO = 1.6
LENGTH_EXTRA = 10


def model_key(engine: Engine) -> str:
    """The batcher key of an engine's model."""
    return f"{engine.model.id}@{engine.model.revision}"


def generation_spec(engine: Engine, num_beams: int) -> GenerationSpec:
    """How a piece is generated: `num_beams` beams, length-bounded output."""
    return GenerationSpec(
        max_new_tokens=engine.max_source_tokens,
        num_beams=num_beams,
        length_ratio=LENGTH_RATIO,
        length_extra=LENGTH_EXTRA,
    )


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


@dataclass(frozen=True)
class Piece:
    """What one generation translates: a sentence, or a part of one over the model's
    window; where it lies in its document, and its job as sent to the model."""

    unit: tuple[int, int]
    sentence: int  # index in its paragraph
    text: str  # the source text
    source: tuple[int, int]
    tokens: int  # of the source text (the job's text may be masked)
    job: Job
    slots: tuple[Slot, ...] = ()  # protected terms masked in job.text


@dataclass(frozen=True)
class Document:
    """A document to translate, its language and the model that translates it."""

    text: str
    language: LanguageDecision
    model: ModelRef
    # The entity layer's names (names.py), whether each is masked, and how each
    # rendering was chosen as reported.
    names: tuple[Entity, ...] = ()
    protected: tuple[bool, ...] = ()
    hows: tuple[str, ...] = ()


@dataclass(frozen=True)
class Prepared:
    """A request after preparation: its documents, paragraphs, sentences (with their
    spans in the source document) and pieces, and the cache's answers."""

    documents: tuple[Document, ...]
    units: tuple[Unit, ...]
    sentences: Mapping[tuple[int, int], tuple[Span, ...]]
    pieces: tuple[Piece, ...]
    # Piece index → its first generation, found in the cache.
    hits: Mapping[int, Generated]

    def indices(self, unit: Unit | None = None) -> list[int]:
        """Indices of the pieces of one paragraph (of every paragraph: None)."""
        return [i for i, piece in enumerate(self.pieces) if unit is None or piece.unit == unit.key]

    @property
    def jobs(self) -> list[Job]:
        """The model jobs of the first round: every piece the cache did not answer."""
        return [p.job for i, p in enumerate(self.pieces) if i not in self.hits]


def paragraph_spans(text: str) -> list[list[Span]]:
    """The sentences of each non-empty paragraph of `text` (as split_with_breaks numbers
    them), with their offsets in `text`."""
    grouped: dict[int, list[Span]] = {}
    for span in document_spans(text):
        grouped.setdefault(span.paragraph, []).append(span)
    return [grouped[i] for i in sorted(grouped)]


class Preparer:
    """Prepares requests for one translator: its engines (one per source language; one
    engine may serve several), language gate, default beams, terms and cache."""

    def __init__(
        self,
        engines: Mapping[str, Engine],
        language_gate: LanguageGate,
        num_beams: int,
        policy: TranslatorPolicy,
        cache: JobCache,
    ) -> None:
        self.engines = engines
        self.language_gate = language_gate
        self.num_beams = num_beams
        self.policy = policy
        self.cache = cache

    def decide(self, text: str, requested: str, field: str) -> LanguageDecision:
        """The source language (see LanguageGate.decide)."""
        return self.language_gate.decide(text, requested, field, self.engines)

    def decide_all(
        self,
        contents: Sequence[str],
        options: TranslateOptions,
        failed: Mapping[int, ServiceError],
    ) -> tuple[list[tuple[int, str, LanguageDecision]], dict[int, ServiceError]]:
        """The language of each document not `failed` already, and the errors: with
        options.partial, a document whose language cannot be decided gets its error and
        the others go on; otherwise the first such error fails the request."""
        errors = dict(failed)
        good: list[tuple[int, str, LanguageDecision]] = []
        for i, text in enumerate(contents):
            if i in errors:
                continue
            try:
                decision = self.decide(text, options.source_language, f"contents[{i}]")
            except ServiceError as error:
                if not options.partial:
                    raise
                errors[i] = error
                continue
            good.append((i, text, decision))
        return good, errors

    def prepare(
        self, documents: Sequence[tuple[str, LanguageDecision]], options: TranslateOptions
    ) -> Prepared:
        """Paragraphs, sentences and one job per piece that fits the model window, its
        terms masked; each job looked up in the cache."""
        terms = self.policy.terms_for(options.extra_terms)
        docs: list[Document] = []
        units: list[Unit] = []
        sentences: dict[tuple[int, int], tuple[Span, ...]] = {}
        pieces: list[Piece] = []
        for d, (text, decision) in enumerate(documents):
            engine = self.engines.get(decision.source)
            doc = self._document(text, decision, engine, options)
            docs.append(doc)
            paragraphs, breaks = split_with_breaks(text)
            grouped = paragraph_spans(text)
            if len(grouped) != len(paragraphs):  # one splitter: cannot happen
                raise RuntimeError("paragraph split disagrees with sentence spans")
            for i, (paragraph, trailing) in enumerate(zip(paragraphs, breaks, strict=True)):
                # A document mixing uk, ru and en by paragraph: each from its own.
                language = decision.paragraph(i)
                unit = Unit(d, i, paragraph, trailing, language)
                units.append(unit)
                sentences[unit.key] = tuple(grouped[i])
                own = engine if language == decision.source else self.engines.get(language)
                if own is not None:  # English: passthrough, counted but unchanged
                    pieces += self._pieces(unit, sentences[unit.key], own, options, terms, doc)
        hits = {i: hit for i, p in enumerate(pieces) if (hit := self.cache.get(p.job)) is not None}
        return Prepared(tuple(docs), tuple(units), sentences, tuple(pieces), hits)

    def _document(
        self,
        text: str,
        decision: LanguageDecision,
        engine: Engine | None,
        options: TranslateOptions,
    ) -> Document:
        """A document with its names (the entity layer, when on for this request)."""
        model = engine.model if engine else PASSTHROUGH
        policy: NamesPolicy | None = self.policy.names
        if policy is None and options.extra_names and not options.names_off:
            raise names_off()
        if engine is None or policy is None or options.names_off:
            return Document(text, decision, model)
        found = policy.find(text, decision.source, options.extra_names)
        return Document(
            text,
            decision,
            model,
            found,
            tuple(policy.protects(e) for e in found),
            tuple(how_of(e, options.extra_names, decision.source) for e in found),
        )

    def _pieces(
        self,
        unit: Unit,
        spans: Sequence[Span],
        engine: Engine,
        options: TranslateOptions,
        terms: TermGlossary | None,
        doc: Document,
    ) -> list[Piece]:
        """The pieces of a paragraph's sentences, each with its job."""
        spec = generation_spec(engine, options.num_beams or self.num_beams)
        key = model_key(engine)
        out = []
        for j, sentence in enumerate(spans):
            parts = fit_pieces(sentence.text, engine.max_source_tokens, engine.count_tokens)
            where = piece_spans(sentence, [part for part, _ in parts])
            for (part, tokens), source in zip(parts, where, strict=True):
                names = piece_names(doc.names, doc.protected, source, doc.text, part)
                masked = mask(part, unit.language, terms, names, verbatim=self.policy.verbatim)
                sent = masked.text
                job = Job(sent, engine.count_tokens(sent) if masked.slots else tokens, spec, key)
                out.append(Piece(unit.key, j, part, source, tokens, job, masked.slots))
        return out
