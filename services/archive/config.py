"""Archive settings from NEWSDESK_ARCHIVE_* environment variables (see the registry,
newsdesk_shared/archive_env.py, for each one's default, range and meaning)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from services.common.config import (
    ConfigError,
    LogConfig,
    ServerConfig,
    env_float,
    env_int,
    env_str,
)

PREFIX = "NEWSDESK_ARCHIVE_"


@dataclass(frozen=True)
class ArchiveConfig:
    """Everything the archive reads at start."""

    server: ServerConfig
    log: LogConfig
    url: str
    retention_days: int = 0
    purge_interval_s: float = 3600.0
    half_life_days: float = 365.0
    max_chars: int = 200_000
    max_batch: int = 100
    db_threads: int = 4

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> ArchiveConfig:
        """Read the variables; raises ConfigError naming a bad one."""
        from services.archive.stores import StoreError, check_url

        url = env_str(environ, f"{PREFIX}URL")
        try:
            check_url(url)
        except StoreError as exc:
            raise ConfigError(f"{PREFIX}URL: {exc}") from None
        return cls(
            server=ServerConfig.from_env(environ, PREFIX),
            log=LogConfig.from_env(environ),
            url=url,
            retention_days=env_int(environ, f"{PREFIX}RETENTION_DAYS"),
            purge_interval_s=env_float(environ, f"{PREFIX}PURGE_INTERVAL_SECONDS"),
            half_life_days=env_float(environ, f"{PREFIX}HALF_LIFE_DAYS"),
            max_chars=env_int(environ, f"{PREFIX}MAX_CHARS"),
            max_batch=env_int(environ, f"{PREFIX}MAX_BATCH"),
            db_threads=env_int(environ, f"{PREFIX}DB_THREADS"),
        )
