"""ArchiveService servicer: proto ⇄ domain. Requests are validated here (every bad field
named, with its limit); the storage calls run on the archive's database threads
(`DB_THREADS`), never on the event loop."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar
from urllib.parse import urlsplit

import grpc

from newsdesk.archive.v1 import archive_pb2, archive_pb2_grpc
from newsdesk_shared.limits import ARCHIVE, Range
from services.archive.background import FEW_RELATED, NO_RELATED, background
from services.archive.bullets import Bullet
from services.archive.dates import extract_date
from services.archive.store import Item, Related
from services.archive.stores import Store
from services.common.errors import NotFound, Unavailable, Violations
from services.common.logs import get_logger
from services.common.serving.protoutil import server_info, span
from services.common.serving.validation import check_language_code, check_range

SERVICE_NAME = archive_pb2.DESCRIPTOR.services_by_name["ArchiveService"].full_name
log = get_logger("newsdesk.archive")


def _storage_down() -> tuple[type[BaseException], ...]:
    """The errors that mean the storage cannot answer now (not a bug of the call)."""
    errors: list[type[BaseException]] = [sqlite3.OperationalError]
    try:
        import psycopg
        from psycopg_pool import PoolTimeout
    except ImportError:  # no PostgreSQL driver installed: SQLite only
        return tuple(errors)
    return (*errors, psycopg.OperationalError, PoolTimeout)


STORAGE_DOWN = _storage_down()
T = TypeVar("T")

# Bounds of an item's short fields (characters); the texts' bound is MAX_CHARS.
FIELD_CHARS = {"headline": 1_000, "summary": 20_000, "source": 200, "url": 2_048}
MAX_ENTITIES = 500
# A ListItems page stops growing past this many bytes (well under gRPC's 16 MiB default
# message cap), whatever page_size asked for: next_page_token goes on from there.
PAGE_BYTES = 4 * 1024 * 1024
MAX_ENTITY_CHARS = 200
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ORIGIN = {
    "given": archive_pb2.DATE_ORIGIN_GIVEN,
    "extracted": archive_pb2.DATE_ORIGIN_EXTRACTED,
    "received": archive_pb2.DATE_ORIGIN_RECEIVED,
}
_SHORTFALL = {
    "": archive_pb2.BACKGROUND_SHORTFALL_UNSPECIFIED,
    NO_RELATED: archive_pb2.BACKGROUND_SHORTFALL_NO_RELATED_ITEMS,
    FEW_RELATED: archive_pb2.BACKGROUND_SHORTFALL_FEW_RELATED_ITEMS,
}


def today() -> date:
    """The archive's today (UTC)."""
    return datetime.now(UTC).date()


def item_to_proto(item: Item, origin: str = "") -> archive_pb2.Item:
    """Domain item → proto."""
    return archive_pb2.Item(
        id=item.id,
        published_date=item.published.isoformat(),
        english_text=item.english,
        headline=item.headline,
        summary=item.summary,
        original_text=item.original,
        language_code=item.language,
        source=item.source,
        url=item.url,
        entities=list(item.entities),
        added_time=item.added,
        date_origin=_ORIGIN.get(origin, archive_pb2.DATE_ORIGIN_UNSPECIFIED),
    )


def related_to_proto(pick: Related) -> archive_pb2.RelatedItem:
    """Domain pick → proto."""
    return archive_pb2.RelatedItem(
        item=item_to_proto(pick.item),
        score=pick.score,
        shared_terms=list(pick.shared_terms),
        shared_entities=list(getattr(pick, "shared_entities", ())),
    )


def bullet_to_proto(made: Bullet) -> archive_pb2.BackgroundBullet:
    """Domain bullet → proto."""
    return archive_pb2.BackgroundBullet(
        text=made.text,
        item_id=made.item_id,
        source=made.source,
        published_date=made.published.isoformat(),
        url=made.url,
        span=span(made.span),
        score=made.score,
        shared_terms=list(made.shared_terms),
    )


