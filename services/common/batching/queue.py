"""The queue state of the dynamic batcher: entries, budgets, fairness and expiry.

Pure bookkeeping, no threads and no clock of its own (callers pass `now`), so every rule
is unit-tested without a model. The batcher (batcher.py) owns one BatchQueue under one
lock; callers only append an entry and wait on its futures — the shape of
text-embeddings-inference's core/src/queue.rs.

Rules when a batch is formed (`next_batch`):
- entries whose caller has gone (cancelled) or whose deadline has passed are dropped
  first, and counted (TEI checks `response_tx.is_closed()` at the same point);
- items share a batch only when their GenerationSpecs are equal: the spec of the head
  entry's next item decides;
- fairness: entries are visited round-robin, one item per entry per round, starting one
  entry further on each batch, so a 20,000-character document shares every batch with
  the one-sentence calls that arrived after it instead of starving them;
- budgets: at most `max_items` rows (hypotheses) and at most `max_tokens` padded tokens
  (longest × count), each counted per beam: with beam search every job is num_beams
  rows of the model batch; and, when the model's footprint is known, at most
  `max_bytes` of estimated working set (engines/footprint.py: rows × (source + new
  tokens) of decoder caches plus each row's vocabulary scores). The first job always
  fits: inputs are within the window;
- a bulk request (more rows than one batch holds, e.g. a long document, or 16
  sentences at beam 4) puts at most `max_bulk_items` rows into one batch, even alone:
  it needs several batches anyway, and shorter batches keep what arrives behind it from
  waiting long for the running one (a beam batch cannot be stopped once started); a
  request that fits one batch is not capped;
- each entry's items are taken shortest first, so one document's batches hold
  sentences of similar length (less padding); with `group_lengths`, each round of the
  fill visits the entries whose next job is nearest the head job's length first, so
  concurrent one-sentence calls are batched by length too (fairness is unchanged: one
  job per entry per round, and the head rotates).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field

from services.common.engines.base import Generated, GenerationSpec
from services.common.engines.footprint import Footprint


@dataclass(frozen=True)
class Job:
    """One independent generation: a source text, its token count, how to generate,
    and which loaded model (its key in the service's batchers) runs it."""

    text: str
    tokens: int
    spec: GenerationSpec
    model: str = ""
    # Cost (token-beams) of the later rounds this job's request will need (a brief's
    # reduce rounds and rewrites): admission counts it with the first round's own cost,
    # so a request is judged whole; it is not held in the queue.
    reserve: int = 0

    @property
    def cost(self) -> int:
        """What the job costs to run, in token-beams: (source tokens + the most tokens
        it may generate) × beams. Admission (admission.py) counts this."""
        return (self.tokens + self.spec.bound(self.tokens)) * max(1, self.spec.num_beams)


@dataclass(eq=False)
class Entry:
    """One request's jobs for one model; each job has its own reply future."""

    jobs: Sequence[Job]
    enqueued: float
    deadline: float | None = None
    cancelled: bool = False
    started: float | None = None
    futures: list[Future[Generated]] = field(default_factory=list)
    pending: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.futures:
            self.futures = [Future() for _ in self.jobs]
        if not self.pending:
            self.pending = sorted(range(len(self.jobs)), key=lambda i: self.jobs[i].tokens)

    def gone(self, now: float) -> str | None:
        """Why this entry's caller no longer waits ("cancelled", "expired"), or None."""
        if self.cancelled:
            return "cancelled"
        if self.deadline is not None and now >= self.deadline:
            return "expired"
        return None

    @property
    def pending_tokens(self) -> int:
        """Tokens of the jobs not yet taken into a batch."""
        return sum(self.jobs[i].tokens for i in self.pending)

    @property
    def pending_cost(self) -> int:
        """Cost (token-beams) of the jobs not yet taken into a batch."""
        return sum(self.jobs[i].cost for i in self.pending)


@dataclass(eq=False)
class Batch:
    """Jobs taken for one engine call."""

    spec: GenerationSpec
    members: list[tuple[Entry, int]]
    formed: float

    @property
    def texts(self) -> list[str]:
        """The source texts, in batch order."""
        return [entry.jobs[i].text for entry, i in self.members]

    @property
    def padded_tokens(self) -> int:
        """longest × count: what a padded model computes over."""
        return max(e.jobs[i].tokens for e, i in self.members) * len(self.members)

    def all_gone(self, now: float) -> bool:
        """True when no caller of this batch still waits for it."""
        return all(entry.gone(now) for entry, _ in self.members)


class BatchQueue:
    """Entries waiting for a model, and the rules that turn them into batches."""

    def __init__(
        self,
        *,
        max_tokens: int,
        max_items: int,
        max_bulk_items: int = 0,
        max_bytes: int = 0,
        footprint: Footprint | None = None,
        group_lengths: bool = False,
    ) -> None:
        self.max_tokens = max_tokens
        self.max_items = max_items
        self.max_bulk_items = max_bulk_items or max(1, max_items // 2)
        self.max_bytes = max_bytes
        self.footprint = footprint
        self.group_lengths = group_lengths
        self.entries: list[Entry] = []
        self.queued_tokens = 0
        self.queued_cost = 0
        self._turn = 0

    def append(self, entry: Entry) -> None:
        """Queue an entry's jobs."""
        self.entries.append(entry)
        self.queued_tokens += entry.pending_tokens
        self.queued_cost += entry.pending_cost

    @property
    def pending_items(self) -> int:
        """Jobs queued and not yet taken."""
        return sum(len(e.pending) for e in self.entries)

    @property
    def pending_rows(self) -> int:
        """Model rows (jobs × beams) queued and not yet taken."""
        return sum(max(1, e.jobs[i].spec.num_beams) for e in self.entries for i in e.pending)

    def oldest(self) -> float | None:
        """Enqueue time of the oldest entry with pending jobs."""
        return min((e.enqueued for e in self.entries if e.pending), default=None)

    def newest(self) -> float | None:
        """Enqueue time of the newest entry with pending jobs."""
        return max((e.enqueued for e in self.entries if e.pending), default=None)

    def drop(self, entry: Entry) -> int:
        """Take an entry's pending jobs out of the queue now (its caller has gone), so
        they stop counting against admission at once; the number of jobs dropped."""
        dropped = len(entry.pending)
        if dropped:
            self.queued_tokens -= entry.pending_tokens
            self.queued_cost -= entry.pending_cost
            entry.pending = []
        if entry in self.entries:
            self.entries.remove(entry)
        return dropped

    def prune(self, now: float) -> list[tuple[Entry, str, int]]:
        """Drop entries whose caller has gone: (entry, reason, jobs dropped) each."""
        dropped: list[tuple[Entry, str, int]] = []
        alive: list[Entry] = []
        for entry in self.entries:
            reason = entry.gone(now)
            if reason is None:
                if entry.pending:
                    alive.append(entry)
                continue
            if entry.pending:
                dropped.append((entry, reason, len(entry.pending)))
                self.queued_tokens -= entry.pending_tokens
                self.queued_cost -= entry.pending_cost
                entry.pending = []
        self.entries = alive
        return dropped

    def next_batch(self, now: float, max_rows: int = 0) -> Batch | None:
        """Take the next batch under the budgets (call prune first); `max_rows` lowers
        the row budget for this batch (the batcher's share among idle workers)."""
        if not self.entries:
            return None
        limit = min(self.max_items, max_rows) if max_rows > 0 else self.max_items
        start = self._turn % len(self.entries)
        self._turn = start + 1
        order = self.entries[start:] + self.entries[:start]
        head = order[0]
        first = head.jobs[head.pending[0]]
        spec, target = first.spec, first.tokens
        rows = max(1, spec.num_beams)
        members: list[tuple[Entry, int]] = []
        taken: dict[int, int] = {}
        longest = 0
        added = True
        while added and (not members or (len(members) + 1) * rows <= limit):
            added = False
            picks = [(entry, self._pick(entry, spec, target)) for entry in order]
            if self.group_lengths:
                # Still one job per entry per round, but each round visits the entries
                # whose job is nearest the head's length first (a stable sort: the
                # head's own job, at distance 0, stays first).
                picks.sort(key=lambda p: _distance(p, target))
            for entry, pick in picks:
                if members and (len(members) + 1) * rows > limit:
                    break
                if pick is None:
                    continue
                bulk = len(entry.jobs) * rows > self.max_items
                already = taken.get(id(entry), 0)
                if bulk and already and (already + 1) * rows > self.max_bulk_items:
                    continue  # its first job in a batch always goes in
                tokens = entry.jobs[pick].tokens
                if members and not self._fits(max(longest, tokens), len(members) + 1, spec):
                    continue
                entry.pending.remove(pick)
                if entry.started is None:
                    entry.started = now
                self.queued_tokens -= tokens
                self.queued_cost -= entry.jobs[pick].cost
                members.append((entry, pick))
                taken[id(entry)] = taken.get(id(entry), 0) + 1
                longest = max(longest, tokens)
                added = True
        self.entries = [e for e in self.entries if e.pending]
        return Batch(spec, members, now)

    def _pick(self, entry: Entry, spec: GenerationSpec, target: int) -> int | None:
        """The entry's next job for a batch of `spec`: its shortest pending one, or
        with length grouping the one nearest `target` tokens."""
        same = (i for i in entry.pending if entry.jobs[i].spec == spec)
        if not self.group_lengths:
            return next(same, None)
        return min(same, key=lambda i: abs(entry.jobs[i].tokens - target), default=None)

    def _fits(self, longest: int, jobs: int, spec: GenerationSpec) -> bool:
        """Whether `jobs` jobs of `spec` whose longest source has `longest` tokens stay
        within the token budget and, when the model's footprint is known, the byte
        budget (rows × (source + new tokens) of working set)."""
        rows = jobs * max(1, spec.num_beams)
        if longest * rows > self.max_tokens:
            return False
        if self.max_bytes and self.footprint is not None:
            new = spec.bound(longest)
            return self.footprint.batch_bytes(rows, longest, new) <= self.max_bytes
        return True


def _distance(pick: tuple[Entry, int | None], target: int) -> int:
    entry, index = pick
    return -1 if index is None else abs(entry.jobs[index].tokens - target)
