"""grpc.health.v1 checks from the client side (`newsdesk health`)."""

from __future__ import annotations

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc


def check(address: str, service: str = "", timeout: float = 3.0) -> str:
    """SERVING, NOT_SERVING, or the gRPC error code name (e.g. UNAVAILABLE)."""
    try:
        with grpc.insecure_channel(address) as channel:
            reply = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(service=service), timeout=timeout
            )
    except grpc.RpcError as err:
        return err.code().name if err.code() else "UNKNOWN"
    return str(health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status))
