"""What each `newsdesk` subcommand does (the parser is in cli.py)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

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
# The eval commands import one metric package each, nothing of the services.
EVAL_NEEDS = {"translation": "sacrebleu", "summarization": "rouge_score"}
EVAL_PACKAGES = {"sacrebleu": "sacrebleu", "rouge_score": "rouge-score"}


def _checkout() -> Path | None:
    """The source checkout this client runs from (an editable install), if any."""
    root = Path(__file__).resolve().parents[2]
    if (root / "pyproject.toml").is_file() and (root / "constraints.txt").is_file():
        return root
    return None


def _declared_extras() -> set[str]:
    """The extras the installed newsdesk distribution declares."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        return set(metadata("newsdesk").get_all("Provides-Extra") or [])
    except PackageNotFoundError:
        return set()


def _torch_pin(root: Path | None) -> str:
    """The torch version constraints.txt locks ("" when unknown)."""
    if root is None:
        return ""
    for line in (root / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("torch=="):
            return line.split("==", 1)[1].strip()
    return ""


def install_hint(extra: str | None, packages: tuple[str, ...] = ()) -> str:
    """The commands that install an extra (or, with extra None, single packages): from
    the checkout with the locked versions, or from a package index."""
    import shlex

    pip = f"{shlex.quote(sys.executable)} -m pip install"
    local = f"'.[{extra}]'" if extra else " ".join(packages)
    index = f"'newsdesk[{extra}]'" if extra else " ".join(packages)
    root = _checkout()
    where = (
        f"from the checkout, in {root}"
        if root
        else "from the newsdesk checkout (the folder with constraints.txt)"
    )
    first = ""
    if extra == "services":
        # PyPI's torch wheel pulls the CUDA build (several GB): the CPU wheel first.
        pin = _torch_pin(root)
        first = (
            f"  {pip} --no-deps --index-url https://download.pytorch.org/whl/cpu torch=={pin}\n"
            if pin
            else "  (the CPU torch wheel first, as the README's install section shows)\n"
        )
    return (
        f"install it {where}:\n{first}  {pip} -c constraints.txt {local}\n"
        f"or, from a package index:\n  {pip} {index}"
    )


def needs(extra: str | None, *modules: str, services: bool = True) -> None:
    """CliError (exit 2) naming the missing module and how to install it, unless every
    module imports: `serve` needs the serve extra; building, pulling and converting
    models and the offline smoke run need the services extra; `eval` needs only its
    metric package (extra None: the package itself is named)."""
    import importlib

    for name in ("services", *modules) if services else modules:
        try:
            importlib.import_module(name)
        except ImportError as exc:
            missing = exc.name or name
            what = f"the {extra} extra" if extra else missing
            raise CliError(
                f"this command needs {what} ({missing} is not installed); "
                + install_hint(extra, (EVAL_PACKAGES.get(missing, missing),))
            ) from None


def needs_eval(kind: str) -> None:
    """The metric package an `eval` command imports: the eval extra when this
    distribution declares one, else the package by name."""
    module = EVAL_NEEDS[kind]
    extra = "eval" if "eval" in _declared_extras() else None
    needs(extra, module, services=False)


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
    from services.common.models.store import default_model_dir

    return default_model_dir(os.environ)


def serve(args: argparse.Namespace) -> int:
    """`newsdesk serve`: the services as local processes until Ctrl-C (serve_commands)."""
    from services.tools.serve import serve as run

    return run(args)


def smoke(args: argparse.Namespace) -> int:
    """`newsdesk smoke`: the whole chain offline, on tiny random models (serve_commands)."""
    from services.tools.serve import smoke as run

    return run(args)


def port(value: str) -> int:
    """argparse type: a TCP port, 0..65535 (0: any free port)."""
    if not value.strip().isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port (0..65535)")
    return int(value)


def port_list(value: str) -> list[int]:
    """argparse type: three ports, detector,translator,summarizer."""
    parts = value.split(",")
    if len(parts) != 3:
        raise argparse.ArgumentTypeError(
            f"{value!r}: give three ports, detector,translator,summarizer (e.g. 6051,6052,6053)"
        )
    return [port(p) for p in parts]


SERVICE_NAMES = ("detector", "translator", "summarizer")


def info(args: argparse.Namespace) -> int:
    """`newsdesk info`: what each service serves (models, revisions, engines, limits,
    quality notes, the translator's language pairs); exit 1 when some did not answer,
    3 when none did."""
    from dataclasses import asdict

    config = _config(args)
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
        return 3
    return 1 if failed else 0


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
