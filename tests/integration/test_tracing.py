"""Optional OpenTelemetry tracing: one brief is one trace across the three hops, every
server span carrying the request id. Run in a subprocess (the tracer provider and the
gRPC instrumentation are process-wide) with an in-memory exporter."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytest.importorskip("opentelemetry.sdk")

SCRIPT = r"""
import asyncio, json, os, sys
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from newsdesk_shared import tracing
exporter = InMemorySpanExporter()
assert tracing.configure("newsdesk-test", exporter=exporter)

from newsdesk_client import AsyncNewsdeskClient, ClientConfig
from services.common.serving.server import start_server
from services.detector.app import build as build_detector
from services.detector.config import DetectorConfig
from services.summarizer.app import build as build_summarizer
from services.summarizer.config import SummarizerConfig
from services.translator.app import build as build_translator
from services.translator.config import TranslatorConfig

async def main():
    env = dict(os.environ)
    built = {
        "detector": build_detector(DetectorConfig.from_env(env)),
        "translator": build_translator(TranslatorConfig.from_env(env)),
        "summarizer": build_summarizer(SummarizerConfig.from_env(env)),
    }
    running = {}
    for name, b in built.items():
        config = {"detector": DetectorConfig, "translator": TranslatorConfig,
                  "summarizer": SummarizerConfig}[name].from_env(env).server
        running[name] = await start_server(config, b.bindings)
    addresses = {n: f"127.0.0.1:{r.port}" for n, r in running.items()}
    async with AsyncNewsdeskClient(ClientConfig(**addresses)) as client:
        brief = await client.brief(sys.argv[1], request_id="rid-trace-1")
    for r in running.values():
        await r.stop()
    for b in built.values():
        b.close()
    assert brief.headline
asyncio.run(main())
for s in exporter.get_finished_spans():
    print(json.dumps({
        "name": s.name,
        "kind": s.kind.name,
        "trace": format(s.context.trace_id, "032x"),
        "attributes": {k: str(v) for k, v in (s.attributes or {}).items()},
    }))
"""


def test_a_brief_is_one_trace_with_the_request_id(model_dir) -> None:
    """Client span, three client calls and three server spans share one trace id; the
    server spans (and the brief span) carry newsdesk.request_id."""
    from services.summarizer.build_local import TINY_SPEC as BART
    from services.translator.build_local import TINY_SPEC as MARIAN

    env = {
        **os.environ,
        "NEWSDESK_TRACING": "1",
        "NEWSDESK_MODEL_DIR": str(model_dir),
        "NEWSDESK_TRANSLATOR_MODEL_UK": str(MARIAN),
        "NEWSDESK_TRANSLATOR_MODEL_RU": str(MARIAN),
        "NEWSDESK_SUMMARIZER_MODEL": str(BART),
        "NEWSDESK_LOG_LEVEL": "WARNING",
        **{
            f"NEWSDESK_{n}_{k}": v
            for n in ("DETECTOR", "TRANSLATOR", "SUMMARIZER")
            for k, v in (
                ("HOST", "127.0.0.1"),
                ("PORT", "0"),
                ("METRICS_PORT", "0"),
                ("THREADS", "1"),
            )
        },
    }
    text = (
        "Уряд України ухвалив нове рішення щодо підтримки громад. У понеділок у Києві "
        "відбулася зустріч міністрів. Експерти попереджають про складну зиму."
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, text], env=env, capture_output=True, text=True, timeout=240
    )
    assert result.returncode == 0, result.stderr[-3000:]
    spans = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len({s["trace"] for s in spans}) == 1
    servers = [s for s in spans if s["kind"] == "SERVER"]
    methods = {s["name"].split("/")[-1] for s in servers}
    assert {"DetectLanguage", "Translate", "Summarize"} <= methods
    assert all(s["attributes"].get("newsdesk.request_id") == "rid-trace-1" for s in servers)
    (brief,) = [s for s in spans if s["name"] == "newsdesk.brief"]
    assert brief["attributes"]["newsdesk.request_id"] == "rid-trace-1"
    assert sum(s["kind"] == "CLIENT" for s in spans) >= 3


def test_tracing_is_off_by_default() -> None:
    """Without NEWSDESK_TRACING nothing is configured or instrumented."""
    from newsdesk_shared import tracing

    assert not tracing.enabled({})
    assert tracing.enabled({"NEWSDESK_TRACING": "1"})
