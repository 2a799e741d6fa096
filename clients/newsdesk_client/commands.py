"""What each `newsdesk` subcommand does (the parser is in cli.py)."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from newsdesk_client.config import ENV_NAMES, ClientConfig
from newsdesk_client.errors import NewsdeskError
from newsdesk_client.health import check
from newsdesk_client.sync import NewsdeskClient
from newsdesk_client.types import Brief


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


# What building and converting models needs, on top of what serving needs.
_MODEL_TOOLS = ("torch", "transformers")


def _needs_services(*modules: str) -> None:
    import importlib

    for name in ("services", "ctranslate2", *modules):
        try:
            importlib.import_module(name)
        except ImportError as exc:
            raise CliError(
                f"this command needs the services' packages ({exc.name} is missing): "
                "pip install 'newsdesk[services]'"
            ) from None


def print_brief(
    brief: Brief, as_json: bool, with_translation: bool, with_sources: bool = False
) -> None:
    """A brief to stdout, as text shaped like ../shared/seed or as JSON (which always
    holds the bullets' sources and spans)."""
    if as_json:
        data = brief.to_dict()
        if not with_translation:
            data.pop("english_text")
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(brief.to_text(with_translation, with_sources), end="")


def _style(args: argparse.Namespace) -> dict[str, Any]:
    """house_style / style_entries from --no-house-style and --style-entry V=P."""
    entries: dict[str, str] = {}
    for raw in args.style_entry:
        variant, sep, preferred = raw.partition("=")
        if not sep or not variant.strip() or not preferred.strip():
            raise CliError(f"--style-entry {raw!r}: expected VARIANT=PREFERRED")
        entries[variant.strip()] = preferred.strip()
    if args.no_house_style and entries:
        raise CliError("--style-entry cannot be used with --no-house-style")
    return {"house_style": not args.no_house_style, "style_entries": entries or None}


def brief(args: argparse.Namespace) -> int:
    """`newsdesk brief FILE|-|DIR`."""
    path = Path(args.path)
    with NewsdeskClient(_config(args)) as client:
        if args.path != "-" and path.is_dir():
            return _brief_dir(client, path, args)
        if args.path == "-":
            text = sys.stdin.read()
        elif path.is_file():
            text = path.read_text(encoding="utf-8")
        else:
            raise CliError(f"{path}: no such file or folder")
        try:
            result = client.brief(text, **_style(args))
        except NewsdeskError as err:
            print(f"newsdesk: {err}", file=sys.stderr)
            return 1
        print_brief(result, args.json, args.with_translation, args.with_sources)
    return 0


def _brief_dir(client: NewsdeskClient, folder: Path, args: argparse.Namespace) -> int:
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise CliError(f"{folder}: no .txt files")
    started = time.perf_counter()
    done = failed = 0
    batch = max(1, args.concurrency)
    for start in range(0, len(files), batch):
        chunk = files[start : start + batch]
        outcomes = client.brief_many(
            [f.read_text(encoding="utf-8") for f in chunk], concurrency=batch, **_style(args)
        )
        for file, outcome in zip(chunk, outcomes, strict=True):
            if outcome.brief is not None:
                data = outcome.brief.to_dict()
                file.with_suffix(".json").write_text(
                    json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8"
                )
                file.with_suffix(".md").write_text(
                    _markdown(outcome.brief, args.with_translation, args.with_sources),
                    encoding="utf-8",
                )
                done += 1
            else:
                failed += 1
                print(f"\n{file.name}: {outcome.error}", file=sys.stderr)
        _progress(done + failed, len(files), failed)
    elapsed = time.perf_counter() - started
    print(f"\ndone {done}, failed {failed}, {elapsed:.1f}s", file=sys.stderr)
    return 0 if failed == 0 else 1


def _progress(current: int, total: int, failed: int) -> None:
    width = 30
    filled = int(width * current / total)
    bar = "#" * filled + "-" * (width - filled)
    print(f"\r[{bar}] {current}/{total} ({failed} failed)", end="", file=sys.stderr, flush=True)


def _markdown(b: Brief, with_translation: bool, with_sources: bool = False) -> str:
    lines = [f"# {b.headline}", "", b.summary, ""]
    for i, bullet in enumerate(b.bullets):
        lines.append(f"- {bullet}")
        if with_sources and i < len(b.sources):
            lines += [f"  > {o.text}" for o in b.sources[i].original]
    if with_translation:
        lines += ["", "## English text", "", b.english_text]
    return "\n".join(lines) + "\n"


def detect(args: argparse.Namespace) -> int:
    """`newsdesk detect TEXT`."""
    with NewsdeskClient(_config(args)) as client:
        try:
            d = client.detect(args.text)
        except NewsdeskError as err:
            print(f"newsdesk: {err}", file=sys.stderr)
            return 1
    print(
        json.dumps(
            {
                "language": d.language,
                "confidence": d.confidence,
                "reliable": d.reliable,
                "status": d.status,
            }
        )
    )
    return 0


def health(args: argparse.Namespace) -> int:
    """`newsdesk health`: each service's grpc.health.v1 status."""
    config = _config(args)
    bad = 0
    for name in ("detector", "translator", "summarizer"):
        address = getattr(config, name)
        status = check(address, config=config)
        bad += status != "SERVING"
        hint = (
            ""
            if status == "SERVING"
            else (
                f"  (not reachable: start it with `newsdesk serve` or `docker compose up`, "
                f"or set {ENV_NAMES[name]})"
            )
        )
        print(f"{name:<11} {address:<24} {status}{hint}")
    return 0 if bad == 0 else 1


def _model_dir(args: argparse.Namespace) -> Path:
    if getattr(args, "model_dir", None):
        return Path(args.model_dir).expanduser()
    from services.common.models import default_model_dir

    return default_model_dir(os.environ)


def serve(args: argparse.Namespace) -> int:
    """`newsdesk serve`: the services as local processes until Ctrl-C."""
    # Serving CTranslate2 needs no torch; building the tiny models does.
    _needs_services(*(_MODEL_TOOLS if args.local_models else ()))
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
    _needs_services(*_MODEL_TOOLS)
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
