"""Running the four services as local processes (`newsdesk serve`, `newsdesk smoke`).

For people who don't use containers. Each service runs as `python -m services.<name>`
with its own environment; `stop()` sends SIGTERM and waits for the graceful drain.
What goes wrong is said in words on the terminal: a port already taken (checked before
anything is built), the reason a service gave in its log for not starting, and how a
service that died while serving ended (exit code and its meaning, or the signal).
Needs the serve extra (the services extra with --local-models).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from newsdesk_client.config import ClientConfig
from newsdesk_client.health import check

SERVICES = ("detector", "translator", "summarizer", "archive")
DEFAULT_PORTS = {"detector": 50051, "translator": 50052, "summarizer": 50053, "archive": 50054}
# Locally built random-weight models are published under this organisation
# (services/*/build_local.py) and live in their own directory, never beside pulled ones.
LOCAL_ORG = "newsdesk-local"
# What a service's exit code means (services.common.serving.main.serve_main; 1 is Python's
# code for an uncaught exception).
EXIT_MEANINGS = {
    0: "it exited on its own",
    1: "an unexpected error: the traceback is in its log",
    2: "a bad configuration variable",
    3: "its model is not on disk",
    4: "its model could not be loaded (damaged, or not what the engine expects), or "
    "the archive's storage could not be opened",
}
# By name: not every platform has every signal (the client also runs on Windows).
SIGNAL_MEANINGS = {
    "SIGKILL": "the kernel's out-of-memory killer, or kill -9",
    "SIGTERM": "asked to stop by something other than newsdesk serve",
    "SIGINT": "interrupted",
    "SIGSEGV": "crashed in native code (segmentation fault)",
    "SIGABRT": "aborted in native code",
    "SIGBUS": "crashed in native code (bus error)",
}


def free_port() -> int:
    """A port the OS says is free on 127.0.0.1 now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_taken(host: str, port: int) -> str:
    """Why gRPC could not listen on host:port now ("" when it could): checked with the
    socket options gRPC uses (SO_REUSEADDR, so a port in TIME_WAIT counts as free)."""
    try:
        infos = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except socket.gaierror as exc:
        return f"the host {host!r} does not resolve ({exc.strerror})"
    for family, kind, proto, _name, address in infos:
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(address)
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    return "something is already listening there"
                if exc.errno == errno.EADDRNOTAVAIL:
                    return f"{host} is not an address of this machine"
                if exc.errno == errno.EACCES:
                    return "ports below 1024 need root"
                return exc.strerror or str(exc)
    return ""


def how_it_ended(code: int) -> str:
    """A process's return code in words: the signal's name, or the exit code and what
    a service means by it."""
    if code < 0:
        try:
            sig = signal.Signals(-code)
        except ValueError:
            return f"killed by signal {-code}"
        meaning = SIGNAL_MEANINGS.get(sig.name)
        return f"killed by {sig.name}" + (f" ({meaning})" if meaning else "")
    meaning = EXIT_MEANINGS.get(code)
    return f"exit code {code}" + (f" ({meaning})" if meaning else "")


_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b")


def log_reason(path: Path | None, tail: int = 200) -> str:
    """The reason a service gave for stopping, from the end of its log: the last
    error-level JSON record (its event, error and hint), or the last exception line of
    a traceback, or a plain `configuration error` message; "" when the log says none."""
    if path is None:
        return ""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()[-tail:]
    except OSError:
        return ""
    for line in reversed(lines):
        text = line.strip()
        if text.startswith("{"):
            try:
                record = json.loads(text)
            except ValueError:
                continue
            if isinstance(record, dict) and record.get("level") in {"error", "critical"}:
                words = [str(record.get("event", "error"))]
                words += [str(record[k]) for k in ("error_type", "error") if record.get(k)]
                reason = ": ".join(words)
                return reason + (f"\n  hint: {record['hint']}" if record.get("hint") else "")
        elif _EXCEPTION_LINE.match(text) or "configuration error" in text:
            return text
    return ""


