"""What each `newsdesk` subcommand does (the parser is in cli.py)."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import threading
from pathlib import Path

from newsdesk_client.config import ENV_NAMES, ClientConfig
from newsdesk_client.errors import NewsdeskError
from newsdesk_client.health import check, hint
from newsdesk_client.sync import NewsdeskClient


class CliError(Exception):
    """A user-facing error: printed without a traceback, exit code 2."""


def _config(args: argparse.Namespace) -> ClientConfig:
    timeout = getattr(args, "timeout", None)
    deadlines = (
        {"detect_timeout": timeout, "translate_timeout": timeout, "summarize_timeout": timeout}
        if timeout
        else {}
    )
    return ClientConfig.from_env(
        None,
        detector=getattr(args, "detector", None),
        translator=getattr(args, "translator", None),
        summarizer=getattr(args, "summarizer", None),
        **deadlines,
    )


# What each kind of command needs beyond the client, and the extra that installs it.
SERVE_NEEDS = ("ctranslate2", "sentencepiece", "tokenizers", "fasttext", "lingua")
MODEL_TOOLS = ("torch", "transformers")


def needs(extra: str, *modules: str) -> None:
    """CliError (exit 2) naming the missing module and the extra to install, unless
    every module imports: `serve` needs newsdesk[serve]; building, pulling and
    converting models, the offline smoke run and eval need newsdesk[services]."""
    import importlib

    for name in ("services", *modules):
        try:
            importlib.import_module(name)
        except ImportError as exc:
            raise CliError(
                f"this command needs newsdesk[{extra}] ({exc.name} is missing): "
                f"pip install 'newsdesk[{extra}]'"
            ) from None


def detect(args: argparse.Namespace) -> int:
    """`newsdesk detect [TEXT|-|FILE]`: the language and the ranked candidates."""
    if args.text is None or args.text == "-":
        if args.text is None and sys.stdin.isatty():
            raise CliError("give a TEXT, a FILE, or - (or pipe text in)")
        text = sys.stdin.read()
    elif Path(args.text).is_file():
        text = Path(args.text).read_text(encoding="utf-8", errors="replace")
    else:
        text = args.text
    with NewsdeskClient(_config(args)) as client:
        try:
            d = client.detect(text, top_k=args.top_k)
        except NewsdeskError as err:
            print(f"newsdesk: {err}", file=sys.stderr)
            return 3 if err.code == "UNAVAILABLE" else 1
    data = {
        "language": d.language,
        "confidence": d.confidence,
        "reliable": d.reliable,
        "status": d.status,
        "script": d.script,
        "candidates": [
            {"language": c.language, "probability": c.probability} for c in d.candidates
        ],
    }
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
        return 0
    flag = "reliable" if d.reliable else "NOT reliable"
    print(f"{d.language}  {d.confidence:.3f}  {flag}  ({d.status}, script {d.script or '-'})")
    for c in d.candidates:
        print(f"  {c.language:<4} {c.probability:.3f}")
    return 0


def health(args: argparse.Namespace) -> int:
    """`newsdesk health`: each service's grpc.health.v1 status."""
    config = _config(args)
    bad = 0
    for name in ("detector", "translator", "summarizer"):
        address = getattr(config, name)
        status = check(address, config=config)
        bad += status != "SERVING"
        why = hint(address, status, config, ENV_NAMES[name])
        print(f"{name:<11} {address:<24} {status}" + (f"  ({why})" if why else ""))
    return 0 if bad == 0 else 1


def _model_dir(args: argparse.Namespace) -> Path:
    if getattr(args, "model_dir", None):
        return Path(args.model_dir).expanduser()
    from services.common.models import default_model_dir

    return default_model_dir(os.environ)


