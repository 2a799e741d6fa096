"""The archive's SQLite store (WIP, issue 24): migrations, add/get/delete/list/purge,
and related items ranked by full text and recency, never later or near-duplicate."""

from __future__ import annotations

from datetime import date

import pytest

from services.archive.store import SqliteStore, key_terms, near_duplicate

DRILLS = "Ukraine invited NATO troops to joint military drills near Lviv in the summer."
EARLIER = [
    (
        "Khomchak said Russia had massed 28 battalion tactical groups near the border.",
        date(2021, 3, 30),
    ),
    (
        "NATO and Ukrainian troops held joint drills near Lviv with 4,000 soldiers.",
        date(2020, 9, 21),
    ),
    ("The central bank kept its key rate at 6.5% citing inflation.", date(2021, 3, 4)),
    (
        "Joint NATO drills with Ukraine will be held again in Lviv, officials said.",
        date(2021, 6, 1),
    ),
]


@pytest.fixture(scope="module")
def pg_admin():
    """One throwaway PostgreSQL server for the module (skipped when not installed)."""
    pytest.importorskip("psycopg_pool", reason="psycopg is the archive extra's driver")
    from tests.archive_pg import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgres"])
def store(request, tmp_path):
    """The same behaviour on both stores: SQLite in a temp file, PostgreSQL in a fresh
    database of the module's server."""
    if request.param == "sqlite":
        s = SqliteStore(tmp_path / "archive.db")
        try:
            yield s
        finally:
            s.close()
        return
    from services.archive.pg import PostgresStore
    from tests.archive_pg import database

    admin = request.getfixturevalue("pg_admin")
    with database(admin, f"t{abs(hash(request.node.nodeid)) % 10**9}") as url:
        s = PostgresStore(url)
        try:
            yield s
        finally:
            s.close()


def test_migrations_apply_once(tmp_path) -> None:
    """The first open applies every migration; a second open applies none."""
    first = SqliteStore(tmp_path / "a.db")
    try:
        assert first.migrate() == []
    finally:
        first.close()
    again = SqliteStore(tmp_path / "a.db")
    try:
        assert again.migrate() == [] and again.count() == 0
    finally:
        again.close()


def test_add_get_delete_list_and_purge(store) -> None:
    """An item round-trips with its fields; list is by date, newest first; delete and
    purge remove from the table and the full-text index alike."""
    items = [store.add(text, day, source="desk", entities=["NATO"]) for text, day in EARLIER]
    got = store.get(items[0].id)
    assert got is not None and got.english == EARLIER[0][0] and got.entities == ("NATO",)
    listed = store.list_by_date(date(2021, 1, 1), date(2021, 12, 31))
    assert [i.published for i in listed] == [date(2021, 6, 1), date(2021, 3, 30), date(2021, 3, 4)]
    assert store.delete(items[3].id) and not store.delete(items[3].id)
    assert store.purge(365, today=date(2021, 12, 1)) == 1  # the 2020 item
    assert store.count() == 2
    left = {items[0].id, items[2].id}
    assert all(r.item.id in left for r in store.related(DRILLS, date(2021, 7, 1)))


def test_related_ranks_by_terms_and_never_returns_later_items(store) -> None:
    """The drills story's related items are the drills items dated before it, best
    first, with the terms they share; the later one and the unrelated one are not."""
    ids = {text: store.add(text, day).id for text, day in EARLIER}
    picks = store.related(DRILLS, date(2021, 5, 1), limit=3)
    assert picks and picks[0].item.english == EARLIER[1][0]
    assert EARLIER[3][0] not in [p.item.english for p in picks]  # dated after the story
    assert ids[EARLIER[2][0]] not in [p.item.id for p in picks]  # no shared terms
    assert {"nato", "drills", "lviv"} <= set(picks[0].shared_terms)
    assert [p.score for p in picks] == sorted((p.score for p in picks), reverse=True)


def test_related_skips_the_article_and_its_near_duplicates(store) -> None:
    """The article itself (by id) and a near-copy of it are never background."""
    own = store.add(DRILLS, date(2021, 5, 1))
    store.add(DRILLS + " ", date(2021, 4, 30))
    store.add(EARLIER[1][0], EARLIER[1][1])
    picks = store.related(DRILLS, date(2021, 5, 1), exclude=own.id)
    assert [p.item.english for p in picks] == [EARLIER[1][0]]
    assert near_duplicate(DRILLS, DRILLS + " ")


def test_hostile_text_is_a_query_not_syntax(store) -> None:
    """FTS operators and quotes in an article are searched as words, never parsed."""
    store.add(EARLIER[1][0], EARLIER[1][1])
    hostile = 'NATO" OR drills* NEAR(Lviv) ") DROP TABLE items; --'
    assert store.related(hostile, date(2022, 1, 1))
    assert store.count() == 1
    assert key_terms("the and of") == []
