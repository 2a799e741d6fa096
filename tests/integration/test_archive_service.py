"""The archive service through a real gRPC server, on SQLite and on PostgreSQL: storing,
reading, listing, deleting, searching, related items and background bullets, and every
kind of bad request refused with a clear INVALID_ARGUMENT (or NOT_FOUND) naming the field.
"""

from __future__ import annotations

import grpc
import pytest
from grpc_status import rpc_status

from newsdesk.archive.v1 import archive_pb2, archive_pb2_grpc
from tests.archive_fixtures import (
    DISTRACTORS,
    EARLIER,
    LATER,
    NEW_ARTICLE,
    NEW_DATE,
    UNRELATED,
)


def item(date: str, source: str, url: str, text: str, **extra) -> archive_pb2.Item:
    return archive_pb2.Item(published_date=date, source=source, url=url, english_text=text, **extra)


async def fill(stub) -> list[archive_pb2.Item]:
    reply = await stub.AddItems(
        archive_pb2.AddItemsRequest(items=[item(*row) for row in [*EARLIER, *DISTRACTORS, LATER]])
    )
    return list(reply.items)


async def refused(call, code=grpc.StatusCode.INVALID_ARGUMENT) -> tuple[str, list[str]]:
    """The refusal's message and the fields its BadRequest names."""
    from google.rpc import error_details_pb2

    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call
    assert caught.value.code() == code, caught.value.details()
    status = rpc_status.from_call(caught.value)
    fields = []
    for detail in status.details if status else ():
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            fields += [v.field for v in bad.field_violations]
    return caught.value.details() or "", fields


async def test_add_get_list_delete_round_trip(archive_server) -> None:
    stub = archive_pb2_grpc.ArchiveServiceStub(archive_server.channel)
    stored = await fill(stub)
    assert [s.published_date for s in stored] == [r[0] for r in [*EARLIER, *DISTRACTORS, LATER]]
    assert all(s.id > 0 and not s.english_text for s in stored)  # texts are not echoed
    assert {s.date_origin for s in stored} == {archive_pb2.DATE_ORIGIN_GIVEN}
    got = await stub.GetItem(archive_pb2.GetItemRequest(id=stored[0].id))
    assert got.item.english_text == EARLIER[0][3] and got.item.added_time
    assert got.item.url == EARLIER[0][2]
    # Listing by date, newest first, page by page.
    seen, token = [], ""
    while True:
        page = await stub.ListItems(
            archive_pb2.ListItemsRequest(
                start_date="2021-03-01", end_date="2021-04-30", page_size=2, page_token=token
            )
        )
        seen += [i.published_date for i in page.items]
        token = page.next_page_token
        if not token:
            break
    assert seen == sorted(
        [r[0] for r in [*EARLIER, *DISTRACTORS] if "2021-03-01" <= r[0] <= "2021-04-30"],
        reverse=True,
    )
    await stub.DeleteItem(archive_pb2.DeleteItemRequest(id=stored[0].id))
    await refused(
        stub.GetItem(archive_pb2.GetItemRequest(id=stored[0].id)), grpc.StatusCode.NOT_FOUND
    )
    await refused(
        stub.DeleteItem(archive_pb2.DeleteItemRequest(id=stored[0].id)), grpc.StatusCode.NOT_FOUND
    )
    info = await stub.Info(archive_pb2.InfoRequest())
    assert info.item_count == len(stored) - 1
    assert info.storage in ("sqlite", "postgresql")
    assert "://" not in str(info)  # never the storage URL (it may carry a password)


async def test_date_read_from_the_text_else_the_day_received(archive_server) -> None:
    stub = archive_pb2_grpc.ArchiveServiceStub(archive_server.channel)
    reply = await stub.AddItems(
        archive_pb2.AddItemsRequest(
            items=[
                item("", "", "", "KYIV, March 30, 2021 — Khomchak spoke about the border."),
                item(
                    "",
                    "",
                    "",
                    "Something happened.",
                    original_text="Київ, 30\u00a0березня 2021 року — заява",
                    language_code="uk",
                ),
                item("", "", "", "No date is written in this story at all."),
            ]
        )
    )
    dated = [(i.published_date, i.date_origin) for i in reply.items]
    assert dated[0] == ("2021-03-30", archive_pb2.DATE_ORIGIN_EXTRACTED)
    assert dated[1] == ("2021-03-30", archive_pb2.DATE_ORIGIN_EXTRACTED)
    assert dated[2][1] == archive_pb2.DATE_ORIGIN_RECEIVED


