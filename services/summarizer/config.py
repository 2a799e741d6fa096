"""Summarizer settings from NEWSDESK_SUMMARIZER_* (and NEWSDESK_MODEL_DIR); the
registry (newsdesk_shared/env.py) holds each one's default, range and meaning."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsdesk_shared.limits import SUMMARIZER
from services.common.batching.batcher import BatchConfig, batch_config_from_env
from services.common.config import (
    LogConfig,
    ServerConfig,
    env_int,
    env_parsed,
    env_path,
)
from services.common.engines.base import EngineSettings, engine_settings_from_env
from services.common.models.store import ModelSpec
from services.common.text.glossary import Glossary, house_style_from_env
from services.summarizer.summary import SummaryOptions

PREFIX = "NEWSDESK_SUMMARIZER_"
# SummaryOptions field → the variable of its server default.
OPTION_VARIABLES = {
    "summary_max_words": "SUMMARY_WORDS",
    "headline_max_words": "HEADLINE_WORDS",
    "bullet_count": "BULLETS",
    "num_beams": "NUM_BEAMS",
    "bullet_max_words": "BULLET_WORDS",
}


def model_spec(environ: Mapping[str, str]) -> ModelSpec:
    """NEWSDESK_SUMMARIZER_MODEL as a spec."""
    return env_parsed(environ, f"{PREFIX}MODEL", ModelSpec.parse)


def default_options(environ: Mapping[str, str]) -> SummaryOptions:
    """The options a request gets for the fields it leaves unset."""
    # Only the numeric options come from the environment (reject_unsupported is per
    # request): typed Any, since SummaryOptions also has a bool field.
    values: dict[str, Any] = {
        limit.name: env_int(environ, PREFIX + OPTION_VARIABLES[limit.name])
        for limit in SUMMARIZER.options()
    }
    return SummaryOptions(**values)


@dataclass(frozen=True)
class SummarizerConfig:
    """Everything the summarizer reads at start."""

    server: ServerConfig
    log: LogConfig
    model_dir: Path
    model: ModelSpec
    engine: EngineSettings
    batch: BatchConfig
    defaults: SummaryOptions
    max_chars: int
    # The house-style glossary of headline, summary and bullets; None when off.
    house_style: Glossary | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> SummarizerConfig:
        """Read the variables; raises ConfigError naming a bad one."""
        batch = batch_config_from_env(environ, PREFIX)
        return cls(
            server=ServerConfig.from_env(environ, PREFIX),
            log=LogConfig.from_env(environ),
            model_dir=env_path(environ, "NEWSDESK_MODEL_DIR"),
            model=model_spec(environ),
            batch=batch,
            engine=engine_settings_from_env(environ, PREFIX, batch.workers),
            defaults=default_options(environ),
            max_chars=env_int(environ, f"{PREFIX}MAX_CHARS"),
            house_style=house_style_from_env(environ, PREFIX),
        )
