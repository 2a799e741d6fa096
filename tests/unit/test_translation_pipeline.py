"""The document pipeline over the tiny, locally built MarianMT model (random weights:
outputs are noise, so the tests check structure, counts and languages)."""

from __future__ import annotations

import pytest

from services.common.errors import FailedPrecondition, UnsupportedLanguage
from services.common.text.language import LanguageDecision
from tests.conftest import WrappedEngine, long_document
from tests.translator_sync import translate_document, translate_documents


def test_every_segment_accounted_for(translator) -> None:
    """Each sentence yields output; paragraph count and breaks survive."""
    text = "Уряд ухвалив рішення. Мер пообіцяв допомогу.\n\nЕксперти попереджають.\nЩе одне."
    result = translate_document(translator, text, LanguageDecision("uk"))
    assert result.report.paragraphs == 3
    assert result.report.source_segments == 4
    assert result.report.translated_segments == 4
    assert not result.report.truncated
    assert result.text.count("\n\n") == 1 and result.text.count("\n") == 3
    assert all(p.text.strip() for p in result.paragraphs)
    assert result.model.id == "newsdesk-local/opus-mt-tiny-zle-en"


def test_over_long_sentence_is_split_not_cut(translator) -> None:
    """A sentence longer than the model limit is split into pieces, all translated."""
    engine = translator.engines["uk"]
    sentence = " ".join(["Уряд ухвалив нове рішення щодо підтримки громад,"] * 80) + "."
    assert engine.count_tokens(sentence) > engine.max_source_tokens
    result = translate_document(translator, sentence, LanguageDecision("uk"))
    assert result.report.split_segments == 1
    assert result.report.translated_segments == 1
    assert result.report.source_tokens >= engine.count_tokens(sentence) - 5


def test_generation_is_bounded(translator) -> None:
    """Output length is bounded relative to the input (no runaway generation)."""
    engine = translator.engines["ru"]
    spec = translator.spec_for(engine)
    (out,) = engine.generate(["Привет."], spec)
    assert spec.length_ratio > 0
    assert out.target_tokens <= int(out.source_tokens * spec.length_ratio) + spec.length_extra + 2


def test_english_passes_through(translator) -> None:
    """English text comes back unchanged."""
    text = "The cabinet met.\n\nIt agreed."
    result = translate_document(translator, text, LanguageDecision("en"))
    assert result.text == text
    assert result.model.id == "passthrough"


@pytest.mark.parametrize(
    ("text", "requested", "error"),
    [
        pytest.param(
            "Үкімет елдің экономикасын қолдаудың жаңа шараларын дүйсенбіде жариялады.",
            "",
            UnsupportedLanguage,
            id="kazakh-detected",
        ),
        pytest.param("Guten Tag", "de", UnsupportedLanguage, id="german-requested"),
        pytest.param("Добрий", "", FailedPrecondition, id="too-short-to-detect"),
    ],
)
def test_language_refusals(translator, text: str, requested: str, error: type) -> None:
    """Unsupported or undetectable languages are refused, never guessed."""
    with pytest.raises(error):
        translator.decide_language(text, requested, "contents[0]")


def test_detects_ukrainian_and_russian(translator) -> None:
    """An empty source language is detected and reported."""
    uk = translator.decide_language("Уряд України ухвалив нове рішення щодо громад.", "", "c")
    ru = translator.decide_language("Правительство России объявило о новых мерах.", "", "c")
    assert (uk.source, uk.detected) == ("uk", "uk")
    assert (ru.source, ru.detected) == ("ru", "ru")


def test_long_document_all_paragraphs(translator) -> None:
    """A 20,000-character document comes back with every paragraph and sentence."""
    text = long_document("ru", 20_000)
    result = translate_document(translator, text, LanguageDecision("ru"))
    assert result.report.source_segments == result.report.translated_segments
    assert len(result.paragraphs) == text.count("\n\n") + 1


def test_documents_share_model_batches(translator) -> None:
    """Sentences of several documents in one request go through shared model batches."""
    from services.common.text.language import LanguageGate
    from services.translator.options import PlausibilityMode, TranslatorPolicy
    from services.translator.pipeline import DocumentTranslator

    engine = WrappedEngine(translator.engines["uk"])
    pipeline = DocumentTranslator(
        {"uk": engine, "ru": engine},
        LanguageGate(lambda t: ("uk", 1.0, True)),
        max_batch_segments=32,
        # The gate only flags here: a retry round would be a second call (tested apart).
        policy=TranslatorPolicy(PlausibilityMode.FLAG),
    )
    docs = [
        ("Перше речення. Друге речення.", LanguageDecision("uk")),
        ("Третє речення.\n\nЧетверте.", LanguageDecision("uk")),
        ("Пятое предложение. Шестое.", LanguageDecision("ru")),
    ]
    results = translate_documents(pipeline, docs)
    assert engine.calls == 1
    assert [r.report.translated_segments for r in results] == [2, 2, 2]
    assert results[1].text.count("\n\n") == 1


def test_greedy_rows_end_at_their_own_bound_and_are_handed_over_early(translator) -> None:
    """With greedy decoding each row is bounded by its own length (not the batch's
    longest) and handed to on_done when final; the returned results match."""
    from dataclasses import replace

    engine = translator.engines["uk"]
    spec = replace(translator.spec_for(engine), num_beams=1)
    short = "Так."
    long = " ".join(["Уряд ухвалив нове рішення щодо підтримки громад."] * 6)
    delivered: dict[int, object] = {}
    results = engine.generate([short, long], spec, None, lambda i, g: delivered.setdefault(i, g))
    assert sorted(delivered) == [0, 1]
    assert [delivered[0], delivered[1]] == results
    for result in results:
        assert result.target_tokens <= spec.bound(result.source_tokens) + 1
    assert (
        results[0].target_tokens
        <= spec.bound(results[0].source_tokens) + 1
        < spec.bound(results[1].source_tokens)
    )


def test_generation_stops_when_all_callers_have_gone(translator) -> None:
    """A batch whose should_stop turns true ends at once, whatever its bound."""
    from dataclasses import replace

    engine = translator.engines["uk"]
    spec = replace(translator.spec_for(engine), num_beams=1, length_ratio=0.0, max_new_tokens=400)
    text = " ".join(["Уряд ухвалив нове рішення щодо підтримки громад."] * 6)
    (stopped,) = engine.generate([text], spec, lambda: True)
    assert stopped.target_tokens <= 2