def serve(args: argparse.Namespace) -> int:
    """`newsdesk serve`: the services as local processes until Ctrl-C."""
    # Serving CTranslate2 needs no torch; building the tiny models does.
    needs(*(("services", *MODEL_TOOLS) if args.local_models else ("serve", *SERVE_NEEDS)))
    from newsdesk_client.local import DEFAULT_PORTS, LocalStack, local_model_env

    env: dict[str, str] = {}
    model_dir = _model_dir(args)
    env["NEWSDESK_MODEL_DIR"] = str(model_dir)
    if args.local_models:
        print(
            "building the tiny offline models (random weights: output is noise)…", file=sys.stderr
        )
        env.update(local_model_env(model_dir))
    # Ports: the services' own variables (NEWSDESK_<NAME>_PORT) or the defaults.
    ports = {
        name: int(os.environ.get(f"NEWSDESK_{name.upper()}_PORT") or port)
        for name, port in DEFAULT_PORTS.items()
    }
    stack = LocalStack(
        ports,
        env,
        host=args.host,
        log_dir=Path(tempfile.mkdtemp(prefix="newsdesk-logs-")),
    )
    stop = threading.Event()
    # Explicit handlers, set before the services start (a Ctrl-C while they start is
    # honoured once they are up): a background job inherits SIGINT ignored, and Ctrl-C
    # should drain the services the same way SIGTERM does.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(f"starting detector, translator, summarizer (logs in {stack.log_dir})…", file=sys.stderr)
    # Whatever happens from here on (a failed start, Ctrl-C at any moment, an
    # error), the services this started are stopped before serve returns.
    try:
        try:
            stack.start()
        except (RuntimeError, TimeoutError) as err:
            raise CliError(str(err)) from None
        for name in DEFAULT_PORTS:
            print(f"{name:<11} {stack.address(name)}  SERVING", flush=True)
        print("Ctrl-C stops them.", file=sys.stderr)
        while not stop.is_set() and all(p.poll() is None for p in stack.processes.values()):
            stop.wait(1.0)
    except KeyboardInterrupt:
        pass
    finally:
        codes = stack.stop()
        print(f"stopped: {codes}", file=sys.stderr)
    return 0


SMOKE_ARTICLE = (
    "Уряд України ухвалив нове рішення щодо підтримки громад. У понеділок у Києві "
    "відбулася зустріч міністрів.\n\nЗа даними агентства, обсяг експорту у 2023 році "
    "збільшився на 3,5 відсотка. Президент заявив, що переговори триватимуть.\n\n"
    "Експерти попереджають про складну зиму. Мер міста пообіцяв відновити зруйновані "
    "школи до вересня."
)


def smoke(args: argparse.Namespace) -> int:
    """`newsdesk smoke`: the whole chain offline, on tiny random models."""
    needs("services", *MODEL_TOOLS)
    from newsdesk_client.local import LocalStack, local_model_env

    model_dir = Path(args.model_dir or tempfile.mkdtemp(prefix="newsdesk-models-"))
    text = Path(args.path).read_text(encoding="utf-8") if args.path else SMOKE_ARTICLE
    print("=" * 78)
    print("OFFLINE SMOKE RUN: tiny models with RANDOM weights, built on this machine.")
    print("The chain is real (detect → translate → summarize over gRPC); the words are NOISE.")
    print("=" * 78)
    env = local_model_env(model_dir)
    stack = LocalStack(
        {n: 0 for n in ("detector", "translator", "summarizer")},
        env,
        log_dir=model_dir / "logs",
    )
    try:
        stack.start()
    except (RuntimeError, TimeoutError) as err:
        raise CliError(str(err)) from None
    try:
        config = ClientConfig(
            detector=stack.address("detector"),
            translator=stack.address("translator"),
            summarizer=stack.address("summarizer"),
        )
        with NewsdeskClient(config) as client:
            result = client.brief(text)
        print(f"detected language: {result.language} (confidence {result.confidence:.2f})")
        print(f"models: { {k: v.id for k, v in result.models.items()} }")
        print(f"timings (ms): { {k: round(v) for k, v in result.timings_ms.items()} }")
        print("-" * 78)
        print(result.to_text(with_sources=True), end="")
        print("-" * 78)
    except NewsdeskError as err:
        print(f"newsdesk: {err}", file=sys.stderr)
        return 1
    finally:
        stack.stop()
    return 0
