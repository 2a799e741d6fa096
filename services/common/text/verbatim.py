"""Spans of news text that must come out of translation byte for byte: links, e-mail
addresses, @mentions, #hashtags, emoji and inline `code` — what Telegram posts and web
pages carry. The translator masks each as a kept slot (services/translator/terms.py)
and restores it as written, in place. Pure Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Trailing punctuation that ends a sentence rather than a link.
_TRAILING = ".,;:!?)]}»”’\"'…。*_"
_URL = re.compile(r"(?<![\w.@/-])(?:https?://|www\.|t\.me/)[^\s<>«»\"“”‘’]+", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Telegram usernames: 5–32 letters, digits, underscores, starting with a letter (shorter
# ones appear in the wild for people and bots too: 3 at least).
_MENTION = re.compile(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{2,31}(?![\w@])")
_HASHTAG = re.compile(r"(?<![\w#&])#[^\W\d_][\w]{0,99}")
_CODE = re.compile(r"`[^`\n]{1,200}`")
# Emoji: pictographs and symbols, flags (regional-indicator pairs), keycaps, with their
# variation selectors, skin tones and zero-width joiners, as one run.
# (©, ® and ™ count only with the emoji variation selector: in text they are marks.)
_PICTO = (
    "\u203c\u2049\u2139\u2194-\u21aa\u231a-\u23ff\u24c2\u25aa-\u27bf"
    "\u2934\u2935\u2b05-\u2b55\u3030\u303d\u3297\u3299\U0001f000-\U0001faff"
)
_MODIFIERS = "\ufe0f\ufe0e\u20e3\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f"
_EMOJI = re.compile(
    rf"(?:[{_PICTO}][{_MODIFIERS}]*(?:\u200d[{_PICTO}][{_MODIFIERS}]*)*"
    rf"|[\U0001f1e6-\U0001f1ff]{{2}}|[0-9#*]\ufe0f?\u20e3|[\u00a9\u00ae\u2122]\ufe0f)+"
)
KINDS = ("link", "email", "mention", "hashtag", "code", "emoji")


@dataclass(frozen=True)
class Verbatim:
    """One span to keep as written: code-point offsets and what it is."""

    start: int
    end: int
    kind: str


def verbatim_spans(text: str) -> list[Verbatim]:
    """The spans of `text` to keep byte for byte, in order, never overlapping (a link
    wins over a mention or hashtag inside it, code over what it quotes)."""
    found: list[Verbatim] = []
    taken = bytearray(len(text))  # 1 where a span already stands: linear, not quadratic

    def free(start: int, end: int) -> bool:
        return not any(taken[start:end])

    for kind, pattern in (
        ("code", _CODE),
        ("link", _URL),
        ("email", _EMAIL),
        ("mention", _MENTION),
        ("hashtag", _HASHTAG),
        ("emoji", _EMOJI),
    ):
        for match in pattern.finditer(text):
            start, end = match.start(), match.end()
            if kind == "link":
                while end > start and text[end - 1] in _TRAILING:
                    end -= 1
                # A closing bracket that the link itself opened stays with it.
                if end < match.end() and text[end] == ")" and "(" in text[start:end]:
                    end += 1
            if end > start and free(start, end):
                found.append(Verbatim(start, end, kind))
                taken[start:end] = b"\x01" * (end - start)
    return sorted(found, key=lambda v: v.start)
