"""`newsdesk models …`: pull, convert, build-local and list the models the services
load (they need the services' packages; serving never downloads or converts)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from newsdesk_client.commands import MODEL_TOOLS, SERVE_NEEDS, CliError, _model_dir, needs


def _convert_all(specs: list[Any], model_dir: Path, quantization: str | None) -> None:
    """Convert each model for the ctranslate2 engine (skipped when quantization is None)."""
    if quantization is None:
        return
    from services.common.convert import convert

    for spec in specs:
        done = convert(spec, model_dir, quantization=quantization)
        state = "converted" if done.created else "already converted"
        print(f"{spec} ctranslate2 {quantization}: {state}  {done.path}")


def _configured_specs() -> list[Any]:
    from services.summarizer.config import model_spec
    from services.translator.config import model_specs

    return list(dict.fromkeys([*model_specs(os.environ).values(), model_spec(os.environ)]))


def models_pull(args: argparse.Namespace) -> int:
    """`newsdesk models pull`: download the configured (or given) models, then convert
    them for the ctranslate2 engine (unless --no-convert)."""
    needs("services", *MODEL_TOOLS)
    from services.common.models import (
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
    from services.common.models import ModelNotFound, ModelSpec

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

    model_dir = _model_dir(args)
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
    from services.common.models import (
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
        print(f"{role:<15} {spec!s:<75} {state}")
    return 0 if not missing else 1
