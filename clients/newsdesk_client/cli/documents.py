"""`newsdesk brief | translate | summarize FILE|-|DIR`: one document, stdin, or a folder.

A file or stdin: the result as text, `--json` or `--jsonl` (one line); its bytes are
decoded strictly (inputs.py: UTF-8 unless `--encoding`), and one that is not text or is
empty is refused naming it (exit 2), as is a missing file. Errors name the file, not
the request field the server named. A folder: every .txt in it (`--recursive`: below
it too) through folder.py — outputs per input (`--out DIR` mirrors the tree), resume,
a failures file, progress, Ctrl-C — or, with `--jsonl` and no `--out`, one JSON object
per input on stdout as results arrive (`--ordered` keeps input order). A folder run
whose outputs cannot be written exits 4, one that stopped because a service had gone
exits 3 (folder.py says when). What each command asks for and writes: formats.py.

`brief` with an archive address (--archive-addr or NEWSDESK_ARCHIVE_ADDR) gets
background bullets from the archive; `--archive` also stores each brief there
(`--date`, `--source`, `--url` say what it is filed as), and a single brief says on
stderr which item it became.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsdesk_client import telegram, web
from newsdesk_client.aio import AsyncNewsdeskClient
from newsdesk_client.chain import Filing
from newsdesk_client.cli import folder, inputs, tree
from newsdesk_client.cli.common import (
    EXIT_CANNOT_WRITE,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_UNAVAILABLE,
    SERVICE_NAMES,
    SOURCE_LANGUAGES,
    CliError,
    add_command,
    addresses,
    client_config,
    iso_date,
    no_archive_message,
    range_option,
)
from newsdesk_client.cli.formats import (
    COMMANDS,
    OUTPUT_TXT,
    DocCommand,
    archived,
    filing,
    name_options,
    summary_options,
    warning,
)
from newsdesk_client.errors import NewsdeskError
from newsdesk_shared.limits import SUMMARIZER, TRANSLATOR

if TYPE_CHECKING:
    from newsdesk_client.cli.common import Subparsers

_EXAMPLES = {
    "brief": """examples:
  newsdesk brief article.txt
  newsdesk brief article.txt --with-sources --source-language uk
  newsdesk brief article.txt --entities --original-names   # names: Yermak (Єрмак)
  newsdesk brief article.txt --name "uk:сибіга=Andrii Sybiha"
  newsdesk brief - --jsonl < article.txt | jq .headline
  newsdesk brief articles/ --out briefs/ --recursive --concurrency 8
  newsdesk brief articles/ --jsonl --ordered > briefs.jsonl
  newsdesk brief result.json --telegram-username example_news   # a channel export
  newsdesk brief page.html                       # a saved web page: the article extracted
  newsdesk brief https://example.com/news/1      # fetched (http/https, public hosts)
  newsdesk brief article.txt --archive-addr localhost:50054   # background from the archive
  newsdesk brief article.txt --archive --date 2021-04-10 --source Ukrinform
  newsdesk brief articles/ --out briefs/ --archive            # store every brief

The archive (--archive-addr or NEWSDESK_ARCHIVE_ADDR; `newsdesk serve` runs one on
localhost:50054): its background bullets, dated facts from earlier coverage, come
first, and bullets from the article itself are labelled "(from this article)";
--with-sources shows the archive item each came from. --archive stores the brief
("archived as item #12 (dated 2021-04-10, extracted)" on stderr; JSON:
archive.archived_id); its date is --date, else the first full date in the text, else
today. In a folder, --date and --source hold for every file; --url names one article.

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


