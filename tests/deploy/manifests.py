"""Reading the deployment files the way docker compose and kustomize would (no engine,
no cluster): Dockerfile ENTRYPOINT/ENV, compose services, rendered k8s manifests."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def dockerfile_instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    joined: list[str] = []
    current = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        joined.append(current + line)
        current = ""
    out = []
    for line in joined:
        word, _, rest = line.partition(" ")
        out.append((word.upper(), rest.strip()))
    return out


def final_stage(path: Path) -> list[tuple[str, str]]:
    """Instructions of the last build stage (the image that runs)."""
    instructions = dockerfile_instructions(path)
    last = max(i for i, (word, _) in enumerate(instructions) if word == "FROM")
    return instructions[last:]


def entrypoint(path: Path) -> list[str]:
    """The exec-form ENTRYPOINT of the final stage (raises if shell form)."""
    (args,) = [rest for word, rest in final_stage(path) if word == "ENTRYPOINT"]
    value = json.loads(args)
    assert isinstance(value, list), f"{path}: ENTRYPOINT must be exec form"
    return value


def image_env(path: Path) -> dict[str, str]:
    """ENV of the final stage (k=v pairs)."""
    env: dict[str, str] = {}
    for word, rest in final_stage(path):
        if word == "ENV":
            for pair in shlex.split(rest):
                key, _, value = pair.partition("=")
                env[key] = value
    return env


def compose() -> dict:
    """docker-compose.yml as data."""
    return yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))


def render_kustomize(folder: Path) -> list[dict]:
    """`kubectl kustomize` output as documents; a minimal built-in renderer (resources,
    namespace, labels) when kubectl is not installed."""
    kubectl = shutil.which("kubectl")
    if kubectl:
        out = subprocess.run(
            [kubectl, "kustomize", str(folder)], check=True, capture_output=True, text=True
        ).stdout
        return [d for d in yaml.safe_load_all(out) if d]
    spec = yaml.safe_load((folder / "kustomization.yaml").read_text(encoding="utf-8"))
    docs: list[dict] = []
    for resource in spec["resources"]:
        docs += [d for d in yaml.safe_load_all((folder / resource).read_text()) if d]
    labels = {k: v for block in spec.get("labels", []) for k, v in block["pairs"].items()}
    for doc in docs:
        meta = doc.setdefault("metadata", {})
        meta.setdefault("labels", {}).update(labels)
        if doc["kind"] != "Namespace" and spec.get("namespace"):
            meta["namespace"] = spec["namespace"]
    return docs


def kubernetes_validate(docs: list[dict], folder: Path) -> subprocess.CompletedProcess[str]:
    """kubernetes-validate --strict over the documents (written to folder)."""
    import sys

    rendered = folder / "rendered.yaml"
    rendered.write_text(yaml.safe_dump_all(docs), encoding="utf-8")
    tool = shutil.which("kubernetes-validate", path=str(Path(sys.executable).parent))
    tool = tool or shutil.which("kubernetes-validate") or "kubernetes-validate"
    return subprocess.run(
        [tool, "--strict", "--quiet", str(rendered)], capture_output=True, text=True
    )
