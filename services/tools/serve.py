"""`newsdesk serve` and `newsdesk smoke`: the four services as local processes.

Everything a user needs to know is said on the terminal: a port already taken (checked
before any model is built), the reason a service gave for not starting (read from its
log, with its hint), and which service died while serving and how. Logs are removed
after a clean run and kept (and named) when something failed. Locally built models go
to their own directory, never the pulled models'. Exit codes of serve: 0 stopped by
Ctrl-C/SIGTERM after every service drained; 1 a service died while serving or did not
stop cleanly; 2 usage (a bad flag or variable, a port taken, a missing extra); 3 a
service could not start (its model is missing or unloadable, or it never got healthy).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsdesk_client import ClientConfig, NewsdeskClient, NewsdeskError
from newsdesk_client.cli.common import CliError, add_command
from services.tools.extras import MODEL_TOOLS, SERVE_NEEDS, needs
from services.tools.local import (
    DEFAULT_PORTS,
    SERVICES,
    LocalStack,
    ServiceFailed,
    how_it_ended,
    local_model_env,
    log_reason,
    port_taken,
)
from services.tools.models import build_dir, model_dir_of

if TYPE_CHECKING:
    from newsdesk_client.cli.common import Subparsers

_SERVE_DESCRIPTION = """Run the detector, translator, summarizer and archive as local processes, print
where each listens once it is SERVING, and drain them on Ctrl-C or SIGTERM. Ports are
checked before anything is built or started; a service that cannot start or dies is
named on the terminal with the reason and hint from its log. Logs are removed after a
clean stop, and kept (and named) when something failed."""
_SERVE_EPILOG = """examples:
  newsdesk serve                                  # :50051 … :50054 on 127.0.0.1
  newsdesk serve --ports 6051,6052,6053,6054
  newsdesk serve --translator-port 0              # any free port, printed when SERVING
  newsdesk serve --host 0.0.0.0                   # reachable from other machines
  newsdesk serve --local-models                   # tiny random models (output is noise)

ports: --detector-port, --translator-port, --summarizer-port, --archive-port, else
--ports D,T,S[,A], else NEWSDESK_DETECTOR_PORT, NEWSDESK_TRANSLATOR_PORT,
NEWSDESK_SUMMARIZER_PORT, NEWSDESK_ARCHIVE_PORT, else 50051, 50052, 50053, 50054; NEWSDESK_*_METRICS_PORT turns /metrics on. The services read the
other NEWSDESK_* variables as they do in containers.

