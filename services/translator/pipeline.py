"""Whole-document translation: the request path as three stages, orchestrated.

prepare (prepare.py: language, paragraphs, sentences, pieces, masked terms, cache
lookup) → model rounds (rounds.py: first generations and the gate's retries, each
judged by verdict.py) → assemble (assemble.py: house style, reports, flags,
alignment). Translate runs the stages over a whole request as one plan; TranslateStream
runs the same stages paragraph by paragraph (stream.py). The server's policy (gate
mode, cache, protected terms) is given once, at construction; each request brings its
own TranslateOptions.

Pure Python over the Engine interface; never imports grpc.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import replace

from services.common.batching.batcher import DynamicBatcher
from services.common.batching.plan import Plan
from services.common.engines.base import Engine, GenerationSpec
from services.common.errors import FailedPrecondition, ServiceError
from services.common.models.store import ModelRef
from services.common.text.language import LanguageDecision, LanguageGate
from services.translator import assemble
from services.translator.cache import JobCache
from services.translator.options import TranslateOptions, TranslatorPolicy
from services.translator.prepare import TARGET, Prepared, Preparer, Unit, generation_spec, model_key
from services.translator.results import (
    PASSTHROUGH,
    DocumentResult,
    ParagraphResult,
    SentenceFlag,
    StreamedParagraph,
    implausible,
)
from services.translator.rounds import ModelRounds
from services.translator.stream import HeadStart


class DocumentTranslator:
    """Translates documents with one engine per source language (one engine may serve
    several languages), under one server policy. Holds no per-request state."""

    def __init__(
        self,
        engines: Mapping[str, Engine],
        language_gate: LanguageGate,
        *,
        num_beams: int = 4,
        max_batch_segments: int = 32,
        max_batch_tokens: int = 8192,
        policy: TranslatorPolicy | None = None,
    ) -> None:
        self.engines = dict(engines)
        self.language_gate = language_gate
        self.num_beams = num_beams
        self.max_batch_segments = max_batch_segments
        self.max_batch_tokens = max_batch_tokens
        self.policy = policy or TranslatorPolicy()
        tags = {model_key(e): e.model.engine for e in self.engines.values()}
        cache = JobCache(self.policy.cache, tags)
        self._prepare = Preparer(self.engines, language_gate, num_beams, self.policy, cache)
        self._rounds = ModelRounds(self.policy.plausibility, cache)

    def with_policy(self, policy: TranslatorPolicy) -> DocumentTranslator:
        """The same engines and settings under another server policy."""
        return DocumentTranslator(
            self.engines,
            self.language_gate,
            num_beams=self.num_beams,
            max_batch_segments=self.max_batch_segments,
            max_batch_tokens=self.max_batch_tokens,
            policy=policy,
        )

    key = staticmethod(model_key)

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
        return self._prepare.decide(text, requested, field)

    def model_for(self, language: str) -> ModelRef:
        """The model that serves `language` (passthrough for English)."""
        return self.engines[language].model if language in self.engines else PASSTHROUGH

    def spec_for(self, engine: Engine, num_beams: int | None = None) -> GenerationSpec:
        """How sentences are generated: `num_beams` (default: the configured beams),
        length-bounded output."""
        return generation_spec(engine, num_beams or self.num_beams)

    def prepare(
        self,
        documents: Sequence[tuple[str, LanguageDecision]],
        options: TranslateOptions | None = None,
    ) -> Prepared:
        """Stage 1 alone: paragraphs, sentences and one job per piece (prepare.py)."""
        return self._prepare.prepare(documents, options or TranslateOptions())

    def plan(
        self,
        contents: Sequence[str],
        options: TranslateOptions,
        failed: Mapping[int, ServiceError] | None = None,
    ) -> Plan[list[DocumentResult]]:
        """A Translate request: decide, prepare, model rounds, assemble. A document in
        `failed` (refused by validation already) gets its error; see
        TranslateOptions.partial and .reject_flagged."""
        good, errors = self._prepare.decide_all(contents, options, failed or {})
        finished = yield from self.plan_documents([(text, lang) for _, text, lang in good], options)
        done = dict(zip((i for i, _, _ in good), finished, strict=True))
        for i, result in done.items():
            rejected = self._rejected(options, result.report.flags, f"contents[{i}]")
            if rejected is None:
                continue
            if not options.partial:
                raise rejected
            done[i] = DocumentResult.failed(rejected)
        return [
            done[i] if i in done else DocumentResult.failed(errors[i]) for i in range(len(contents))
        ]

    def plan_documents(
        self, documents: Sequence[tuple[str, LanguageDecision]], options: TranslateOptions
    ) -> Plan[list[DocumentResult]]:
        """Documents whose language is decided: prepare, model rounds, assemble (what
        `plan` runs after deciding; driven sync, it calls the engines directly)."""
        prepared = self._prepare.prepare(documents, options)
        outcomes = yield from self._rounds.run(prepared)
        return assemble.documents(prepared, outcomes, options.style)

    @staticmethod
    def _rejected(
        options: TranslateOptions, flags: Sequence[SentenceFlag], field: str
    ) -> FailedPrecondition | None:
        """The error of flagged sentences the request rejects (None: none, or kept)."""
        return implausible(flags, field) if options.reject_flagged else None

    def _paragraph(
        self, prepared: Prepared, unit: Unit, options: TranslateOptions
    ) -> Plan[ParagraphResult]:
        """One paragraph of a prepared request: its model rounds, then its assembly."""
        outcomes = yield from self._rounds.run(prepared, unit)
        return assemble.paragraph(prepared, unit, outcomes, options.style)

    async def stream(
        self,
        content: str,
        options: TranslateOptions,
        batchers: Mapping[str, DynamicBatcher],
        *,
        deadline: float | None,
        executor: Executor | None,
    ) -> AsyncGenerator[StreamedParagraph, None]:
        """A TranslateStream request: one document admitted whole, its paragraphs
        translated and handed over in order as they finish. With reject_flagged, a
        flagged sentence ends the stream (FailedPrecondition) before its paragraph."""
        loop = asyncio.get_running_loop()
        decision = await loop.run_in_executor(
            executor, self.decide_language, content, options.source_language, "content"
        )
        prepared = await loop.run_in_executor(
            executor, self._prepare.prepare, [(content, decision)], options
        )
        ahead = HeadStart(prepared.jobs, batchers, deadline=deadline, executor=executor)
        model, before = prepared.documents[0].model, 0
        try:
            for unit in prepared.units:
                done = await ahead.drive(self._paragraph(prepared, unit, options))
                flags = [replace(f, sentence=before + f.sentence) for f in done.report.flags]
                rejected = self._rejected(options, flags, "content")
                if rejected is not None:
                    raise rejected
                before += done.report.source_segments
                yield StreamedParagraph(done, len(prepared.units), decision, model)
        finally:
            ahead.cancel()