async def test_background_bullets_from_related_earlier_items(archive_server) -> None:
    stub = archive_pb2_grpc.ArchiveServiceStub(archive_server.channel)
    stored = await fill(stub)
    related_ids = {s.id for s in stored[: len(EARLIER)]}
    later_id = stored[-1].id
    reply = await stub.Background(
        archive_pb2.BackgroundRequest(
            english_text=NEW_ARTICLE, published_date=NEW_DATE, bullet_count=3
        )
    )
    assert len(reply.bullets) == 3, reply
    assert reply.shortfall == archive_pb2.BACKGROUND_SHORTFALL_UNSPECIFIED
    by_id = {s.id: s for s in stored}
    text_of = {s.id: row[3] for s, row in zip(stored, [*EARLIER, *DISTRACTORS, LATER], strict=True)}
    for b in reply.bullets:
        assert b.item_id in related_ids and b.item_id != later_id
        source = by_id[b.item_id]
        assert b.text.startswith("On ") and b.text.rstrip().endswith(".")
        assert b.published_date == source.published_date <= NEW_DATE
        assert b.url == source.url and b.source == source.source
        sentence = text_of[b.item_id][b.span.start : b.span.end]
        # The bullet carries the sentence it came from (after its date opening).
        assert sentence.split()[-3:] == b.text.split()[-3:]
        assert b.score > 0 and b.shared_terms
    # The same search never returns anything dated after the article, or itself.
    related = await stub.FindRelated(
        archive_pb2.FindRelatedRequest(
            english_text=EARLIER[2][3], published_date=EARLIER[2][0], limit=5,
            exclude_id=stored[2].id,
        )
    )  # fmt: skip
    ids = [r.item.id for r in related.related]
    assert stored[2].id not in ids and later_id not in ids
    assert all(r.item.published_date <= EARLIER[2][0] for r in related.related)


async def test_unrelated_article_gets_no_background_and_says_so(archive_server) -> None:
    stub = archive_pb2_grpc.ArchiveServiceStub(archive_server.channel)
    await fill(stub)
    reply = await stub.Background(
        archive_pb2.BackgroundRequest(english_text=UNRELATED, published_date=NEW_DATE)
    )
    assert not reply.bullets
    assert reply.shortfall == archive_pb2.BACKGROUND_SHORTFALL_NO_RELATED_ITEMS
    assert "nothing related" in reply.shortfall_detail


async def test_search_finds_by_words(archive_server) -> None:
    stub = archive_pb2_grpc.ArchiveServiceStub(archive_server.channel)
    stored = await fill(stub)
    reply = await stub.Search(archive_pb2.SearchRequest(query="Khomchak battalion", limit=5))
    assert reply.results and reply.results[0].item.id == stored[0].id
    assert "khomchak" in reply.results[0].shared_terms


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (dict(english_text=""), "items[0].english_text"),
        (dict(english_text="x" * 50_001), "items[0].english_text"),
        (dict(original_text="x" * 50_001), "items[0].original_text"),
        (dict(url="javascript:alert(1)"), "items[0].url"),
        (dict(url="file:///etc/passwd"), "items[0].url"),
        (dict(published_date="30.03.2021"), "items[0].published_date"),
        (dict(published_date="2999-01-01"), "items[0].published_date"),
        (dict(english_text="a\x00b"), "items[0].english_text"),
        (dict(language_code="not a language"), "items[0].language_code"),
        (dict(entities=[""]), "items[0].entities[0]"),
        (dict(id=7), "items[0].id"),
        (dict(headline="h" * 1_001), "items[0].headline"),
    ],
)
async def test_malformed_item_refused_naming_the_field(archive_server, bad, field) -> None:
    stub = archive_pb2_grpc.ArchiveServiceStub(archive_server.channel)
    fields = {"english_text": "Ukraine said the drills would go ahead.", **bad}
    fields.setdefault("english_text", "text")
    _, named = await refused(
        stub.AddItems(archive_pb2.AddItemsRequest(items=[archive_pb2.Item(**fields)]))
    )
    assert field in named
    info = await stub.Info(archive_pb2.InfoRequest())
    assert info.item_count == 0  # nothing of a refused call is stored


