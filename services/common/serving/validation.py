"""Request validation shared by the services: batch and size caps, named violations."""

from __future__ import annotations

import re
from collections.abc import Sequence

from services.common.errors import Violations, shown

# A BCP 47 tag as a service receives one: a 2-3 letter language and up to four short
# subtags ("uk", "ru", "en-GB", "sr-Latn-RS"); 35 characters at most (RFC 5646's
# practical bound). Anything else is refused before any other work, never echoed.
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,4}")
MAX_LANGUAGE_TAG = 35


def check_language_code(code: str, field: str) -> None:
    """Refuse (INVALID_ARGUMENT, reason BAD_LANGUAGE_CODE) a value that is not empty
    and not a short BCP 47 tag; the message quotes it only if it is short."""
    value = code.strip()
    if not value or (len(value) <= MAX_LANGUAGE_TAG and _LANGUAGE_TAG.fullmatch(value)):
        return
    problems = Violations()
    problems.add(field, f"must be a BCP 47 language tag such as 'uk' (got {shown(value)})")
    problems.raise_if_any(reason="BAD_LANGUAGE_CODE")


def check_batch(
    items: Sequence[str],
    *,
    field: str,
    max_batch: int,
    max_chars: int,
    allow_empty_items: bool,
    single: bool = False,
) -> None:
    """Refuse (InvalidArgument) an empty or oversized batch, items over max_chars, and,
    unless allowed, empty items; every violation names the field and item index (just
    the field when `single`: a request field that holds one text). Each refusal has
    its own reason: EMPTY_BATCH, BATCH_TOO_LARGE, TEXT_TOO_LONG (with the limit), or
    EMPTY_TEXT."""

    def name(index: int) -> str:
        return field if single else f"{field}[{index}]"

    problems = Violations()
    if not items:
        problems.add(field, "at least one item is required")
        problems.raise_if_any(reason="EMPTY_BATCH")
    if len(items) > max_batch:
        problems.add(field, f"{len(items)} items exceed the batch limit of {max_batch}")
        problems.raise_if_any(reason="BATCH_TOO_LARGE", limit=str(max_batch))
    too_long = False
    for index, text in enumerate(items):
        if len(text) > max_chars:
            too_long = True
            problems.add(
                name(index),
                f"{len(text)} characters exceed the limit of {max_chars}; split the text",
            )
        elif not allow_empty_items and not text.strip():
            problems.add(name(index), "must not be empty")
    if too_long:
        problems.raise_if_any(reason="TEXT_TOO_LONG", limit=str(max_chars))
    problems.raise_if_any(reason="EMPTY_TEXT")


def check_range(value: int, *, field: str, low: int, high: int, problems: Violations) -> None:
    """Record a violation if value is outside [low, high] (raise them with reason
    VALUE_OUT_OF_RANGE)."""
    if not low <= value <= high:
        problems.add(field, f"{value} is outside the allowed range {low}..{high}")
