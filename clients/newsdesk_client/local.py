"""Running the three services as local processes (`newsdesk serve`, `newsdesk smoke`).

For people who don't use containers. Each service runs as `python -m services.<name>`
with its own environment; `stop()` sends SIGTERM and waits for the graceful drain.
Needs the services extra (`pip install 'newsdesk[services]'`).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from newsdesk_client.config import ClientConfig
from newsdesk_client.health import check

SERVICES = ("detector", "translator", "summarizer")
DEFAULT_PORTS = {"detector": 50051, "translator": 50052, "summarizer": 50053}


def free_port() -> int:
    """A port the OS says is free on 127.0.0.1 now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def local_model_env(model_dir: Path) -> dict[str, str]:
    """Build the tiny offline models into model_dir and convert them for the default
    engine (CTranslate2 int8); the env that makes services use them."""
    from services.common.convert import convert
    from services.summarizer.build_local import build_bart
    from services.translator.build_local import build_marian

    marian = build_marian(model_dir, "tiny")
    bart = build_bart(model_dir, "tiny")
    for local in (marian, bart):
        convert(local.spec, model_dir, quantization="int8")
    return {
        "NEWSDESK_MODEL_DIR": str(model_dir),
        "NEWSDESK_TRANSLATOR_MODEL_UK": str(marian.spec),
        "NEWSDESK_TRANSLATOR_MODEL_RU": str(marian.spec),
        "NEWSDESK_SUMMARIZER_MODEL": str(bart.spec),
    }


@dataclass
class LocalStack:
    """The three services as child processes."""

    ports: dict[str, int]
    env: Mapping[str, str]
    host: str = "127.0.0.1"
    log_dir: Path | None = None
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    # How to reach them for health checks: TLS settings from NEWSDESK_CA_FILE etc.
    client: ClientConfig = field(default_factory=ClientConfig.from_env)

    def address(self, name: str) -> str:
        """host:port of a service."""
        return f"{self.host}:{self.ports[name]}"

    def start(self, timeout: float = 300.0) -> None:
        """Start every service and wait until each answers SERVING (or fail naming it)."""
        self.start_only(SERVICES, timeout)

    def start_only(self, names: tuple[str, ...], timeout: float = 300.0) -> None:
        """Start the named services and wait until each answers SERVING. A port of 0
        lets the service bind any free port and report it through a port file (no
        race on a port picked here and released before the service binds it)."""
        port_dir = Path(tempfile.mkdtemp(prefix="newsdesk-ports-"))
        for name in names:
            prefix = f"NEWSDESK_{name.upper()}_"
            port_file = port_dir / f"{name}.port"
            env = {
                **os.environ,
                **self.env,
                f"{prefix}HOST": self.host,
                f"{prefix}PORT": str(self.ports[name]),
                f"{prefix}PORT_FILE": str(port_file),
                f"{prefix}METRICS_PORT": self.env.get(f"{prefix}METRICS_PORT", "0"),
            }
            out = None
            if self.log_dir is not None:
                self.log_dir.mkdir(parents=True, exist_ok=True)
                out = (self.log_dir / f"{name}.log").open("ab")
            self.processes[name] = subprocess.Popen(
                [sys.executable, "-m", f"services.{name}"],
                env=env,
                stdout=out or subprocess.DEVNULL,
                stderr=subprocess.STDOUT if out else None,
            )
        deadline = time.monotonic() + timeout
        try:
            for name in names:
                self._await_serving(name, port_dir / f"{name}.port", deadline)
        finally:
            shutil.rmtree(port_dir, ignore_errors=True)

    def _await_serving(self, name: str, port_file: Path, deadline: float) -> None:
        while True:
            proc = self.processes[name]
            if proc.poll() is not None:
                self.stop()
                raise RuntimeError(
                    f"{name} exited with code {proc.returncode} while starting"
                    + (f"; see {self.log_dir / (name + '.log')}" if self.log_dir else "")
                )
            if port_file.is_file():
                self.ports[name] = int(port_file.read_text(encoding="utf-8"))
                if check(self.address(name), timeout=2.0, config=self.client) == "SERVING":
                    return
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"{name} at {self.address(name)} not healthy in time")
            time.sleep(0.2)

    def stop(self, grace: float = 30.0) -> dict[str, int | None]:
        """SIGTERM every service, wait for the drain, kill what outlives the grace."""
        for proc in self.processes.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        codes: dict[str, int | None] = {}
        deadline = time.monotonic() + grace
        for name, proc in self.processes.items():
            try:
                codes[name] = proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                codes[name] = proc.wait()
        return codes
