"""`newsdesk serve`, `smoke`, `info` and the local models as a user meets them, through
the real CLI and real service processes on tiny models: a port in use, a missing model,
a service killed while serving, temporary folders, stdout noise, where local models go,
and the install hint of a missing extra."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from newsdesk_client.cli.common import CliError
from newsdesk_client.cli.main import main as cli_main
from newsdesk_client.health import check
from services.tools.extras import install_hint, needs
from tests.conftest import stack_args

NAMES = ("detector", "translator", "summarizer", "archive")


class Serve:
    """`newsdesk serve …` in its own process group (cleanup kills serve and every
    service it started), with its stdout lines read as they come."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "newsdesk_client.cli.main", "serve", *args],
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.out: list[str] = []
        self.err: list[str] = []
        assert self.proc.stdout is not None and self.proc.stderr is not None
        for stream, kept in ((self.proc.stdout, self.out), (self.proc.stderr, self.err)):
            threading.Thread(target=self._read, args=(stream, kept), daemon=True).start()

    def _read(self, stream, kept: list[str]) -> None:
        for line in stream:
            kept.append(line)
            if kept is self.out:
                self.lines.put(line)

    def serving(self, timeout: float = 240) -> dict[str, str]:
        """name → address, once serve has printed every service's SERVING line."""
        addresses: dict[str, str] = {}
        deadline = time.monotonic() + timeout
        while len(addresses) < len(NAMES):
            assert time.monotonic() < deadline, "services never reported SERVING"
            assert self.proc.poll() is None, f"serve exited while starting: {self.stderr()}"
            with contextlib.suppress(queue.Empty):
                parts = self.lines.get(timeout=1.0).split()
                if len(parts) == 3 and parts[2] == "SERVING":
                    addresses[parts[0]] = parts[1]
        return addresses

    def wait(self, timeout: float = 120) -> int:
        code = self.proc.wait(timeout=timeout)
        time.sleep(0.2)  # the reader threads finish the pipes
        return code

    def stderr(self) -> str:
        return "".join(self.err)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)


def child(parent: int, module: str) -> int:
    """The pid of parent's child process running `python -m module`."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == parent:
                cmdline = (stat.parent / "cmdline").read_bytes().split(b"\0")
                if module.encode() in cmdline:
                    return int(stat.parent.name)
    raise AssertionError(f"no child of {parent} runs {module}")


@pytest.fixture
def tmpdir_env(tmp_path: Path) -> dict[str, str]:
    """TMPDIR (and HOME) of the command under test: folders this test controls."""
    (tmp_path / "tmp").mkdir()
    (tmp_path / "home").mkdir()
    return {"TMPDIR": str(tmp_path / "tmp"), "HOME": str(tmp_path / "home")}


def left_behind(env: dict[str, str]) -> list[str]:
    """What newsdesk left in the controlled TMPDIR."""
    return sorted(p.name for p in Path(env["TMPDIR"]).iterdir() if p.name.startswith("newsdesk-"))


def test_serve_port_in_use_fails_fast_naming_service_and_port(tmp_path, tmpdir_env) -> None:
    """A port already taken stops serve before any model is built: exit 2, the service
    and the port named on the terminal, nothing built, nothing left in TMPDIR."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        models = tmp_path / "local"
        started = time.monotonic()
        serve = Serve(
            ["--local-models", "--model-dir", str(models), "--ports", f"0,{port},0,0"], tmpdir_env
        )
        try:
            assert serve.wait(timeout=60) == 2
        finally:
            serve.kill()
    err = serve.stderr()
    assert f"translator cannot listen on 127.0.0.1:{port}" in err
    assert "something is already listening there" in err and "--translator-port" in err
    assert time.monotonic() - started < 30
    assert not models.exists() and "building" not in err
    assert left_behind(tmpdir_env) == []


