"""Re-pin pyproject.toml's [build-system] requires to the versions constraints.txt locks.

`make lock` runs this after re-pinning constraints.txt, so the stubs a build writes
(grpcio-tools) and the runtime the lock installs (grpcio, protobuf) always move
together. `--check` only compares, and exits 1 on a difference.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Every package pip installs into the isolated build environment: the backend, the
#: stub generator and what the generator itself requires.
BUILD_PACKAGES = ("setuptools", "grpcio-tools", "grpcio", "protobuf")
REQUIRES = re.compile(r"^requires = \[.*\]$", re.MULTILINE)


def canonical(name: str) -> str:
    """PEP 503 normalized name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(constraints: Path) -> dict[str, str]:
    """The `name==version` pins of a constraints file, by normalized name."""
    pins: dict[str, str] = {}
    for line in constraints.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[canonical(name)] = version.strip()
    return pins


def requires_line(pins: dict[str, str]) -> str:
    """The [build-system] requires line for these pins."""
    missing = [name for name in BUILD_PACKAGES if name not in pins]
    if missing:
        raise SystemExit(f"constraints.txt does not pin {', '.join(missing)}")
    items = ", ".join(f'"{name}=={pins[name]}"' for name in BUILD_PACKAGES)
    return f"requires = [{items}]"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 if stale")
    args = parser.parse_args(argv)
    pyproject = ROOT / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    build_system = text.split("[build-system]", 1)[1].split("\n[", 1)[0]
    current = REQUIRES.search(build_system)
    if current is None:
        raise SystemExit("pyproject.toml: no `requires = [...]` line under [build-system]")
    wanted = requires_line(locked(ROOT / "constraints.txt"))
    if current.group(0) == wanted:
        return 0
    if args.check:
        print(
            f"pyproject.toml [build-system] is stale:\n  has  {current.group(0)}\n  want {wanted}"
        )
        return 1
    pyproject.write_text(text.replace(current.group(0), wanted, 1), encoding="utf-8")
    print(f"pyproject.toml [build-system]: {wanted}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
