"""Configuration from environment variables, read once into frozen dataclasses.

Every variable is read through its entry in the registry (newsdesk_shared/env.py),
which holds its default and the values it accepts: a name that is not registered
cannot be read. A bad value raises ConfigError naming the variable and the value —
never a silent fallback to a default. This module holds the readers, ServerConfig and
LogConfig; the builders of other modules' settings sit beside what they build
(batch_config_from_env in batching/batcher.py, engine_settings_from_env in
engines/base.py, glossary_from_env and house_style_from_env in text/glossary.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from newsdesk_shared.env import REGISTRY, lookup
from newsdesk_shared.settings import Choice, ConfigError, Flag, Integer, Number, Text

__all__ = [
    "ConfigError",
    "LogConfig",
    "ServerConfig",
    "env_bool",
    "env_choice",
    "env_float",
    "env_int",
    "env_parsed",
    "env_path",
    "env_str",
]


def env_str(environ: Mapping[str, str], name: str) -> str:
    """The variable's value, or its default when unset or empty."""
    return lookup(name, Text).read(environ)


def env_path(environ: Mapping[str, str], name: str) -> Path:
    """The variable as a path (`~` expanded), or its default."""
    return Path(env_str(environ, name)).expanduser()


T = TypeVar("T")


def env_parsed(environ: Mapping[str, str], name: str, parse: Callable[..., T]) -> T:
    """The variable (or its default) through a domain parser, `parse(value, name=name)`
    (ModelSpec.parse); the ValueError it raises becomes a ConfigError."""
    try:
        return parse(env_str(environ, name), name=name)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def env_int(environ: Mapping[str, str], name: str, default: int | None = None) -> int:
    """The variable as an int within its registered range, or its default (`default`,
    when given, stands in for the registry's: a test's own port)."""
    return lookup(name, Integer).read(environ, default)


def env_float(environ: Mapping[str, str], name: str) -> float:
    """The variable as a number at least its registered minimum, or its default."""
    return lookup(name, Number).read(environ)


def env_bool(environ: Mapping[str, str], name: str) -> bool:
    """The variable as a boolean (1/0, true/false, yes/no, on/off), or its default."""
    return lookup(name, Flag).read(environ)


def env_choice(
    environ: Mapping[str, str],
    name: str,
    default: str | None = None,
    choices: Collection[str] | None = None,
) -> str:
    """The variable, one of its registered choices, or its default. A caller that still
    passes `default` and `choices` must pass the registry's (checked: one source)."""
    setting = lookup(name, Choice)
    if (default is not None and default != setting.default) or (
        choices is not None and set(choices) != set(setting.choices)
    ):
        raise ValueError(f"{name}: the registry says {setting.default!r} of {setting.choices}")
    return setting.read(environ)


@dataclass(frozen=True)
class LogConfig:
    """How a process logs: NEWSDESK_LOG_LEVEL and NEWSDESK_LOG_FORMAT (json|console|auto)."""

    level: str = "INFO"
    format: str = "auto"

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> LogConfig:
        """Read the logging variables."""
        return cls(
            level=env_choice(environ, "NEWSDESK_LOG_LEVEL"),
            format=env_choice(environ, "NEWSDESK_LOG_FORMAT"),
        )


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
        cls,
        environ: Mapping[str, str],
        prefix: str,
        *,
        port: int | None = None,
        metrics_port: int | None = None,
    ) -> ServerConfig:
        """Read PREFIX_HOST, _PORT, _METRICS_PORT (0 disables), _MAX_CONCURRENT_RPCS,
        _MAX_MESSAGE_BYTES, _GRACE_SECONDS, _TLS_CERT, _TLS_KEY, _TLS_CLIENT_CA,
        _TOKEN_FILE, _MAX_CONNECTION_AGE_SECONDS, _MAX_CONNECTION_AGE_GRACE_SECONDS,
        _MAX_REQUEST_SECONDS and _PORT_FILE. `port` and `metrics_port` replace the
        registry's defaults (a test's)."""
        files = {
            name: env_str(environ, f"{prefix}{name.upper()}")
            for name in ("tls_cert", "tls_key", "tls_client_ca", "token_file")
        }
        for name, path in files.items():
            # A directory passes os.access; caught here, not as IsADirectoryError at bind.
            if path and os.path.isdir(path):
                raise ConfigError(f"{prefix}{name.upper()}={path!r} is a directory, not a file")
            if path and not os.access(path, os.R_OK):
                raise ConfigError(f"{prefix}{name.upper()}={path!r} is not a readable file")
        if files["token_file"]:
            # The one import of a serving module: a token file without a token stops the
            # service here, before any model loads.
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
            port_file=env_str(environ, f"{prefix}PORT_FILE"),
            max_connection_age_s=env_float(environ, f"{prefix}MAX_CONNECTION_AGE_SECONDS"),
            max_connection_age_grace_s=env_float(
                environ, f"{prefix}MAX_CONNECTION_AGE_GRACE_SECONDS"
            ),
            max_request_s=env_float(environ, f"{prefix}MAX_REQUEST_SECONDS"),
            host=env_str(environ, f"{prefix}HOST"),
            port=env_int(environ, f"{prefix}PORT", port),
            metrics_port=env_int(environ, f"{prefix}METRICS_PORT", metrics_port),
            max_concurrent_rpcs=env_int(environ, f"{prefix}MAX_CONCURRENT_RPCS"),
            max_message_bytes=env_int(environ, f"{prefix}MAX_MESSAGE_BYTES"),
            grace_seconds=env_float(environ, f"{prefix}GRACE_SECONDS"),
        )


def unknown_variables(environ: Mapping[str, str]) -> list[str]:
    """The NEWSDESK_* variables set in `environ` that no part of newsdesk reads: a typo,
    or a variable that was removed (the registry, newsdesk_shared/env.py, lists them
    all). They are warned about at start, never silently ignored."""
    return sorted(name for name in environ if name.startswith("NEWSDESK_") and name not in REGISTRY)
