"""Transport security and bearer tokens for every service (both opt-in).

TLS: PREFIX_TLS_CERT + PREFIX_TLS_KEY (PEM files) serve TLS; PREFIX_TLS_CLIENT_CA adds
mutual TLS (clients must present a certificate signed by that CA). A certificate that
has expired, or expires within a week, is logged as a warning at start.

Tokens: PREFIX_TOKEN_FILE names a file of accepted tokens, one per line (blank lines and
`#` comments ignored), so two can be valid while clients move from one to the next.
The file is re-read when it changes (its mtime, size or inode), so tokens rotate
without a restart. It is also how an operator revokes: a readable file with no token
refuses every call, and so does a file that is missing, unreadable or not UTF-8 (fail
closed), each logged once, when it happens, with the reason. At start the file must
hold at least one token (the service refuses to start otherwise: exit 2, before any
model loads). Every RPC but health must send `authorization: Bearer <token>`; each
candidate is compared with hmac.compare_digest against every accepted token. Tokens
are never logged.
"""

from __future__ import annotations

import hmac
import os
import ssl
import threading
import time
from pathlib import Path

import grpc

from services.common.logs import get_logger

log = get_logger("newsdesk.security")
# The RPCs that never need a token: probes must work without secrets.
OPEN_PREFIXES = ("/grpc.health.v1.Health/",)


class TokenFileError(ValueError):
    """A token file that cannot be used: missing, unreadable, or not UTF-8 text."""


def read_tokens(path: Path) -> list[bytes]:
    """The tokens of a token file (possibly none); TokenFileError says why it cannot be
    read, never with a traceback's worth of detail."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise TokenFileError(f"{path} does not exist") from None
    except OSError as exc:
        raise TokenFileError(
            f"{path} cannot be read ({exc.strerror or type(exc).__name__})"
        ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TokenFileError(f"{path} is not UTF-8 text (bad byte at offset {exc.start})") from None
    lines = (line.strip() for line in text.splitlines())
    return [t.encode() for t in lines if t and not t.startswith("#")]


def check_token_file(path: str | Path) -> int:
    """At start: the number of tokens in the file; TokenFileError if it cannot be read
    or holds none (a service that would refuse every call is a configuration error)."""
    tokens = read_tokens(Path(path))
    if not tokens:
        raise TokenFileError(f"{path} holds no token (only blank lines or # comments)")
    return len(tokens)


class TokenFile:
    """The accepted bearer tokens, re-read whenever the file changes; fails closed."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._stamp: tuple[int, int, int, int, int] | None = None
        self._tokens: list[bytes] = []
        self._problem = ""  # why every call is refused now ("" when tokens are accepted)
        check_token_file(self.path)
        self._load(initial=True)

    def _refuse_all(self, problem: str, event: str, *, changed: bool = True) -> None:
        """Accept no token until the file changes; log once per change of the file
        (or of the problem, for a file that cannot even be found)."""
        self._tokens = []
        if changed or problem != self._problem:
            log.error(event, path=str(self.path), problem=problem, accepting="none")
        self._problem = problem

    def _load(self, *, initial: bool = False) -> None:
        try:
            stat = os.stat(self.path)
        except OSError as exc:
            self._stamp = None
            reason = "missing" if isinstance(exc, FileNotFoundError) else type(exc).__name__
            self._refuse_all(f"token file {reason}", "auth.token_file_unreadable", changed=False)
            return
        # ctime and mode too: `chmod 000` (a revocation) changes nothing else.
        stamp = (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino, stat.st_mode)
        if stamp == self._stamp:
            return
        try:
            tokens = read_tokens(self.path)
        except TokenFileError as exc:
            # No stamp kept: the next call reads again, so access restored is noticed
            # (the log line is written once per problem, not per call).
            self._stamp = None
            self._refuse_all(str(exc), "auth.token_file_unreadable", changed=False)
            return
        self._stamp = stamp
        if not tokens:
            self._refuse_all("token file holds no token", "auth.tokens_revoked")
            return
        self._tokens, self._problem = tokens, ""
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


def certificate_expiry(cert: str | Path) -> float | None:
    """The notAfter time (epoch seconds) of a PEM certificate, None if unreadable."""
    try:
        decoded = ssl._ssl._test_decode_cert(str(cert))  # type: ignore[attr-defined]
        return float(ssl.cert_time_to_seconds(decoded["notAfter"]))
    except (OSError, ValueError, KeyError, AttributeError, ssl.SSLError):
        return None


def warn_if_expiring(cert: str | Path) -> None:
    """Log a warning when the serving certificate has expired or expires within 7 days
    (clients will refuse it; nothing else would say why)."""
    expiry = certificate_expiry(cert)
    if expiry is None:
        return
    left = expiry - time.time()
    if left <= 0:
        log.warning(
            "tls.certificate_expired", cert=str(cert), expired_days_ago=round(-left / 86400, 1)
        )
    elif left < 7 * 86400:
        log.warning("tls.certificate_expiring", cert=str(cert), days_left=round(left / 86400, 1))


def server_credentials(cert: str, key: str, client_ca: str = "") -> grpc.ServerCredentials:
    """TLS credentials from PEM files; with client_ca, client certificates are required."""
    root = Path(client_ca).read_bytes() if client_ca else None
    return grpc.ssl_server_credentials(
        [(Path(key).read_bytes(), Path(cert).read_bytes())],
        root_certificates=root,
        require_client_auth=root is not None,
    )
