"""What a user hands a command, read as text or refused — never guessed at.

- Bytes are decoded strictly: UTF-8 (a UTF-8 byte-order mark is dropped) unless
  `--encoding` names another encoding. Input that does not decode is refused with its
  name ("a.txt is not UTF-8 text") and, where one is evident, its encoding: a UTF-16 or
  UTF-32 byte-order mark, or cp1251 when decoding it so gives mostly Cyrillic letters
  and no control characters. Nothing is ever sent with replacement characters.
- An empty (or whitespace-only) input is refused with its name before anything is sent.
- `newsdesk detect ARG`: an ARG that is not a file is a path that does not exist if it
  looks like one (a path separator, a file extension, or no spaces); otherwise it is
  the text itself (`looks_like_path`).
"""

from __future__ import annotations

import argparse
import codecs
import errno
import os
import re
import sys
from pathlib import Path
from typing import BinaryIO, TextIO

# Byte-order marks, longest first (UTF-32 LE begins with the UTF-16 LE mark).
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
# A name ending in a file extension: ".txt", ".md", ".json", ".html"…
_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,4}$")
_WHITESPACE_CONTROLS = frozenset("\t\n\r\f\v")


class InputError(Exception):
    """An input that is not sent: the message names it; `reason` is what a failures
    file records (NOT_UTF8, NOT_DECODABLE, EMPTY)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def encoding(raw: str) -> str:
    """An argparse type: a text encoding Python knows (its canonical name)."""
    try:
        return codecs.lookup(raw).name
    except LookupError:
        raise argparse.ArgumentTypeError(
            f"unknown encoding {raw!r} (e.g. utf-8, cp1251, utf-16, koi8-r)"
        ) from None


def encoding_option(p: argparse.ArgumentParser) -> None:
    """--encoding: how input files (and stdin) are decoded."""
    p.add_argument(
        "--encoding",
        type=encoding,
        metavar="ENCODING",
        help="decode input files and stdin with this encoding, e.g. cp1251, utf-16 "
        "(default UTF-8: a file that is not is refused, naming its encoding where evident)",
    )


def guess_encoding(data: bytes) -> str:
    """The encoding of bytes that are not UTF-8, when one is evident ("" otherwise): a
    UTF-32/UTF-16 byte-order mark, or cp1251 when decoding as cp1251 gives mostly
    Cyrillic letters, from most non-ASCII bytes, and no control characters (binary data
    has them)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    text = data.decode("cp1251", errors="replace")
    if any((ord(c) < 32 and c not in _WHITESPACE_CONTROLS) or c == "\x7f" for c in text):
        return ""
    # Mostly Cyrillic letters, and they are what the non-ASCII bytes became: a Latin-1
    # "café" also decodes to a Cyrillic letter, inside a Latin word.
    high = [c for c in text if ord(c) > 127]
    cyrillic = sum("\u0400" <= c <= "\u04ff" and c.isalpha() for c in high)
    letters = sum(c.isalpha() for c in text)
    plausible = high and cyrillic >= 0.8 * len(high) and cyrillic > 0.5 * letters
    return "cp1251" if plausible else ""


def not_text_message(name: str, exc: UnicodeDecodeError, chosen: str | None = None) -> str:
    """Why `name` could not be decoded (`chosen`: the --encoding given, None for UTF-8),
    naming its encoding and how to read it where one is evident."""
    byte = exc.object[exc.start : exc.start + 1].hex()
    where = f"byte 0x{byte} at offset {exc.start}"
    if chosen is not None:
        return f"{name} is not {chosen} text ({where})"
    guess = guess_encoding(bytes(exc.object))
    if not guess:
        return (
            f"{name} is not UTF-8 text ({where}); if it is text in another encoding, "
            "name it: --encoding ENCODING"
        )
    why = "a byte-order mark says so" if guess.startswith("UTF-") else "it decodes to Cyrillic"
    return (
        f"{name} is not UTF-8 text: it looks like {guess} ({why}); rerun with --encoding "
        f"{guess.lower()}, or convert it first, e.g. iconv -f {guess} -t UTF-8"
    )


