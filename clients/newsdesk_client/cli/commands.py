"""`newsdesk detect`, `health` and `info`: the small commands that ask the services
one thing each."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from newsdesk_client.cli import inputs
from newsdesk_client.cli.common import (
    ARCHIVE_ENV,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_UNAVAILABLE,
    SERVICE_NAMES,
    CliError,
    add_command,
    addresses,
    client_config,
)
from newsdesk_client.config import ENV_NAMES
from newsdesk_client.errors import NewsdeskError
from newsdesk_client.health import check, hint
from newsdesk_client.sync import NewsdeskClient

if TYPE_CHECKING:
    from newsdesk_client.cli.common import Subparsers

_DETECT_EPILOG = """examples:
  newsdesk detect article.txt --top-k 5
  newsdesk detect --text 'Київ'
  echo 'Где аэропорт?' | newsdesk detect --json
  newsdesk detect 'Де аеропорт?'

ARG is a file when one exists there. Otherwise an ARG that looks like a path (it has a
/, ends in an extension such as .txt, .md, .json, or has no spaces) is an error: "FILE:
no such file" (exit 2); other words are the text itself. --text TEXT is always text."""


def register(sub: Subparsers) -> None:
    """detect, health and info."""
    detect_parser = add_command(
        sub,
        "detect",
        "language of a text, with ranked candidates",
        description="The language of a text, a file or stdin, with ranked candidates.",
        epilog=_DETECT_EPILOG,
        func=detect,
    )
    detect_parser.add_argument(
        "input",
        nargs="?",
        metavar="ARG",
        help="a FILE, - for stdin (the default), or a text with spaces (see below)",
    )
    detect_parser.add_argument("--text", help="the text whose language to detect")
    detect_parser.add_argument("--top-k", type=int, default=3, help="candidates to show (3)")
    detect_parser.add_argument("--json", action="store_true", help="print JSON")
    inputs.encoding_option(detect_parser)
    addresses(detect_parser, "detector")  # only the detector is offered

    health_parser = sub.add_parser("health", help="health of each service")
    addresses(health_parser, *SERVICE_NAMES, "archive")
    health_parser.set_defaults(func=health)

    info_parser = add_command(
        sub,
        "info",
        "what each service serves: models, revisions, engines, limits, language pairs",
        description="Each service's Info: model ids and revisions, engine, input limits,\n"
        "quality notes, and the translator's language pairs.",
        epilog="examples:\n  newsdesk info\n  newsdesk info --json | jq .translator.models"
        "\n\nexit codes: 0 every service answered; 1 some did not; 3 none did.",
        func=info,
    )
    info_parser.add_argument("--json", action="store_true", help="print JSON")
    addresses(info_parser)


def detect(args: argparse.Namespace) -> int:
    """`newsdesk detect [TEXT|FILE|-] [--text TEXT]`: the language and the ranked
    candidates (which argument is a file, which a text: inputs.detect_text)."""
    if args.input is None and args.text is None and sys.stdin.isatty():
        raise CliError("give a FILE, --text TEXT, or - (or pipe text in)")
    try:
        name, text = inputs.detect_text(args.input, args.text, args.encoding)
    except inputs.InputError as exc:
        raise CliError(str(exc)) from None
    with NewsdeskClient(client_config(args)) as client:
        try:
            d = client.detect(text, top_k=args.top_k)
        except NewsdeskError as failed:
            err = failed.about(name)  # the file, not the request field
            print(f"newsdesk: {err}", file=sys.stderr)
            return EXIT_UNAVAILABLE if err.code == "UNAVAILABLE" else EXIT_FAILED
    if args.json:
        candidates = [{"language": c.language, "probability": c.probability} for c in d.candidates]
        data = {
            k: getattr(d, k) for k in ("language", "confidence", "reliable", "status", "script")
        }
        print(json.dumps({**data, "candidates": candidates}, ensure_ascii=False))
        return EXIT_OK
    flag = "reliable" if d.reliable else "NOT reliable"
    print(f"{d.language}  {d.confidence:.3f}  {flag}  ({d.status}, script {d.script or '-'})")
    for c in d.candidates:
        print(f"  {c.language:<4} {c.probability:.3f}")
    return EXIT_OK


def health(args: argparse.Namespace) -> int:
    """`newsdesk health`: each service's grpc.health.v1 status (the archive's too, when
    NEWSDESK_ARCHIVE_ADDR or --archive-addr names one)."""
    config = client_config(args)
    bad = 0
    # The archive is checked when an address is configured (it is optional).
    names = (*SERVICE_NAMES, "archive") if config.archive else SERVICE_NAMES
    for name in names:
        address = getattr(config, name)
        status = check(address, config=config)
        bad += status != "SERVING"
        why = hint(address, status, config, ENV_NAMES.get(name, ARCHIVE_ENV))
        print(f"{name:<11} {address:<24} {status}" + (f"  ({why})" if why else ""))
    return 0 if bad == 0 else 1


def info(args: argparse.Namespace) -> int:
    """`newsdesk info`: what each service serves (models, revisions, engines, limits,
    quality notes, the translator's language pairs); exit 1 when some did not answer,
    3 when none did."""
    config = client_config(args)
    report: dict[str, dict[str, object]] = {}
    unavailable = failed = 0
    with NewsdeskClient(config) as client:
        for name in SERVICE_NAMES:
            address = getattr(config, name)
            try:
                data: dict[str, object] = {"address": address, **asdict(client.info(name))}
                if name == "translator":
                    data["language_pairs"] = [asdict(p) for p in client.language_pairs()]
            except NewsdeskError as err:
                failed += 1
                unavailable += err.code == "UNAVAILABLE"
                why = hint(address, err.code, config, ENV_NAMES[name]) or err.message
                data = {"address": address, "error": {"code": err.code, "message": why}}
            report[name] = data
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for name, data in report.items():
            print("\n".join(info_lines(name, data)))
    if unavailable == len(SERVICE_NAMES):
        return EXIT_UNAVAILABLE
    return EXIT_FAILED if failed else EXIT_OK


def info_lines(name: str, data: dict[str, Any]) -> list[str]:
    """One service's Info as text lines."""
    head = f"{name:<11} {data['address']}"
    if "error" in data:
        return [f"{head}  {data['error']['code']} ({data['error']['message']})"]
    lines = [f"{head}  {data['service_name']} {data['version']}".rstrip()]
    for model in data["models"]:
        engine = f"  engine {model['engine']}" if model["engine"] else ""
        lines.append(f"  model      {model['id']}@{model['revision']}{engine}")
    limits = data["limits"]
    text = (
        f"{limits['max_chars']} characters and {limits['max_batch']} texts a request, "
        f"{limits['max_concurrent_rpcs']} requests in flight"
    )
    if data.get("max_source_tokens"):
        text += f", {data['max_source_tokens']} tokens per model input"
    lines.append(f"  limits     {text}")
    if data.get("languages"):
        codes = list(data["languages"])
        more = f" … ({len(codes)} in all)" if len(codes) > 20 else ""
        lines.append(f"  languages  {' '.join(codes[:20])}{more}")
    for pair in data.get("language_pairs", ()):
        note = f"  ({pair['quality_note']})" if pair["quality_note"] else ""
        lines.append(
            f"  pair       {pair['source']} → {pair['target']}  {pair['model']['id']}{note}"
        )
    for note in data.get("quality_notes", ()):
        lines.append(f"  quality    {note}")
    return lines