async def test_batch_and_request_limits(archive_server) -> None:
    stub = archive_pb2_grpc.ArchiveServiceStub(archive_server.channel)
    await refused(stub.AddItems(archive_pb2.AddItemsRequest()))
    many = [archive_pb2.Item(english_text=f"Story {i}.") for i in range(21)]
    message, _ = await refused(stub.AddItems(archive_pb2.AddItemsRequest(items=many)))
    assert "20" in message
    for request, field in (
        (archive_pb2.BackgroundRequest(english_text=""), "english_text"),
        (archive_pb2.BackgroundRequest(english_text="x", bullet_count=9), "bullet_count"),
        (archive_pb2.BackgroundRequest(english_text="x", published_date="yesterday"), "published_date"),
    ):  # fmt: skip
        _, named = await refused(stub.Background(request))
        assert field in named
    _, named = await refused(
        stub.FindRelated(archive_pb2.FindRelatedRequest(english_text="x", limit=99))
    )
    assert "limit" in named
    _, named = await refused(stub.Search(archive_pb2.SearchRequest(query=" ")))
    assert "query" in named
    _, named = await refused(stub.ListItems(archive_pb2.ListItemsRequest(page_token="abc")))
    assert "page_token" in named
    _, named = await refused(stub.GetItem(archive_pb2.GetItemRequest(id=0)))
    assert "id" in named
    # Names are checked on every call that takes them (NUL would reach the store's query).
    for bad in ("a\x00b", "", "x" * 201):
        request = archive_pb2.BackgroundRequest(english_text="Drills.", entities=[bad])
        _, named = await refused(stub.Background(request))
        assert "entities[0]" in named
        request = archive_pb2.FindRelatedRequest(english_text="Drills.", entities=[bad])
        _, named = await refused(stub.FindRelated(request))
        assert "entities[0]" in named


async def test_deleted_ids_are_never_reused(archive_server) -> None:
    stub = archive_pb2_grpc.ArchiveServiceStub(archive_server.channel)
    first = await fill(stub)
    await stub.DeleteItem(archive_pb2.DeleteItemRequest(id=first[-1].id))
    (again,) = (await stub.AddItems(archive_pb2.AddItemsRequest(items=[item(*LATER)]))).items
    assert again.id > first[-1].id


async def test_a_refused_batch_stores_nothing(archive_server) -> None:
    """One bad item refuses the call and none of the good ones is stored."""
    stub = archive_pb2_grpc.ArchiveServiceStub(archive_server.channel)
    good = [item(*row) for row in EARLIER]
    bad = archive_pb2.Item(english_text="x", url="ftp://example.org")
    await refused(stub.AddItems(archive_pb2.AddItemsRequest(items=[*good, bad])))
    assert (await stub.Info(archive_pb2.InfoRequest())).item_count == 0


async def test_storage_down_is_unavailable_in_seconds_then_recovers(
    archive_server, archive_url, request
) -> None:
    """PostgreSQL refusing the archive's connections: calls are UNAVAILABLE with reason
    STORAGE_UNAVAILABLE within seconds (never a bare INTERNAL, never the pool's 30 s),
    and answer again once the database is back."""
    import time

    import psycopg

    if not archive_url.startswith("postgresql"):
        pytest.skip("a database that goes away: the PostgreSQL store")
    stub = archive_pb2_grpc.ArchiveServiceStub(archive_server.channel)
    await fill(stub)
    name = archive_url.split("@/", 1)[1].split("?")[0]
    admin = request.getfixturevalue("pg_admin")

    def allow(on: bool) -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                psycopg.sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS {}").format(
                    psycopg.sql.Identifier(name), psycopg.sql.SQL("true" if on else "false")
                )
            )
            if not on:
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                    (name,),
                )

    allow(False)
    try:
        started = time.monotonic()
        with pytest.raises(grpc.aio.AioRpcError) as down:
            await stub.Search(archive_pb2.SearchRequest(query="Khomchak"))
        assert down.value.code() == grpc.StatusCode.UNAVAILABLE
        assert "storage is unavailable" in (down.value.details() or "")
        assert time.monotonic() - started < 15
    finally:
        allow(True)
    reply = await stub.Search(archive_pb2.SearchRequest(query="Khomchak"))
    assert reply.results


async def test_a_page_of_long_items_ends_early_and_the_token_goes_on(
    archive_server, monkeypatch
) -> None:
    """ListItems keeps a page under its byte budget whatever page_size asked (so a page
    of long items never exceeds the message cap), and the pages still hold every item
    once."""
    from services.archive import servicer

    monkeypatch.setattr(servicer, "PAGE_BYTES", 600)
    stub = archive_pb2_grpc.ArchiveServiceStub(archive_server.channel)
    stored = await fill(stub)
    seen, pages, token = [], 0, ""
    while True:
        page = await stub.ListItems(archive_pb2.ListItemsRequest(page_size=50, page_token=token))
        assert page.items  # never an empty page before the end
        seen += [i.id for i in page.items]
        pages += 1
        token = page.next_page_token
        if not token:
            break
    assert sorted(seen) == sorted(s.id for s in stored)
    assert pages > 1
