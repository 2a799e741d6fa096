"""The plausibility gate: each failure it names, and what it lets through."""

from __future__ import annotations

import pytest

from services.translator import gate

SOURCE = "У понеділок уряд виділив 3 мільярди гривень на відбудову 40 шкіл."
GOOD = "On Monday the government allocated 3 billion hryvnias to rebuild 40 schools."


def test_a_good_translation_passes() -> None:
    assert gate.check(SOURCE, GOOD) == ()


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("", gate.EMPTY),
        ("   ", gate.EMPTY),
        ("У понеділок уряд виділив 3 мільярди гривень на 40 шкіл.", gate.UNTRANSLATED),
        ("On Monday the government 政府 allocated 3 billion to 40 schools.", gate.FOREIGN_SCRIPT),
        (
            "On Monday the уряд виділив 3 billion hryvnias to rebuild 40 schools.",
            gate.FOREIGN_SCRIPT,
        ),
        ("On 3 40.", gate.LENGTH),
        (GOOD + " " + "And then the schools were rebuilt again and again. " * 4, gate.LENGTH),
        ("th th th 3 40 the government allocated billions for schools on Monday.", gate.REPETITION),
        ("grgrgrgr 3 billion hryvnias to rebuild 40 schools on Monday, it said.", gate.REPETITION),
        (
            "3 schools were rebuilt, 40 schools were rebuilt, the schools were rebuilt again",
            gate.REPETITION,
        ),
        ("On Monday the government allocated 3 billion hryvnias to rebuild 40 and", gate.DANGLING),
        ("On Monday the government allocated 3 billion hryvnias to rebuild schools.", gate.NUMBERS),
        ("On Monday, 2004, the government gave 3 billion hryvnias for 40 schools.", gate.NUMBERS),
    ],
)
def test_each_failure_is_named(target: str, reason: str) -> None:
    assert reason in gate.check(SOURCE, target)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("Пожежу погасили о 23:35.", "The fire was put out at 11:35 pm."),  # 12-hour clock
        ("Це сталося у XV столітті.", "It happened in the 15th century."),  # Roman numerals
        ("У США 400 тисяч випадків.", "There are 400,000 cases in the US."),  # thousands
        ("Ширина 3,5 метра.", "It is 3.5 metres wide."),  # decimal comma
        ("Вони виграли 2 тижні тому.", "They won two weeks ago."),  # spelled out in English
        ("Четверо людей загинули.", "4 people died."),  # spelled out in the source
        ("Королева Єлизавета ІІ.", "Queen Elizabeth II."),  # Cyrillic І as a numeral
        ("І хоча це просто, воно працює.", "And although it is simple, it works."),
    ],
)
def test_numbers_written_differently_still_match(source: str, target: str) -> None:
    assert gate.NUMBERS not in gate.check(source, target)


def test_protected_spans_are_exempt_from_the_script_checks() -> None:
    """An acronym kept in the source script on purpose is not junk."""
    target = "The ЗСУ said 3 drones were shot down."
    source = "ЗСУ повідомили, що збили 3 дрони."
    assert gate.FOREIGN_SCRIPT in gate.check(source, target.replace("ЗСУ", "ЗСУ ВПС"))
    assert gate.check(source, target, protected=["ЗСУ"]) == ()


def test_numbers_are_normalized() -> None:
    assert gate.numbers("1 000 and 1,000 and 1000") == [1000.0, 1000.0, 1000.0]
    assert gate.numbers("4,2 and 4.2") == [4.2, 4.2]