exit codes: 0 stopped by Ctrl-C/SIGTERM, every service drained; 1 a service died while
serving (named, with its exit code or signal) or did not stop cleanly; 2 usage (a bad
flag or variable, a port taken, a missing extra); 3 a service could not start (its
model missing or unloadable, or never healthy: the reason is printed)."""


def register_serve(sub: Subparsers) -> None:
    """`newsdesk serve` (the plugin entry point)."""
    p = add_command(
        sub,
        "serve",
        "run the four services locally until Ctrl-C",
        description=_SERVE_DESCRIPTION,
        epilog=_SERVE_EPILOG,
        func=serve,
    )
    p.add_argument(
        "--model-dir",
        metavar="DIR",
        help="the models (NEWSDESK_MODEL_DIR; default ~/.cache/newsdesk/models); with "
        "--local-models, where the tiny models are built (default "
        "~/.cache/newsdesk/local-models; never a folder of pulled models)",
    )
    p.add_argument(
        "--local-models",
        action="store_true",
        help="build and serve the tiny offline test models (output is noise)",
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address all four listen on (default 127.0.0.1: this machine only; "
        "0.0.0.0: every interface)",
    )
    p.add_argument(
        "--ports",
        type=port_list,
        metavar="D,T,S[,A]",
        help="detector, translator, summarizer (and archive) ports (0: any free port)",
    )
    for name in SERVICES:
        p.add_argument(
            f"--{name}-port",
            type=port,
            metavar="PORT",
            help=f"the {name}'s port (NEWSDESK_{name.upper()}_PORT; default {DEFAULT_PORTS[name]})",
        )
    p.add_argument(
        "--log-dir",
        metavar="DIR",
        help="write the services' logs here and keep them (default: a temporary "
        "folder, removed after a clean stop)",
    )


def register_smoke(sub: Subparsers) -> None:
    """`newsdesk smoke` (the plugin entry point)."""
    p = sub.add_parser(
        "smoke",
        help="offline run of the whole chain on tiny random models (noise)",
        description="Build tiny random-weight models, start the four services on free "
        "ports, brief one article through them, stop them. Nothing is left behind: "
        "the models are built in a temporary folder unless --model-dir, and the logs "
        "are kept only when something failed.",
    )
    p.add_argument(
        "--model-dir",
        metavar="DIR",
        help="build (and keep) the tiny models here; never a folder of pulled models",
    )
    p.add_argument("path", nargs="?", help="article to brief (default: a built-in one)")
    p.set_defaults(func=smoke)


def port(value: str) -> int:
    """argparse type: a TCP port, 0..65535 (0: any free port)."""
    if not value.strip().isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port (0..65535)")
    return int(value)


def port_list(value: str) -> list[int]:
    """argparse type: three or four ports, detector,translator,summarizer[,archive]."""
    parts = value.split(",")
    if len(parts) not in (3, 4):
        raise argparse.ArgumentTypeError(
            f"{value!r}: give three or four ports, detector,translator,summarizer[,archive] "
            "(e.g. 6051,6052,6053,6054)"
        )
    return [port(p) for p in parts]


def _env_port(variable: str, default: int) -> int:
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) > 65535:
        raise CliError(f"{variable}={raw!r} is not a port (0..65535)")
    return int(raw)


def serve_ports(args: argparse.Namespace) -> dict[str, int]:
    """Each service's port: --NAME-port, else --ports D,T,S[,A], else NEWSDESK_NAME_PORT,
    else 50051/50052/50053/50054 (0: any free port, printed once serving)."""
    listed = dict(zip(SERVICES, args.ports or (), strict=False))
    ports = {}
    for name in SERVICES:
        flag = getattr(args, f"{name}_port", None)
        if flag is None:
            flag = listed.get(name)
        if flag is None:
            flag = _env_port(f"NEWSDESK_{name.upper()}_PORT", DEFAULT_PORTS[name])
        ports[name] = flag
    return ports


def metrics_env() -> dict[str, str]:
    """The services' NEWSDESK_NAME_METRICS_PORT settings from this environment (serve
    turns /metrics off unless one is set)."""
    env = {}
    for name in SERVICES:
        variable = f"NEWSDESK_{name.upper()}_METRICS_PORT"
        if os.environ.get(variable, "").strip():
            env[variable] = str(_env_port(variable, 0))
    return env


def check_ports(host: str, ports: dict[str, int], metrics: dict[str, str]) -> None:
    """CliError naming the service, the port and how to choose another, for the first
    port that is taken (or given twice) — before anything is built or started."""
    wanted: list[tuple[str, str, str, int]] = [
        (name, "gRPC", f"--{name}-port or NEWSDESK_{name.upper()}_PORT", number)
        for name, number in ports.items()
    ]
    for variable, value in metrics.items():
        wanted.append((variable.split("_")[1].lower(), "metrics", variable, int(value)))
    seen: dict[int, str] = {}
    for name, kind, how, number in wanted:
        if number == 0:
            continue
        if number in seen:
            raise CliError(
                f"{name}: {kind} port {number} is also the {seen[number]}'s: give each "
                f"service its own ({how})"
            )
        seen[number] = name
        why = port_taken(host, number)
        if why:
            raise CliError(
                f"{name} cannot listen on {host}:{number} (its {kind} port): {why}. Choose "
                f"another with {how} (0: any free port), or stop what holds it "
                f"(`ss -ltnp 'sport = :{number}'` shows it)"
            )


def _build(model_dir: Path, log_dir: Path) -> dict[str, str]:
    """Build the tiny models; their builders' output goes to LOG_DIR/build.log."""
    print(
        f"building the tiny offline models in {model_dir} (random weights: output is noise)…",
        file=sys.stderr,
    )
    try:
        return local_model_env(model_dir, log_dir / "build.log")
    except Exception as exc:  # one line on the terminal; the builders' output is in the log
        raise CliError(f"building the tiny models failed: {type(exc).__name__}: {exc}") from None


