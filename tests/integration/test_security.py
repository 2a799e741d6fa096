"""TLS, mutual TLS and bearer tokens through real servers (the detector: no model to
load), with certificates made at test time (trustme)."""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from newsdesk.language.v1 import language_pb2, language_pb2_grpc
from newsdesk_client import AsyncNewsdeskClient, ClientConfig, NewsdeskError
from newsdesk_client.health import check
from services.common.config import ConfigError, ServerConfig
from services.tools.health_probe import main as probe_main
from tests.conftest import detector_binding, status_detail

TOKEN = "s3cret-token-value-0123456789"


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A CA, a server certificate for 127.0.0.1/localhost, a client certificate."""
    trustme = pytest.importorskip("trustme")
    folder = tmp_path_factory.mktemp("pki")
    ca = trustme.CA()
    server = ca.issue_cert("127.0.0.1", "localhost")
    client = ca.issue_cert("newsdesk-client")
    paths = {
        "ca": folder / "ca.pem",
        "cert": folder / "server.pem",
        "key": folder / "server.key",
        "client_cert": folder / "client.pem",
        "client_key": folder / "client.key",
    }
    ca.cert_pem.write_to_path(str(paths["ca"]))
    server.private_key_pem.write_to_path(str(paths["key"]))
    server.cert_chain_pems[0].write_to_path(str(paths["cert"]))
    client.private_key_pem.write_to_path(str(paths["client_key"]))
    client.cert_chain_pems[0].write_to_path(str(paths["client_cert"]))
    return paths


async def start(detector, **config):
    """A detector server with the given ServerConfig overrides; (running, address)."""
    from services.common.serving.server import start_server
    from tests.conftest import test_server_config

    binding, built = detector_binding(detector)
    running = await start_server(test_server_config(**config), [binding])
    return running, built, f"127.0.0.1:{running.port}"


def detect(channel, metadata=()):
    return language_pb2_grpc.LanguageServiceStub(channel).DetectLanguage(
        language_pb2.DetectLanguageRequest(texts=["Добрий день, як справи?"]),
        metadata=metadata,
        timeout=10,
    )


async def test_tls_serves_only_tls_clients(detector, pki) -> None:
    """With a certificate and key, a client trusting the CA is served; a plaintext
    client is not."""
    running, built, address = await start(
        detector, tls_cert=str(pki["cert"]), tls_key=str(pki["key"])
    )
    try:
        creds = grpc.ssl_channel_credentials(pki["ca"].read_bytes())
        async with grpc.aio.secure_channel(address, creds) as channel:
            reply = await detect(channel)
            assert reply.detections[0].language_code == "uk"
        async with grpc.aio.insecure_channel(address) as channel:
            with pytest.raises(grpc.aio.AioRpcError) as err:
                await detect(channel)
            assert err.value.code() == grpc.StatusCode.UNAVAILABLE
    finally:
        await running.stop()
        built.close()


async def test_mutual_tls_requires_a_client_certificate(detector, pki) -> None:
    """With a client CA, a client without a certificate is refused; with one signed by
    that CA it is served — through the project's client too."""
    running, built, address = await start(
        detector,
        tls_cert=str(pki["cert"]),
        tls_key=str(pki["key"]),
        tls_client_ca=str(pki["ca"]),
    )
    try:
        no_cert = grpc.ssl_channel_credentials(pki["ca"].read_bytes())
        async with grpc.aio.secure_channel(address, no_cert) as channel:
            with pytest.raises(grpc.aio.AioRpcError) as err:
                await detect(channel)
            assert err.value.code() == grpc.StatusCode.UNAVAILABLE
        config = ClientConfig.from_env(
            {
                "NEWSDESK_CA_FILE": str(pki["ca"]),
                "NEWSDESK_CLIENT_CERT": str(pki["client_cert"]),
                "NEWSDESK_CLIENT_KEY": str(pki["client_key"]),
            },
            detector=address,
        )
        async with AsyncNewsdeskClient(config) as client:
            result = await client.detect("Добрий день, як справи?")
            assert result.language == "uk"
        # check() is blocking: off the loop, which serves the call.
        assert await asyncio.to_thread(check, address, config=config) == "SERVING"
        assert await asyncio.to_thread(check, address, config=ClientConfig()) != "SERVING"
    finally:
        await running.stop()
        built.close()


