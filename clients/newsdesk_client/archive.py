"""The archive from the client: what the desk has briefed (add, get, list, delete,
search), related earlier items and background bullets. `client.archive` on
AsyncNewsdeskClient (and NewsdeskClient) when an archive address is configured
(NEWSDESK_ARCHIVE_ADDR, or `archive=` to the client)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from newsdesk.archive.v1 import archive_pb2, archive_pb2_grpc
from newsdesk_client.errors import NewsdeskError
from newsdesk_client.wire import valid_texts

if TYPE_CHECKING:
    import grpc

    from newsdesk_client.aio import AsyncNewsdeskClient

_ORIGIN = {
    archive_pb2.DATE_ORIGIN_GIVEN: "given",
    archive_pb2.DATE_ORIGIN_EXTRACTED: "extracted",
    archive_pb2.DATE_ORIGIN_RECEIVED: "received",
}
_SHORTFALL = {
    archive_pb2.BACKGROUND_SHORTFALL_UNSPECIFIED: "",
    archive_pb2.BACKGROUND_SHORTFALL_NO_RELATED_ITEMS: "NO_RELATED_ITEMS",
    archive_pb2.BACKGROUND_SHORTFALL_FEW_RELATED_ITEMS: "FEW_RELATED_ITEMS",
}


@dataclass(frozen=True)
class ArchiveItem:
    """One stored brief. `id` is 0 until the archive stores it; `published_date` ""
    lets the archive read it from the text (else the day it receives it)."""

    english_text: str
    published_date: str = ""
    headline: str = ""
    summary: str = ""
    original_text: str = ""
    language: str = ""
    source: str = ""
    url: str = ""
    entities: tuple[str, ...] = ()
    id: int = 0
    added_time: str = ""
    # Where published_date came from: "given", "extracted" or "received".
    date_origin: str = ""

    def to_dict(self, with_text: bool = True) -> dict[str, object]:
        """A JSON-friendly dict (the texts left out unless with_text)."""
        out = {k: v for k, v in vars(self).items() if with_text or not k.endswith("_text")}
        out["entities"] = list(self.entities)
        return out


@dataclass(frozen=True)
class RelatedItem:
    """An earlier item and why it was picked: its score and the shared terms and names."""

    item: ArchiveItem
    score: float
    shared_terms: tuple[str, ...] = ()
    shared_entities: tuple[str, ...] = ()


@dataclass(frozen=True)
class BackgroundBullet:
    """A background bullet from the archive and its provenance: the item it came from
    (id, source, date, URL) and the sentence's span in that item's English text."""

    text: str
    item_id: int
    source: str
    published_date: str
    url: str
    span: tuple[int, int]
    score: float = 0.0
    shared_terms: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """A JSON-friendly dict."""
        return {**vars(self), "span": list(self.span), "shared_terms": list(self.shared_terms)}


@dataclass(frozen=True)
class Background:
    """An article's background: bullets, best first, and why there are fewer than asked."""

    bullets: tuple[BackgroundBullet, ...]
    shortfall: str = ""  # "", "NO_RELATED_ITEMS", "FEW_RELATED_ITEMS"
    shortfall_detail: str = ""
    published_date: str = ""
    date_origin: str = ""


@dataclass(frozen=True)
class ArchiveInfo:
    """What the archive is: storage kind, items held, retention, limits."""

    storage: str
    item_count: int
    retention_days: int
    version: str
    max_chars: int
    max_batch: int
    extra: dict[str, Any] = field(default_factory=dict)


def item_to_proto(item: ArchiveItem) -> archive_pb2.Item:
    """ArchiveItem → proto (the id stays the archive's to assign)."""
    return archive_pb2.Item(
        published_date=item.published_date,
        english_text=item.english_text,
        headline=item.headline,
        summary=item.summary,
        original_text=item.original_text,
        language_code=item.language,
        source=item.source,
        url=item.url,
        entities=list(item.entities),
    )


def item_from_proto(item: archive_pb2.Item) -> ArchiveItem:
    """proto → ArchiveItem."""
    return ArchiveItem(
        english_text=item.english_text,
        published_date=item.published_date,
        headline=item.headline,
        summary=item.summary,
        original_text=item.original_text,
        language=item.language_code,
        source=item.source,
        url=item.url,
        entities=tuple(item.entities),
        id=item.id,
        added_time=item.added_time,
        date_origin=_ORIGIN.get(item.date_origin, ""),
    )


def related_from_proto(pick: archive_pb2.RelatedItem) -> RelatedItem:
    """proto → RelatedItem."""
    return RelatedItem(
        item_from_proto(pick.item),
        round(pick.score, 4),
        tuple(pick.shared_terms),
        tuple(pick.shared_entities),
    )