def register(sub: Subparsers) -> None:
    """brief, translate and summarize."""
    brief = _document(sub, "brief", "detect → translate → summarize: a brief of each article")
    _source(brief)
    _summary_flags(brief)
    brief.add_argument("--with-translation", action="store_true", help="include the English")
    brief.add_argument(
        "--with-sources",
        action="store_true",
        help="print each bullet with the original sentence(s) it came from (an archive "
        "bullet: the archive item, its source, date and URL)",
    )
    brief.add_argument(
        "--allow-private-urls",
        action="store_true",
        help="fetch a URL on a loopback, private or reserved address (refused otherwise)",
    )
    brief.add_argument(
        "--no-group",
        action="store_true",
        help="brief every post of a Telegram export and every file of a folder, even the "
        "same story told twice (by default near-duplicates are briefed once, listing every "
        "telling; the group extra)",
    )
    brief.add_argument(
        "--telegram-username",
        metavar="NAME",
        help="a Telegram export's channel @username (without @), for each post's "
        "t.me link when the export does not hold it",
    )
    named = brief.add_argument_group("names (the translator's entity layer)")
    named.add_argument(
        "--entities",
        action="store_true",
        help="list the people, places and organisations under the brief: English rendering, "
        "original spelling, kind, how the rendering was chosen, mentions",
    )
    named.add_argument(
        "--original-names",
        action="store_true",
        help="write each name's original spelling after its first mention: Yermak (Єрмак)",
    )
    _name_flags(named)
    filed = brief.add_argument_group("archive")
    filed.add_argument(
        "--archive",
        action="store_true",
        help="store the brief in the archive (needs --archive-addr or NEWSDESK_ARCHIVE_ADDR)",
    )
    filed.add_argument(
        "--date",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="the article's date (default: the archive reads it from the text)",
    )
    filed.add_argument("--source", metavar="NAME", help="the outlet, stored with the brief")
    filed.add_argument("--url", metavar="URL", help="the article's URL, stored with the brief")
    translate = _document(sub, "translate", "the English translation of uk or ru articles")
    _source(translate)
    _name_flags(translate.add_argument_group("names (the translator's entity layer)"))
    _summary_flags(_document(sub, "summarize", "headline, summary and bullets of English articles"))


def _name_flags(group: argparse._ArgumentGroup) -> None:
    """--name and --names-off (brief and translate)."""
    group.add_argument(
        "--name",
        action="append",
        default=[],
        metavar="LANG:LEMMA=ENGLISH[/KIND]",
        help="write a name this way in this request, every inflected form of it (repeat): "
        "uk:сибіга=Andrii Sybiha, ru:газпром=Gazprom/org; kinds person (default), place, org",
    )
    group.add_argument(
        "--names-off",
        action="store_true",
        help="the entity layer off for this request (no names found, masked or listed)",
    )


def _document(sub: Subparsers, name: str, help_text: str) -> argparse.ArgumentParser:
    """The flags every document command has: input, output form, style, folders."""
    p = add_command(sub, name, help_text, epilog=_EXAMPLES[name], func=run)
    p.add_argument(
        "path", help="a file, - for stdin, or a folder of .txt files (UTF-8: --encoding)"
    )
    inputs.encoding_option(p)
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print JSON")
    out.add_argument(
        "--jsonl",
        action="store_true",
        help="one JSON object per input, streamed as results arrive (a folder "
        "without --out: to stdout only, no files)",
    )
    p.add_argument("--ordered", action="store_true", help="--jsonl in input order")
    # The beam width of a brief holds for both models: the ranges of both apply.
    beams = [TRANSLATOR.num_beams] if name != "summarize" else []
    beams += [SUMMARIZER.num_beams] if name != "translate" else []
    range_option(p, "--beams", *beams, server_default=True)
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
    group = p.add_argument_group("folders")
    group.add_argument("--out", metavar="DIR", help="write outputs here, mirroring the tree")
    group.add_argument("--recursive", action="store_true", help="also .txt in subfolders")
    group.add_argument(
        "--follow-links",
        action="store_true",
        help="also read linked files and folders that lead outside the folder "
        "(skipped by default, counted in the summary)",
    )
    group.add_argument("--force", action="store_true", help="redo inputs already done")
    group.add_argument("--concurrency", type=int, default=4, help="files in flight (4)")
    group.add_argument(
        "--failures", metavar="FILE", help=f"failures file (default: OUT/{folder.FAILURES_NAME})"
    )
    group.add_argument("--quiet", action="store_true", help="no progress output")
    if name == "brief":
        addresses(p, *SERVICE_NAMES, "archive")
    else:
        addresses(p)
    return p


def _summary_flags(p: argparse.ArgumentParser) -> None:
    """The summary options, their ranges and defaults from the limits table."""
    range_option(p, "--summary-words", SUMMARIZER.summary_max_words)
    range_option(p, "--headline-words", SUMMARIZER.headline_max_words)
    range_option(p, "--bullets", SUMMARIZER.bullet_count)
    range_option(
        p,
        "--bullet-words",
        SUMMARIZER.bullet_max_words,
        extra="; a bullet is a whole sentence, never cut",
    )
    p.add_argument(
        "--reject-unsupported",
        action="store_true",
        help="fail (exit 1, UNSUPPORTED_FACTS) rather than print a brief whose headline, "
        "summary or bullet states a figure or name the article does not; without it such a "
        "part is flagged on stderr and in --json fact_checks",
    )


