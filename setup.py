"""Build hook: generate the gRPC/protobuf stubs from protos/ at install and build time.

The stubs are never committed (protobuf's generated code checks its runtime version,
so committed stubs rot). Where they are written depends on the build:

- a wheel or a plain `pip install .` writes them into the build directory only, so the
  checkout is never rewritten (pip builds in-tree);
- an editable install (`make setup`) and `python setup.py gen-protos` write them next
  to the .proto files, where the editable install imports them from.

grpcio-tools, grpcio, protobuf and setuptools are pinned exactly in pyproject.toml's
[build-system], to the versions of constraints.txt (`make lock` writes both), so the
stubs never demand a newer grpcio or protobuf than the lock installs
(tests/deploy/test_build_pins.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
PROTO_ROOT = ROOT / "protos"


def generate_stubs(out: Path = PROTO_ROOT) -> list[Path]:
    """Run protoc on every .proto under protos/, writing the stubs under `out`."""
    import grpc_tools
    from grpc_tools import protoc

    include = str(Path(grpc_tools.__file__).parent / "_proto")
    protos = sorted(PROTO_ROOT.rglob("*.proto"))
    out.mkdir(parents=True, exist_ok=True)
    args = [
        "grpc_tools.protoc",
        f"-I{PROTO_ROOT}",
        f"-I{include}",
        f"--python_out={out}",
        f"--pyi_out={out}",
        f"--grpc_python_out={out}",
        *[str(p.relative_to(PROTO_ROOT)) for p in protos],
    ]
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed on " + ", ".join(map(str, protos)))
    return protos


class BuildPyWithStubs(build_py):
    """build_py that generates the stubs: into the build directory for a wheel, in the
    tree for an editable install."""

    def run(self) -> None:
        if self.editable_mode:
            generate_stubs(PROTO_ROOT)
            super().run()
            return
        super().run()
        # After the copy: stale stubs a checkout may hold (from an editable install
        # made with other versions) are overwritten by the pinned build's own.
        generate_stubs(Path(self.build_lib))


if __name__ == "__main__" and sys.argv[1:2] == ["gen-protos"]:
    for proto in generate_stubs():
        print("generated stubs for", proto.relative_to(ROOT))
else:
    setup(cmdclass={"build_py": BuildPyWithStubs})
