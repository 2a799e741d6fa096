"""Retrieval quality of the archive: related items and background bullets.

    python bench/archive_quality_bench.py [--split dev|test|all] [--postgres] [--show]

Every story of tests/archive_cases.py (the clusters' earlier items, near-duplicates and
later items, and the distractors) goes into a fresh store — SQLite in memory, and with
--postgres also a throwaway PostgreSQL server (tests/archive_pg.py; reported as skipped
when PostgreSQL is not installed). Then, for each cluster's new article (its headline
and English, its date, its names):

- `P@3`: precision of `store.related(limit=3)` over the items it returned — the share
  of them from the article's cluster (earlier items only), averaged over the articles
  that got at least one item; `none` counts the articles that got none (they are left
  out of P@3, and count 0 in R@3);
- `R@3`: recall of the same top 3 — cluster items in it / min(3, the cluster's earlier
  items), averaged over all the articles;
- `bg all right`: the share of articles whose background (`background(store, …,
  count=N)`, N = 3 and 4) has at least one bullet, every one from the cluster;
  `bg ≥1`: the share with at least one bullet; `wrong`: bullets from elsewhere, all
  articles together;
- `unrelated empty`: for the unrelated articles, the share whose background is empty
  with shortfall NO_RELATED_ITEMS (N = 3 and 4);
- `later` / `near-dup`: violations — an item dated after the article, or one of its
  near-duplicates, among the top 10 related items or the bullets of any article (both
  must be 0);
- `form`: the share of bullets that are one complete sentence opening "On <Month> <d>,
  <yyyy>, " with a span that points at their source sentence.

The archive's thresholds (services/archive/background.py) are tuned on `dev`; `test`
is the held-out figure. Prints one table per store, a row per split, and the command.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.archive.background import NO_RELATED, background
from services.archive.bullets import Bullet
from services.archive.store import Item, SqliteStore
from services.archive.stores import Store
from services.common.text.segment import sentence_spans
from tests.archive_cases import CLUSTERS, UNRELATED, Cluster, Story, Unrelated, archive_stories

COUNTS = (3, 4)
_OPENING = re.compile(r"^On (?:January|February|March|April|May|June|July|August|September|"
                      r"October|November|December) \d{1,2}, \d{4}, \S")  # fmt: skip
_ENDS = '.!?"”’»)'


@dataclass(frozen=True)
class Archive:
    """A loaded store and what each item is: its label (a cluster's name or
    "distractor"), and which items are some article's near-duplicates."""

    store: Store
    labels: dict[int, str]
    items: dict[int, Item]
    near_duplicates: dict[str, frozenset[int]]


@dataclass
class Figures:
    """One split's figures on one store (see the module docstring)."""

    split: str
    names: bool = True
    articles: int = 0
    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    no_items: int = 0
    all_right: dict[int, int] = field(default_factory=dict)
    some: dict[int, int] = field(default_factory=dict)
    wrong: dict[int, int] = field(default_factory=dict)
    bullet_recall: dict[int, list[float]] = field(default_factory=dict)
    unrelated: int = 0
    unrelated_empty: dict[int, int] = field(default_factory=dict)
    later: int = 0
    near_duplicate: int = 0
    bullets: int = 0
    well_formed: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def p3(self) -> float:
        return sum(self.precision) / len(self.precision) if self.precision else 0.0

    @property
    def r3(self) -> float:
        return sum(self.recall) / self.articles if self.articles else 0.0

    def share(self, table: dict[int, int], count: int, of: int) -> float:
        return table.get(count, 0) / of if of else 0.0

    def recall_of_bullets(self, count: int) -> float:
        found = self.bullet_recall.get(count, [])
        return sum(found) / len(found) if found else 0.0

    @property
    def form(self) -> float:
        return self.well_formed / self.bullets if self.bullets else 1.0


def load(store: Store) -> Archive:
    """Add every archive story to `store` (in date order, as the desk would have)."""
    labels: dict[int, str] = {}
    items: dict[int, Item] = {}
    near: dict[str, set[int]] = {}
    duplicates = {id(s): c.name for c in CLUSTERS for s in c.near_duplicates}
    for label, story in sorted(archive_stories(), key=lambda pair: pair[1].published):
        item = store.add(
            story.english,
            story.published,
            headline=story.headline,
            original=story.original,
            language=story.language,
            source=story.source,
            url=story.url,
            entities=story.entities,
        )
        labels[item.id] = label
        items[item.id] = item
        if id(story) in duplicates:
            near.setdefault(duplicates[id(story)], set()).add(item.id)
    return Archive(store, labels, items, {k: frozenset(v) for k, v in near.items()})


