"""Admission by cost: one rule for every service's queue (the model services' batchers
and the detector's runner).

A request's cost is counted in what its work costs: for generation, decoder work —
(source tokens + the most tokens it may generate) × beams, summed over its jobs; for
detection, characters. Three refusals, each up front, before any work:

- a request costing more than the whole queue bound can never be admitted: it is
  refused INVALID_ARGUMENT (REQUEST_TOO_LARGE), saying the limit and into how many
  requests to split it — even when the queue is empty, so one call cannot hold a
  model for minutes;
- a request that would take the queue past its bound is refused RESOURCE_EXHAUSTED
  with RetryInfo from the measured drain rate;
- a request whose deadline the measured drain cannot meet (the work queued ahead plus
  its own) is refused RESOURCE_EXHAUSTED (DEADLINE_UNREACHABLE), rather than admitted
  to run out its deadline in the queue.

The drain rate is measured (cost units per second, all workers, an exponential
average over finished work). Pure Python; the caller holds its own lock.
"""

from __future__ import annotations

import math

from services.common.errors import InvalidArgument, ResourceExhausted
from services.common.serving.metrics import REJECTED


class RequestTooLarge(InvalidArgument):
    """A request whose cost exceeds what the service admits at once."""

    reason = "REQUEST_TOO_LARGE"


class Admission:
    """The admission rule of one queue bounded at `bound` cost units."""

    def __init__(self, name: str, bound: int, *, unit: str, split_hint: str) -> None:
        self.name = name
        self.bound = bound
        self.unit = unit  # what a cost unit is, for messages ("token-beams", "characters")
        self.split_hint = split_hint  # how to split work, for REQUEST_TOO_LARGE
        self.rate: float | None = None  # measured drain, cost units per second

    def check(self, cost: int, queued: int, deadline: float | None, now: float) -> None:
        """Refuse (raise) a request of `cost` with `queued` units ahead, or return."""
        if cost > self.bound:
            REJECTED.labels(self.name, "too_large").inc()
            parts = math.ceil(cost / self.bound)
            raise RequestTooLarge(
                f"this request is {cost} {self.unit} of work, more than {self.name} takes "
                f"in one request ({self.bound}); {self.split_hint} (at least {parts} "
                "requests)",
                cost=str(cost),
                limit=str(self.bound),
            )
        if queued and queued + cost > self.bound:
            REJECTED.labels(self.name, "queue_full").inc()
            raise ResourceExhausted(
                f"{self.name} is busy: {queued} {self.unit} queued, this request adds "
                f"{cost} (limit {self.bound}); retry after the suggested delay",
                retry_after_s=self.drain_seconds(queued + cost - self.bound),
                queued_tokens=str(queued),
                limit=str(self.bound),
            )
        if deadline is not None and self.rate:
            wait = (queued + cost) / self.rate
            left = max(0.0, deadline - now)
            if now + wait > deadline:
                REJECTED.labels(self.name, "deadline").inc()
                own = cost / self.rate
                why = (
                    f"this request alone needs about {own:.1f} s of model time at the "
                    f"measured rate, and its deadline (the caller's, or the server's "
                    f"MAX_REQUEST_SECONDS) is in {left:.1f} s: split it or give it a longer "
                    "deadline"
                    if own > left
                    else f"about {wait:.1f} s of work with what is queued ahead, the "
                    f"deadline is in {left:.1f} s; retry later or with a longer deadline"
                )
                raise ResourceExhausted(
                    f"{self.name} cannot finish this request before its deadline: {why}",
                    reason="DEADLINE_UNREACHABLE",
                    retry_after_s=self.drain_seconds(queued),
                    queued_tokens=str(queued),
                )

    def record(self, cost: int, elapsed_s: float, workers: int = 1) -> None:
        """Fold finished work (`cost` units in `elapsed_s` on one of `workers`) into the
        measured drain rate."""
        rate = cost / max(1e-6, elapsed_s) * workers
        self.rate = rate if self.rate is None else 0.7 * self.rate + 0.3 * rate

    def drain_seconds(self, cost: int) -> float:
        """A retry delay: how long the queue needs to drain `cost` units (0.1–60 s)."""
        if not self.rate:
            return 1.0
        return round(min(60.0, max(0.1, cost / self.rate)), 3)
