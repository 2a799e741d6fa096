"""Translator settings from NEWSDESK_TRANSLATOR_* (and NEWSDESK_MODEL_DIR); the
registry (newsdesk_shared/env.py) holds each one's default, range and meaning."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from services.common.batching.batcher import BatchConfig, batch_config_from_env
from services.common.config import (
    LogConfig,
    ServerConfig,
    env_bool,
    env_choice,
    env_int,
    env_parsed,
    env_path,
)
from services.common.engines.base import EngineSettings, engine_settings_from_env
from services.common.models.store import ModelSpec
from services.common.text.glossary import Glossary, house_style_from_env
from services.translator.names import NamesPolicy, names_from_env
from services.translator.options import PlausibilityMode
from services.translator.terms import TermGlossary, terms_from_env

PREFIX = "NEWSDESK_TRANSLATOR_"
LANGUAGES = ("uk", "ru")


def model_specs(environ: Mapping[str, str]) -> dict[str, ModelSpec]:
    """The model per source language, from NEWSDESK_TRANSLATOR_MODEL_UK / _RU."""
    return {
        lang: env_parsed(environ, f"{PREFIX}MODEL_{lang.upper()}", ModelSpec.parse)
        for lang in LANGUAGES
    }


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
    # The house-style glossary of English output; None when turned off.
    house_style: Glossary | None = None
    # The plausibility gate: retry (default), flag or off.
    plausibility: PlausibilityMode = PlausibilityMode.RETRY
    # The translation cache's bound in bytes (0: off).
    cache_bytes: int = 64 * 2**20
    # Protected source terms masked through the model; None when turned off.
    terms: TermGlossary | None = None
    # The entity layer: names found, masked and reported; None when turned off.
    names: NamesPolicy | None = None
    # Links, mentions, hashtags, emoji and code kept byte for byte through the model.
    verbatim: bool = True

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> TranslatorConfig:
        """Read the variables; raises ConfigError naming a bad one."""
        # A 100,000-character document is ~30,000 tokens: the queue holds a few.
        batch = batch_config_from_env(environ, PREFIX)
        if (
            env_choice(environ, f"{PREFIX}ENGINE") == "transformers"
            and not environ.get(f"{PREFIX}WORKERS", "").strip()
        ):
            # The default of 2 workers pays on ctranslate2, whose workers share the
            # weights; a transformers worker loads its own copy of each model: 1.
            batch = replace(batch, workers=1)
        return cls(
            server=ServerConfig.from_env(environ, PREFIX),
            log=LogConfig.from_env(environ),
            model_dir=env_path(environ, "NEWSDESK_MODEL_DIR"),
            models=model_specs(environ),
            num_beams=env_int(environ, f"{PREFIX}NUM_BEAMS"),
            max_chars=env_int(environ, f"{PREFIX}MAX_CHARS"),
            max_batch=env_int(environ, f"{PREFIX}MAX_BATCH"),
            batch=batch,
            engine=engine_settings_from_env(environ, PREFIX, batch.workers),
            house_style=house_style_from_env(environ, PREFIX),
            plausibility=PlausibilityMode(
                env_choice(
                    environ, f"{PREFIX}PLAUSIBILITY", "retry", {m.value for m in PlausibilityMode}
                )
            ),
            cache_bytes=env_int(environ, f"{PREFIX}CACHE_MB") * 2**20,
            terms=terms_from_env(environ),
            names=names_from_env(environ, PREFIX),
            verbatim=env_bool(environ, f"{PREFIX}VERBATIM"),
        )
