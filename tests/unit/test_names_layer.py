"""The translator's entity layer without a model: settings, masking spans, other
spellings unified, target spans found and merged over paragraphs."""

from __future__ import annotations

import sys

import pytest

from services.common.config import ConfigError
from services.translator.names import (
    NameResult,
    NamesMode,
    in_text,
    merged,
    names_from_env,
    piece_names,
    spellings,
    unify,
)
from services.translator.terms import mask, restore

pytest.importorskip("pymorphy3", reason="the entity layer needs the serve extra (pymorphy3)")

P = "NEWSDESK_TRANSLATOR_"


def test_settings(tmp_path) -> None:
    assert names_from_env({}, P).mode is NamesMode.GLOSSARY
    assert names_from_env({f"{P}NAMES": "all"}, P).mode is NamesMode.ALL
    assert names_from_env({f"{P}NAMES": "off"}, P) is None
    with pytest.raises(ConfigError, match=f"{P}NAMES"):
        names_from_env({f"{P}NAMES": "some"}, P)
    missing = tmp_path / "none.tsv"
    with pytest.raises(ConfigError, match=f"{P}NAMES_FILE"):
        names_from_env({f"{P}NAMES_FILE": str(missing)}, P)
    bad = tmp_path / "bad.tsv"
    bad.write_text("uk\tна\tOn\tperson\tx\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="function word"):
        names_from_env({f"{P}NAMES_FILE": str(bad)}, P)
    good = tmp_path / "good.tsv"
    good.write_text("uk\tсибіга\tAndrii Sybiha\tperson\tMFA\n", encoding="utf-8")
    policy = names_from_env({f"{P}NAMES_FILE": str(good)}, P)
    assert [e.english for e in policy.glossary.entries] == ["Andrii Sybiha"]


def test_missing_packages_name_the_extra(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "pymorphy3", None)
    with pytest.raises(ConfigError, match=r"newsdesk\[entities\]"):
        names_from_env({}, P)
    assert names_from_env({f"{P}NAMES": "off"}, P) is None


def test_other_spellings_become_the_rendering() -> None:
    assert {"Zelenskyy", "Zelenskyi", "Zelenskiy"} <= set(spellings("зеленський", "Zelensky"))
    assert "Zelensky" not in spellings("зеленський", "Zelensky")
    text = "Zelenskyy met Zelenskiy's aides; Zelenskyi-style politics. Zelensky spoke."
    out = unify(text, [("Zelensky", spellings("зеленський", "Zelensky"))])
    assert out == "Zelensky met Zelensky's aides; Zelenskyi-style politics. Zelensky spoke."


def test_names_are_masked_with_terms_and_restored() -> None:
    from services.common.text.entities import find_entities
    from services.translator.names import names_from_env

    policy = names_from_env({}, P)
    text = "Зеленський і ЗСУ. Зеленського чекають."
    found = policy.find(text, "uk", ())
    names = piece_names(found, [True] * len(found), (0, len(text)), text, text)
    assert [(n.start, n.end, n.english) for n in names] == [
        (0, 10, "Zelensky"),
        (18, 29, "Zelensky"),
    ]
    from services.translator.terms import DEFAULT_TERMS, TermGlossary

    masked = mask(text, "uk", TermGlossary.from_tsv(DEFAULT_TERMS), names)
    assert masked.text == "ZQ1 і ZQ2. ZQ3 чекають."
    assert [s.name for s in masked.slots] == [True, False, True]
    back = restore("ZQ1 and ZQ2. ZQ3 is awaited.", masked.slots)
    assert back.text == "Zelensky and Armed Forces of Ukraine. Zelensky is awaited."
    # Terms off: the names alone are masked, unknown acronyms are not.
    only = mask(text, "uk", None, names)
    assert only.text == "ZQ1 і ЗСУ. ZQ2 чекають."
    assert find_entities(text, "uk")[0].lemma == "зеленський"


def test_target_spans_and_merging() -> None:
    from services.common.text.entities import Entity

    e = Entity(
        "person",
        "Volodymyr Zelensky",
        "glossary",
        "зеленський",
        ((0, 5), (40, 45)),
        ("Volodymyr Zelensky", "Zelensky"),
        "glossary",
    )
    first = in_text([e], [True], ["glossary"], (0, 20), "Volodymyr Zelensky spoke.")
    assert first == [
        NameResult(
            "person",
            "Volodymyr Zelensky",
            "glossary",
            "зеленський",
            "glossary",
            True,
            ((0, 5),),
            ((0, 18),),
        )
    ]
    second = in_text([e], [True], ["glossary"], (30, 60), "Aides of Zelensky and Zelensky.")
    assert second[0].target == ((9, 17), (22, 30))
    whole = merged([(0, first), (27, second)])
    assert len(whole) == 1
    assert whole[0].source == ((0, 5), (40, 45))
    assert whole[0].target == ((0, 18), (36, 44), (49, 57))
    assert in_text([e], [True], ["glossary"], (100, 200), "Nothing here.") == []
