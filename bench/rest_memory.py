"""Resident memory at rest of the translator and the summarizer, each its real process.

    python bench/rest_memory.py                      # both services, translator tc-big shape
    python bench/rest_memory.py --services translator --shape base
    python bench/rest_memory.py --env NEWSDESK_X=1   # extra variables for the services

Each service is started exactly as users start it — `python -m services.translator` /
`python -m services.summarizer`, configured by NEWSDESK_* variables only — on the
default model shapes with random weights, served by CTranslate2 int8:

- translator, --shape big (default): one transformer-big MarianMT at the shape of
  opus-mt-tc-big-zle-en (d_model 1024, 6+6 layers, 16 heads, FFN 4096) serving uk and
  ru, as the default configuration does (one model for both languages);
  --shape base: two opus-mt base models (uk→en and ru→en, d_model 512), the fast option;
- summarizer: a BART at distilbart-cnn-12-6's shape (d_model 1024, 12+6 layers).

The models are built once into bench/_util's MODEL_DIR (.cache/models of the tree the
script runs from, or NEWSDESK_BENCH_MODEL_DIR): `models build-local`, then `models
convert` to int8. Every other setting is the service default (threads, workers, cache,
plausibility gate, metrics on a free port, language detection), and inherited NEWSDESK_*
variables are not passed on (only --env ones are).

Measured: the RSS (VmRSS, MiB) of the service process plus any children it started,
(1) once health answers SERVING and after --settle seconds, and (2) after one small
request (a one-sentence Ukrainian Translate with source_language_code "uk"; a short
English Summarize with the service's default options) and --settle seconds again. Also
the peak (VmHWM of the service process) and how long the request took.

The script imports nothing from services/ at module level and speaks to the services
through the generated gRPC stubs of the protos (the wire contract), so it runs unchanged
in any tree that still has bench/_util.bench_models and `python -m services.<name>`.
The services run from the tree that holds this script (PYTHONPATH is set to it and
checked in a child with the same environment before measuring); when that tree has no
generated stubs in protos/, they are generated from its .proto files into a temporary
folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench._util import MODEL_DIR, bench_models, rss_mib  # noqa: E402

SERVICES = ("translator", "summarizer")
SHAPES = {
    "big": "transformer-big (opus-mt-tc-big-zle-en shape), one model for uk+ru",
    "base": "base (opus-mt-uk-en / opus-mt-ru-en shape), two models",
}
SUMMARIZER_SHAPE = "distilbart-cnn-12-6 shape (12+6 layers, d_model 1024)"
UKRAINIAN = "Уряд України затвердив план відновлення енергетичної інфраструктури до зими."
ENGLISH = (
    "The city council approved a plan on Tuesday to repair the main bridge over the "
    "river before winter. Officials said the work would start next month and take about "
    "twelve weeks. Traffic will be diverted to two smaller bridges while the repairs are "
    "under way. The plan also sets aside money for new street lights along the "
    "embankment, which residents have asked for since last year."
)


# --- the tree the services run from ---------------------------------------------------


def stub_dir(scratch: Path) -> Path:
    """A folder holding the generated `newsdesk.*` stubs of this tree's protos: protos/
    itself when an install generated them there, else a fresh copy made here."""
    protos = REPO / "protos"
    if any(protos.rglob("*_pb2_grpc.py")):
        return protos
    import grpc_tools
    from grpc_tools import protoc

    out = scratch / "stubs"
    out.mkdir(parents=True, exist_ok=True)
    include = str(Path(grpc_tools.__file__).parent / "_proto")
    files = [str(p.relative_to(protos)) for p in sorted(protos.rglob("*.proto"))]
    args = ["grpc_tools.protoc", f"-I{protos}", f"-I{include}", f"--python_out={out}"]
    if protoc.main([*args, f"--grpc_python_out={out}", *files]) != 0:
        raise SystemExit(f"protoc failed on {protos}")
    return out


def tree_paths(stubs: Path) -> list[str]:
    """The import roots of this tree: the repository, its stubs, its client package."""
    paths = [str(REPO), str(stubs)]
    if (REPO / "clients").is_dir():
        paths.append(str(REPO / "clients"))
    return paths


def child_env(paths: list[str], extra: dict[str, str]) -> dict[str, str]:
    """The environment of a service: ours without NEWSDESK_* variables, this tree first on
    PYTHONPATH, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    inherited = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join([*paths, *inherited])
    env.update(extra)
    return env


