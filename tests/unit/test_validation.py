"""check_batch: every refusal has a reason of its own, never the code's name."""

from __future__ import annotations

import pytest

from services.common.errors import InvalidArgument, Violations
from services.common.serving.validation import check_batch, check_range


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
