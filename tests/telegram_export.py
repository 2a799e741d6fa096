"""A Telegram Desktop channel export as the app writes it (`result.json`), generated for
the tests: plain posts, text as entity lists (links, text links, mentions, hashtags,
bold), a forward, an album of three photos with the caption on the first, a photo
without a caption, a service message, uk and ru posts. Invented content."""

from __future__ import annotations

import json
from pathlib import Path

CHANNEL = "Приклад Новини"
USERNAME = "example_news"

POST_UK = (
    "⚡️ Сили ППО збили 12 дронів над Києвом уночі 🇺🇦 Про це повідомив Президент "
    "Володимир Зеленський. Офіс Зеленського закликав партнерів посилити ППО."
)
ALBUM_UK = (
    "Наслідки атаки на Харків 📸 Рятувальники працюють на місці. "
    "Міська рада повідомила про пошкоджені будинки."
)
FORWARD_RU = "Министр Сергей Лавров заявил о переговорах. Подробности у @example_bot 👇"


def messages() -> list[dict]:
    """The export's messages, in order."""
    return [
        {"id": 1, "type": "service", "date": "2024-03-30T07:00:00", "action": "create_channel"},
        {"id": 2, "type": "message", "date": "2024-03-30T07:19:05", "text": POST_UK},
        {
            "id": 3,
            "type": "message",
            "date": "2024-03-30T08:00:00",
            "text": [
                "Деталі: ",
                {"type": "link", "text": "https://t.me/example_news/2"},
                " та ",
                {"type": "text_link", "text": "на сайті", "href": "https://example.com.ua/a/7448"},
                ". Пишіть ",
                {"type": "mention", "text": "@example_bot"},
                " ",
                {"type": "hashtag", "text": "#новини"},
                " ",
                {"type": "bold", "text": "Важливо:"},
                " Міністр оборони Рустем Умєров прибув до Брюсселя. Він зустрівся з колегами.",
            ],
        },
        {
            "id": 4,
            "type": "message",
            "date": "2024-03-30T09:10:00",
            "photo": "photos/photo_1.jpg",
            "text": ALBUM_UK,
        },
        {
            "id": 5,
            "type": "message",
            "date": "2024-03-30T09:10:00",
            "photo": "photos/photo_2.jpg",
            "text": "",
        },
        {
            "id": 6,
            "type": "message",
            "date": "2024-03-30T09:10:00",
            "photo": "photos/photo_3.jpg",
            "text": "",
        },
        {
            "id": 7,
            "type": "message",
            "date": "2024-03-30T09:30:00",
            "photo": "photos/photo_4.jpg",
            "text": "",
        },
        {
            "id": 8,
            "type": "message",
            "date": "2024-03-30T10:00:00",
            "forwarded_from": "Другой канал",
            "text": FORWARD_RU,
        },
    ]


def write_export(folder: Path) -> Path:
    """result.json in `folder` (as Telegram Desktop names it); its path."""
    data = {"name": CHANNEL, "type": "public_channel", "id": 1234567890, "messages": messages()}
    path = folder / "result.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
