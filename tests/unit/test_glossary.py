"""The house-style glossary: whole-word, case-preserving rewrites, exceptions,
validation, and how a request's options combine with the server's glossary."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.common.config import ConfigError
from services.common.text.glossary import (
    DEFAULT_HOUSE_STYLE,
    Glossary,
    GlossaryEntry,
    GlossaryError,
    extra_entries,
    house_style,
    house_style_from_env,
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
    prefix = "NEWSDESK_SUMMARIZER_"  # a registered prefix: only registered variables are read
    assert house_style_from_env({}, prefix) is not None
    assert house_style_from_env({f"{prefix}HOUSE_STYLE": "false"}, prefix) is None
    desk = tmp_path / "desk.tsv"
    desk.write_text("variant\tpreferred\tsource\nArtemovsk\tBakhmut\tdesk\n", encoding="utf-8")
    glossary = house_style_from_env({f"{prefix}HOUSE_STYLE_FILE": str(desk)}, prefix)
    assert glossary is not None and glossary.entries == (
        GlossaryEntry("Artemovsk", "Bakhmut", "desk"),
    )
    desk.write_text("Artemovsk\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"NEWSDESK_SUMMARIZER_HOUSE_STYLE_FILE.*desk.tsv:1"):
        house_style_from_env({f"{prefix}HOUSE_STYLE_FILE": str(desk)}, prefix)
    with pytest.raises(ConfigError, match="cannot be read"):
        house_style_from_env({f"{prefix}HOUSE_STYLE_FILE": str(tmp_path / "none.tsv")}, prefix)


# Desk rules whose rendering contains the variant: applied once, whatever the chain.
@pytest.mark.parametrize(
    ("variant", "preferred", "text", "expected"),
    [
        ("Crimea", "occupied Crimea", "Crimea's ports", "occupied Crimea's ports"),
        ("Crimea", "occupied Crimea", "CRIMEA, crimea.", "OCCUPIED CRIMEA, occupied crimea."),
        ("Crimea", "occupied Crimea", "in occupied Crimea", "in occupied Crimea"),
        ("Dniprovskyi", "Dniprovskyi-X", "Dniprovskyi district", "Dniprovskyi-X district"),
        ("Dniprovskyi", "Dniprovskyi-X", "Dniprovskyi-X district", "Dniprovskyi-X district"),
        ("Kharkiv", "Kharkiv city", "Kharkov and Kharkiv", "Kharkiv city and Kharkiv city"),
        ("Kherson", "Kherson region", "KHERSON REGION, Kherson", "KHERSON REGION, Kherson region"),
    ],
    ids=["possessive", "caps", "already-styled", "hyphen", "hyphen-styled", "chain", "suffix"],
)
def test_a_rendering_that_contains_its_variant_applies_once(
    default: Glossary, variant: str, preferred: str, text: str, expected: str
) -> None:
    """Such a rule rewrites the variant once; rewriting again changes and counts nothing."""
    style = house_style(
        default, disabled=False, extra=extra_entries([(variant, preferred)], "x"), prefix="x"
    )
    once = style.rewrite(text)
    assert once.text == expected
    again = style.rewrite(once.text)
    assert again.text == once.text and again.replacements == 0


def test_rules_chain_and_a_circle_is_refused(default: Glossary) -> None:
    """A desk rule for a shipped rendering chains (Kiev → Kyiv City); a desk rule that
    reverses a shipped one wins (Odessa stays); rules in a circle are refused."""
    desk = extra_entries([("Kyiv", "Kyiv City"), ("Odesa", "Odessa")], "x")
    style = house_style(default, disabled=False, extra=desk, prefix="x")
    once = style.rewrite("Kiev, Kyiv, Odessa and Odesa")
    assert once.text == "Kyiv City, Kyiv City, Odessa and Odessa"
    assert style.rewrite(once.text).text == once.text
    with pytest.raises(GlossaryError, match="circle") as caught:
        extra_entries([("Kharkiv", "Kharkov"), ("Kharkov", "Kharkiv")], "extra_entries")
    assert caught.value.field == "extra_entries[0].preferred"


SHIPPED = Glossary.from_tsv(DEFAULT_HOUSE_STYLE)
PHRASES = sorted({p for e in SHIPPED.entries for p in (e.variant, e.preferred)})
FILLER = ["the", "near", "and", "city", "region", "occupied", "X", "Oblast", "1986"]
DESK_VARIANTS = ["Crimea", "Dniprovskyi", "Kyiv", "Kiev", "Odesa", "Donbas", "Chernobyl"]
DESK_RENDERINGS = ["occupied {}", "{}-X", "{} region", "the {} area", "{}", "{} Oblast"]


@st.composite
def desk_rule(draw: st.DrawFn) -> tuple[str, str]:
    """A desk rule, mostly one whose rendering contains its variant."""
    variant = draw(st.sampled_from(DESK_VARIANTS))
    return variant, draw(st.sampled_from(DESK_RENDERINGS)).format(variant)


@st.composite
def news_text(draw: st.DrawFn, extra: list[str]) -> str:
    """Words of the rules (in any case, possessive, hyphenated) among filler words."""
    words = st.sampled_from([*PHRASES, *FILLER, *extra])
    forms = st.sampled_from(["{}", "{}'s", "{}-based", "{},", "{}.", "({})"])
    cases = st.sampled_from([str, str.upper, str.lower])
    parts = draw(st.lists(st.tuples(words, forms, cases), min_size=1, max_size=12))
    return " ".join(case(form.format(word)) for word, form, case in parts)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), rules=st.lists(desk_rule(), max_size=2, unique_by=lambda r: r[0]))
def test_rewriting_twice_is_rewriting_once(data: st.DataObject, rules) -> None:
    """Property: over the shipped glossary and desk rules whose rendering contains
    their variant, rewrite(rewrite(x)) == rewrite(x), and the second pass counts none."""
    style = house_style(SHIPPED, disabled=False, extra=extra_entries(rules, "x"), prefix="x")
    text = data.draw(news_text([p for rule in rules for p in rule]))
    once = style.rewrite(text)
    again = style.rewrite(once.text)
    assert again.text == once.text, (text, once.text, again.text)
    assert again.replacements == 0