def _report_start_failure(err: Exception) -> int:
    print(f"newsdesk: {err}", file=sys.stderr)
    if isinstance(err, ServiceFailed) and err.code == 2:
        return 2
    return 3


def _handlers(stop: threading.Event) -> Callable[[], None]:
    """Ctrl-C and SIGTERM set `stop` (a background job inherits SIGINT ignored; both
    should drain the services); returns what restores the previous handlers."""
    previous: dict[int, Any] = {}
    for sig in (signal.SIGTERM, signal.SIGINT):
        previous[sig] = signal.signal(sig, lambda *_: stop.set())

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return restore


def serve(args: argparse.Namespace) -> int:
    """`newsdesk serve`: the services as local processes until Ctrl-C."""
    # Serving CTranslate2 needs no torch; building the tiny models does.
    needs(*(("services", *MODEL_TOOLS) if args.local_models else ("serve", *SERVE_NEEDS)))
    ports = serve_ports(args)
    metrics = metrics_env()
    check_ports(args.host, ports, metrics)
    model_dir = build_dir(args.model_dir) if args.local_models else model_dir_of(args)
    keep = bool(args.log_dir)
    log_dir = Path(args.log_dir) if keep else Path(tempfile.mkdtemp(prefix="newsdesk-logs-"))
    code = 1
    try:
        code = _serve(args, model_dir, ports, metrics, log_dir)
        return code
    except KeyboardInterrupt:
        code = 130
        raise
    finally:
        if code not in (0, 130) or keep:
            print(f"newsdesk: logs kept in {log_dir}", file=sys.stderr)
        else:
            shutil.rmtree(log_dir, ignore_errors=True)


def _serve(
    args: argparse.Namespace,
    model_dir: Path,
    ports: dict[str, int],
    metrics: dict[str, str],
    log_dir: Path,
) -> int:
    env = {"NEWSDESK_MODEL_DIR": str(model_dir), **metrics}
    if args.local_models:
        env.update(_build(model_dir, log_dir))
    stack = LocalStack(ports, env, host=args.host, log_dir=log_dir)
    stop = threading.Event()
    restore = _handlers(stop)
    print("starting detector, translator, summarizer, archive…", file=sys.stderr)
    died: dict[str, int] = {}
    # Whatever happens from here on (a failed start, Ctrl-C at any moment, an
    # error), the services this started are stopped before serve returns.
    try:
        try:
            stack.start()
        except (ServiceFailed, TimeoutError) as err:
            return 130 if stop.is_set() else _report_start_failure(err)
        for name in SERVICES:
            print(f"{name:<11} {stack.address(name)}  SERVING", flush=True)
        print(
            f"briefs get background from the archive with "
            f"NEWSDESK_ARCHIVE_ADDR={stack.address('archive')}",
            file=sys.stderr,
        )
        print("Ctrl-C stops them.", file=sys.stderr)
        while not stop.is_set() and not stack.exited():
            stop.wait(1.0)
        if not stop.is_set():
            died = stack.exited()
    finally:
        codes = stack.stop()
        restore()
    for name, returncode in died.items():
        others = [n for n in SERVICES if n not in died]
        print(
            f"newsdesk: {name} died while serving: {how_it_ended(returncode)}; "
            f"stopped {_listed(others) or 'nothing else'}",
            file=sys.stderr,
        )
        reason = log_reason(stack.log(name))
        if reason:
            print(f"  {reason}", file=sys.stderr)
    unclean = {n: c for n, c in codes.items() if c and n not in died}
    for name, returncode in unclean.items():
        print(f"newsdesk: {name} did not stop cleanly: {how_it_ended(returncode)}", file=sys.stderr)
    if died or unclean:
        return 1
    print("stopped: every service drained", file=sys.stderr)
    return 0


