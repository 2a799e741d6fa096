"""Builders for the messages every service shares (newsdesk.common.v1)."""

from __future__ import annotations

import time
from contextvars import ContextVar
from typing import Any, Protocol

from newsdesk.common.v1 import common_pb2
from services import __version__
from services.common.errors import FieldViolation, InvalidArgument, ServiceError
from services.common.text.glossary import (
    Glossary,
    GlossaryError,
    HouseStyle,
    StyleCounts,
    extra_entries,
    house_style,
)


class _ModelRef(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def revision(self) -> str: ...

    @property
    def engine(self) -> str: ...


def model_info(ref: _ModelRef) -> common_pb2.ModelInfo:
    """A domain model reference as ModelInfo."""
    return common_pb2.ModelInfo(id=ref.id, revision=ref.revision, engine=ref.engine)


def server_info(
    service_name: str,
    models: list[common_pb2.ModelInfo],
    *,
    max_chars: int,
    max_batch: int,
    max_concurrent_rpcs: int,
) -> common_pb2.ServerInfo:
    """The ServerInfo of an Info RPC: version, models and limits."""
    return common_pb2.ServerInfo(
        service_name=service_name,
        version=__version__,
        models=models,
        limits=common_pb2.Limits(
            max_chars=max_chars, max_batch=max_batch, max_concurrent_rpcs=max_concurrent_rpcs
        ),
    )


#: The server's own limit on one call (MAX_REQUEST_SECONDS), as a time.monotonic()
#: deadline; the interceptor sets it for every service call.
SERVER_DEADLINE: ContextVar[float | None] = ContextVar("newsdesk_server_deadline", default=None)


def deadline_of(context: Any) -> float | None:
    """The call's deadline as time.monotonic() seconds: the caller's, capped by the
    server's maximum time per request (so a caller that sends none cannot hold the
    model for longer than that); None only when neither is set."""
    remaining = context.time_remaining()
    own = None
    if remaining is not None and remaining <= 10 * 365 * 86400:
        own = float(time.monotonic() + remaining)
    cap = SERVER_DEADLINE.get()
    if cap is None:
        return own
    return cap if own is None else min(own, cap)


def timing(started: float, queue_ms: float, inference_ms: float) -> common_pb2.Timing:
    """Timing of a call that started at perf_counter() value `started`."""
    return common_pb2.Timing(
        total_ms=(time.perf_counter() - started) * 1000,
        queue_ms=queue_ms,
        inference_ms=inference_ms,
    )


def house_style_of(
    options: common_pb2.HouseStyleOptions, default: Glossary | None, prefix: str
) -> HouseStyle:
    """A request's house style (see glossary.house_style); a bad option is
    INVALID_ARGUMENT naming the field."""
    try:
        extra = extra_entries(
            ((e.variant, e.preferred) for e in options.extra_entries), f"{prefix}.extra_entries"
        )
        return house_style(default, disabled=options.disabled, extra=extra, prefix=prefix)
    except GlossaryError as exc:
        raise InvalidArgument(
            str(exc),
            violations=[FieldViolation(exc.field, exc.problem)],
            reason="BAD_GLOSSARY_ENTRY",
        ) from None


def style_report(counts: StyleCounts) -> common_pb2.HouseStyleReport:
    """What the house style did, as HouseStyleReport (most frequent rule first)."""
    return common_pb2.HouseStyleReport(
        applied=counts.applied,
        replacements=counts.replacements,
        details=[
            common_pb2.StyleReplacement(variant=v, preferred=p, count=n)
            for (v, p), n in counts.counts.most_common()
        ],
        glossary_version=counts.version,
    )


def span(start_end: tuple[int, int]) -> common_pb2.TextSpan:
    """(start, end) code-point offsets as TextSpan."""
    return common_pb2.TextSpan(start=start_end[0], end=start_end[1])


def item_error(error: ServiceError) -> common_pb2.ItemError:
    """A domain error as the ItemError of one item of a batch."""
    violations = getattr(error, "violations", [])
    field = violations[0].field if violations else error.metadata.get("field", "")
    return common_pb2.ItemError(
        code=error.code_name, reason=error.reason, field=field, message=error.message
    )
