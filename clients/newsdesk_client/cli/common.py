"""What every `newsdesk` command shares: the usage error, the client configuration from
the flags, exit codes, the address flags, the range checks, and the way a command adds
its parser. Command modules (and the plugin commands in services/tools) import this
module only, never each other's private helpers.

A command module offers `register(sub)`, which adds its subcommand(s) to the
`newsdesk` parser, each with `set_defaults(func=...)`: a function of the parsed
arguments that returns the exit code. The client's own modules are registered by
main.py; the commands that run or build services are plugins (the entry-point group
`newsdesk.commands` in pyproject.toml).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from newsdesk_client.config import ClientConfig
from newsdesk_shared.limits import Range

if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]

# Exit codes (the README and `newsdesk --help` list them; 2 is argparse's usage error).
EXIT_OK, EXIT_FAILED, EXIT_UNAVAILABLE, EXIT_CANNOT_WRITE, EXIT_INTERRUPTED = 0, 1, 3, 4, 130
SERVICE_NAMES = ("detector", "translator", "summarizer")
# Where the CLI finds the archive (no default: unset, no archive is asked).
ARCHIVE_ENV = "NEWSDESK_ARCHIVE_ADDR"
# `newsdesk serve` runs the archive here (its default port).
ARCHIVE_LOCAL = "localhost:50054"
# The source languages the chain reads (what --source-language offers and completes).
SOURCE_LANGUAGES = ("uk", "ru", "en", "be")


class CliError(Exception):
    """A user-facing error: printed without a traceback, exit code 2."""


def client_config(args: argparse.Namespace) -> ClientConfig:
    """The client configuration: NEWSDESK_* variables, overridden by the address flags
    (--archive-addr too) and --timeout (every deadline) when given."""
    timeout = getattr(args, "timeout", None)
    stages = ("detect", "translate", "summarize", "archive")
    deadlines = {f"{stage}_timeout": timeout for stage in stages} if timeout else {}
    return ClientConfig.from_env(
        None,
        detector=getattr(args, "detector", None),
        translator=getattr(args, "translator", None),
        summarizer=getattr(args, "summarizer", None),
        archive=getattr(args, "archive_addr", None),
        **deadlines,
    )


def no_archive_message(what: str) -> str:
    """Why `what` cannot run without an archive address, and how to give one."""
    return (
        f"{what} needs an archive: set {ARCHIVE_ENV}=HOST:PORT or pass --archive-addr "
        f"HOST:PORT (`newsdesk serve` runs one on {ARCHIVE_LOCAL})"
    )


def require_archive(config: ClientConfig, what: str) -> ClientConfig:
    """`config`, or CliError (exit 2) when it has no archive address."""
    if not config.archive:
        raise CliError(no_archive_message(what))
    return config


def iso_date(raw: str) -> str:
    """An argparse type: a calendar date written YYYY-MM-DD (returned as written)."""
    try:
        if len(raw) != 10:
            raise ValueError
        date.fromisoformat(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{raw!r} is not a date written YYYY-MM-DD, e.g. 2021-04-10"
        ) from None
    return raw


def add_command(
    sub: Subparsers,
    name: str,
    help_text: str,
    *,
    description: str | None = None,
    epilog: str | None = None,
    func: Callable[[argparse.Namespace], int] | None = None,
) -> argparse.ArgumentParser:
    """A subcommand whose description and epilog keep their line breaks."""
    parser = sub.add_parser(
        name,
        help=help_text,
        description=description or help_text,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    if func is not None:
        parser.set_defaults(func=func)
    return parser


def addresses(parser: argparse.ArgumentParser, *names: str) -> None:
    """--detector/--translator/--summarizer/--archive-addr (those `names`, "archive" for
    the archive; default the three model services) and --timeout. Leaving some out still
    accepts them, unlisted, so scripts that pass them all keep working: `addresses(p,
    "archive")` lists only --archive-addr, `addresses(p, *SERVICE_NAMES, "archive")`
    all four."""
    for name in SERVICE_NAMES:
        variable = f"NEWSDESK_{name.upper()}_ADDR"
        shown = not names or name in names
        parser.add_argument(
            f"--{name}", help=f"{name} address ({variable})" if shown else argparse.SUPPRESS
        )
    parser.add_argument(
        "--archive-addr",
        metavar="ADDR",
        help=f"archive address ({ARCHIVE_ENV}): set, briefs get background bullets from "
        "the archive; unset, none is asked"
        if "archive" in names
        else argparse.SUPPRESS,
    )
    parser.add_argument("--timeout", type=float, help="per-call deadline in seconds")


def in_range(*ranges: Range) -> Callable[[str], int]:
    """An argparse type: a whole number within every one of `ranges` (the limits table,
    newsdesk_shared.limits), so a value a server would refuse is a usage error before
    anything is sent."""
    low = max(r.low for r in ranges)
    high = min(r.high for r in ranges)

    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{raw!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is outside {low}..{high}")
        return value

    return parse


def range_option(
    parser: argparse.ArgumentParser | argparse._ArgumentGroup,
    flag: str,
    *ranges: Range,
    extra: str = "",
    server_default: bool = False,
) -> None:
    """An integer option checked against `ranges` (every one of them: --beams of a
    brief holds for both models), its help the table's meaning, range and default:
    "words of the summary, 10..400 (60)" (`server_default`: the server's setting)."""
    low, high = max(r.low for r in ranges), min(r.high for r in ranges)
    default = "default: the server's setting" if server_default else str(ranges[0].default)
    parser.add_argument(
        flag,
        type=in_range(*ranges),
        help=f"{ranges[0].meaning}, {low}..{high} ({default}){extra}",
    )
