"""The archive on PostgreSQL (WIP, issue 24): the same behaviour as the SQLite store
(store.py) for deployments with several replicas — psycopg 3 with a connection pool,
migrations from services/archive/migrations/postgres/*.sql, full-text search on a
generated tsvector with a GIN index, ts_rank_cd × the same recency factor and entity
boost. Every value is a bound parameter; the tsquery is assembled in SQL from quoted
terms.

At scale the query keeps its rarest phrases as the SQLite store does, with document
frequencies estimated from the planner's statistics of the tsvector column (pg_stats'
most common elements, kept for 10,000 lexemes by migration 0002; a lexeme not among
them counts as rare), cached DF_CACHE_SECONDS. ts_rank_cd reads each match's tsvector,
so the budget is smaller than SQLite's (MAX_POSTINGS here), and at most that many of
the newest matches are ranked. search() also matches the items that hold every term
of the query, and ranks all it matches on every term (ts_rank_cd has no notion of a
rare word, so ranking on the kept ones alone would reorder a search); related() ranks
on the kept phrases. Server-side prepared statements are off: a generic plan of these
queries cannot know how rare their terms are."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Unpack

from services.archive.store import (
    DF_CACHE_SECONDS,
    PURGE_BATCH,
    Choice,
    Item,
    ItemFields,
    RankedStore,
    Related,
    choose_phrases,
    fts_tokens,
    item_values,
    key_terms,
    shared_terms,
)

MIGRATIONS = Path(__file__).with_name("migrations") / "postgres"
POOL_TIMEOUT_S = 5.0
CONNECT_TIMEOUT_S = 5
# Matches a query may rank, summed over its phrases (ts_rank_cd detoasts each one).
MAX_POSTINGS = 4_000
_COLUMNS = (
    "id, published, added, headline, summary, english, original, language, source, url, entities"
)
_ITEM_COLUMNS = ", ".join(f"items.{c.strip()}" for c in _COLUMNS.split(","))


def _tsquery(parameter: str, operator: str) -> str:
    """SQL for the tsquery of the phrase list in %(parameter)s: each phrase a quoted
    lexeme string (quote_literal; the words inside one become a <-> phrase), joined by
    `operator` (| or &). Both arguments are this module's constants, never input."""
    return (
        "to_tsquery('simple', array_to_string(ARRAY(SELECT quote_literal(t) "
        f"FROM unnest(%({parameter})s::text[]) AS t), ' {operator} '))"
    )


_INSERT = (
    "INSERT INTO items (published, headline, summary, english, original, language, source, "
    "url, entities) VALUES (%(published)s, %(headline)s, %(summary)s, %(english)s, "
    "%(original)s, %(language)s, %(source)s, %(url)s, %(entities)s)"
)
# Newest matches first up to %(scan)s; ranked on their tsvector; the best %(candidates)s
# rows read after.
_RELATED = f"""
WITH q AS (SELECT {_tsquery("terms", "|")} AS q)
SELECT {_ITEM_COLUMNS}, ranked.score FROM (
    SELECT m.id, ts_rank_cd(m.tsv, q.q)
               * exp(%(decay)s * (%(day)s::date - m.published)) AS score
    FROM (
        SELECT items.id, items.tsv, items.published FROM items, q
        WHERE items.tsv @@ q.q AND items.published <= %(day)s::date
            AND items.id IS DISTINCT FROM %(exclude)s::bigint
        ORDER BY items.id DESC LIMIT %(scan)s
    ) AS m, q
    ORDER BY score DESC LIMIT %(candidates)s
) AS ranked JOIN items ON items.id = ranked.id
ORDER BY ranked.score DESC
"""
# Search matches the kept terms, or all of them at once; ranks on every term.
_SEARCH = f"""
WITH q AS (
    SELECT {_tsquery("every", "|")} AS q,
           {_tsquery("terms", "|")} || {_tsquery("every", "&")} AS c
)
SELECT {_ITEM_COLUMNS}, ranked.score FROM (
    SELECT m.id, ts_rank_cd(m.tsv, q.q) AS score
    FROM (
        SELECT items.id, items.tsv FROM items, q WHERE items.tsv @@ q.c
        ORDER BY items.id DESC LIMIT %(scan)s
    ) AS m, q
    ORDER BY score DESC LIMIT %(limit)s
) AS ranked JOIN items ON items.id = ranked.id
ORDER BY ranked.score DESC
"""
_STATISTICS = (
    "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples "
    "FROM pg_stats AS s JOIN pg_class AS c ON c.oid = to_regclass('items') "
    "WHERE s.schemaname = current_schema() AND s.tablename = 'items' AND s.attname = 'tsv'"
)