async def test_tokens_guard_every_rpc_but_health(detector, tmp_path, caplog) -> None:
    """With a token file: no token or a wrong one is UNAUTHENTICATED (reflection too),
    the right one is served, health needs none, and the token never reaches a log."""
    caplog.set_level(logging.DEBUG)
    tokens = tmp_path / "tokens"
    tokens.write_text(f"# rotated 2026-11\n{TOKEN}\n")
    running, built, address = await start(detector, token_file=str(tokens))
    try:
        async with grpc.aio.insecure_channel(address) as channel:
            for metadata in ((), (("authorization", "Bearer wrong"),), (("authorization", TOKEN),)):
                with pytest.raises(grpc.aio.AioRpcError) as err:
                    await detect(channel, metadata)
                assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED
                from google.rpc import error_details_pb2

                info = status_detail(err.value, error_details_pb2.ErrorInfo)
                assert info is not None and info.reason == "UNAUTHENTICATED"
            reply = await detect(channel, (("authorization", f"Bearer {TOKEN}"),))
            assert reply.detections[0].language_code == "uk"
            health = await health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(), timeout=5
            )
            assert health.status == health_pb2.HealthCheckResponse.SERVING
            stub = reflection_pb2_grpc.ServerReflectionStub(channel)

            async def ask():
                yield reflection_pb2.ServerReflectionRequest(list_services="")

            with pytest.raises(grpc.aio.AioRpcError) as err:
                async for _ in stub.ServerReflectionInfo(ask()):
                    pass
            assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED
            names = []
            async for reply in stub.ServerReflectionInfo(
                ask(), metadata=(("authorization", f"Bearer {TOKEN}"),)
            ):
                names = [s.name for s in reply.list_services_response.service]
            assert "newsdesk.language.v1.LanguageService" in names
    finally:
        await running.stop()
        built.close()
    assert not any(TOKEN in str(r.msg) or "wrong" in str(r.msg) for r in caplog.records)


async def test_tokens_rotate_without_a_restart(detector, tmp_path) -> None:
    """Rewriting the token file takes effect on the next call: the new token is
    accepted, the retired one refused; the client reads NEWSDESK_TOKEN_FILE."""
    tokens = tmp_path / "tokens"
    tokens.write_text("old-token\n")
    running, built, address = await start(detector, token_file=str(tokens))
    try:
        old = ClientConfig.from_env({"NEWSDESK_TOKEN_FILE": str(tokens)}, detector=address)
        async with AsyncNewsdeskClient(old) as client:
            assert (await client.detect("Добрий день, як справи?")).language == "uk"
        tokens.write_text("new-token\n")
        os.utime(tokens, (1, 2))  # a distinct mtime even within one clock tick
        async with AsyncNewsdeskClient(old) as client:
            with pytest.raises(NewsdeskError) as err:
                await client.detect("Добрий день, як справи?")
            assert err.value.code == "UNAUTHENTICATED"
        new = ClientConfig.from_env({"NEWSDESK_TOKEN": "new-token"}, detector=address)
        async with AsyncNewsdeskClient(new) as client:
            assert (await client.detect("Добрий день, як справи?")).language == "uk"
    finally:
        await running.stop()
        built.close()


async def test_health_probe_speaks_tls(detector, pki, capsys) -> None:
    """The container probe checks a TLS server (compose healthchecks and Kubernetes
    exec probes use it when TLS is on), and fails on a plaintext attempt."""
    running, built, address = await start(
        detector, tls_cert=str(pki["cert"]), tls_key=str(pki["key"])
    )
    try:
        code = await asyncio.to_thread(probe_main, [address, "--ca", str(pki["ca"])])
        assert code == 0
        assert await asyncio.to_thread(probe_main, [address, "--timeout", "2"]) == 1
    finally:
        await running.stop()
        built.close()


def test_tls_and_token_settings_are_checked(tmp_path: Path) -> None:
    """A certificate without its key, a CA without a certificate, or an unreadable file
    stops the service at start, naming the variable."""
    prefix = "NEWSDESK_DETECTOR_"
    cert = tmp_path / "c.pem"
    cert.write_text("x")
    cases = [
        {f"{prefix}TLS_CERT": str(cert)},
        {f"{prefix}TLS_CLIENT_CA": str(cert)},
        {f"{prefix}TOKEN_FILE": str(tmp_path / "absent")},
    ]
    for env in cases:
        with pytest.raises(ConfigError) as err:
            ServerConfig.from_env(env, prefix, port=1, metrics_port=0)
        assert any(name.removeprefix(prefix) in str(err.value) for name in env)