class ArchiveServicer(archive_pb2_grpc.ArchiveServiceServicer):
    """Answers the archive's RPCs from one store."""

    def __init__(
        self,
        store: Store,
        *,
        max_chars: int,
        max_batch: int,
        max_concurrent_rpcs: int,
        retention_days: int,
        threads: int,
    ) -> None:
        self.store = store
        self.max_chars = max_chars
        self.max_batch = max_batch
        self.max_concurrent_rpcs = max_concurrent_rpcs
        self.retention_days = retention_days
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="archive-db")

    def close(self) -> None:
        """Finish running storage calls and stop the threads."""
        self._executor.shutdown(wait=True, cancel_futures=True)

    async def _run(self, fn: Callable[..., T], *args: object, **kwargs: object) -> T:
        """fn on a database thread. Storage that cannot answer now (PostgreSQL down or
        out of connections, SQLite locked past its busy timeout) is UNAVAILABLE with
        reason STORAGE_UNAVAILABLE — a retry may succeed; nothing of the call was
        committed — never an INTERNAL error."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor, lambda: fn(*args, **kwargs))
        except STORAGE_DOWN as exc:
            log.warning("archive.storage_unavailable", error_type=type(exc).__name__)
            raise Unavailable(
                f"the archive's storage is unavailable: {type(exc).__name__}",
                reason="STORAGE_UNAVAILABLE",
            ) from None

    async def AddItems(
        self, request: archive_pb2.AddItemsRequest, context: grpc.aio.ServicerContext
    ) -> archive_pb2.AddItemsResponse:
        """Store every item (all or nothing on validation: a bad item refuses the call)."""
        items = list(request.items)
        problems = Violations()
        if not items:
            problems.add("items", "at least one item is required")
            problems.raise_if_any(reason="EMPTY_BATCH")
        if len(items) > self.max_batch:
            problems.add("items", f"{len(items)} items exceed the batch limit of {self.max_batch}")
            problems.raise_if_any(reason="BATCH_TOO_LARGE", limit=str(self.max_batch))
        for index, item in enumerate(items):
            self._check_item(item, f"items[{index}]", problems)
        problems.raise_if_any(reason="INVALID_ITEM", limit=str(self.max_chars))
        now = today()
        dated = [
            _date_of(item.published_date, now, item.english_text, item.original_text)
            for item in items
        ]
        rows = [self._row(item, day) for item, (day, _) in zip(items, dated, strict=True)]
        # One transaction: all the items are stored, or none (a retry stores no twice).
        ids = await self._run(self.store.add_many, rows)
        return archive_pb2.AddItemsResponse(
            items=[
                _stored(item, item_id, day, origin)
                for item, item_id, (day, origin) in zip(items, ids, dated, strict=True)
            ]
        )

    @staticmethod
    def _row(item: archive_pb2.Item, day: date) -> dict[str, object]:
        """One item as the store's add_many takes it."""
        return {
            "english": item.english_text,
            "published": day,
            "headline": item.headline,
            "summary": item.summary,
            "original": item.original_text,
            "language": item.language_code.strip().lower() or "en",
            "source": item.source,
            "url": item.url,
            "entities": [e.strip() for e in item.entities],
        }

    def _check_item(self, item: archive_pb2.Item, name: str, problems: Violations) -> None:
        if item.id:
            problems.add(f"{name}.id", "is assigned by the archive: leave it 0")
        if not item.english_text.strip():
            problems.add(f"{name}.english_text", "must not be empty")
        for field in ("english_text", "original_text"):
            size = len(getattr(item, field))
            if size > self.max_chars:
                problems.add(
                    f"{name}.{field}",
                    f"{size} characters exceed the limit of {self.max_chars}; split the text",
                )
        for field, limit in FIELD_CHARS.items():
            if len(getattr(item, field)) > limit:
                problems.add(f"{name}.{field}", f"longer than {limit} characters")
        for field in ("english_text", "original_text", "headline", "summary", "source", "url"):
            if "\x00" in getattr(item, field):
                problems.add(f"{name}.{field}", "must not contain NUL characters")
        if item.url and urlsplit(item.url).scheme not in ("http", "https"):
            problems.add(f"{name}.url", "must be an http or https URL")
        for field in ("url", "source"):
            if _CONTROL.search(getattr(item, field)):
                problems.add(f"{name}.{field}", "must not contain control characters")
        check_language_code(item.language_code, f"{name}.language_code")
        if len(item.entities) > MAX_ENTITIES:
            problems.add(f"{name}.entities", f"more than {MAX_ENTITIES} entities")
        for i, entity in enumerate(item.entities):
            if not _good_name(entity):
                problems.add(
                    f"{name}.entities[{i}]",
                    f"must be a name of 1..{MAX_ENTITY_CHARS} characters",
                )
        _check_date(item.published_date, f"{name}.published_date", problems)

    async def GetItem(
        self, request: archive_pb2.GetItemRequest, context: grpc.aio.ServicerContext
    ) -> archive_pb2.GetItemResponse:
        """One item; NOT_FOUND when there is none."""
        item = await self._run(self.store.get, _id(request.id))
        if item is None:
            raise NotFound(f"no archive item has id {request.id}", id=str(request.id))
        return archive_pb2.GetItemResponse(item=item_to_proto(item))

    async def DeleteItem(
        self, request: archive_pb2.DeleteItemRequest, context: grpc.aio.ServicerContext
    ) -> archive_pb2.DeleteItemResponse:
        """Delete one item; NOT_FOUND when there is none."""
        if not await self._run(self.store.delete, _id(request.id)):
            raise NotFound(f"no archive item has id {request.id}", id=str(request.id))
        return archive_pb2.DeleteItemResponse()

    async def ListItems(
        self, request: archive_pb2.ListItemsRequest, context: grpc.aio.ServicerContext
    ) -> archive_pb2.ListItemsResponse:
        """Items in a date range, newest first, a page at a time (the token is an offset)."""
        problems = Violations()
        start = _check_date(request.start_date, "start_date", problems) or date(1, 1, 1)
        end = _check_date(request.end_date, "end_date", problems) or date(9999, 12, 31)
        limit = _asked(request.page_size, ARCHIVE.page_size, "page_size", problems)
        offset = 0
        if request.page_token:
            if not request.page_token.isdigit() or len(request.page_token) > 12:
                problems.add("page_token", "is not a token this archive gave")
            else:
                offset = int(request.page_token)
        if start > end:
            problems.add("start_date", "is after end_date")
        problems.raise_if_any(reason="INVALID_ARGUMENT")
        items = await self._run(self.store.list_by_date, start, end, limit=limit + 1, offset=offset)
        page: list[archive_pb2.Item] = []
        size = 0
        for item in items[:limit]:
            message = item_to_proto(item)
            size += message.ByteSize()
            if page and size > PAGE_BYTES:
                break  # a page of long items ends early; the token goes on from here
            page.append(message)
        more = len(items) > len(page)
        return archive_pb2.ListItemsResponse(
            items=page, next_page_token=str(offset + len(page)) if more else ""
        )

    def _article(
        self,
        text: str,
        published: str,
        entities: Sequence[str],
        problems: Violations,
        original: str = "",
    ) -> tuple[date, str]:
        """Check an article's text, date and names; its date and where it came from."""
        if not text.strip():
            problems.add("english_text", "must not be empty")
        elif len(text) > self.max_chars:
            problems.add(
                "english_text",
                f"{len(text)} characters exceed the limit of {self.max_chars}; split the text",
            )
        if len(entities) > MAX_ENTITIES:
            problems.add("entities", f"more than {MAX_ENTITIES} entities")
        for i, entity in enumerate(entities):
            if not _good_name(entity):
                problems.add(
                    f"entities[{i}]", f"must be a name of 1..{MAX_ENTITY_CHARS} characters"
                )
        _check_date(published, "published_date", problems)
        if len(original) > self.max_chars:
            problems.add("original_text", f"{len(original)} characters exceed the limit")
        return _date_of(published, today(), text, original) if not problems.items else (today(), "")

    async def FindRelated(
        self, request: archive_pb2.FindRelatedRequest, context: grpc.aio.ServicerContext
    ) -> archive_pb2.FindRelatedResponse:
        """Earlier items related to an article, best first, each with why."""
        problems = Violations()
        limit = _asked(request.limit, ARCHIVE.related_limit, "limit", problems)
        day, _ = self._article(
            request.english_text, request.published_date, request.entities, problems
        )
        problems.raise_if_any(reason="INVALID_ARGUMENT", limit=str(self.max_chars))
        picks = await self._run(
            self.store.related,
            request.english_text,
            day,
            limit=limit,
            exclude=request.exclude_id or None,
            entities=[e.strip() for e in request.entities],
        )
        return archive_pb2.FindRelatedResponse(related=[related_to_proto(p) for p in picks])

    async def Background(
        self, request: archive_pb2.BackgroundRequest, context: grpc.aio.ServicerContext
    ) -> archive_pb2.BackgroundResponse:
        """Background bullets from related earlier items, best first."""
        problems = Violations()
        count = _asked(request.bullet_count, ARCHIVE.bullet_count, "bullet_count", problems)
        day, origin = self._article(
            request.english_text,
            request.published_date,
            request.entities,
            problems,
            request.original_text,
        )
        problems.raise_if_any(reason="INVALID_ARGUMENT", limit=str(self.max_chars))
        found = await self._run(
            background,
            self.store,
            request.english_text,
            day,
            count,
            entities=[e.strip() for e in request.entities],
            exclude=request.exclude_id or None,
        )
        return archive_pb2.BackgroundResponse(
            bullets=[bullet_to_proto(b) for b in found.bullets],
            shortfall=_SHORTFALL[found.shortfall],
            shortfall_detail=found.shortfall_detail,
            published_date=day.isoformat(),
            date_origin=_ORIGIN[origin],
        )

    async def Search(
        self, request: archive_pb2.SearchRequest, context: grpc.aio.ServicerContext
    ) -> archive_pb2.SearchResponse:
        """Items matching words, best first."""
        problems = Violations()
        limit = _asked(request.limit, ARCHIVE.search_limit, "limit", problems)
        if not request.query.strip():
            problems.add("query", "must not be empty")
        elif len(request.query) > 10_000:
            problems.add("query", "longer than 10000 characters")
        problems.raise_if_any(reason="INVALID_ARGUMENT")
        picks = await self._run(self.store.search, request.query, limit=limit)
        return archive_pb2.SearchResponse(results=[related_to_proto(p) for p in picks])

    async def Info(
        self, request: archive_pb2.InfoRequest, context: grpc.aio.ServicerContext
    ) -> archive_pb2.InfoResponse:
        """Describe the archive: storage kind (never its URL), items, retention, limits."""
        count = await self._run(self.store.count)
        return archive_pb2.InfoResponse(
            info=server_info(
                SERVICE_NAME,
                [],
                max_chars=self.max_chars,
                max_batch=self.max_batch,
                max_concurrent_rpcs=self.max_concurrent_rpcs,
            ),
            storage=self.store.kind,
            item_count=count,
            retention_days=self.retention_days,
        )


