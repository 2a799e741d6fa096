"""The house-style glossary: whole-word, case-preserving rewrites, exceptions,
validation, and how a request's options combine with the server's glossary."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.common.config import ConfigError, house_style_from_env
from services.common.glossary import (
    DEFAULT_HOUSE_STYLE,
    Glossary,
    GlossaryEntry,
    GlossaryError,
    extra_entries,
    house_style,
)


@pytest.fixture(scope="module")
def default() -> Glossary:
    return Glossary.from_tsv(DEFAULT_HOUSE_STYLE)


def test_default_glossary_covers_the_names_the_news_uses(default: Glossary) -> None:
    """Oblast centres, oblasts, major cities, rivers and regions, each with a source."""
    variants = {e.variant for e in default.entries}
    for name in ("Kiev", "Kharkov", "Odessa", "Nikolaev", "Lugansk", "Zaporozhye", "Donbass"):
        assert name in variants
    for name in ("Dnieper", "Lvov", "Zhitomir", "Chernigov", "Vinnitsa", "Rovno"):
        assert name in variants
    assert all(e.note for e in default.entries), "every rule names its source"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Russian forces shelled Kharkov and Odessa overnight, officials in Kiev said.",
            "Russian forces shelled Kharkiv and Odesa overnight, officials in Kyiv said.",
        ),
        ("Kiev's mayor spoke.", "Kyiv's mayor spoke."),  # possessive
        ("KIEV, Ukraine (AP)", "KYIV, Ukraine (AP)"),  # all caps
        ("a kiev-based group", "a kyiv-based group"),  # lower case, hyphenated compound
        ("Kievan Rus and chicken Kiev", "Kievan Rus and chicken Kiev"),  # exceptions
        ("Kievskaya metro station", "Kievskaya metro station"),  # never inside a word
        ("Krivoy Rog and Zaporozhye", "Kryvyi Rih and Zaporizhzhia"),  # multi-word
        (
            "the Chernobyl disaster of 1986, near Chernobyl",
            "the Chernobyl disaster of 1986, near Chornobyl",
        ),
        ("Odessa, Texas", "Odessa, Texas"),
        ("the Donbass and the Dnieper", "the Donbas and the Dnipro"),
    ],
)
def test_rewrites_are_whole_word_and_case_preserving(
    default: Glossary, text: str, expected: str
) -> None:
    assert default.rewrite(text).text == expected


def test_rewrites_are_counted(default: Glossary) -> None:
    result = default.rewrite("Kiev, Kiev's and Odessa; Kyiv stays.")
    assert result.replacements == 3
    assert result.counts[("Kiev", "Kyiv")] == 2
    assert result.counts[("Odessa", "Odesa")] == 1
    assert default.rewrite("Nothing to change.").replacements == 0


@pytest.mark.parametrize(
    ("pairs", "field"),
    [
        ([("", "Kyiv")], "extra_entries[0].variant"),
        ([("Kiev", " ")], "extra_entries[0].preferred"),
        ([("Kiev", "Kyiv"), ("Artemovsk\n", "Bakhmut")], "extra_entries[1].variant"),
        ([("-Kiev", "Kyiv")], "extra_entries[0].variant"),
        ([("x" * 101, "Kyiv")], "extra_entries[0].variant"),
        ([("Kiev", "Kyiv"), ("KIEV", "Kyiv")], "extra_entries[1].variant"),
    ],
)
def test_bad_extra_entries_are_named(pairs, field: str) -> None:
    with pytest.raises(GlossaryError) as caught:
        extra_entries(pairs, "extra_entries")
    assert caught.value.field == field


def test_request_options_over_the_server_glossary(default: Glossary) -> None:
    """Extra rules add to (and override) the server's; disabled turns everything off;
    extra rules with disabled are refused, never silently dropped."""
    extra = extra_entries([("Artemovsk", "Bakhmut"), ("Kiev", "Kyiv City")], "x")
    style = house_style(default, disabled=False, extra=extra, prefix="house_style")
    assert style.rewrite("Artemovsk, Kiev, Odessa").text == "Bakhmut, Kyiv City, Odesa"
    assert style.version != default.version
    off = house_style(default, disabled=True, extra=[], prefix="house_style")
    assert not off.applied and off.rewrite("Kiev").text == "Kiev"
    with pytest.raises(GlossaryError, match="disabled"):
        house_style(default, disabled=True, extra=extra, prefix="house_style")
    # Server glossary off by configuration: only the request's rules apply.
    only = house_style(None, disabled=False, extra=extra[:1], prefix="house_style")
    assert only.rewrite("Artemovsk and Kiev").text == "Bakhmut and Kiev"
    assert not house_style(None, disabled=False, extra=[], prefix="p").applied


def test_configuration_switch_and_file(tmp_path: Path) -> None:
    """HOUSE_STYLE=false turns it off; HOUSE_STYLE_FILE replaces the glossary; a bad
    file is a ConfigError naming the variable and the line."""
    assert house_style_from_env({}, "P_") is not None
    assert house_style_from_env({"P_HOUSE_STYLE": "false"}, "P_") is None
    desk = tmp_path / "desk.tsv"
    desk.write_text("variant\tpreferred\tsource\nArtemovsk\tBakhmut\tdesk\n", encoding="utf-8")
    glossary = house_style_from_env({"P_HOUSE_STYLE_FILE": str(desk)}, "P_")
    assert glossary is not None and glossary.entries == (
        GlossaryEntry("Artemovsk", "Bakhmut", "desk"),
    )
    desk.write_text("Artemovsk\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"P_HOUSE_STYLE_FILE.*desk.tsv:1"):
        house_style_from_env({"P_HOUSE_STYLE_FILE": str(desk)}, "P_")
    with pytest.raises(ConfigError, match="cannot be read"):
        house_style_from_env({"P_HOUSE_STYLE_FILE": str(tmp_path / "none.tsv")}, "P_")
