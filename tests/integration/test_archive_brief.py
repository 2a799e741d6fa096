"""The brief with background from the archive, through real servers (tiny models for the
detector → translator → summarizer chain; the archive on SQLite and on PostgreSQL).

Three related earlier articles are archived; a new article on the same story gets its
background bullets from them — dated, complete sentences with provenance — and an
unrelated article gets none, with the shortfall said and the article's own bullets
labelled as the fallback. The new articles are English (the translator passes English
through), so the archive's matching sees real words: a tiny model's translation of a uk
article is noise, which no ranking can relate (a uk article is stored and read back for
its structure instead).
"""

from __future__ import annotations

import re

from newsdesk_client import ArchiveItem, AsyncNewsdeskClient, ClientConfig
from tests.archive_fixtures import DISTRACTORS, EARLIER, LATER, NEW_ARTICLE, NEW_DATE, UNRELATED

_DATED = re.compile(r"^On (January|February|March|April|May|June|July|August|September|"
                    r"October|November|December) \d{1,2}, \d{4}, \S")  # fmt: skip
UK = (
    "Уряд України ухвалив нове рішення щодо підтримки громад. У понеділок у Києві "
    "відбулася зустріч міністрів.\n\nЗа даними агентства, обсяг експорту збільшився."
)


def client_for(servers, archive) -> AsyncNewsdeskClient:
    return AsyncNewsdeskClient(
        ClientConfig(
            detector=servers["dt"].address,
            translator=servers["tr"].address,
            summarizer=servers["sm"].address,
            archive=archive.address,
            translate_timeout=120,
            summarize_timeout=120,
        )
    )


async def archive_earlier(client: AsyncNewsdeskClient) -> list[ArchiveItem]:
    rows = [*EARLIER, *DISTRACTORS, LATER]
    return await client.archive.add(
        [ArchiveItem(english_text=t, published_date=d, source=s, url=u) for d, s, u, t in rows]
    )


async def test_related_article_gets_archive_bullets_with_provenance(
    three_servers, archive_server
) -> None:
    async with client_for(three_servers, archive_server) as client:
        stored = await archive_earlier(client)
        related = {s.id: s for s in stored[: len(EARLIER)]}
        brief = await client.brief(NEW_ARTICLE, published_date=NEW_DATE, bullet_count=3)
    assert brief.archive_asked and brief.published_date == NEW_DATE
    assert brief.bullet_kinds == ("archive",) * 3
    assert brief.bullet_shortfall == ""
    # Archive bullets are quoted from earlier items: not checked against this article.
    assert brief.bullet_checks == (None,) * 3
    assert brief.to_dict()["fact_checks"]["bullets"] == [{"checked": "archive item, quoted"}] * 3
    for text, source in zip(brief.bullets, brief.sources, strict=True):
        found = source.archive
        assert found is not None and found.item_id in related  # never the later item
        earlier = related[found.item_id]
        assert _DATED.match(text), text
        assert text.rstrip().endswith((".", '"', "”"))
        assert (found.source, found.url, found.published_date) == (
            earlier.source,
            earlier.url,
            earlier.published_date,
        )
        text_of = {s.id: row[3] for s, row in zip(stored, EARLIER, strict=False)}
        sentence = text_of[found.item_id][found.span[0] : found.span[1]]
        assert sentence.split()[-4:] == text.split()[-4:]
    shown = brief.to_text(with_sources=True)
    assert shown.count("• On ") == 3 and "[archive #" in shown
    assert "(from this article)" not in shown
    as_json = brief.to_dict()
    assert as_json["bullet_kinds"] == ["archive"] * 3
    assert {s["archive"]["item_id"] for s in as_json["sources"]} <= set(related)


async def test_unrelated_article_falls_back_to_its_own_bullets_labelled(
    three_servers, archive_server
) -> None:
    async with client_for(three_servers, archive_server) as client:
        await archive_earlier(client)
        brief = await client.brief(UNRELATED, published_date=NEW_DATE)
    assert brief.archive_asked
    assert "archive" not in brief.bullet_kinds
    assert brief.bullet_shortfall == "NO_RELATED_ITEMS"
    assert "nothing related" in brief.bullet_shortfall_detail
    text = brief.to_text()
    assert "nothing related" in text
    assert all(line.startswith("• (from this article) ") for line in text.splitlines()
               if line.startswith("• "))  # fmt: skip


async def test_remember_stores_the_brief_and_it_is_never_its_own_background(
    three_servers, archive_server
) -> None:
    async with client_for(three_servers, archive_server) as client:
        await archive_earlier(client)
        first = await client.brief(NEW_ARTICLE, published_date=NEW_DATE, remember=True,
                                   source="Desk", url="https://example.org/new")  # fmt: skip
        assert first.archived_id > 0
        stored = await client.archive.get(first.archived_id)
        assert stored.english_text == first.english_text
        assert (stored.headline, stored.summary) == (first.headline, first.summary)
        assert (stored.source, stored.url, stored.published_date) == (
            "Desk",
            "https://example.org/new",
            NEW_DATE,
        )
        again = await client.brief(NEW_ARTICLE, published_date=NEW_DATE)
        ids = {s.archive.item_id for s in again.sources if s.archive}
        assert first.archived_id not in ids  # the article itself, or a near-duplicate
        # A uk article is stored with its original and language; its date, unless
        # given, is the day the archive received it (none is written in it).
        uk = await client.brief(UK, remember=True)
        item = await client.archive.get(uk.archived_id)
    assert (item.language, item.original_text) == ("uk", UK)
    assert uk.date_origin == "received" and uk.published_date == item.published_date


async def test_no_archive_configured_is_today_s_brief(three_servers) -> None:
    config = ClientConfig(
        detector=three_servers["dt"].address,
        translator=three_servers["tr"].address,
        summarizer=three_servers["sm"].address,
        translate_timeout=120,
        summarize_timeout=120,
    )
    async with AsyncNewsdeskClient(config) as client:
        brief = await client.brief(NEW_ARTICLE)
    assert not brief.archive_asked and set(brief.bullet_kinds) <= {"article"}
    assert "(from this article)" not in brief.to_text()
