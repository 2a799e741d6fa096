"""Prometheus metrics (prometheus-client): requests by method and code, latency,
in-flight, admission refusals, and the batcher's batches, queue and dropped jobs."""

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
    "newsdesk_admission_rejected_total",
    "Requests refused at admission (RESOURCE_EXHAUSTED), by queue and reason.",
    ["queue", "reason"],
)
# The batcher's view, recorded where a batch is formed.
BATCH_SIZE = Histogram(
    "newsdesk_batch_size",
    "Jobs per model batch.",
    ["model"],
    buckets=(1, 2, 4, 8, 12, 16, 24, 32, 64),
)
BATCH_PADDED_TOKENS = Histogram(
    "newsdesk_batch_padded_tokens",
    "Padded source tokens per model batch (longest x count).",
    ["model"],
    buckets=(16, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384),
)
QUEUE_TOKENS = Gauge(
    "newsdesk_queue_tokens",
    "Work waiting for a batch, in token-beams ((source + most generated tokens) x beams).",
    ["model"],
)
QUEUE_CAPACITY = Gauge(
    "newsdesk_queue_capacity_tokens",
    "The queue's admission bound (MAX_QUEUE_TOKENS): saturation is tokens / capacity.",
    ["model"],
)
QUEUE_WAIT = Histogram(
    "newsdesk_queue_wait_seconds",
    "Time a job waited in the queue before its batch formed.",
    ["model"],
    buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60),
)
DROPPED = Counter(
    "newsdesk_jobs_dropped_total",
    "Queued jobs dropped because their caller had gone, by reason (cancelled, expired).",
    ["model", "reason"],
)
STOPPED_EARLY = Counter(
    "newsdesk_batches_abandoned_total",
    "Model batches whose callers had all gone before they finished (stopped early).",
    ["model"],
)


def start_metrics_server(port: int, host: str = "0.0.0.0") -> WSGIServer | None:
    """Serve /metrics on port (0 disables); returns the server so it can be shut down."""
    if not port:
        return None
    server, _thread = start_http_server(port, addr=host)
    return server
