"""A document mixing Ukrainian, Russian and English by paragraph: the language gate's
per-paragraph decision, with a scripted detector (the real one: test_mixed_posts)."""

from __future__ import annotations

import pytest

from services.common.errors import FailedPrecondition
from services.common.text.language import LanguageGate

UK = "Сили оборони України відбили атаку на сході країни, повідомили в Генштабі."
RU = "Министр заявил журналистам, что переговоры продолжатся на следующей неделе."
EN = "The ministry said the talks would continue next week in Geneva."


def scripted(text: str) -> tuple[str, float, bool]:
    """uk, ru or en by the paragraph's marker; a text holding two is unreliable."""
    found = [
        lang
        for lang, marker in (("uk", "України"), ("ru", "Министр"), ("en", "ministry"))
        if marker in text
    ]
    if len(found) == 1:
        return found[0], 0.99, True
    if not found:
        return "uk", 0.4, False
    return found[0], 0.5, False


GATE = LanguageGate(scripted)
SERVED = {"uk": object(), "ru": object()}


def test_each_paragraph_its_own_language() -> None:
    text = f"{UK}\n\n{RU}\n{EN}"
    decision = GATE.decide(text, "uk", "contents[0]", SERVED)
    assert decision.source == "uk" and decision.paragraphs == ("uk", "ru", "en")
    assert [decision.paragraph(i) for i in range(3)] == ["uk", "ru", "en"]


def test_a_document_the_detector_cannot_call_is_read_by_paragraph() -> None:
    text = f"{RU}\n\n{UK}\n\n{RU} {RU}"
    decision = GATE.decide(text, "", "contents[0]", SERVED)
    assert decision.source == "ru"  # most of its letters
    assert decision.paragraphs == ("ru", "uk", "ru")


def test_one_language_or_one_paragraph_is_left_whole() -> None:
    assert GATE.decide(f"{UK}\n\n{UK}", "uk", "c", SERVED).paragraphs == ()
    assert GATE.decide(UK, "", "c", SERVED).paragraphs == ()
    # Belarusian (read as uk or ru by detectors) is never split.
    assert GATE.decide(f"{UK}\n\n{RU}", "be", "c", {**SERVED, "be": object()}).paragraphs == ()


def test_a_paragraph_that_cannot_be_told_keeps_the_document_uncertain() -> None:
    unsure = "Це та це і то, що з цим робити далі — ніхто не знає напевно зараз."
    with pytest.raises(FailedPrecondition) as caught:
        GATE.decide(f"{RU}\n\n{UK}\n\n{unsure}", "", "contents[0]", SERVED)
    assert caught.value.reason == "LANGUAGE_UNCERTAIN"
    # A short unsure paragraph (a signature) takes the document's language.
    decision = GATE.decide(f"{RU}\n\n{UK}\n\n— Ред.", "", "contents[0]", SERVED)
    assert decision.paragraphs == ("ru", "uk", "ru")
