"""The build does not depend on the day it runs: every build requirement is pinned to the
locked set, the stubs a wheel ships never demand a newer grpcio or protobuf than
constraints.txt installs, and a non-editable build never rewrites the checkout."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from tools import pin_build

ROOT = Path(__file__).resolve().parents[2]
SKIP = shutil.ignore_patterns(
    ".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "models"
)
GRPC_GENERATED = re.compile(r"^GRPC_GENERATED_VERSION = '([^']+)'", re.MULTILINE)
PROTOBUF_GENERATED = re.compile(
    r"ValidateProtobufRuntimeVersion\(\s*_runtime_version\.Domain\.PUBLIC,\s*(\d+),\s*(\d+),\s*(\d+),"
)


def lock() -> dict[str, str]:
    return pin_build.locked(ROOT / "constraints.txt")


def stub_demands(name: str, text: str) -> tuple[str, Version] | None:
    """What a generated stub demands of its runtime: ("grpcio", v) for a *_pb2_grpc.py,
    ("protobuf", v) for a *_pb2.py; None for other files."""
    if name.endswith("_pb2_grpc.py"):
        found = GRPC_GENERATED.search(text)
        assert found, f"{name}: no GRPC_GENERATED_VERSION"
        return "grpcio", Version(found.group(1))
    if name.endswith("_pb2.py"):
        version = PROTOBUF_GENERATED.search(text)
        assert version, f"{name}: no ValidateProtobufRuntimeVersion"
        return "protobuf", Version(".".join(version.groups()))
    return None


def too_new(stubs: dict[str, str], pins: dict[str, str]) -> list[str]:
    """The stubs (file name → text) that demand more than the pinned runtime."""
    bad = []
    for name, text in stubs.items():
        demand = stub_demands(name, text)
        if demand and demand[1] > Version(pins[demand[0]]):
            bad.append(f"{name} needs {demand[0]}>={demand[1]}, the lock has {pins[demand[0]]}")
    return bad


def test_build_requirements_are_the_locked_versions() -> None:
    """[build-system] pins exactly (==) setuptools, grpcio-tools, grpcio and protobuf, each
    to the version constraints.txt locks; grpcio-tools' own needs fit the lock."""
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
    pins = lock()
    build = {pin_build.canonical(Requirement(r).name): Requirement(r) for r in requires}
    assert set(build) == set(pin_build.BUILD_PACKAGES)
    for name, requirement in build.items():
        (spec,) = requirement.specifier
        assert spec.operator == "==", f"{requirement} is not an exact pin"
        assert spec.version == pins[name], f"{requirement}: constraints.txt has {pins[name]}"
    # grpcio-tools X writes stubs that demand grpcio >= X.
    assert Version(pins["grpcio-tools"]) <= Version(pins["grpcio"])
    assert pin_build.main(["--check"]) == 0


def test_pin_check_fails_on_a_stale_build_pin(tmp_path, monkeypatch) -> None:
    """`tools/pin_build.py --check` exits 1 when [build-system] and the lock differ, and
    without --check rewrites the line to the lock's versions."""
    (tmp_path / "constraints.txt").write_text(
        "grpcio==1.85.4\ngrpcio-tools==1.85.4\nprotobuf==7.36.2\nsetuptools==84.2.1\n"
    )
    (tmp_path / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=68", "grpcio-tools~=1.85.0"]\n\n[project]\n'
    )
    monkeypatch.setattr(pin_build, "ROOT", tmp_path)
    assert pin_build.main(["--check"]) == 1
    assert pin_build.main([]) == 0
    assert pin_build.main(["--check"]) == 0
    assert (
        'requires = ["setuptools==84.2.1", "grpcio-tools==1.85.4", "grpcio==1.85.4", '
        '"protobuf==7.36.2"]'
    ) in (tmp_path / "pyproject.toml").read_text()


def test_stub_check_catches_stubs_newer_than_the_lock() -> None:
    """The stub check fails on the break this file exists for: stubs from grpcio-tools
    1.85.4 against a lock of grpcio 1.85.3, or from a newer protobuf than the lock's."""
    pins = {"grpcio": "1.85.3", "protobuf": "7.36.2"}
    grpc_stub = "import grpc\n\nGRPC_GENERATED_VERSION = '1.85.4'\n"
    pb2 = (
        "_runtime_version.ValidateProtobufRuntimeVersion(\n"
        "    _runtime_version.Domain.PUBLIC,\n    7,\n    37,\n    0,\n    '',\n"
    )
    assert too_new({"a_pb2_grpc.py": grpc_stub, "a_pb2.py": pb2}, pins) == [
        "a_pb2_grpc.py needs grpcio>=1.85.4, the lock has 1.85.3",
        "a_pb2.py needs protobuf>=7.37.0, the lock has 7.36.2",
    ]
    assert too_new({"a_pb2_grpc.py": grpc_stub.replace("1.85.4", "1.85.1")}, pins) == []


