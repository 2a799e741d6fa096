"""The detector answers only languages written in the text's script, a few letters of
another alphabet do not rule a document's language out, and a document whose
paragraphs are in different languages is not reliable."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.common.text.cleaning import language_text
from services.common.text.scripts import profile
from services.common.text.writing import LANGUAGE_SCRIPTS, script_of
from tests.belarusian_articles import ARTICLES

UK = "Київ сьогодні вранці зазнав масованої атаки дронів, повідомили у міській адміністрації."
RU = "Москва заявила о новых санкциях против стран Запада и пообещала ответить."
EN = "The city council approved the new budget after a long debate on Tuesday."
BE = "Урад Беларусі абвясціў пра новыя меры падтрымкі эканомікі краіны ў панядзелак."


def cyrillic_only(result) -> bool:
    return all("Cyrl" in LANGUAGE_SCRIPTS[c.language] for c in result.candidates)


def test_every_label_has_a_script(detector) -> None:
    """Every language the detector can answer is listed with the scripts it is written in."""
    answered = set(detector.supported_languages())
    for text in ["a", "й", "ა", "中", "ب", "ק", "अ", "한", "hello world", "1"]:
        answered |= set(detector._fasttext(text, k=-1))
    assert answered <= set(LANGUAGE_SCRIPTS)


@pytest.mark.parametrize(
    ("letter", "script"),
    [
        ("ў", "Cyrl"),
        ("Ї", "Cyrl"),
        ("é", "Latn"),
        ("ა", "Geor"),
        ("한", "Hang"),
        ("中", "Hani"),
        ("ʼ", ""),
    ],
    ids=["be-u-short", "uk-yi", "latin-e-acute", "georgian", "hangul", "han", "modifier"],
)
def test_script_of_letters(letter: str, script: str) -> None:
    """Letters map to their ISO 15924 script; the modifier apostrophe to none."""
    assert script_of(letter) == script


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(f"{BE} «Мы объявили о новых мерах, и это ещё не всё».", id="be-ru-quote"),
        pytest.param(f"{UK} Так казаў Лукашэнка ў Мінску.", id="uk-be-quote"),
        pytest.param("ъъъ щщщ ўўў їїї ђђђ қққ", id="letter-soup"),
        pytest.param("Київ", id="one-word"),
        pytest.param(f"{BE} NATO і EU адказалі: Lukashenko's regime.", id="latin-names"),
        pytest.param(f"{BE} https://www.reuters.com/world/europe/belarus-2024/", id="url"),
        *[pytest.param(text, id=name) for name, text in ARTICLES.items()],
    ],
)
def test_cyrillic_text_gets_only_cyrillic_languages(detector, text: str) -> None:
    """A Cyrillic text never gets ka, en, ko, zh… even as a candidate, whatever its letters."""
    result = detector.detect(text, top_k=10)
    assert cyrillic_only(result), result.candidates


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    words=st.lists(
        st.text(alphabet="абвгдеёжзійклмнопрстуўфхцчшщъыьэюяїєґђјљњћџқә", min_size=2, max_size=9),
        min_size=1,
        max_size=40,
    ),
    latin=st.lists(st.sampled_from(["NATO", "Lukashenko's", "EU", "https://nn.by/"]), max_size=2),
)
def test_any_cyrillic_text_gets_a_cyrillic_language(detector, words, latin) -> None:
    """Any text of Cyrillic words (with a few Latin names) gets Cyrillic candidates only."""
    text = " ".join(words + latin)
    prof = profile(text)
    if prof.latin * 3 >= prof.letters:
        return
    assert cyrillic_only(detector.detect(text, top_k=10)), text


@pytest.mark.parametrize(
    ("text", "language"),
    [
        pytest.param("The cabinet met on Monday to discuss the budget.", "en", id="en"),
        pytest.param("საქართველოს მთავრობამ ახალი ზომები გამოაცხადა.", "ka", id="ka"),
        pytest.param("정부는 월요일에 새로운 경제 대책을 발표했다.", "ko", id="ko"),
    ],
)
def test_other_scripts_keep_their_languages(detector, text: str, language: str) -> None:
    """The restriction does not touch texts of other scripts."""
    assert detector.detect(text).language == language


def test_a_few_foreign_letters_do_not_rule_out_a_document(detector) -> None:
    """A quoted Russian sentence leaves a Belarusian article reliably be; in a sentence ў decides."""
    document = profile(ARTICLES["economy"])
    assert document.foreign_letters("be") > 0
    assert {"uk", "ru"} <= document.ruled_out(tolerance=int(document.cyrillic * 0.015))
    one_paragraph = detector.detect(" ".join(ARTICLES["economy"].split()))
    assert (one_paragraph.language, one_paragraph.reliable) == ("be", True)
    assert {"uk", "ru"} <= profile(BE).ruled_out(tolerance=0)


def test_no_alphabet_spells_it_only_the_worse_fits_are_out() -> None:
    """When no alphabet spells a text, the best-fitting ones stay in."""
    prof = profile("Їжак ы")
    assert all(prof.foreign_letters(lang) for lang in ("uk", "ru", "be"))
    assert not {"uk", "ru"} & prof.ruled_out(tolerance=0)


@pytest.mark.parametrize(
    ("text", "reliable"),
    [
        pytest.param(f"{UK} {UK}\n\n{RU}\n\n{EN}", False, id="paragraphs-uk-ru-en"),
        pytest.param(" ".join([UK] * 3 + [RU] * 3 + [EN] * 3), False, id="one-line-uk-ru-en"),
        pytest.param(" ".join([UK] * 6), True, id="one-line-uk"),
        pytest.param(ARTICLES["weather"], True, id="be-article"),
    ],
)
def test_document_mixing_languages_is_not_reliable(detector, text: str, reliable: bool) -> None:
    """A text whose paragraphs or sentences are in three languages is not reliable; one in one is."""
    result = detector.detect(text)
    assert result.reliable is reliable
    if not reliable:
        assert detector.piece_share(text, result.language) < 0.75


@pytest.mark.parametrize(
    ("text", "read"),
    [
        pytest.param("эка\u200bномі\u00adка", "эканоміка", id="invisible"),
        pytest.param("гл. https://nn.by/a?b=1 і ivan@nn.by", "гл.   і  ", id="addresses"),
        pytest.param("https://nn.by/", "https://nn.by/", id="address-only"),
    ],
)
def test_text_the_detector_reads(text: str, read: str) -> None:
    """Zero-width spaces, soft hyphens and (unless they are all there is) addresses are dropped."""
    assert language_text(text) == read