def _source(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--source-language",
        default="",
        type=str.lower,
        choices=SOURCE_LANGUAGES,
        metavar="CODE",
        help="uk, ru, en or be (if the translator serves it): skip detection (what "
        "LANGUAGE_UNCERTAIN asks for)",
    )


def run(args: argparse.Namespace) -> int:
    """The entry point of `newsdesk brief | translate | summarize`."""
    command = COMMANDS[args.command]
    if args.concurrency < 1:
        raise CliError("--concurrency must be at least 1")
    path = Path(args.path)
    if command.name == "brief" and args.path.lower().startswith(("http://", "https://")):
        return asyncio.run(_page(command, _fetched(args), args))
    folder_mode = args.path != "-" and path.is_dir()
    if command.name == "brief":
        _check_filing(args, folder_mode)
    if folder_mode:
        return asyncio.run(_folder(command, path, args))
    if args.path != "-" and not path.is_file():
        raise CliError(f"{path}: no such file or folder")
    if command.name == "brief" and args.path != "-" and telegram.looks_like_export(path):
        if getattr(args, "url", None):
            raise CliError("--url names one article; an export's posts are linked one by one")
        return asyncio.run(_telegram(command, path, args))
    if command.name == "brief" and path.suffix.lower() in HTML:
        try:
            page = web.extract(path.read_bytes(), "")
        except (web.PageError, OSError) as exc:
            raise CliError(f"{path}: {exc}") from None
        return asyncio.run(_page(command, page, args))
    name = "stdin" if args.path == "-" else args.path
    try:
        text = inputs.read(None if args.path == "-" else path, name, args.encoding)
    except inputs.InputError as exc:
        raise CliError(str(exc)) from None
    return asyncio.run(_single(command, text, name, args))


def _check_filing(args: argparse.Namespace, folder_mode: bool) -> None:
    """The archive flags of `brief`, or CliError before anything is sent: --archive
    needs an archive address; --date, --source and --url need an archive to tell."""
    config = client_config(args)
    if args.archive and not config.archive:
        raise CliError(no_archive_message("--archive (store the brief)"))
    if config.remember and not config.archive:
        raise CliError(no_archive_message("NEWSDESK_ARCHIVE_REMEMBER (store every brief)"))
    stored = args.archive or config.remember
    if (args.source or args.url) and not stored:
        raise CliError("--source and --url are stored with the brief: add --archive")
    if args.date and not config.archive:
        raise CliError(no_archive_message("--date (the article's date, for the archive)"))
    if args.url and folder_mode:
        raise CliError("--url names one article: it cannot be given for a folder")


async def _single(command: DocCommand, text: str, name: str, args: argparse.Namespace) -> int:
    async with AsyncNewsdeskClient(client_config(args)) as client:
        try:
            result = await command.call(client, text, args)
        except NewsdeskError as failed:
            err = failed.about(name)  # the file, not the request field
            print(f"newsdesk: {err}", file=sys.stderr)
            return EXIT_UNAVAILABLE if err.code == "UNAVAILABLE" else EXIT_FAILED
    if warning(result):
        print(f"newsdesk: {warning(result)}", file=sys.stderr)
    if archived(result) and not (args.json or args.jsonl):
        print(archived(result), file=sys.stderr)
    if args.jsonl:
        print(json.dumps(command.to_json(result, args), ensure_ascii=False))
    elif args.json:
        print(json.dumps(command.to_json(result, args), ensure_ascii=False, indent=2))
    else:
        print(command.to_text(result, args), end="")
    return EXIT_OK


