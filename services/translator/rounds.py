"""Stage 2 of a translation request: the model rounds, one implementation for every
RPC (Translate drives them over the whole request, TranslateStream paragraph by
paragraph).

Round one: each piece's job, answered by the cache (prepare.py looked it up) or the
model (then kept in the cache). Each generation is judged (verdict.py). Round two,
when the gate's mode retries: each failed piece once more — unmasked when a protected
term was dropped or made up, with beam search (4 beams) if it was greedy, twice the
beams (at most 8) otherwise — from the cache if it has it. A retry replaces the first
output unless it fails more checks. The rounds are a plan (batching/plan.py): they
yield jobs and receive their generations, so any driver can run them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from services.common.batching.plan import Plan
from services.common.batching.queue import Job
from services.common.engines.base import Generated
from services.translator.cache import JobCache
from services.translator.options import PlausibilityMode
from services.translator.prepare import Piece, Prepared, Unit
from services.translator.verdict import Attempt, TermCounts, judge

# The beams of a retry: beam search for a greedy piece, else twice its beams, capped.
RETRY_BEAMS = 4
MAX_RETRY_BEAMS = 8


@dataclass(frozen=True)
class Outcome:
    """What the rounds made of one piece: the text to publish and the gate's reasons,
    its terms, and what its generations cost."""

    text: str
    reasons: tuple[str, ...]
    terms: TermCounts
    source_tokens: int
    target_tokens: int
    fallback: bool = False  # the model wrote nothing: the source text stands in
    cached: bool = False  # every generation it needed came from the cache
    retried: bool = False
    unmasked: bool = False  # a term was lost: the retry (and its output) is unmasked

    @classmethod
    def first(cls, piece: Piece, attempt: Attempt, *, cached: bool) -> Outcome:
        """A piece's first generation (the source text in its place if it is empty)."""
        return cls(
            attempt.text or piece.text,
            attempt.reasons,
            attempt.terms,
            attempt.source_tokens,
            attempt.target_tokens,
            fallback=not attempt.text,
            cached=cached,
            unmasked=attempt.lost_term,
        )

    def retry_job(self, piece: Piece) -> Job:
        """The job that tries this piece once more."""
        job = piece.job
        if self.unmasked:
            job = replace(job, text=piece.text, tokens=piece.tokens)
        beams = job.spec.num_beams
        beams = RETRY_BEAMS if beams <= 1 else min(MAX_RETRY_BEAMS, 2 * beams)
        return replace(job, spec=replace(job.spec, num_beams=beams))

    def after_retry(self, attempt: Attempt, *, cached: bool) -> Outcome:
        """This outcome once its retry is in: the retry's output unless it is empty or
        fails more checks (an unmasked retry keeps the first attempt's term counts)."""
        spent = replace(
            self,
            source_tokens=self.source_tokens + attempt.source_tokens,
            target_tokens=self.target_tokens + attempt.target_tokens,
            cached=self.cached and cached,
            retried=True,
        )
        if not attempt.text or len(attempt.reasons) > len(self.reasons):
            return spent
        terms = self.terms if self.unmasked else attempt.terms
        return replace(
            spent, text=attempt.text, reasons=attempt.reasons, terms=terms, fallback=False
        )


class ModelRounds:
    """The model rounds of one translator: its gate mode and cache."""

    def __init__(self, mode: PlausibilityMode, cache: JobCache) -> None:
        self.mode = mode
        self.cache = cache

    def run(self, prepared: Prepared, unit: Unit | None = None) -> Plan[dict[int, Outcome]]:
        """The outcome of each piece of a prepared request (of one paragraph of it)."""
        indices = prepared.indices(unit)
        first = {i: prepared.hits[i] for i in indices if i in prepared.hits}
        asked = [i for i in indices if i not in prepared.hits]
        if asked:
            results = yield [prepared.pieces[i].job for i in asked]
            for i, result in zip(asked, results, strict=True):
                self.cache.put(prepared.pieces[i].job, result)
                first[i] = result
        outcomes = {
            i: Outcome.first(
                prepared.pieces[i],
                self._judge(prepared.pieces[i], first[i], masked=True),
                cached=i in prepared.hits,
            )
            for i in indices
        }
        if self.mode.retries:
            yield from self._retry(prepared, outcomes)
        return outcomes

    def _retry(self, prepared: Prepared, outcomes: dict[int, Outcome]) -> Plan[None]:
        """Round two: each failed piece once more (the cache first); `outcomes` updated."""
        asked: list[tuple[int, Job]] = []
        for i, outcome in outcomes.items():
            if not outcome.reasons:
                continue
            job = outcome.retry_job(prepared.pieces[i])
            hit = self.cache.get(job)
            if hit is None:
                asked.append((i, job))
            else:
                outcomes[i] = self._retried(prepared.pieces[i], outcome, hit, cached=True)
        if not asked:
            return
        results = yield [job for _, job in asked]
        for (i, job), result in zip(asked, results, strict=True):
            self.cache.put(job, result)
            outcomes[i] = self._retried(prepared.pieces[i], outcomes[i], result, cached=False)

    def _retried(
        self, piece: Piece, outcome: Outcome, result: Generated, *, cached: bool
    ) -> Outcome:
        attempt = self._judge(piece, result, masked=not outcome.unmasked)
        return outcome.after_retry(attempt, cached=cached)

    def _judge(self, piece: Piece, result: Generated, *, masked: bool) -> Attempt:
        return judge(piece, result, masked=masked, mode=self.mode)
