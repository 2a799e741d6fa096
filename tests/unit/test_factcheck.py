"""The figures check (services/common/text/factcheck.py): figures and names of an English
claim against its English source, on sentences written the way outlets write them."""

from __future__ import annotations

import pytest

from services.common.text.factcheck import Source, check

NB, NNB = "\u00a0", "\u202f"  # no-break and narrow no-break spaces


def case(case_id: str, claim: str, source: str, figures: list[str], names: list[str] = ()):
    """A claim, its source, and the figures and names the source does not support."""
    return pytest.param(claim, source, figures, list(names), id=case_id)


FIGURES = [
    case(
        "no-break-thousands",
        "At least 1,200 people were evacuated from Kherson overnight.",
        f"More than 1{NB}200 people were evacuated from Kherson overnight, the governor said.",
        [],
    ),
    case(
        "narrow-no-break-thousands",
        "The strike left 20,223 homes without power.",
        f"Some 20{NNB}223 homes were left without power after the strike.",
        [],
    ),
    case(
        "million-written-out",
        "Almost 1,500,000 people have left the region.",
        "Almost 1.5 million people have left the region since February.",
        [],
    ),
    case(
        "bn-and-billion",
        "The EU approved a 2.5bn package for Kyiv.",
        "The EU approved a €2.5 billion package for Kyiv on Thursday.",
        [],
    ),
    case(
        "m-and-million",
        "The club paid £40m for the striker.",
        "The club paid 40 million pounds for the striker, the BBC reported.",
        [],
    ),
    case(
        "morning-time",
        "Sirens sounded at 4.40 am in Lviv.",
        "Air-raid sirens sounded in Lviv at 04:40 local time.",
        [],
    ),
    case(
        "afternoon-time",
        "The train left at 16:40.",
        "The evacuation train left at 4.40pm, the railway said.",
        [],
    ),
    case(
        "us-date-uk-source",
        "The ceasefire took effect on March 30, 2021.",
        "The ceasefire took effect on 30 March 2021, both sides said.",
        [],
    ),
    case(
        "iso-date",
        "The law was signed on 2021-03-30.",
        "President Volodymyr Zelensky signed the law on Tuesday, March 30, 2021.",
        [],
    ),
    case(
        "dotted-date",
        "Voting ends on March 30.",
        "Голосування: voting ends on 30.03.2021, the commission said.",
        [],
    ),
    case(
        "month-and-year",
        "The talks collapsed in March 2021.",
        "The talks collapsed on 30 March 2021 — the last round, officials said.",
        [],
    ),
    case(
        "word-for-digit",
        "Two soldiers were wounded.",
        "2 soldiers were wounded in the shelling, the army said.",
        [],
    ),
    case(
        "digit-for-word",
        "The attack killed 3 civilians.",
        "Three civilians were killed in the attack, police said.",
        [],
    ),
    case(
        "compound-number-word",
        "Sixty-eight people were rescued from the rubble.",
        "Rescuers pulled 68 people from the rubble.",
        [],
    ),
    case(
        "percentage",
        "Inflation reached 45%.",
        "Inflation reached 45 per cent in March, the central bank said.",
        [],
    ),
    case(
        "roman-for-ordinal",
        "Veterans of World War II gathered in Kyiv.",
        "Veterans of the Second World War gathered in Kyiv on Sunday.",
        [],
    ),
    case(
        "casualty-counts",
        "The blast killed 12 people and injured 31.",
        "Twelve people were killed and 31 were injured in the blast.",
        [],
    ),
    case(
        "guillemets-and-quotes",
        "«We lost 300 men in a week», the commander said.",
        "“We lost 300 men in a week,” the commander told reporters.",
        [],
    ),
    case(
        "en-dash-season",
        "The 2022–23 budget was cut.",
        "Parliament cut the budget for 2022-2023 by a fifth.",
        [],
    ),
    case(
        "one-of-the-is-no-figure",
        "One of the suspects fled to Poland.",
        "A suspect fled to Poland, prosecutors said.",
        [],
    ),
    case(
        "ordinal-is-no-figure",
        "It was the first such attack on the city.",
        "The attack on the city was unprecedented.",
        [],
    ),
    case(
        "invented-count",
        "At least 1,300 people were evacuated.",
        f"More than 1{NB}200 people were evacuated overnight.",
        ["1,300"],
    ),
    case(
        "wrong-day",
        "The ceasefire took effect on March 31, 2021.",
        "The ceasefire took effect on 30 March 2021.",
        ["March 31, 2021"],
    ),
    case(
        "wrong-year",
        "The ceasefire took effect on March 30, 2020.",
        "The ceasefire took effect on 30 March 2021.",
        ["March 30, 2020"],
    ),
    case(
        "invented-day",
        "The talks resumed on March 12.",
        "The talks resumed in March, diplomats said.",
        ["March 12"],
    ),
    case(
        "wrong-time",
        "Sirens sounded at 5.40 am.",
        "Air-raid sirens sounded at 04:40 local time.",
        ["5.40 am"],
    ),
    case(
        "wrong-scale",
        "The EU approved a 2.5m package.",
        "The EU approved a €2.5 billion package.",
        ["2.5m"],
    ),
    case(
        "word-count-differs",
        "Three soldiers were wounded.",
        "2 soldiers were wounded in the shelling.",
        ["Three"],
    ),
    case(
        "percentage-differs",
        "Inflation reached 54%.",
        "Inflation reached 45 per cent in March.",
        ["54%"],
    ),
    case(
        "roman-differs",
        "The palace was built under Louis XV.",
        "The palace was built under Louis XIV.",
        ["XV"],
    ),
    case(
        "casualties-differ",
        "The blast killed 13 people — the deadliest this year.",
        "Twelve people were killed in the blast — the deadliest this year.",
        ["13"],
    ),
    case(
        "invented-year",
        "The bridge, opened in 2018, was hit again.",
        "The bridge, which opened five years ago, was hit again.",
        ["2018"],
    ),
]


