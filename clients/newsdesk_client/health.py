"""grpc.health.v1 checks from the client side (`newsdesk health`, the container probe),
over the same transport as the client (TLS, mutual TLS); health needs no token."""

from __future__ import annotations

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from newsdesk_client.config import ClientConfig


def check(
    address: str, service: str = "", timeout: float = 3.0, config: ClientConfig | None = None
) -> str:
    """SERVING, NOT_SERVING, or the gRPC error code name (e.g. UNAVAILABLE)."""
    config = config or ClientConfig()
    creds = config.credentials()
    options = config.channel_options()
    try:
        with (
            grpc.secure_channel(address, creds, options=options)
            if creds is not None
            else grpc.insecure_channel(address, options=options)
        ) as channel:
            reply = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(service=service), timeout=timeout
            )
    except grpc.RpcError as err:
        return err.code().name if err.code() else "UNKNOWN"
    return str(health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status))
