"""The server lifecycle every service shares.

Load the model first (the caller does, before calling serve), then bind, then report
SERVING. SIGTERM/SIGINT → health NOT_SERVING (enter_graceful_shutdown) → server.stop(grace)
so in-flight calls finish → release the model. Stock grpc.health.v1 and reflection.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIServer

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from services.common.config import ServerConfig
from services.common.logs import get_logger
from services.common.serving.interceptors import ServiceInterceptor
from services.common.serving.metrics import start_metrics_server
from services.common.serving.security import TokenFile, server_credentials, warn_if_expiring

log = get_logger("newsdesk.server")


@dataclass(frozen=True)
class ServiceBinding:
    """One gRPC service to mount: its full name, servicer and the generated add_ function."""

    name: str
    servicer: Any
    add_to_server: Callable[[Any, grpc.aio.Server], None]


class RunningServer:
    """A started server: its bound port, health servicer and a graceful stop()."""

    def __init__(
        self,
        server: grpc.aio.Server,
        port: int,
        health_servicer: health.aio.HealthServicer,
        names: Sequence[str],
        grace_seconds: float,
        metrics: WSGIServer | None = None,
    ) -> None:
        self.metrics = metrics
        self.server = server
        self.port = port
        self.health = health_servicer
        self.names = list(names)
        self.grace_seconds = grace_seconds
        self._stopped = False

    async def stop(self) -> None:
        """Flip health to NOT_SERVING, let in-flight calls finish (up to grace), stop."""
        if self._stopped:
            return
        self._stopped = True
        log.info("server.draining", grace_seconds=self.grace_seconds)
        await self.health.enter_graceful_shutdown()
        await self.server.stop(self.grace_seconds)
        if self.metrics is not None:
            self.metrics.shutdown()
            self.metrics.server_close()
        log.info("server.stopped")

    async def wait(self) -> None:
        """Wait until the server terminates."""
        await self.server.wait_for_termination()


async def start_server(
    config: ServerConfig,
    services: Sequence[ServiceBinding],
    *,
    bind_host: str | None = None,
) -> RunningServer:
    """Build, bind and start a grpc.aio server with health, reflection and interceptors.

    Health answers SERVING for "" and each service name once this returns; the model
    must already be loaded.
    """
    options = [
        ("grpc.max_receive_message_length", config.max_message_bytes),
        ("grpc.max_send_message_length", config.max_message_bytes),
        ("grpc.so_reuseport", 0),
        # Let clients keep idle connections alive through load balancers.
        ("grpc.keepalive_permit_without_calls", 1),
        ("grpc.http2.min_ping_interval_without_data_ms", 10_000),
    ]
    if config.max_connection_age_s > 0:
        # Clients balance round-robin over what DNS (a headless Service) returned when
        # they connected; closing connections after a while makes them re-resolve, so
        # replicas the autoscaler adds get traffic. In-flight calls get the grace.
        options += [
            ("grpc.max_connection_age_ms", int(config.max_connection_age_s * 1000)),
            ("grpc.max_connection_age_grace_ms", int(config.max_connection_age_grace_s * 1000)),
        ]
    tokens = TokenFile(config.token_file) if config.token_file else None
    # Admission is the application's (the interceptor's in-flight cap with RetryInfo,
    # the batchers' token bounds), never gRPC's maximum_concurrent_rpcs: that one
    # refuses health checks too, with no details.
    server = grpc.aio.server(
        interceptors=[
            ServiceInterceptor(
                max_in_flight=config.max_concurrent_rpcs,
                tokens=tokens,
                max_request_s=config.max_request_s,
            )
        ],
        options=options,
    )
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    names = [s.name for s in services]
    for binding in services:
        binding.add_to_server(binding.servicer, server)
    reflection.enable_server_reflection(
        [
            *names,
            health_pb2.DESCRIPTOR.services_by_name["Health"].full_name,
            reflection.SERVICE_NAME,
        ],
        server,
    )
    host = bind_host or config.host
    if config.tls_cert:
        warn_if_expiring(config.tls_cert)
        credentials = server_credentials(config.tls_cert, config.tls_key, config.tls_client_ca)
        port = server.add_secure_port(f"{host}:{config.port}", credentials)
    else:
        port = server.add_insecure_port(f"{host}:{config.port}")
    if port == 0:
        raise RuntimeError(f"could not bind {host}:{config.port}")
    await server.start()
    for name in ["", *names]:
        await health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    metrics = start_metrics_server(config.metrics_port, host)
    log.info(
        "server.started",
        host=host,
        port=port,
        services=names,
        metrics_port=config.metrics_port or None,
        tls="mutual" if config.tls_client_ca else bool(config.tls_cert),
        auth="token" if tokens else "off",
    )
    return RunningServer(server, port, health_servicer, names, config.grace_seconds, metrics)


async def serve_until_signalled(running: RunningServer) -> None:
    """Serve until SIGTERM or SIGINT, then stop gracefully."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    waiter = asyncio.ensure_future(running.wait())
    stopper = asyncio.ensure_future(stop.wait())
    await asyncio.wait({waiter, stopper}, return_when=asyncio.FIRST_COMPLETED)
    if stop.is_set():
        log.info("server.signal_received")
    await running.stop()
    waiter.cancel()
    stopper.cancel()


def write_port_file(path: Path, port: int) -> None:
    """Publish the bound port atomically (a reader never sees half a number)."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(str(port), encoding="utf-8")
    os.replace(partial, path)


def run_service(
    config: ServerConfig,
    bindings: Sequence[ServiceBinding],
    *,
    cleanup: Callable[[], None] | None = None,
) -> int:
    """Serve bindings until signalled, then run cleanup (release the model). Exit code."""

    async def main() -> None:
        running = await start_server(config, bindings)
        if config.port_file:
            write_port_file(Path(config.port_file), running.port)
        await serve_until_signalled(running)

    try:
        asyncio.run(main())
    finally:
        if cleanup is not None:
            cleanup()
        log.info("server.exited")
    return 0


def startup(config_loader: Callable[[], Any], service: str) -> Any:
    """Read config (exit 2 naming the bad variable) and configure logging."""
    import sys

    from services.common.config import ConfigError
    from services.common.logs import configure_logging

    try:
        config = config_loader()
    except ConfigError as exc:
        print(f"newsdesk {service}: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    fmt = config.log.format
    configure_logging(json=None if fmt == "auto" else fmt == "json", level=config.log.level)
    return config
