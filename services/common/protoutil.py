"""Builders for the messages every service shares (newsdesk.common.v1)."""

from __future__ import annotations

import time
from typing import Any, Protocol

from newsdesk.common.v1 import common_pb2
from services import __version__


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


def deadline_of(context: Any) -> float | None:
    """The call's deadline as time.monotonic() seconds (None when it has none)."""
    remaining = context.time_remaining()
    if remaining is None or remaining > 10 * 365 * 86400:
        return None
    return float(time.monotonic() + remaining)


def timing(started: float, queue_ms: float, inference_ms: float) -> common_pb2.Timing:
    """Timing of a call that started at perf_counter() value `started`."""
    return common_pb2.Timing(
        total_ms=(time.perf_counter() - started) * 1000,
        queue_ms=queue_ms,
        inference_ms=inference_ms,
    )
