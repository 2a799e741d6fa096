"""Transport security and bearer tokens for every service (both opt-in).

TLS: PREFIX_TLS_CERT + PREFIX_TLS_KEY (PEM files) serve TLS; PREFIX_TLS_CLIENT_CA adds
mutual TLS (clients must present a certificate signed by that CA).

Tokens: PREFIX_TOKEN_FILE names a file of accepted tokens, one per line (blank lines and
`#` comments ignored), so two can be valid while clients move from one to the next.
The file is re-read when it changes (its mtime, size or inode), so tokens rotate
without a restart; a file that cannot be read keeps the last good set and is logged.
Every RPC but health must send `authorization: Bearer <token>`; each candidate is
compared with hmac.compare_digest against every accepted token. Tokens are never
logged.
"""

from __future__ import annotations

import hmac
import os
import threading
from pathlib import Path

import grpc

from services.common.logs import get_logger

log = get_logger("newsdesk.security")
# The RPCs that never need a token: probes must work without secrets.
OPEN_PREFIXES = ("/grpc.health.v1.Health/",)


class TokenFile:
    """The accepted bearer tokens, re-read whenever the file changes."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._stamp: tuple[float, int, int] | None = None
        self._tokens: list[bytes] = []
        self._load(initial=True)

    def _load(self, *, initial: bool = False) -> None:
        try:
            stat = os.stat(self.path)
            stamp = (stat.st_mtime, stat.st_size, stat.st_ino)
            if stamp == self._stamp:
                return
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            if initial:
                raise
            log.warning("auth.token_file_unreadable", path=str(self.path), error=type(exc).__name__)
            return
        tokens = [t.strip().encode() for t in lines if t.strip() and not t.strip().startswith("#")]
        if not tokens:
            if initial:
                raise ValueError(f"{self.path} holds no token")
            log.warning("auth.token_file_empty", path=str(self.path))
            return
        self._tokens, self._stamp = tokens, stamp
        if not initial:
            log.info("auth.tokens_reloaded", path=str(self.path), count=len(tokens))

    def accepts(self, authorization: str | None) -> bool:
        """True when `authorization` is "Bearer <an accepted token>"."""
        with self._lock:
            self._load()
            tokens = self._tokens
        if not authorization or not authorization.startswith("Bearer "):
            return False
        offered = authorization[len("Bearer ") :].strip().encode()
        matched = False
        for token in tokens:  # every token compared: timing says nothing of which
            matched |= hmac.compare_digest(offered, token)
        return matched


def server_credentials(cert: str, key: str, client_ca: str = "") -> grpc.ServerCredentials:
    """TLS credentials from PEM files; with client_ca, client certificates are required."""
    root = Path(client_ca).read_bytes() if client_ca else None
    return grpc.ssl_server_credentials(
        [(Path(key).read_bytes(), Path(cert).read_bytes())],
        root_certificates=root,
        require_client_auth=root is not None,
    )
