"""The archive's `NEWSDESK_ARCHIVE_*` variables, for the registry (env.py): the service's
own settings, and the client's (where the archive is, and whether briefs are stored)."""

from __future__ import annotations

from typing import Any

from newsdesk_shared.limits import ARCHIVE
from newsdesk_shared.settings import Flag, Integer, Number, Setting, Text

P = "NEWSDESK_ARCHIVE_"
DEFAULT_URL = "sqlite:///~/.local/share/newsdesk/archive.db"

_ARCHIVE = {
    "URL": "where the archive is stored: `sqlite:///PATH` (one file, WAL; four slashes for an "
    "absolute path; the embedded default) or `postgresql://USER@HOST/DB` (several replicas on "
    "one database; give the password through a secret, e.g. `PGPASSWORD` or a `.pgpass`). "
    "Logged without its password",
    "RETENTION_DAYS": "items published more than this many days ago are purged, at start and "
    "every `PURGE_INTERVAL_SECONDS` (0: keep everything)",
    "PURGE_INTERVAL_SECONDS": "how often the retention purge runs",
    "HALF_LIFE_DAYS": "recency in the related ranking: an item this many days older than the "
    "article counts half as much",
    "MAX_CHARS": "characters of one item's English text or original (more: INVALID_ARGUMENT, "
    "never truncated); `Info` reports it",
    "MAX_BATCH": "items in one AddItems call; `Info` reports it",
    "DB_THREADS": "threads that run storage calls (and PostgreSQL connections in the pool)",
}


def archive_settings() -> list[Setting[Any]]:
    """The archive service's own settings."""
    own, m = ("archive",), _ARCHIVE
    return [
        Text(P + "URL", DEFAULT_URL, m["URL"], own, form="url"),
        Integer(P + "RETENTION_DAYS", 0, m["RETENTION_DAYS"], own, low=0, high=100_000),
        Number(P + "PURGE_INTERVAL_SECONDS", 3600.0, m["PURGE_INTERVAL_SECONDS"], own, minimum=1.0),
        Number(P + "HALF_LIFE_DAYS", 365.0, m["HALF_LIFE_DAYS"], own, minimum=1.0),
        Integer.of(P + "MAX_CHARS", ARCHIVE.max_chars, m["MAX_CHARS"], own),
        Integer.of(P + "MAX_BATCH", ARCHIVE.max_batch, m["MAX_BATCH"], own),
        Integer(P + "DB_THREADS", 4, m["DB_THREADS"], own, low=1, high=64),
    ]


def archive_client_settings() -> list[Setting[Any]]:
    """What the client reads about the archive."""
    client = ("client",)
    return [
        Text(
            P + "ADDR",
            "",
            "where the client finds the archive (`host:port`, `dns:///name:port`): set, briefs "
            "get background bullets from it; unset, no archive is asked",
            client,
            shown="none",
            form="address",
        ),
        Flag(
            P + "REMEMBER",
            False,
            "store every brief in the archive (as `newsdesk brief --archive` or "
            "`remember=True` do for one)",
            client,
        ),
    ]
