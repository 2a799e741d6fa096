"""Summarizer settings from NEWSDESK_SUMMARIZER_* (and NEWSDESK_MODEL_DIR)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from services.common.batching.batcher import BatchConfig
from services.common.config import (
    ConfigError,
    LogConfig,
    ServerConfig,
    batch_config_from_env,
    engine_settings_from_env,
    env_choice,
    env_int,
    env_str,
    house_style_from_env,
)
from services.common.engines.base import EngineSettings
from services.common.models.store import ModelSpec, default_model_dir
from services.common.text.glossary import Glossary
from services.summarizer.brief import BriefOptions

PREFIX = "NEWSDESK_SUMMARIZER_"
DEFAULT_PORT = 50053
DEFAULT_METRICS_PORT = 9103
# distilbart-cnn-12-6 at its 2023-03-21 commit. Alternatives: facebook/bart-large-cnn
# (higher ROUGE, ~1.24x slower) and sshleifer/distilbart-cnn-6-6 (faster).
DEFAULT_MODEL = "sshleifer/distilbart-cnn-12-6@81307c8ebc2324cb13840e70673a7d20408c7fff"


def model_spec(environ: Mapping[str, str]) -> ModelSpec:
    """NEWSDESK_SUMMARIZER_MODEL as a spec."""
    name = f"{PREFIX}MODEL"
    try:
        return ModelSpec.parse(env_str(environ, name, DEFAULT_MODEL), name=name)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def _batch(environ: Mapping[str, str]) -> BatchConfig:
    """The batcher budgets (see batch_config_from_env)."""
    return batch_config_from_env(
        environ,
        PREFIX,
        max_batch_tokens=16_384,
        max_batch_items=16,
        max_queue_tokens=262_144,
    )


@dataclass(frozen=True)
class SummarizerConfig:
    """Everything the summarizer reads at start."""

    server: ServerConfig
    log: LogConfig
    model_dir: Path
    model: ModelSpec
    engine: EngineSettings
    batch: BatchConfig
    defaults: BriefOptions
    max_chars: int
    detector_method: str
    # The house-style glossary of headline, summary and bullets; None when off.
    house_style: Glossary | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> SummarizerConfig:
        """Read the variables; raises ConfigError naming a bad one."""
        batch = _batch(environ)
        return cls(
            server=ServerConfig.from_env(
                environ, PREFIX, port=DEFAULT_PORT, metrics_port=DEFAULT_METRICS_PORT
            ),
            log=LogConfig.from_env(environ),
            model_dir=default_model_dir(environ),
            model=model_spec(environ),
            # Budgets count beams: 16 rows is 4 full 1,024-token windows at beam 4, or
            # 16 greedy headline/bullet rewrites; ~200,000 characters queued.
            batch=batch,
            engine=engine_settings_from_env(environ, PREFIX, batch.workers),
            defaults=BriefOptions(
                summary_max_words=env_int(
                    environ, f"{PREFIX}SUMMARY_WORDS", 60, minimum=10, maximum=400
                ),
                headline_max_words=env_int(
                    environ, f"{PREFIX}HEADLINE_WORDS", 15, minimum=3, maximum=30
                ),
                bullet_count=env_int(environ, f"{PREFIX}BULLETS", 4, minimum=3, maximum=5),
                num_beams=env_int(environ, f"{PREFIX}NUM_BEAMS", 4, minimum=1, maximum=8),
                bullet_max_words=env_int(
                    environ, f"{PREFIX}BULLET_WORDS", 64, minimum=10, maximum=100
                ),
            ),
            max_chars=env_int(environ, f"{PREFIX}MAX_CHARS", 200_000, minimum=1),
            detector_method=env_choice(
                environ, f"{PREFIX}DETECTOR_METHOD", "combined", {"combined", "langdetect"}
            ),
            house_style=house_style_from_env(environ, PREFIX),
        )
