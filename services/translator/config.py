"""Translator settings from NEWSDESK_TRANSLATOR_* (and NEWSDESK_MODEL_DIR)."""

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
    glossary_from_env,
    house_style_from_env,
)
from services.common.engines.base import EngineSettings
from services.common.models.store import ModelSpec, default_model_dir
from services.common.text.glossary import Glossary
from services.translator.terms import DEFAULT_TERMS, TermGlossary

PREFIX = "NEWSDESK_TRANSLATOR_"
DEFAULT_PORT = 50052
DEFAULT_METRICS_PORT = 9102
# Default: Helsinki-NLP/opus-mt-tc-big-zle-en for both languages (one transformer-big
# model for the East Slavic languages; FLORES-200 devtest 39.2 uk / 35.2 ru BLEU against
# 28.6 / 29.4 for opus-mt-uk-en / opus-mt-ru-en; CC-BY 4.0). Its commit is resolved at
# `models pull` and recorded in the model directory's refs/ (pin it with
# NEWSDESK_TRANSLATOR_MODEL_UK/_RU=Helsinki-NLP/opus-mt-tc-big-zle-en@COMMIT). It also
# reads Belarusian, at lower quality (see README). The fast option, at about a quarter
# of the compute: Helsinki-NLP/opus-mt-uk-en and Helsinki-NLP/opus-mt-ru-en@ed0317f25efd4f02ddd14874740600b267cb3a76.
DEFAULT_MODEL = "Helsinki-NLP/opus-mt-tc-big-zle-en@main"
DEFAULT_MODELS = {"uk": DEFAULT_MODEL, "ru": DEFAULT_MODEL}


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


def _batch(environ: Mapping[str, str]) -> BatchConfig:
    """The batcher budgets (see batch_config_from_env)."""
    return batch_config_from_env(
        environ,
        PREFIX,
        # 16 sentences at the model's 512-token limit. Up to 32 jobs: 16 calls'
        # "sentences" are often 18 or 20 sentences, and on CPU a step costs little
        # more for 20 rows than for 16, while 2 stragglers alone cost a batch.
        max_batch_tokens=8192,
        max_batch_items=32,
        max_queue_tokens=393_216,
    )


def terms_from_env(environ: Mapping[str, str]) -> TermGlossary | None:
    """The protected-term glossary: {PREFIX}TERMS (default true) and {PREFIX}TERMS_FILE
    (a language<TAB>pattern<TAB>english<TAB>source TSV; default the shipped one)."""
    return glossary_from_env(environ, f"{PREFIX}TERMS", DEFAULT_TERMS, TermGlossary.from_tsv)


@dataclass(frozen=True)
class TranslatorConfig:
    """Everything the translator reads at start."""

    server: ServerConfig
    log: LogConfig
    model_dir: Path
    models: dict[str, ModelSpec]
    engine: EngineSettings
    num_beams: int
    max_chars: int
    max_batch: int
    batch: BatchConfig
    detector_method: str
    # The house-style glossary of English output; None when turned off.
    house_style: Glossary | None = None
    # The plausibility gate: "retry" (default), "flag" or "off".
    plausibility: str = "retry"
    # The translation cache's bound in bytes (0: off).
    cache_bytes: int = 64 * 2**20
    # Protected source terms masked through the model; None when turned off.
    terms: TermGlossary | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> TranslatorConfig:
        """Read the variables; raises ConfigError naming a bad one."""
        batch = _batch(environ)
        return cls(
            server=ServerConfig.from_env(
                environ, PREFIX, port=DEFAULT_PORT, metrics_port=DEFAULT_METRICS_PORT
            ),
            log=LogConfig.from_env(environ),
            model_dir=default_model_dir(environ),
            models=model_specs(environ),
            num_beams=env_int(environ, f"{PREFIX}NUM_BEAMS", 4, minimum=1, maximum=16),
            max_chars=env_int(environ, f"{PREFIX}MAX_CHARS", 100_000, minimum=1),
            max_batch=env_int(environ, f"{PREFIX}MAX_BATCH", 32, minimum=1),
            # A 100,000-character document is ~30,000 tokens: the queue holds a few.
            batch=batch,
            engine=engine_settings_from_env(environ, PREFIX, batch.workers),
            detector_method=env_choice(
                environ, f"{PREFIX}DETECTOR_METHOD", "combined", {"combined", "langdetect"}
            ),
            house_style=house_style_from_env(environ, PREFIX),
            plausibility=env_choice(
                environ, f"{PREFIX}PLAUSIBILITY", "retry", {"retry", "flag", "off"}
            ),
            cache_bytes=env_int(environ, f"{PREFIX}CACHE_MB", 64, minimum=0) * 2**20,
            terms=terms_from_env(environ),
        )
