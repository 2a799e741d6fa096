"""`newsdesk models shortlist`: a target-vocabulary shortlist (CTranslate2's vmap.txt)
written into a conversion, from a parallel corpus or from the model's own outputs
(services/common/models/shortlist.py). Part of the `models` plugin (models.py)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from newsdesk_client.cli.common import CliError
from services.tools.extras import SERVE_NEEDS, needs

# Target pieces kept per source piece, and always-candidates.
SHORTLIST_TOP = 30
SHORTLIST_ALWAYS = 300


def add_shortlist(msub: Any) -> None:
    """`newsdesk models shortlist`."""
    from services.tools.models import QUANTIZATIONS  # the plugin that calls this

    shortlist = msub.add_parser(
        "shortlist",
        help="write a target-vocabulary shortlist (vmap.txt) into a conversion",
        description="Count which English pieces go with each source piece, in a parallel "
        "corpus (--parallel) or in the model's own greedy outputs (--monolingual), and "
        "write CTranslate2's vmap.txt into the model's conversion: each source piece's "
        "--top K English pieces (Dice coefficient over sentence pairs), the --always N "
        "most frequent English pieces and the special tokens. With "
        "NEWSDESK_TRANSLATOR_SHORTLIST=true the translator (ctranslate2 engine) restricts "
        "each batch's output layer to the union of its sentences' shortlists (the map is "
        "read at start): an English piece outside cannot be written. Without MODEL: the "
        "configured translator models.",
    )
    shortlist.add_argument(
        "model", nargs="*", help="ORG/NAME[@REVISION] (default: the configured translator models)"
    )
    corpus = shortlist.add_mutually_exclusive_group(required=True)
    corpus.add_argument(
        "--parallel",
        metavar="FILE",
        help="source<TAB>english sentence pairs, one a line (blank lines and a "
        "source<TAB>reference header are skipped); keep the evaluation sets out of it",
    )
    corpus.add_argument(
        "--monolingual",
        metavar="FILE",
        help="source text, one sentence a line: the model translates each (greedy) and "
        "its own outputs are counted",
    )
    shortlist.add_argument(
        "--top",
        type=_at_least(1),
        default=SHORTLIST_TOP,
        metavar="K",
        help=f"English pieces kept per source piece (default: {SHORTLIST_TOP})",
    )
    shortlist.add_argument(
        "--always",
        type=_at_least(0),
        default=SHORTLIST_ALWAYS,
        metavar="N",
        help="the N most frequent English pieces are always candidates (default: "
        f"{SHORTLIST_ALWAYS}); the special tokens always are",
    )
    shortlist.add_argument("--model-dir", help="NEWSDESK_MODEL_DIR")
    shortlist.add_argument(
        "--quantization",
        choices=QUANTIZATIONS,
        default="int8",
        help="the conversion to write into (default: int8)",
    )
    shortlist.set_defaults(func=models_shortlist)


def models_shortlist(args: argparse.Namespace) -> int:
    """`newsdesk models shortlist`: vmap.txt into each model's conversion, from a
    parallel corpus or the model's own outputs (services/common/models/shortlist.py)."""
    needs("serve", *SERVE_NEEDS)
    from services.common.models.shortlist import (
        ShortlistError,
        from_parallel,
        read_monolingual,
        read_parallel,
        write_shortlist,
    )
    from services.common.models.store import ModelNotFound, ModelSpec, locate_converted
    from services.tools.models import model_dir_of
    from services.translator.config import model_specs

    model_dir = model_dir_of(args)
    try:
        specs = (
            [ModelSpec.parse(m, name="model") for m in args.model]
            if args.model
            else list(model_specs(os.environ).values())
        )
    except ValueError as err:
        raise CliError(str(err)) from None
    try:
        pairs = read_parallel(Path(args.parallel)) if args.parallel else []
        texts = read_monolingual(Path(args.monolingual)) if args.monolingual else []
        for spec in dict.fromkeys(specs):
            local = locate_converted(model_dir, spec, args.quantization)
            if pairs:
                vmap = from_parallel(local.path, pairs, args.top, args.always)
            else:
                vmap = _from_outputs(local, args, texts)
            path = write_shortlist(local.path, vmap)
            print(f"{spec} ctranslate2 {args.quantization}: shortlist written  {path}")
            print(f"  {vmap.summary()}")
    except (ModelNotFound, ShortlistError) as err:
        raise CliError(str(err)) from None
    print("# to decode over it (ctranslate2 engine; read at start):")
    print("export NEWSDESK_TRANSLATOR_SHORTLIST=true")
    return 0


def _from_outputs(local: Any, args: argparse.Namespace, texts: list[str]) -> Any:
    """The shortlist of the model's own greedy outputs on `texts` (shortlist off)."""
    from services.common.engines.base import EngineSettings
    from services.common.engines.ct2 import CTranslate2Engine
    from services.common.models.shortlist import from_outputs
    from services.translator.prepare import generation_spec

    print(f"translating {len(texts)} lines with {local.spec} …", file=sys.stderr)
    settings = EngineSettings("ctranslate2", args.quantization)
    engine = CTranslate2Engine(local.path, local.spec, local.commit, settings)
    spec = generation_spec(engine, 1)
    vmap, skipped = from_outputs(local.path, engine, texts, spec, args.top, args.always)
    if skipped:
        print(f"  skipped {skipped} lines longer than the model window", file=sys.stderr)
    return vmap


def _at_least(low: int) -> Any:
    """An argparse type: an integer of at least `low`."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not an integer") from None
        if number < low:
            raise argparse.ArgumentTypeError(f"{number} is less than {low}")
        return number

    return parse
