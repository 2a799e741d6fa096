"""Configuration from environment variables, read once into frozen dataclasses.

A bad value raises ConfigError naming the variable and the value: never a silent
fallback to a default.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from services.common.text.glossary import DEFAULT_HOUSE_STYLE, Glossary, GlossaryError

if TYPE_CHECKING:
    from services.common.batching.batcher import BatchConfig
    from services.common.engines.base import EngineSettings


class ConfigError(ValueError):
    """A configuration variable has a value the service cannot use."""


def env_str(environ: Mapping[str, str], name: str, default: str) -> str:
    """The variable's value, or default when unset or empty."""
    value = environ.get(name, "").strip()
    return value or default


def env_int(
    environ: Mapping[str, str],
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    """The variable as an int within [minimum, maximum], or default when unset."""
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not an integer") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name}={raw!r} is below the minimum {minimum}")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{name}={raw!r} is above the maximum {maximum}")
    return value


def env_float(
    environ: Mapping[str, str], name: str, default: float, *, minimum: float = 0.0
) -> float:
    """The variable as a float >= minimum, or default when unset."""
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number") from None
    if value < minimum:
        raise ConfigError(f"{name}={raw!r} is below the minimum {minimum}")
    return value


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_bool(environ: Mapping[str, str], name: str, default: bool) -> bool:
    """The variable as a boolean (1/0, true/false, yes/no, on/off), or default."""
    raw = environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean (use true or false)")


def env_choice(environ: Mapping[str, str], name: str, default: str, choices: set[str]) -> str:
    """The variable, which must be one of choices, or default."""
    value = env_str(environ, name, default)
    if value not in choices:
        raise ConfigError(f"{name}={value!r} is not one of {sorted(choices)}")
    return value


@dataclass(frozen=True)
class LogConfig:
    """How a process logs: NEWSDESK_LOG_LEVEL and NEWSDESK_LOG_FORMAT (json|console|auto)."""

    level: str = "INFO"
    format: str = "auto"

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> LogConfig:
        """Read the logging variables."""
        level = env_choice(
            environ, "NEWSDESK_LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"}
        )
        fmt = env_choice(environ, "NEWSDESK_LOG_FORMAT", "auto", {"json", "console", "auto"})
        return cls(level=level, format=fmt)


@dataclass(frozen=True)
class ServerConfig:
    """Settings every gRPC service shares, read with the service's prefix.

    With prefix NEWSDESK_TRANSLATOR_ the port is NEWSDESK_TRANSLATOR_PORT, and so on.
    """

    host: str
    port: int
    metrics_port: int
    max_concurrent_rpcs: int
    max_message_bytes: int
    grace_seconds: float
    workers: int
    max_queue: int
    # TLS (cert + key; a client CA makes it mutual) and bearer tokens: off when empty.
    tls_cert: str = ""
    tls_key: str = ""
    tls_client_ca: str = ""
    token_file: str = ""
    # Connections are closed (after in-flight calls, up to the grace) this long after
    # they open, so clients re-resolve and spread onto replicas added since.
    max_connection_age_s: float = 300.0
    max_connection_age_grace_s: float = 30.0
    # The most one call may take, whatever deadline its caller sent (or none): work that
    # cannot finish by then is refused at admission or dropped from the queue.
    max_request_s: float = 300.0
    # With PORT=0 the OS picks a free port; the server writes the one it got here.
    port_file: str = ""

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str], prefix: str, *, port: int, metrics_port: int
    ) -> ServerConfig:
        """Read PREFIX_HOST, _PORT, _METRICS_PORT (0 disables), _MAX_CONCURRENT_RPCS,
        _MAX_MESSAGE_BYTES, _GRACE_SECONDS, _WORKERS, _MAX_QUEUE, _TLS_CERT, _TLS_KEY,
        _TLS_CLIENT_CA, _TOKEN_FILE, _MAX_CONNECTION_AGE_SECONDS,
        _MAX_CONNECTION_AGE_GRACE_SECONDS, _MAX_REQUEST_SECONDS and _PORT_FILE."""
        files = {
            name: env_str(environ, f"{prefix}{name.upper()}", "")
            for name in ("tls_cert", "tls_key", "tls_client_ca", "token_file")
        }
        for name, path in files.items():
            if path and not os.access(path, os.R_OK):
                raise ConfigError(f"{prefix}{name.upper()}={path!r} is not a readable file")
        if files["token_file"]:
            from services.common.serving.security import TokenFileError, check_token_file

            try:
                check_token_file(files["token_file"])
            except TokenFileError as exc:
                raise ConfigError(f"{prefix}TOKEN_FILE: {exc}") from None
        if bool(files["tls_cert"]) != bool(files["tls_key"]):
            raise ConfigError(f"{prefix}TLS_CERT and {prefix}TLS_KEY must be set together")
        if files["tls_client_ca"] and not files["tls_cert"]:
            raise ConfigError(f"{prefix}TLS_CLIENT_CA needs {prefix}TLS_CERT and _TLS_KEY")
        return cls(
            **files,
            port_file=env_str(environ, f"{prefix}PORT_FILE", ""),
            max_connection_age_s=env_float(environ, f"{prefix}MAX_CONNECTION_AGE_SECONDS", 300.0),
            max_connection_age_grace_s=env_float(
                environ, f"{prefix}MAX_CONNECTION_AGE_GRACE_SECONDS", 30.0
            ),
            max_request_s=env_float(environ, f"{prefix}MAX_REQUEST_SECONDS", 300.0, minimum=1.0),
            host=env_str(environ, f"{prefix}HOST", "0.0.0.0"),
            port=env_int(environ, f"{prefix}PORT", port, minimum=0, maximum=65535),
            metrics_port=env_int(
                environ, f"{prefix}METRICS_PORT", metrics_port, minimum=0, maximum=65535
            ),
            max_concurrent_rpcs=env_int(
                environ, f"{prefix}MAX_CONCURRENT_RPCS", 256, minimum=1, maximum=10_000
            ),
            max_message_bytes=env_int(
                environ, f"{prefix}MAX_MESSAGE_BYTES", 16 * 1024 * 1024, minimum=1024
            ),
            grace_seconds=env_float(environ, f"{prefix}GRACE_SECONDS", 20.0),
            workers=env_int(environ, f"{prefix}WORKERS", 1, minimum=1, maximum=64),
            max_queue=env_int(environ, f"{prefix}MAX_QUEUE", 32, minimum=1, maximum=100_000),
        )