def local_model_dir(given: str | None) -> Path:
    """Where locally built models go: the directory given, or
    ~/.cache/newsdesk/local-models — never the pulled models' directory."""
    if given:
        return Path(given).expanduser()
    return Path.home() / ".cache" / "newsdesk" / "local-models"


def pulled_models(model_dir: Path) -> list[str]:
    """Models in model_dir that were not built locally (ORG/NAME of each)."""
    if not model_dir.is_dir():
        return []
    names = [
        p.name.removeprefix("models--").replace("--", "/", 1) for p in model_dir.glob("models--*")
    ]
    return sorted(n for n in names if not n.startswith(LOCAL_ORG + "/"))


@contextlib.contextmanager
def output_to(log: Path) -> Iterator[None]:
    """Send this process's stdout and stderr (file descriptors 1 and 2: native
    libraries' output included) to `log` for the duration."""
    log.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with log.open("ab") as handle:
        os.dup2(handle.fileno(), 1)
        os.dup2(handle.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def local_model_env(model_dir: Path, log: Path | None = None) -> dict[str, str]:
    """Build the tiny offline models into model_dir and convert them for the default
    engine (CTranslate2 int8); the env that makes services use them. What the builders
    print (training progress, transformers' warnings about random-weight models) goes
    to `log`, or nowhere."""
    from services.common.models.ct2_convert import convert
    from services.summarizer.build_local import build_bart
    from services.translator.build_local import build_marian

    with output_to(log or Path(os.devnull)):
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


class ServiceFailed(RuntimeError):
    """A service exited while starting: its name, return code and the reason from its
    log (the message says all three, and where the log is)."""

    def __init__(self, name: str, code: int, reason: str, log: Path | None) -> None:
        self.name, self.code, self.reason, self.log = name, code, reason, log
        message = f"{name} could not start: {how_it_ended(code)}"
        if reason:
            message += f"\n  {reason}"
        if log is not None:
            message += f"\n  log: {log}"
        super().__init__(message)


@dataclass
class LocalStack:
    """The services as child processes."""

    ports: dict[str, int]
    env: Mapping[str, str]
    host: str = "127.0.0.1"
    log_dir: Path | None = None
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    # How to reach them for health checks: TLS settings from NEWSDESK_CA_FILE etc.
    client: ClientConfig = field(default_factory=ClientConfig.from_env)

    def address(self, name: str) -> str:
        """host:port of a service ([host]:port for an IPv6 host)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.ports[name]}"

    def log(self, name: str) -> Path | None:
        """A service's log file (None when its output is not kept)."""
        return self.log_dir / f"{name}.log" if self.log_dir is not None else None

    def start(self, timeout: float = 300.0) -> None:
        """Start every service given a port and wait until each answers SERVING (or fail
        naming it)."""
        self.start_only(tuple(self.ports), timeout)

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
            log = self.log(name)
            if log is not None:
                log.parent.mkdir(parents=True, exist_ok=True)
                out = log.open("ab")
            self.processes[name] = subprocess.Popen(
                [sys.executable, "-m", f"services.{name}"],
                env=env,
                stdout=out or subprocess.DEVNULL,
                stderr=subprocess.STDOUT if out else None,
            )
            if out is not None:
                out.close()  # the child holds its own copy
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
                raise ServiceFailed(
                    name, proc.returncode, log_reason(self.log(name)), self.log(name)
                )
            if port_file.is_file():
                self.ports[name] = int(port_file.read_text(encoding="utf-8"))
                if check(self.address(name), timeout=2.0, config=self.client) == "SERVING":
                    return
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"{name} at {self.address(name)} not healthy in time")
            time.sleep(0.2)

    def exited(self) -> dict[str, int]:
        """The services that have exited, and their return codes."""
        return {n: p.returncode for n, p in self.processes.items() if p.poll() is not None}

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
