"""The plausibility gate: each failure it names, and what it lets through."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.common.text import numerals
from services.translator import plausibility

SOURCE = "У понеділок уряд виділив 3 мільярди гривень на відбудову 40 шкіл."
GOOD = "On Monday the government allocated 3 billion hryvnias to rebuild 40 schools."
NEWS = Path(__file__).resolve().parents[2] / "bench" / "data"
NB, NNB, THIN = "\u00a0", "\u202f", "\u2009"  # no-break, narrow no-break, thin space
BLACKOUT = f"Понад 380{NB}000 людей залишилися без світла."


def test_a_good_translation_passes() -> None:
    """A faithful translation has no reasons."""
    assert plausibility.check(SOURCE, GOOD) == ()


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        pytest.param("", plausibility.EMPTY, id="empty"),
        pytest.param("   ", plausibility.EMPTY, id="blank"),
        pytest.param(
            "У понеділок уряд виділив 3 мільярди гривень на 40 шкіл.",
            plausibility.UNTRANSLATED,
            id="untranslated",
        ),
        pytest.param(
            "On Monday the government 政府 allocated 3 billion to 40 schools.",
            plausibility.FOREIGN_SCRIPT,
            id="third-script",
        ),
        pytest.param(
            "On Monday the уряд виділив 3 billion hryvnias to rebuild 40 schools.",
            plausibility.FOREIGN_SCRIPT,
            id="cyrillic-words-left",
        ),
        pytest.param("On 3 40.", plausibility.LENGTH, id="too-short"),
        pytest.param(
            GOOD + " " + "And then the schools were rebuilt again and again. " * 4,
            plausibility.LENGTH,
            id="too-long",
        ),
        pytest.param(
            "th th th 3 40 the government allocated billions for schools on Monday.",
            plausibility.REPETITION,
            id="word-three-times-running",
        ),
        pytest.param(
            "grgrgrgr 3 billion hryvnias to rebuild 40 schools on Monday, it said.",
            plausibility.REPETITION,
            id="letter-loop",
        ),
        pytest.param(
            "3 schools were rebuilt, 40 schools were rebuilt, the schools were rebuilt again",
            plausibility.REPETITION,
            id="phrase-fills-segment",
        ),
        pytest.param(
            "On Monday the government allocated 3 billion hryvnias to rebuild 40 schools, "
            "and the city, and the city, and the city.",
            plausibility.REPETITION,
            id="phrase-loop-appended",
        ),
        pytest.param(
            "On Monday the government allocated 3 billion hryvnias to rebuild 40 and",
            plausibility.DANGLING,
            id="dangling",
        ),
        pytest.param(
            "On Monday the government allocated 3 billion hryvnias to rebuild schools.",
            plausibility.NUMBERS,
            id="number-missing",
        ),
        pytest.param(
            "On Monday, 2004, the government gave 3 billion hryvnias for 40 schools.",
            plausibility.NUMBERS,
            id="number-added",
        ),
        pytest.param(
            "On Monday the government allocated 3 million hryvnias to rebuild 40 schools.",
            plausibility.NUMBERS,
            id="scale-word-wrong",
        ),
    ],
)
def test_each_failure_is_named(target: str, reason: str) -> None:
    """Each kind of failure is reported under its own reason."""
    assert reason in plausibility.check(SOURCE, target)


@pytest.mark.parametrize(
    ("source", "target", "reason"),
    [
        pytest.param(
            BLACKOUT,
            "More than 38,000 people were left without power.",
            plausibility.NUMBERS,
            id="nbsp-thousands-misread",
        ),
        pytest.param(
            BLACKOUT,
            "More than 380 people were left without power.",
            plausibility.NUMBERS,
            id="thousands-dropped",
        ),
        pytest.param(
            BLACKOUT,
            "Many people were left without power.",
            plausibility.NUMBERS,
            id="number-missing",
        ),
        pytest.param(
            "Мер пообіцяв відбудувати школи.",
            "The mayor promised to rebuild 40 schools.",
            plausibility.NUMBERS,
            id="number-invented",
        ),
        pytest.param(
            "Тривога тривала з 4:40 до 6:15.",
            "The alert lasted from 4.40am to 6.50am.",
            plausibility.NUMBERS,
            id="time-wrong",
        ),
        pytest.param(
            "Вибух пролунав об 11.15.",
            "The explosion was heard at 11:50 BST.",
            plausibility.NUMBERS,
            id="dotted-time-wrong",
        ),
        pytest.param(
            "Уряд виділив 2,5 млн грн.",
            "The government allocated 25 million hryvnias.",
            plausibility.NUMBERS,
            id="decimal-comma-misread",
        ),
        pytest.param(
            "Будівництво коштуватиме 1,2 млрд євро.",
            "Construction will cost €1.2 million.",
            plausibility.NUMBERS,
            id="billion-as-million",
        ),
        pytest.param(
            "Інфляція сповільнилася до 68%.",
            "Inflation slowed to 86 per cent.",
            plausibility.NUMBERS,
            id="percent-wrong",
        ),
        pytest.param(
            "Вторгнення почалося 24 лютого 2022 року.",
            "The invasion began on February 24, 2023.",
            plausibility.NUMBERS,
            id="year-wrong",
        ),
        pytest.param(
            "Закон набув чинності 24.02.2022.",
            "The law took effect on February 24, 2021.",
            plausibility.NUMBERS,
            id="numeric-date-wrong",
        ),
        pytest.param(
            "У 2022–2023 роках експорт скоротився.",
            "Exports fell in 2022-24.",
            plausibility.NUMBERS,
            id="year-range-wrong",
        ),
        pytest.param(
            "Зустріч перенесли на 5-те березня.",
            "The meeting was moved to March 6.",
            plausibility.NUMBERS,
            id="ordinal-wrong",
        ),
        pytest.param(
            "Уряд виділив кошти.",
            "The the the government allocated the money.",
            plausibility.REPETITION,
            id="the-the-the",
        ),
        pytest.param(
            "Уряд виділив кошти.",
            "The grgrgrgrgr government allocated the money.",
            plausibility.REPETITION,
            id="grgrgr",
        ),
        pytest.param(
            "Росіяни обстріляли місто вночі.",
            "Russian forces shelled the city, shelled the city, shelled the city overnight.",
            plausibility.REPETITION,
            id="phrase-loop-running",
        ),
        pytest.param(
            "Уряд виділив 3 млрд грн на відбудову 40 шкіл.",
            "Уряд виділив 3 млрд грн на відбудову 40 шкіл.",
            plausibility.UNTRANSLATED,
            id="cyrillic-copied",
        ),
    ],
)
def test_news_failures_are_still_flagged(source: str, target: str, reason: str) -> None:
    """Wrong, missing or invented numbers, genuine loops and copied Cyrillic still fail."""
    assert reason in plausibility.check(source, target)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        pytest.param(
            "Пожежу погасили о 23:35.", "The fire was put out at 11:35 pm.", id="12-hour-clock"
        ),
        pytest.param("Це сталося у XV столітті.", "It happened in the 15th century.", id="roman"),
        pytest.param(
            "У США 400 тисяч випадків.", "There are 400,000 cases in the US.", id="thousands-word"
        ),
        pytest.param("Ширина 3,5 метра.", "It is 3.5 metres wide.", id="decimal-comma"),
        pytest.param(
            "Вони виграли 2 тижні тому.", "They won two weeks ago.", id="spelled-in-english"
        ),
        pytest.param("Четверо людей загинули.", "4 people died.", id="spelled-in-source"),
        pytest.param("Королева Єлизавета ІІ.", "Queen Elizabeth II.", id="cyrillic-roman"),
        pytest.param(
            "І хоча це просто, воно працює.",
            "And although it is simple, it works.",
            id="cyrillic-i-is-and",
        ),
        pytest.param(
            "Уряд виділив 2,5 млн грн.",
            "The government allocated 2.5 million hryvnias.",
            id="decimal-comma-million",
        ),
        pytest.param(
            "Будівництво коштуватиме 1,2 млрд євро.",
            "Construction will cost €1.2bn.",
            id="billion-bn",
        ),
        pytest.param(
            "Мобілізували понад 100 тис. осіб.",
            "More than 100,000 people were mobilised.",
            id="tys-abbreviation",
        ),
        pytest.param(
            "Явка становила 31,7 відсотка.", "Turnout was 31.7 per cent.", id="percent-words"
        ),
        pytest.param(
            "Вторгнення почалося 24 лютого 2022 року.",
            "The invasion began on 24 February 2022.",
            id="date-words",
        ),
        pytest.param(
            "Зустріч перенесли на 5-те березня.",
            "The meeting was moved to March 5.",
            id="ordinal-suffix",
        ),
        pytest.param(
            "Прогноз на 2024-й — 3–4%.", "The forecast for 2024 is 3-4%.", id="en-dash-range"
        ),
        pytest.param(
            "Зібрано 1 500 тонн допомоги.",
            "Some 1,500 tonnes of aid were collected.",
            id="plain-space-thousands",
        ),
        pytest.param(
            "Рух обмежать з 21:00 суботи до 6:00 неділі.",
            "Traffic will be restricted from 9 p.m. Saturday to 6 a.m. Sunday.",
            id="ap-style-times",
        ),
    ],
)
def test_numbers_written_differently_still_match(source: str, target: str) -> None:
    """The same numbers in another notation are not a numbers failure."""
    assert plausibility.NUMBERS not in plausibility.check(source, target)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        pytest.param(
            BLACKOUT, "More than 380,000 people were left without power.", id="nbsp-thousands"
        ),
        pytest.param(
            f"Середня зарплата зросла до 20{NNB}223 грн.",
            "The average salary rose to 20,223 hryvnias.",
            id="narrow-nbsp-thousands",
        ),
        pytest.param(
            f"Число погибших превысило 2{THIN}400.",
            "The death toll has risen above 2,400.",
            id="thin-space-thousands",
        ),
        pytest.param(
            f"Торік збудували 1{NB}050{NB}000 кв. м житла, або 12,5%.",
            "Last year 1,050,000 square metres of housing was built, or 12.5%.",
            id="nbsp-millions-and-decimal",
        ),
        pytest.param(
            f"Бюджет становить 1{NB}250,5{NB}млн грн.",
            "The budget is 1,250.5 million hryvnias.",
            id="nbsp-decimal-comma-scale",
        ),
        pytest.param(
            "Тривога тривала з 4:40 до 6:15 ранку.",
            "The alert lasted from 4.40am to 6.15am.",
            id="time-4:40-vs-4.40am",
        ),
        pytest.param(
            "Вибух пролунав об 11.15.",
            "The explosion was heard at 11:15 BST.",
            id="time-11.15-vs-11:15-bst",
        ),
        pytest.param(
            "Потяг вирушить о 15:30.", "The train will leave at 3.30pm.", id="time-24h-vs-pm"
        ),
        pytest.param(
            "Прием документов завершится в 18 часов.", "Applications close at 6pm.", id="hour-vs-pm"
        ),
        pytest.param(
            "Зустріч почалася о 14 годині за Гринвічем.",
            "The meeting began at 1400 GMT.",
            id="hour-vs-gmt",
        ),
        pytest.param(
            "У вівторок о 12:00 оголосили хвилину мовчання.",
            "A minute of silence was observed at noon on Tuesday.",
            id="time-vs-noon",
        ),
        pytest.param(
            "Військові отримали 12 бронемашин, стільки ж надійде до кінця місяця.",
            "The military received 12 armoured vehicles, and another 12 will arrive by the end of the month.",
            id="said-once-written-twice",
        ),
        pytest.param(
            "Засідання відбудеться 12 червня, а 12 червня ввечері — пресконференція.",
            "The committee will meet on June 12, with a news conference that evening.",
            id="said-twice-written-once",
        ),
        pytest.param(
            "«Те, що переживає мій син, те, що він переживає, повертаючись додому, — ніхто цього не зрозуміє». Ніхто, хто цього не прожив, не знає, що він переживає.",
            '"What my own son is going through, what he is going through coming back home — no one will understand it." No one who has not lived it knows what he is going through.',
            id="what-he-is-going-through",
        ),
        pytest.param(
            "68% чоловіків, 72% жінок і 59% пенсіонерів підтримують вступ до ЄС.",
            "Some 68 per cent of men, 72 per cent of women and 59 per cent of pensioners support joining the EU.",
            id="68-per-cent-72-per-cent",
        ),
        pytest.param(
            "68% опрошенных поддерживают переговоры.",
            "Sixty-eight per cent of respondents support negotiations.",
            id="hyphenated-english-number-word",
        ),
        pytest.param(
            "Сорок рятувальників гасили пожежу.",
            "Some 40 rescuers fought the fire.",
            id="cyrillic-number-word",
        ),
        pytest.param(
            "Закон набув чинності 24.02.2022.",
            "The law took effect on February 24, 2022.",
            id="numeric-date",
        ),
        pytest.param(
            "У 2022–2023 роках експорт скоротився.",
            "Exports fell in 2022-23.",
            id="year-range-abbreviated",
        ),
        pytest.param(
            "У 90-х роках завод закрили.", "The plant was closed in the 1990s.", id="decade"
        ),
        pytest.param(
            "Церкву збудували у ХХ столітті.",
            "The church was built in the 20th century.",
            id="cyrillic-roman-century",
        ),
        pytest.param(
            "Проблем не было с начала 19 века.",
            "There had been no problems since the 1800s.",
            id="century-as-hundreds",
        ),
        pytest.param(
            "В Новосибирске выпало 40 сантиметров снега за сутки.",
            "Forty centimetres of snow fell in Novosibirsk in 24 hours.",
            id="doba-is-24-hours",
        ),
        pytest.param(
            "Температура выше +30°С.",
            "Temperatures are above +30°C.",
            id="celsius-is-not-roman-100",
        ),
        pytest.param(
            "Його тисячна марка вийшла у 2000 році.",
            "His 1,000th stamp came out in 2000.",
            id="thousandth-word",
        ),
    ],
)
def test_former_false_positives_now_pass(source: str, target: str) -> None:
    """Correct news translations the previous gate flagged (issue 21) pass."""
    assert plausibility.check(source, target) == ()


def test_protected_spans_are_exempt_from_the_script_checks() -> None:
    """An acronym kept in the source script on purpose is not junk."""
    target = "The ЗСУ said 3 drones were shot down."
    source = "ЗСУ повідомили, що збили 3 дрони."
    assert plausibility.FOREIGN_SCRIPT in plausibility.check(
        source, target.replace("ЗСУ", "ЗСУ ВПС")
    )
    assert plausibility.check(source, target, protected=["ЗСУ"]) == ()


def test_numbers_are_normalized() -> None:
    """Thousands separators, decimal commas, dates and number words read as values."""
    assert numerals.numbers("1 000 and 1,000 and 1000") == [1000.0, 1000.0, 1000.0]
    assert numerals.numbers("4,2 and 4.2") == [4.2, 4.2]
    assert numerals.numbers(f"понад 380{NB}000, 20{NNB}223 і 2{THIN}400") == [380000, 20223, 2400]
    assert numerals.numbers("24.02.2022") == [24.0, 2.0, 2022.0]
    assert numerals.numbers("сто сорок тисяч", words=True) == [140000.0]
    assert numerals.numbers("twenty-five", words=True) == [25.0]


@pytest.mark.parametrize("split", ["dev", "test"])
def test_news_sets_false_positive_rate(split: str) -> None:
    """At most 1% of the hand-written news translations (bench/data) are flagged."""
    rows = [
        line.split("\t")
        for line in (NEWS / f"gate_news_{split}.tsv").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith(("#", "lang\t"))
    ]
    assert len(rows) >= 150 and {lang for lang, _, _ in rows} == {"uk", "ru"}
    flagged = [
        (source, english) for _, source, english in rows if plausibility.check(source, english)
    ]
    assert len(flagged) / len(rows) <= 0.01, flagged
