"""`newsdesk archive add | search | show | delete | list | info`: the desk's archive from
the shell, through the client alone (no plugin: nothing of services/ is needed).

Every subcommand needs the archive's address (--archive-addr or NEWSDESK_ARCHIVE_ADDR;
`newsdesk serve` runs one on localhost:50054): without one it is a usage error (exit 2)
saying how to give it. An archive that does not answer exits 3, as the other commands
do; any other refusal is printed as they print it (exit 1): `delete` and `show` of an id
the archive does not hold are NOT_FOUND.

`add` stores articles as the brief chain stores them: uk and ru text goes through the
translator (the English is stored with the original and its language); English is
stored as given. `--language en` never calls the translator, so English articles can
be archived with the archive alone; without --language the translator decides the
language (English passes through it unchanged but for house style).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk_client.aio import AsyncNewsdeskClient
from newsdesk_client.archive import ArchiveInfo, ArchiveItem, RelatedItem
from newsdesk_client.cli import inputs
from newsdesk_client.cli.common import (
    ARCHIVE_ENV,
    ARCHIVE_LOCAL,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_UNAVAILABLE,
    SOURCE_LANGUAGES,
    CliError,
    add_command,
    addresses,
    client_config,
    iso_date,
    range_option,
    require_archive,
)
from newsdesk_client.cli.formats import OUTPUT_TXT
from newsdesk_client.errors import NewsdeskError
from newsdesk_shared.limits import ARCHIVE

if TYPE_CHECKING:
    from newsdesk_client.cli.common import Subparsers

# Characters of an item's text shown where it has no headline (search, list).
SNIPPET_CHARS = 80

_GROUP_EPILOG = f"""examples:
  export {ARCHIVE_ENV}={ARCHIVE_LOCAL}   # where `newsdesk serve` runs it
  newsdesk archive add stories/ --recursive --source Ukrinform
  newsdesk archive add wire.txt --language en --date 2021-03-30 --url https://example.org/a
  newsdesk archive search "Khomchak"
  newsdesk archive show 12
  newsdesk archive list --from 2021-04-01 --to 2021-04-30
  newsdesk archive delete 12
  newsdesk archive info
  newsdesk brief article.txt --archive        # a brief with background, then stored

The archive keeps what the desk has briefed: `newsdesk brief` with an archive address
gets background bullets (dated facts from earlier coverage) from it, and `--archive`
stores the brief. Each subcommand's --help has its own examples.

