"""The language gate: its refusals say why the language is uncertain and what to do;
the light in-process check refuses wrong-language documents as the detector does."""

from __future__ import annotations

import subprocess
import sys

import pytest

from services.common.errors import FailedPrecondition, UnsupportedLanguage
from services.common.text.language import LanguageGate, uncertainty
from tests.conftest import REPO
from tests.language_samples import DOCUMENTS, NEVER_TRANSLATED

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


BELARUSIAN_SNIPPETS = ["Пасля матчу Кароль", "Як ніколі нічога", "У цэнтры кожнага"]


@pytest.fixture(scope="module")
def light() -> LanguageGate:
    """The model services' light gate, built as they build it."""
    return LanguageGate.light()


@pytest.mark.parametrize(
    ("lang", "translatable", "outcome"),
    [
        *[pytest.param(lang, ("be", "ru", "uk"), lang, id=lang) for lang in ("uk", "ru", "en")],
        pytest.param("be", ("be", "ru", "uk"), "be", id="be-declared"),
        pytest.param("be", ("ru", "uk"), "refused", id="be-undeclared"),
        *[pytest.param(lang, ("be", "ru", "uk"), "refused", id=lang) for lang in NEVER_TRANSLATED],
    ],
)
def test_light_gate_documents(light, lang: str, translatable, outcome: str) -> None:
    """uk, ru, en (and a declared be) pass as themselves; bg, mk, sr, kk and an
    undeclared be are refused UNSUPPORTED_LANGUAGE naming the document, never guessed."""
    if outcome == "refused":
        with pytest.raises(UnsupportedLanguage) as caught:
            light.decide(DOCUMENTS[lang], "", "contents[0]", translatable)
        assert caught.value.language == lang
        assert [v.field for v in caught.value.violations] == ["contents[0]"]
    else:
        decision = light.decide(DOCUMENTS[lang], "", "contents[0]", translatable)
        assert (decision.source, decision.detected) == (lang, lang)


def test_light_gate_decides_documents_as_the_detector_does(light, detector) -> None:
    """On texts of 60+ letters the light gate's verdict is the detector service's."""
    from tests.belarusian_articles import ARTICLES

    texts = [*DOCUMENTS.values(), *ARTICLES.values(), f"{UK}\n\n{RU}\n\n{EN}"]
    for text in texts:
        result = detector.detect(text)
        assert light._detect(text) == (result.language, result.confidence, result.reliable)


def test_light_gate_refuses_short_and_belarusian_snippets(light) -> None:
    """A word is too short to tell uk from ru; Belarusian snippets never pass as uk/ru."""
    with pytest.raises(FailedPrecondition) as caught:
        light.decide("Київ", "", "contents[0]", ["uk", "ru"])
    assert caught.value.metadata["doubt"] == "too_short"
    for text in BELARUSIAN_SNIPPETS:
        try:
            decision = light.decide(text, "", "contents[0]", ["uk", "ru"])
        except (FailedPrecondition, UnsupportedLanguage):
            continue
        assert decision.source not in ("uk", "ru"), text


def test_light_gate_requires_english(light) -> None:
    """require_english passes English and refuses a reliable other language NOT_ENGLISH."""
    light.require_english(f"{EN} {EN}")
    with pytest.raises(FailedPrecondition) as caught:
        light.require_english(f"{RU} {RU}")
    assert (caught.value.reason, caught.value.metadata["language"]) == ("NOT_ENGLISH", "ru")


def test_translated_text_is_not_detected_again() -> None:
    """translated=True (the text is the translator's output) runs no detection: Latin
    text passes, text mostly in another script is refused NOT_ENGLISH."""

    def no_detection(text: str) -> tuple[str, float, bool]:
        raise AssertionError("detected again")

    gate = LanguageGate(no_detection)
    gate.require_english(f"{EN} Київ і Харків.", translated=True)
    gate.require_english("2024 — 13:45", translated=True)
    with pytest.raises(FailedPrecondition) as caught:
        gate.require_english(LONG, translated=True)
    assert caught.value.reason == "NOT_ENGLISH" and "Cyrl" in caught.value.message


def test_light_gate_loads_no_detector_and_little_memory() -> None:
    """Building the gate imports nothing of services.detector and adds well under the
    full ensemble's ~250 MiB of resident memory (it adds ~30 MiB)."""
    script = """
import sys
def rss():
    with open("/proc/self/status") as status:
        return next(int(l.split()[1]) // 1024 for l in status if l.startswith("VmRSS:"))
from services.common.text.language import LanguageGate
before = rss()
LanguageGate.light().decide("Київ сьогодні вранці зазнав атаки дронів.", "uk", "c", ["uk"])
gate = LanguageGate.light()
gate.require_english("The city council approved the new budget on Tuesday.")
print(rss() - before, sorted(m for m in sys.modules if m.startswith("services.detector")))
"""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO
    ).stdout.split(maxsplit=1)
    assert out[1].strip() == "[]"
    assert int(out[0]) < 120
