"""Telegram Desktop channel exports (`result.json`) as posts to brief.

The export's JSON: the channel's `name`, `type` and `id`, and `messages`, each with an
`id`, `type` ("message" or "service"), `date` (ISO, local time) and `text` — a string,
or a list of plain strings and entities ({"type": "link" | "mention" | "hashtag" |
"text_link" (with "href") | "bold" | …, "text": …}); a photo or video post's `text` is
its caption. `forwarded_from` names where a forward came from. An album is several
messages sent at the same second, each with its photo or file, the caption on one of
them: they are read as one post. A `text_link` is written "text (href)", so that its
link reaches the brief. Service messages and posts with no text are skipped and
counted. Pure Python, standard library only (the client-only install).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# A Telegram username (the t.me/NAME of a channel).
_USERNAME = re.compile(r"[A-Za-z0-9_]{3,32}")
# The most an export file may hold: Telegram Desktop writes one file a channel.
MAX_EXPORT_BYTES = 256 * 2**20


class ExportError(ValueError):
    """The file is not a Telegram channel export that can be read."""


@dataclass(frozen=True)
class Post:
    """One post (an album counts once): its text with links written out, where it
    stands (`link`: https://t.me/<username>/<id> when the export names the channel's
    username, else ""), when it was posted, and the forward's origin."""

    id: int
    date: str  # ISO date and time as exported
    text: str
    link: str = ""
    forwarded_from: str = ""
    album: tuple[int, ...] = ()  # ids of the album's messages, when it is one
    media: bool = False

    @property
    def day(self) -> str:
        """The post's date, YYYY-MM-DD."""
        return self.date[:10]

    def to_dict(self) -> dict[str, object]:
        """A JSON-friendly dict (the brief's `telegram` metadata)."""
        out: dict[str, object] = {"id": self.id, "date": self.date, "link": self.link}
        if self.forwarded_from:
            out["forwarded_from"] = self.forwarded_from
        if self.album:
            out["album"] = list(self.album)
        return out


@dataclass(frozen=True)
class Channel:
    """A channel export: its name, id, username (may be ""), the posts to brief, and
    how many messages were skipped (service messages, posts without text)."""

    name: str
    id: int
    username: str
    posts: tuple[Post, ...]
    skipped: int = 0
    details: dict[str, int] = field(default_factory=dict)


def looks_like_export(path: Path) -> bool:
    """True when `path` is a .json file whose start reads like a Telegram export (a
    cheap check before reading it whole: a "messages" key)."""
    if path.suffix.lower() != ".json" or not path.is_file():
        return False
    with path.open("rb") as f:
        head = f.read(65536).decode("utf-8", errors="replace")
    return '"messages"' in head


def flatten(text: Any) -> str:
    """A message's `text` (a string, or a list of strings and entities) as plain text,
    a text_link written "text (href)" unless the text is the link itself."""
    if isinstance(text, str):
        return text
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return str(text)
    if not isinstance(text, list):
        return ""
    parts: list[str] = []
    for item in text:
        if isinstance(item, dict):
            shown = flatten(item.get("text", ""))  # entities may nest
            href = item.get("href", "") if item.get("type") == "text_link" else ""
            href = href if isinstance(href, str) else ""
            parts.append(f"{shown} ({href})" if href and href != shown else shown)
        else:
            parts.append(flatten(item))
    return "".join(parts)


def read_export(path: Path, username: str = "") -> Channel:
    """The posts of a channel export. `username` (the channel's @name, without "@")
    makes each post's link; the export holds it only for some channels. ExportError
    when the file is not one."""
    size = path.stat().st_size
    if size > MAX_EXPORT_BYTES:
        raise ExportError(f"{path}: {size} bytes, over the {MAX_EXPORT_BYTES} a file may be")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExportError(f"{path}: not a Telegram export (not JSON: {exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise ExportError(f"{path}: not a Telegram channel export (no 'messages' list)")
    username = (username or str(data.get("username") or "")).strip().lstrip("@")
    if username and not _USERNAME.fullmatch(username):
        raise ExportError(
            f"{path}: {username!r} is not a Telegram username (letters, digits and _, "
            "3 to 32 of them)"
        )
    skipped: dict[str, int] = {}
    posts: list[Post] = []
    album: list[dict[str, Any]] = []

    def skip(why: str) -> None:
        skipped[why] = skipped.get(why, 0) + 1

    def close_album() -> None:
        if not album:
            return
        texts = [flatten(m.get("text")) for m in album]
        caption = next((t for t in texts if t.strip()), "")
        first = album[0]
        if not caption.strip():
            skip("no text")
        else:
            ids = tuple(m["id"] for m in album)
            posts.append(_post(first, caption, username, ids if len(ids) > 1 else ()))
        album.clear()

    for message in data["messages"]:
        if (
            not isinstance(message, dict)
            or not isinstance(message.get("id"), int)
            or isinstance(message.get("id"), bool)
            or not isinstance(message.get("date", ""), str)
        ):
            skip("malformed")
            continue
        if message.get("type") != "message":
            close_album()
            skip("service message")
            continue
        media = _has_media(message)
        captioned = any(flatten(m.get("text")).strip() for m in album)
        same_moment = (
            album
            and media
            and _has_media(album[-1])
            and message.get("date") == album[-1].get("date")
            and message.get("forwarded_from") == album[-1].get("forwarded_from")
            # A second caption is a second post, never dropped.
            and not (captioned and flatten(message.get("text")).strip())
        )
        if not same_moment:
            close_album()
        album.append(message)
    close_album()
    channel_id = data.get("id", 0)
    return Channel(
        str(data.get("name") or ""),
        channel_id if isinstance(channel_id, int) else 0,
        username,
        tuple(posts),
        sum(skipped.values()),
        skipped,
    )


def _has_media(message: dict[str, Any]) -> bool:
    return any(key in message for key in ("photo", "file", "media_type"))


def _post(message: dict[str, Any], text: str, username: str, album: tuple[int, ...]) -> Post:
    post_id = int(message["id"])
    return Post(
        id=post_id,
        date=str(message.get("date", "")),
        text=text,
        link=f"https://t.me/{username}/{post_id}" if username else "",
        forwarded_from=str(message.get("forwarded_from") or ""),
        album=album,
        media=_has_media(message),
    )
