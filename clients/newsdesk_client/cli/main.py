"""The `newsdesk` command line: briefs, translations, summaries and language IDs from
the shell, folders of thousands of files, the desk's archive, and the local services.

examples:
  newsdesk brief article.txt                  # a brief shaped like a wire story
  newsdesk brief article.txt --with-sources   # each bullet with its original sentence
  newsdesk brief - --json < article.txt
  newsdesk brief articles/ --out briefs/ --recursive --concurrency 8   # resumable
  newsdesk brief article.txt --archive        # background from the archive; stored there
  newsdesk translate article.uk.txt           # the English text
  newsdesk summarize english.txt --bullets 3
  echo "Де аеропорт?" | newsdesk detect       # language, confidence, candidates
  newsdesk archive search "Khomchak"          # earlier coverage (NEWSDESK_ARCHIVE_ADDR)
  newsdesk archive add stories/ --recursive   # translated (uk, ru) and stored
  newsdesk serve                              # the four services (with the archive) locally
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
import os
import sys
from importlib.metadata import EntryPoint, PackageNotFoundError, entry_points, version
from typing import TYPE_CHECKING

from newsdesk_client.cli import archive, commands, documents
from newsdesk_client.cli.common import EXIT_INTERRUPTED, CliError

if TYPE_CHECKING:
    from newsdesk_client.cli.common import Subparsers

# The commands that run or build services (serve, smoke, models, eval) are plugins:
# each entry point of this group is a `register(sub)` (pyproject.toml names them; they
# live in services/tools, which the client never imports itself).
PLUGIN_GROUP = "newsdesk.commands"
# The order `newsdesk --help` lists the project's own plugins in (others follow, by name).
PLUGIN_ORDER = ("serve", "smoke", "models", "eval")


def _version() -> str:
    try:
        return version("newsdesk")
    except PackageNotFoundError:
        return "unknown (not installed)"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand: the client's own, then the plugins'."""
    parser = argparse.ArgumentParser(
        prog="newsdesk",
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"newsdesk {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    documents.register(sub)
    commands.register(sub)
    archive.register(sub)
    completion = sub.add_parser(
        "completion",
        help="print a shell completion script (bash or zsh)",
        epilog="examples:\n  newsdesk completion bash > ~/.local/share/bash-completion/"
        'completions/newsdesk\n  newsdesk completion zsh > "${fpath[1]}/_newsdesk"',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    completion.add_argument("shell", choices=["bash", "zsh"])
    completion.set_defaults(func=lambda args: _completion(parser, args.shell))
    for plugin in plugins():
        _register_plugin(sub, plugin)
    return parser


def plugins() -> list[EntryPoint]:
    """The plugin commands installed, one per name (the first one found)."""
    found: dict[str, EntryPoint] = {}
    for point in entry_points(group=PLUGIN_GROUP):
        found.setdefault(point.name, point)
    rank = {name: i for i, name in enumerate(PLUGIN_ORDER)}
    return sorted(found.values(), key=lambda p: (rank.get(p.name, len(rank)), p.name))


def _register_plugin(sub: Subparsers, point: EntryPoint) -> None:
    """Add a plugin's subcommand; one that cannot be loaded is still offered, and says
    why when run (never a traceback from `newsdesk --help`)."""
    try:
        register = point.load()
    except ImportError as exc:
        _unavailable(sub, point, str(exc))
        return
    register(sub)


def _unavailable(sub: Subparsers, point: EntryPoint, why: str) -> None:
    # Takes any arguments (none is an option of its own), so that running it explains.
    broken = sub.add_parser(
        point.name, help=f"(not available: {why})", add_help=False, prefix_chars="\0"
    )
    broken.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)

    def refuse(args: argparse.Namespace) -> int:
        raise CliError(
            f"`newsdesk {point.name}` cannot be loaded here ({point.value}: {why}); "
            "reinstall newsdesk from its checkout"
        )

    broken.set_defaults(func=refuse)


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
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # stdout closed early (e.g. `| head`): not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except CliError as err:
        print(f"newsdesk: {err}", file=sys.stderr)
        return 2  # usage, as argparse's own errors


if __name__ == "__main__":
    raise SystemExit(main())