def _listed(names: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return " and ".join(filter(None, (", ".join(names[:-1]), names[-1]))) if names else ""


SMOKE_ARTICLE = (
    "Уряд України ухвалив нове рішення щодо підтримки громад. У понеділок у Києві "
    "відбулася зустріч міністрів.\n\nЗа даними агентства, обсяг експорту у 2023 році "
    "збільшився на 3,5 відсотка. Президент заявив, що переговори триватимуть.\n\n"
    "Експерти попереджають про складну зиму. Мер міста пообіцяв відновити зруйновані "
    "школи до вересня."
)


def smoke(args: argparse.Namespace) -> int:
    """`newsdesk smoke`: the whole chain offline, on tiny random models. Builds them
    in a temporary folder (removed after) unless --model-dir; logs are kept only when
    something failed."""
    needs("services", *MODEL_TOOLS)
    text = Path(args.path).read_text(encoding="utf-8") if args.path else SMOKE_ARTICLE
    model_dir = build_dir(args.model_dir) if args.model_dir else None
    log_dir = Path(tempfile.mkdtemp(prefix="newsdesk-logs-"))
    code = 1
    try:
        if model_dir is None:
            with tempfile.TemporaryDirectory(prefix="newsdesk-models-") as temp:
                code = _smoke(text, Path(temp), log_dir)
        else:
            code = _smoke(text, model_dir, log_dir)
        return code
    except KeyboardInterrupt:
        code = 130
        raise
    finally:
        if code in (0, 130):
            shutil.rmtree(log_dir, ignore_errors=True)
        else:
            print(f"newsdesk: logs kept in {log_dir}", file=sys.stderr)


def _smoke(text: str, model_dir: Path, log_dir: Path) -> int:
    print("=" * 78)
    print("OFFLINE SMOKE RUN: tiny models with RANDOM weights, built on this machine.")
    print("The chain is real (detect → translate → summarize over gRPC); the words are NOISE.")
    print("=" * 78, flush=True)
    # The archive keeps the smoke run's brief in a file removed with the logs.
    env = {**_build(model_dir, log_dir), "NEWSDESK_ARCHIVE_URL": f"sqlite:///{log_dir}/archive.db"}
    stack = LocalStack({n: 0 for n in SERVICES}, env, log_dir=log_dir)
    try:
        stack.start()
    except (ServiceFailed, TimeoutError) as err:
        return _report_start_failure(err)
    try:
        config = ClientConfig(
            detector=stack.address("detector"),
            translator=stack.address("translator"),
            summarizer=stack.address("summarizer"),
            archive=stack.address("archive"),
        )
        with NewsdeskClient(config) as client:
            result = client.brief(text, remember=True)
        print(f"detected language: {result.language} (confidence {result.confidence:.2f})")
        print(f"models: { {k: v.id for k, v in result.models.items()} }")
        print(f"timings (ms): { {k: round(v) for k, v in result.timings_ms.items()} }")
        print("-" * 78)
        print(result.to_text(with_sources=True), end="")
        print("-" * 78)
        print(f"archived as item #{result.archived_id} (dated {result.published_date})")
    except NewsdeskError as err:
        print(f"newsdesk: {err}", file=sys.stderr)
        return 1
    finally:
        codes = stack.stop()
    unclean = {n: c for n, c in codes.items() if c}
    for name, returncode in unclean.items():
        print(f"newsdesk: {name} did not stop cleanly: {how_it_ended(returncode)}", file=sys.stderr)
    return 1 if unclean else 0
