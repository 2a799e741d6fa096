"""Build hook: generate the gRPC/protobuf stubs from protos/ at install and build time.

The stubs are never committed (protobuf's generated code checks its runtime version,
so committed stubs rot); they are written next to the .proto files, where both an
editable install and a wheel pick them up. grpcio-tools is a build requirement, pinned
to the runtime's minor version in pyproject.toml.
"""

from __future__ import annotations

import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
PROTO_ROOT = ROOT / "protos"


def generate_stubs() -> list[Path]:
    """Run protoc on every .proto under protos/; return the files it wrote to."""
    import grpc_tools
    from grpc_tools import protoc

    include = str(Path(grpc_tools.__file__).parent / "_proto")
    protos = sorted(PROTO_ROOT.rglob("*.proto"))
    args = [
        "grpc_tools.protoc",
        f"-I{PROTO_ROOT}",
        f"-I{include}",
        f"--python_out={PROTO_ROOT}",
        f"--pyi_out={PROTO_ROOT}",
        f"--grpc_python_out={PROTO_ROOT}",
        *[str(p.relative_to(PROTO_ROOT)) for p in protos],
    ]
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed on " + ", ".join(map(str, protos)))
    return protos


class BuildPyWithStubs(build_py):
    """build_py that generates the stubs first."""

    def run(self) -> None:
        generate_stubs()
        super().run()


if __name__ == "__main__" and sys.argv[1:2] == ["gen-protos"]:
    for proto in generate_stubs():
        print("generated stubs for", proto.relative_to(ROOT))
else:
    setup(cmdclass={"build_py": BuildPyWithStubs})