def well_formed(made: Bullet, item: Item) -> bool:
    """One complete sentence opening with a date, its span pointing at its source."""
    start, end = made.span
    source = item.english[start:end]
    return (
        bool(_OPENING.match(made.text))
        and made.text[-1:] in _ENDS
        and len(sentence_spans(made.text)) == 1
        and bool(source.strip())
        and source == source.strip()
        and "(Reuters)" not in made.text
        and "(AP)" not in made.text
    )


def _violations(
    archive: Archive, figures: Figures, name: str, new: Story, ids: Sequence[int]
) -> None:
    for item_id in ids:
        item = archive.items[item_id]
        if item.published > new.published:
            figures.later += 1
            figures.notes.append(f"LATER {name}: #{item_id} {item.published} {item.headline}")
        if item_id in archive.near_duplicates.get(name, frozenset()):
            figures.near_duplicate += 1
            figures.notes.append(f"NEAR-DUPLICATE {name}: #{item_id} {item.headline}")


def evaluate(
    archive: Archive,
    clusters: Sequence[Cluster],
    unrelated: Sequence[Unrelated],
    split: str,
    *,
    names: bool = True,
    show: bool = False,
) -> Figures:
    """The figures of one split's clusters and unrelated articles, with the articles'
    names given to the store (`names`) or not (as a caller that knows none)."""
    store = archive.store
    figures = Figures(split, names)
    for cluster in clusters:
        new = cluster.new
        entities = new.entities if names else ()
        figures.articles += 1
        top = store.related(new.text, new.published, limit=3, entities=entities)
        right = [r for r in top if archive.labels[r.item.id] == cluster.name]
        right = [r for r in right if r.item.published <= new.published]
        right = [r for r in right if r.item.id not in archive.near_duplicates.get(cluster.name, ())]
        if top:
            figures.precision.append(len(right) / len(top))
        else:
            figures.no_items += 1
        figures.recall.append(len(right) / min(3, len(cluster.earlier)))
        wide = store.related(new.text, new.published, limit=10, entities=entities)
        _violations(archive, figures, cluster.name, new, [r.item.id for r in wide])
        if show:
            figures.notes.append(
                f"{cluster.name}: top3 "
                + ", ".join(f"{archive.labels[r.item.id]}({r.score:.2f})" for r in top)
            )
        for count in COUNTS:
            made = background(store, new.text, new.published, count, entities=entities)
            ids = [b.item_id for b in made.bullets]
            _violations(archive, figures, cluster.name, new, ids)
            wrong = [i for i in ids if archive.labels[i] != cluster.name]
            figures.wrong[count] = figures.wrong.get(count, 0) + len(wrong)
            figures.bullet_recall.setdefault(count, []).append(
                (len(ids) - len(wrong)) / min(count, len(cluster.earlier))
            )
            if ids:
                figures.some[count] = figures.some.get(count, 0) + 1
                if not wrong:
                    figures.all_right[count] = figures.all_right.get(count, 0) + 1
            for b in made.bullets:
                figures.bullets += 1
                if well_formed(b, archive.items[b.item_id]):
                    figures.well_formed += 1
                else:
                    figures.notes.append(f"FORM {cluster.name}: {b.text!r}")
            if show and count == COUNTS[-1]:
                for b, i in zip(made.bullets, ids, strict=True):
                    figures.notes.append(f"  [{archive.labels[i]} {b.score:.2f}] {b.text}")
                if made.shortfall:
                    figures.notes.append(f"  ({made.shortfall}: {made.shortfall_detail})")
    for case in unrelated:
        new = case.new
        entities = new.entities if names else ()
        figures.unrelated += 1
        wide = store.related(new.text, new.published, limit=10, entities=entities)
        _violations(archive, figures, case.name, new, [r.item.id for r in wide])
        for count in COUNTS:
            made = background(store, new.text, new.published, count, entities=entities)
            _violations(archive, figures, case.name, new, [b.item_id for b in made.bullets])
            if not made.bullets and made.shortfall == NO_RELATED:
                figures.unrelated_empty[count] = figures.unrelated_empty.get(count, 0) + 1
            elif count == COUNTS[0]:
                figures.notes.append(
                    f"UNRELATED {case.name} got: "
                    + "; ".join(f"{archive.labels[b.item_id]} {b.text[:70]}" for b in made.bullets)
                )
    return figures


