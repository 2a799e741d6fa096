"""`newsdesk models …`: pull, convert, build-local and list the models the services
load (they need the services' packages; serving never downloads or converts)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

from newsdesk_client.cli.commands import MODEL_TOOLS, SERVE_NEEDS, CliError, _model_dir, needs
from services.tools.local import LOCAL_ORG, local_model_dir, output_to, pulled_models


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

    model_dir = _model_dir(args)
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

    model_dir = _model_dir(args)
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
    from services.common.config import ConfigError, engine_settings_from_env
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

    model_dir = _model_dir(args)
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
                locate_converted(model_dir, spec, engine.compute_type)
                state += f", ctranslate2 {engine.compute_type} converted"
            except ModelNotFound:
                missing += 1
                state += f", NOT CONVERTED: {convert_command(spec, model_dir, engine.compute_type)}"
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