def background_from_proto(reply: archive_pb2.BackgroundResponse) -> Background:
    """proto → Background."""
    return Background(
        tuple(
            BackgroundBullet(
                b.text,
                b.item_id,
                b.source,
                b.published_date,
                b.url,
                (b.span.start, b.span.end),
                round(b.score, 4),
                tuple(b.shared_terms),
            )
            for b in reply.bullets
        ),
        _SHORTFALL.get(reply.shortfall, ""),
        reply.shortfall_detail,
        reply.published_date,
        _ORIGIN.get(reply.date_origin, ""),
    )


class AsyncArchive:
    """The archive's calls, made through the client's transport (deadline, retries,
    request id, token)."""

    def __init__(self, client: AsyncNewsdeskClient, channel: grpc.aio.Channel) -> None:
        self._client = client
        self._stub = archive_pb2_grpc.ArchiveServiceStub(channel)
        self.address = client.config.archive

    async def _call(self, rpc: Any, request: Any, request_id: str | None = None) -> Any:
        return await self._client._call(
            "archive", self.address, rpc, request, self._client.config.archive_timeout, request_id
        )

    async def add(
        self, items: Sequence[ArchiveItem], *, request_id: str | None = None
    ) -> list[ArchiveItem]:
        """Store items; the stored ones (ids, dates) in order."""
        valid_texts("archive", "items", [i.english_text + i.original_text for i in items])
        reply = await self._call(
            self._stub.AddItems,
            archive_pb2.AddItemsRequest(items=[item_to_proto(i) for i in items]),
            request_id,
        )
        return [item_from_proto(i) for i in reply.items]

    async def get(self, item_id: int) -> ArchiveItem:
        """One item (NewsdeskError NOT_FOUND when there is none)."""
        reply = await self._call(self._stub.GetItem, archive_pb2.GetItemRequest(id=item_id))
        return item_from_proto(reply.item)

    async def delete(self, item_id: int) -> None:
        """Delete one item (NewsdeskError NOT_FOUND when there is none)."""
        await self._call(self._stub.DeleteItem, archive_pb2.DeleteItemRequest(id=item_id))

    async def list_items(
        self, start_date: str = "", end_date: str = "", *, page_size: int = 50
    ) -> list[ArchiveItem]:
        """Every item published from start_date to end_date (ISO, inclusive; "" open),
        newest first, page after page."""
        items: list[ArchiveItem] = []
        token = ""
        while True:
            reply = await self._call(
                self._stub.ListItems,
                archive_pb2.ListItemsRequest(
                    start_date=start_date, end_date=end_date, page_size=page_size, page_token=token
                ),
            )
            items += [item_from_proto(i) for i in reply.items]
            token = reply.next_page_token
            if not token:
                return items

    async def search(self, query: str, *, limit: int = 10) -> list[RelatedItem]:
        """Items matching the words, best first."""
        reply = await self._call(
            self._stub.Search, archive_pb2.SearchRequest(query=query, limit=limit)
        )
        return [related_from_proto(r) for r in reply.results]

    async def related(
        self,
        english_text: str,
        *,
        published_date: str = "",
        limit: int = 3,
        exclude_id: int = 0,
        entities: Sequence[str] = (),
    ) -> list[RelatedItem]:
        """Earlier items related to an article, best first, each with why."""
        reply = await self._call(
            self._stub.FindRelated,
            archive_pb2.FindRelatedRequest(
                english_text=english_text,
                published_date=published_date,
                limit=limit,
                exclude_id=exclude_id,
                entities=list(entities),
            ),
        )
        return [related_from_proto(r) for r in reply.related]

    async def background(
        self,
        english_text: str,
        *,
        published_date: str = "",
        bullet_count: int = 0,
        exclude_id: int = 0,
        entities: Sequence[str] = (),
        original_text: str = "",
        request_id: str | None = None,
    ) -> Background:
        """Background bullets for an article from the archive's related earlier items
        (`original_text`: the article before translation, whose dateline is read when
        no date is given)."""
        reply = await self._call(
            self._stub.Background,
            archive_pb2.BackgroundRequest(
                english_text=english_text,
                published_date=published_date,
                bullet_count=bullet_count,
                exclude_id=exclude_id,
                entities=list(entities),
                original_text=original_text,
            ),
            request_id,
        )
        return background_from_proto(reply)

    async def info(self) -> ArchiveInfo:
        """The archive's storage kind, item count, retention and limits."""
        reply = await self._call(self._stub.Info, archive_pb2.InfoRequest())
        return ArchiveInfo(
            reply.storage,
            reply.item_count,
            reply.retention_days,
            reply.info.version,
            reply.info.limits.max_chars,
            reply.info.limits.max_batch,
        )


def no_archive() -> NewsdeskError:
    """The error of an archive call on a client with no archive address."""
    return NewsdeskError(
        "archive",
        "FAILED_PRECONDITION",
        "no archive is configured: set NEWSDESK_ARCHIVE_ADDR (or --archive-addr, or "
        "archive= to the client)",
    )
