"""What `newsdesk brief | translate | summarize` ask the services for and how each
writes its result: as text, JSON, and the two files a folder run keeps per input."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from newsdesk_client.aio import AsyncNewsdeskClient
from newsdesk_client.chain import Brief, Filing
from newsdesk_client.cli.common import CliError
from newsdesk_client.errors import NewsdeskError
from newsdesk_client.types import Summary, Translation, fact_warning, flag_warning
from newsdesk_client.wire import SummarizeOptions


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


def name_options(args: argparse.Namespace) -> dict[str, Any]:
    """extra_names / names_off from --name LANG:LEMMA=ENGLISH[/KIND] and --names-off."""
    names: list[tuple[str, ...]] = []
    for raw in getattr(args, "name", None) or ():
        head, sep, english = raw.partition("=")
        language, colon, lemma = head.partition(":")
        english, slash, kind = english.partition("/")
        if not sep or not colon or not lemma.strip() or not english.strip():
            raise CliError(f"--name {raw!r}: expected LANG:LEMMA=ENGLISH[/KIND]")
        names.append(
            (language.strip(), lemma.strip(), english.strip(), *([kind.strip()] if slash else []))
        )
    off = bool(getattr(args, "names_off", False))
    if off and names:
        raise CliError("--name cannot be used with --names-off")
    return {"extra_names": names or None, "names_off": off}


def summary_options(args: argparse.Namespace) -> SummarizeOptions:
    """The summarize/brief options given on the command line (None: the server's)."""
    return {
        "summary_max_words": getattr(args, "summary_words", None),
        "headline_max_words": getattr(args, "headline_words", None),
        "bullet_count": getattr(args, "bullets", None),
        "bullet_max_words": getattr(args, "bullet_words", None),
        "num_beams": args.beams,
        "reject_unsupported": bool(getattr(args, "reject_unsupported", False)),
        **style_options(args),  # type: ignore[typeddict-item]
    }


def filing(args: argparse.Namespace) -> Filing:
    """What a brief tells the archive: --date, --source, --url, and --archive (store it)."""
    return Filing(
        getattr(args, "date", None) or "",
        getattr(args, "source", None) or "",
        getattr(args, "url", None) or "",
        bool(getattr(args, "archive", False)),
    )


async def _brief(client: AsyncNewsdeskClient, text: str, args: argparse.Namespace) -> Brief:
    (outcome,) = await client.brief_many(
        [text],
        concurrency=1,
        source_language=args.source_language,
        filings=[filing(args)],
        **summary_options(args),
        **name_options(args),
    )
    if outcome.brief is None:
        assert isinstance(outcome.error, NewsdeskError)
        raise outcome.error
    return outcome.brief


async def _translate(
    client: AsyncNewsdeskClient, text: str, args: argparse.Namespace
) -> Translation:
    (outcome,) = await client.translate_each(
        [text],
        source_language=args.source_language,
        num_beams=args.beams,
        **style_options(args),
        **name_options(args),
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
    text = b.to_text(
        args.with_translation,
        args.with_sources,
        entities=args.entities,
        original_names=args.original_names,
    )
    return f"{head}\n\n{text}"


def _brief_markdown(b: Brief, args: argparse.Namespace) -> str:
    about = [f"_{line}_  " for line in b.source_lines(bool(args.source_language))]
    if b.archived_id:
        about.append(f"_{archived(b)}_  ")
    lines = [*about, "", f"# {b.headline}", "", b.summary, ""]
    for i, (bullet, kind) in enumerate(zip(b.bullets, b.bullet_kinds, strict=True)):
        label = "(from this article) " if b.archive_asked and kind == "article" else ""
        lines.append(f"- {label}{bullet}")
        if not args.with_sources or i >= len(b.sources):
            continue
        found = b.sources[i].archive
        if found is not None:
            where = ", ".join(x for x in (found.source, found.published_date, found.url) if x)
            lines.append(f"  > [archive #{found.item_id}] {where}")
        else:
            lines += [f"  > {o.text}" for o in b.sources[i].original]
    if b.bullet_shortfall_detail:
        lines += ["", f"_{b.bullet_shortfall_detail}_"]
    if len(b.story_sources) > 1:
        told = ", ".join(b.story_sources)
        lines += ["", f"_The same story in {told}: briefed once, from {b.story_sources[0]}._"]
    if getattr(args, "entities", False):
        lines += ["", "## Names", ""]
        lines += [f"- {line}" for line in b.entity_lines()] or ["_(none found)_"]
    if args.with_translation:
        lines += ["", "## English text", "", b.english_text]
    return "\n".join(lines) + "\n"


def _to_dict(result: Translation | Summary, args: argparse.Namespace) -> dict[str, Any]:
    return result.to_dict()


def _translation_text(t: Translation, args: argparse.Namespace) -> str:
    return t.text.rstrip("\n") + "\n"


def _summary_text(s: Summary, args: argparse.Namespace) -> str:
    parts = [s.headline, "", s.summary, "", *(f"• {b}" for b in s.bullets)]
    if s.bullet_shortfall_detail:
        parts += ["", f"({s.bullet_shortfall_detail})"]
    return "\n".join(parts).rstrip() + "\n"


def archived(result: object) -> str:
    """ "archived as item #12 (dated 2021-04-10, extracted)" for a stored brief, else ""."""
    if not isinstance(result, Brief) or not result.archived_id:
        return ""
    dated = ", ".join(x for x in (result.published_date, result.date_origin) if x)
    return f"archived as item #{result.archived_id}" + (f" (dated {dated})" if dated else "")


def warning(result: object) -> str:
    """The warnings about a result, one a line ("" when there are none): the
    plausibility gate's flags, and the figures check's."""
    if isinstance(result, Brief):
        lines = [flag_warning(result.flags), fact_warning(result.fact_checks())]
    elif isinstance(result, Translation):
        lines = [flag_warning(result.segments.flags)]
    elif isinstance(result, Summary):
        checks = [("headline", result.headline_check), ("summary", result.summary_check)]
        checks += [(f"bullet {i + 1}", c) for i, c in enumerate(result.bullet_checks)]
        lines = [fact_warning(checks)]
    else:
        return ""
    return "\nnewsdesk: ".join(line for line in lines if line)


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
        _to_dict,
        _translation_text,
        (".en.json", ".en.txt"),
        _translation_text,
    ),
    "summarize": DocCommand(
        "summarize",
        _summarize,
        _to_dict,
        _summary_text,
        (".summary.json", ".summary.md"),
        _summary_text,
    ),
}
# Outputs are never taken for inputs, whichever command wrote them.
OUTPUT_TXT = tuple(s for c in COMMANDS.values() for s in c.suffixes if s.endswith(".txt"))
