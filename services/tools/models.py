"""`newsdesk models …`: pull, convert, build-local, list and wait for the models the
services load (they need the services' packages; serving never downloads or converts),
and shortlist a conversion's target vocabulary (services/common/models/shortlist.py).

A plugin of the `newsdesk` command line (`register`): the services' modules are
imported when a command runs, never while the parser is built.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsdesk_client.cli.common import CliError
from services.tools.extras import MODEL_TOOLS, SERVE_NEEDS, needs
from services.tools.local import LOCAL_ORG, local_model_dir, output_to, pulled_models
from services.tools.shortlist import add_shortlist

if TYPE_CHECKING:
    from newsdesk_client.cli.common import Subparsers

# The CTranslate2 quantizations `models convert` makes: services.common.models.store's
# QUANTIZATIONS (a test checks they agree; building the parser loads no service module).
QUANTIZATIONS = ("int8", "int8_float32", "float32")


def register(sub: Subparsers) -> None:
    """`newsdesk models pull | convert | shortlist | build-local | list | wait` (the
    plugin entry point)."""
    models = sub.add_parser("models", help="fetch, convert, build, list or wait for models")
    msub = models.add_subparsers(dest="models_command", required=True)
    pull = msub.add_parser("pull", help="download the configured models (needs internet)")
    pull.add_argument("--model-dir", help="NEWSDESK_MODEL_DIR")
    pull.add_argument("--model", action="append", help="ORG/NAME[@REVISION] (repeatable)")
    _quantization(pull)
    pull.set_defaults(func=models_pull)
    convert = msub.add_parser(
        "convert",
        help="convert pulled or built models for the ctranslate2 engine (idempotent)",
        description="Convert a model snapshot in the model directory into a CTranslate2 "
        "model beside it, keyed by commit and quantization. Without MODEL: every "
        "configured model. Serving never converts.",
    )
    convert.add_argument("model", nargs="*", help="ORG/NAME[@REVISION] (default: configured)")
    convert.add_argument("--model-dir", help="NEWSDESK_MODEL_DIR")
    convert.add_argument(
        "--quantization", choices=QUANTIZATIONS, default="int8", help="default: int8"
    )
    convert.set_defaults(func=models_convert)
    add_shortlist(msub)
    build = msub.add_parser("build-local", help="build random-weight models locally")
    build.add_argument("--model-dir", help="NEWSDESK_MODEL_DIR")
    build.add_argument(
        "--size",
        choices=["tiny", "full", "big"],
        default="tiny",
        help="tiny (tests), full (opus-mt base, distilbart), big (transformer-big, the "
        "default translator's shape)",
    )
    _quantization(build)
    build.set_defaults(func=models_build_local)
    listing = msub.add_parser("list", help="models configured and whether they are present")
    listing.add_argument("--model-dir", help="NEWSDESK_MODEL_DIR")
    listing.set_defaults(func=models_list)
    wait = msub.add_parser(
        "wait",
        help="wait until a service's models are on disk (what its init container runs)",
        description="Poll until everything the service will load is on disk: exit 0 when "
        "it is, 1 on timeout, 2 on a configuration error (python -m "
        "services.tools.wait_models does the same).",
    )
    add_wait_arguments(wait)
    wait.set_defaults(func=models_wait)


def _quantization(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--quantization",
        choices=QUANTIZATIONS,
        default="int8",
        help="convert for the ctranslate2 engine at this quantization (default: int8)",
    )
    p.add_argument(
        "--no-convert",
        dest="quantization",
        action="store_const",
        const=None,
        help="keep only the Hugging Face snapshot (for the transformers engine)",
    )


def add_wait_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of the model wait (`newsdesk models wait`, wait_models.py)."""
    p.add_argument("service", choices=["translator", "summarizer"])
    p.add_argument("--interval", type=float, default=10.0, help="seconds between checks (10)")
    p.add_argument("--timeout", type=float, default=0.0, help="0: wait forever")


def models_wait(args: argparse.Namespace) -> int:
    """`newsdesk models wait SERVICE`: services.tools.wait_models."""
    from services.tools.wait_models import wait

    return wait(args)


