"""Web pages briefed end to end through real servers on the tiny models: a saved page, a
folder of pages (resumed), and a page fetched from a local HTTP server on loopback. The
boilerplate (menus, share buttons, "Read also", footer, scripts) never reaches the
brief; the page's date and URL are the brief's."""

from __future__ import annotations

import asyncio
import json

import pytest

from newsdesk_client.cli.main import main
from tests.integration.test_entity_brief import chain
from tests.unit.test_web_pages import site  # noqa: F401  (the loopback site fixture)
from tests.web_pages import BOILERPLATE, PARAGRAPHS_RU, PARAGRAPHS_UK, TITLE_RU, TITLE_UK, page

pytest.importorskip("trafilatura", reason="reading web pages needs the web extra")


def flags(config) -> list[str]:
    return [
        f"--detector={config.detector}",
        f"--translator={config.translator}",
        f"--summarizer={config.summarizer}",
        "--timeout=120",
    ]


async def test_pages_files_folders_and_urls(
    detector,
    translator,
    writer,
    tmp_path,
    capsys,
    site,  # noqa: F811
) -> None:
    one = tmp_path / "page.html"
    one.write_text(page(1, TITLE_UK, PARAGRAPHS_UK), encoding="utf-8")
    pages = tmp_path / "pages"
    pages.mkdir()
    for n, (title, paragraphs, lang) in enumerate(
        [
            (TITLE_UK, PARAGRAPHS_UK, "uk"),
            (TITLE_RU, PARAGRAPHS_RU, "ru"),
            (TITLE_UK, PARAGRAPHS_UK, "uk"),
        ]
    ):
        (pages / f"p{n}.html").write_text(page(n, title, paragraphs, lang), encoding="utf-8")
    async with chain(detector, translator, writer) as config:
        code = await asyncio.to_thread(
            main, ["brief", str(one), "--json", "--with-translation", *flags(config)]
        )
        single = capsys.readouterr()
        folder = await asyncio.to_thread(
            main, ["brief", str(pages), "--out", str(tmp_path / "briefs"), *flags(config)]
        )
        capsys.readouterr()
        again = await asyncio.to_thread(
            main, ["brief", str(pages), "--out", str(tmp_path / "briefs"), *flags(config)]
        )
        resumed = capsys.readouterr()
        refused = await asyncio.to_thread(main, ["brief", f"{site}/page", *flags(config)])
        refusal = capsys.readouterr()
        fetched = await asyncio.to_thread(
            main,
            ["brief", f"{site}/moved", "--allow-private-urls", "--json", *flags(config)],
        )
        by_url = capsys.readouterr()
    assert code == 0, single.err
    data = json.loads(single.out)
    assert data["page"]["title"] == TITLE_UK and data["page"]["date"] == "2024-03-30"
    assert data["language"] == "uk"
    assert f"page: {TITLE_UK}" in single.err
    # The brief was made from the article alone: its source sentences are the paragraphs.
    originals = [o["text"] for s in data["sources"] for o in s["original"]]
    assert originals and all(any(o in p for p in PARAGRAPHS_UK) for o in originals)
    for junk in BOILERPLATE:
        assert junk not in json.dumps(data, ensure_ascii=False)
    assert folder == 0
    written = sorted(p.name for p in (tmp_path / "briefs").iterdir())
    assert [n for n in written if n.endswith(".json") and n.startswith("p")] == [
        "p0.json",
        "p1.json",
        "p2.json",
    ]
    assert json.loads((tmp_path / "briefs" / "p1.json").read_text())["language"] == "ru"
    assert again == 0 and "skipped 3 (already done)" in resumed.err
    assert refused == 2 and "private, loopback or reserved" in refusal.err
    assert fetched == 0, by_url.err
    assert json.loads(by_url.out)["page"]["url"] == f"{site}/page"


async def test_the_client_api_briefs_a_page(detector, translator, writer, site) -> None:  # noqa: F811
    from newsdesk_client import AsyncNewsdeskClient
    from newsdesk_client.web import PageError

    async with (
        chain(detector, translator, writer) as config,
        AsyncNewsdeskClient(config) as client,
    ):
        found, brief = await client.brief_page(page(0, TITLE_RU, PARAGRAPHS_RU, "ru"))
        assert found.title == TITLE_RU and brief.language == "ru" and brief.translated
        with pytest.raises(PageError, match="private, loopback or reserved"):
            await client.brief_page("", url=f"{site}/page")
        fetched, by_url = await client.brief_page("", url=f"{site}/page", allow_private=True)
        assert fetched.url == f"{site}/page" and by_url.language == "uk"
        with pytest.raises(ValueError, match="HTML or its url"):
            await client.brief_page("")
    originals = [o.text for s in brief.sources for o in s.original]
    assert originals and all(any(o in p for p in PARAGRAPHS_RU) for o in originals)


async def test_a_folder_briefs_the_same_story_once(
    detector, translator, writer, tmp_path, capsys
) -> None:
    """Two tellings of one story (a page and the text of a repost) and another story: the
    story is briefed once, both files carry it with every telling named; --no-group
    briefs each file on its own."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.html").write_text(page(0, TITLE_UK, PARAGRAPHS_UK), encoding="utf-8")
    (folder / "b.txt").write_text(
        "Оновлено. " + "\n\n".join(PARAGRAPHS_UK) + " Слідкуйте за новинами.", encoding="utf-8"
    )
    (folder / "c.txt").write_text("\n\n".join(PARAGRAPHS_RU), encoding="utf-8")
    async with chain(detector, translator, writer) as config:
        grouped = await asyncio.to_thread(
            main, ["brief", str(folder), "--out", str(tmp_path / "g"), *flags(config)]
        )
        apart = await asyncio.to_thread(
            main,
            ["brief", str(folder), "--out", str(tmp_path / "n"), "--no-group", *flags(config)],
        )
        capsys.readouterr()
    assert grouped == 0 and apart == 0

    def read(run: str, name: str) -> dict:
        return json.loads((tmp_path / run / f"{name}.json").read_text(encoding="utf-8"))

    a, b, c = read("g", "a"), read("g", "b"), read("g", "c")
    assert a["story_sources"] == b["story_sources"] == ["b.txt", "a.html"]  # the fullest first
    assert a["headline"] == b["headline"] and a["bullets"] == b["bullets"]
    assert c["story_sources"] == [] and c["language"] == "ru"
    assert "briefed once, from b.txt" in (tmp_path / "g" / "a.md").read_text(encoding="utf-8")
    assert all(read("n", name)["story_sources"] == [] for name in ("a", "b", "c"))


async def test_an_english_pages_title_is_its_headline(detector, translator, writer) -> None:
    from newsdesk_client import AsyncNewsdeskClient

    title = "Kyiv air defence downs 38 of 40 drones overnight"
    paragraphs = (
        "Air defence forces shot down 38 of 40 drones over Kyiv overnight, the city's "
        "military administration said on Saturday.",
        "Debris damaged two houses in the Darnytskyi district; two people were injured.",
        "The attack lasted more than four hours, officials said.",
    )
    async with (
        chain(detector, translator, writer) as config,
        AsyncNewsdeskClient(config) as client,
    ):
        found, brief = await client.brief_page(page(0, title, paragraphs, "en"))
    assert found.title == title and brief.language == "en"
    assert brief.headline == title
