"""docker-compose.yml exercised without an engine: each service's image command
(the Dockerfile's exec-form ENTRYPOINT) runs as a local process with the compose
environment, ports remapped to free ones and the model directory pointed at the tiny
local models; health is awaited the way compose does (its healthcheck command,
start_period, interval, retries); then the client chain runs against them and each
service is stopped with SIGTERM within stop_grace_period.

Proof that commands, ports and variable names in the compose file match the code.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from newsdesk_client import ClientConfig, NewsdeskClient
from services.summarizer.build_local import TINY_SPEC as BART
from services.tools.local import free_port
from services.translator.build_local import TINY_SPEC as MARIAN
from tests.deploy.manifests import REPO, built_image, compose, entrypoint, image_env

ORDER = ("detector", "translator", "summarizer")


def seconds(value: str) -> float:
    return float(value.rstrip("s"))


def test_compose_services_run_and_chain(model_dir, tmp_path) -> None:
    """The three compose services start from their image commands and environment,
    pass their compose healthchecks, serve a brief, and drain on SIGTERM."""
    spec = compose()["services"]
    procs: dict[str, subprocess.Popen[bytes]] = {}
    ports: dict[str, int] = {}
    try:
        for name in ORDER:
            service = spec[name]
            dockerfile, args = built_image(name)
            _host_port, container_port = service["ports"][0].split(":")
            ports[name] = free_port()
            env = {
                **image_env(dockerfile, args),
                **{k: str(v) for k, v in service["environment"].items()},
            }
            # Remap: compose's container port → a free local port; metrics off.
            prefix = f"NEWSDESK_{name.upper()}_"
            assert env[f"{prefix}PORT"] == container_port
            env[f"{prefix}PORT"] = str(ports[name])
            env[f"{prefix}METRICS_PORT"] = "0"
            env[f"{prefix}HOST"] = "127.0.0.1"
            # The model volume → the tiny local models (same directory layout).
            env["NEWSDESK_MODEL_DIR"] = str(model_dir)
            env["NEWSDESK_TRANSLATOR_MODEL_UK"] = str(MARIAN)
            env["NEWSDESK_TRANSLATOR_MODEL_RU"] = str(MARIAN)
            env["NEWSDESK_SUMMARIZER_MODEL"] = str(BART)
            env["PATH"] = f"{os.path.dirname(sys.executable)}:{os.environ.get('PATH', '')}"
            env["HOME"] = str(tmp_path)
            command = entrypoint(dockerfile, args)
            command[0] = sys.executable if command[0] == "python" else command[0]
            log = (tmp_path / f"{name}.log").open("wb")
            procs[name] = subprocess.Popen(
                command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO
            )
        for name in ORDER:
            check = spec[name]["healthcheck"]
            test = list(check["test"][1:])
            test[-1] = f"127.0.0.1:{ports[name]}"
            test[0] = sys.executable if test[0] == "python" else test[0]
            budget = seconds(check["start_period"]) + check["retries"] * seconds(check["interval"])
            deadline = time.monotonic() + budget
            while True:
                assert procs[name].poll() is None, (tmp_path / f"{name}.log").read_text()
                if subprocess.run(test, capture_output=True, timeout=30).returncode == 0:
                    break
                assert time.monotonic() < deadline, f"{name} never became healthy"
                time.sleep(1.0)
        config = ClientConfig(
            detector=f"127.0.0.1:{ports['detector']}",
            translator=f"127.0.0.1:{ports['translator']}",
            summarizer=f"127.0.0.1:{ports['summarizer']}",
        )
        with NewsdeskClient(config) as client:
            brief = client.brief(
                "Правительство России объявило о новых мерах поддержки. "
                "Эксперты предупреждают о трудной зиме."
            )
        assert brief.language == "ru" and brief.translated
        assert brief.headline and brief.summary
        # A random model's translation of two sentences reads as one: no bullet can be
        # drawn without repeating the lead, and the brief says so.
        assert brief.bullets or brief.shortfall == "SHORT_ARTICLE"
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for name, proc in procs.items():
            grace = seconds(spec[name]["stop_grace_period"])
            try:
                code = proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                proc.kill()
                raise AssertionError(f"{name} outlived stop_grace_period") from None
            assert code == 0, f"{name} exited {code}"


def test_compose_archive_runs_on_its_volume_and_drains(tmp_path) -> None:
    """The archive starts from its image command and compose environment with the
    `archive` volume's /data standing at a local folder: it creates and migrates the
    SQLite file there (WAL beside it), passes its compose healthcheck, stores and finds
    an item, and drains on SIGTERM within stop_grace_period."""
    import grpc

    from newsdesk.archive.v1 import archive_pb2, archive_pb2_grpc

    service = compose()["services"]["archive"]
    dockerfile, args = built_image("archive")
    (mount,) = service["volumes"]
    volume = tmp_path / "volume"  # the named volume, empty as a fresh one is
    volume.mkdir()
    port = free_port()
    env = {
        **image_env(dockerfile, args),
        **{k: str(v) for k, v in service["environment"].items()},
    }
    _host_port, container_port = service["ports"][0].split(":")
    assert env["NEWSDESK_ARCHIVE_PORT"] == container_port
    target = mount.split(":")[1]
    assert env["NEWSDESK_ARCHIVE_URL"].startswith(f"sqlite:///{target}/")
    database = volume / env["NEWSDESK_ARCHIVE_URL"].removeprefix(f"sqlite:///{target}/")
    env.update(
        NEWSDESK_ARCHIVE_URL=f"sqlite:///{database}",
        NEWSDESK_ARCHIVE_PORT=str(port),
        NEWSDESK_ARCHIVE_METRICS_PORT="0",
        NEWSDESK_ARCHIVE_HOST="127.0.0.1",
        PATH=f"{os.path.dirname(sys.executable)}:{os.environ.get('PATH', '')}",
        HOME=str(tmp_path),
    )
    command = entrypoint(dockerfile, args)
    command[0] = sys.executable if command[0] == "python" else command[0]
    log_path = tmp_path / "archive.log"
    proc = subprocess.Popen(
        command, env=env, stdout=log_path.open("wb"), stderr=subprocess.STDOUT, cwd=REPO
    )
    try:
        check = service["healthcheck"]
        test = list(check["test"][1:])
        test[-1] = f"127.0.0.1:{port}"
        test[0] = sys.executable if test[0] == "python" else test[0]
        deadline = time.monotonic() + seconds(check["start_period"])
        deadline += check["retries"] * seconds(check["interval"])
        while subprocess.run(test, capture_output=True, timeout=30).returncode != 0:
            assert proc.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, "the archive never became healthy"
            time.sleep(0.5)
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = archive_pb2_grpc.ArchiveServiceStub(channel)
            item = archive_pb2.Item(
                english_text="The parliament in Kyiv passed the budget on Tuesday.",
                published_date="2024-03-05",
            )
            (stored,) = stub.AddItems(archive_pb2.AddItemsRequest(items=[item]), timeout=30).items
            found = stub.Search(archive_pb2.SearchRequest(query="parliament budget"), timeout=30)
            assert [r.item.id for r in found.results] == [stored.id]
            info = stub.Info(archive_pb2.InfoRequest(), timeout=30)
            assert info.storage == "sqlite" and info.item_count == 1
            assert info.retention_days == int(
                service["environment"]["NEWSDESK_ARCHIVE_RETENTION_DAYS"]
            )
        assert database.is_file()
        assert {p.name for p in volume.iterdir()} <= {
            database.name,
            f"{database.name}-wal",
            f"{database.name}-shm",
        }
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=seconds(service["stop_grace_period"]))
        except subprocess.TimeoutExpired:
            proc.kill()
            raise AssertionError("the archive outlived stop_grace_period") from None
    assert code == 0, log_path.read_text()