class PostgresStore(RankedStore):
    """The archive in PostgreSQL, given a URL (postgresql://…)."""

    kind = "postgresql"

    def __init__(
        self, url: str, *, half_life_days: float = 365.0, min_size: int = 1, max_size: int = 4
    ) -> None:
        from psycopg_pool import ConnectionPool

        self.half_life_days = half_life_days
        self.max_postings = MAX_POSTINGS
        # No server-side prepared statements: a generic plan of the ranking query (made
        # after 5 runs) does not know how rare its terms are, and scans far more rows.
        # A call waits at most POOL_TIMEOUT_S for a connection, a connection attempt at
        # most CONNECT_TIMEOUT_S, and a pooled connection is checked before it is lent:
        # with the database down a call fails in seconds (StorageUnavailable upstream),
        # not after psycopg_pool's default 30 s.
        self._pool = ConnectionPool(
            url,
            min_size=min_size,
            max_size=max_size,
            open=False,
            timeout=POOL_TIMEOUT_S,
            check=ConnectionPool.check_connection,
            kwargs={"prepare_threshold": None, "connect_timeout": CONNECT_TIMEOUT_S},
        )
        self._stats_lock = threading.Lock()
        self._stats: tuple[float, dict[str, int], int] | None = None
        try:
            # At start the real cause (refused, bad password, no such database) is said:
            # one direct connection first, then the pool.
            import psycopg

            psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S).close()
            self._pool.open(wait=True, timeout=POOL_TIMEOUT_S * 2)
            self.migrate()
        except BaseException:
            self._pool.close()
            raise

    def close(self) -> None:
        """Close the pool."""
        self._pool.close()

    def migrate(self) -> list[str]:
        """Apply the migrations not yet applied, in name order (one transaction, under
        an advisory lock so replicas starting together do not race); their names."""
        applied: list[str] = []
        with self._pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(27240)")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(name TEXT PRIMARY KEY, at TIMESTAMPTZ NOT NULL DEFAULT now())"
            )
            done = {r[0] for r in conn.execute("SELECT name FROM schema_migrations")}
            for script in sorted(MIGRATIONS.glob("*.sql")):
                if script.name in done:
                    continue
                conn.execute(script.read_text("utf-8"))
                conn.execute("INSERT INTO schema_migrations (name) VALUES (%s)", (script.name,))
                applied.append(script.name)
        return applied

    def add(self, english: str, published: date, **fields: Unpack[ItemFields]) -> Item:
        """Store one brief; the stored item (with its id)."""
        values = item_values(english, published, **fields)
        with self._pool.connection() as conn:
            row = conn.execute(f"{_INSERT} RETURNING {_COLUMNS}", values).fetchone()
        assert row is not None
        return _item(row)

    def add_many(self, items: Iterable[Mapping[str, Any]]) -> list[int]:
        """Store many briefs in one transaction (each a mapping of add()'s arguments);
        their ids, in order. For imports and backfills."""
        rows = [item_values(**item) for item in items]
        ids: list[int] = []
        with self._pool.connection() as conn, conn.transaction(), conn.cursor() as cursor:
            cursor.executemany(f"{_INSERT} RETURNING id", rows, returning=True)
            while True:
                row = cursor.fetchone()
                if row is not None:
                    ids.append(int(row[0]))
                if not cursor.nextset():
                    break
        return ids

    def get(self, item_id: int) -> Item | None:
        """The item, or None."""
        with self._pool.connection() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM items WHERE id = %s", (item_id,)).fetchone()
        return _item(row) if row else None

    def delete(self, item_id: int) -> bool:
        """Delete one item; False when there was none."""
        with self._pool.connection() as conn:
            return conn.execute("DELETE FROM items WHERE id = %s", (item_id,)).rowcount > 0

    def list_by_date(
        self, start: date, end: date, *, limit: int = 100, offset: int = 0
    ) -> list[Item]:
        """Items published from `start` to `end` (inclusive), newest first."""
        with self._pool.connection() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM items WHERE published BETWEEN %s AND %s "
                "ORDER BY published DESC, id DESC LIMIT %s OFFSET %s",
                (start, end, limit, offset),
            ).fetchall()
        return [_item(r) for r in rows]

    def purge(self, older_than_days: int, today: date) -> int:
        """Delete items published more than `older_than_days` before `today`; how many."""
        cutoff = date.fromordinal(today.toordinal() - older_than_days)
        removed = 0
        while True:  # in batches, each its own transaction
            with self._pool.connection() as conn:
                count = conn.execute(
                    "DELETE FROM items WHERE id IN "
                    "(SELECT id FROM items WHERE published < %s LIMIT %s)",
                    (cutoff, PURGE_BATCH),
                ).rowcount
            removed += count
            if count < PURGE_BATCH:
                return removed

    def _related_rows(
        self, conn: Any, phrases: Sequence[str], published: date, exclude: int | None, limit: int
    ) -> list[tuple[Item, float]]:
        values = self._related_values(published, exclude, limit)
        values.update(terms=list(phrases), day=published)
        return [(_item(r[:-1]), float(r[-1])) for r in conn.execute(_RELATED, values)]

    def _session(self) -> contextlib.AbstractContextManager[Any]:
        return self._pool.connection()

    def search(self, query: str, *, limit: int = 10) -> list[Related]:
        """Items matching a query's key terms, best match first (ts_rank_cd; no date
        bound, no recency), with the terms each shares; [] for stopwords only."""
        terms = key_terms(query)
        if limit <= 0 or not terms:
            return []
        with self._pool.connection() as conn:
            choice = self._choose(conn, terms)
            if not choice.chosen:
                return []
            rows = conn.execute(
                _SEARCH,
                {
                    "terms": choice.chosen,
                    "every": choice.chosen + choice.dropped,
                    "scan": self.max_postings,
                    "limit": limit,
                },
            ).fetchall()
        return [
            Related(item, round(float(r[-1]), 4), shared_terms(terms, item))
            for r in rows
            for item in (_item(r[:-1]),)
        ]

    def count(self) -> int:
        """Items stored."""
        with self._pool.connection() as conn:
            row = conn.execute("SELECT count(*) FROM items").fetchone()
        return int(row[0]) if row else 0

    def _choose(self, conn: Any, phrases: Sequence[str]) -> Choice:
        frequent, rare = self._frequencies(conn)
        tokens = {t for p in phrases for t in fts_tokens(p)}
        frequency = {t: frequent.get(t, rare) for t in tokens}
        return choose_phrases(phrases, frequency, self.max_postings)

    def _frequencies(self, conn: Any) -> tuple[dict[str, int], int]:
        """Estimated documents per lexeme for the most common ones (pg_stats, after
        ANALYZE or autovacuum), and the estimate for any other (below the least common
        tracked); empty before the first ANALYZE."""
        now = time.monotonic()
        with self._stats_lock:
            if self._stats is not None and now - self._stats[0] < DF_CACHE_SECONDS:
                return self._stats[1], self._stats[2]
        row = conn.execute(_STATISTICS).fetchone()
        frequent: dict[str, int] = {}
        rare = 0
        if row and row[0] and row[1]:
            rows = max(float(row[2] or 0.0), 0.0)
            frequent = {e: int(f * rows) for e, f in zip(row[0], row[1], strict=False)}
            rare = int(min(row[1][: len(row[0])]) * rows / 2)
        with self._stats_lock:
            self._stats = (now, frequent, rare)
        return frequent, rare


def _item(row: Sequence[Any]) -> Item:
    (item_id, published, added, headline, summary, english, original, language, source, url,
     entities) = row  # fmt: skip
    return Item(
        id=int(item_id),
        published=published,
        english=english,
        headline=headline,
        summary=summary,
        original=original,
        language=language,
        source=source,
        url=url,
        entities=tuple(entities if isinstance(entities, list) else json.loads(entities)),
        added=added.isoformat(timespec="seconds") if added else "",
    )
