"""The combined language detector: decisions, reliability, bad input, determinism."""

from __future__ import annotations

import pytest

from services.common.text.scripts import profile
from services.detector.langid.langdetect_baseline import LangdetectDetector
from tests.language_samples import SENTENCES

CASES = [pytest.param(lang, text, id=lang) for lang, text in SENTENCES.items()]


@pytest.mark.parametrize(("lang", "text"), CASES)
def test_detects_language(detector, lang: str, text: str) -> None:
    """Each of the eight Cyrillic/Latin languages of the eval set is named correctly."""
    result = detector.detect(text)
    assert result.status == "ok"
    assert result.language == lang
    assert result.candidates[0].language == lang


@pytest.mark.parametrize(
    ("text", "status"),
    [
        pytest.param("", "empty", id="empty"),
        pytest.param("   \n\t", "empty", id="whitespace"),
        pytest.param("12345 !!! 3.14 — %", "no_letters", id="digits-punctuation"),
        pytest.param("🙂🙂🙂", "no_letters", id="emoji"),
    ],
)
def test_undeterminable_input(detector, text: str, status: str) -> None:
    """Empty or letter-less text is undetermined and never reliable."""
    result = detector.detect(text)
    assert (result.language, result.status, result.reliable) == ("und", status, False)


def test_belarusian_never_reliable_uk_or_ru(detector) -> None:
    """A Belarusian snippet is not reliably taken for Ukrainian or Russian."""
    for text in ["Пасля матчу Кароль", "Як ніколі нічога", "У цэнтры кожнага"]:
        result = detector.detect(text)
        assert not (result.language in ("uk", "ru") and result.reliable), (text, result)


def test_deterministic(detector) -> None:
    """The same text gives the same answer every time."""
    text = "Згодна з паведамленнем"
    first = detector.detect(text)
    assert all(detector.detect(text) == first for _ in range(20))


def test_top_k_and_probabilities(detector) -> None:
    """top_k candidates are ranked and their probabilities lie in 0..1."""
    result = detector.detect("Київ і Харків готуються до зими.", top_k=5)
    assert len(result.candidates) == 5
    probs = [c.probability for c in result.candidates]
    assert probs == sorted(probs, reverse=True)
    assert all(0.0 <= p <= 1.0 for p in probs)
    assert result.confidence == pytest.approx(probs[0])


def test_langdetect_method_is_seeded() -> None:
    """Plain langdetect is deterministic once seeded."""
    det = LangdetectDetector()
    answers = {
        det.detect("Правительство России объявило о новых мерах.").language for _ in range(10)
    }
    assert answers == {"ru"}


def test_script_profile() -> None:
    """Letters are counted by script and the alphabet check rules out languages."""
    prof = profile("Їжак і ялинка")
    assert prof.script == "Cyrl"
    assert "ru" in prof.ruled_out(0) and "uk" not in prof.ruled_out(0)
    assert profile("hello").script == "Latn"


EVERYDAY = [
    pytest.param("uk", "Де аеропорт?", id="uk-where-airport"),
    pytest.param("uk", "Що це?", id="uk-what-is-it"),
    pytest.param("uk", "Я бачив одного.", id="uk-saw-one"),
    pytest.param("uk", "Що ти робиш?", id="uk-what-doing"),
    pytest.param("uk", "Я хочу додому.", id="uk-home"),
    pytest.param("uk", "Небо сіре.", id="uk-sky-grey"),  # no Kazakh-only letter
    pytest.param("ru", "Где аэропорт?", id="ru-where-airport"),
    pytest.param("ru", "Что ты делаешь?", id="ru-what-doing"),
    pytest.param("ru", "Где ты был?", id="ru-where-were-you"),
]


@pytest.mark.parametrize(("lang", "text"), EVERYDAY)
def test_short_everyday_text(detector, lang: str, text: str) -> None:
    """Short everyday uk/ru sentences with no letter only one of them has are told
    apart by the pair decision (fastText + lingua + word evidence)."""
    assert detector.detect(text).language == lang


def test_word_evidence_points_the_right_way() -> None:
    """cues.uk_ru_log_odds: positive for Ukrainian words and endings, negative for
    Russian ones, zero for text that is the same in both."""
    from services.common.text.cues import uk_ru_log_odds

    assert uk_ru_log_odds("Що ти хочеш робити?") > 2
    assert uk_ru_log_odds("Что ты хочешь делать?") < -2
    assert uk_ru_log_odds("Батьки весь час сваряться.") > 0
    assert uk_ru_log_odds("Они всегда ругаются.") < 0
    assert uk_ru_log_odds("Мама мыла раму") <= 0
    assert uk_ru_log_odds("Так точно.") == 0
    assert uk_ru_log_odds("The same in English.") == 0


def test_pair_decision_moves_only_uk_and_ru(detector) -> None:
    """The uk/ru re-split never takes probability from, or gives it to, another
    language: a Belarusian snippet stays Belarusian and is never reliable uk/ru."""
    result = detector.detect("Я не ведаю, дзе ён.")
    assert result.language not in ("uk", "ru") or not result.reliable
