"""Belarusian is translated when the configured model declares it (the zle models read
be, ru and uk; the locally built ones declare the same), reported as such, with its
lower quality stated; without the declaration it is refused, as bg/mk/sr/kk always are."""

from __future__ import annotations

import shutil

from newsdesk.translation.v1 import translation_pb2, translation_pb2_grpc
from services.common.engine import EngineSettings
from services.common.models import LANGUAGES_FILE, declared_languages, repo_dir
from services.translator.build_local import TINY_SPEC
from services.translator.loader import load_engines
from tests.conftest import serve, translator_binding

BE = "Урад Беларусі абвясціў пра новыя меры падтрымкі эканомікі краіны ў панядзелак."


def test_local_models_declare_the_zle_languages(model_dir) -> None:
    assert declared_languages(model_dir, TINY_SPEC) == ("be", "ru", "uk")


async def test_belarusian_is_translated_when_declared(translator) -> None:
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
    copy = tmp_path / "models"
    shutil.copytree(repo_dir(model_dir, TINY_SPEC), repo_dir(copy, TINY_SPEC))
    (repo_dir(copy, TINY_SPEC) / LANGUAGES_FILE).unlink()
    engines = load_engines(
        copy, {"uk": TINY_SPEC, "ru": TINY_SPEC}, EngineSettings("transformers", "float32")
    )
    assert sorted(engines) == ["ru", "uk"]
