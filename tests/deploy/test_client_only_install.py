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


def eval_hint(package: str) -> str:
    """What `eval` asks for: the eval extra where pyproject declares one, else the
    metric package itself (it needs nothing of the services)."""
    import tomllib

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    return "'.[eval]'" if "eval" in extras else package


@pytest.mark.parametrize(
    ("args", "extra"),
    [
        (["serve"], "serve"),
        (["serve", "--local-models"], "services"),
        (["smoke"], "services"),
        (["models", "pull"], "services"),
        (["models", "list"], "serve"),
    ],
)
def test_service_commands_name_the_extra(client_venv: Path, args: list[str], extra: str) -> None:
    """A command whose extra is missing exits 2 with the install command that works
    from a checkout (locked versions) and the package-index form."""
    result = run(client_venv, *args)
    assert result.returncode == 2, result.stderr
    assert f"pip install -c constraints.txt '.[{extra}]'" in result.stderr
    assert "from the newsdesk checkout" in result.stderr
    assert f"pip install 'newsdesk[{extra}]'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("kind", "package"),
    [("translation", "sacrebleu"), ("summarization", "rouge-score")],
)
def test_eval_asks_only_for_its_metric(client_venv: Path, kind: str, package: str) -> None:
    """`eval` measures running services: without its metric package it asks for that
    (or the light eval extra), never for torch or the services extra."""
    result = run(client_venv, "eval", kind, "--data", "x.tsv")
    assert result.returncode == 2, result.stderr
    assert f"pip install -c constraints.txt {eval_hint(package)}" in result.stderr
    assert "services" not in result.stderr and "torch" not in result.stderr
