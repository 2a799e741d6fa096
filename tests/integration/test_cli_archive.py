"""`newsdesk archive …` and `newsdesk brief --archive` against the archive in-process (on
SQLite and on PostgreSQL: the archive_server fixture's params), and the brief through
the `stack` fixture's real services on tiny models.

The archive_server fixture is async while the CLI's main() runs its own event loop, so
main() runs in a thread (`asyncio.to_thread`). The articles are English and archived
with `--language en`, which stores them as given without the translator (uk and ru
text goes through it): these tests need no translator but the brief's."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from newsdesk_client.cli.main import main
from tests.archive_fixtures import DISTRACTORS, EARLIER, NEW_ARTICLE, NEW_DATE
from tests.conftest import stack_args


@pytest.fixture(autouse=True)
def no_archive_env(monkeypatch) -> None:
    """The archive address comes from the flags only (none from the environment)."""
    monkeypatch.delenv("NEWSDESK_ARCHIVE_ADDR", raising=False)
    monkeypatch.delenv("NEWSDESK_ARCHIVE_REMEMBER", raising=False)


async def cli(capsys, *argv: str) -> tuple[int, str, str]:
    """Run `newsdesk ARGV` in a thread: (exit code, stdout, stderr)."""
    code = await asyncio.to_thread(main, list(argv))
    out, err = capsys.readouterr()
    return code, out, err


async def add_earlier(capsys, tmp_path: Path, address: str) -> dict[str, int]:
    """Archive EARLIER and DISTRACTORS (English, each with its date, source and URL);
    the id of each by its URL."""
    ids = {}
    for index, (day, source, url, text) in enumerate([*EARLIER, *DISTRACTORS]):
        path = tmp_path / f"earlier{index}.txt"
        path.write_text(text, encoding="utf-8")
        code, out, err = await cli(
            capsys,
            "archive", "add", str(path), "--language", "en", "--date", day,
            "--source", source, "--url", url, "--archive-addr", address,
        )  # fmt: skip
        assert code == 0, err
        number, date, shown_source, shown_path = out.split()
        assert (date, shown_source, shown_path) == (day, source, str(path))
        ids[url] = int(number.removeprefix("#"))
    return ids


async def test_add_search_show_list_info_delete(archive_server, tmp_path, capsys) -> None:
    address = ["--archive-addr", archive_server.address]
    ids = await add_earlier(capsys, tmp_path, archive_server.address)
    khomchak = ids[EARLIER[0][2]]

    code, out, _ = await cli(capsys, "archive", "search", "Khomchak", *address)
    assert code == 0
    assert out.splitlines()[0].startswith(f"#{khomchak} ")
    assert "2021-03-30" in out.splitlines()[0]
    code, out, _ = await cli(capsys, "archive", "search", "Khomchak", "--json", *address)
    found = json.loads(out)
    assert found[0]["id"] == khomchak and found[0]["score"] > 0
    assert found[0]["headline"].startswith("Ukraine's Commander-in-Chief")

    code, out, _ = await cli(capsys, "archive", "show", f"#{khomchak}", *address)
    assert code == 0
    assert "Ukrinform" in out and EARLIER[0][2] in out and "date      2021-03-30" in out
    assert "Ruslan Khomchak" in out
    code, out, _ = await cli(capsys, "archive", "show", str(khomchak), "--json", *address)
    item = json.loads(out)
    assert (item["id"], item["language"], item["english_text"]) == (khomchak, "en", EARLIER[0][3])

    code, out, _ = await cli(
        capsys, "archive", "list", "--from", "2021-03-29", "--to", "2021-04-03", *address
    )
    assert code == 0
    listed = [line.split()[0] for line in out.splitlines()]
    assert listed == [f"#{ids[EARLIER[1][2]]}", f"#{khomchak}"]  # newest first
    code, out, _ = await cli(capsys, "archive", "list", "--json", *address)
    assert len(json.loads(out)) == len(EARLIER) + len(DISTRACTORS)

    code, out, _ = await cli(capsys, "archive", "info", *address)
    assert code == 0
    assert "storage" in out and f"items      {len(ids)}" in out and "keep everything" in out
    code, out, _ = await cli(capsys, "archive", "info", "--json", *address)
    assert json.loads(out)["storage"] in ("sqlite", "postgresql")

    code, out, _ = await cli(capsys, "archive", "delete", str(khomchak), *address)
    assert (code, out.strip()) == (0, f"deleted #{khomchak}")
    code, out, err = await cli(capsys, "archive", "delete", str(khomchak), *address)
    assert code == 1 and "NOT_FOUND" in err and str(khomchak) in err
    code, out, err = await cli(capsys, "archive", "show", str(khomchak), *address)
    assert code == 1 and "NOT_FOUND" in err


async def test_add_a_folder_dates_from_the_text(archive_server, tmp_path, capsys) -> None:
    folder = tmp_path / "stories"
    (folder / "deeper").mkdir(parents=True)
    (folder / "a.txt").write_text("On 12 March 2021 the council met in Kyiv.", encoding="utf-8")
    (folder / "deeper" / "b.txt").write_text("Talks resumed on Monday.", encoding="utf-8")
    (folder / "empty.txt").write_text("  \n", encoding="utf-8")
    args = ["archive", "add", str(folder), "--language", "en", "--recursive"]
    code, out, err = await cli(capsys, *args, "--archive-addr", archive_server.address)
    assert code == 1, err  # the empty file failed, the rest were stored
    assert "empty.txt" in err and "stored 2, failed 1" in err
    dates = {Path(line.split()[-1]).name: line.split()[1] for line in out.splitlines()}
    assert dates["a.txt"] == "2021-03-12" and set(dates) == {"a.txt", "b.txt"}
    code, _, err = await cli(capsys, *args, "--url", "https://example.org/x", "--archive-addr", "x")
    assert code == 2 and "--url names one article" in err


def test_usage_errors_without_an_archive(tmp_path, capsys) -> None:
    """No archive address: every archive command, and brief --archive, say how to give
    one (exit 2) before anything is sent."""
    article = tmp_path / "a.txt"
    article.write_text(NEW_ARTICLE, encoding="utf-8")
    for argv in (
        ["archive", "search", "Khomchak"],
        ["archive", "add", str(article), "--language", "en"],
        ["archive", "info"],
        ["brief", str(article), "--archive"],
        ["brief", str(article), "--date", NEW_DATE],
    ):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert "NEWSDESK_ARCHIVE_ADDR" in err and "--archive-addr" in err, argv
    assert main(["brief", str(article), "--source", "Ukrinform", "--archive-addr", "x:1"]) == 2
    assert "add --archive" in capsys.readouterr().err
    with pytest.raises(SystemExit) as bad:
        main(["brief", str(article), "--archive", "--date", "10.04.2021"])
    assert bad.value.code == 2 and "YYYY-MM-DD" in capsys.readouterr().err
    with pytest.raises(SystemExit) as bad:
        main(["archive", "show", "twelve", "--archive-addr", "x:1"])
    assert bad.value.code == 2 and "not an archive id" in capsys.readouterr().err


def test_archive_unavailable_exits_3(capsys) -> None:
    code = main(["archive", "info", "--archive-addr", "127.0.0.1:1", "--timeout", "5"])
    err = capsys.readouterr().err
    assert code == 3 and "UNAVAILABLE" in err


async def test_brief_with_background_and_stored(stack, archive_server, tmp_path, capsys) -> None:
    """A new article on the story earlier items tell: its bullets come from the archive
    (dated "On …"), and --archive stores the brief, saying under which id."""
    address = ["--archive-addr", archive_server.address]
    ids = await add_earlier(capsys, tmp_path, archive_server.address)
    article = tmp_path / "new.txt"
    article.write_text(NEW_ARTICLE, encoding="utf-8")
    # The stack's tiny models decode with 2 beams; what they write holds no control
    # characters (the engines drop them), so the archive stores it.
    brief = ["brief", str(article), "--date", NEW_DATE, "--bullets", "3"]
    brief += stack_args(stack)

    code, out, err = await cli(capsys, *brief, "--json", *address)
    assert code == 0, err
    data = json.loads(out)
    assert "archive" in data["bullet_kinds"]
    assert data["archive"]["asked"] and data["archive"]["archived_id"] == 0
    assert {s["archive"]["item_id"] for s in data["sources"] if "archive" in s} <= set(ids.values())
    assert "archived as item" not in err

    args = [*brief, "--archive", "--source", "Kyiv Post", "--with-sources", *address]
    code, out, err = await cli(capsys, *args)
    assert code == 0, err
    assert any(line.startswith("• On ") for line in out.splitlines()), out
    assert "[archive #" in out
    assert "archived as item #" in err and f"(dated {NEW_DATE}, given)" in err
    stored = int(err.split("archived as item #")[1].split()[0])
    code, out, _ = await cli(capsys, "archive", "show", str(stored), "--json", *address)
    item = json.loads(out)
    assert (item["published_date"], item["source"]) == (NEW_DATE, "Kyiv Post")
    assert item["headline"]