exit codes: 0 ok; 1 the archive refused (NOT_FOUND, a bad field) or some files could
not be stored; 2 usage: a bad flag, no archive address ({ARCHIVE_ENV} or
--archive-addr), a missing file; 3 the archive (or the translator) unavailable."""

_ADD_EPILOG = """examples:
  newsdesk archive add article.uk.txt --source Ukrinform --url https://example.org/a
  newsdesk archive add stories/ --recursive              # every .txt, below it too
  newsdesk archive add wire/*.txt --language en --source Reuters
  newsdesk archive add - --language en --date 2021-04-02 < story.txt

Each file (every .txt of a folder, but the NAME.en.txt that `newsdesk translate`
writes; - for stdin) becomes one item, printed as it is stored: "#ID DATE SOURCE PATH". uk and ru text is translated through the translator
(--translator or NEWSDESK_TRANSLATOR_ADDR) and stored in English with the original and
its language; --language en stores English as given and never calls the translator.
The date: --date (every file), else the first full date in the text, else today.
A file that cannot be read or stored is named on stderr and the rest go on (exit 1);
an archive or translator that does not answer stops the run (exit 3)."""

_SEARCH_EPILOG = """examples:
  newsdesk archive search "Khomchak"
  newsdesk archive search "NATO drills border" --limit 3
  newsdesk archive search "battalion tactical groups" --json | jq '.[].id'

One line per item, best first: "#ID DATE SCORE shared terms  headline" (the first
80 characters of the text where it has no headline)."""

_SHOW_EPILOG = """examples:
  newsdesk archive show 12
  newsdesk archive show 12 --json | jq -r .english_text

Every field of the item: date (and where it came from), headline, summary, source, URL,
language, names, when it was added, the English text and the original."""

_DELETE_EPILOG = """examples:
  newsdesk archive delete 12

An id the archive does not hold is NOT_FOUND (exit 1)."""

_LIST_EPILOG = """examples:
  newsdesk archive list
  newsdesk archive list --from 2021-04-01 --to 2021-04-30
  newsdesk archive list --from 2021-04-01 --json | jq length

Items published in the range (inclusive; either end open), newest first:
"#ID DATE SOURCE headline"."""

_INFO_EPILOG = """examples:
  newsdesk archive info
  newsdesk archive info --json

Where the archive is kept (sqlite or postgresql, never its URL), how many items it
holds, how long it keeps them, and its limits."""


def register(sub: Subparsers) -> None:
    """`newsdesk archive` and its subcommands."""
    group = add_command(
        sub,
        "archive",
        "the desk's archive: add articles, search, show, delete, list, info",
        description="The desk's archive of earlier coverage: store articles, find and read "
        "them, delete them.\nBriefs get their background bullets from it.",
        epilog=_GROUP_EPILOG,
    )
    inner = group.add_subparsers(dest="archive_command", required=True, metavar="COMMAND")

    add = add_command(
        inner,
        "add",
        "store articles (files, folders of .txt, - for stdin)",
        epilog=_ADD_EPILOG,
        func=run_add,
    )
    add.add_argument("paths", nargs="+", metavar="PATH", help="a file, a folder, or - (stdin)")
    add.add_argument(
        "--date",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="the articles' date (default: read from each text, else today)",
    )
    add.add_argument("--source", metavar="NAME", default="", help="the outlet")
    add.add_argument("--url", metavar="URL", default="", help="the article's URL (one file)")
    add.add_argument(
        "--language",
        "--source-language",
        dest="language",
        default="",
        type=str.lower,
        choices=SOURCE_LANGUAGES,
        metavar="CODE",
        help="uk, ru or en (be if the translator serves it): en is stored as given, "
        "without the translator; default: the translator decides",
    )
    add.add_argument("--recursive", action="store_true", help="also .txt in subfolders")
    add.add_argument("--concurrency", type=int, default=4, help="files in flight (4)")
    inputs.encoding_option(add)
    addresses(add, "translator", "archive")

    search = add_command(
        inner, "search", "items matching words, best first", epilog=_SEARCH_EPILOG, func=run_search
    )
    search.add_argument("query", help="the words to look for")
    range_option(search, "--limit", ARCHIVE.search_limit)
    _json_and_address(search)

    show = add_command(inner, "show", "one item, every field", epilog=_SHOW_EPILOG, func=run_show)
    show.add_argument("id", type=item_id, help="the item's id (12 or #12)")
    _json_and_address(show)

    delete = add_command(inner, "delete", "delete one item", epilog=_DELETE_EPILOG, func=run_delete)
    delete.add_argument("id", type=item_id, help="the item's id (12 or #12)")
    addresses(delete, "archive")

    listing = add_command(
        inner, "list", "items published in a date range", epilog=_LIST_EPILOG, func=run_list
    )
    listing.add_argument(
        "--from", dest="start", type=iso_date, metavar="YYYY-MM-DD", help="first day (open)"
    )
    listing.add_argument(
        "--to", dest="end", type=iso_date, metavar="YYYY-MM-DD", help="last day (open)"
    )
    _json_and_address(listing)

    info = add_command(
        inner, "info", "storage kind, items held, retention, limits", epilog=_INFO_EPILOG
    )
    info.set_defaults(func=run_info)
    _json_and_address(info)


def _json_and_address(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON")
    addresses(p, "archive")


def item_id(raw: str) -> int:
    """An argparse type: an archive id, 12 or #12."""
    text = raw.strip().removeprefix("#")
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{raw!r} is not an archive id (e.g. 12 or #12)")
    return int(text)


def failed(err: NewsdeskError) -> int:
    """Print a failed call as the other commands do; its exit code (3 unavailable)."""
    print(f"newsdesk: {err}", file=sys.stderr)
    return EXIT_UNAVAILABLE if err.code == "UNAVAILABLE" else EXIT_FAILED


def _run(args: argparse.Namespace, work: Callable[[AsyncNewsdeskClient], Awaitable[int]]) -> int:
    """`work` with a client whose archive address is set (else CliError, exit 2); a
    NewsdeskError it raises is printed, exit 1 or 3."""
    config = require_archive(client_config(args), f"`newsdesk archive {args.archive_command}`")

    async def go() -> int:
        async with AsyncNewsdeskClient(config) as client:
            try:
                return await work(client)
            except NewsdeskError as err:
                return failed(err)

    return asyncio.run(go())


def headline(item: ArchiveItem) -> str:
    """The item's headline, else the start of its text (SNIPPET_CHARS, on one line)."""
    if item.headline:
        return item.headline
    text = " ".join(item.english_text.split())
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1].rstrip() + "…"


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


# search ----------------------------------------------------------------------------


def search_record(found: RelatedItem) -> dict[str, object]:
    """One search result as JSON: the item (no texts), why it matched, its headline."""
    return {
        **found.item.to_dict(with_text=False),
        "score": found.score,
        "shared_terms": list(found.shared_terms),
        "shared_entities": list(found.shared_entities),
        "headline": headline(found.item),
    }


def run_search(args: argparse.Namespace) -> int:
    """`newsdesk archive search QUERY`: items matching the words, best first."""
    if not args.query.strip():
        raise CliError("the query is empty: give the words to look for")

    async def work(client: AsyncNewsdeskClient) -> int:
        limit = args.limit or ARCHIVE.search_limit.default
        results = await client.archive.search(args.query, limit=limit)
        if args.json:
            _print_json([search_record(r) for r in results])
            return EXIT_OK
        if not results:
            print(f"no archive item matches {args.query!r}", file=sys.stderr)
        for r in results:
            terms = ", ".join([*r.shared_entities, *r.shared_terms]) or "-"
            item = r.item
            print(f"#{item.id:<5} {item.published_date}  {r.score:.4f}  {terms}  {headline(item)}")
        return EXIT_OK

    return _run(args, work)


# show, delete, list, info ----------------------------------------------------------


def item_lines(item: ArchiveItem) -> list[str]:
    """Every field of an item as text lines ("-" where one is empty)."""
    origin = f" ({item.date_origin})" if item.date_origin else ""
    fields = [
        ("date", f"{item.published_date}{origin}"),
        ("headline", item.headline),
        ("summary", item.summary),
        ("source", item.source),
        ("url", item.url),
        ("language", item.language),
        ("names", ", ".join(item.entities)),
        ("added", item.added_time),
    ]
    lines = [f"#{item.id}"] + [f"{name:<9} {value or '-'}" for name, value in fields]
    lines += ["", "--- English text ---", item.english_text.rstrip()]
    if item.original_text:
        lines += ["", f"--- original ({item.language or '?'}) ---", item.original_text.rstrip()]
    return lines


def run_show(args: argparse.Namespace) -> int:
    """`newsdesk archive show ID`: every field of one item."""

    async def work(client: AsyncNewsdeskClient) -> int:
        item = await client.archive.get(args.id)
        if args.json:
            _print_json(item.to_dict())
        else:
            print("\n".join(item_lines(item)))
        return EXIT_OK

    return _run(args, work)


def run_delete(args: argparse.Namespace) -> int:
    """`newsdesk archive delete ID`: NOT_FOUND when the archive holds no such item."""

    async def work(client: AsyncNewsdeskClient) -> int:
        await client.archive.delete(args.id)
        print(f"deleted #{args.id}")
        return EXIT_OK

    return _run(args, work)


def run_list(args: argparse.Namespace) -> int:
    """`newsdesk archive list [--from D] [--to D]`: items in the range, newest first."""
    if args.start and args.end and args.start > args.end:
        raise CliError(f"--from {args.start} is after --to {args.end}")

    async def work(client: AsyncNewsdeskClient) -> int:
        items = await client.archive.list_items(args.start or "", args.end or "")
        if args.json:
            _print_json([{**i.to_dict(with_text=False), "headline": headline(i)} for i in items])
            return EXIT_OK
        for i in items:
            print(f"#{i.id:<5} {i.published_date}  {i.source or '-'}  {headline(i)}")
        if not items:
            print("no archive item in that range", file=sys.stderr)
        return EXIT_OK

    return _run(args, work)


def info_lines(address: str, info: ArchiveInfo) -> list[str]:
    """The archive's Info as text lines."""
    keep = (
        f"{info.retention_days} days (items published earlier are purged)"
        if info.retention_days
        else "keep everything"
    )
    return [
        f"archive    {address}  {info.version}".rstrip(),
        f"  storage    {info.storage}",
        f"  items      {info.item_count}",
        f"  retention  {keep}",
        f"  limits     {info.max_chars} characters a text, {info.max_batch} items an add",
    ]


def run_info(args: argparse.Namespace) -> int:
    """`newsdesk archive info`: storage kind, items held, retention, limits."""

    async def work(client: AsyncNewsdeskClient) -> int:
        info = await client.archive.info()
        address = client.archive.address
        if args.json:
            data = asdict(info)
            data.pop("extra", None)
            _print_json({"address": address, **data})
        else:
            print("\n".join(info_lines(address, info)))
        return EXIT_OK

    return _run(args, work)


# add -------------------------------------------------------------------------------


def input_files(paths: list[str], recursive: bool) -> list[Path | None]:
    """The files `add` stores, in order (None: stdin); CliError for a missing path or a
    folder with no .txt."""
    found: list[Path | None] = []
    for raw in paths:
        if raw == "-":
            found.append(None)
            continue
        path = Path(raw)
        if path.is_dir():
            pattern = path.rglob("*.txt") if recursive else path.glob("*.txt")
            texts = sorted(p for p in pattern if p.is_file() and not p.name.endswith(OUTPUT_TXT))
            if not texts:
                raise CliError(f"{path}: no .txt files" + ("" if recursive else " (--recursive?)"))
            found += texts
        elif path.is_file():
            found.append(path)
        else:
            raise CliError(f"{path}: no such file or folder")
    if found.count(None) > 1:
        raise CliError("- (stdin) can be given once")
    return list(dict.fromkeys(found))


@dataclass
class _Added:
    """What an `add` run did."""

    stored: int = 0
    failed: int = 0
    stopped: str = ""  # the error that stopped it (a service unavailable), if any


async def english_of(client: AsyncNewsdeskClient, text: str, language: str) -> tuple[str, str, str]:
    """(English text, original text, language) as the brief chain stores them: English
    as given (original ""), else the translator's English and the text as original."""
    if language == "en":
        return text, "", "en"
    translation = await client.translate(text, source_language=language)
    translated = translation.source_language != "en"
    return translation.text, text if translated else "", translation.source_language or language


async def _add_all(
    client: AsyncNewsdeskClient, files: list[Path | None], args: argparse.Namespace
) -> _Added:
    done = _Added()
    stop = asyncio.Event()

    async def one(path: Path | None) -> None:
        name = "stdin" if path is None else str(path)
        try:
            text = await asyncio.to_thread(inputs.read, path, name, args.encoding)
        except inputs.InputError as exc:
            done.failed += 1
            print(f"newsdesk: {exc}", file=sys.stderr)
            return
        try:
            english, original, language = await english_of(client, text, args.language)
            item = ArchiveItem(
                english_text=english,
                original_text=original,
                language=language,
                published_date=args.date or "",
                source=args.source,
                url=args.url,
            )
            (stored,) = await client.archive.add([item])
        except NewsdeskError as err:
            done.failed += 1
            print(f"newsdesk: {name}: {err.about('')}", file=sys.stderr)
            if err.code == "UNAVAILABLE":
                done.stopped = str(err)
                stop.set()
            return
        done.stored += 1
        print(
            f"#{stored.id:<5} {stored.published_date}  {stored.source or '-'}  {name}", flush=True
        )

    pending = iter(range(len(files)))

    async def worker() -> None:
        while not stop.is_set():
            index = next(pending, -1)
            if index < 0:
                return
            await one(files[index])

    await asyncio.gather(*(worker() for _ in range(max(1, args.concurrency))))
    return done


def run_add(args: argparse.Namespace) -> int:
    """`newsdesk archive add PATH...`: each file translated (unless English) and stored."""
    if args.concurrency < 1:
        raise CliError("--concurrency must be at least 1")
    files = input_files(args.paths, args.recursive)
    if args.url and len(files) > 1:
        raise CliError(f"--url names one article: {len(files)} files were given")

    async def work(client: AsyncNewsdeskClient) -> int:
        done = await _add_all(client, files, args)
        not_started = len(files) - done.stored - done.failed
        if len(files) > 1 or done.stopped:
            line = f"stored {done.stored}, failed {done.failed}"
            line += f", not started {not_started}" if not_started else ""
            print(line, file=sys.stderr)
        if done.stopped:
            print(
                "newsdesk: stopped: a service did not answer; start it (`newsdesk serve`), "
                "then add the files not stored again",
                file=sys.stderr,
            )
            return EXIT_UNAVAILABLE
        return EXIT_FAILED if done.failed else EXIT_OK

    return _run(args, work)