def decode(data: bytes, name: str, chosen: str | None = None) -> str:
    """The text of `data` (UTF-8 unless `chosen`), or InputError naming `name`."""
    chosen = None if chosen == "utf-8" else chosen  # --encoding utf-8: the default
    reason = "NOT_UTF8" if chosen is None else "NOT_DECODABLE"
    try:
        text = data.decode(chosen or "utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(not_text_message(name, exc, chosen), reason) from None
    if "\x00" in text:
        # Valid UTF-8 (ASCII in UTF-16 without a byte-order mark is), but not text.
        raise InputError(
            f"{name} is not {chosen or 'UTF-8'} text: it holds NUL characters (binary data, "
            "or UTF-16 without a byte-order mark: --encoding utf-16-le)",
            reason,
        )
    return text


def require_text(text: str, name: str, what: str = "the file") -> str:
    """`text`, or InputError (EMPTY) when it holds nothing but whitespace."""
    if not text.strip():
        detail = "" if not text else " (only whitespace)"
        raise InputError(f"{name}: {what} is empty{detail}", "EMPTY")
    return text


def read_file(path: Path, name: str, chosen: str | None = None) -> str:
    """The text of a file (OSError when it cannot be read; InputError when it is not
    text in the encoding or is empty)."""
    return require_text(decode(path.read_bytes(), name, chosen), name)


def read_stdin(chosen: str | None = None, stream: TextIO | None = None) -> str:
    """The text on stdin, decoded like a file's (InputError naming "stdin")."""
    stream = stream or sys.stdin
    raw: BinaryIO | None = getattr(stream, "buffer", None)
    # A text stream with no bytes underneath (a test's StringIO) is text already.
    text = stream.read() if raw is None else decode(raw.read(), "stdin", chosen)
    return require_text(text, "stdin", "the input")


def read(path: Path | None, name: str, chosen: str | None = None) -> str:
    """A file's text (None: stdin's), any failure an InputError naming it (one that
    cannot be read: reason the errno name)."""
    try:
        return read_stdin(chosen) if path is None else read_file(path, name, chosen)
    except OSError as exc:
        reason = errno.errorcode.get(exc.errno or 0, type(exc).__name__)
        raise InputError(f"{name}: {exc.strerror or exc}", reason) from None


def detect_text(arg: str | None, text: str | None, chosen: str | None = None) -> tuple[str, str]:
    """What `newsdesk detect` reads, and its name for messages: `--text TEXT`; stdin (no
    argument, or -); the file ARG names; ARG itself when it does not look like a path
    (`looks_like_path`). An ARG that looks like a path and is no file is an InputError
    ("FILE: no such file")."""
    if text is not None:
        if arg is not None:
            raise InputError("give the text with --text or as an argument, not both", "USAGE")
        return "the text", require_text(text, "--text", "the text")
    if arg is None or arg == "-":
        return "stdin", read(None, "stdin", chosen)
    path = Path(arg)
    if path.is_dir():
        raise InputError(f"{arg}: is a folder (detect reads one file, or --text TEXT)", "EISDIR")
    if path.exists() or looks_like_path(arg):
        if not path.exists():
            raise InputError(
                f"{arg}: no such file (to detect the language of a text, give it with "
                f"--text {arg!r} or on stdin)",
                "ENOENT",
            )
        return arg, read(path, arg, chosen)
    return "the text", require_text(arg, "the argument", "the text")


def looks_like_path(arg: str) -> bool:
    """True when `arg` reads as a file name rather than a text: it has a path
    separator, ends in a file extension (.txt, .md, .json…) or has no spaces."""
    separators = {"/", os.sep, os.altsep or "/"}
    return (
        any(s in arg for s in separators)
        or bool(_EXTENSION.search(arg))
        or not any(c.isspace() for c in arg.strip())
    )
