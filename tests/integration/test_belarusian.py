"""Belarusian is translated when the configured model declares it (the zle models read
be, ru and uk; the locally built ones declare the same), reported as such, with its
lower quality stated; without the declaration it is refused, as bg/mk/sr/kk always are.
Belarusian news articles as they arrive from the web (Latin names, URLs, zero-width
spaces, soft hyphens, quoted Russian or Ukrainian) are detected as Belarusian, by the
detector service and by the translator's language decision."""

from __future__ import annotations

import shutil

import pytest

from newsdesk.language.v1 import language_pb2, language_pb2_grpc
from newsdesk.translation.v1 import translation_pb2, translation_pb2_grpc
from services.common.engines.base import EngineSettings
from services.common.models.store import LANGUAGES_FILE, declared_languages, repo_dir
from services.common.text.writing import LANGUAGE_SCRIPTS
from services.translator.build_local import TINY_SPEC
from services.translator.loader import load_engines
from tests.belarusian_articles import ARTICLES
from tests.conftest import detector_binding, serve, translator_binding

BE = "Урад Беларусі абвясціў пра новыя меры падтрымкі эканомікі краіны ў панядзелак."


def test_local_models_declare_the_zle_languages(model_dir) -> None:
    """The locally built tiny models declare be, ru and uk."""
    assert declared_languages(model_dir, TINY_SPEC) == ("be", "ru", "uk")


async def test_belarusian_is_translated_when_declared(translator) -> None:
    """A declared be is translated, reported as be, with its quality note."""
    assert "be" in translator.engines
    binding, runner = translator_binding(translator)
    s = await serve([binding])
    try:
        stub = translation_pb2_grpc.TranslationServiceStub(s.channel)
        reply = await stub.Translate(translation_pb2.TranslateRequest(contents=[BE]))
        (t,) = reply.translations
        assert t.source_language_code == t.detected_language_code == "be"
        assert t.translated_text.strip() and t.model.id == TINY_SPEC.repo_id
        pairs = {
            p.source_language_code: p
            for p in (
                await stub.ListLanguagePairs(translation_pb2.ListLanguagePairsRequest())
            ).pairs
        }
        assert "be" in pairs and "lower quality" in pairs["be"].quality_note
        assert not pairs["uk"].quality_note
        info = await stub.Info(translation_pb2.InfoRequest())
        assert any(note.startswith("be:") for note in info.quality_notes)
    finally:
        await s.channel.close()
        await s.running.stop()
        runner.close()


def test_without_the_declaration_belarusian_is_not_served(model_dir, tmp_path) -> None:
    """Without the languages file the model serves only the configured uk and ru."""
    copy = tmp_path / "models"
    shutil.copytree(repo_dir(model_dir, TINY_SPEC), repo_dir(copy, TINY_SPEC))
    (repo_dir(copy, TINY_SPEC) / LANGUAGES_FILE).unlink()
    engines = load_engines(
        copy, {"uk": TINY_SPEC, "ru": TINY_SPEC}, EngineSettings("transformers", "float32")
    )
    assert sorted(engines) == ["ru", "uk"]


async def test_belarusian_articles_through_the_detector(detector) -> None:
    """Each Belarusian article is reliably be through the detector service, Cyrillic candidates only."""
    binding, runner = detector_binding(detector)
    s = await serve([binding])
    try:
        stub = language_pb2_grpc.LanguageServiceStub(s.channel)
        texts = list(ARTICLES.values())
        assert all(1400 <= len(t) <= 3000 for t in texts)
        reply = await stub.DetectLanguage(language_pb2.DetectLanguageRequest(texts=texts, top_k=10))
        for name, d in zip(ARTICLES, reply.detections, strict=True):
            assert (d.language_code, d.reliable, d.script) == ("be", True, "Cyrl"), name
            assert d.confidence > 0.9, name
            assert all("Cyrl" in LANGUAGE_SCRIPTS[c.language_code] for c in d.candidates)
    finally:
        await s.channel.close()
        await s.running.stop()
        runner.close()


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_belarusian_articles_language_decision(translator, name: str) -> None:
    """The translator's language decision takes each Belarusian article as be."""
    decision = translator.decide_language(ARTICLES[name], "", "contents[0]")
    assert (decision.source, decision.detected) == ("be", "be")


async def test_belarusian_articles_translated_as_belarusian(translator) -> None:
    """Through a real translator, every article comes back detected and translated as be."""
    binding, runner = translator_binding(translator)
    s = await serve([binding])
    try:
        stub = translation_pb2_grpc.TranslationServiceStub(s.channel)
        reply = await stub.Translate(
            translation_pb2.TranslateRequest(contents=list(ARTICLES.values()), partial_results=True)
        )
        for t in reply.translations:
            assert not t.HasField("error"), t.error.message
            assert t.detected_language_code == t.source_language_code == "be"
            assert t.translated_text.strip()
    finally:
        await s.channel.close()
        await s.running.stop()
        runner.close()
