"""The archive's stores (WIP, issue 24), SQLite and PostgreSQL alike: migrations,
add/get/delete/list/purge, related items ranked by full text, recency and shared names
(never later or near-duplicate), search, and 8 writers + 8 readers at once."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from datetime import date

import pytest

from services.archive.store import (
    SqliteStore,
    choose_phrases,
    fts_tokens,
    key_terms,
    near_duplicate,
)

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
    if not os.environ.get("ARCHIVE_TESTS_REQUIRE_POSTGRES"):  # CI: never skipped
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
        pg = PostgresStore(url)
        try:
            yield pg
        finally:
            pg.close()


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


def test_kind_names_the_store(store) -> None:
    """Describe reports the storage kind from the store itself."""
    from services.archive.pg import PostgresStore

    expected = "postgresql" if isinstance(store, PostgresStore) else "sqlite"
    assert store.kind == expected


KHOMCHAK = (
    "Ruslan Khomchak said the army had moved artillery to the border near Kharkiv, "
    "and the general staff ordered drills."
)
BORDER = "The army moved artillery to the border near Kharkiv as the general staff ordered drills."
FILLER = [
    "The central bank kept its key rate at 6.5% citing inflation.",
    "Grain exports through the Black Sea corridor rose in October.",
    "The football championship final was postponed by a week.",
    "Parliament passed the budget for the coming year on Thursday.",
    "Heavy snow closed schools across the western region.",
]


def add_filler(store) -> None:
    """Unrelated items: BM25 weighs a word by how few items hold it, and scores
    nothing for a word half the archive holds."""
    for i, text in enumerate(FILLER):
        store.add(text, date(2020, 1, 1 + i))


def test_an_item_sharing_a_name_outranks_an_otherwise_equal_one(store) -> None:
    """Two items with the same text and date: the one whose stored entities hold the
    article's name (any case) ranks first and says which names it shares."""
    add_filler(store)
    plain = store.add(BORDER, date(2021, 3, 1), entities=["Kharkiv"])
    named = store.add(BORDER, date(2021, 3, 1), entities=["Kharkiv", "Ruslan Khomchak"])
    picks = store.related(KHOMCHAK, date(2021, 4, 1), entities=["RUSLAN KHOMCHAK", "Kyiv"])
    assert [p.item.id for p in picks] == [named.id, plain.id]
    assert picks[0].shared_entities == ("RUSLAN KHOMCHAK",)
    assert picks[1].shared_entities == ()
    assert picks[0].score > picks[1].score
    # The boost, not the text, decides: without names neither shares any.
    unnamed = store.related(KHOMCHAK, date(2021, 4, 1))
    assert {p.item.id for p in unnamed} == {named.id, plain.id}
    assert all(p.shared_entities == () for p in unnamed)
    unboosted = next(p for p in unnamed if p.item.id == named.id)
    assert picks[0].score >= 1.5 * unboosted.score > 0


def test_a_name_alone_finds_items(store) -> None:
    """An article whose text has no key terms still finds items by its names."""
    named = store.add(BORDER, date(2021, 3, 1), entities=["Ruslan Khomchak"])
    picks = store.related("and the of", date(2021, 4, 1), entities=["Ruslan Khomchak"])
    assert [p.item.id for p in picks] == [named.id]
    assert picks[0].shared_entities == ("Ruslan Khomchak",)


def test_search_ranks_best_match_first_with_no_date_bound(store) -> None:
    """search(): the key terms of a query, best match first, whatever the date; the
    terms each hit shares; nothing for an empty or stopword-only query."""
    add_filler(store)
    strong = store.add(
        "Drills near Lviv: drills, drills and more drills in Lviv.", date(2030, 1, 1)
    )
    weak = store.add("Officials discussed drills among many other topics.", date(2019, 1, 1))
    other = store.add("Kyiv's council met about the tram timetable.", date(2021, 1, 1))
    hits = store.search("Lviv drills", limit=10)
    assert [h.item.id for h in hits][:2] == [strong.id, weak.id]
    assert other.id not in [h.item.id for h in hits]
    assert hits[0].shared_terms == ("lviv", "drills")
    assert hits[1].shared_terms == ("drills",)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert hits[0].score > hits[1].score > 0
    assert store.search("Lviv drills", limit=1) == hits[:1]
    assert store.search("") == [] and store.search("the and of it") == []
    assert store.search('") OR drills* NEAR(') and store.count() == 3 + len(FILLER)