async def test_emptying_or_deleting_the_token_file_revokes(detector, tmp_path, caplog) -> None:
    """A readable file with no token refuses everyone (how an operator revokes); a
    missing or non-UTF-8 file fails closed too: UNAUTHENTICATED, never UNKNOWN, one
    log line per new problem and no traceback; a good file again is served again."""
    caplog.set_level(logging.INFO)
    tokens = tmp_path / "tokens"
    tokens.write_text(f"{TOKEN}\n")
    running, built, address = await start(detector, token_file=str(tokens))
    good = (("authorization", f"Bearer {TOKEN}"),)
    stamp = iter(range(10, 100))

    def rewrite(data: bytes | None) -> None:
        if data is None:
            tokens.unlink()
            return
        tokens.write_bytes(data)
        os.utime(tokens, (1, next(stamp)))  # a distinct mtime even within one clock tick

    try:
        async with grpc.aio.insecure_channel(address) as channel:
            assert (await detect(channel, good)).detections[0].language_code == "uk"
            for data, event in (
                (b"", "auth.tokens_revoked"),
                (b"# all revoked\n\n", "auth.tokens_revoked"),
                (None, "auth.token_file_unreadable"),
                (b"\xff\xfe" + TOKEN.encode(), "auth.token_file_unreadable"),
            ):
                rewrite(data)
                caplog.clear()
                for _ in range(3):
                    with pytest.raises(grpc.aio.AioRpcError) as err:
                        await detect(channel, good)
                    assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED, data
                lines = [r for r in caplog.records if event in str(r.msg)]
                assert len(lines) == 1, (data, [str(r.msg) for r in caplog.records])
                assert not any(r.exc_info for r in caplog.records)
            rewrite(f"{TOKEN}\n".encode())
            assert (await detect(channel, good)).detections[0].language_code == "uk"
    finally:
        await running.stop()
        built.close()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "holds no token"),
        (b"# all revoked\n", "holds no token"),
        (b"\xff\xfetoken\n", "not UTF-8"),
    ],
    ids=["empty", "comments-only", "not-utf8"],
)
def test_a_token_file_that_refuses_everyone_stops_the_start(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    """At start a token file with no token, or not UTF-8, is a configuration error
    naming the variable (exit 2), checked before any model loads: the translator
    with no models at all still exits 2, not 3 (missing model)."""
    import subprocess
    import sys

    prefix = "NEWSDESK_DETECTOR_"
    tokens = tmp_path / "tokens"
    tokens.write_bytes(content)
    with pytest.raises(ConfigError, match=problem) as err:
        ServerConfig.from_env({f"{prefix}TOKEN_FILE": str(tokens)}, prefix, port=1, metrics_port=0)
    assert f"{prefix}TOKEN_FILE" in str(err.value)
    empty_models = tmp_path / "models"
    empty_models.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "services.translator"],
        env={
            **os.environ,
            "NEWSDESK_MODEL_DIR": str(empty_models),
            "NEWSDESK_TRANSLATOR_TOKEN_FILE": str(tokens),
            "NEWSDESK_TRANSLATOR_PORT": "0",
            "NEWSDESK_TRANSLATOR_METRICS_PORT": "0",
            "NEWSDESK_LOG_FORMAT": "json",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert "NEWSDESK_TRANSLATOR_TOKEN_FILE" in result.stderr and problem in result.stderr
    assert "Traceback" not in result.stderr


async def test_an_expired_certificate_is_logged_at_start(detector, tmp_path, caplog) -> None:
    """A server started with an expired certificate logs a warning saying so."""
    import datetime

    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    now = datetime.datetime.now(datetime.UTC)
    expired = ca.issue_cert(
        "127.0.0.1",
        not_before=now - datetime.timedelta(days=30),
        not_after=now - datetime.timedelta(days=2),
    )
    cert, key = tmp_path / "server.pem", tmp_path / "server.key"
    expired.cert_chain_pems[0].write_to_path(str(cert))
    expired.private_key_pem.write_to_path(str(key))
    caplog.set_level(logging.INFO)
    running, built, _ = await start(detector, tls_cert=str(cert), tls_key=str(key))
    try:
        warned = [r for r in caplog.records if "tls.certificate_expired" in str(r.msg)]
        assert len(warned) == 1 and warned[0].levelno == logging.WARNING
    finally:
        await running.stop()
        built.close()


async def test_health_says_when_the_server_expects_tls(detector, pki, monkeypatch, capsys) -> None:
    """`newsdesk health` says a TLS server expects TLS when the client has none, naming
    the client's TLS variables (not "start it"); with the CA set it is SERVING, and a
    plaintext server is named as not speaking TLS; a closed port is "not reachable"."""
    from newsdesk_client.cli.main import main as cli_main

    for name in ("NEWSDESK_TLS", "NEWSDESK_CA_FILE", "NEWSDESK_CLIENT_CERT", "NEWSDESK_CLIENT_KEY"):
        monkeypatch.delenv(name, raising=False)
    tls, tls_built, tls_address = await start(
        detector, tls_cert=str(pki["cert"]), tls_key=str(pki["key"])
    )
    plain, plain_built, plain_address = await start(detector)
    try:

        def health(detector: str, translator: str, summarizer: str) -> tuple[int, list[str]]:
            flags = [f"--detector={detector}", f"--translator={translator}"]
            code = cli_main(["health", *flags, f"--summarizer={summarizer}"])
            return code, capsys.readouterr().out.splitlines()

        # cli_main blocks: off the loop, which serves the calls.
        code, lines = await asyncio.to_thread(health, tls_address, plain_address, "127.0.0.1:1")
        assert code == 1, lines
        assert "UNAVAILABLE" in lines[0] and "expects TLS" in lines[0], lines
        assert "NEWSDESK_CA_FILE" in lines[0] and "not reachable" not in lines[0]
        assert lines[1].split()[2] == "SERVING"
        assert "UNAVAILABLE" in lines[2] and "not reachable" in lines[2]
        monkeypatch.setenv("NEWSDESK_CA_FILE", str(pki["ca"]))
        code, lines = await asyncio.to_thread(health, tls_address, plain_address, tls_address)
        assert code == 1, lines
        assert lines[0].split()[2] == "SERVING" == lines[2].split()[2], lines
        assert "UNAVAILABLE" in lines[1] and "does not speak TLS" in lines[1]
    finally:
        await tls.stop()
        await plain.stop()
        tls_built.close()
        plain_built.close()