def batch_config_from_env(
    environ: Mapping[str, str],
    prefix: str,
    *,
    max_batch_tokens: int,
    max_batch_items: int,
    max_queue_tokens: int,
    max_wait_ms: float = 50.0,
) -> BatchConfig:
    """The batcher budgets of a model service: PREFIX_MAX_BATCH_TOKENS (padded tokens
    per batch), _MAX_BATCH_SEGMENTS (jobs per batch), _MAX_BULK_SEGMENTS (jobs of one
    request that needs several batches per batch; 0 = half a batch), _BATCH_MAX_WAIT_MS (how long a
    batch may wait to fill while jobs keep arriving, at most 10 ms after the newest),
    _MAX_QUEUE_TOKENS (admission bound) and _WORKERS (model
    workers, each with its own engine replica)."""
    from services.common.batching.batcher import BatchConfig

    config = BatchConfig(
        max_batch_tokens=env_int(
            environ, f"{prefix}MAX_BATCH_TOKENS", max_batch_tokens, minimum=64
        ),
        max_batch_items=env_int(
            environ, f"{prefix}MAX_BATCH_SEGMENTS", max_batch_items, minimum=1, maximum=1024
        ),
        max_bulk_items=env_int(environ, f"{prefix}MAX_BULK_SEGMENTS", 0, minimum=0),
        max_wait_s=env_float(environ, f"{prefix}BATCH_MAX_WAIT_MS", max_wait_ms) / 1000.0,
        max_queue_tokens=env_int(
            environ, f"{prefix}MAX_QUEUE_TOKENS", max_queue_tokens, minimum=64
        ),
        workers=env_int(environ, f"{prefix}WORKERS", 1, minimum=1, maximum=64),
    )
    if config.max_queue_tokens < config.max_batch_tokens:
        raise ConfigError(
            f"{prefix}MAX_QUEUE_TOKENS={config.max_queue_tokens} is below "
            f"{prefix}MAX_BATCH_TOKENS={config.max_batch_tokens}: the queue could never "
            "hold one full batch"
        )
    return config


def engine_settings_from_env(
    environ: Mapping[str, str], prefix: str, workers: int
) -> EngineSettings:
    """PREFIX_ENGINE (ctranslate2 | transformers), PREFIX_COMPUTE_TYPE (int8,
    int8_float32 or float32 for ctranslate2; float32 for transformers; default: the
    engine's first) and PREFIX_THREADS (per worker; 0 = the CPU quota shared out)."""
    from services.common.engines.base import COMPUTE_TYPES, DEFAULT_ENGINE, ENGINES, EngineSettings

    name = env_choice(environ, f"{prefix}ENGINE", DEFAULT_ENGINE, set(ENGINES))
    compute_type = env_choice(
        environ, f"{prefix}COMPUTE_TYPE", COMPUTE_TYPES[name][0], set(COMPUTE_TYPES[name])
    )
    threads = env_int(environ, f"{prefix}THREADS", 0, minimum=0, maximum=256)
    return EngineSettings(name, compute_type, threads, workers)


G = TypeVar("G")


def glossary_from_env(
    environ: Mapping[str, str],
    switch: str,
    default: Path,
    load: Callable[[Path], G],
) -> G | None:
    """A glossary the service ships: `switch` (default true; false turns it off, None)
    and `switch`_FILE (a TSV replacing the shipped `default`); a file that cannot be
    read or used is a ConfigError naming the variable and the line."""
    if not env_bool(environ, switch, True):
        return None
    name = f"{switch}_FILE"
    path = Path(env_str(environ, name, str(default)))
    try:
        return load(path)
    except OSError as exc:
        raise ConfigError(f"{name}={str(path)!r} cannot be read: {exc.strerror}") from None
    except GlossaryError as exc:
        raise ConfigError(f"{name}={str(path)!r}: {exc}") from None


def house_style_from_env(environ: Mapping[str, str], prefix: str) -> Glossary | None:
    """The server's house-style glossary: {prefix}HOUSE_STYLE (default true; false
    turns it off) and {prefix}HOUSE_STYLE_FILE (a variant<TAB>preferred<TAB>note TSV;
    default: the shipped Ukrainian place names). None when off."""
    return glossary_from_env(
        environ, f"{prefix}HOUSE_STYLE", DEFAULT_HOUSE_STYLE, Glossary.from_tsv
    )
