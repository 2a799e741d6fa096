"""Detector settings from NEWSDESK_DETECTOR_* environment variables (see the registry,
newsdesk_shared/env.py, for each one's default, range and meaning)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from newsdesk_shared.env import deprecated_in_use
from services.common.config import LogConfig, ServerConfig, env_choice, env_int

PREFIX = "NEWSDESK_DETECTOR_"


@dataclass(frozen=True)
class DetectorConfig:
    """Everything the detector reads at start."""

    server: ServerConfig
    log: LogConfig
    method: str
    max_chars: int
    max_batch: int
    # Admission bound in characters: queued detection work, and the most one request
    # may hold (about 3 s of detection on one core).
    max_queue_chars: int = 2_000_000
    # Detection calls admitted at once (queued or running), and the threads that run them.
    max_queue: int = 32
    threads: int = 1
    # Deprecated variables set in the environment: (old name, new name), logged at start.
    deprecated: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> DetectorConfig:
        """Read the variables; raises ConfigError naming a bad one."""
        return cls(
            server=ServerConfig.from_env(environ, PREFIX),
            log=LogConfig.from_env(environ),
            method=env_choice(environ, f"{PREFIX}METHOD"),
            max_chars=env_int(environ, f"{PREFIX}MAX_CHARS"),
            max_batch=env_int(environ, f"{PREFIX}MAX_BATCH"),
            max_queue_chars=env_int(environ, f"{PREFIX}MAX_QUEUE_CHARS"),
            max_queue=env_int(environ, f"{PREFIX}MAX_QUEUE"),
            # NEWSDESK_DETECTOR_WORKERS, its old name, is read when this one is unset.
            threads=env_int(environ, f"{PREFIX}DETECTION_THREADS"),
            deprecated=tuple(
                (old.name, old.replaced_by) for old in deprecated_in_use(environ, ["detector"])
            ),
        )
