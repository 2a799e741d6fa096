"""Container health probe: `python -m services.tools.health_probe [ADDR] [--service NAME]`.

Exits 0 when the server answers SERVING, 1 otherwise. Uses grpc.health.v1, so it
checks the same thing Kubernetes' native grpc probe checks — and, unlike that probe,
it speaks TLS: with TLS on, compose healthchecks and Kubernetes exec probes run it with
the client variables (NEWSDESK_CA_FILE, NEWSDESK_CLIENT_CERT / _KEY for mutual TLS,
NEWSDESK_TLS_SERVER_NAME when the certificate does not name 127.0.0.1) or the flags.
Health never needs a token.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from newsdesk_client.config import ClientConfig
from newsdesk_client.health import check


def main(argv: list[str] | None = None) -> int:
    """Probe once and exit 0 if SERVING."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("address", nargs="?", default="127.0.0.1:50051")
    parser.add_argument("--service", default="")
    parser.add_argument("--timeout", type=float, default=3.0)
    parser.add_argument("--ca", help="CA file (TLS); default NEWSDESK_CA_FILE")
    parser.add_argument("--cert", help="client certificate (mutual TLS)")
    parser.add_argument("--key", help="client key (mutual TLS)")
    parser.add_argument("--server-name", help="TLS name to expect")
    args = parser.parse_args(argv)
    config = ClientConfig.from_env()  # NEWSDESK_CA_FILE, NEWSDESK_CLIENT_CERT, ...
    if args.ca:
        config = replace(config, tls=True, root_certificates=Path(args.ca).read_bytes())
    if args.cert and args.key:
        config = replace(
            config,
            tls=True,
            client_cert=Path(args.cert).read_bytes(),
            client_key=Path(args.key).read_bytes(),
        )
    if args.server_name:
        config = replace(config, server_name=args.server_name)
    status = check(args.address, args.service, args.timeout, config)
    print(f"{args.address} {args.service or '(server)'}: {status}")
    return 0 if status == "SERVING" else 1


if __name__ == "__main__":
    sys.exit(main())