async def _telegram(command: DocCommand, path: Path, args: argparse.Namespace) -> int:
    """A Telegram channel export: each post briefed (an album once, with its caption;
    the same story told in several posts once, under its fullest post),
    dated by the post and filed under the channel, each brief headed by the post's id,
    date, link and forward; --json/--jsonl add `telegram` to each brief. Exit 1 when a
    post failed (its error on stderr, the others still briefed)."""
    try:
        channel = telegram.read_export(path, getattr(args, "telegram_username", "") or "")
    except (telegram.ExportError, OSError) as exc:
        raise CliError(str(exc)) from None
    posts = channel.posts
    if not posts:
        raise CliError(
            f"{path}: no post with text in this export"
            + (f" ({_counts(channel.details)})" if channel.details else "")
        )
    print(
        f"{path}: Telegram channel {channel.name!r}: {len(posts)} post(s) to brief"
        + (
            f", {channel.skipped} message(s) skipped ({_counts(channel.details)})"
            if channel.skipped
            else ""
        ),
        file=sys.stderr,
    )
    base = filing(args)
    filings = [
        Filing(
            base.published_date or post.day,
            base.source or channel.name,
            base.url or post.link,
            base.remember,
        )
        for post in posts
    ]
    from newsdesk_client.grouping import GroupingUnavailable

    async with AsyncNewsdeskClient(client_config(args)) as client:
        try:
            outcomes = await client.brief_many(
                [post.text for post in posts],
                concurrency=args.concurrency,
                source_language=args.source_language,
                filings=filings,
                group=not getattr(args, "no_group", False),
                **summary_options(args),
                **name_options(args),
            )
        except GroupingUnavailable as exc:
            raise CliError(str(exc)) from None
    failed = unavailable = 0
    records = []
    for post, outcome in zip(posts, outcomes, strict=True):
        where = f"{path.name}#{post.id}"
        about = {"telegram": {"channel": channel.name, **post.to_dict()}}
        if outcome.brief is None:
            failed += 1
            error = outcome.error
            unavailable += getattr(error, "code", "") == "UNAVAILABLE"
            shown = error.about(where) if isinstance(error, NewsdeskError) else error
            print(f"newsdesk: {shown}", file=sys.stderr)
            if args.json or args.jsonl:
                record = {**about, "ok": False, "error": str(shown)}
                records.append(record)
                if args.jsonl:
                    print(json.dumps(record, ensure_ascii=False), flush=True)
            continue
        brief = outcome.brief
        lead = posts[brief.story[0]] if brief.story else post
        told = [posts[i] for i in brief.story]
        if lead is not post:  # a telling of a story briefed under its first post
            if args.json or args.jsonl:
                record = {**about, "ok": True, "same_story_as": lead.id}
                records.append(record)
                if args.jsonl:
                    print(json.dumps(record, ensure_ascii=False), flush=True)
            else:
                print(
                    f"=== {channel.name} #{post.id}, {post.date} · the same story as #{lead.id}\n"
                )
            continue
        if warning(brief):
            print(f"newsdesk: {where}: {warning(brief)}", file=sys.stderr)
        if args.json or args.jsonl:
            record = {**about, "ok": True, **command.to_json(brief, args)}
            if len(told) > 1:
                record["story_sources"] = [p.to_dict() for p in told]
            records.append(record)
            if args.jsonl:
                print(json.dumps(record, ensure_ascii=False), flush=True)
            continue
        head = [f"=== {channel.name} #{post.id}, {post.date}"]
        if post.link:
            head.append(post.link)
        if post.forwarded_from:
            head.append(f"forwarded from {post.forwarded_from}")
        if len(told) > 1:
            head.append("also told in " + ", ".join(f"#{p.id} ({p.date})" for p in told[1:]))
        print(" · ".join(head))
        print(command.to_text(brief, args))
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=2))
    if failed and unavailable == failed == len(posts):
        return EXIT_UNAVAILABLE  # nothing briefed: the services did not answer
    return EXIT_FAILED if failed else EXIT_OK


# Saved web pages: brief reads their article (web.py).
HTML = (".html", ".htm")


def _fetched(args: argparse.Namespace) -> web.Page:
    """The article of the page at the URL given as the path."""
    try:
        return web.fetch(args.path, allow_private=bool(getattr(args, "allow_private_urls", False)))
    except web.PageError as exc:
        raise CliError(str(exc)) from None


