"""Transport security pieces without a server (serving/security.py and the TLS and
token settings of ServerConfig): token files read and matched, reloaded without a
token reaching a log; certificate expiry and its warnings; TLS credentials built
from the right files. What needs a running server (TLS handshakes, UNAUTHENTICATED
on the wire, revocation through RPCs) is tests/integration/test_security.py; the
token file's recovery after a failed read is tests/unit/test_token_file.py."""

from __future__ import annotations

import datetime
import logging
import os
import re
from pathlib import Path
from typing import Any

import pytest

from services.common.config import ConfigError, ServerConfig
from services.common.serving import security
from services.common.serving.main import serve_main
from services.common.serving.security import (
    OPEN_PREFIXES,
    TokenFile,
    TokenFileError,
    certificate_expiry,
    check_token_file,
    read_tokens,
    server_credentials,
    warn_if_expiring,
)

PREFIX = "NEWSDESK_DETECTOR_"


def events(caplog: pytest.LogCaptureFixture, name: str) -> list[dict[str, Any]]:
    """The structlog event dicts named `name` among the captured records."""
    return [
        {**r.msg, "levelno": r.levelno}
        for r in caplog.records
        if isinstance(r.msg, dict) and r.msg.get("event") == name
    ]


# --- token files ----------------------------------------------------------------------


def test_read_tokens_skips_blank_lines_and_comments(tmp_path: Path) -> None:
    """One token a line, surrounding whitespace trimmed (CRLF too); blank lines and
    lines starting with # (indented or not) are not tokens."""
    path = tmp_path / "tokens"
    path.write_bytes(b"# rotated 2026-11\n  tok-new  \r\n\n   # old: tok-old\ntok-next\n")
    assert read_tokens(path) == [b"tok-new", b"tok-next"]
    assert check_token_file(path) == 2


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        pytest.param(lambda p: None, "does not exist", id="missing"),
        pytest.param(lambda p: p.mkdir(), "cannot be read (Is a directory)", id="a-directory"),
        pytest.param(
            lambda p: p.write_bytes(b"tok\xff\n"),
            "is not UTF-8 text (bad byte at offset 3)",
            id="not-utf8",
        ),
    ],
)
def test_an_unusable_token_file_says_why(tmp_path: Path, make, problem: str) -> None:
    """A file that cannot be used is TokenFileError naming the path and the reason,
    without the OS or codec error chained to it (one line, no traceback)."""
    path = tmp_path / "tokens"
    make(path)
    with pytest.raises(TokenFileError) as caught:
        read_tokens(path)
    assert str(caught.value) == f"{path} {problem}"
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    with pytest.raises(TokenFileError, match=re.escape(problem)):  # nor start a service
        TokenFile(path)


def test_a_file_of_comments_holds_no_token(tmp_path: Path) -> None:
    """check_token_file refuses a file that would refuse every call, saying so."""
    path = tmp_path / "tokens"
    path.write_text("# revoked\n\n")
    with pytest.raises(TokenFileError, match="holds no token"):
        check_token_file(path)


@pytest.fixture
def two_tokens(tmp_path: Path) -> TokenFile:
    path = tmp_path / "tokens"
    path.write_text("tok-one\ntok-two\n")
    return TokenFile(path)


@pytest.mark.parametrize(
    ("authorization", "accepted"),
    [
        ("Bearer tok-one", True),
        ("Bearer tok-two", True),
        ("Bearer tok-one  ", True),  # trailing spaces are not part of the token
        (None, False),
        ("", False),
        ("tok-one", False),  # no scheme
        ("bearer tok-one", False),  # the scheme is case-sensitive here
        ("Basic tok-one", False),
        ("Bearer ", False),
        ("Bearer tok-on", False),  # a prefix of a token
        ("Bearer tok-one-more", False),  # a token and more
        ("Bearer tok-one tok-two", False),
        ("Bearer ток-one", False),  # non-ASCII look-alike
    ],
)
def test_only_an_exact_bearer_token_is_accepted(
    two_tokens: TokenFile, authorization: str | None, accepted: bool
) -> None:
    """accepts() wants "Bearer <an accepted token>", exactly (either of two while
    clients move from one to the next)."""
    assert two_tokens.accepts(authorization) is accepted