def check_tree(env: dict[str, str]) -> str:
    """Where `services`, `newsdesk_client` and the stubs import from in a child started
    like the services; exits if `services` is not this tree's."""
    code = (
        "import services, newsdesk.translation.v1.translation_pb2 as t\n"
        "try:\n    import newsdesk_client as c; c = c.__file__\n"
        "except ImportError:\n    c = '-'\n"
        "print(services.__file__, c, t.__file__, sep='\\n')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise SystemExit(f"cannot import the tree's packages:\n{out.stderr}")
    services_file, client_file, stub_file = out.stdout.split()
    if not Path(services_file).resolve().is_relative_to(REPO):
        raise SystemExit(f"services imports from {services_file}, not from {REPO}")
    return f"services: {services_file}\nnewsdesk_client: {client_file}\nstubs: {stub_file}"


# --- processes and memory ---------------------------------------------------------------


def free_port() -> int:
    """A port the OS reports free (bound to 0, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def descendants(pid: int) -> list[int]:
    """The process ids below `pid` (children, grandchildren, ...), from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def tree_rss(pid: int) -> tuple[float, int]:
    """RSS in MiB of the process and its descendants (summed), and how many processes."""
    total, count = 0.0, 0
    for each in [pid, *descendants(pid)]:
        try:
            value = rss_mib(each)
        except OSError:  # exited meanwhile
            continue
        total += value
        count += 1
    return total, count


def peak_mib(pid: int) -> float:
    """Peak RSS (VmHWM) of one process in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def log_tail(path: Path, lines: int = 40) -> str:
    """The last lines of a service log."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@contextmanager
def running(name: str, env: dict[str, str], log: Path, timeout: float) -> Iterator[int]:
    """`python -m services.<name>` in its own session, until it answers SERVING on the
    port of its env; yields its pid; always stopped (SIGTERM, then SIGKILL of its
    process group after 30 s)."""
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    port = env[f"NEWSDESK_{name.upper()}_PORT"]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", f"services.{name}"],
            env=env,
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        started = time.monotonic()
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = health_pb2_grpc.HealthStub(channel)
            while True:
                if proc.poll() is not None:
                    raise SystemExit(
                        f"{name} exited with code {proc.returncode} before serving; "
                        f"log {log}:\n{log_tail(log)}"
                    )
                try:
                    reply = stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=2)
                    if reply.status == health_pb2.HealthCheckResponse.SERVING:
                        break
                except grpc.RpcError:
                    pass
                if time.monotonic() - started > timeout:
                    raise SystemExit(
                        f"{name} did not answer SERVING within {timeout:.0f} s on port "
                        f"{port}; log {log}:\n{log_tail(log)}"
                    )
                time.sleep(0.5)
        print(f"  {name}: SERVING after {time.monotonic() - started:.1f} s", flush=True)
        yield proc.pid
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        # Anything it left behind in its own process group.
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


# --- one service ------------------------------------------------------------------------


@dataclass
class Row:
    """One service's figures."""

    service: str
    shape: str
    start_s: float
    rest: float
    after: float
    processes: int
    peak: float
    request_s: float
    reply: str


def model_env(service: str, shape: str) -> dict[str, str]:
    """The model variables of a service, building (once) and converting its models."""
    if service == "summarizer":
        _, bart = bench_models("full", "ctranslate2", "int8")
        return {"NEWSDESK_SUMMARIZER_MODEL": str(bart.spec)}
    if shape == "big":
        big, _ = bench_models("big", "ctranslate2", "int8")
        return {
            "NEWSDESK_TRANSLATOR_MODEL_UK": str(big.spec),
            "NEWSDESK_TRANSLATOR_MODEL_RU": str(big.spec),
        }
    from bench.engine_bench import second_marian

    uk, _ = bench_models("full", "ctranslate2", "int8")
    ru = second_marian("full", "ctranslate2")
    return {
        "NEWSDESK_TRANSLATOR_MODEL_UK": str(uk.spec),
        "NEWSDESK_TRANSLATOR_MODEL_RU": str(ru.spec),
    }


