"""The Prometheus alert rules shipped in deploy/prometheus, checked with promtool's own
rule unit tests (skipped with the reason where promtool is not installed)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.deploy.manifests import REPO

FOLDER = REPO / "deploy" / "prometheus"


def promtool() -> str:
    path = shutil.which("promtool")
    if path is None:
        pytest.skip("promtool is not installed (Debian: apt-get install prometheus)")
    return path


def test_rules_are_valid_and_their_unit_tests_pass() -> None:
    """`promtool check rules` and `promtool test rules` (queue saturation, overload
    refusals, error rate, p95 latency per method) pass."""
    tool = promtool()
    for args in (["check", "rules", "alerts.yml"], ["test", "rules", "alerts_test.yml"]):
        result = subprocess.run([tool, *args], cwd=FOLDER, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_rule_tests_catch_a_broken_rule(tmp_path: Path) -> None:
    """The same unit tests fail against a rule whose threshold was loosened."""
    tool = promtool()
    shutil.copy(FOLDER / "alerts_test.yml", tmp_path)
    rules = (FOLDER / "alerts.yml").read_text().replace(" > 0.8", " > 0.95")
    (tmp_path / "alerts.yml").write_text(rules)
    result = subprocess.run(
        [tool, "test", "rules", "alerts_test.yml"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode != 0
