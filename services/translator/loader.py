"""Builds the translator's domain objects from its config: engines per language (one
per distinct model) and the document pipeline with the in-process detector."""

from __future__ import annotations

from pathlib import Path

from services.common.models import ModelSpec, locate
from services.detector.factory import build_detector
from services.translator.engine import MarianEngine, ModelRef, TranslationEngine
from services.translator.pipeline import DocumentTranslator


def load_engines(
    model_dir: Path, specs: dict[str, ModelSpec], *, num_beams: int = 4
) -> dict[str, TranslationEngine]:
    """One MarianEngine per distinct model; languages sharing a model share the engine."""
    loaded: dict[ModelSpec, TranslationEngine] = {}
    engines: dict[str, TranslationEngine] = {}
    for lang, spec in specs.items():
        if spec not in loaded:
            local = locate(model_dir, spec)
            ref = ModelRef(spec.repo_id, local.commit, "transformers-fp32")
            loaded[spec] = MarianEngine(local.path, ref, num_beams=num_beams)
        engines[lang] = loaded[spec]
    return engines


def build_translator(
    model_dir: Path,
    specs: dict[str, ModelSpec],
    *,
    num_beams: int = 4,
    detector_method: str = "combined",
    max_batch_segments: int = 16,
    max_batch_tokens: int = 4096,
) -> DocumentTranslator:
    """The document translator with its engines and the detector's logic in-process."""
    detector = build_detector(detector_method)

    def detect(text: str) -> tuple[str, float, bool]:
        result = detector.detect(text)
        return result.language, result.confidence, result.reliable

    return DocumentTranslator(
        load_engines(model_dir, specs, num_beams=num_beams),
        detect,
        max_batch_segments=max_batch_segments,
        max_batch_tokens=max_batch_tokens,
    )