def model_dir_of(args: argparse.Namespace) -> Path:
    """--model-dir, else NEWSDESK_MODEL_DIR, else the default model directory."""
    if getattr(args, "model_dir", None):
        return Path(args.model_dir).expanduser()
    from services.common.models.store import default_model_dir

    return default_model_dir(os.environ)


def _convert_all(specs: list[Any], model_dir: Path, quantization: str | None) -> None:
    """Convert each model for the ctranslate2 engine (skipped when quantization is None)."""
    if quantization is None:
        return
    from services.common.models.ct2_convert import convert

    for spec in specs:
        done = convert(spec, model_dir, quantization=quantization)
        state = "converted" if done.created else "already converted"
        print(f"{spec} ctranslate2 {quantization}: {state}  {done.path}")


def _configured_specs() -> list[Any]:
    from services.summarizer.config import model_spec
    from services.translator.config import model_specs

    return list(dict.fromkeys([*model_specs(os.environ).values(), model_spec(os.environ)]))


def build_dir(given: str | None) -> Path:
    """Where random-weight models are built: the directory given, or
    ~/.cache/newsdesk/local-models; refused when it holds pulled models, so the two
    never mix."""
    model_dir = local_model_dir(given)
    pulled = pulled_models(model_dir)
    if pulled:
        raise CliError(
            f"{model_dir} holds pulled models ({', '.join(pulled[:3])}): the random-weight "
            "models are built in a directory of their own; leave out --model-dir (default "
            f"{local_model_dir(None)}) or give another one"
        )
    return model_dir


def models_pull(args: argparse.Namespace) -> int:
    """`newsdesk models pull`: download the configured (or given) models, then convert
    them for the ctranslate2 engine (unless --no-convert)."""
    needs("services", *MODEL_TOOLS)
    from services.common.models.store import (
        KNOWN_LANGUAGES,
        HubUnreachable,
        ModelSpec,
        pull,
        write_languages,
    )

    model_dir = model_dir_of(args)
    if args.model:
        specs = [ModelSpec.parse(m, name="--model") for m in args.model]
    else:
        specs = _configured_specs()
    for spec in specs:
        print(f"pulling {spec} into {model_dir} …", file=sys.stderr)
        try:
            local = pull(spec, model_dir)
        except HubUnreachable as err:
            raise CliError(str(err)) from None
        print(f"{spec.repo_id}@{local.commit}  {local.path}")
        if spec.repo_id in KNOWN_LANGUAGES:  # what it reads, from its model card
            write_languages(model_dir, spec, KNOWN_LANGUAGES[spec.repo_id])
    _convert_all(specs, model_dir, args.quantization)
    return 0


def models_convert(args: argparse.Namespace) -> int:
    """`newsdesk models convert ORG/NAME[@REV]`: a pulled or built snapshot → a
    CTranslate2 model beside it (idempotent; serving never converts)."""
    needs("services", *MODEL_TOOLS)
    from services.common.models.store import ModelNotFound, ModelSpec

    model_dir = model_dir_of(args)
    try:
        specs = (
            [ModelSpec.parse(m, name="model") for m in args.model]
            if args.model
            else _configured_specs()
        )
    except ValueError as err:
        raise CliError(str(err)) from None
    try:
        _convert_all(specs, model_dir, args.quantization)
    except ModelNotFound as err:
        raise CliError(str(err)) from None
    return 0


def models_build_local(args: argparse.Namespace) -> int:
    """`newsdesk models build-local`: random-weight models for offline runs, converted
    for the ctranslate2 engine (unless --no-convert)."""
    needs("services", *MODEL_TOOLS)
    from services.summarizer.build_local import build_bart
    from services.translator.build_local import build_marian

    model_dir = build_dir(args.model_dir)
    print(f"building random-weight models in {model_dir} …", file=sys.stderr)
    # The builders' training progress and transformers' warnings about random-weight
    # models are noise here; an error still raises (and is shown) after this.
    with output_to(Path(os.devnull)):
        marian = build_marian(model_dir, args.size)
        # The summarizer has no transformer-big default: "big" builds the full BART.
        bart = build_bart(model_dir, "full" if args.size == "big" else args.size)
    _convert_all([marian.spec, bart.spec], model_dir, args.quantization)
    print("# random weights: output is noise. To serve these models:")
    print(f"export NEWSDESK_MODEL_DIR={model_dir}")
    print(f"export NEWSDESK_TRANSLATOR_MODEL_UK={marian.spec}")
    print(f"export NEWSDESK_TRANSLATOR_MODEL_RU={marian.spec}")
    print(f"export NEWSDESK_SUMMARIZER_MODEL={bart.spec}")
    return 0