async def _page(command: DocCommand, page: web.Page, args: argparse.Namespace) -> int:
    """A web page's article briefed: dated by the page unless --date, filed under its
    site unless --source, with its URL; a line naming the page before the brief
    (stderr), `page` in --json."""
    base = filing(args)
    filed = Filing(
        base.published_date or page.date,
        base.source or page.site,
        base.url or page.url,
        base.remember,
    )
    hinted = summary_options(args)
    hinted["headline_hint"] = page.title  # the page's own title, in the article's language
    about = " · ".join(x for x in (page.title, page.url, page.date, page.author) if x)
    print(f"page: {about or 'article extracted'}", file=sys.stderr)
    async with AsyncNewsdeskClient(client_config(args)) as client:
        (outcome,) = await client.brief_many(
            [page.text],
            concurrency=1,
            source_language=args.source_language,
            filings=[filed],
            **hinted,
            **name_options(args),
        )
    if outcome.brief is None:
        error = outcome.error
        shown = error.about(page.url or args.path) if isinstance(error, NewsdeskError) else error
        print(f"newsdesk: {shown}", file=sys.stderr)
        code = getattr(error, "code", "")
        return EXIT_UNAVAILABLE if code == "UNAVAILABLE" else EXIT_FAILED
    brief = outcome.brief
    if warning(brief):
        print(f"newsdesk: {warning(brief)}", file=sys.stderr)
    if args.json or args.jsonl:
        record = {"page": page.to_dict(), **command.to_json(brief, args)}
        indent = None if args.jsonl else 2
        print(json.dumps(record, ensure_ascii=False, indent=indent))
    else:
        print(command.to_text(brief, args), end="")
    return EXIT_OK


def _counts(details: dict[str, int]) -> str:
    return ", ".join(f"{n} {why}" for why, n in sorted(details.items()))


class _FolderOutput:
    """What a folder run writes: each input's files, its JSON line on stdout
    (--jsonl, held back for input order with --ordered), its error on stderr."""

    def __init__(
        self, command: DocCommand, args: argparse.Namespace, todo: list[tree.Item]
    ) -> None:
        self.command, self.args = command, args
        self.position = {item.name: i for i, item in enumerate(todo)}
        self.waiting: dict[int, str] = {}
        self.next = 0

    def line(self, item: tree.Item, result: Any, error: NewsdeskError | None) -> str:
        """One --jsonl line: the result, or the error record."""
        if error is not None:
            record: dict[str, Any] = {"input": item.name, "ok": False}
            record["error"] = folder.error_record(item.name, error)
        else:
            record = {"input": item.name, "ok": True, **self.command.to_json(result, self.args)}
        return json.dumps(record, ensure_ascii=False)

    def files(self, item: tree.Item, result: Any) -> list[tuple[Path, str]]:
        """The input's files, the JSON one last: it marks the item done for a resumed run."""
        json_path, text_path = item.outputs
        data = self.command.to_json(result, self.args)
        return [
            (text_path, self.command.to_file(result, self.args)),
            (json_path, json.dumps(data, ensure_ascii=False, indent=2) + "\n"),
        ]

    def emit(self, item: tree.Item, result: Any, error: NewsdeskError | None) -> None:
        """Print what an input's end says (as it finishes, or in order)."""
        if error is not None and not self.args.jsonl:
            print(f"{item.name}: {error}", file=sys.stderr)
        if not self.args.jsonl:
            return
        text = self.line(item, result, error)
        if not self.args.ordered:
            print(text, flush=True)
            return
        # Held back until every earlier input has finished.
        self.waiting[self.position[item.name]] = text
        while self.next in self.waiting:
            print(self.waiting.pop(self.next), flush=True)
            self.next += 1