def _asked(value: int, allowed: Range, field: str, problems: Violations) -> int:
    """An optional request number: its default when 0, else checked against its range."""
    if not value:
        return allowed.default
    check_range(value, field=field, low=allowed.low, high=allowed.high, problems=problems)
    return value


def _stored(item: archive_pb2.Item, item_id: int, day: date, origin: str) -> archive_pb2.Item:
    """What AddItems answers for a stored item: its id, date and where the date came
    from, and its short fields; the texts are not echoed (GetItem has them), so the
    answer stays small whatever the request held."""
    return archive_pb2.Item(
        id=item_id,
        published_date=day.isoformat(),
        headline=item.headline,
        language_code=item.language_code.strip().lower() or "en",
        source=item.source,
        url=item.url,
        entities=[e.strip() for e in item.entities],
        date_origin=_ORIGIN[origin],
    )


def _good_name(name: str) -> bool:
    """A name of 1..MAX_ENTITY_CHARS characters, with no control characters."""
    return bool(name.strip()) and len(name) <= MAX_ENTITY_CHARS and not _CONTROL.search(name)


def _id(value: int) -> int:
    if value <= 0:
        problems = Violations()
        problems.add("id", f"must be a positive archive id (got {value})")
        problems.raise_if_any(reason="INVALID_ARGUMENT")
    return value


def _check_date(value: str, field: str, problems: Violations) -> date | None:
    """An ISO date field ("" is allowed and gives None); a bad one is recorded."""
    if not value:
        return None
    try:
        if len(value) != 10:
            raise ValueError
        day = date.fromisoformat(value)
    except ValueError:
        problems.add(field, "must be an ISO 8601 date, YYYY-MM-DD")
        return None
    if day > today() + timedelta(days=1):
        problems.add(field, f"{value} is in the future")
    return day


def _date_of(given: str, now: date, *texts: str) -> tuple[date, str]:
    """The item's date and its origin: given, else the first full date in its texts (not
    after today), else today."""
    if given:
        return date.fromisoformat(given), "given"
    found = extract_date(*texts, latest=now)
    return (found, "extracted") if found else (now, "received")
