"""The language gate's refusals say why the language is uncertain and what to do."""

from __future__ import annotations

import pytest

from services.common.errors import FailedPrecondition
from services.common.text.language import LanguageGate, uncertainty

UK = "Київ сьогодні вранці зазнав масованої атаки дронів, повідомили у міській адміністрації."
RU = "Москва заявила о новых санкциях против стран Запада и пообещала ответить."
EN = "The city council approved the new budget after a long debate on Tuesday."
LONG = f"{UK} {UK}"


@pytest.mark.parametrize(
    ("text", "language", "confidence", "doubt", "says"),
    [
        pytest.param("2024 13 45", "und", 0.0, "no_letters", "no letters", id="digits"),
        pytest.param("Київ", "uk", 1.0, "too_short", "Ukrainian from Russian", id="one-word"),
        pytest.param("OK", "en", 0.9, "too_short", "its language", id="short-en"),
        pytest.param(LONG, "uk", 0.41, "low_confidence", "0.41", id="low-confidence"),
        pytest.param(f"{LONG}\n\n{RU}\n\n{EN}", "uk", 0.99, "mixed", "mixes", id="mixed"),
    ],
)
def test_uncertainty_reasons(text, language, confidence, doubt, says) -> None:
    """Each doubt has its reason and says to set source_language_code; too short quotes no confidence."""
    code, message = uncertainty(text, language, confidence)
    assert code == doubt
    assert says in message and "source_language_code" in message
    if doubt == "too_short":
        assert "confidence" not in message and "too short" in message


def test_gate_refusal_carries_the_reason() -> None:
    """decide() raises LANGUAGE_UNCERTAIN with the doubt in metadata and the field named."""
    gate = LanguageGate(lambda text: ("uk", 1.0, False))
    with pytest.raises(FailedPrecondition) as caught:
        gate.decide("Київ", "", "contents[0]", ["uk", "ru"])
    error = caught.value
    assert error.reason == "LANGUAGE_UNCERTAIN"
    assert error.metadata["doubt"] == "too_short"
    assert error.message.startswith("contents[0]: the text is too short (4 letters)")
    assert "1.00" not in error.message
