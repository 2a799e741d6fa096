"""The README's configuration table, generated from the registry of every `NEWSDESK_*`
variable (clients/newsdesk_shared/env.py).

`python tools/env_table.py` prints the table; `--write` puts it into README.md between
the `<!-- env-table:start -->` and `<!-- env-table:end -->` markers; `--check` only
compares, and exits 1 with a diff when README.md differs (tests/unit/test_env_registry.py
runs it, so CI does). A variable that several services read under their own prefix,
with the same meaning, is one row naming each.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path
from typing import Any

from newsdesk_shared.env import READERS, REGISTRY, SERVICES, prefix
from newsdesk_shared.settings import Setting

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
START = "<!-- env-table:start -->"
END = "<!-- env-table:end -->"
SECTIONS = {
    frozenset(SERVICES): "Every service",
    frozenset({"detector"}): "Detector",
    frozenset({"translator", "summarizer"}): "Translator and summarizer",
    frozenset({"translator"}): "Translator",
    frozenset({"summarizer"}): "Summarizer",
    frozenset({"archive"}): "Archive",
    frozenset(): "Client and CLI",
}
READER_NAMES = {"client": "client, CLI", "tools": "`newsdesk` commands (serve, models)"}


def _suffix(name: str) -> str:
    """The name after its service prefix (the whole name when it has none)."""
    for service in SERVICES:
        if name.startswith(prefix(service)):
            return name.removeprefix(prefix(service))
    return name


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _row(entries: list[Setting[Any]]) -> str:
    names = "<br>".join(f"`{e.name}`" for e in entries)
    defaults = list(dict.fromkeys(e.shown_default() for e in entries))
    readers = sorted({r for e in entries for r in e.readers}, key=READERS.index)
    cells = [
        names,
        " / ".join(d if d else "—" for d in defaults),
        entries[0].accepted(),
        ", ".join(READER_NAMES.get(r, r) for r in readers),
        entries[0].meaning,
    ]
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def render() -> str:
    """The markdown between the markers: a count, then a table per section."""
    groups: dict[tuple[str, str, str], list[Setting[Any]]] = {}
    for entry in REGISTRY.values():
        key = (_suffix(entry.name), entry.meaning, entry.accepted())
        groups.setdefault(key, []).append(entry)
    sections: dict[str, list[str]] = {title: [] for title in SECTIONS.values()}
    for entries in groups.values():
        services = frozenset(r for e in entries for r in e.readers if r in SERVICES)
        sections[SECTIONS[services]].append(_row(entries))
    replaced = sum(1 for e in REGISTRY.values() if e.replaced_by)
    lines = [
        f"{len(REGISTRY)} variables ({replaced} of them an old name still read), generated "
        "from `clients/newsdesk_shared/env.py` by `python tools/env_table.py --write`; CI "
        "checks the two agree. Unset or empty means the default; a value outside what a "
        "variable accepts stops the service at start, naming the variable.",
    ]
    for title, rows in sections.items():
        if rows:
            lines += [
                "",
                f"**{title}**",
                "",
                "| variable | default | accepts | read by | meaning |",
            ]
            lines += ["|---|---|---|---|---|", *rows]
    return "\n".join(lines) + "\n"


def replaced(readme: str, table: str) -> str:
    """`readme` with the text between the markers replaced by `table`."""
    head, start, rest = readme.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise SystemExit(f"env_table: {README.name} lacks the {START} … {END} markers")
    return f"{head}{START}\n{table}{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="exit 1 if README.md differs")
    mode.add_argument("--write", action="store_true", help="update README.md")
    args = parser.parse_args(argv)
    table = render()
    if not (args.check or args.write):
        sys.stdout.write(table)
        return 0
    current = README.read_text(encoding="utf-8")
    wanted = replaced(current, table)
    if args.write:
        if wanted != current:
            README.write_text(wanted, encoding="utf-8")
        return 0
    if wanted == current:
        return 0
    diff = difflib.unified_diff(
        current.splitlines(keepends=True),
        wanted.splitlines(keepends=True),
        "README.md",
        "README.md (from the registry)",
    )
    sys.stdout.writelines(diff)
    print(
        "env_table: README.md's configuration table is stale: run python tools/env_table.py --write"
    )
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
