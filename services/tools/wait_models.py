"""Wait until a service's models are on disk: `python -m services.tools.wait_models
translator|summarizer [--interval S] [--timeout S]` (or `newsdesk models wait`).

The Kubernetes init container of each model service runs it with the service's own
environment, so a pod whose model volume is still being filled (by the pull Job) waits
in Init instead of crash-looping. It checks exactly what the service will load: the
snapshot, and for the ctranslate2 engine its conversion. Exit 0 when everything is
there, 1 on timeout (0 = wait forever), 2 on a configuration error.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from services.common.config import ConfigError
from services.common.engines.base import EngineSettings
from services.common.models.shortlist import require_shortlist, shortlist_command
from services.common.models.store import ModelNotFound, ModelSpec, locate, locate_converted


def missing(model_dir: Path, specs: list[ModelSpec], engine: EngineSettings) -> list[str]:
    """What the service could not load now (one message per absent model)."""
    problems = []
    for spec in dict.fromkeys(specs):
        try:
            if engine.name == "ctranslate2":
                converted = locate_converted(model_dir, spec, engine.compute_type)
                if engine.shortlist:  # NEWSDESK_TRANSLATOR_SHORTLIST: the map must be there
                    command = shortlist_command(spec, model_dir, engine.compute_type)
                    require_shortlist(converted.path, command)
            else:
                locate(model_dir, spec)
        except ModelNotFound as exc:
            problems.append(str(exc))
    return problems


def _requirements(service: str) -> tuple[Path, list[ModelSpec], EngineSettings]:
    if service == "translator":
        from services.translator.config import TranslatorConfig

        tc = TranslatorConfig.from_env(os.environ)
        return tc.model_dir, list(tc.models.values()), tc.engine
    from services.summarizer.config import SummarizerConfig

    sc = SummarizerConfig.from_env(os.environ)
    return sc.model_dir, [sc.model], sc.engine


def main(argv: list[str] | None = None) -> int:
    """Poll until the models are present."""
    from services.tools.models import add_wait_arguments

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_wait_arguments(parser)
    return wait(parser.parse_args(argv))


def wait(args: argparse.Namespace) -> int:
    """Poll `args.service`'s models every `args.interval` seconds (up to `args.timeout`;
    0: forever): 0 present, 1 timed out, 2 a configuration error."""
    try:
        model_dir, specs, engine = _requirements(args.service)
    except ConfigError as exc:
        print(f"wait_models: configuration error: {exc}", file=sys.stderr)
        return 2
    started = time.monotonic()
    while True:
        problems = missing(model_dir, specs, engine)
        if not problems:
            print(f"wait_models: {args.service} models present in {model_dir}", flush=True)
            return 0
        if args.timeout and time.monotonic() - started >= args.timeout:
            print("wait_models: gave up: " + "; ".join(problems), file=sys.stderr)
            return 1
        print("wait_models: waiting: " + "; ".join(problems), file=sys.stderr, flush=True)
        time.sleep(args.interval)


if __name__ == "__main__":
    sys.exit(main())
