"""The archive's storage: what the desk has briefed, searchable by full text (WIP, issue 24).

SQLite is the embedded default: one file, WAL, FTS5 with BM25 ranking, migrations
from services/archive/migrations/sqlite/*.sql applied in order and recorded in
`schema_migrations`. Every statement is parameterised; an FTS query is built from quoted
terms (each inside double quotes, inner quotes doubled, so FTS5 reads it as words, never
as syntax) and bound as one string.

Related items for an article: its key terms (content words, most frequent first) and
its names (the entities the caller knows, e.g. "Ruslan Khomchak"), OR-ed, ranked by

    BM25 (headline 2, text 1, entities 3) × 0.5 ** (age in days / half_life_days)
        × (1 + ENTITY_BOOST × the article's names the item's stored entities hold)

(names compared case-insensitively, whole names only); never the article itself, a
near-duplicate of it (word-trigram Jaccard ≥ NEAR_DUPLICATE), or anything dated after
it. Each pick says its score, the key terms it shares and the names. search(): a
query's key terms over every item, by BM25 alone.

At scale: BM25 over an OR of common words scores most of the archive (200+ ms at
100,000 items), so a query keeps its rarest phrases — by document frequency, from the
fts5vocab table, cached DF_CACHE_SECONDS — while their documents add up to at most
MAX_POSTINGS. The common words left out weigh little in BM25 (nothing, past half the
archive) and still count in shared_terms. When even the rarest phrase is past the
budget, only the newest MAX_POSTINGS items matching it are scored. When the kept
phrases find fewer than `limit` candidates, related() asks again with every phrase
(capped the same way); search() also takes the items holding every term of the query
(an AND query: cheap, and BM25 then counts every term), best score first.
bench/archive_scale_bench.py measures the latency and how often the top 3 agree with
the unbudgeted ranking.

Concurrency: a file database gets a connection per concurrent caller (a pool: a thread
takes an idle one or opens one), in WAL mode, so readers never wait for the writer;
writes are BEGIN IMMEDIATE transactions and wait up to `busy_timeout` seconds for the
write lock. synchronous=NORMAL: a commit survives the process crashing (not a power
cut before the next checkpoint). ':memory:' is one connection behind a lock.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import re
import sqlite3
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NamedTuple, TypedDict, Unpack

MIGRATIONS = Path(__file__).with_name("migrations") / "sqlite"
# Items one retention purge deletes per transaction.
PURGE_BATCH = 1000
NEAR_DUPLICATE = 0.8
KEY_TERMS = 12
# An item holding n of the article's names scores × (1 + ENTITY_BOOST × n).
ENTITY_BOOST = 0.5
MAX_NAMES = 16
# Documents a query's phrases may match, summed, before the more common ones are left out.
MAX_POSTINGS = 20_000
# Items ranked in SQL before the entity boost and the near-duplicate check (at least).
CANDIDATES = 40
DF_CACHE_SECONDS = 300.0
DF_CACHE_SIZE = 100_000
# Idle connections a file store keeps open for the next caller.
MAX_IDLE = 16
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_TOKEN = re.compile(r"[^\W_]+")
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
    """An earlier item related to an article (or a search hit): why it was picked."""

    item: Item
    score: float
    shared_terms: tuple[str, ...] = field(default_factory=tuple)
    shared_entities: tuple[str, ...] = field(default_factory=tuple)


def key_terms(text: str, limit: int = KEY_TERMS) -> list[str]:
    """The article's content words, most frequent first (ties: first seen)."""
    words = [w.lower().strip("'’-") for w in _WORD.findall(text)]
    counts = Counter(w for w in words if len(w) > 2 and w not in STOPWORDS)
    return [w for w, _ in counts.most_common(limit)]


def _shingles(text: str, n: int = 3) -> set[tuple[str, ...]]:
    words = [w.lower() for w in _WORD.findall(text)]
    return {tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1))}


def _jaccard_at_least(sa: set[tuple[str, ...]], b: str) -> bool:
    sb = _shingles(b)
    return bool(sa and sb) and len(sa & sb) / len(sa | sb) >= NEAR_DUPLICATE


def near_duplicate(a: str, b: str) -> bool:
    """Word-trigram Jaccard similarity at or above NEAR_DUPLICATE."""
    return _jaccard_at_least(_shingles(a), b)


