"""Builds the translator's domain objects from its config: one engine per distinct
model (languages sharing a model share it), through the engine registry, and the
document pipeline with the shared language gate."""

from __future__ import annotations

from pathlib import Path

from services.common.engines.base import Engine, EngineSettings, load_engine
from services.common.models.store import ModelSpec, declared_languages
from services.common.text.language import LanguageGate
from services.translator.options import TranslatorPolicy
from services.translator.pipeline import DocumentTranslator

# Languages a configured model may add by declaring them (newsdesk-languages.json): the
# East Slavic languages the zle models read. bg, mk, sr and kk are never translated.
DECLARABLE = ("be",)


def load_engines(
    model_dir: Path, specs: dict[str, ModelSpec], settings: EngineSettings
) -> dict[str, Engine]:
    """One engine per distinct model; languages sharing a model share the engine. A
    configured model that declares Belarusian serves it too (unless be is configured
    with a model of its own)."""
    loaded: dict[ModelSpec, Engine] = {}
    engines: dict[str, Engine] = {}
    for lang, spec in specs.items():
        if spec not in loaded:
            loaded[spec] = load_engine(settings, model_dir, spec)
        engines[lang] = loaded[spec]
    for spec, engine in loaded.items():
        for lang in declared_languages(model_dir, spec):
            if lang in DECLARABLE and lang not in engines:
                engines[lang] = engine
    return engines


def build_translator(
    model_dir: Path,
    specs: dict[str, ModelSpec],
    settings: EngineSettings | None = None,
    *,
    num_beams: int = 4,
    max_batch_segments: int = 32,
    max_batch_tokens: int = 8192,
    policy: TranslatorPolicy | None = None,
) -> DocumentTranslator:
    """The document translator with its engines, the light language gate in-process and the
    server's policy (default: gate retries, no cache, no protected terms)."""
    return DocumentTranslator(
        load_engines(model_dir, specs, settings or EngineSettings()),
        LanguageGate.light(),
        num_beams=num_beams,
        max_batch_segments=max_batch_segments,
        max_batch_tokens=max_batch_tokens,
        policy=policy,
    )
