"""A client-only install, as a newsroom script or another backend installs it: a fresh
venv with `pip install .` (no extra) — no torch, no CTranslate2. `newsdesk brief` works
against running services; a command that needs the services' packages says which
extra to install and exits 2."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIP = shutil.ignore_patterns(
    ".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "models"
)


@pytest.fixture(scope="module")
def client_venv(tmp_path_factory) -> Path:
    """A venv holding `pip install -c constraints.txt .` of a copy of this tree."""
    work = tmp_path_factory.mktemp("client-only")
    source = work / "src"
    shutil.copytree(ROOT, source, ignore=SKIP)
    subprocess.run([sys.executable, "-m", "venv", str(work / "venv")], check=True)
    pip = subprocess.run(
        [str(work / "venv/bin/pip"), "install", "-q", "-c", "constraints.txt", "."],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert pip.returncode == 0, pip.stderr[-3000:]
    return work / "venv"


def run(venv: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(venv / "bin/newsdesk"), *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "HOME": str(venv.parent)},
    )


def test_no_torch_no_engine(client_venv: Path) -> None:
    for module in ("torch", "transformers", "ctranslate2"):
        probe = subprocess.run(
            [str(client_venv / "bin/python"), "-c", f"import {module}"], capture_output=True
        )
        assert probe.returncode != 0, f"{module} is installed in the client-only venv"
    version = run(client_venv, "--version")
    assert version.returncode == 0 and version.stdout.startswith("newsdesk ")


def test_brief_against_running_services(client_venv: Path, stack) -> None:
    addresses = [
        f"--{name}={stack.address(name)}" for name in ("detector", "translator", "summarizer")
    ]
    text = "Уряд України ухвалив нове рішення.\n\nУ 2022 році експорт зріс на 12 відсотків."
    done = run(client_venv, "brief", "-", "--json", *addresses, stdin=text)
    assert done.returncode == 0, done.stderr
    assert '"language": "uk"' in done.stdout


@pytest.mark.parametrize(
    ("args", "extra"),
    [
        (["serve"], "serve"),
        (["serve", "--local-models"], "services"),
        (["smoke"], "services"),
        (["models", "pull"], "services"),
        (["models", "list"], "serve"),
        (["eval", "translation", "--data", "x.tsv"], "services"),
        (["eval", "summarization", "--data", "x.tsv"], "services"),
    ],
)
def test_service_commands_name_the_extra(client_venv: Path, args: list[str], extra: str) -> None:
    result = run(client_venv, *args)
    assert result.returncode == 2, result.stderr
    assert f"pip install 'newsdesk[{extra}]'" in result.stderr
    assert "Traceback" not in result.stderr