def test_every_accepted_token_is_compared(two_tokens: TokenFile, monkeypatch) -> None:
    """The offered token is compared, in constant time, with every accepted token even
    when the first matches: the time taken says nothing of which matched."""
    compared: list[tuple[bytes, bytes]] = []
    real = security.hmac.compare_digest

    def counted(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(security.hmac, "compare_digest", counted)
    assert two_tokens.accepts("Bearer tok-one")
    assert compared == [(b"tok-one", b"tok-one"), (b"tok-one", b"tok-two")]


def test_a_rewritten_file_rotates_tokens_and_logs_no_token(tmp_path: Path, caplog) -> None:
    """A new file takes effect on the next call (the old token refused, the new one
    accepted); the reload is logged with the count, never with a token."""
    caplog.set_level(logging.INFO)
    path = tmp_path / "tokens"
    path.write_text("tok-old\n")
    tokens = TokenFile(path)
    assert tokens.accepts("Bearer tok-old")
    path.write_text("tok-new-a\ntok-new-b\n")
    os.utime(path, (1, 2))  # a distinct mtime even within one clock tick
    assert not tokens.accepts("Bearer tok-old")
    assert tokens.accepts("Bearer tok-new-b")
    reloads = events(caplog, "auth.tokens_reloaded")
    assert [(e["count"], e["path"]) for e in reloads] == [(2, str(path))]
    assert not any("tok-" in str(r.msg) for r in caplog.records)


def test_a_missing_file_refuses_everyone_logged_once(tmp_path: Path, caplog) -> None:
    """Deleted after start: every call is refused (fail closed) with one error line
    however many calls come; a file put back is read again at the next call."""
    caplog.set_level(logging.INFO)
    path = tmp_path / "tokens"
    path.write_text("tok-one\n")
    tokens = TokenFile(path)
    path.unlink()
    assert not any(tokens.accepts("Bearer tok-one") for _ in range(3))
    lines = events(caplog, "auth.token_file_unreadable")
    assert [(e["problem"], e["levelno"]) for e in lines] == [("token file missing", logging.ERROR)]
    path.write_text("tok-one\n")
    assert tokens.accepts("Bearer tok-one")


def test_health_is_the_only_open_service() -> None:
    """Only the health service is reachable without a token (probes hold no secret)."""
    assert OPEN_PREFIXES == ("/grpc.health.v1.Health/",)


# --- certificates ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def ca():
    trustme = pytest.importorskip("trustme")
    return trustme.CA()


def certificate(ca, folder: Path, days_left: float) -> tuple[Path, Path, datetime.datetime]:
    """A server certificate and key valid until `days_left` days from now."""
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    not_after = now + datetime.timedelta(days=days_left)
    issued = ca.issue_cert(
        "127.0.0.1", not_before=now - datetime.timedelta(days=60), not_after=not_after
    )
    cert, key = folder / "server.pem", folder / "server.key"
    issued.cert_chain_pems[0].write_to_path(str(cert))
    issued.private_key_pem.write_to_path(str(key))
    return cert, key, not_after


def test_certificate_expiry_reads_not_after(ca, tmp_path: Path) -> None:
    """The expiry is the certificate's notAfter, in epoch seconds; a file that is not
    a certificate, or is absent, has none."""
    cert, _, not_after = certificate(ca, tmp_path, 90)
    assert certificate_expiry(cert) == not_after.timestamp()
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a certificate\n")
    assert certificate_expiry(garbage) is None
    assert certificate_expiry(tmp_path / "absent.pem") is None


@pytest.mark.parametrize(
    ("days_left", "event", "field", "value"),
    [
        pytest.param(-2, "tls.certificate_expired", "expired_days_ago", 2.0, id="expired"),
        pytest.param(3, "tls.certificate_expiring", "days_left", 3.0, id="within-a-week"),
        pytest.param(30, None, None, None, id="valid"),
    ],
)
def test_an_expired_or_expiring_certificate_is_a_warning(
    ca, tmp_path: Path, caplog, days_left: float, event, field, value
) -> None:
    """Expired, or expiring within 7 days: one warning naming the file and the days;
    a certificate valid longer: nothing."""
    caplog.set_level(logging.INFO)
    cert, _, _ = certificate(ca, tmp_path, days_left)
    warn_if_expiring(cert)
    warned = [r.msg for r in caplog.records if r.levelno >= logging.WARNING]
    if event is None:
        assert warned == []
        return
    assert [(w["event"], w["cert"]) for w in warned] == [(event, str(cert))]
    assert warned[0][field] == pytest.approx(value, abs=0.1)


def test_no_warning_for_an_unreadable_certificate(tmp_path: Path, caplog) -> None:
    """A file whose expiry cannot be read is not warned about here (loading it fails
    loudly anyway)."""
    caplog.set_level(logging.INFO)
    warn_if_expiring(tmp_path / "absent.pem")
    assert caplog.records == []


def test_server_credentials_pair_key_and_certificate(ca, tmp_path: Path, monkeypatch) -> None:
    """The key and certificate files go to gRPC as (key, chain); with a client CA its
    certificates are the roots and a client certificate is required, without one none
    is."""
    cert, key, _ = certificate(ca, tmp_path, 90)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    calls: list[dict[str, Any]] = []

    def capture(pairs, root_certificates=None, require_client_auth=False):
        calls.append({"pairs": pairs, "root": root_certificates, "require": require_client_auth})
        return "credentials"

    monkeypatch.setattr(security.grpc, "ssl_server_credentials", capture)
    server_credentials(str(cert), str(key))
    server_credentials(str(cert), str(key), str(ca_file))
    pair = [(key.read_bytes(), cert.read_bytes())]
    assert calls == [
        {"pairs": pair, "root": None, "require": False},
        {"pairs": pair, "root": ca_file.read_bytes(), "require": True},
    ]


def test_server_credentials_from_real_files(ca, tmp_path: Path) -> None:
    """Real PEM files make grpc ServerCredentials; a missing key file is an error."""
    import grpc

    cert, key, _ = certificate(ca, tmp_path, 90)
    assert isinstance(server_credentials(str(cert), str(key)), grpc.ServerCredentials)
    with pytest.raises(FileNotFoundError):
        server_credentials(str(cert), str(tmp_path / "absent.key"))


# --- the settings (ServerConfig.from_env) ---------------------------------------------


def test_tls_and_token_settings_are_read(ca, tmp_path: Path) -> None:
    """Certificate, key, client CA and token file are read with the service's prefix;
    unset, TLS and tokens are off."""
    cert, key, _ = certificate(ca, tmp_path, 90)
    tokens = tmp_path / "tokens"
    tokens.write_text("tok-one\n")
    env = {
        f"{PREFIX}TLS_CERT": str(cert),
        f"{PREFIX}TLS_KEY": str(key),
        f"{PREFIX}TLS_CLIENT_CA": str(cert),
        f"{PREFIX}TOKEN_FILE": str(tokens),
    }
    config = ServerConfig.from_env(env, PREFIX, port=1, metrics_port=0)
    assert (config.tls_cert, config.tls_key, config.tls_client_ca, config.token_file) == (
        str(cert),
        str(key),
        str(cert),
        str(tokens),
    )
    off = ServerConfig.from_env({}, PREFIX, port=1, metrics_port=0)
    assert (off.tls_cert, off.tls_key, off.tls_client_ca, off.token_file) == ("", "", "", "")


@pytest.mark.parametrize(
    ("names", "named"),
    [
        pytest.param(["TLS_KEY"], ["TLS_CERT", "TLS_KEY"], id="key-without-cert"),
        pytest.param(["TLS_CERT"], ["TLS_CERT", "TLS_KEY"], id="cert-without-key"),
        pytest.param(["TLS_CLIENT_CA"], ["TLS_CLIENT_CA", "TLS_CERT"], id="ca-without-cert"),
    ],
)
def test_incomplete_tls_settings_name_the_variables(
    tmp_path: Path, names: list[str], named: list[str]
) -> None:
    """TLS half configured stops the start, naming the variables involved."""
    pem = tmp_path / "x.pem"
    pem.write_text("x")
    env = {f"{PREFIX}{name}": str(pem) for name in names}
    with pytest.raises(ConfigError) as caught:
        ServerConfig.from_env(env, PREFIX, port=1, metrics_port=0)
    assert all(f"{PREFIX}{name}" in str(caught.value) for name in named)


@pytest.mark.parametrize("name", ["TLS_CERT", "TLS_KEY", "TLS_CLIENT_CA", "TOKEN_FILE"])
def test_a_missing_file_names_its_variable_and_path(tmp_path: Path, name: str) -> None:
    """A path that cannot be read is a configuration error naming variable and path."""
    absent = str(tmp_path / "absent")
    with pytest.raises(ConfigError) as caught:
        ServerConfig.from_env({f"{PREFIX}{name}": absent}, PREFIX, port=1, metrics_port=0)
    assert f"{PREFIX}{name}={absent!r} is not a readable file" in str(caught.value)


@pytest.mark.parametrize("name", ["TLS_CERT", "TLS_KEY", "TLS_CLIENT_CA", "TOKEN_FILE"])
def test_a_directory_is_a_configuration_error_and_exits_2(
    tmp_path: Path, name: str, capsys
) -> None:
    """A directory given as a file is a ConfigError naming variable and path (exit 2 at
    start, nothing built), not an IsADirectoryError when the server binds."""
    folder = str(tmp_path)
    env = {f"{PREFIX}{name}": folder}
    with pytest.raises(ConfigError) as caught:
        ServerConfig.from_env(env, PREFIX, port=1, metrics_port=0)
    assert str(caught.value) == f"{PREFIX}{name}={folder!r} is a directory, not a file"

    built: list[object] = []
    with pytest.raises(SystemExit) as exited:
        serve_main(
            "detector",
            lambda environ: ServerConfig.from_env(env, PREFIX, port=1, metrics_port=0),
            built.append,
        )
    assert exited.value.code == 2 and built == []
    assert f"configuration error: {PREFIX}{name}={folder!r} is a directory" in (
        capsys.readouterr().err
    )
