"""Builds the summarizer's domain objects from its config."""

from __future__ import annotations

from pathlib import Path

from services.common.models import ModelSpec, locate
from services.summarizer.brief import BriefWriter
from services.summarizer.engine import BartEngine
from services.translator.engine import ModelRef


def build_writer(model_dir: Path, spec: ModelSpec) -> BriefWriter:
    """The brief writer over the BART model found in model_dir."""
    local = locate(model_dir, spec)
    return BriefWriter(
        BartEngine(local.path, ModelRef(spec.repo_id, local.commit, "transformers-fp32"))
    )
