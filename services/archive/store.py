"""The archive's storage: what the desk has briefed, searchable by full text (WIP, issue 24).

SQLite is the embedded default: one file, WAL, FTS5 with BM25 ranking, migrations
from services/archive/migrations/sqlite/*.sql applied in order and recorded in
`schema_migrations`. Every statement is parameterised; the FTS query is built from
quoted key terms (each a bound string, inner quotes doubled), never from raw input.

Related items for an article: its key terms (content words, most frequent first) as an
OR query, ranked by BM25 × a recency factor (half-life `half_life_days`), never the
article itself, a near-duplicate of it (word-shingle Jaccard ≥ NEAR_DUPLICATE), or
anything dated after it. Each pick says its score and the terms it shares.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

MIGRATIONS = Path(__file__).with_name("migrations") / "sqlite"
NEAR_DUPLICATE = 0.8
KEY_TERMS = 12
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
STOPWORDS = frozenset(
    """a about after again against all also an and any are as at be because been before
    being between both but by can could did do does during each few for from further had
    has have having he her here hers him his how i if in into is it its itself just me
    more most my no nor not now of off on once only or other our out over own said same
    says she should so some such than that the their them then there these they this
    those through to too under until up very was we were what when where which while who
    whom why will with would you your year years told according""".split()
)


@dataclass(frozen=True)
class Item:
    """One stored brief."""

    id: int
    published: date
    english: str
    headline: str = ""
    summary: str = ""
    original: str = ""
    language: str = "en"
    source: str = ""
    url: str = ""
    entities: tuple[str, ...] = ()
    added: str = ""


@dataclass(frozen=True)
class Related:
    """An earlier item related to an article: why it was picked."""

    item: Item
    score: float
    shared_terms: tuple[str, ...] = field(default_factory=tuple)


def key_terms(text: str, limit: int = KEY_TERMS) -> list[str]:
    """The article's content words, most frequent first (ties: first seen)."""
    words = [w.lower().strip("'’-") for w in _WORD.findall(text)]
    counts = Counter(w for w in words if len(w) > 2 and w not in STOPWORDS)
    return [w for w, _ in counts.most_common(limit)]


def _shingles(text: str, n: int = 3) -> set[tuple[str, ...]]:
    words = [w.lower() for w in _WORD.findall(text)]
    return {tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1))}


def near_duplicate(a: str, b: str) -> bool:
    """Word-trigram Jaccard similarity at or above NEAR_DUPLICATE."""
    sa, sb = _shingles(a), _shingles(b)
    return bool(sa and sb) and len(sa & sb) / len(sa | sb) >= NEAR_DUPLICATE


def _fts_query(terms: Sequence[str]) -> str:
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)


class SqliteStore:
    """The embedded store (one file; ':memory:' for tests). Thread-safe: one
    connection behind a lock (SQLite serialises writers anyway)."""

    def __init__(self, path: str | Path, *, half_life_days: float = 365.0) -> None:
        self.path = str(path)
        self.half_life_days = half_life_days
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        if self.path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self.migrate()

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()

    def migrate(self) -> list[str]:
        """Apply the migrations not yet applied, in name order; their names."""
        applied: list[str] = []
        with self._lock, self._transaction():
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, at TEXT)"
            )
            done = {r[0] for r in self._db.execute("SELECT name FROM schema_migrations")}
            for script in sorted(MIGRATIONS.glob("*.sql")):
                if script.name in done:
                    continue
                for statement in _statements(script.read_text("utf-8")):
                    self._db.execute(statement)
                self._db.execute(
                    "INSERT INTO schema_migrations (name, at) VALUES (?, ?)",
                    (script.name, _now()),
                )
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
        added = _now()
        with self._lock, self._transaction():
            cursor = self._db.execute(
                "INSERT INTO items (published, added, headline, summary, english, original, "
                "language, source, url, entities) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    published.isoformat(),
                    added,
                    headline,
                    summary,
                    english,
                    original,
                    language,
                    source,
                    url,
                    json.dumps(list(entities), ensure_ascii=False),
                ),
            )
            rowid = cursor.lastrowid
        assert rowid is not None
        item = self.get(rowid)
        assert item is not None
        return item

    def get(self, item_id: int) -> Item | None:
        """The item, or None."""
        with self._lock:
            row = self._db.execute("SELECT * FROM items WHERE id = ?", (item_id,)).fetchone()
        return _item(row) if row else None

    def delete(self, item_id: int) -> bool:
        """Delete one item; False when there was none."""
        with self._lock, self._transaction():
            cursor = self._db.execute("DELETE FROM items WHERE id = ?", (item_id,))
        return cursor.rowcount > 0

    def list_by_date(
        self, start: date, end: date, *, limit: int = 100, offset: int = 0
    ) -> list[Item]:
        """Items published from `start` to `end` (inclusive), newest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM items WHERE published BETWEEN ? AND ? "
                "ORDER BY published DESC, id DESC LIMIT ? OFFSET ?",
                (start.isoformat(), end.isoformat(), limit, offset),
            ).fetchall()
        return [_item(r) for r in rows]

    def purge(self, older_than_days: int, today: date) -> int:
        """Delete items published more than `older_than_days` before `today`; how many."""
        cutoff = date.fromordinal(today.toordinal() - older_than_days).isoformat()
        with self._lock, self._transaction():
            cursor = self._db.execute("DELETE FROM items WHERE published < ?", (cutoff,))
        return cursor.rowcount

    def related(
        self, text: str, published: date, *, limit: int = 3, exclude: int | None = None
    ) -> list[Related]:
        """Earlier items related to an article (see the module docstring)."""
        terms = key_terms(text)
        if not terms:
            return []
        with self._lock:
            rows = self._db.execute(
                "SELECT items.*, bm25(items_text, 2.0, 1.0, 3.0) AS rank FROM items_text "
                "JOIN items ON items.id = items_text.rowid "
                "WHERE items_text MATCH ? AND items.published <= ? "
                "ORDER BY rank LIMIT ?",
                (_fts_query(terms), published.isoformat(), max(limit * 8, 24)),
            ).fetchall()
        picks: list[Related] = []
        for row in rows:
            item = _item(row)
            if item.id == exclude or near_duplicate(text, item.english):
                continue
            age = max(0, published.toordinal() - item.published.toordinal())
            recency = math.pow(0.5, age / self.half_life_days)
            words = {w.lower() for w in _WORD.findall(f"{item.headline} {item.english}")}
            shared = tuple(t for t in terms if t in words)
            picks.append(Related(item, round(-float(row["rank"]) * recency, 4), shared))
        picks.sort(key=lambda r: -r.score)
        return picks[:limit]

    def count(self) -> int:
        """Items stored."""
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM items").fetchone()[0])

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, *rest: object) -> None:
        self._db.execute("ROLLBACK" if kind else "COMMIT")


def _statements(script: str) -> Iterator[str]:
    """A migration's statements (a trigger body's semicolons stay inside it)."""
    buffer = ""
    for line in script.splitlines():
        if line.strip().startswith("--") and not buffer:
            continue
        buffer += line + "\n"
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer.strip()
            buffer = ""


def _item(row: sqlite3.Row) -> Item:
    return Item(
        id=int(row["id"]),
        published=date.fromisoformat(row["published"]),
        english=row["english"],
        headline=row["headline"],
        summary=row["summary"],
        original=row["original"],
        language=row["language"],
        source=row["source"],
        url=row["url"],
        entities=tuple(json.loads(row["entities"])),
        added=row["added"],
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