def tree_digest(root: Path) -> dict[str, str]:
    """sha256 of every file under root, except what a build may add (build/, egg-info)."""
    digest = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and rel.parts[0] != "build" and not rel.parts[0].endswith("egg-info"):
            digest[str(rel)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest


@pytest.fixture(scope="module")
def built_wheel(tmp_path_factory) -> tuple[Path, dict[str, str], dict[str, str]]:
    """`pip wheel .` (isolated build, as `pip install .` does it) of a copy of this tree,
    with an empty pip cache; returns the wheel and the copy's digest before and after."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    shutil.copytree(ROOT, source, ignore=SKIP)
    before = tree_digest(source)
    pip = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-cache-dir"]
    built = subprocess.run(
        [*pip, "-w", str(work / "dist"), "."],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (work / "dist").glob("newsdesk-*.whl")
    return wheel, before, tree_digest(source)


def test_wheel_stubs_run_on_the_locked_runtime(built_wheel) -> None:
    """Every stub the wheel ships was generated by the pinned grpcio-tools and demands no
    newer grpcio or protobuf than constraints.txt installs."""
    wheel, _, _ = built_wheel
    with zipfile.ZipFile(wheel) as archive:
        stubs = {
            name: archive.read(name).decode()
            for name in archive.namelist()
            if name.startswith("newsdesk/") and name.endswith(("_pb2.py", "_pb2_grpc.py"))
        }
    protos = {p.stem for p in (ROOT / "protos").rglob("*.proto")}
    modules = {n.rsplit("/", 1)[1].removesuffix("_pb2.py") for n in stubs if n.endswith("_pb2.py")}
    assert modules == protos and len(stubs) == 2 * len(protos)
    pins = lock()
    assert too_new(stubs, pins) == []
    grpc_versions = {stub_demands(n, t) for n, t in stubs.items() if n.endswith("_grpc.py")}
    assert grpc_versions == {("grpcio", Version(pins["grpcio-tools"]))}


def test_wheel_ships_the_archive_migrations(built_wheel) -> None:
    """A non-editable install (what the archive image runs) carries every SQL migration
    the archive applies at start; without them it would serve with no tables."""
    wheel, _, _ = built_wheel
    with zipfile.ZipFile(wheel) as archive:
        shipped = set(archive.namelist())
    migrations = ROOT / "services" / "archive" / "migrations"
    expected = {p.relative_to(ROOT).as_posix() for p in migrations.rglob("*.sql")}
    assert expected, "no migrations in services/archive/migrations"
    assert not expected - shipped, f"missing from the wheel: {sorted(expected - shipped)}"


def test_wheel_build_leaves_the_checkout_untouched(built_wheel) -> None:
    """A non-editable build writes its stubs into the build directory only: no file of
    the tree it was built from is added, changed or removed."""
    _, before, after = built_wheel
    assert after == before


def test_checkout_stubs_run_on_the_installed_runtime() -> None:
    """The stubs the editable install generated (what the suite imports) demand no newer
    grpcio or protobuf than the lock."""
    stubs = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "protos").rglob("*_pb2*.py")}
    if not stubs:
        pytest.skip("no generated stubs in protos/ (run `make setup` or `make protos`)")
    assert too_new(stubs, lock()) == []


def torch_installs(text: str) -> list[str]:
    """The commands of a file that install torch (a Dockerfile's RUN lines, the README)."""
    return [ln.strip() for ln in text.splitlines() if re.search(r"pip install .*torch==", ln)]


@pytest.mark.parametrize(
    "path",
    ["README.md", "services/model.Dockerfile"],
)
def test_torch_is_the_cpu_build_at_the_locked_version(path: str) -> None:
    """Every torch install takes the locked version from PyTorch's CPU wheel index alone
    (--no-deps: its dependencies come pinned from constraints.txt), never PyPI's CUDA
    build; the Makefile takes the version from constraints.txt and the same index."""
    pinned = f"torch=={lock()['torch']}"
    installs = torch_installs((ROOT / path).read_text(encoding="utf-8"))
    assert installs, f"{path} installs no CPU torch"
    for line in installs:
        assert "--no-deps" in line and "--index-url https://download.pytorch.org/whl/cpu" in line
        assert pinned in line, line
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "TORCH_INDEX ?= https://download.pytorch.org/whl/cpu" in makefile
    assert "sed -n 's/^torch==//p' constraints.txt" in makefile