def _plan(root: Path, args: argparse.Namespace, suffixes: tuple[str, str]) -> tree.Plan:
    """The inputs under `root` (this or another command's outputs left out), or
    CliError when the folder cannot be listed or holds none."""
    out = Path(args.out) if args.out else None
    try:
        kinds = (".txt", *HTML) if args.command == "brief" else (".txt",)
        plan = tree.plan_items(
            root, out, suffixes, recursive=args.recursive, follow=args.follow_links, kinds=kinds
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
    return tree.Plan(items, plan.links_skipped)


async def _folder(command: DocCommand, root: Path, args: argparse.Namespace) -> int:
    plan = _plan(root, args, command.suffixes)
    writes = not (args.jsonl and not args.out)
    todo = [i for i in plan.items if args.force or not writes or not i.done()]
    out = Path(args.out) if args.out else None
    failures = Path(args.failures) if args.failures else (out or root) / folder.FAILURES_NAME
    targets = [out or root] if writes else []
    targets += [failures.parent] if writes or args.failures else []
    try:
        # Before anything is sent: a run that could keep nothing stops here.
        for target in dict.fromkeys(targets):
            tree.check_writable(target)
    except tree.CannotWrite as exc:
        print(f"newsdesk: {exc}", file=sys.stderr)
        return EXIT_CANNOT_WRITE
    output = _FolderOutput(command, args, todo)
    progress = folder.Progress(len(todo), quiet=args.quiet or not writes)
    stories = _stories(todo, args) if command.name == "brief" else {}
    shared: dict[str, asyncio.Future[Any]] = {}
    async with AsyncNewsdeskClient(client_config(args)) as client:

        async def call(text: str) -> Any:
            try:
                return await command.call(client, text, args)
            except NewsdeskError as err:
                # Each line and record names the input already: not the request field.
                raise err.about("") from None

        async def brief_of(item: tree.Item, text: str) -> Any:
            if item.source.suffix.lower() in HTML:  # a saved page: its article
                try:
                    text = web.extract(text, "").text
                except web.PageError as exc:
                    raise NewsdeskError("brief", "INVALID_ARGUMENT", str(exc)) from None
            return await call(text)

        async def work(item: tree.Item, text: str) -> Any:
            story = stories.get(item.name)
            if story is None:
                return await brief_of(item, text)
            lead, lead_text, names = story
            if lead.name not in shared:  # the story's first telling to start briefs it
                future = asyncio.ensure_future(call(lead_text))
                # Retrieved here so an unawaited failure is never reported as lost.
                future.add_done_callback(lambda f: f.cancelled() or f.exception())
                shared[lead.name] = future
            try:
                brief = await asyncio.shield(shared[lead.name])
            except NewsdeskError:
                if item.name == lead.name:
                    raise
                return await brief_of(item, text)  # the lead failed: this telling alone
            return replace(brief, story_sources=names)

        try:
            summary = await _run_folder(todo, work, output, progress, writes, plan, args)
        finally:
            for future in shared.values():  # a story still being briefed when stopped
                future.cancel()
            await asyncio.gather(*shared.values(), return_exceptions=True)
    return _report(summary, failures, writes, args)


async def _run_folder(
    todo: list[tree.Item],
    work: Any,
    output: _FolderOutput,
    progress: folder.Progress,
    writes: bool,
    plan: tree.Plan,
    args: argparse.Namespace,
) -> folder.Summary:
    """folder.run with this run's outputs and counts."""
    return await folder.run(
        todo,
        work,
        output.emit,
        concurrency=args.concurrency,
        progress=progress,
        outputs=output.files if writes else None,
        skipped=len(plan.items) - len(todo),
        links_skipped=plan.links_skipped,
        encoding=args.encoding,
    )


def _stories(
    todo: list[tree.Item], args: argparse.Namespace
) -> dict[str, tuple[tree.Item, str, tuple[str, ...]]]:
    """A brief run's near-duplicates (grouping.py), by input name: the telling to brief
    (the fullest), its article text (read here once; a page's extracted), and every
    telling's name, that one first. Inputs that cannot be read are left out (their run
    reports them); none with --no-group."""
    if getattr(args, "no_group", False) or len(todo) < 2:
        return {}
    from newsdesk_client.grouping import GroupingUnavailable, group_texts

    readable: list[tuple[tree.Item, str]] = []
    for item in todo:
        try:
            text = inputs.read(item.source, item.name, args.encoding)
            if item.source.suffix.lower() in HTML:
                text = web.extract(text, "").text
        except (inputs.InputError, web.PageError, OSError):
            continue
        readable.append((item, text))
    try:
        groups = group_texts([text for _, text in readable])
    except GroupingUnavailable as exc:
        raise CliError(str(exc)) from None
    out: dict[str, tuple[tree.Item, str, tuple[str, ...]]] = {}
    for group in groups:
        if len(group.members) < 2:
            continue
        lead, lead_text = readable[group.lead]
        names = (lead.name, *(readable[m][0].name for m in group.members if m != group.lead))
        for m in group.members:
            out[readable[m][0].name] = (lead, lead_text, names)
    return out


def _report(summary: folder.Summary, failures: Path, writes: bool, args: argparse.Namespace) -> int:
    """The failures file, the closing lines on stderr, and the exit code."""
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
            return EXIT_CANNOT_WRITE
    return summary.exit_code
