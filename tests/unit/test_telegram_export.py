"""Reading a Telegram Desktop channel export: posts, albums, entities, skips."""

from __future__ import annotations

import json

import pytest

from newsdesk_client.telegram import ExportError, flatten, looks_like_export, read_export
from tests.telegram_export import ALBUM_UK, CHANNEL, FORWARD_RU, POST_UK, USERNAME, write_export


def test_posts_albums_and_skips(tmp_path) -> None:
    path = write_export(tmp_path)
    assert looks_like_export(path)
    channel = read_export(path, USERNAME)
    assert channel.name == CHANNEL and channel.username == USERNAME
    assert [p.id for p in channel.posts] == [2, 3, 4, 8]
    assert channel.details == {"service message": 1, "no text": 1}
    first, entities, album, forward = channel.posts
    assert first.text == POST_UK and first.day == "2024-03-30"
    assert first.link == "https://t.me/example_news/2"
    assert album.text == ALBUM_UK and album.album == (4, 5, 6) and album.media
    assert forward.text == FORWARD_RU and forward.forwarded_from == "Другой канал"
    # Entity lists flattened in place; a text link keeps its address.
    assert entities.text.startswith(
        "Деталі: https://t.me/example_news/2 та на сайті (https://example.com.ua/a/7448). "
        "Пишіть @example_bot #новини Важливо: Міністр"
    )
    assert read_export(path).posts[0].link == ""  # no username: no link


def test_flatten() -> None:
    assert flatten("plain") == "plain"
    assert (
        flatten(["a ", {"type": "bold", "text": ["b", {"type": "italic", "text": "c"}]}, 3])
        == "a bc3"
    )
    assert flatten([{"type": "text_link", "text": "x.com", "href": "x.com"}]) == "x.com"
    assert flatten(None) == ""


@pytest.mark.parametrize(
    "content",
    ['{"messages": 5}', "[1, 2]", "not json", '{"name": "x", "type": "y"}'],
)
def test_not_an_export(tmp_path, content) -> None:
    path = tmp_path / "result.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ExportError):
        read_export(path)


def test_an_ordinary_json_file_is_not_taken_for_one(tmp_path) -> None:
    path = tmp_path / "data.json"
    path.write_text(json.dumps({"rows": [1, 2]}), encoding="utf-8")
    assert not looks_like_export(path)
    assert not looks_like_export(tmp_path / "article.txt")


def export(tmp_path, messages, **top):
    path = tmp_path / "result.json"
    data = {"name": "Канал", "type": "public_channel", "id": 1, "messages": messages, **top}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_second_caption_at_the_same_second_is_a_second_post(tmp_path) -> None:
    at = "2024-03-30T09:10:00"
    path = export(
        tmp_path,
        [
            {"id": 1, "type": "message", "date": at, "photo": "a.jpg", "text": "Перша новина."},
            {"id": 2, "type": "message", "date": at, "photo": "b.jpg", "text": ""},
            {"id": 3, "type": "message", "date": at, "photo": "c.jpg", "text": "Друга новина."},
        ],
    )
    posts = read_export(path).posts
    assert [(p.id, p.text, p.album) for p in posts] == [
        (1, "Перша новина.", (1, 2)),
        (3, "Друга новина.", ()),
    ]


def test_malformed_messages_are_counted_not_fatal(tmp_path) -> None:
    path = export(
        tmp_path,
        [
            {"id": "abc", "type": "message", "date": "2024-03-30T09:10:00", "text": "x"},
            {"id": None, "type": "message", "text": "y"},
            {"id": 5, "type": "message", "date": 1711782000, "text": "z"},
            {"id": 6, "type": "message", "date": "2024-03-30T09:10:00", "text": "Новина."},
        ],
        id="not-a-number",
        name=None,
    )
    channel = read_export(path)
    assert [p.id for p in channel.posts] == [6]
    assert channel.details == {"malformed": 3} and channel.id == 0 and channel.name == ""


@pytest.mark.parametrize("username", ["@@bad/name?x", "https://t.me/foo", "a"])
def test_bad_usernames(tmp_path, username) -> None:
    path = write_export(tmp_path)
    with pytest.raises(ExportError, match="not a Telegram username"):
        read_export(path, username)
