"""Container health probe: `python -m services.common.health_probe [ADDR] [--service NAME]`.

Exits 0 when the server answers SERVING, 1 otherwise. Uses grpc.health.v1, so it
checks the same thing Kubernetes' native grpc probe checks.
"""

from __future__ import annotations

import argparse
import sys

from newsdesk_client.health import check


def main(argv: list[str] | None = None) -> int:
    """Probe once and exit 0 if SERVING."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("address", nargs="?", default="127.0.0.1:50051")
    parser.add_argument("--service", default="")
    parser.add_argument("--timeout", type=float, default=3.0)
    args = parser.parse_args(argv)
    status = check(args.address, args.service, args.timeout)
    print(f"{args.address} {args.service or '(server)'}: {status}")
    return 0 if status == "SERVING" else 1


if __name__ == "__main__":
    sys.exit(main())
