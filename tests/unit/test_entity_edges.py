"""The entity layer at its edges (found by a review of issue 25): a split sentence with
odd spacing, names side by side, phrase spellings that are English words, crafted
documents that must stay cheap, marks inside words, names on a server without the
layer. No model."""

from __future__ import annotations

import sys

import pytest

from services.common.errors import FailedPrecondition
from services.common.text.glossary import GlossaryError

pytest.importorskip("pymorphy3", reason="the entity layer needs the serve extra (pymorphy3)")

from newsdesk.translation.v1 import translation_pb2
from services.common.text.entities import (
    MAX_CANDIDATES,
    NamesEntry,
    check_entry,
    find_entities,
)
from services.common.text.segment import (
    document_spans,
    fit_pieces,
    piece_spans,
)
from services.translator.names import (
    in_text,
    names_from_env,
    piece_names,
    spellings,
    unify,
)
from services.translator.terms import mask
from services.translator.wire import options_of


def people(text: str) -> list[tuple[str, list[str]]]:
    return [(e.english, [text[a:b] for a, b in e.spans]) for e in find_entities(text, "uk")]


def test_a_split_sentence_with_double_spaces_masks_whole_names() -> None:
    doc = (
        "Вчора,   у Києві   Володимир Зеленський зустрівся з   міністрами, "
        "а потім   Зеленський поїхав до Львова."
    )
    policy = names_from_env({}, "NEWSDESK_TRANSLATOR_")
    found = policy.find(doc, "uk", ())
    (sentence,) = document_spans(doc)
    parts = fit_pieces(sentence.text, 4, lambda t: len(t.split()))
    where = piece_spans(sentence, [part for part, _ in parts])
    masked_names = []
    for (part, _), source in zip(parts, where, strict=True):
        names = piece_names(found, [True] * len(found), source, doc, part)
        masked = mask(part, "uk", None, names)
        for slot in masked.slots:
            # A slot holds a whole name, exactly as the piece writes it.
            assert " ".join(slot.original.split()) in " ".join(doc.split())
            masked_names.append(slot.english)
        assert "Зеленськ" not in masked.text and "Києв" not in masked.text
    assert masked_names.count("Kyiv") == 1 and "Lviv" in masked_names


def test_names_side_by_side_are_separate_people() -> None:
    assert people("Сергій Лавров Сергій Шойгу Дмитро Кулеба заявили.") == [
        ("Sergei Lavrov", ["Сергій Лавров"]),
        ("Sergei Shoigu", ["Сергій Шойгу"]),
        ("Dmytro Kuleba", ["Дмитро Кулеба"]),
    ]
    assert [e for e, _ in people("Зустріч: Зеленський Байден Макрон Шольц.")] == [
        "Zelensky",
        "Biden",
        "Macron",
        "Scholz",
    ]
    # A byline and the next paragraph's first words: two people, never one span.
    assert people("Автор: Олена Зеленська\n\nДмитро Кулеба заявив.") == [
        ("Olena Zelenska", ["Олена Зеленська"]),
        ("Dmytro Kuleba", ["Дмитро Кулеба"]),
    ]
    # Surname first, and initials, still one person.
    assert people("Зеленський Володимир Олександрович прибув.") == [
        ("Volodymyr Zelensky", ["Зеленський Володимир Олександрович"])
    ]
    assert people("В. О. Зеленський прибув.") == [("V. O. Zelensky", ["В. О. Зеленський"])]
    # A Latin word, a number or an initial after a name ends nothing badly.
    assert people("Сергій Лавров Reuters повідомив.")[0] == ("Sergei Lavrov", ["Сергій Лавров"])
    assert people("Сергій Лавров 2024 року.")[0] == ("Sergei Lavrov", ["Сергій Лавров"])


def test_a_run_of_unknown_capitalised_words_is_bounded() -> None:
    text = " ".join(["Абвгдейко"] * 300) + "."
    for e in find_entities(text, "uk"):
        for a, b in e.spans:
            assert len(text[a:b].split()) <= 4


def test_phrase_spellings_are_never_english_words() -> None:
    assert spellings("чорне море", "Black Sea") == ()
    assert spellings("донецька область", "Donetsk Oblast") == ()
    sentence = "More than 40 ships are in the Black Sea; Kharkiv Oblast was shelled."
    pairs = [
        ("Black Sea", spellings("чорне море", "Black Sea")),
        ("Donetsk Oblast", spellings("донецька область", "Donetsk Oblast")),
        ("Zelensky", spellings("зеленський", "Zelensky")),
    ]
    assert unify(sentence, pairs) == sentence


def test_crafted_documents_stay_bounded() -> None:
    # Quotes never closed: every token after one is direct speech (no quadratic scan).
    text = "«Аб " * 5000
    find_entities(text, "uk")
    # More capitalised words than news has: the layer finds nothing, rather than
    # spending seconds on it.
    assert find_entities("Зеленський. " + "Абв " * (MAX_CANDIDATES + 1), "uk") == []
    assert find_entities("Зеленський. " + "Абв " * 10, "uk") != []


def test_long_or_oddly_spaced_lemmas_are_refused() -> None:
    with pytest.raises(GlossaryError, match="more than 6 words"):
        check_entry(NamesEntry("uk", " ".join(["петро"] * 7), "Petro", "person"), "x")
    with pytest.raises(GlossaryError, match="single plain spaces"):
        check_entry(NamesEntry("uk", "іван\u00a0петров", "Ivan Petrov", "person"), "x")


def test_marks_inside_words() -> None:
    assert people("Президент Зеле́нський прибув до Ки́єва.") == [
        ("Zelensky", ["Зеле́нський"]),
        ("Kyiv", ["Ки́єва"]),
    ]


def test_the_longest_rendering_takes_an_occurrence() -> None:
    from services.common.text.entities import Entity

    kyiv = Entity("place", "Kyiv", "glossary", "київ", ((2, 7),), ("Kyiv",), "glossary")
    region = Entity(
        "place", "Kyiv region", "glossary", "київщина", ((20, 28),), ("Kyiv region",), "glossary"
    )
    text = "Kyiv said that the Kyiv region is preparing; Kyiv's mayor agreed."
    found = in_text([kyiv, region], [True, True], ["glossary"] * 2, (0, 40), text)
    assert found[0].target == ((0, 4), (45, 49))
    assert found[1].target == ((19, 30),)


def test_names_on_a_server_without_the_layer(monkeypatch) -> None:
    """Refused FAILED_PRECONDITION NAMES_OFF before any name is read: a server without
    the entities extra never imports pymorphy3 for them."""
    monkeypatch.setitem(sys.modules, "pymorphy3", None)
    request = translation_pb2.TranslateRequest(
        contents=["Текст."],
        extra_names=[translation_pb2.NameEntry(language_code="uk", lemma="іван", english="I")],
    )
    with pytest.raises(FailedPrecondition) as refused:
        options_of(request, None, names_on=False)
    assert refused.value.reason == "NAMES_OFF"
    request.names_off = True
    assert options_of(request, None, names_on=False).names_off