@pytest.mark.parametrize(("claim", "source", "figures", "names"), FIGURES)
def test_figures(claim: str, source: str, figures: list[str], names: list[str]) -> None:
    """A figure is supported when some reading of it is a reading of a source figure;
    otherwise it is reported, as written, with its span in the claim."""
    found = check(claim, source)
    assert [f.text for f in found.unsupported_figures] == figures
    assert [n.text for n in found.unsupported_names] == names
    for figure in found.figures:
        assert claim[figure.start : figure.end] == figure.text


NAMES = [
    case(
        "invented-person",
        "Deputy minister John Smith said the grid was stable.",
        "Deputy energy minister Yaroslav Demchenkov said the grid was stable.",
        [],
        ["John Smith"],
    ),
    case(
        "possessive-of-a-source-name",
        "The statement from Zelensky's office came after the strike.",
        "Volodymyr Zelensky said the strike would not go unanswered.",
        [],
    ),
    case(
        "title-and-surname",
        "The strike was condemned by President Biden.",
        "Joe Biden condemned the strike.",
        [],
    ),
    case(
        "invented-place",
        "Drones also hit Odesa.",
        "Drones hit Kharkiv and Dnipro overnight.",
        [],
        ["Odesa"],
    ),
    case(
        "months-and-weekdays-are-no-names",
        "Talks resumed on Monday, as agreed in March.",
        "Negotiators agreed in March that talks would resume.",
        [],
    ),
    case(
        "sentence-initial-common-word",
        "Officials said 40 people died.",
        "Forty people died, police said.",
        [],
    ),
    case(
        "capital-after-a-quote",
        'He added: "Nobody expected this", and left.',
        "He said nobody had expected it.",
        [],
    ),
    case(
        "hyphenated-place",
        "A Kyiv-based analyst disagreed.",
        "An analyst in Kyiv disagreed.",
        [],
    ),
    case(
        "apostrophe-name-supported",
        "The report was written by Sean O'Brien.",
        "O'Brien wrote the report for the think tank.",
        [],
    ),
    case(
        "apostrophe-name-invented",
        "The report was written by Sean O'Brien.",
        "A think tank wrote the report.",
        [],
        ["Sean O'Brien"],
    ),
    case(
        "dotted-acronym",
        "The U.S. sent more air defence systems.",
        "The US sent more air defence systems.",
        [],
    ),
    case(
        "generic-word-is-not-enough",
        "The delegation then flew to New Zealand.",
        "The delegation then flew to New York.",
        [],
        ["New Zealand"],
    ),
    case(
        "title-case-headline",
        "Russian Strikes Hit Kharkiv Power Station",
        "Russian strikes hit a power station in Kharkiv on Friday.",
        [],
    ),
    case(
        "sentence-initial-run-of-two",
        "The Kremlin said talks were over.",
        "Peskov said the talks were over.",
        [],
        ["Kremlin"],
    ),
]


@pytest.mark.parametrize(("claim", "source", "figures", "names"), NAMES)
def test_names(claim: str, source: str, figures: list[str], names: list[str]) -> None:
    """A name the source does not have is reported; sentence-initial and quote-initial
    capitals, titles, months and weekdays are not names."""
    found = check(claim, source)
    assert [f.text for f in found.unsupported_figures] == figures
    assert [n.text for n in found.unsupported_names] == names
    for name in found.names:
        assert claim[name.start : name.end] == name.text


def test_figures_are_listed_in_order_with_kinds() -> None:
    """Every figure of a claim comes back once, in text order, with its kind; a date's
    day and year are not figures of their own, nor is the scale word after digits."""
    claim = "On March 30, 2021, at 4.40 am, two blasts cost 1.2 million and XIV."
    found = check(claim, "30 March 2021, 04:40: 2 blasts, $1.2m, Louis XIV.")
    assert [(f.text, f.kind) for f in found.figures] == [
        ("March 30, 2021", "date"),
        ("4.40 am", "time"),
        ("two", "words"),
        ("1.2 million", "number"),
        ("XIV", "roman"),
    ]
    assert found.supported


def test_a_source_is_read_once_for_many_claims_and_in_every_form() -> None:
    """Source(text, other_form) supports a claim from either form: a bullet in house
    style ("Kyiv") against a text that wrote "Kiev"."""
    source = Source("Kiev was shelled twice.", "Kyiv was shelled twice.")
    assert source.check("Shells hit Kyiv.").supported
    assert source.check("Shells hit Kiev.").supported
    assert not Source("Kiev was shelled.").check("Shells hit Kyiv.").supported


def test_nothing_to_check() -> None:
    """A claim without figures or names is supported, and an empty one too."""
    assert check("the talks went on.", "Talks were held.").figures == ()
    assert check("", "").supported


@pytest.mark.parametrize(
    ("claim", "source", "supported"),
    [
        pytest.param(
            "It was approved by the Government.", "The government approved it.", True, id="generic"
        ),
        pytest.param("It was approved by NATO.", "Nato approved it.", True, id="acronym-case"),
        pytest.param(
            "The deal helps US farmers.", "The deal helps us.", False, id="acronym-not-pronoun"
        ),
        pytest.param(
            "Local Officials said so.", "Local officials said so.", True, id="initial-word"
        ),
    ],
)
def test_names_in_another_case(claim: str, source: str, supported: bool) -> None:
    """A generic word, an acronym written Nato-style, and a sentence's first word match
    the source in another case; "US" is not "us"."""
    assert check(claim, source).supported is supported
