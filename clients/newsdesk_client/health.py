"""grpc.health.v1 checks from the client side (`newsdesk health`, the container probe),
over the same transport as the client (TLS, mutual TLS); health needs no token.

When a check answers UNAVAILABLE, `hint` says why in words a person can act on: nothing
listens there, the server speaks TLS and this client does not (or the reverse), or the
TLS handshake failed. gRPC reports all of these as the same UNAVAILABLE, so the port is
probed once with a TLS ClientHello: a TLS server answers with a TLS record, a plaintext
HTTP/2 server with anything else.
"""

from __future__ import annotations

import contextlib
import socket
import ssl

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from newsdesk_client.config import ClientConfig

# The client's TLS variables (config.py), named in the hints.
TLS_HELP = (
    "NEWSDESK_CA_FILE=CA.pem (the CA that signed its certificate) or NEWSDESK_TLS=1 "
    "(system roots); NEWSDESK_CLIENT_CERT + NEWSDESK_CLIENT_KEY if it requires client "
    "certificates; NEWSDESK_TLS_SERVER_NAME if its certificate names another host"
)
# TLS record content types a server sends first: alert (21) or handshake (22).
_TLS_RECORD_TYPES = (0x15, 0x16)


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


def host_port(address: str) -> tuple[str, int] | None:
    """(host, port) of a gRPC target to probe: `host:port`, `[v6]:port`, `dns:///…`,
    the first of `ipv4:`/`ipv6:` lists; None for other targets (unix sockets)."""
    target = address
    for prefix in ("dns:///", "dns:", "ipv4:", "ipv6:"):
        if target.startswith(prefix):
            target = target[len(prefix) :].split(",")[0]
            break
    host, sep, port = target.rpartition(":")
    if not sep or not port.isdigit() or "/" in target:
        return None
    return host.strip("[]") or "localhost", int(port)


def speaks_tls(address: str, timeout: float = 3.0) -> bool | None:
    """True: the server answers a TLS ClientHello with a TLS record; False: it answers
    with something else (plaintext gRPC); None: nothing answered (refused, timed out,
    not a host:port)."""
    target = host_port(address)
    if target is None:
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.set_alpn_protocols(["h2"])
    outgoing = ssl.MemoryBIO()
    hello = context.wrap_bio(ssl.MemoryBIO(), outgoing)
    # The handshake stops waiting for the server: the ClientHello is in `outgoing`.
    with contextlib.suppress(ssl.SSLWantReadError):
        hello.do_handshake()
    try:
        with socket.create_connection(target, timeout=timeout) as sock:
            sock.sendall(outgoing.read())
            first = sock.recv(3)
    except OSError:
        return None
    if not first:
        return False  # closed without a word: not a TLS server
    return first[0] in _TLS_RECORD_TYPES and first[1:2] == b"\x03"


def hint(address: str, status: str, config: ClientConfig, address_variable: str) -> str:
    """What to do about a service that is not SERVING (empty when it is)."""
    if status == "SERVING":
        return ""
    if status == "NOT_SERVING":
        return "reachable but not serving yet: still loading its model, or draining"
    if status == "UNAVAILABLE":
        tls = speaks_tls(address)
        if tls and not config.tls:
            return f"the server expects TLS and this client has none: set {TLS_HELP}"
        if tls:
            return f"the TLS handshake failed: check {TLS_HELP}"
        if tls is False and config.tls:
            return (
                "the server does not speak TLS and this client does: unset NEWSDESK_TLS, "
                "NEWSDESK_CA_FILE and NEWSDESK_CLIENT_CERT/_KEY, or serve TLS "
                "(PREFIX_TLS_CERT + PREFIX_TLS_KEY)"
            )
    return (
        f"not reachable: start it with `newsdesk serve` or `docker compose up`, "
        f"or set {address_variable}"
    )