@functools.lru_cache(maxsize=4096)
def _fold(ch: str) -> str:
    if unicodedata.combining(ch):
        return ""
    parts = unicodedata.normalize("NFD", ch)
    if len(parts) > 1 and parts[0] < "\u0250" and all(map(unicodedata.combining, parts[1:])):
        return parts[0]  # a Latin letter without its diacritics
    return ch


def fts_tokens(text: str) -> list[str]:
    """The words FTS5's unicode61 tokenizer (remove_diacritics 2) makes of a text: lower
    case, Latin letters without diacritics, split at whatever is not a letter or digit.
    Only document-frequency look-ups use it: FTS5 tokenizes the query text itself."""
    lowered = text.lower()
    if not lowered.isascii():
        lowered = "".join(map(_fold, lowered))
    return _TOKEN.findall(lowered)


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _fts_query(terms: Sequence[str]) -> str:
    return " OR ".join(_quoted(t) for t in terms)


def article_names(entities: Sequence[str]) -> list[str]:
    """The article's names, once each (case-insensitively), blanks dropped, at most
    MAX_NAMES."""
    seen: dict[str, str] = {}
    for name in entities:
        cleaned = " ".join(str(name).split())
        if cleaned and cleaned.casefold() not in seen:
            seen[cleaned.casefold()] = cleaned
    return list(seen.values())[:MAX_NAMES]


def shared_entities(names: Sequence[str], entities: Sequence[str]) -> tuple[str, ...]:
    """The article's names (its spelling) that an item's entities hold, any case."""
    held = {" ".join(e.split()).casefold() for e in entities}
    return tuple(n for n in names if n.casefold() in held)


def shared_terms(terms: Sequence[str], item: Item) -> tuple[str, ...]:
    """The key terms an item's headline or text holds."""
    words = {w.lower() for w in _WORD.findall(f"{item.headline} {item.english}")}
    return tuple(t for t in terms if t in words)


class Choice(NamedTuple):
    """A query's phrases: those kept, those left out (rarest first each), and the
    documents the kept ones match, summed."""

    chosen: list[str]
    dropped: list[str]
    postings: int


def choose_phrases(phrases: Sequence[str], frequency: Mapping[str, int], budget: int) -> Choice:
    """The phrases worth querying: each phrase once (by its words), rarest first — a
    phrase's document frequency is its rarest word's — while the documents they match
    add up to at most `budget`; the rarest is always kept. Ties keep the given order
    (names before terms)."""
    unique: dict[tuple[str, ...], tuple[int, int, str]] = {}
    for index, phrase in enumerate(phrases):
        tokens = tuple(fts_tokens(phrase))
        if tokens and tokens not in unique:
            df = min(frequency.get(t, 0) for t in tokens)
            unique[tokens] = (df, index, phrase)
    ranked = sorted(unique.values())
    kept = 0
    postings = 0
    for df, _, _ in ranked:
        if kept and postings + df > budget:
            break
        kept += 1
        postings += df
    return Choice(
        [phrase for _, _, phrase in ranked[:kept]],
        [phrase for _, _, phrase in ranked[kept:]],
        postings,
    )


def rank_picks(
    rows: Iterable[tuple[Item, float]],
    text: str,
    terms: Sequence[str],
    names: Sequence[str],
    limit: int,
    exclude: int | None,
) -> list[Related]:
    """Candidates (item, BM25 × recency) to picks: the entity boost, best first, the
    article and its near-duplicates left out, at most `limit`."""
    boosted: list[tuple[float, Item, tuple[str, ...]]] = []
    for item, score in rows:
        if item.id == exclude:
            continue
        names_held = shared_entities(names, item.entities) if names else ()
        boosted.append((score * (1.0 + ENTITY_BOOST * len(names_held)), item, names_held))
    boosted.sort(key=lambda b: -b[0])
    article = _shingles(text)
    picks: list[Related] = []
    for score, item, names_held in boosted:
        if len(picks) == limit:
            break
        if _jaccard_at_least(article, item.english):
            continue
        picks.append(Related(item, round(score, 4), shared_terms(terms, item), names_held))
    return picks


class ItemFields(TypedDict, total=False):
    """What an item holds besides its English text and date (add()'s keywords; unset:
    empty, the language "en")."""

    headline: str
    summary: str
    original: str
    language: str
    source: str
    url: str
    entities: Sequence[str]