def test_eight_writers_and_eight_readers_lose_nothing(store) -> None:
    """8 writer and 8 reader threads for about 2 s: no call fails, every id a writer got
    back reads back with its text, and the count matches."""
    for text, day in EARLIER:
        store.add(text, day, entities=["NATO"])
    before = store.count()
    stop = threading.Event()
    written: list[tuple[int, str]] = []
    errors: list[BaseException] = []
    reads = [0]
    lock = threading.Lock()

    def writer(w: int) -> None:
        k = 0
        while not stop.is_set():
            text = f"Writer {w} filed report {k} on NATO drills near Lviv and border troops."
            try:
                item = store.add(text, date(2021, 1, 1 + k % 28), entities=["NATO"])
                with lock:
                    written.append((item.id, text))
            except BaseException as exc:
                errors.append(exc)
            k += 1

    def reader(r: int) -> None:
        k = 0
        while not stop.is_set():
            try:
                if k % 3 == 0:
                    store.related(DRILLS, date(2021, 7, 1), entities=["NATO"])
                elif k % 3 == 1:
                    store.search("Lviv drills")
                else:
                    with lock:
                        last = written[-1] if written else None
                    if last is not None:
                        got = store.get(last[0])
                        assert got is not None and got.english == last[1]
                with lock:
                    reads[0] += 1
            except BaseException as exc:
                errors.append(exc)
            k += 1

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(8)]
    threads += [threading.Thread(target=reader, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(2.0)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors[:3]
    assert written and reads[0] > 0
    assert len({i for i, _ in written}) == len(written)
    for item_id, text in written:
        got = store.get(item_id)
        assert got is not None and got.english == text
    assert store.count() == before + len(written)


def test_sqlite_connections_per_caller_closed_by_close(tmp_path) -> None:
    """A file store opens a connection per concurrent caller and close() closes every
    one; a closed store refuses calls."""
    store = SqliteStore(tmp_path / "a.db")
    store.add(EARLIER[1][0], EARLIER[1][1])
    barrier = threading.Barrier(4)

    def call() -> None:
        with store._connection():
            barrier.wait(timeout=10)

    threads = [threading.Thread(target=call) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.connections() >= 4
    store.close()
    assert store.connections() == 0
    with pytest.raises(sqlite3.ProgrammingError):
        store.count()
    db = sqlite3.connect(tmp_path / "a.db")
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        db.close()


def test_sqlite_a_writer_waits_for_the_lock_and_readers_do_not(tmp_path) -> None:
    """While another connection holds the write lock, reads answer at once and add()
    waits (busy timeout), then succeeds once the lock is released."""
    store = SqliteStore(tmp_path / "a.db", busy_timeout=10.0)
    first = store.add(EARLIER[1][0], EARLIER[1][1])
    other = sqlite3.connect(tmp_path / "a.db", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        added: list[int] = []
        thread = threading.Thread(
            target=lambda: added.append(store.add(DRILLS, date(2021, 5, 1)).id)
        )
        thread.start()
        began = time.monotonic()
        assert store.get(first.id) is not None and store.related(DRILLS, date(2021, 7, 1))
        assert time.monotonic() - began < 2.0
        time.sleep(0.3)
        assert not added  # still waiting for the lock
        other.execute("COMMIT")
        thread.join(timeout=10)
        assert len(added) == 1 and store.count() == 2
    finally:
        other.close()
        store.close()


def test_sqlite_memory_store_is_one_connection() -> None:
    """':memory:' keeps one connection (each would be its own database)."""
    store = SqliteStore(":memory:")
    try:
        store.add(EARLIER[1][0], EARLIER[1][1])
        assert store.related(DRILLS, date(2021, 7, 1)) and store.search("drills")
        assert store.connections() == 1
    finally:
        store.close()
    assert store.connections() == 0


def test_fts_tokens_match_the_index(tmp_path) -> None:
    """The document-frequency look-up splits words as FTS5 indexes them."""
    text = "Київ й Ёлка café naïve Straße O’Brien co-op Zürich x_y 2021 İstanbul Łódź"
    store = SqliteStore(tmp_path / "a.db")
    try:
        store.add(text, date(2021, 1, 1))
        with store._connection() as db:
            indexed = {r[0] for r in db.execute("SELECT term FROM items_vocab")}
    finally:
        store.close()
    assert set(fts_tokens(text)) == indexed


def test_choose_phrases_keeps_the_rarest_within_the_budget() -> None:
    """Rarest first while the documents they match add up to the budget; the rarest
    always; a phrase once however it is spelled; a phrase counts its rarest word."""
    frequency = {"nato": 900, "lviv": 40, "drills": 300, "ruslan": 50, "khomchak": 5}
    choice = choose_phrases(["Ruslan Khomchak", "nato", "lviv", "LVIV", "drills"], frequency, 400)
    assert choice.chosen == ["Ruslan Khomchak", "lviv", "drills"] and choice.postings == 345
    assert choice.dropped == ["nato"]
    assert choose_phrases(["nato", "drills"], frequency, 10) == (["drills"], ["nato"], 300)
    assert choose_phrases(["unknown", "?!"], frequency, 0) == (["unknown"], [], 0)


def test_sqlite_budget_leaves_common_terms_out(tmp_path) -> None:
    """With a budget of a few documents the query keeps only its rarest terms: the
    item sharing them is found, items sharing only common terms are not — unless the
    kept terms find too few, when every term is asked again (as many matches as the
    budget ranked). search() finds the items that hold every term of the query however
    common, scored on every term."""
    store = SqliteStore(tmp_path / "a.db")
    try:
        add_filler(store)
        common = [store.add(f"Troops and drills, report {i}.", date(2021, 1, 1)) for i in range(5)]
        rare = store.add("Khomchak inspected the troops.", date(2021, 1, 2))
        store.max_postings = 3
        article = "Khomchak watched troops at drills."
        picks = store.related(article, date(2021, 2, 1), limit=1)
        assert [p.item.id for p in picks] == [rare.id]
        picks = store.related(article, date(2021, 2, 1), limit=10)  # too few: widened
        assert picks[0].item.id == rare.id and len(picks) == 3
        assert {p.item.id for p in picks[1:]} <= {c.id for c in common}
        store.max_postings = 5
        hits = store.search("troops drills report", limit=3)
        assert len(hits) == 3 and {h.item.id for h in hits} <= {c.id for c in common}
        assert all(h.shared_terms == ("troops", "drills", "report") for h in hits)
        store.max_postings = 10**9
        unbudgeted = store.search("troops drills report", limit=3)
        assert [h.score for h in unbudgeted] == [h.score for h in hits]
    finally:
        store.close()