def one_request(service: str, port: str) -> str:
    """One small call; a short description of the reply."""
    import grpc

    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        if service == "translator":
            from newsdesk.translation.v1 import translation_pb2, translation_pb2_grpc

            stub = translation_pb2_grpc.TranslationServiceStub(channel)
            reply = stub.Translate(
                translation_pb2.TranslateRequest(contents=[UKRAINIAN], source_language_code="uk"),
                timeout=600,
            )
            return f"{len(reply.translations)} translation(s)"
        from newsdesk.summarization.v1 import summarization_pb2, summarization_pb2_grpc

        stub = summarization_pb2_grpc.SummarizationServiceStub(channel)
        answer = stub.Summarize(summarization_pb2.SummarizeRequest(text=ENGLISH), timeout=600)
        return (
            f"summary of {len(answer.summary.split())} words, {len(answer.bullets)} "
            f"bullet(s), {answer.generations} generation(s)"
        )


def settle(pid: int, seconds: float) -> tuple[float, int]:
    """Wait `seconds`, then the tree's RSS (the last of three readings 0.5 s apart, all
    printed)."""
    time.sleep(max(0.0, seconds - 1.0))
    readings = []
    for i in range(3):
        if i:
            time.sleep(0.5)
        readings.append(tree_rss(pid))
    print("    readings MiB: " + ", ".join(f"{r:.1f}" for r, _ in readings), flush=True)
    return readings[-1]


def measure(service: str, args: argparse.Namespace, paths: list[str], scratch: Path) -> Row:
    """Start the service, read its memory at rest, send one request, read it again."""
    port = str(free_port())
    prefix = f"NEWSDESK_{service.upper()}_"
    variables = {
        "NEWSDESK_MODEL_DIR": str(MODEL_DIR),
        **model_env(service, args.shape),
        f"{prefix}ENGINE": "ctranslate2",
        f"{prefix}COMPUTE_TYPE": "int8",
        f"{prefix}HOST": "127.0.0.1",
        f"{prefix}PORT": port,
        f"{prefix}METRICS_PORT": str(free_port()),
        **args.extra,
    }
    print(f"\n{service}:", flush=True)
    for key in sorted(variables):
        print(f"  {key}={variables[key]}")
    env = child_env(paths, variables)
    logs = args.log_dir or scratch
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"{service}.log"
    started = time.monotonic()
    with running(service, env, log, args.timeout) as pid:
        start_s = time.monotonic() - started
        rest, processes = settle(pid, args.settle)
        print(f"  at rest: {rest:.1f} MiB ({processes} process(es))", flush=True)
        began = time.monotonic()
        reply = one_request(service, port)
        request_s = time.monotonic() - began
        print(f"  request: {reply} in {request_s:.1f} s", flush=True)
        after, processes_after = settle(pid, args.settle)
        print(f"  after one request: {after:.1f} MiB ({processes_after} process(es))")
        peak = peak_mib(pid)
    shape = SUMMARIZER_SHAPE if service == "summarizer" else SHAPES[args.shape]
    return Row(
        service,
        shape,
        start_s,
        rest,
        after,
        max(processes, processes_after),
        peak,
        request_s,
        reply,
    )


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, measure each service, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", default="translator,summarizer")
    parser.add_argument("--shape", choices=sorted(SHAPES), default="big", help="translator")
    parser.add_argument("--settle", type=float, default=5.0, help="seconds before reading")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds to SERVING")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--log-dir", type=Path, help="keep the service logs here")
    args = parser.parse_args(argv)
    names = [s.strip() for s in args.services.split(",") if s.strip()]
    unknown = sorted(set(names) - set(SERVICES))
    if unknown:
        parser.error(f"unknown service(s) {unknown}; choose from {list(SERVICES)}")
    args.extra = dict(item.split("=", 1) for item in args.env)

    scratch = Path(tempfile.mkdtemp(prefix="newsdesk-rest-memory-"))
    try:
        paths = tree_paths(stub_dir(scratch))
        sys.path[:0] = [p for p in paths if p not in sys.path]
        print(f"tree: {REPO}\nmodel dir: {MODEL_DIR}")
        print(check_tree(child_env(paths, {})))
        print(f"cpus: {len(os.sched_getaffinity(0))}; load average: {os.getloadavg()}")
        rows = [measure(name, args, paths, scratch) for name in names]
        print(f"\nload average at the end: {os.getloadavg()}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print(
        "\n| service | model shape (random weights, ct2 int8) | RSS MiB after start "
        "| RSS MiB after one request | processes | peak RSS MiB | start s | request s |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r.service} | {r.shape} | {r.rest:.0f} | {r.after:.0f} | {r.processes} "
            f"| {r.peak:.0f} | {r.start_s:.0f} | {r.request_s:.1f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
