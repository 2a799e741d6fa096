"""Where the services are and how to reach them: arguments or NEWSDESK_*_ADDR."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass

import grpc

DEFAULT_ADDRESSES = {
    "detector": "localhost:50051",
    "translator": "localhost:50052",
    "summarizer": "localhost:50053",
}
ENV_NAMES = {
    "detector": "NEWSDESK_DETECTOR_ADDR",
    "translator": "NEWSDESK_TRANSLATOR_ADDR",
    "summarizer": "NEWSDESK_SUMMARIZER_ADDR",
}
# Retries UNAVAILABLE only (never DEADLINE_EXCEEDED), with exponential backoff, and
# balances over every address a dns:/// target resolves to (scaled-out deployments
# behind a Kubernetes headless Service).
SERVICE_CONFIG = {
    "loadBalancingConfig": [{"round_robin": {}}],
    "methodConfig": [
        {
            "name": [{}],
            "retryPolicy": {
                "maxAttempts": 4,
                "initialBackoff": "0.2s",
                "maxBackoff": "3s",
                "backoffMultiplier": 2,
                "retryableStatusCodes": ["UNAVAILABLE"],
            },
        }
    ],
}


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def transport_from_env(env: Mapping[str, str]) -> dict[str, object]:
    """TLS and token settings from the NEWSDESK_* client variables (see from_env)."""
    values: dict[str, object] = {"tls": env.get("NEWSDESK_TLS", "").lower() in {"1", "true", "yes"}}
    if env.get("NEWSDESK_CA_FILE"):
        values["root_certificates"] = _read(env["NEWSDESK_CA_FILE"])
        values["tls"] = True
    if env.get("NEWSDESK_CLIENT_CERT") and env.get("NEWSDESK_CLIENT_KEY"):
        values["client_cert"] = _read(env["NEWSDESK_CLIENT_CERT"])
        values["client_key"] = _read(env["NEWSDESK_CLIENT_KEY"])
        values["tls"] = True
    values["server_name"] = env.get("NEWSDESK_TLS_SERVER_NAME") or None
    token = env.get("NEWSDESK_TOKEN") or None
    if not token and env.get("NEWSDESK_TOKEN_FILE"):
        lines = _read(env["NEWSDESK_TOKEN_FILE"]).decode().splitlines()
        token = next((t.strip() for t in lines if t.strip() and not t.startswith("#")), None)
    values["token"] = token
    return values


@dataclass(frozen=True)
class ClientConfig:
    """Addresses, deadlines (seconds) and transport security for the three services."""

    detector: str = DEFAULT_ADDRESSES["detector"]
    translator: str = DEFAULT_ADDRESSES["translator"]
    summarizer: str = DEFAULT_ADDRESSES["summarizer"]
    # The archive (optional): "" asks none; set, briefs get background bullets from it.
    archive: str = ""
    # Store every brief in the archive (as remember=True does for one).
    remember: bool = False
    archive_timeout: float = 30.0
    detect_timeout: float = 10.0
    translate_timeout: float = 300.0
    summarize_timeout: float = 300.0
    tls: bool = False
    root_certificates: bytes | None = None
    # Mutual TLS: this client's certificate chain and key (PEM).
    client_cert: bytes | None = None
    client_key: bytes | None = None
    # TLS name to expect when it differs from the address (e.g. probing 127.0.0.1).
    server_name: str | None = None
    token: str | None = None
    max_message_bytes: int = 32 * 1024 * 1024
    # RESOURCE_EXHAUSTED refusals that carry RetryInfo are retried this many times,
    # after the server's suggested delay, within the call's deadline.
    overload_retries: int = 8

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, **overrides: object
    ) -> ClientConfig:
        """Addresses from NEWSDESK_*_ADDR (overridden by non-None keyword arguments);
        NEWSDESK_TLS=1 (system roots) or NEWSDESK_CA_FILE; NEWSDESK_CLIENT_CERT and
        NEWSDESK_CLIENT_KEY (mutual TLS); NEWSDESK_TLS_SERVER_NAME; NEWSDESK_TOKEN or
        NEWSDESK_TOKEN_FILE (its first token line); NEWSDESK_ARCHIVE_ADDR and
        NEWSDESK_ARCHIVE_REMEMBER."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {
            name: env.get(var) or DEFAULT_ADDRESSES[name] for name, var in ENV_NAMES.items()
        }
        values["archive"] = env.get("NEWSDESK_ARCHIVE_ADDR", "")
        values["remember"] = env.get("NEWSDESK_ARCHIVE_REMEMBER", "").lower() in {
            "1",
            "true",
            "yes",
            "on",
        }
        values.update(transport_from_env(env))
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def credentials(self) -> grpc.ChannelCredentials | None:
        """TLS channel credentials, or None for plaintext."""
        if not self.tls:
            return None
        return grpc.ssl_channel_credentials(
            root_certificates=self.root_certificates,
            private_key=self.client_key,
            certificate_chain=self.client_cert,
        )

    def channel_options(self) -> list[tuple[str, object]]:
        """gRPC channel options: service config, message sizes, keepalive."""
        return [
            ("grpc.service_config", json.dumps(SERVICE_CONFIG)),
            ("grpc.enable_retries", 1),
            ("grpc.max_receive_message_length", self.max_message_bytes),
            ("grpc.max_send_message_length", self.max_message_bytes),
            ("grpc.keepalive_time_ms", 30_000),
            ("grpc.keepalive_timeout_ms", 10_000),
            # Reconnect to a replica that is back within seconds, not gRPC's default
            # of up to 120 s of backoff.
            ("grpc.initial_reconnect_backoff_ms", 250),
            ("grpc.max_reconnect_backoff_ms", 2_000),
            *((("grpc.ssl_target_name_override", self.server_name),) if self.server_name else ()),
        ]