def test_serve_missing_model_prints_reason_and_hint(tmp_path, tmpdir_env) -> None:
    """A model absent from --model-dir: exit 3, the service, its exit code's meaning and
    the `newsdesk models pull` hint from its log on the terminal; the logs are kept and
    named."""
    serve = Serve(["--ports", "0,0,0,0", "--model-dir", str(tmp_path / "empty")], tmpdir_env)
    try:
        assert serve.wait(timeout=120) == 3
    finally:
        serve.kill()
    err = serve.stderr()
    assert "translator could not start: exit code 3 (its model is not on disk)" in err
    assert "model.missing: model Helsinki-NLP/opus-mt-tc-big-zle-en@main" in err
    assert "newsdesk models pull" in err
    (kept,) = left_behind(tmpdir_env)
    assert (
        kept.startswith("newsdesk-logs-") and f"logs kept in {tmpdir_env['TMPDIR']}/{kept}" in err
    )
    assert (Path(tmpdir_env["TMPDIR"]) / kept / "translator.log").is_file()


def test_serve_names_a_killed_service_and_exits_1(model_dir, tmpdir_env) -> None:
    """The summarizer killed (SIGKILL) while serving: serve says which service died and
    how, stops the other two, keeps the logs and exits 1."""
    serve = Serve(
        ["--local-models", "--model-dir", str(model_dir), "--ports", "0,0,0,0"], tmpdir_env
    )
    try:
        addresses = serve.serving()
        os.kill(child(serve.proc.pid, "services.summarizer"), signal.SIGKILL)
        assert serve.wait(timeout=90) == 1
    finally:
        serve.kill()
    err = serve.stderr()
    assert "summarizer died while serving: killed by SIGKILL" in err
    assert "stopped detector, translator and archive" in err
    others = ("detector", "translator", "archive")
    assert all(check(addresses[n], timeout=1) != "SERVING" for n in others)
    assert [name[:14] for name in left_behind(tmpdir_env)] == ["newsdesk-logs-"]


def test_smoke_leaves_no_temp_folders_and_prints_no_noise(tmpdir_env) -> None:
    """`newsdesk smoke`: exit 0; stdout holds the banner and the results with no blank
    lines or library warnings before them; no transformers warning anywhere; nothing
    left in TMPDIR, nothing written under HOME."""
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk_client.cli.main", "smoke"],
        env={**os.environ, **tmpdir_env},
        capture_output=True,
        text=True,
        timeout=300,
        start_new_session=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert lines[0] == "=" * 78 and lines[3] == "=" * 78
    assert lines[4].startswith("detected language: uk")
    assert "forced_bos_token_id" not in result.stdout + result.stderr
    assert left_behind(tmpdir_env) == []
    assert list(Path(tmpdir_env["HOME"]).iterdir()) == []


