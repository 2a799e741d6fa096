"""Detector settings from NEWSDESK_DETECTOR_* environment variables."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from services.common.config import LogConfig, ServerConfig, env_choice, env_int

PREFIX = "NEWSDESK_DETECTOR_"
DEFAULT_PORT = 50051
DEFAULT_METRICS_PORT = 9101


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

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> DetectorConfig:
        """Read the variables; raises ConfigError naming a bad one."""
        return cls(
            server=ServerConfig.from_env(
                environ, PREFIX, port=DEFAULT_PORT, metrics_port=DEFAULT_METRICS_PORT
            ),
            log=LogConfig.from_env(environ),
            method=env_choice(environ, f"{PREFIX}METHOD", "combined", {"combined", "langdetect"}),
            max_chars=env_int(environ, f"{PREFIX}MAX_CHARS", 100_000, minimum=1),
            max_batch=env_int(environ, f"{PREFIX}MAX_BATCH", 1024, minimum=1),
            max_queue_chars=env_int(environ, f"{PREFIX}MAX_QUEUE_CHARS", 2_000_000, minimum=1000),
        )
