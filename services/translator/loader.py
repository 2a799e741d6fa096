"""Builds the translator's domain objects from its config: one engine per distinct
model (languages sharing a model share it), through the engine registry, and the
document pipeline with the shared language gate."""

from __future__ import annotations

from pathlib import Path

from services.common.engine import DEFAULT_ENGINE, Engine, load_engine
from services.common.language import LanguageGate
from services.common.models import ModelSpec, locate
from services.translator.pipeline import DocumentTranslator


def load_engines(
    model_dir: Path, specs: dict[str, ModelSpec], *, engine: str = DEFAULT_ENGINE, threads: int = 0
) -> dict[str, Engine]:
    """One engine per distinct model; languages sharing a model share the engine."""
    loaded: dict[ModelSpec, Engine] = {}
    engines: dict[str, Engine] = {}
    for lang, spec in specs.items():
        if spec not in loaded:
            loaded[spec] = load_engine(engine, locate(model_dir, spec), threads=threads)
        engines[lang] = loaded[spec]
    return engines


def build_translator(
    model_dir: Path,
    specs: dict[str, ModelSpec],
    *,
    engine: str = DEFAULT_ENGINE,
    threads: int = 0,
    num_beams: int = 4,
    detector_method: str = "combined",
    max_batch_segments: int = 32,
    max_batch_tokens: int = 8192,
) -> DocumentTranslator:
    """The document translator with its engines and the language gate in-process."""
    return DocumentTranslator(
        load_engines(model_dir, specs, engine=engine, threads=threads),
        LanguageGate.with_detector(detector_method),
        num_beams=num_beams,
        max_batch_segments=max_batch_segments,
        max_batch_tokens=max_batch_tokens,
    )
