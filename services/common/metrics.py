"""Prometheus metrics (prometheus-client): requests by method and code, latency, in-flight."""

from __future__ import annotations

from wsgiref.simple_server import WSGIServer

from prometheus_client import Counter, Gauge, Histogram, start_http_server

REQUESTS = Counter(
    "newsdesk_rpc_requests_total",
    "gRPC calls answered, by method and status code.",
    ["method", "code"],
)
LATENCY = Histogram(
    "newsdesk_rpc_duration_seconds",
    "gRPC call duration, by method.",
    ["method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
)
IN_FLIGHT = Gauge("newsdesk_rpc_in_flight", "gRPC calls being served, by method.", ["method"])
QUEUE_DEPTH = Gauge(
    "newsdesk_inference_queue_depth", "Inference jobs waiting or running.", ["engine"]
)
REJECTED = Counter(
    "newsdesk_inference_rejected_total", "Inference jobs refused for overload.", ["engine"]
)


def start_metrics_server(port: int, host: str = "0.0.0.0") -> WSGIServer | None:
    """Serve /metrics on port (0 disables); returns the server so it can be shut down."""
    if not port:
        return None
    server, _thread = start_http_server(port, addr=host)
    return server
