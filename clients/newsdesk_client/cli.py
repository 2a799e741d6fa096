"""The `newsdesk` command line: brief, detect, health, serve, smoke, models, eval.

newsdesk brief article.txt            # a brief shaped like a wire story
newsdesk brief - --json < article.txt
newsdesk brief article.txt --with-sources   # each bullet with its original sentence
newsdesk brief articles/              # every .txt → .json and .md beside it
newsdesk serve                        # the three services as local processes
newsdesk smoke                        # the whole chain offline, tiny models (noise)
newsdesk models pull                  # fetch the pinned models (needs internet), convert
newsdesk models convert ORG/NAME@REV  # a snapshot → CTranslate2 int8, beside it
newsdesk eval translation --data uk-en.tsv
newsdesk eval summarization --data articles.tsv   # ROUGE + bullet checks
"""

from __future__ import annotations

import argparse
import sys

from newsdesk_client import commands, eval_commands, model_commands

# The CTranslate2 quantizations `models convert` makes (services.common.models has the
# same list; the client must not import the services package).
QUANTIZATIONS = ["int8", "int8_float32", "float32"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(prog="newsdesk", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def addresses(p: argparse.ArgumentParser) -> None:
        p.add_argument("--detector", help="detector address (NEWSDESK_DETECTOR_ADDR)")
        p.add_argument("--translator", help="translator address (NEWSDESK_TRANSLATOR_ADDR)")
        p.add_argument("--summarizer", help="summarizer address (NEWSDESK_SUMMARIZER_ADDR)")
        p.add_argument("--timeout", type=float, help="per-call deadline in seconds")

    brief = sub.add_parser("brief", help="brief of a file, stdin (-) or every .txt in a folder")
    brief.add_argument("path")
    brief.add_argument("--json", action="store_true", help="print JSON")
    brief.add_argument("--with-translation", action="store_true", help="include English text")
    brief.add_argument("--concurrency", type=int, default=2, help="briefs in flight (folders)")
    brief.add_argument(
        "--with-sources",
        action="store_true",
        help="print each bullet with the original sentence(s) it came from",
    )
    brief.add_argument(
        "--no-house-style",
        action="store_true",
        help="leave place names as the model wrote them (no house-style rewrite)",
    )
    brief.add_argument(
        "--style-entry",
        action="append",
        default=[],
        metavar="VARIANT=PREFERRED",
        help="an extra house-style rule for this run, e.g. 'Artemovsk=Bakhmut' (repeatable)",
    )
    addresses(brief)
    brief.set_defaults(func=commands.brief)

    detect = sub.add_parser("detect", help="language of a text")
    detect.add_argument("text")
    addresses(detect)
    detect.set_defaults(func=commands.detect)

    health = sub.add_parser("health", help="health of each service")
    addresses(health)
    health.set_defaults(func=commands.health)

    serve = sub.add_parser("serve", help="run the three services locally until Ctrl-C")
    serve.add_argument("--model-dir", help="NEWSDESK_MODEL_DIR")
    serve.add_argument(
        "--local-models",
        action="store_true",
        help="build and serve the tiny offline test models (output is noise)",
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.set_defaults(func=commands.serve)

    smoke = sub.add_parser(
        "smoke", help="offline run of the whole chain on tiny random models (noise)"
    )
    smoke.add_argument("--model-dir", help="where to build the tiny models")
    smoke.add_argument("path", nargs="?", help="article to brief (default: a built-in one)")
    smoke.set_defaults(func=commands.smoke)

    def quantization(p: argparse.ArgumentParser) -> None:
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

    models = sub.add_parser("models", help="fetch, convert, build or list models")
    msub = models.add_subparsers(dest="models_command", required=True)
    pull = msub.add_parser("pull", help="download the configured models (needs internet)")
    pull.add_argument("--model-dir", help="NEWSDESK_MODEL_DIR")
    pull.add_argument("--model", action="append", help="ORG/NAME[@REVISION] (repeatable)")
    quantization(pull)
    pull.set_defaults(func=model_commands.models_pull)
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
    convert.set_defaults(func=model_commands.models_convert)
    build = msub.add_parser("build-local", help="build random-weight models locally")
    build.add_argument("--model-dir", help="NEWSDESK_MODEL_DIR")
    build.add_argument("--size", choices=["tiny", "full"], default="tiny")
    quantization(build)
    build.set_defaults(func=model_commands.models_build_local)
    listing = msub.add_parser("list", help="models configured and whether they are present")
    listing.add_argument("--model-dir", help="NEWSDESK_MODEL_DIR")
    listing.set_defaults(func=model_commands.models_list)

    evaluate = sub.add_parser("eval", help="evaluate a service")
    esub = evaluate.add_subparsers(dest="eval_command", required=True)
    tr = esub.add_parser("translation", help="BLEU and chrF on a source<TAB>reference file")
    tr.add_argument("--data", required=True, help="TSV: source<TAB>reference, one header line")
    tr.add_argument("--source-language", default="", help="uk or ru (default: detect)")
    tr.add_argument("--limit", type=int, help="first N rows only")
    tr.add_argument("--batch", type=int, default=16, help="sentences per request")
    addresses(tr)
    tr.set_defaults(func=eval_commands.eval_translation)
    sm = esub.add_parser(
        "summarization",
        help="ROUGE and reference-free bullet checks on an article<TAB>reference file",
    )
    sm.add_argument(
        "--data",
        required=True,
        help="TSV: article<TAB>reference (reference may be empty; \\n for a line break)",
    )
    sm.add_argument("--limit", type=int, default=0, help="first N articles only")
    sm.add_argument("--bullets", type=int, default=None, help="bullets asked for (3..5)")
    sm.add_argument("--concurrency", type=int, default=2, help="articles in flight")
    addresses(sm)
    sm.set_defaults(func=eval_commands.eval_summarization)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # stdout closed early (e.g. `| head`): not an error worth a traceback.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except commands.CliError as err:
        print(f"newsdesk: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
