"""The archive on PostgreSQL (WIP, issue 24): the same behaviour as the SQLite store
(store.py) for deployments with several replicas — psycopg 3 with a connection pool,
migrations from services/archive/migrations/postgres/*.sql, full-text search on a
generated tsvector with a GIN index, ts_rank_cd × the same recency factor. Every value
is a bound parameter; the tsquery is assembled in SQL from quoted terms."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from services.archive.store import _WORD, Item, Related, key_terms, near_duplicate

MIGRATIONS = Path(__file__).with_name("migrations") / "postgres"
_COLUMNS = (
    "id, published, added, headline, summary, english, original, language, source, url, entities"
)
# The tsquery of a term list: each term a quoted lexeme (quote_literal), OR-ed.
_QUERY = (
    "to_tsquery('simple', array_to_string(ARRAY(SELECT quote_literal(t) "
    "FROM unnest(%(terms)s::text[]) AS t), ' | '))"
)


class PostgresStore:
    """The archive in PostgreSQL, given a URL (postgresql://…)."""

    def __init__(
        self, url: str, *, half_life_days: float = 365.0, min_size: int = 1, max_size: int = 4
    ) -> None:
        from psycopg_pool import ConnectionPool

        self.half_life_days = half_life_days
        self._pool = ConnectionPool(url, min_size=min_size, max_size=max_size, open=True)
        self.migrate()

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

    def add(
        self,
        english: str,
        published: date,
        *,
        headline: str = "",
        summary: str = "",
        original: str = "",
        language: str = "en",
        source: str = "",
        url: str = "",
        entities: Sequence[str] = (),
    ) -> Item:
        """Store one brief; the stored item (with its id)."""
        with self._pool.connection() as conn:
            row = conn.execute(
                "INSERT INTO items (published, headline, summary, english, original, language, "
                f"source, url, entities) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) "
                f"RETURNING {_COLUMNS}",
                (
                    published,
                    headline,
                    summary,
                    english,
                    original,
                    language,
                    source,
                    url,
                    json.dumps(list(entities), ensure_ascii=False),
                ),
            ).fetchone()
        assert row is not None
        return _item(row)

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
        with self._pool.connection() as conn:
            return conn.execute("DELETE FROM items WHERE published < %s", (cutoff,)).rowcount

    def related(
        self, text: str, published: date, *, limit: int = 3, exclude: int | None = None
    ) -> list[Related]:
        """Earlier items related to an article (see store.py)."""
        terms = key_terms(text)
        if not terms:
            return []
        with self._pool.connection() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS}, ts_rank_cd(tsv, q) AS rank FROM items, {_QUERY} AS q "
                "WHERE tsv @@ q AND published <= %(published)s ORDER BY rank DESC LIMIT %(n)s",
                {"terms": terms, "published": published, "n": max(limit * 8, 24)},
            ).fetchall()
        picks: list[Related] = []
        for row in rows:
            item = _item(row[:-1])
            if item.id == exclude or near_duplicate(text, item.english):
                continue
            age = max(0, published.toordinal() - item.published.toordinal())
            recency = math.pow(0.5, age / self.half_life_days)
            words = {w.lower() for w in _WORD.findall(f"{item.headline} {item.english}")}
            shared = tuple(t for t in terms if t in words)
            picks.append(Related(item, round(float(row[-1]) * recency, 4), shared))
        picks.sort(key=lambda r: -r.score)
        return picks[:limit]

    def count(self) -> int:
        """Items stored."""
        with self._pool.connection() as conn:
            row = conn.execute("SELECT count(*) FROM items").fetchone()
        return int(row[0]) if row else 0


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
