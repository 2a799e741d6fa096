"""Kept spans through masking and restoring, with no model: every kind comes back byte
for byte, also where a digit follows a placeholder ("☎0800" must not become "ZQ10800")."""

from __future__ import annotations

import pytest

from services.common.text.verbatim import verbatim_spans
from services.translator.terms import TermGlossary, mask, restore

TERMS = TermGlossary(())


@pytest.mark.parametrize(
    "text",
    [
        "☎0800 500 225, дзвоніть цілодобово.",
        "`x`1 і `y`2 та ⚡️2 ракети, 📍3 км від 🔥100.",
        "Деталі https://t.me/example_news/4821. Пишіть @example_bot #новини 🇺🇦",
        "Код ZQ12 і ZQ1, а потім 🔥" + "🔥 " * 12 + "☎0800",
        "Apple™ і ©2024, а ©️ — емодзі.",
    ],
)
def test_mask_then_restore_gives_the_text_back(text) -> None:
    masked = mask(text, "uk", TERMS, verbatim=True)
    assert not any(kept.original in masked.text for kept in masked.slots if kept.verbatim)
    back = restore(masked.text, masked.slots)
    assert back.ok and back.text == " ".join(text.split())


def test_a_space_the_model_put_after_a_glued_placeholder_is_not_doubled() -> None:
    masked = mask("☎0800", "uk", TERMS, verbatim=True)
    assert masked.text == "ZQ1 0800"
    assert restore("Call ZQ1 0800.", masked.slots).text == "Call ☎0800."
    assert restore("Call ZQ1 on 0800.", masked.slots).text == "Call ☎ on 0800."


def test_links_start_at_a_word_boundary() -> None:
    text = "at.me/foo, awww.example.com, www.ok.com і ‘https://x.com/a’."
    assert [text[v.start : v.end] for v in verbatim_spans(text)] == [
        "www.ok.com",
        "https://x.com/a",
    ]


def test_marks_in_text_are_not_emoji() -> None:
    text = "Apple™ і ©2024 та ®, а ©️ — емодзі."
    assert [text[v.start : v.end] for v in verbatim_spans(text)] == ["©️"]
