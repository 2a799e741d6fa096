"""The client's arrows and the CLI's plugins: the library and the CLI never import
services/ (not even lazily); the commands that run or build services are plugins from
services/tools, found through the `newsdesk.commands` entry points, and building the
parser loads nothing of the services beyond those plugin modules; every command's
--help works; range checks and help come from the limits table."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from newsdesk_client.cli import main as cli
from newsdesk_shared.limits import SUMMARIZER

ROOT = Path(__file__).resolve().parents[2]
# What the parser may load of services/: the plugin modules and what they import.
PLUGIN_MODULES = {
    "services",
    "services.tools",
    "services.tools.serve",
    "services.tools.models",
    "services.tools.shortlist",  # the `models shortlist` subcommand (part of models)
    "services.tools.eval",
    "services.tools.extras",
    "services.tools.local",
}


def loaded_services(code: str) -> list[str]:
    """The modules under `services` loaded after running `code` in a fresh process."""
    probe = (
        f"{code}\nimport json, sys\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'services')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout.splitlines()[-1]))


def test_library_and_cli_load_no_service_module() -> None:
    """Importing every module of newsdesk_client (the CLI's too) loads nothing of services/."""
    code = (
        "import importlib, pkgutil, newsdesk_client, newsdesk_client.cli\n"
        "for m in pkgutil.walk_packages(newsdesk_client.__path__, 'newsdesk_client.'):\n"
        "    if not m.name.endswith('__main__'):\n"
        "        importlib.import_module(m.name)"
    )
    assert loaded_services(code) == []


@pytest.mark.parametrize("package", ["newsdesk_client", "newsdesk_shared"])
def test_no_import_of_services_in_the_source(package: str) -> None:
    """No import statement of the client or the shared package names services/, even
    inside a function (the lazy imports an import check at load time cannot see)."""
    found = []
    for path in sorted((ROOT / "clients" / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            found += [
                f"{path.name}:{node.lineno} {n}" for n in names if n.split(".")[0] == "services"
            ]
    assert found == []


def test_parser_loads_only_the_plugin_modules() -> None:
    """Building the whole parser (plugins included) loads no service, no services.common:
    only the plugin modules of services/tools."""
    loaded = loaded_services(
        "from newsdesk_client.cli.main import build_parser\n"
        "parser = build_parser()\n"
        "assert {'serve', 'smoke', 'models', 'eval'} <= set(parser._subparsers._group_actions[0].choices)"
    )
    assert set(loaded) <= PLUGIN_MODULES, sorted(set(loaded) - PLUGIN_MODULES)
    assert "services.tools.serve" in loaded


def test_plugins_are_the_entry_points() -> None:
    """The four tool commands come from the newsdesk.commands entry points, in the
    order --help lists them."""
    assert [p.name for p in cli.plugins()][:4] == ["serve", "smoke", "models", "eval"]
    assert all(p.value.startswith("services.tools.") for p in cli.plugins())


def commands(parser) -> list[list[str]]:
    """Every subcommand path of a parser: ["brief"], ["models", "pull"], …"""
    paths = []
    for action in parser._subparsers._group_actions if parser._subparsers else ():
        for name, child in action.choices.items():
            nested = commands(child)
            paths += [[name, *rest] for rest in nested] if nested else [[name]]
    return paths


def test_every_command_has_help(capsys) -> None:
    """`newsdesk --help` lists every command, and each one's --help exits 0 with its usage."""
    paths = commands(cli.build_parser())
    assert ["serve"] in paths and ["models", "wait"] in paths and ["eval", "translation"] in paths
    with pytest.raises(SystemExit) as top:
        cli.main(["--help"])
    assert top.value.code == 0
    listing = capsys.readouterr().out
    assert all(p[0] in listing for p in paths)
    for path in paths:
        with pytest.raises(SystemExit) as done:
            cli.main([*path, "--help"])
        assert done.value.code == 0, path
        assert capsys.readouterr().out.startswith(f"usage: newsdesk {' '.join(path)}")


def test_ranges_and_help_come_from_the_limits_table(capsys) -> None:
    """The summary flags' help shows the table's range and default; a value outside it
    is a usage error before anything is sent."""
    with pytest.raises(SystemExit):
        cli.main(["summarize", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for limit in SUMMARIZER.options():
        if limit.name != "num_beams":
            assert f"{limit.meaning}, {limit.low}..{limit.high} ({limit.default})" in text
    high = SUMMARIZER.bullet_count.high
    with pytest.raises(SystemExit) as refused:
        cli.main(["brief", "-", "--bullets", str(high + 1)])
    assert refused.value.code == 2
    assert f"outside {SUMMARIZER.bullet_count}" in capsys.readouterr().err


def test_quantizations_agree_with_the_store() -> None:
    """`models convert --quantization` offers what the model store converts to (the
    plugin keeps its own copy so that building the parser loads no service module)."""
    from services.common.models.store import QUANTIZATIONS
    from services.tools.models import QUANTIZATIONS as OFFERED

    assert tuple(OFFERED) == tuple(QUANTIZATIONS)


def test_a_plugin_that_cannot_load_says_so(monkeypatch, capsys) -> None:
    """A plugin whose module is missing is still listed, and running it is a usage
    error naming it, never a traceback."""
    broken = EntryPoint("bogus", "services.tools.no_such_module:register", cli.PLUGIN_GROUP)
    monkeypatch.setattr(cli, "plugins", lambda: [broken])
    assert cli.main(["bogus", "--anything"]) == 2
    err = capsys.readouterr().err
    assert "`newsdesk bogus` cannot be loaded here" in err and "no_such_module" in err
