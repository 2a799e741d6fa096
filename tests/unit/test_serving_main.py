"""serve_main's wiring (serving/main.py), with a fake build() and a fake server (no
model, no socket): a bad configuration exits 2 before anything loads; the model is
built before the port is bound; a missing or broken model exits 3 or 4 with one log
line and nothing bound; SIGTERM stops the server and then the model is released —
also when serving fails. The real servers and exit codes of `python -m services.*`
are in tests/integration (test_entrypoints.py, test_serve_cli.py)."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from newsdesk_shared import tracing
from services.common import logs
from services.common.config import ConfigError, LogConfig
from services.common.models.store import ModelNotFound
from services.common.serving import main, server
from services.common.serving.main import Built, serve_main

BINDING = server.ServiceBinding("newsdesk.test.v1.TestService", object(), lambda s, srv: None)


class World:
    """Records, in order, what serve_main did: config read, logging configured, model
    built, port bound, serving, stopped, model released, traces flushed."""

    def __init__(self, tmp_path: Path) -> None:
        self.events: list[str] = []
        self.seen_env: dict[str, str | None] = {}
        self.config = SimpleNamespace(
            # run_service reads only port_file; the rest goes to the (fake) server.
            server=SimpleNamespace(port_file=str(tmp_path / "port")),
            log=LogConfig(level="DEBUG", format="json"),
        )
        self.built = Built([BINDING], [lambda: self.events.append("release")], {"model_id": "m"})

    def read_config(self, environ) -> Any:
        self.events.append("config")
        return self.config

    def build(self, config) -> Built:
        assert config is self.config
        self.seen_env = {k: os.environ.get(k) for k in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
        self.events.append("build")
        return self.built


class FakeRunning:
    """A started server that, once serving, receives SIGTERM from its own process."""

    port = 43_210

    def __init__(self, world: World) -> None:
        self.world = world
        self.stopped = asyncio.Event()

    async def wait(self) -> None:
        self.world.events.append("serving")
        # Called by serve_until_signalled after its handlers are installed; without
        # them SIGTERM would end the test run, so refuse rather than send it.
        assert signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, None)
        signal.raise_signal(signal.SIGTERM)
        await self.stopped.wait()

    async def stop(self) -> None:
        self.world.events.append("stop")
        self.stopped.set()


@pytest.fixture
def world(tmp_path: Path, monkeypatch) -> World:
    """serve_main with logging, tracing and the gRPC server replaced by recorders."""
    world = World(tmp_path)
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.setenv(name, "x")  # so that teardown restores the variable, then:
        monkeypatch.delenv(name)

    def configure_logging(*, json: bool | None = None, level: str = "INFO") -> None:
        world.events.append(f"logging:{level}:{json}")

    async def start_server(config, bindings, **_: Any) -> FakeRunning:
        assert config is world.config.server and list(bindings) == [BINDING]
        world.events.append("bind")
        return FakeRunning(world)

    monkeypatch.setattr(logs, "configure_logging", configure_logging)
    monkeypatch.setattr(tracing, "configure", lambda name, exporter=None: False)
    monkeypatch.setattr(tracing, "flush", lambda: world.events.append("flush"))
    monkeypatch.setattr(server, "start_server", start_server)
    # gc.freeze in the test process would keep every object of the run alive.
    monkeypatch.setattr(main, "freeze_loaded_objects", lambda: world.events.append("freeze"))
    return world


def test_the_model_is_built_before_the_port_is_bound_and_released_after_stop(
    world: World, caplog
) -> None:
    """config → logging → build → freeze the loaded objects → bind → serve; SIGTERM →
    stop → release → flush; exit 0; the bound port is published in PORT_FILE."""
    caplog.set_level(logging.INFO)
    assert serve_main("test", world.read_config, world.build) == 0
    assert world.events == [
        "config",
        "logging:DEBUG:True",
        "build",
        "freeze",
        "bind",
        "serving",
        "stop",
        "release",
        "flush",
    ]
    assert Path(world.config.server.port_file).read_text() == str(FakeRunning.port)
    messages = [r.msg for r in caplog.records if isinstance(r.msg, dict)]
    loaded = [m for m in messages if m["event"] == "model.loaded"]
    assert len(loaded) == 1 and loaded[0]["model_id"] == "m" and loaded[0]["load_s"] >= 0
    assert any(m["event"] == "server.signal_received" for m in messages)


def test_an_unknown_newsdesk_variable_is_warned_about(world: World, monkeypatch, caplog) -> None:
    """A NEWSDESK_* variable nothing reads (a typo, a removed variable) is named in a
    warning at start, never silently ignored; registered ones are not."""
    caplog.set_level(logging.INFO)
    monkeypatch.setenv("NEWSDESK_TRANSLATOR_NUM_BEAM", "2")  # typo of …_NUM_BEAMS
    monkeypatch.setenv("NEWSDESK_TRANSLATOR_DETECTOR_METHOD", "langdetect")  # removed
    monkeypatch.setenv("NEWSDESK_LOG_LEVEL", "INFO")  # registered
    assert serve_main("test", world.read_config, world.build) == 0
    warned = [
        r.msg["variable"]
        for r in caplog.records
        if isinstance(r.msg, dict) and r.msg["event"] == "config.unknown_variable"
    ]
    assert "NEWSDESK_TRANSLATOR_NUM_BEAM" in warned
    assert "NEWSDESK_TRANSLATOR_DETECTOR_METHOD" in warned
    assert "NEWSDESK_LOG_LEVEL" not in warned


def test_serving_never_downloads(world: World, monkeypatch) -> None:
    """HF_HUB_OFFLINE and TRANSFORMERS_OFFLINE are 1 while the model loads, unless the
    operator set them."""
    serve_main("test", world.read_config, world.build)
    assert world.seen_env == {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    serve_main("test", world.read_config, world.build)
    assert world.seen_env["HF_HUB_OFFLINE"] == "0"


def test_a_bad_configuration_exits_2_before_anything_loads(world: World, capsys) -> None:
    """ConfigError: exit 2 with one line naming the service and the variable; no
    logging set up, nothing built or bound."""

    def bad(environ) -> Any:
        raise ConfigError("NEWSDESK_TEST_PORT='eighty' is not an integer")

    with pytest.raises(SystemExit) as caught:
        serve_main("test", bad, world.build)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err == (
        "newsdesk test: configuration error: NEWSDESK_TEST_PORT='eighty' is not an integer\n"
    )
    assert world.events == []


@pytest.mark.parametrize(
    ("error", "code", "event"),
    [
        pytest.param(
            ModelNotFound("org/model is not in /models: newsdesk models pull"),
            3,
            "model.missing",
            id="missing",
        ),
        pytest.param(
            ValueError("bad\n   weights " + "x" * 1000), 4, "model.load_failed", id="broken"
        ),
    ],
)
def test_a_model_that_cannot_load_exits_without_binding(
    world: World, caplog, error: Exception, code: int, event: str
) -> None:
    """A missing model exits 3, a broken one 4: one error line saying why (the error
    on one line, cut to 500 characters, no traceback), the port never bound, nothing
    to release."""
    caplog.set_level(logging.INFO)

    def build(config) -> Built:
        world.events.append("build")
        raise error

    assert serve_main("test", world.read_config, build) == code
    assert world.events == ["config", "logging:DEBUG:True", "build"]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.msg["event"] for r in errors] == [event]
    assert not any(r.exc_info for r in caplog.records)
    line = errors[0].msg
    if code == 3:
        assert line["error"] == str(error)
    else:
        assert line["error_type"] == "ValueError"
        assert line["error"].startswith("bad weights x") and len(line["error"]) == 500
        assert "newsdesk models pull" in line["hint"]


def test_the_model_is_released_when_serving_fails(world: World, monkeypatch) -> None:
    """A server that cannot start (port taken, say) raises through serve_main, and the
    model is still released and traces flushed."""

    async def cannot_bind(config, bindings, **_: Any) -> None:
        world.events.append("bind")
        raise RuntimeError("could not bind 0.0.0.0:0")

    monkeypatch.setattr(server, "start_server", cannot_bind)
    with pytest.raises(RuntimeError, match="could not bind"):
        serve_main("test", world.read_config, world.build)
    assert world.events[-5:] == ["build", "freeze", "bind", "release", "flush"]


def test_built_close_runs_every_closer_in_order() -> None:
    """Built.close releases in the order the closers were given (batchers, then
    runners, then models)."""
    released: list[int] = []
    built = Built([], [lambda: released.append(1), lambda: released.append(2)])
    built.close()
    assert released == [1, 2]
    assert Built([]).loaded == {}


def test_objects_alive_after_loading_are_frozen_out_of_the_collector() -> None:
    """freeze_loaded_objects (run by serve_main after the model loads): what exists then
    is never scanned by a full collection again, so a collection while serving is short
    (it was 14-35 ms over ~50,000 loaded objects, enough to split a burst's batch). Run
    in a child: gc.freeze in the test process would pin the whole run's objects."""
    code = (
        "import gc\n"
        "from services.common.memory import freeze_loaded_objects\n"
        "loaded = [{'k': [i]} for i in range(200_000)]\n"
        "scanned = len(gc.get_objects())\n"
        "frozen = freeze_loaded_objects()\n"
        "print(frozen, scanned, len(gc.get_objects()))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    ).stdout.split()
    frozen, scanned_before, scanned_after = (int(x) for x in out)
    assert frozen >= 400_000  # the 200,000 dicts and their lists, at least
    # What a full collection walks: everything before, next to nothing after.
    assert scanned_before >= 400_000 and scanned_after < scanned_before // 100