def test_local_models_have_their_own_directory(tmp_path, monkeypatch, capsys) -> None:
    """`models build-local` writes to ~/.cache/newsdesk/local-models, not the pulled
    models' directory; `models list` shows them as local random-weight models; a
    directory holding pulled models is refused (build-local and serve --local-models)."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("NEWSDESK_MODEL_DIR", raising=False)
    assert cli_main(["models", "build-local", "--no-convert"]) == 0
    local = tmp_path / ".cache/newsdesk/local-models"
    assert f"export NEWSDESK_MODEL_DIR={local}" in capsys.readouterr().out
    assert sorted(p.name for p in local.glob("models--*")) == [
        "models--newsdesk-local--bart-tiny-cnn",
        "models--newsdesk-local--opus-mt-tiny-zle-en",
    ]
    assert not (tmp_path / ".cache/newsdesk/models").exists()
    assert cli_main(["models", "list"]) == 1  # the configured real models are missing
    rows = [r for r in capsys.readouterr().out.splitlines() if r.startswith("local ")]
    assert len(rows) == 2 and all("local, random weights" in r and str(local) in r for r in rows)
    pulled = tmp_path / "pulled"
    (pulled / "models--Helsinki-NLP--opus-mt-uk-en").mkdir(parents=True)
    for args in (["models", "build-local"], ["serve", "--local-models", "--ports", "0,0,0"]):
        assert cli_main([*args, "--model-dir", str(pulled)]) == 2
        assert "holds pulled models (Helsinki-NLP/opus-mt-uk-en)" in capsys.readouterr().err
    assert sorted(p.name for p in pulled.iterdir()) == ["models--Helsinki-NLP--opus-mt-uk-en"]


def test_info_against_running_services(stack, capsys) -> None:
    """`newsdesk info`: each service's models, revisions, engine and limits, the
    translator's language pairs; --json the same as data."""
    assert cli_main(["info", *stack_args(stack)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"detector    {stack.address('detector')}")
    assert "model      newsdesk-local/opus-mt-tiny-zle-en@" in out
    assert "engine ctranslate2-int8" in out and "characters and" in out
    assert "pair       uk → en  newsdesk-local/opus-mt-tiny-zle-en" in out
    assert cli_main(["info", "--json", *stack_args(stack)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"detector", "translator", "summarizer"}  # the archive: `archive info`
    translator = data["translator"]
    assert translator["models"][0]["revision"] and translator["limits"]["max_chars"] > 0
    assert {(p["source"], p["target"]) for p in translator["language_pairs"]} >= {
        ("uk", "en"),
        ("ru", "en"),
    }
    assert "uk" in data["detector"]["languages"]
    assert data["summarizer"]["models"][0]["id"] == "newsdesk-local/bart-tiny-cnn"


def test_info_with_nothing_listening_exits_3(capsys) -> None:
    """`newsdesk info` when no service answers: each named UNAVAILABLE with the hint,
    exit 3; --json carries the errors."""
    from services.tools.local import free_port

    dead = [f"--{n}=127.0.0.1:{free_port()}" for n in NAMES[:3]] + ["--timeout", "2"]
    assert cli_main(["info", *dead]) == 3
    assert capsys.readouterr().out.count("UNAVAILABLE (not reachable") == 3
    assert cli_main(["info", "--json", *dead]) == 3
    assert json.loads(capsys.readouterr().out)["summarizer"]["error"]["code"] == "UNAVAILABLE"


def test_install_hint_names_the_checkout_command() -> None:
    """A missing extra's hint gives the command that works from a checkout (locked
    versions) and the package-index form."""
    with pytest.raises(CliError) as raised:
        needs("serve", "no_such_module_for_newsdesk")
    text = str(raised.value)
    assert "no_such_module_for_newsdesk is not installed" in text
    assert "-m pip install -c constraints.txt '.[serve]'" in text
    assert "-m pip install 'newsdesk[serve]'" in text
    assert "--index-url https://download.pytorch.org/whl/cpu torch==" in install_hint("services")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--ports", "1,2"], "give three or four ports", id="two-ports"),
        pytest.param(["--detector-port", "70000"], "not a port", id="too-big"),
    ],
)
def test_serve_port_flags_are_checked(args: list[str], message: str, capsys) -> None:
    """Bad port flags are usage errors (exit 2) saying what is wrong."""
    with pytest.raises(SystemExit) as raised:
        cli_main(["serve", *args])
    assert raised.value.code == 2
    assert message in capsys.readouterr().err


def test_serve_port_precedence(monkeypatch) -> None:
    """--NAME-port beats --ports, which beats NEWSDESK_NAME_PORT, which beats the default."""
    from newsdesk_client.cli.main import build_parser
    from services.tools.serve import serve_ports

    monkeypatch.setenv("NEWSDESK_SUMMARIZER_PORT", "7003")
    monkeypatch.delenv("NEWSDESK_TRANSLATOR_PORT", raising=False)
    monkeypatch.delenv("NEWSDESK_DETECTOR_PORT", raising=False)
    monkeypatch.setenv("NEWSDESK_ARCHIVE_PORT", "7004")
    parse = build_parser().parse_args
    assert serve_ports(parse(["serve"])) == {
        "detector": 50051,
        "translator": 50052,
        "summarizer": 7003,
        "archive": 7004,
    }
    args = parse(["serve", "--ports", "6001,6002,6003", "--translator-port", "0"])
    assert serve_ports(args) == {
        "detector": 6001,
        "translator": 0,
        "summarizer": 6003,
        "archive": 7004,  # three ports given: the archive's from its variable
    }
    args = parse(["serve", "--ports", "6001,6002,6003,6004", "--archive-port", "0"])
    assert serve_ports(args)["archive"] == 0
