"""Translator settings from NEWSDESK_TRANSLATOR_* (and NEWSDESK_MODEL_DIR)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from services.common.config import (
    ConfigError,
    LogConfig,
    ServerConfig,
    env_choice,
    env_int,
    env_str,
)
from services.common.models import ModelSpec

PREFIX = "NEWSDESK_TRANSLATOR_"
DEFAULT_PORT = 50052
DEFAULT_METRICS_PORT = 9102
# Defaults: opus-mt per source language. The ru-en revision is the commit of
# 2022-07-07; uk-en is resolved at `models pull` time and recorded in the model
# directory's refs/ (pin it by setting NEWSDESK_TRANSLATOR_MODEL_UK=ID@COMMIT).
# Helsinki-NLP/opus-mt-tc-big-zle-en serves both with better FLORES-200 scores
# (39.2 / 35.2 BLEU against 28.6 / 29.4), at about 4x the compute: see README.
DEFAULT_MODELS = {
    "uk": "Helsinki-NLP/opus-mt-uk-en@main",
    "ru": "Helsinki-NLP/opus-mt-ru-en@ed0317f25efd4f02ddd14874740600b267cb3a76",
}


def default_model_dir(environ: Mapping[str, str]) -> Path:
    """NEWSDESK_MODEL_DIR, or ~/.cache/newsdesk/models."""
    raw = env_str(environ, "NEWSDESK_MODEL_DIR", "")
    return Path(raw).expanduser() if raw else Path.home() / ".cache" / "newsdesk" / "models"


def model_specs(environ: Mapping[str, str]) -> dict[str, ModelSpec]:
    """The model per source language, from NEWSDESK_TRANSLATOR_MODEL_UK / _RU."""
    specs = {}
    for lang, default in DEFAULT_MODELS.items():
        name = f"{PREFIX}MODEL_{lang.upper()}"
        try:
            specs[lang] = ModelSpec.parse(env_str(environ, name, default), name=name)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
    return specs


@dataclass(frozen=True)
class TranslatorConfig:
    """Everything the translator reads at start."""

    server: ServerConfig
    log: LogConfig
    model_dir: Path
    models: dict[str, ModelSpec]
    num_beams: int
    threads: int
    max_chars: int
    max_batch: int
    max_batch_segments: int
    max_batch_tokens: int
    detector_method: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> TranslatorConfig:
        """Read the variables; raises ConfigError naming a bad one."""
        return cls(
            server=ServerConfig.from_env(
                environ, PREFIX, port=DEFAULT_PORT, metrics_port=DEFAULT_METRICS_PORT
            ),
            log=LogConfig.from_env(environ),
            model_dir=default_model_dir(environ),
            models=model_specs(environ),
            num_beams=env_int(environ, f"{PREFIX}NUM_BEAMS", 4, minimum=1, maximum=16),
            threads=env_int(environ, f"{PREFIX}THREADS", 0, minimum=0, maximum=256),
            max_chars=env_int(environ, f"{PREFIX}MAX_CHARS", 100_000, minimum=1),
            max_batch=env_int(environ, f"{PREFIX}MAX_BATCH", 32, minimum=1),
            max_batch_segments=env_int(
                environ, f"{PREFIX}MAX_BATCH_SEGMENTS", 16, minimum=1, maximum=1024
            ),
            max_batch_tokens=env_int(environ, f"{PREFIX}MAX_BATCH_TOKENS", 4096, minimum=64),
            detector_method=env_choice(
                environ, f"{PREFIX}DETECTOR_METHOD", "combined", {"combined", "langdetect"}
            ),
        )
