"""NewsdeskError.about: a per-item error names the caller's item (texts[5], a file
name), never the request field the server named (contents[0], text)."""

from __future__ import annotations

import pytest

from newsdesk.common.v1 import common_pb2
from newsdesk_client import NewsdeskError


@pytest.mark.parametrize(
    ("message", "label", "expected"),
    [
        ("contents[0]: must not be empty", "texts[5]", "texts[5]: must not be empty"),
        ("text: must not be empty", "a.txt", "a.txt: must not be empty"),
        (
            "texts[0]: 12 characters exceed the limit of 10",
            "",
            "12 characters exceed the limit of 10",
        ),
        ("content: too long", "stdin", "stdin: too long"),
        ("unsupported language 'kk'; supported: ru, uk, en", "texts[1]", None),
        ("text is in 'uk', not English: translate it first", "a.txt", None),
    ],
    ids=["contents", "text", "dropped", "content", "no-field", "not-a-field"],
)
def test_about_names_the_item(message: str, label: str, expected: str | None) -> None:
    """The request field a message starts with is replaced by the caller's name for it."""
    error = NewsdeskError("translate", "INVALID_ARGUMENT", message).about(label)
    assert error.message == (message if expected is None else expected)
    assert str(error) == f"translate: INVALID_ARGUMENT: {error.message}"


def test_about_follows_the_chain_and_keeps_the_details() -> None:
    """Renamed along the chain, violations follow; stage, code, reason and address stay."""
    item = common_pb2.ItemError(
        code="INVALID_ARGUMENT",
        reason="TEXT_TOO_LONG",
        field="contents[0]",
        message="contents[0]: 200001 characters exceed the limit of 100000; split the text",
    )
    error = NewsdeskError.from_item("translate", item, "127.0.0.1:50052", "rid")
    named = error.about("texts[0]").about("texts[5]")
    assert named.message.startswith("texts[5]: 200001 characters exceed")
    assert named.violations == (("texts[5]", named.message),)
    assert (named.stage, named.code, named.reason, named.address, named.request_id) == (
        "translate",
        "INVALID_ARGUMENT",
        "TEXT_TOO_LONG",
        "127.0.0.1:50052",
        "rid",
    )
    assert named.about("a.txt").message.startswith("a.txt: 200001 characters")


def test_a_field_named_only_in_the_violation_is_renamed() -> None:
    """A field named only in the violation is renamed too."""
    item = common_pb2.ItemError(
        code="INVALID_ARGUMENT",
        reason="UNSUPPORTED_LANGUAGE",
        field="contents[2]",
        message="unsupported language 'kk'",
    )
    named = NewsdeskError.from_item("translate", item, "", "").about("texts[2]")
    assert named.violations == (("texts[2]", "unsupported language 'kk'"),)
    assert named.message == "unsupported language 'kk'"
