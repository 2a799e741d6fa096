"""Optional OpenTelemetry tracing across the three hops, carrying the request id.

Off by default. `NEWSDESK_TRACING=1` turns it on in the services and in the client /
CLI; the exporter is configured by the standard variables (`OTEL_TRACES_EXPORTER`:
otlp (default) | console | none; `OTEL_EXPORTER_OTLP_ENDPOINT`, `_HEADERS`, ...;
`OTEL_SERVICE_NAME`). gRPC calls are traced by opentelemetry-instrumentation-grpc, so
the W3C trace context travels in the call metadata and a brief is one trace: the
client's `newsdesk.brief` span, its three calls, and each service's server span, all
with the `newsdesk.request_id` attribute. Needs `pip install 'newsdesk[tracing]'`;
without it, turning tracing on logs one warning and changes nothing.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

_ON = {"1", "true", "yes", "on"}
_state: dict[str, Any] = {"configured": False, "active": False}


def enabled(environ: Mapping[str, str] | None = None) -> bool:
    """True when NEWSDESK_TRACING asks for tracing."""
    env = os.environ if environ is None else environ
    return env.get("NEWSDESK_TRACING", "").strip().lower() in _ON


def configure(service_name: str, exporter: Any = None) -> bool:
    """Set the tracer provider (once per process) and instrument gRPC; True when
    tracing is active. `exporter` replaces the one OTEL_TRACES_EXPORTER names (tests)."""
    if _state["configured"]:
        return bool(_state["active"])
    _state["configured"] = True
    if not enabled():
        return False
    try:
        from opentelemetry import trace
        from opentelemetry.instrumentation.grpc import (
            GrpcAioInstrumentorClient,
            GrpcAioInstrumentorServer,
        )
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor
    except ImportError as exc:
        print(
            f"newsdesk: NEWSDESK_TRACING is set but {exc.name} is missing: "
            "pip install 'newsdesk[tracing]'; tracing stays off",
            file=sys.stderr,
        )
        return False
    name = os.environ.get("OTEL_SERVICE_NAME") or service_name
    provider = TracerProvider(resource=Resource.create({"service.name": name}))
    if exporter is not None:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    else:
        kind = os.environ.get("OTEL_TRACES_EXPORTER", "otlp").strip().lower()
        if kind == "console":
            from opentelemetry.sdk.trace.export import ConsoleSpanExporter

            provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter()))
        elif kind == "otlp":
            from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

            provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    GrpcAioInstrumentorServer().instrument()
    GrpcAioInstrumentorClient().instrument()
    _state["active"] = True
    _state["provider"] = provider
    return True


def flush() -> None:
    """Export what is buffered (at exit)."""
    provider = _state.get("provider")
    if provider is not None:
        provider.force_flush()


def annotate(**attributes: str) -> None:
    """Set attributes on the current span (no-op when tracing is off)."""
    if not _state["active"]:
        return
    from opentelemetry import trace

    trace.get_current_span().set_attributes(attributes)


@contextmanager
def span(name: str, **attributes: str) -> Iterator[None]:
    """A span around a block (no-op when tracing is off)."""
    if not _state["active"]:
        yield
        return
    from opentelemetry import trace

    with trace.get_tracer("newsdesk").start_as_current_span(name, attributes=attributes):
        yield
