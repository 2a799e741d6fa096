"""`newsdesk brief | translate | summarize FILE|-|DIR`: one document, stdin, or a folder;
`newsdesk detect [TEXT|FILE|-]`.

A file or stdin: the result as text, `--json` or `--jsonl` (one line); its bytes are
decoded strictly (inputs.py: UTF-8 unless `--encoding`), and one that is not text or is
empty is refused naming it (exit 2), as is a missing file. Errors name the file, not
the request field the server named. A folder: every
.txt in it (`--recursive`: below it too) through folder.py — outputs per input
(`--out DIR` mirrors the tree), resume, a failures file, progress, Ctrl-C — or, with
`--jsonl` and no `--out`, one JSON object per input on stdout as results arrive
(`--ordered` keeps input order). A folder run whose outputs cannot be written exits 4,
one that stopped because a service had gone exits 3 (folder.py says when).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsdesk_client.aio import AsyncNewsdeskClient, SummarizeOptions
from newsdesk_client.cli import folder, inputs
from newsdesk_client.cli.commands import CliError, _config
from newsdesk_client.cli.inputs import encoding_option as encoding_option  # for cli.py
from newsdesk_client.errors import NewsdeskError
from newsdesk_client.sync import NewsdeskClient
from newsdesk_client.types import Brief, Summary, Translation, flag_warning

# The servers' ranges (services/summarizer/servicer.py, services/translator/servicer.py):
# checked here too, so a bad value is a usage error before anything is sent.
RANGES = {
    "summary_words": (10, 400),
    "headline_words": (3, 30),
    "bullets": (3, 5),
    "bullet_words": (10, 100),
    "beams": (1, 8),
}


def in_range(name: str) -> Callable[[str], int]:
    """An argparse type: an integer within the server's range for `name`."""
    low, high = RANGES[name]

    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{raw!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is outside {low}..{high}")
        return value

    return parse


# The source languages the chain reads (what --source-language offers and completes).
SOURCE_LANGUAGES = ("uk", "ru", "en", "be")


def style_options(args: argparse.Namespace) -> dict[str, Any]:
    """house_style / style_entries from --no-house-style and --style-entry V=P."""
    entries: dict[str, str] = {}
    for raw in args.style_entry:
        variant, sep, preferred = raw.partition("=")
        if not sep or not variant.strip() or not preferred.strip():
            raise CliError(f"--style-entry {raw!r}: expected VARIANT=PREFERRED")
        entries[variant.strip()] = preferred.strip()
    if args.no_house_style and entries:
        raise CliError("--style-entry cannot be used with --no-house-style")
    return {"house_style": not args.no_house_style, "style_entries": entries or None}


def summary_options(args: argparse.Namespace) -> SummarizeOptions:
    """The summarize/brief options given on the command line (None: the server's)."""
    return {
        "summary_max_words": getattr(args, "summary_words", None),
        "headline_max_words": getattr(args, "headline_words", None),
        "bullet_count": getattr(args, "bullets", None),
        "bullet_max_words": getattr(args, "bullet_words", None),
        "num_beams": args.beams,
        **style_options(args),  # type: ignore[typeddict-item]
    }


async def _brief(client: AsyncNewsdeskClient, text: str, args: argparse.Namespace) -> Brief:
    (outcome,) = await client.brief_many(
        [text], concurrency=1, source_language=args.source_language, **summary_options(args)
    )
    if outcome.brief is None:
        assert isinstance(outcome.error, NewsdeskError)
        raise outcome.error
    return outcome.brief


async def _translate(
    client: AsyncNewsdeskClient, text: str, args: argparse.Namespace
) -> Translation:
    (outcome,) = await client.translate_each(
        [text], source_language=args.source_language, num_beams=args.beams, **style_options(args)
    )
    if outcome.translation is None:
        assert isinstance(outcome.error, NewsdeskError)
        raise outcome.error
    return outcome.translation


async def _summarize(client: AsyncNewsdeskClient, text: str, args: argparse.Namespace) -> Summary:
    return await client.summarize(text, **summary_options(args))


def _brief_json(b: Brief, args: argparse.Namespace) -> dict[str, Any]:
    data = b.to_dict()
    if not args.with_translation:
        data.pop("english_text")
    return data


def _brief_text(b: Brief, args: argparse.Namespace) -> str:
    head = "\n".join(b.source_lines(bool(args.source_language)))
    return f"{head}\n\n{b.to_text(args.with_translation, args.with_sources)}"


def _brief_markdown(b: Brief, args: argparse.Namespace) -> str:
    about = [f"_{line}_  " for line in b.source_lines(bool(args.source_language))]
    lines = [*about, "", f"# {b.headline}", "", b.summary, ""]
    for i, bullet in enumerate(b.bullets):
        lines.append(f"- {bullet}")
        if args.with_sources and i < len(b.sources):
            lines += [f"  > {o.text}" for o in b.sources[i].original]
    if b.bullet_shortfall_detail:
        lines += ["", f"_{b.bullet_shortfall_detail}_"]
    if args.with_translation:
        lines += ["", "## English text", "", b.english_text]
    return "\n".join(lines) + "\n"


def _translation_json(t: Translation, args: argparse.Namespace) -> dict[str, Any]:
    return t.to_dict()


def _translation_text(t: Translation, args: argparse.Namespace) -> str:
    return t.text.rstrip("\n") + "\n"


def _summary_json(s: Summary, args: argparse.Namespace) -> dict[str, Any]:
    return s.to_dict()


def _summary_text(s: Summary, args: argparse.Namespace) -> str:
    parts = [s.headline, "", s.summary, "", *(f"• {b}" for b in s.bullets)]
    if s.bullet_shortfall_detail:
        parts += ["", f"({s.bullet_shortfall_detail})"]
    return "\n".join(parts).rstrip() + "\n"


@dataclass(frozen=True)
class DocCommand:
    """How one command calls the services and writes its result."""

    name: str
    call: Callable[[AsyncNewsdeskClient, str, argparse.Namespace], Awaitable[Any]]
    to_json: Callable[[Any, argparse.Namespace], dict[str, Any]]
    to_text: Callable[[Any, argparse.Namespace], str]
    # Folder outputs: the JSON one first, then the one a person reads.
    suffixes: tuple[str, str]
    to_file: Callable[[Any, argparse.Namespace], str]


COMMANDS = {
    "brief": DocCommand(
        "brief", _brief, _brief_json, _brief_text, (".json", ".md"), _brief_markdown
    ),
    "translate": DocCommand(
        "translate",
        _translate,
        _translation_json,
        _translation_text,
        (".en.json", ".en.txt"),
        _translation_text,
    ),
    "summarize": DocCommand(
        "summarize",
        _summarize,
        _summary_json,
        _summary_text,
        (".summary.json", ".summary.md"),
        _summary_text,
    ),
}
# Outputs are never taken for inputs, whichever command wrote them.
OUTPUT_TXT = tuple(s for c in COMMANDS.values() for s in c.suffixes if s.endswith(".txt"))


def run(args: argparse.Namespace) -> int:
    """The entry point of `newsdesk brief | translate | summarize`."""
    command = COMMANDS[args.command]
    if args.concurrency < 1:
        raise CliError("--concurrency must be at least 1")
    path = Path(args.path)
    if args.path != "-" and path.is_dir():
        return asyncio.run(_folder(command, path, args))
    if args.path != "-" and not path.is_file():
        raise CliError(f"{path}: no such file or folder")
    name = "stdin" if args.path == "-" else args.path
    text = read_text(None if args.path == "-" else path, name, args.encoding)
    return asyncio.run(_single(command, text, name, args))


def read_text(path: Path | None, name: str, encoding: str | None) -> str:
    """The text of a file (None: stdin), or CliError (exit 2) naming it."""
    try:
        return inputs.read(path, name, encoding)
    except inputs.InputError as exc:
        raise CliError(str(exc)) from None


async def _single(command: DocCommand, text: str, name: str, args: argparse.Namespace) -> int:
    async with AsyncNewsdeskClient(_config(args)) as client:
        try:
            result = await command.call(client, text, args)
        except NewsdeskError as failed:
            err = failed.about(name)  # the file, not the request field
            print(f"newsdesk: {err}", file=sys.stderr)
            return folder.EXIT_UNAVAILABLE if err.code == "UNAVAILABLE" else folder.EXIT_FAILED
    if isinstance(result, Brief):
        warning = flag_warning(result.flags)
    elif isinstance(result, Translation):
        warning = flag_warning(result.segments.flags)
    else:
        warning = ""
    if warning:
        print(f"newsdesk: {warning}", file=sys.stderr)
    if args.jsonl:
        print(json.dumps(command.to_json(result, args), ensure_ascii=False))
    elif args.json:
        print(json.dumps(command.to_json(result, args), ensure_ascii=False, indent=2))
    else:
        print(command.to_text(result, args), end="")
    return folder.EXIT_OK


async def _folder(command: DocCommand, root: Path, args: argparse.Namespace) -> int:
    out = Path(args.out) if args.out else None
    writes = not (args.jsonl and out is None)
    try:
        plan = folder.plan_items(
            root, out, command.suffixes, recursive=args.recursive, follow=args.follow_links
        )
    except OSError as exc:
        raise CliError(f"{root}: cannot list the folder: {exc.strerror or exc}") from None
    items = [i for i in plan.items if not i.source.name.endswith(OUTPUT_TXT)]
    if not items:
        links = plan.links_skipped
        raise CliError(
            f"{root}: no .txt files"
            + (f" ({links} linked, leading outside it: --follow-links?)" if links else "")
            + ("" if args.recursive else " (--recursive?)")
        )
    todo = [i for i in items if args.force or not writes or not i.done()]
    failures = Path(args.failures) if args.failures else (out or root) / folder.FAILURES_NAME
    ordered = _Ordered(todo) if args.jsonl and args.ordered else None
    targets = [out or root] if writes else []
    targets += [failures.parent] if writes or args.failures else []
    try:
        # Before anything is sent: a run that could keep nothing stops here.
        for target in dict.fromkeys(targets):
            folder.check_writable(target)
    except folder.CannotWrite as exc:
        print(f"newsdesk: {exc}", file=sys.stderr)
        return folder.EXIT_CANNOT_WRITE

    def line(item: folder.Item, result: Any, error: NewsdeskError | None) -> str:
        if error is not None:
            record: dict[str, Any] = {"input": item.name, "ok": False}
            record["error"] = folder.error_record(item.name, error)
        else:
            record = {"input": item.name, "ok": True, **command.to_json(result, args)}
        return json.dumps(record, ensure_ascii=False)

    def outputs(item: folder.Item, result: Any) -> list[tuple[Path, str]]:
        json_path, text_path = item.outputs
        # The JSON output last: it is what marks the item done for a resumed run.
        return [
            (text_path, command.to_file(result, args)),
            (
                json_path,
                json.dumps(command.to_json(result, args), ensure_ascii=False, indent=2) + "\n",
            ),
        ]

    def emit(item: folder.Item, result: Any, error: NewsdeskError | None) -> None:
        if error is not None and not args.jsonl:
            print(f"{item.name}: {error}", file=sys.stderr)
        if args.jsonl:
            if ordered is None:
                print(line(item, result, error), flush=True)
            else:
                for text in ordered.ready(item, line(item, result, error)):
                    print(text, flush=True)

    progress = folder.Progress(len(todo), quiet=args.quiet or (args.jsonl and out is None))
    async with AsyncNewsdeskClient(_config(args)) as client:

        async def work(item: folder.Item, text: str) -> Any:
            try:
                return await command.call(client, text, args)
            except NewsdeskError as err:
                # Each line and record names the input already: not the request field.
                raise err.about("") from None

        summary = await folder.run(
            todo,
            work,
            emit,
            concurrency=args.concurrency,
            progress=progress,
            outputs=outputs if writes else None,
            skipped=len(items) - len(todo),
            links_skipped=plan.links_skipped,
            encoding=args.encoding,
        )
    unrecorded = ""
    if writes or args.failures:
        try:
            folder.write_failures(failures, summary)
        except OSError as exc:
            unrecorded = f"cannot write the failures file {failures}: {exc.strerror or exc}"
    print(summary.line(), file=sys.stderr)
    if summary.failures and (writes or args.failures) and not unrecorded:
        print(f"failures: {failures}", file=sys.stderr)
    if summary.service_down:
        resume = "; inputs already done are skipped" if writes else ""
        if writes and args.force:
            resume += " without --force"
        print(
            f"newsdesk: stopped: {summary.service_down}; no more inputs were started. Start "
            "it (`newsdesk serve` or `docker compose up`; `newsdesk health` checks), then run "
            f"the same command again{resume}",
            file=sys.stderr,
        )
    if summary.cannot_write or unrecorded:
        # One message, whichever write failed first.
        print(f"newsdesk: {summary.cannot_write or unrecorded}", file=sys.stderr)
        if not summary.interrupted:
            return folder.EXIT_CANNOT_WRITE
    return summary.exit_code


class _Ordered:
    """Holds finished results back until every earlier input has finished."""

    def __init__(self, items: list[folder.Item]) -> None:
        self.position = {item.name: i for i, item in enumerate(items)}
        self.waiting: dict[int, str] = {}
        self.next = 0

    def ready(self, item: folder.Item, text: str) -> list[str]:
        """The lines that can be printed now, in input order."""
        self.waiting[self.position[item.name]] = text
        out = []
        while self.next in self.waiting:
            out.append(self.waiting.pop(self.next))
            self.next += 1
        return out


def detect(args: argparse.Namespace) -> int:
    """`newsdesk detect [TEXT|FILE|-] [--text TEXT]`: the language and the ranked
    candidates (which argument is a file, which a text: inputs.detect_text)."""
    if args.input is None and args.text is None and sys.stdin.isatty():
        raise CliError("give a FILE, --text TEXT, or - (or pipe text in)")
    try:
        name, text = inputs.detect_text(args.input, args.text, args.encoding)
    except inputs.InputError as exc:
        raise CliError(str(exc)) from None
    with NewsdeskClient(_config(args)) as client:
        try:
            d = client.detect(text, top_k=args.top_k)
        except NewsdeskError as failed:
            err = failed.about(name)  # the file, not the request field
            print(f"newsdesk: {err}", file=sys.stderr)
            return folder.EXIT_UNAVAILABLE if err.code == "UNAVAILABLE" else folder.EXIT_FAILED
    if args.json:
        candidates = [{"language": c.language, "probability": c.probability} for c in d.candidates]
        data = {
            k: getattr(d, k) for k in ("language", "confidence", "reliable", "status", "script")
        }
        print(json.dumps({**data, "candidates": candidates}, ensure_ascii=False))
        return folder.EXIT_OK
    flag = "reliable" if d.reliable else "NOT reliable"
    print(f"{d.language}  {d.confidence:.3f}  {flag}  ({d.status}, script {d.script or '-'})")
    for c in d.candidates:
        print(f"  {c.language:<4} {c.probability:.3f}")
    return folder.EXIT_OK