def item_values(english: str, published: date, **fields: Unpack[ItemFields]) -> dict[str, Any]:
    """One item's column values (what add() takes); an unknown keyword is a TypeError."""
    unknown = set(fields) - set(ItemFields.__annotations__)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    text = {name: str(fields.get(name, "")) for name in ("headline", "summary", "original")}
    return {
        "published": published,
        **text,
        "english": english,
        "language": fields.get("language", "en"),
        "source": fields.get("source", ""),
        "url": fields.get("url", ""),
        "entities": json.dumps(list(fields.get("entities", ())), ensure_ascii=False),
    }


_INSERT = (
    "INSERT INTO items (published, added, headline, summary, english, original, language, "
    "source, url, entities) VALUES (:published, :added, :headline, :summary, :english, "
    ":original, :language, :source, :url, :entities)"
)
# The ranking runs on (id, score) only, newest matches first up to :scan; the rows of the
# best :candidates are read after. CROSS JOIN keeps the FTS table the outer loop; the
# dates come from the narrow items_day index (migration 0002), not the rows.
_RELATED = """
SELECT items.*, ranked.score AS score FROM (
    SELECT id, score FROM (
        SELECT items.id AS id,
               -bm25(items_text, 2.0, 1.0, 3.0)
                   * exp(:decay * (julianday(:day) - julianday(items.published))) AS score
        FROM items_text CROSS JOIN items INDEXED BY items_day ON items.id = items_text.rowid
        WHERE items_text MATCH :match AND items.published <= :day
            AND items.id IS NOT :exclude
        ORDER BY items_text.rowid DESC LIMIT :scan
    ) ORDER BY score DESC LIMIT :candidates
) AS ranked CROSS JOIN items ON items.id = ranked.id
ORDER BY ranked.score DESC
"""
_SEARCH = """
SELECT items.*, ranked.score AS score FROM (
    SELECT id, score FROM (
        SELECT rowid AS id, -bm25(items_text, 2.0, 1.0, 3.0) AS score FROM items_text
        WHERE items_text MATCH :match ORDER BY rowid DESC LIMIT :scan
    ) ORDER BY score DESC LIMIT :limit
) AS ranked CROSS JOIN items ON items.id = ranked.id
ORDER BY ranked.score DESC
"""


class RankedStore:
    """What both stores share of `related()`: the article's key terms and names, the
    most selective of them chosen by document counts (`_choose`), one candidate query
    (`_related_rows`, again with every phrase when the chosen ones find too few), and
    the one ranking (`rank_picks`). A store gives its connection (`_session`), its
    counts and its SQL."""

    half_life_days: float
    max_postings: int

    def related(
        self,
        text: str,
        published: date,
        *,
        limit: int = 3,
        exclude: int | None = None,
        entities: Sequence[str] = (),
    ) -> list[Related]:
        """Earlier items related to an article (see the module docstring)."""
        terms = key_terms(text)
        names = article_names(entities)
        if limit <= 0 or not (terms or names):
            return []
        with self._session() as conn:
            choice = self._choose(conn, [*names, *terms])
            if not choice.chosen:
                return []
            rows = self._related_rows(conn, choice.chosen, published, exclude, limit)
            if len(rows) < limit and choice.dropped:  # too few: every phrase, capped
                phrases = choice.chosen + choice.dropped
                rows = self._related_rows(conn, phrases, published, exclude, limit)
        return rank_picks(rows, text, terms, names, limit, exclude)

    def _session(self) -> contextlib.AbstractContextManager[Any]:
        raise NotImplementedError

    def _choose(self, conn: Any, phrases: Sequence[str]) -> Choice:
        raise NotImplementedError

    def _related_rows(
        self, conn: Any, phrases: Sequence[str], published: date, exclude: int | None, limit: int
    ) -> list[tuple[Item, float]]:
        raise NotImplementedError

    def _related_values(self, published: date, exclude: int | None, limit: int) -> dict[str, Any]:
        """The candidate query's parameters besides its phrases."""
        return {
            "decay": -math.log(2.0) / self.half_life_days,
            "exclude": exclude,
            "scan": self.max_postings,
            "candidates": max(limit * 8, CANDIDATES),
        }


