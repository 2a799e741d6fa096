"""check_batch: every refusal has a reason of its own, never the code's name."""

from __future__ import annotations

import pytest

from services.common.errors import InvalidArgument, Violations
from services.common.serving.validation import check_batch, check_language_code, check_range


@pytest.mark.parametrize(
    ("items", "reason", "field"),
    [
        pytest.param([], "EMPTY_BATCH", "texts", id="no-items"),
        pytest.param(["a"] * 5, "BATCH_TOO_LARGE", "texts", id="too-many"),
        pytest.param(["ok", "x" * 11], "TEXT_TOO_LONG", "texts[1]", id="too-long"),
        pytest.param(["ok", "  \n"], "EMPTY_TEXT", "texts[1]", id="blank-item"),
        pytest.param(["", "x" * 11], "TEXT_TOO_LONG", "texts[0]", id="blank-and-too-long"),
    ],
)
def test_batch_refusals_have_specific_reasons(items, reason: str, field: str) -> None:
    """Each kind of bad batch is INVALID_ARGUMENT with its own reason, naming the item."""
    with pytest.raises(InvalidArgument) as caught:
        check_batch(items, field="texts", max_batch=4, max_chars=10, allow_empty_items=False)
    assert caught.value.reason == reason
    assert caught.value.violations[0].field == field
    assert caught.value.reason != "INVALID_ARGUMENT"


def test_single_empty_text_is_empty_text() -> None:
    """One empty document checked on its own (per-item results) is EMPTY_TEXT."""
    with pytest.raises(InvalidArgument) as caught:
        check_batch(
            [""],
            field="contents[3]",
            max_batch=1,
            max_chars=10,
            allow_empty_items=False,
            single=True,
        )
    assert (caught.value.reason, caught.value.violations[0].field) == ("EMPTY_TEXT", "contents[3]")


def test_empty_items_allowed() -> None:
    """With allow_empty_items an empty text passes."""
    check_batch(["", "a"], field="texts", max_batch=4, max_chars=10, allow_empty_items=True)


def test_range_violation_reason() -> None:
    """check_range records the field; raised with VALUE_OUT_OF_RANGE."""
    problems = Violations()
    check_range(-1, field="top_k", low=0, high=20, problems=problems)
    with pytest.raises(InvalidArgument) as caught:
        problems.raise_if_any(reason="VALUE_OUT_OF_RANGE")
    assert caught.value.violations[0].field == "top_k"


def test_batch_refusals_carry_the_limit() -> None:
    """BATCH_TOO_LARGE and TEXT_TOO_LONG carry the limit in their metadata, and the
    message says the count and the limit."""
    with pytest.raises(InvalidArgument) as caught:
        check_batch(["a"] * 5, field="texts", max_batch=4, max_chars=10, allow_empty_items=False)
    assert caught.value.metadata == {"limit": "4"}
    assert "5 items exceed the batch limit of 4" in caught.value.message
    with pytest.raises(InvalidArgument) as caught:
        check_batch(["x" * 12], field="texts", max_batch=4, max_chars=10, allow_empty_items=False)
    assert caught.value.metadata == {"limit": "10"}
    assert "12 characters exceed the limit of 10" in caught.value.violations[0].description


def test_every_bad_item_is_named() -> None:
    """All bad items are listed, each by its index, in order; the first leads the message."""
    items = ["ok", "x" * 11, "fine", "y" * 20]
    with pytest.raises(InvalidArgument) as caught:
        check_batch(items, field="texts", max_batch=8, max_chars=10, allow_empty_items=False)
    assert [v.field for v in caught.value.violations] == ["texts[1]", "texts[3]"]
    assert caught.value.message.startswith("texts[1]: ") and "(and 1 more)" in caught.value.message


def test_limits_are_inclusive() -> None:
    """Exactly max_batch items of exactly max_chars characters pass."""
    check_batch(["x" * 10] * 4, field="texts", max_batch=4, max_chars=10, allow_empty_items=False)


def test_an_empty_batch_is_refused_even_when_empty_items_are_allowed() -> None:
    """No items at all is EMPTY_BATCH, naming the field itself."""
    with pytest.raises(InvalidArgument) as caught:
        check_batch([], field="texts", max_batch=4, max_chars=10, allow_empty_items=True)
    assert caught.value.reason == "EMPTY_BATCH"
    assert [v.field for v in caught.value.violations] == ["texts"]


@pytest.mark.parametrize(
    ("value", "ok"),
    [(0, True), (20, True), (7, True), (-1, False), (21, False)],
    ids=["low-edge", "high-edge", "inside", "below", "above"],
)
def test_range_bounds_are_inclusive(value: int, ok: bool) -> None:
    """check_range accepts low..high inclusive; outside, the violation names the field,
    the value and the range."""
    problems = Violations()
    check_range(value, field="top_k", low=0, high=20, problems=problems)
    if ok:
        assert problems.items == []
    else:
        assert [(v.field, v.description) for v in problems.items] == [
            ("top_k", f"{value} is outside the allowed range 0..20")
        ]


@pytest.mark.parametrize(
    "code",
    ["", "   ", "uk", " ru ", "uk\n", "en-GB", "sr-Latn-RS", "zh-Hant-TW", "yue", "UK"],
)
def test_language_codes_that_pass(code: str) -> None:
    """Empty (auto) and short BCP 47 tags pass, surrounding spaces ignored."""
    check_language_code(code, "source_language")


@pytest.mark.parametrize(
    ("code", "quoted"),
    [
        pytest.param("u", True, id="one-letter"),
        pytest.param("ukrainian", True, id="a-name"),
        pytest.param("en_GB", True, id="underscore"),
        pytest.param("uk-", True, id="trailing-dash"),
        pytest.param("ук", True, id="cyrillic"),
        pytest.param("en-GB-a-b-c-d", True, id="five-subtags"),
        pytest.param("abc-12345678-12345678-12345678-1234567", False, id="over-35"),
        pytest.param("Please translate this text for me", False, id="user-text"),
        pytest.param("uk\x00", False, id="control-char"),
    ],
)
def test_language_codes_that_are_refused(code: str, quoted: bool) -> None:
    """Anything else is INVALID_ARGUMENT, reason BAD_LANGUAGE_CODE, naming the field;
    the value is quoted only when short, otherwise described by its length."""
    with pytest.raises(InvalidArgument) as caught:
        check_language_code(code, "contents[2].source_language")
    error = caught.value
    assert error.reason == "BAD_LANGUAGE_CODE"
    assert [v.field for v in error.violations] == ["contents[2].source_language"]
    assert (repr(code.strip()) in error.message) == quoted
    if not quoted:
        assert f"a {len(code)}-character value" in error.message
