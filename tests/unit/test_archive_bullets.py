"""Background bullets in the seed's shape (WIP, issue 24)."""

from __future__ import annotations

from datetime import date

from services.archive.bullets import bullet, dateline, main_sentence
from services.archive.store import Item, Related


def related(text: str, day: date = date(2021, 3, 30)) -> Related:
    item = Item(7, day, text, source="desk", url="https://example.org/a")
    return Related(item, 1.0, ("drills",))


def test_bullet_opens_with_the_date_and_keeps_provenance() -> None:
    """'On March 30, 2021, …' + the item's first complete sentence; its span points at
    that sentence in the item's text."""
    text = "Kyiv. Khomchak said Russia had massed 28 battalion tactical groups. More later."
    b = bullet(related(text))
    assert b is not None
    assert (
        b.text == "On March 30, 2021, Khomchak said Russia had massed 28 battalion tactical groups."
    )
    assert (
        text[b.span[0] : b.span[1]]
        == "Khomchak said Russia had massed 28 battalion tactical groups."
    )
    assert (b.item_id, b.source, b.url, b.kind) == (7, "desk", "https://example.org/a", "archive")


def test_function_word_openings_are_lowercased_and_weekdays_dropped() -> None:
    """'The central bank …' reads 'On March 4, 2021, the central bank …'; a weekday
    opening gives way to the date."""
    b = bullet(related("The central bank kept its key rate at 6.5%.", date(2021, 3, 4)))
    assert b is not None and b.text.startswith("On March 4, 2021, the central bank")
    b = bullet(related("On Monday, the army moved 4,000 troops to the border.", date(2022, 1, 3)))
    assert (
        b is not None and b.text == "On January 3, 2022, the army moved 4,000 troops to the border."
    )


def test_no_complete_sentence_gives_no_bullet() -> None:
    assert bullet(related("Breaking: drills")) is None
    assert main_sentence("") is None
    assert dateline(date(2020, 12, 1)) == "December 1, 2020"
