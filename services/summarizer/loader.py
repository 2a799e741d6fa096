"""Builds the summarizer's domain objects from its config."""

from __future__ import annotations

from pathlib import Path

from services.common.engine import DEFAULT_ENGINE, load_engine
from services.common.models import ModelSpec, locate
from services.summarizer.brief import BriefWriter


def build_writer(
    model_dir: Path, spec: ModelSpec, *, engine: str = DEFAULT_ENGINE, threads: int = 0
) -> BriefWriter:
    """The brief writer over the model found in model_dir, through the engine registry."""
    return BriefWriter(load_engine(engine, locate(model_dir, spec), threads=threads))