class SqliteStore(RankedStore):
    """The embedded store (one file; ':memory:' for tests). Thread-safe: a pool of
    connections in WAL mode (see the module docstring)."""

    kind = "sqlite"

    def __init__(
        self, path: str | Path, *, half_life_days: float = 365.0, busy_timeout: float = 10.0
    ) -> None:
        self.path = str(path)
        self.half_life_days = half_life_days
        self.busy_timeout = busy_timeout
        self.max_postings = MAX_POSTINGS
        self._memory = self.path == ":memory:"
        self._lock = threading.RLock()
        self._idle: list[sqlite3.Connection] = []
        self._opened: list[sqlite3.Connection] = []
        self._closed = False
        self._df: dict[str, tuple[int, float]] = {}
        try:
            with self._connection() as db:
                if not self._memory:
                    db.execute("PRAGMA journal_mode=WAL")
            self.migrate()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Close every connection the store opened (one in use closes when returned)."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
            for db in idle:
                self._opened.remove(db)
            if self._memory:
                idle, self._opened = self._opened, []
        for db in idle:
            db.close()

    def connections(self) -> int:
        """Connections open now (idle or in use)."""
        with self._lock:
            return len(self._opened)

    def migrate(self) -> list[str]:
        """Apply the migrations not yet applied, in name order; their names."""
        applied: list[str] = []
        with self._connection() as db, _Transaction(db):
            db.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, at TEXT)"
            )
            done = {r[0] for r in db.execute("SELECT name FROM schema_migrations")}
            for script in sorted(MIGRATIONS.glob("*.sql")):
                if script.name in done:
                    continue
                for statement in _statements(script.read_text("utf-8")):
                    db.execute(statement)
                db.execute(
                    "INSERT INTO schema_migrations (name, at) VALUES (?, ?)",
                    (script.name, _now()),
                )
                applied.append(script.name)
        return applied

    def add(self, english: str, published: date, **fields: Unpack[ItemFields]) -> Item:
        """Store one brief; the stored item (with its id)."""
        values = item_values(english, published, **fields)
        with self._connection() as db, _Transaction(db):
            rowid = db.execute(_INSERT, _sqlite_values(values)).lastrowid
            row = db.execute("SELECT * FROM items WHERE id = ?", (rowid,)).fetchone()
        return _item(row)

    def add_many(self, items: Iterable[Mapping[str, Any]]) -> list[int]:
        """Store many briefs in one transaction (each a mapping of add()'s arguments);
        their ids, in order. For imports and backfills."""
        rows = [_sqlite_values(item_values(**item)) for item in items]
        with self._connection() as db, _Transaction(db):
            ids = [db.execute(_INSERT, row).lastrowid for row in rows]
        return [int(i) for i in ids if i is not None]

    def get(self, item_id: int) -> Item | None:
        """The item, or None."""
        with self._connection() as db:
            row = db.execute("SELECT * FROM items WHERE id = ?", (item_id,)).fetchone()
        return _item(row) if row else None

    def delete(self, item_id: int) -> bool:
        """Delete one item; False when there was none."""
        with self._connection() as db, _Transaction(db):
            cursor = db.execute("DELETE FROM items WHERE id = ?", (item_id,))
        return cursor.rowcount > 0

    def list_by_date(
        self, start: date, end: date, *, limit: int = 100, offset: int = 0
    ) -> list[Item]:
        """Items published from `start` to `end` (inclusive), newest first."""
        with self._connection() as db:
            rows = db.execute(
                "SELECT * FROM items WHERE published BETWEEN ? AND ? "
                "ORDER BY published DESC, id DESC LIMIT ? OFFSET ?",
                (start.isoformat(), end.isoformat(), limit, offset),
            ).fetchall()
        return [_item(r) for r in rows]

    def purge(self, older_than_days: int, today: date) -> int:
        """Delete items published more than `older_than_days` before `today`; how many."""
        cutoff = date.fromordinal(today.toordinal() - older_than_days).isoformat()
        removed = 0
        while True:  # in batches: writers wait for one batch at most, never the whole purge
            with self._connection() as db, _Transaction(db):
                cursor = db.execute(
                    "DELETE FROM items WHERE id IN "
                    "(SELECT id FROM items WHERE published < ? LIMIT ?)",
                    (cutoff, PURGE_BATCH),
                )
            removed += cursor.rowcount
            if cursor.rowcount < PURGE_BATCH:
                return removed

    def _related_rows(
        self,
        conn: sqlite3.Connection,
        phrases: Sequence[str],
        published: date,
        exclude: int | None,
        limit: int,
    ) -> list[tuple[Item, float]]:
        values = self._related_values(published, exclude, limit)
        values.update(match=_fts_query(phrases), day=published.isoformat())
        return [(_item(r), float(r["score"])) for r in conn.execute(_RELATED, values)]

    def _session(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return self._connection()

    def search(self, query: str, *, limit: int = 10) -> list[Related]:
        """Items matching a query's key terms, best match first (BM25; no date bound,
        no recency), with the terms each shares; [] for a query of stopwords only."""
        terms = key_terms(query)
        if limit <= 0 or not terms:
            return []
        with self._connection() as db:
            choice = self._choose(db, terms)
            if not choice.chosen:
                return []
            values = {"match": _fts_query(choice.chosen), "scan": self.max_postings, "limit": limit}
            rows = db.execute(_SEARCH, values).fetchall()
            if choice.dropped:
                # Items holding every term too (their BM25 then counts every term).
                values["match"] = " AND ".join(map(_quoted, choice.chosen + choice.dropped))
                rows += db.execute(_SEARCH, values).fetchall()
        best: dict[int, tuple[float, sqlite3.Row]] = {}
        for row in rows:
            score = float(row["score"])
            if row["id"] not in best or score > best[row["id"]][0]:
                best[row["id"]] = (score, row)
        ranked = sorted(best.values(), key=lambda b: -b[0])[:limit]
        return [
            Related(item, round(score, 4), shared_terms(terms, item))
            for score, row in ranked
            for item in (_item(row),)
        ]

    def count(self) -> int:
        """Items stored."""
        with self._connection() as db:
            return int(db.execute("SELECT count(*) FROM items").fetchone()[0])

    def _choose(self, db: sqlite3.Connection, phrases: Sequence[str]) -> Choice:
        tokens = {t for p in phrases for t in fts_tokens(p)}
        return choose_phrases(phrases, self._frequencies(db, tokens), self.max_postings)

    def _frequencies(self, db: sqlite3.Connection, tokens: Iterable[str]) -> dict[str, int]:
        """Documents holding each token (fts5vocab; cached DF_CACHE_SECONDS)."""
        now = time.monotonic()
        found: dict[str, int] = {}
        missing: list[str] = []
        for token in tokens:
            hit = self._df.get(token)
            if hit is not None and now - hit[1] < DF_CACHE_SECONDS:
                found[token] = hit[0]
            else:
                missing.append(token)
        if missing:
            fresh = dict.fromkeys(missing, 0)
            # One bound parameter per token; only the count of "?" comes from the code.
            marks = ", ".join("?" * len(missing))
            for term, docs in db.execute(
                f"SELECT term, doc FROM items_vocab WHERE term IN ({marks})", missing
            ):
                fresh[term] = int(docs)
            if len(self._df) > DF_CACHE_SIZE:
                self._df.clear()
            for token, docs in fresh.items():
                self._df[token] = (docs, now)
            found.update(fresh)
        return found

    @contextlib.contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """A connection for one call: ':memory:''s only one, under the lock; or an idle
        one of the pool (a new one when none is idle), returned after."""
        if self._memory:
            with self._lock:
                if self._closed:
                    raise sqlite3.ProgrammingError("the archive store is closed")
                if not self._opened:
                    self._opened.append(self._connect())
                yield self._opened[0]
            return
        with self._lock:
            if self._closed:
                raise sqlite3.ProgrammingError("the archive store is closed")
            db = self._idle.pop() if self._idle else None
        if db is None:
            db = self._connect()
            with self._lock:
                self._opened.append(db)
        try:
            yield db
        finally:
            broken = False
            if db.in_transaction:
                try:
                    db.rollback()
                except sqlite3.Error:
                    broken = True
            with self._lock:
                keep = not broken and not self._closed and len(self._idle) < MAX_IDLE
                if keep:
                    self._idle.append(db)
                else:
                    self._opened.remove(db)
            if not keep:
                db.close()

    def _connect(self) -> sqlite3.Connection:
        # `timeout` is SQLite's busy timeout: a writer waits that long for the lock.
        db = sqlite3.connect(
            self.path, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False
        )
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA foreign_keys=ON")
        if not self._memory:
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA mmap_size=268435456")
            db.execute("PRAGMA journal_size_limit=67108864")
        try:
            db.execute("SELECT exp(0.0)").fetchone()
        except sqlite3.OperationalError:  # pragma: no cover - SQLite without math functions
            db.create_function("exp", 1, math.exp, deterministic=True)
        return db


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


def _sqlite_values(values: dict[str, Any]) -> dict[str, Any]:
    return {**values, "published": values["published"].isoformat(), "added": _now()}