def splits(name: str) -> list[str]:
    return ["dev", "test"] if name == "all" else [name]


def run(store: Store, split: str, *, show: bool = False) -> list[Figures]:
    """Load `store` and evaluate each split asked for (dev, test, or all = both), with
    the articles' names and without."""
    archive = load(store)
    return [
        evaluate(
            archive,
            [c for c in CLUSTERS if c.split == name],
            [u for u in UNRELATED if u.split == name],
            name,
            names=names,
            show=show,
        )
        for name in splits(split)
        for names in (True, False)
    ]


def table(kind: str, results: Sequence[Figures]) -> str:
    """A markdown table: one row per split."""
    counts = "/".join(str(c) for c in COUNTS)
    lines = [
        f"store: {kind}",
        f"| split | names | articles | P@3 | R@3 | none | bg all right (N={counts}) | bg ≥1 "
        f"(N={counts}) | bg recall (N={counts}) | wrong | unrelated empty (N={counts}) | "
        "later | near-dup | form |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for f in results:

        def pair(t: dict[int, int], of: int, f: Figures = f) -> str:
            return " / ".join(f"{t.get(c, 0)}/{of} = {f.share(t, c, of):.2f}" for c in COUNTS)

        wrong = "/".join(str(f.wrong.get(c, 0)) for c in COUNTS)
        recall = " / ".join(f"{f.recall_of_bullets(c):.2f}" for c in COUNTS)
        lines.append(
            f"| {f.split} | {'given' if f.names else 'none'} | {f.articles} | {f.p3:.3f} | "
            f"{f.r3:.3f} | {f.no_items} | {pair(f.all_right, f.articles)} | "
            f"{pair(f.some, f.articles)} | {recall} | {wrong} | "
            f"{pair(f.unrelated_empty, f.unrelated)} | {f.later} | {f.near_duplicate} | "
            f"{f.well_formed}/{f.bullets} |"
        )
    return "\n".join(lines)


@contextlib.contextmanager
def postgres_store() -> Iterator[Store | str]:
    """A PostgresStore on a throwaway server, or why there is none (a string)."""
    try:
        import pytest

        from tests.archive_pg import database, postgres_server
    except ImportError as error:  # pragma: no cover - the dev extra is installed
        yield f"skipped: {error}"
        return
    try:
        with postgres_server() as admin, database(admin, "archive_quality") as url:
            from services.archive.pg import PostgresStore

            store = PostgresStore(url)
            try:
                yield store
            finally:
                store.close()
    except pytest.skip.Exception as skipped:
        yield f"skipped: {skipped.msg}"


def main(argv: list[str] | None = None) -> int:
    """Print the tables."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test", "all"), default="all")
    parser.add_argument("--postgres", action="store_true", help="also PostgreSQL")
    parser.add_argument("--show", action="store_true", help="per-article picks and bullets")
    args = parser.parse_args(argv)
    command = " ".join(["python bench/archive_quality_bench.py", *(argv or sys.argv[1:])])
    print(f"command: {command}\ncases: tests/archive_cases.py, as of {date.today()}\n")
    sqlite = SqliteStore(":memory:")
    try:
        results = run(sqlite, args.split, show=args.show)
    finally:
        sqlite.close()
    print(table("sqlite (:memory:)", results))
    for f in results:
        for note in f.notes:
            print(f"  {f.split} ({'names' if f.names else 'no names'}): {note}")
    if args.postgres:
        with postgres_store() as pg:
            if isinstance(pg, str):
                print(f"\nstore: postgresql — {pg}")
            else:
                results = run(pg, args.split, show=args.show)
                print("\n" + table("postgresql", results))
                for f in results:
                    for note in f.notes:
                        print(f"  {f.split} ({'names' if f.names else 'no names'}): {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
