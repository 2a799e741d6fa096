"""The `newsdesk` command line: briefs, translations, summaries and language IDs from
the shell, folders of thousands of files, and the local services.

examples:
  newsdesk brief article.txt                  # a brief shaped like a wire story
  newsdesk brief article.txt --with-sources   # each bullet with its original sentence
  newsdesk brief - --json < article.txt
  newsdesk brief articles/ --out briefs/ --recursive --concurrency 8   # resumable
  newsdesk translate article.uk.txt           # the English text
  newsdesk summarize english.txt --bullets 3
  echo "Де аеропорт?" | newsdesk detect       # language, confidence, candidates
  newsdesk serve                              # the three services as local processes
  newsdesk smoke                              # the whole chain offline, tiny models (noise)
  newsdesk models pull                        # fetch the pinned models (needs internet)
  newsdesk eval summarization --data articles.tsv

exit codes: 0 ok; 1 some items failed; 2 usage (or a command whose extra is not
installed); 3 a service unavailable for every item; 4 a folder's outputs cannot be
written (full disk, read-only, not a folder); 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import sys

from newsdesk_client import commands, doc_commands, eval_commands, model_commands
from newsdesk_client.doc_commands import in_range

# The CTranslate2 quantizations `models convert` makes (services.common.models has the
# same list; the client must not import the services package).
QUANTIZATIONS = ["int8", "int8_float32", "float32"]

_EXAMPLES = {
    "brief": """examples:
  newsdesk brief article.txt
  newsdesk brief article.txt --with-sources --source-language uk
  newsdesk brief - --jsonl < article.txt | jq .headline
  newsdesk brief articles/ --out briefs/ --recursive --concurrency 8
  newsdesk brief articles/ --jsonl --ordered > briefs.jsonl

A folder: every .txt → NAME.json + NAME.md (under --out DIR, mirroring the tree, or
beside each input); inputs whose outputs exist are skipped unless --force, so an
interrupted run resumes; failures (the services', and files that cannot be read or
written) go to newsdesk-failures.jsonl and the run goes on; a full disk or read-only
folder stops it (exit 4); links leading outside the folder are skipped unless
--follow-links; Ctrl-C finishes the files in flight, then stops.""",
    "translate": """examples:
  newsdesk translate article.txt > article.en.txt
  newsdesk translate article.txt --source-language ru --json
  newsdesk translate articles/ --out english/ --recursive

A folder: every .txt → NAME.en.txt + NAME.en.json.""",
    "summarize": """examples:
  newsdesk summarize english.txt
  newsdesk summarize english.txt --bullets 3 --summary-words 40 --json
  newsdesk summarize stories/ --out summaries/

A folder: every .txt → NAME.summary.md + NAME.summary.json.""",
}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsdesk")
    except PackageNotFoundError:
        return "unknown (not installed)"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="newsdesk",
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"newsdesk {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    def addresses(p: argparse.ArgumentParser) -> None:
        p.add_argument("--detector", help="detector address (NEWSDESK_DETECTOR_ADDR)")
        p.add_argument("--translator", help="translator address (NEWSDESK_TRANSLATOR_ADDR)")
        p.add_argument("--summarizer", help="summarizer address (NEWSDESK_SUMMARIZER_ADDR)")
        p.add_argument("--timeout", type=float, help="per-call deadline in seconds")

    def document(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=_EXAMPLES[name],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.add_argument("path", help="a file, - for stdin, or a folder of .txt files")
        out = p.add_mutually_exclusive_group()
        out.add_argument("--json", action="store_true", help="print JSON")
        out.add_argument(
            "--jsonl",
            action="store_true",
            help="one JSON object per input, streamed as results arrive (a folder "
            "without --out: to stdout only, no files)",
        )
        p.add_argument("--ordered", action="store_true", help="--jsonl in input order")
        p.add_argument("--beams", type=in_range("beams"), help="beam width, 1..8")
        p.add_argument(
            "--no-house-style",
            action="store_true",
            help="leave place names as the model wrote them (no house-style rewrite)",
        )
        p.add_argument(
            "--style-entry",
            action="append",
            default=[],
            metavar="VARIANT=PREFERRED",
            help="an extra house-style rule, e.g. 'Artemovsk=Bakhmut' (repeatable)",
        )
        folder = p.add_argument_group("folders")
        folder.add_argument("--out", metavar="DIR", help="write outputs here, mirroring the tree")
        folder.add_argument("--recursive", action="store_true", help="also .txt in subfolders")
        folder.add_argument(
            "--follow-links",
            action="store_true",
            help="also read linked files and folders that lead outside the folder "
            "(skipped by default, counted in the summary)",
        )
        folder.add_argument("--force", action="store_true", help="redo inputs already done")
        folder.add_argument("--concurrency", type=int, default=4, help="files in flight (4)")
        folder.add_argument(
            "--failures",
            metavar="FILE",
            help="failures file (default: OUT/" + "newsdesk-failures.jsonl)",
        )
        folder.add_argument("--quiet", action="store_true", help="no progress output")
        addresses(p)
        p.set_defaults(func=doc_commands.run)
        return p

    def summary_flags(p: argparse.ArgumentParser) -> None:
        p.add_argument("--summary-words", type=in_range("summary_words"), help="10..400 (60)")
        p.add_argument("--headline-words", type=in_range("headline_words"), help="3..30 (15)")
        p.add_argument("--bullets", type=in_range("bullets"), help="bullets asked for, 3..5 (4)")

    def source(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--source-language",
            default="",
            metavar="CODE",
            help="uk, ru or en: skip detection (what LANGUAGE_UNCERTAIN asks for)",
        )

    brief = document("brief", "detect → translate → summarize: a brief of each article")
    source(brief)
    summary_flags(brief)
    brief.add_argument("--with-translation", action="store_true", help="include the English")
    brief.add_argument(
        "--with-sources",
        action="store_true",
        help="print each bullet with the original sentence(s) it came from",
    )
    translate = document("translate", "the English translation of uk or ru articles")
    source(translate)
    summarize = document("summarize", "headline, summary and bullets of English articles")
    summary_flags(summarize)

    detect = sub.add_parser(
        "detect",
        help="language of a text, with ranked candidates",
        epilog="examples:\n  newsdesk detect 'Де аеропорт?'\n  newsdesk detect article.txt"
        " --top-k 5\n  echo 'Где аэропорт?' | newsdesk detect --json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    detect.add_argument("text", nargs="?", help="TEXT, a FILE, or - for stdin (the default)")
    detect.add_argument("--top-k", type=int, default=3, help="candidates to show (3)")
    detect.add_argument("--json", action="store_true", help="print JSON")
    addresses(detect)
    detect.set_defaults(func=commands.detect)

    completion = sub.add_parser(
        "completion",
        help="print a shell completion script (bash or zsh)",
        epilog="examples:\n  newsdesk completion bash > ~/.local/share/bash-completion/"
        'completions/newsdesk\n  newsdesk completion zsh > "${fpath[1]}/_newsdesk"',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    completion.add_argument("shell", choices=["bash", "zsh"])
    completion.set_defaults(func=lambda args: _completion(parser, args.shell))

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
    build.add_argument(
        "--size",
        choices=["tiny", "full", "big"],
        default="tiny",
        help="tiny (tests), full (opus-mt base, distilbart), big (transformer-big, the "
        "default translator's shape)",
    )
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


def _completion(parser: argparse.ArgumentParser, shell: str) -> int:
    """The completion script for `shell`, generated from this parser by shtab."""
    import shtab

    print(shtab.complete(parser, shell=shell))
    return 0


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