def models_list(args: argparse.Namespace) -> int:
    """`newsdesk models list`: configured models, whether each is on disk, and whether
    the conversion its service's engine serves is there (exit 1 if anything is missing)."""
    needs("serve", *SERVE_NEEDS)
    from services.common.config import ConfigError
    from services.common.engines.base import engine_settings_from_env
    from services.common.models.shortlist import require_shortlist, shortlist_command
    from services.common.models.store import (
        ModelNotFound,
        convert_command,
        locate,
        locate_converted,
    )
    from services.summarizer.config import PREFIX as SUMMARIZER
    from services.summarizer.config import model_spec
    from services.translator.config import PREFIX as TRANSLATOR
    from services.translator.config import model_specs

    model_dir = model_dir_of(args)
    try:
        engines = {
            "translator": engine_settings_from_env(os.environ, TRANSLATOR, 1),
            "summarizer": engine_settings_from_env(os.environ, SUMMARIZER, 1),
        }
    except ConfigError as err:
        raise CliError(str(err)) from None
    rows = [("translator", f"translator/{k}", v) for k, v in model_specs(os.environ).items()]
    rows.append(("summarizer", "summarizer", model_spec(os.environ)))
    missing = 0
    for service, role, spec in rows:
        engine = engines[service]
        try:
            found = locate(model_dir, spec)
        except ModelNotFound:
            missing += 1
            print(f"{role:<15} {spec!s:<75} MISSING (newsdesk models pull)")
            continue
        state = f"present ({found.commit[:12]})"
        if engine.name == "ctranslate2":
            try:
                converted = locate_converted(model_dir, spec, engine.compute_type)
                state += f", ctranslate2 {engine.compute_type} converted"
            except ModelNotFound:
                missing += 1
                state += f", NOT CONVERTED: {convert_command(spec, model_dir, engine.compute_type)}"
            else:
                if engine.shortlist:  # NEWSDESK_TRANSLATOR_SHORTLIST: its map must be there
                    command = shortlist_command(spec, model_dir, engine.compute_type)
                    try:
                        require_shortlist(converted.path, command)
                        state += ", shortlist present"
                    except ModelNotFound:
                        missing += 1
                        state += f", NO SHORTLIST: {command}"
        if spec.repo_id.startswith(LOCAL_ORG + "/"):
            state = f"local, random weights: {state}"
        print(f"{role:<15} {spec!s:<75} {state}")
    shown = {(model_dir.expanduser().resolve(), spec.repo_id) for _, _, spec in rows}
    for line in local_lines([model_dir, local_model_dir(None)], shown):
        print(line)
    return 0 if not missing else 1


def local_lines(dirs: list[Path], shown: AbstractSet[tuple[Path, str]] = frozenset()) -> list[str]:
    """One line per locally built (random-weight) model found in `dirs` (but those
    `shown` already, as (folder, ORG/NAME)): what it is, its conversions, and where."""
    from services.common.models.store import CONVERTED_META

    lines = []
    for folder in dict.fromkeys(d.expanduser().resolve() for d in dirs):
        for repo in sorted(folder.glob(f"models--{LOCAL_ORG}--*")):
            name = repo.name.removeprefix("models--").replace("--", "/", 1)
            if (folder, name) in shown:
                continue
            refs = sorted(p.name for p in (repo / "refs").glob("*") if p.is_file())
            done = sorted(
                p.name.rsplit("-", 1)[-1] if "-" in p.name else p.name
                for p in (repo / "ctranslate2").glob("*")
                if (p / CONVERTED_META).is_file()
            )
            converted = f"; conversions: {', '.join(done)}" if done else "; not converted"
            spec = f"{name}@{refs[0]}" if refs else name
            lines.append(
                f"{'local':<15} {spec:<75} local, random weights (noise){converted}  in {folder}"
            )
    return lines
