"""Where the services are and how to reach them: arguments or NEWSDESK_*_ADDR."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass

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


@dataclass(frozen=True)
class ClientConfig:
    """Addresses, deadlines (seconds) and transport security for the three services."""

    detector: str = DEFAULT_ADDRESSES["detector"]
    translator: str = DEFAULT_ADDRESSES["translator"]
    summarizer: str = DEFAULT_ADDRESSES["summarizer"]
    detect_timeout: float = 10.0
    translate_timeout: float = 300.0
    summarize_timeout: float = 300.0
    tls: bool = False
    root_certificates: bytes | None = None
    token: str | None = None
    max_message_bytes: int = 32 * 1024 * 1024
    # RESOURCE_EXHAUSTED refusals that carry RetryInfo are retried this many times,
    # after the server's suggested delay, within the call's deadline.
    overload_retries: int = 8

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, **overrides: object
    ) -> ClientConfig:
        """Addresses from NEWSDESK_*_ADDR (overridden by non-None keyword arguments),
        NEWSDESK_TLS=1, NEWSDESK_CA_FILE and NEWSDESK_TOKEN."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {
            name: env.get(var) or DEFAULT_ADDRESSES[name] for name, var in ENV_NAMES.items()
        }
        values["tls"] = env.get("NEWSDESK_TLS", "").lower() in {"1", "true", "yes"}
        ca = env.get("NEWSDESK_CA_FILE")
        if ca:
            with open(ca, "rb") as handle:
                values["root_certificates"] = handle.read()
            values["tls"] = True
        values["token"] = env.get("NEWSDESK_TOKEN") or None
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def channel_options(self) -> list[tuple[str, object]]:
        """gRPC channel options: service config, message sizes, keepalive."""
        return [
            ("grpc.service_config", json.dumps(SERVICE_CONFIG)),
            ("grpc.enable_retries", 1),
            ("grpc.max_receive_message_length", self.max_message_bytes),
            ("grpc.max_send_message_length", self.max_message_bytes),
            ("grpc.keepalive_time_ms", 30_000),
            ("grpc.keepalive_timeout_ms", 10_000),
        ]
