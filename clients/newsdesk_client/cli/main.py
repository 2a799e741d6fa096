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

exit codes: 0 ok; 1 some items failed; 2 usage: a bad flag, a missing file, an input
that is empty or not text in its encoding (UTF-8 unless --encoding), or a command whose
extra is not installed; 3 a service unavailable for every item, or a folder run stopped
because one went away (rerun to resume); 4 a folder's outputs cannot be written (full
disk, read-only, not a folder); 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import sys

from newsdesk_client.cli import commands
from newsdesk_client.cli import documents as doc_commands
from newsdesk_client.cli.documents import in_range
from services.tools import eval as eval_commands
from services.tools import models as model_commands

# The CTranslate2 quantizations `models convert` makes (services.common.models.store has the
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
        p.add_argument(
            "path", help="a file, - for stdin, or a folder of .txt files (UTF-8: --encoding)"
        )
        doc_commands.encoding_option(p)
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
        p.add_argument(
            "--bullet-words",
            type=in_range("bullet_words"),
            help="longest bullet in words, 10..100 (64); a bullet is a whole sentence, never cut",
        )

    def source(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--source-language",
            default="",
            type=str.lower,
            choices=doc_commands.SOURCE_LANGUAGES,
            metavar="CODE",
            help="uk, ru, en or be (if the translator serves it): skip detection (what "
            "LANGUAGE_UNCERTAIN asks for)",
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
        description="The language of a text, a file or stdin, with ranked candidates.",
        epilog="""examples:
  newsdesk detect article.txt --top-k 5
  newsdesk detect --text 'Київ'
  echo 'Где аэропорт?' | newsdesk detect --json
  newsdesk detect 'Де аеропорт?'

ARG is a file when one exists there. Otherwise an ARG that looks like a path (it has a
/, ends in an extension such as .txt, .md, .json, or has no spaces) is an error: "FILE:
no such file" (exit 2); other words are the text itself. --text TEXT is always text.""",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    detect.add_argument(
        "input",
        nargs="?",
        metavar="ARG",
        help="a FILE, - for stdin (the default), or a text with spaces (see below)",
    )
    detect.add_argument("--text", help="the text whose language to detect")
    detect.add_argument("--top-k", type=int, default=3, help="candidates to show (3)")
    detect.add_argument("--json", action="store_true", help="print JSON")
    doc_commands.encoding_option(detect)
    # Only the detector: the other services' addresses would be offered for nothing
    # (still accepted, unlisted, so scripts that pass all three keep working).
    detect.add_argument("--detector", help="detector address (NEWSDESK_DETECTOR_ADDR)")
    detect.add_argument("--timeout", type=float, help="per-call deadline in seconds")
    for unused in ("--translator", "--summarizer"):
        detect.add_argument(unused, help=argparse.SUPPRESS)
    detect.set_defaults(func=doc_commands.detect)

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

    info = sub.add_parser(
        "info",
        help="what each service serves: models, revisions, engines, limits, language pairs",
        description="Each service's Info: model ids and revisions, engine, input limits,\n"
        "quality notes, and the translator's language pairs.",
        epilog="examples:\n  newsdesk info\n  newsdesk info --json | jq .translator.models"
        "\n\nexit codes: 0 every service answered; 1 some did not; 3 none did.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    info.add_argument("--json", action="store_true", help="print JSON")
    addresses(info)
    info.set_defaults(func=commands.info)

    serve = sub.add_parser(
        "serve",
        help="run the three services locally until Ctrl-C",
        description="""Run the detector, translator and summarizer as local processes, print
where each listens once it is SERVING, and drain them on Ctrl-C or SIGTERM. Ports are
checked before anything is built or started; a service that cannot start or dies is
named on the terminal with the reason and hint from its log. Logs are removed after a
clean stop, and kept (and named) when something failed.""",
        epilog="""examples:
  newsdesk serve                                  # :50051, :50052, :50053 on 127.0.0.1
  newsdesk serve --ports 6051,6052,6053
  newsdesk serve --translator-port 0              # any free port, printed when SERVING
  newsdesk serve --host 0.0.0.0                   # reachable from other machines
  newsdesk serve --local-models                   # tiny random models (output is noise)

ports: --detector-port, --translator-port, --summarizer-port, else --ports D,T,S,
else NEWSDESK_DETECTOR_PORT, NEWSDESK_TRANSLATOR_PORT, NEWSDESK_SUMMARIZER_PORT, else
50051, 50052, 50053; NEWSDESK_*_METRICS_PORT turns /metrics on. The services read the
other NEWSDESK_* variables as they do in containers.

exit codes: 0 stopped by Ctrl-C/SIGTERM, every service drained; 1 a service died while
serving (named, with its exit code or signal) or did not stop cleanly; 2 usage (a bad
flag or variable, a port taken, a missing extra); 3 a service could not start (its
model missing or unloadable, or never healthy: the reason is printed).""",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument(
        "--model-dir",
        metavar="DIR",
        help="the models (NEWSDESK_MODEL_DIR; default ~/.cache/newsdesk/models); with "
        "--local-models, where the tiny models are built (default "
        "~/.cache/newsdesk/local-models; never a folder of pulled models)",
    )
    serve.add_argument(
        "--local-models",
        action="store_true",
        help="build and serve the tiny offline test models (output is noise)",
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address all three listen on (default 127.0.0.1: this machine only; "
        "0.0.0.0: every interface)",
    )
    serve.add_argument(
        "--ports",
        type=commands.port_list,
        metavar="D,T,S",
        help="detector, translator and summarizer ports (0: any free port)",
    )
    for name, default in (("detector", 50051), ("translator", 50052), ("summarizer", 50053)):
        serve.add_argument(
            f"--{name}-port",
            type=commands.port,
            metavar="PORT",
            help=f"the {name}'s port (NEWSDESK_{name.upper()}_PORT; default {default})",
        )
    serve.add_argument(
        "--log-dir",
        metavar="DIR",
        help="write the services' logs here and keep them (default: a temporary "
        "folder, removed after a clean stop)",
    )
    serve.set_defaults(func=commands.serve)

    smoke = sub.add_parser(
        "smoke",
        help="offline run of the whole chain on tiny random models (noise)",
        description="Build tiny random-weight models, start the three services on free "
        "ports, brief one article through them, stop them. Nothing is left behind: "
        "the models are built in a temporary folder unless --model-dir, and the logs "
        "are kept only when something failed.",
    )
    smoke.add_argument(
        "--model-dir",
        metavar="DIR",
        help="build (and keep) the tiny models here; never a folder of pulled models",
    )
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
