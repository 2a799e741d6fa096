"""Sentence and paragraph segmentation for uk/ru/en news text."""

from __future__ import annotations

import pytest

from services.common.text.segment import (
    document_spans,
    first_sentence,
    split_long,
    split_sentences,
    split_with_breaks,
    trim_words,
)

CASES = [
    pytest.param(
        "Він живе у м. Києві, на вул. Хрещатик. Потім пішов.",
        ["Він живе у м. Києві, на вул. Хрещатик.", "Потім пішов."],
        id="uk-abbrev-city-street",
    ),
    pytest.param(
        "Проф. О. В. Петренко виступив. Зал аплодував.",
        ["Проф. О. В. Петренко виступив.", "Зал аплодував."],
        id="uk-initials",
    ),
    pytest.param(
        "Курс зріс на 3.5 відсотка. Далі — 4,2.",
        ["Курс зріс на 3.5 відсотка.", "Далі — 4,2."],
        id="decimal",
    ),
    pytest.param(
        "Університет ім. Шевченка відкрився. Наступне речення.",
        ["Університет ім. Шевченка відкрився.", "Наступне речення."],
        id="uk-im",
    ),
    pytest.param(
        "В 1990 г. было так. См. рис. 3 ниже. Далее.",
        ["В 1990 г. было так.", "См. рис. 3 ниже.", "Далее."],
        id="ru-abbrev",
    ),
    pytest.param(
        "Він сказав: «Все добре!» Потім пішов.",
        ["Він сказав: «Все добре!»", "Потім пішов."],
        id="closing-quote",
    ),
    pytest.param(
        "Це моя сім'ї. Я є. Будьте пильні.",
        ["Це моя сім'ї.", "Я є.", "Будьте пильні."],
        id="apostrophe-and-one-letter-word",
    ),
    pytest.param(
        "The U.S. economy grew. Dr. Smith agreed.",
        ["The U.S. economy grew.", "Dr. Smith agreed."],
        id="en-abbrev",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_split_sentences(text: str, expected: list[str]) -> None:
    """Sentences are split at real ends, not at abbreviations, initials or decimals."""
    assert split_sentences(text) == expected


@pytest.mark.parametrize(("text", "_"), CASES)
def test_no_character_lost(text: str, _: list[str]) -> None:
    """Joining the sentences loses no non-space character."""
    assert "".join(split_sentences(text)).replace(" ", "") == text.replace(" ", "")


def test_paragraph_breaks_kept() -> None:
    """Paragraphs and the kind of break after each are recorded."""
    paragraphs, breaks = split_with_breaks("A.\n\nB b.\nC.\n\n\n  D  \n")
    assert paragraphs == ["A.", "B b.", "C.", "D"]
    assert breaks == ["\n\n", "\n", "\n\n", ""]


def test_bullets_stay_their_own_paragraphs() -> None:
    """List bullets on their own lines stay separate paragraphs."""
    paragraphs, _ = split_with_breaks("Список:\n• перше\n• друге\n- третє")
    assert paragraphs == ["Список:", "• перше", "• друге", "- третє"]


def test_split_long_keeps_every_character() -> None:
    """An over-long sentence is split into pieces that fit; nothing is cut."""
    sentence = ", ".join(f"слово{i} ще одне" for i in range(200)) + "."

    def count(text: str) -> int:
        return len(text.split())

    pieces = split_long(sentence, 25, count)
    assert len(pieces) > 1
    assert all(count(p) <= 25 for p in pieces)
    assert " ".join(pieces).replace(" ", "") == sentence.replace(" ", "")


def test_split_long_breaks_a_giant_word() -> None:
    """A single enormous token run is still split, by characters, losing nothing."""
    word = "x" * 1000
    pieces = split_long(word, 10, lambda t: len(t) // 50 + 1)
    assert "".join(pieces) == word
    assert all(len(p) // 50 + 1 <= 10 for p in pieces)


@pytest.mark.parametrize(
    ("text", "first"),
    [
        pytest.param(
            "U.S. officials said the talks would resume. Kyiv agreed.",
            "U.S. officials said the talks would resume.",
            id="us-abbreviation",
        ),
        pytest.param(
            "Mr. Zelensky said the front held. Later he left.",
            "Mr. Zelensky said the front held.",
            id="mr-title",
        ),
        pytest.param("Dr. J. Smith arrived at 3.5 p", "Dr. J. Smith arrived at 3.5 p", id="no-end"),
    ],
)
def test_first_sentence_knows_english_abbreviations(text: str, first: str) -> None:
    """Headline and bullet trimming use the shared splitter: "U.S." and "Mr." do not end
    a sentence."""
    assert first_sentence(text) == first


def test_trim_words_keeps_abbreviations() -> None:
    """Trimming to a word budget cuts at a real sentence end, not after "U.S."."""
    text = "U.S. officials said the talks would resume. Kyiv agreed to attend the next round soon."
    assert trim_words(text, 10) == "U.S. officials said the talks would resume."


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Перше речення. Друге — у м. Києві.\n\n  Третє!  Четверте?\r\nП'яте", id="uk"),
        pytest.param("  Leading space. U.S. troops left.\n\nNew para here.", id="en"),
        pytest.param("Одне", id="single"),
    ],
)
def test_spans_point_into_the_source(text: str) -> None:
    """Every span's offsets select exactly its sentence (code points) in the source
    document, in order, with paragraph indices matching split_with_breaks."""
    spans = document_spans(text)
    paragraphs, _ = split_with_breaks(text)
    assert [s.text for s in spans] == [s for p in paragraphs for s in split_sentences(p)]
    for span in spans:
        assert text[span.start : span.end] == span.text
    assert [s.start for s in spans] == sorted(s.start for s in spans)
    assert max(s.paragraph for s in spans) == len(paragraphs) - 1
