"""The one entry point wiring every service shares: config → logging → load → serve.

`python -m services.<name>` calls `serve_main` with the service's config reader and a
`build(config)` that loads the model (before the port is bound) and returns the gRPC
bindings and how to release them. Tests build the same way (`build` with a config
from a dict), so no copy of this wiring lives anywhere else.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsdesk_shared import tracing
from services.common.config import unknown_variables
from services.common.logs import get_logger
from services.common.memory import freeze_loaded_objects, release_free_memory
from services.common.models.store import ModelNotFound
from services.common.serving.server import ServiceBinding, run_service, startup


@dataclass
class Built:
    """A service ready to serve: its bindings, and what releases its resources."""

    bindings: Sequence[ServiceBinding]
    closers: list[Callable[[], None]] = field(default_factory=list)
    loaded: Mapping[str, Any] = field(default_factory=dict)

    def close(self) -> None:
        """Stop batchers and runners, release the models."""
        for closer in self.closers:
            closer()


def serve_main(
    service: str,
    read_config: Callable[[Mapping[str, str]], Any],
    build: Callable[[Any], Built],
) -> int:
    """Run one service until SIGTERM/SIGINT; the process exit code.

    2: bad configuration (the variable is named); 3: the model is not on disk (the
    command that fetches it is named); 4: the model failed to load (damaged files, or
    not what the engine expects) — one log line, and the port is never bound, so the
    service never serves half-ready. Serving never downloads: HF_HUB_OFFLINE is set.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    config = startup(lambda: read_config(os.environ), service)
    log = get_logger(f"newsdesk.{service}")
    for name in unknown_variables(os.environ):
        log.warning(
            "config.unknown_variable",
            variable=name,
            hint="no newsdesk service reads it: a typo, or a removed variable "
            "(see the README's configuration table)",
        )
    if tracing.configure(f"newsdesk-{service}"):  # NEWSDESK_TRACING=1, OTEL_* exporter
        log.info("tracing.enabled")
    started = time.perf_counter()
    log.info("model.loading", service=service)
    try:
        built = build(config)
    except ModelNotFound as exc:
        log.error("model.missing", error=str(exc))
        return 3
    except Exception as exc:  # a corrupt or incompatible model: one line, no traceback
        log.error(
            "model.load_failed",
            error_type=type(exc).__name__,
            error=" ".join(str(exc).split())[:500],
            # A service without models (the archive) says what to check instead.
            hint=getattr(exc, "hint", None)
            or "the model files are damaged or do not match the engine: pull or "
            "convert again (newsdesk models pull / newsdesk models convert)",
        )
        return 4
    release_free_memory()  # loading leaves freed buffers behind (parsed weights, JSON)
    freeze_loaded_objects()  # no full GC pass over the loaded objects while serving
    log.info("model.loaded", **built.loaded, load_s=round(time.perf_counter() - started, 2))
    try:
        return run_service(config.server, built.bindings, cleanup=built.close)
    finally:
        tracing.flush()
