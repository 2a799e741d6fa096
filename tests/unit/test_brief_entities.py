"""The brief's names without servers: where they stand in the brief, the original
spelling after the first mention, the names given to the archive, --name parsing."""

from __future__ import annotations

import argparse

import pytest

from newsdesk_client import Brief, ModelInfo, NamedEntity
from newsdesk_client.chain import ARCHIVE_NAMES, archive_names
from newsdesk_client.cli.common import CliError
from newsdesk_client.cli.formats import name_options

ENGLISH = "Volodymyr Zelensky spoke. Aides of Zelensky met Andriy Yermak in Kyiv."


def entity(english, kind, source, target, original) -> NamedEntity:
    return NamedEntity(
        kind, english, "glossary", english.lower(), True, source, target, "", original
    )


def brief(**kw) -> Brief:
    zelensky = entity(
        "Volodymyr Zelensky",
        "person",
        ((0, 20), (30, 41)),
        ((0, 18), (35, 43)),
        ("Володимир Зеленський", "Зеленського"),
    )
    yermak = entity("Andriy Yermak", "person", ((50, 63),), ((48, 61),), ("Андрія Єрмака",))
    kyiv = entity("Kyiv", "place", ((70, 75),), ((65, 69),), ("Києві",))
    fields = dict(
        language="uk",
        confidence=1.0,
        english_text=ENGLISH,
        headline="Zelensky meets aides",
        summary="The president met Yermak.",
        bullets=("Aides of Zelensky met Andriy Yermak in Kyiv.", "Zelensky spoke."),
        models={"translate": ModelInfo("m", "r", "e")},
        timings_ms={},
        request_id="r",
        translated=True,
        entities=(zelensky, yermak, kyiv),
    )
    return Brief(**{**fields, **kw})


def test_mentions_and_lines() -> None:
    b = brief()
    zelensky, yermak, _kyiv = b.entities
    assert b.mentions(zelensky) == (
        ("headline", 0, 0, 8),
        ("bullet", 0, 9, 17),
        ("bullet", 1, 0, 8),
    )
    # "Yermak" alone is not one of the forms the translation wrote: only its rendering.
    assert b.mentions(yermak) == (("bullet", 0, 22, 35),)
    assert b.entity_lines()[0] == (
        "Volodymyr Zelensky (Володимир Зеленський) — person, glossary; 2 in the source, "
        "2 in the translation, 3 in the brief"
    )
    assert b.to_dict()["entities"][2]["in_brief"] == [["bullet", 0, 39, 43]]


def test_original_spelling_after_the_first_mention_only() -> None:
    text = brief().to_text(original_names=True)
    assert text.startswith("Zelensky (Володимир Зеленський) meets aides\n")
    assert text.count("(Володимир Зеленський)") == 1
    assert "Andriy Yermak (Андрія Єрмака) in Kyiv (Києві)." in text
    assert "Names:" not in text and "Names:" in brief().to_text(entities=True)
    assert "(none found)" in brief(entities=()).to_text(entities=True)


def test_archive_names_people_first_and_bounded() -> None:
    b = brief()
    assert archive_names(b.entities[::-1]) == ("Andriy Yermak", "Volodymyr Zelensky", "Kyiv")
    many = [entity(f"Name{i}", "place", (), (), ()) for i in range(50)]
    assert len(archive_names(many)) == ARCHIVE_NAMES


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (["uk:сибіга=Andrii Sybiha"], [("uk", "сибіга", "Andrii Sybiha")]),
        (["ru:газпром=Gazprom/org"], [("ru", "газпром", "Gazprom", "org")]),
    ],
)
def test_name_flags(given, expected) -> None:
    args = argparse.Namespace(name=given, names_off=False)
    assert name_options(args) == {"extra_names": expected, "names_off": False}


@pytest.mark.parametrize("bad", ["uk:сибіга", "сибіга=Sybiha", "uk:=Sybiha", "uk:сибіга= "])
def test_bad_name_flags(bad) -> None:
    with pytest.raises(CliError, match="LANG:LEMMA=ENGLISH"):
        name_options(argparse.Namespace(name=[bad], names_off=False))
    with pytest.raises(CliError, match="--names-off"):
        name_options(argparse.Namespace(name=["uk:a=b"], names_off=True))
