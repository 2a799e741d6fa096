"""The service entrypoints and CLI commands a user runs first: bad configuration, a
missing model, the offline `models pull`, and the health probe."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

import pytest

from newsdesk_client.cli.main import main as cli_main
from services.common.models.store import HubUnreachable, ModelSpec, check_hub_reachable
from services.tools.health_probe import main as probe_main


def run_module(
    module: str, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", module],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.parametrize(
    ("module", "variable", "value"),
    [
        pytest.param("services.detector", "NEWSDESK_DETECTOR_PORT", "eighty", id="detector"),
        pytest.param(
            "services.translator", "NEWSDESK_TRANSLATOR_MODEL_UK", "no-slash", id="translator"
        ),
        pytest.param("services.summarizer", "NEWSDESK_SUMMARIZER_BULLETS", "9", id="summarizer"),
        pytest.param(
            "services.translator", "NEWSDESK_TRANSLATOR_COMPUTE_TYPE", "int4", id="compute-type"
        ),
        pytest.param("services.summarizer", "NEWSDESK_SUMMARIZER_ENGINE", "onnx", id="engine"),
    ],
)
def test_bad_config_exits_2_naming_the_variable(module: str, variable: str, value: str) -> None:
    """A bad variable stops the service at once with exit 2, naming variable and value."""
    result = run_module(module, {variable: value})
    assert result.returncode == 2
    assert variable in result.stderr and value in result.stderr


def test_missing_model_exits_3_with_the_fix(tmp_path) -> None:
    """A model absent from the model directory stops the translator with exit 3 and a
    message saying how to fetch or build it; nothing is downloaded."""
    result = run_module(
        "services.translator",
        {
            "NEWSDESK_MODEL_DIR": str(tmp_path),
            "NEWSDESK_LOG_FORMAT": "json",
            "NEWSDESK_TRANSLATOR_PORT": "0",
        },
    )
    assert result.returncode == 3
    assert "newsdesk models pull" in result.stderr
    assert "Helsinki-NLP/opus-mt-tc-big-zle-en" in result.stderr  # the default


def test_pull_fails_fast_when_offline(tmp_path, capsys, monkeypatch) -> None:
    """`newsdesk models pull` on a machine without the hub says "offline", exit 2,
    within seconds instead of hanging."""
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    started = time.monotonic()
    try:
        check_hub_reachable(timeout=3.0)
    except HubUnreachable:
        pass
    else:
        pytest.skip("huggingface.co is reachable from here: the offline path cannot be shown")
    code = cli_main(["models", "pull", "--model-dir", str(tmp_path)])
    assert code == 2
    assert "offline" in capsys.readouterr().err
    assert time.monotonic() - started < 30


def test_pull_refuses_under_hf_hub_offline(monkeypatch) -> None:
    """With HF_HUB_OFFLINE=1 (as in every serving container) pull refuses at once."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(HubUnreachable, match="HF_HUB_OFFLINE"):
        check_hub_reachable()


def test_model_spec_parsing() -> None:
    """Specs are ORG/NAME[@REVISION]; a full commit id counts as pinned."""
    spec = ModelSpec.parse("Helsinki-NLP/opus-mt-ru-en@" + "a" * 40)
    assert spec.pinned and spec.repo_id == "Helsinki-NLP/opus-mt-ru-en"
    assert not ModelSpec.parse("org/name").pinned
    with pytest.raises(ValueError, match="X_MODEL"):
        ModelSpec.parse("bad", name="X_MODEL")


def test_health_probe_against_nothing_listening() -> None:
    """The container probe exits 1 when nothing answers."""
    from services.tools.local import free_port

    assert probe_main([f"127.0.0.1:{free_port()}", "--timeout", "1"]) == 1


def test_serve_starts_four_services_and_stops_on_ctrl_c(model_dir, tmp_path) -> None:
    """`newsdesk serve --local-models` brings up four SERVING services on the ports
    they bound (port 0, reported through port files) and prints them — and nothing
    else — on stdout; Ctrl-C (SIGINT) drains and stops them all, exit 0, and a clean
    stop leaves no log folder behind."""
    import queue
    import threading

    from newsdesk_client.health import check

    names = ("detector", "translator", "summarizer", "archive")
    env = {**os.environ, **{f"NEWSDESK_{n.upper()}_PORT": "0" for n in names}}
    env["TMPDIR"] = str(tmp_path)
    # The archive's file in the test's folder, never the user's home.
    env["NEWSDESK_ARCHIVE_URL"] = f"sqlite:///{tmp_path}/archive.db"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "newsdesk_client.cli.main",
            "serve",
            "--local-models",
            "--model-dir",
            str(model_dir),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Its own process group: cleanup can kill serve and every service it started.
        start_new_session=True,
    )
    try:
        # Reader threads: select() on a text pipe misses lines already buffered.
        lines: queue.Queue[str] = queue.Queue()
        out: list[str] = []
        err: list[str] = []
        assert proc.stdout is not None and proc.stderr is not None
        threading.Thread(
            target=lambda: [(lines.put(x), out.append(x)) for x in proc.stdout], daemon=True
        ).start()
        threading.Thread(target=lambda: [err.append(x) for x in proc.stderr], daemon=True).start()
        addresses: dict[str, str] = {}
        deadline = time.monotonic() + 240
        while len(addresses) < len(names):
            assert time.monotonic() < deadline, "services never reported SERVING"
            assert proc.poll() is None, "serve exited while starting"
            with contextlib.suppress(queue.Empty):
                parts = lines.get(timeout=1.0).split()
                if len(parts) == 3 and parts[2] == "SERVING":
                    addresses[parts[0]] = parts[1]
        assert all(check(a, timeout=2) == "SERVING" for a in addresses.values())
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
        assert all(check(a, timeout=1) != "SERVING" for a in addresses.values())
        time.sleep(0.2)  # the reader threads finish the pipes
        assert [line.split()[0] for line in out] == list(names)  # no blank lines, no warnings
        assert "stopped: every service drained" in "".join(err)
        assert not list(tmp_path.glob("newsdesk-*"))  # logs removed after a clean stop
    finally:
        # Never leave serve or its services behind, whatever happened above.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
