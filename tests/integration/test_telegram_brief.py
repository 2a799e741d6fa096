"""A Telegram channel export briefed end to end through real servers on the tiny models
(`newsdesk brief result.json`), the translator behind the stand-in that copies its input
the way a trained model copies placeholders: one brief a post (the album once, with its
caption), dated by the post and linked to it, and every link, mention, hashtag and emoji
present and unchanged in the English."""

from __future__ import annotations

import asyncio
import json

import pytest

from newsdesk_client.cli.main import main
from services.common.text.verbatim import verbatim_spans
from tests.integration.test_entity_brief import chain
from tests.telegram_export import USERNAME, write_export

pytest.importorskip("pymorphy3", reason="the translator's layers need the serve extra")


async def test_a_channel_export_briefs_each_post(
    detector, translator, writer, tmp_path, capsys
) -> None:
    path = write_export(tmp_path)
    async with chain(detector, translator, writer) as config:
        flags = [
            f"--detector={config.detector}",
            f"--translator={config.translator}",
            f"--summarizer={config.summarizer}",
            "--timeout=120",
        ]
        code = await asyncio.to_thread(
            main,
            [
                "brief",
                str(path),
                "--jsonl",
                "--with-translation",
                "--telegram-username",
                USERNAME,
                *flags,
            ],
        )
        captured = capsys.readouterr()
        text_code = await asyncio.to_thread(main, ["brief", str(path), *flags])
        printed = capsys.readouterr().out
    assert code == 0, captured.err
    assert "4 post(s) to brief, 2 message(s) skipped" in captured.err
    records = [json.loads(line) for line in captured.out.splitlines()]
    assert [r["telegram"]["id"] for r in records] == [2, 3, 4, 8]
    by_id = {r["telegram"]["id"]: r for r in records}
    assert by_id[4]["telegram"]["album"] == [4, 5, 6]
    assert by_id[8]["telegram"]["forwarded_from"] == "Другой канал"
    assert by_id[8]["language"] == "ru" and by_id[2]["language"] == "uk"
    assert by_id[2]["telegram"]["link"] == f"https://t.me/{USERNAME}/2"
    from newsdesk_client.telegram import read_export

    posts = {p.id: p for p in read_export(path, USERNAME).posts}
    for post_id, record in by_id.items():
        source = posts[post_id].text
        kept = [source[v.start : v.end] for v in verbatim_spans(source)]
        assert kept or post_id == 4
        for item in kept:  # links, mentions, hashtags, emoji: byte for byte
            assert record["english_text"].count(item) == source.count(item), (post_id, item)
        assert record["bullets"] or record["bullet_shortfall"]
    assert "https://example.com.ua/a/7448" in by_id[3]["english_text"]
    assert text_code == 0
    assert "=== Приклад Новини #4, 2024-03-30T09:10:00" in printed


def test_export_refusals_and_services_down(tmp_path, capsys) -> None:
    path = write_export(tmp_path)
    down = ["--detector=127.0.0.1:1", "--translator=127.0.0.1:1", "--summarizer=127.0.0.1:1"]
    archive = ["--archive", "--archive-addr=127.0.0.1:1"]
    assert main(["brief", str(path), *archive, "--url", "https://x.org/a", *down]) == 2
    assert "--url names one article" in capsys.readouterr().err
    assert main(["brief", str(path), "--telegram-username", "bad/name", *down]) == 2
    assert "not a Telegram username" in capsys.readouterr().err
    code = main(["brief", str(path), "--jsonl", "--timeout=5", *down])
    captured = capsys.readouterr()
    assert code == 3  # nothing briefed: the services did not answer
    records = [json.loads(line) for line in captured.out.splitlines()]
    assert [r["ok"] for r in records] == [False] * 4
    assert all("UNAVAILABLE" in r["error"] for r in records)
    empty = tmp_path / "empty" / "result.json"
    empty.parent.mkdir()
    empty.write_text('{"name": "x", "messages": []}', encoding="utf-8")
    assert main(["brief", str(empty), *down]) == 2
    assert "no post with text" in capsys.readouterr().err


async def test_the_same_story_posted_twice_is_briefed_once(
    detector, translator, writer, tmp_path, capsys
) -> None:
    from tests.telegram_export import POST_UK, messages

    repost = {
        "id": 9,
        "type": "message",
        "date": "2024-03-30T11:00:00",
        "text": "Оновлено. " + POST_UK + " Слідкуйте за новинами.",
    }
    path = tmp_path / "result.json"
    data = {"name": "Канал", "type": "public_channel", "id": 1, "messages": [*messages(), repost]}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    async with chain(detector, translator, writer) as config:
        flags = [
            f"--detector={config.detector}",
            f"--translator={config.translator}",
            f"--summarizer={config.summarizer}",
            "--timeout=120",
        ]
        code = await asyncio.to_thread(main, ["brief", str(path), "--jsonl", *flags])
        grouped = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        apart = await asyncio.to_thread(main, ["brief", str(path), "--jsonl", "--no-group", *flags])
        each = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0 and apart == 0
    by_id = {r["telegram"]["id"]: r for r in grouped}
    # The repost is the fuller telling: briefed, listing both posts with their dates.
    assert by_id[2] == {**by_id[2], "same_story_as": 9}
    assert "headline" not in by_id[2]
    assert [s["id"] for s in by_id[9]["story_sources"]] == [9, 2]
    assert [s["date"] for s in by_id[9]["story_sources"]] == [
        "2024-03-30T11:00:00",
        "2024-03-30T07:19:05",
    ]
    assert all("headline" in r for r in each) and len(each) == 5
