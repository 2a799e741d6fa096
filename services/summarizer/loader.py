"""Builds the summarizer's domain objects from its config."""

from __future__ import annotations

from pathlib import Path

from services.common.engines.base import EngineSettings, load_engine
from services.common.models.store import ModelSpec
from services.summarizer.summary import SummaryWriter


def build_writer(
    model_dir: Path, spec: ModelSpec, settings: EngineSettings | None = None
) -> SummaryWriter:
    """The summary writer over the model found in model_dir, through the engine registry."""
    return SummaryWriter(load_engine(settings or EngineSettings(), model_dir, spec))
