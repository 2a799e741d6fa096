"""Protected terms: masking (inflected forms, acronyms kept in their own script, known
acronyms left to the model), restoring, and counting drops and inventions."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.common.text.glossary import GlossaryEntry, GlossaryError
from services.translator.terms import DEFAULT_TERMS, TermGlossary, renderings_missing, restore


@pytest.fixture(scope="module")
def terms() -> TermGlossary:
    return TermGlossary.from_tsv(DEFAULT_TERMS)


def test_the_default_glossary_covers_the_wrong_actor_cases(terms: TermGlossary) -> None:
    rendered = {(e.language, e.variant): e.preferred for e in terms.entries}
    assert rendered[("uk", "ЗСУ")] == rendered[("ru", "ВСУ")] == "Armed Forces of Ukraine"
    assert rendered[("uk", "ОДКБ")] == rendered[("ru", "ОДКБ")] == "CSTO"
    assert rendered[("uk", "ППО")] == rendered[("ru", "ПВО")] == "air defence"
    assert rendered[("ru", "СБУ")] == "SBU" and rendered[("uk", "БПЛА")] == "drone"
    assert all(e.note for e in terms.entries), "every term names its source"


def test_mask_and_restore(terms: TermGlossary) -> None:
    masked = terms.mask("ЗСУ збили 12 БПЛА, повідомили Збройними Силами України.", "uk")
    assert masked.text == "ZQ1 збили 12 ZQ2, повідомили ZQ3."
    assert [s.english for s in masked.slots] == [
        "Armed Forces of Ukraine",
        "drone",
        "Armed Forces of Ukraine",
    ]
    back = restore("ZQ1 shot down 12 ZQ2s, said ZQ3.", masked.slots)
    assert back.text == "Armed Forces of Ukraine shot down 12 drones, said Armed Forces of Ukraine."
    assert (back.restored, back.dropped, back.invented, back.ok) == (3, [], 0, True)


def test_unknown_acronyms_are_kept_known_ones_left_to_the_model(terms: TermGlossary) -> None:
    masked = terms.mask("ТЦК і США, а також НАТО.", "uk")
    assert masked.text == "ZQ1 і США, а також НАТО."
    (slot,) = masked.slots
    assert slot.kept and slot.english == "ТЦК"


def test_language_matters(terms: TermGlossary) -> None:
    assert terms.mask("ВСУ", "ru").slots[0].english == "Armed Forces of Ukraine"
    assert terms.mask("ПВО", "uk").slots[0].kept  # a Russian acronym in uk text: kept


def test_drops_and_inventions_are_counted(terms: TermGlossary) -> None:
    masked = terms.mask("ЗСУ і ОДКБ.", "uk")
    back = restore("ZQ1 and the OSCE ZQ7 ZQ1.", masked.slots)
    assert back.restored == 1 and [s.english for s in back.dropped] == ["CSTO"]
    assert back.invented == 2 and not back.ok  # ZQ7 was never sent; ZQ1 came twice
    assert "ZQ" not in back.text
    assert [s.english for s in renderings_missing("The OSCE said", masked.slots)] == [
        "Armed Forces of Ukraine",
        "CSTO",
    ]


def test_version_changes_with_the_terms(terms: TermGlossary, tmp_path: Path) -> None:
    extra = terms.merged([GlossaryEntry("Азов", "Azov", "per-request", "uk")])
    assert extra.version != terms.version
    assert extra.mask("бригада Азов", "uk").slots[0].english == "Azov"
    bad = tmp_path / "t.tsv"
    bad.write_text("de\tXY\tY\tz\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="not uk or ru"):
        TermGlossary.from_tsv(bad)


def test_configuration_switch_and_file(tmp_path: Path) -> None:
    """TERMS=false turns protection off; TERMS_FILE replaces the glossary; a bad file
    stops the service naming the variable and the line."""
    from services.common.config import ConfigError
    from services.translator.terms import terms_from_env

    assert terms_from_env({}) is not None
    assert terms_from_env({"NEWSDESK_TRANSLATOR_TERMS": "false"}) is None
    desk = tmp_path / "terms.tsv"
    desk.write_text("uk\tАзов*\tAzov\tdesk\n", encoding="utf-8")
    glossary = terms_from_env({"NEWSDESK_TRANSLATOR_TERMS_FILE": str(desk)})
    assert glossary is not None and [e.preferred for e in glossary.entries] == ["Azov"]
    desk.write_text("uk\tАзов\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"TERMS_FILE.*terms.tsv:1"):
        terms_from_env({"NEWSDESK_TRANSLATOR_TERMS_FILE": str(desk)})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Код ZQ12 і ЗСУ.", "Код ZQ12 і Armed Forces of Ukraine."),
        ("Код ZQ1, а потім ЗСУ.", "Код ZQ1, а потім Armed Forces of Ukraine."),
        ("Позивний ABZQ3 і ЗСУ.", "Позивний ABZQ3 і Armed Forces of Ukraine."),
        ("Лише ZQ9999 тут.", "Лише ZQ9999 тут."),
    ],
    ids=["zq12", "zq1-before-a-term", "inside-a-word", "long-digits-alone"],
)
def test_placeholder_lookalikes_in_the_input_come_back_as_written(
    terms: TermGlossary, text: str, expected: str
) -> None:
    """Input that looks like a placeholder is masked as a kept slot: an output that
    copies every placeholder restores the user's token, and the term, each in place."""
    masked = terms.mask(text, "uk")
    assert len({s.placeholder for s in masked.slots}) == len(masked.slots)
    back = restore(masked.text, masked.slots)
    assert back.text == expected and back.ok


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("*", "3 letters"),
        ("Ки*", "3 letters"),
        ("Ки*їв", "may only end a word"),
        ("в", "2 letters"),
        ("Сил* *", "3 letters"),
    ],
)
def test_patterns_that_match_nearly_everything_are_refused(pattern: str, problem: str) -> None:
    """A term pattern that could match empty text or almost any word is refused."""
    from services.translator.terms import check_pattern

    with pytest.raises(GlossaryError, match=problem):
        check_pattern(pattern, "extra_terms[0].term")
    check_pattern("Збройн* Сил* України", "ok")  # the shipped inflected form is fine
