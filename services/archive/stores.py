"""The archive's storage, chosen by URL: `sqlite:///relative.db`, `sqlite:////abs/path.db`
or `sqlite:///:memory:` (the embedded default, store.py), `postgresql://…` or
`postgres://…` (several replicas on one database, pg.py; needs the `archive` extra's
psycopg). Both stores behave the same; the tests run one suite against both."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Protocol, Unpack

from services.archive.store import Item, ItemFields, Related, SqliteStore


class StoreError(ValueError):
    """A storage URL that names no store this archive can open."""


class Store(Protocol):
    """What the service needs of a store (SqliteStore, PostgresStore)."""

    kind: str

    def add(self, english: str, published: date, **fields: Unpack[ItemFields]) -> Item: ...

    def add_many(self, items: Iterable[Mapping[str, Any]]) -> list[int]: ...

    def get(self, item_id: int) -> Item | None: ...

    def delete(self, item_id: int) -> bool: ...

    def list_by_date(
        self, start: date, end: date, *, limit: int = 100, offset: int = 0
    ) -> list[Item]: ...

    def purge(self, older_than_days: int, today: date) -> int: ...

    def related(
        self,
        text: str,
        published: date,
        *,
        limit: int = 3,
        exclude: int | None = None,
        entities: Sequence[str] = (),
    ) -> list[Related]: ...

    def search(self, query: str, *, limit: int = 10) -> list[Related]: ...

    def count(self) -> int: ...

    def close(self) -> None: ...


def check_url(url: str) -> None:
    """StoreError unless the URL names a store this archive can open."""
    if url.startswith("sqlite://"):
        if not url.removeprefix("sqlite://").startswith("/"):
            raise StoreError(f"{redact(url)}: a SQLite URL is sqlite:///PATH (three slashes)")
        return
    if not url.startswith(("postgresql://", "postgres://")):
        raise StoreError(
            f"{redact(url)}: the archive URL must start with sqlite:/// or postgresql://"
        )


def open_store(url: str, *, half_life_days: float = 365.0, pool_size: int = 4) -> Store:
    """The store a URL names (StoreError for one it does not). A SQLite file's folder
    is created when missing."""
    check_url(url)
    if url.startswith("sqlite://"):
        path = url.removeprefix("sqlite://")[1:]
        if path != ":memory:":
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
            path = str(Path(path).expanduser())
        return SqliteStore(path, half_life_days=half_life_days)
    try:
        from services.archive.pg import PostgresStore
    except ImportError as exc:  # pragma: no cover - the extra is missing
        raise StoreError(
            "PostgreSQL needs the archive extra: pip install 'newsdesk[archive]'"
        ) from exc
    return PostgresStore(url, half_life_days=half_life_days, max_size=pool_size)


def redact(url: str) -> str:
    """The URL without its password (for logs and errors)."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest.split("/", 1)[0]:
        return url
    credentials, _, host = rest.partition("@")
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in credentials else url
