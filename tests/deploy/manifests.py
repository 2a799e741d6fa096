"""Reading the deployment files the way docker compose and kustomize would (no engine,
no cluster): Dockerfile ENTRYPOINT/ENV, compose services, rendered k8s manifests."""

from __future__ import annotations

import json
import re
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


def dockerfiles() -> list[Path]:
    """Every Dockerfile under services/ (`Dockerfile`, `<name>.Dockerfile`)."""
    found = {*REPO.glob("services/**/Dockerfile"), *REPO.glob("services/**/*.Dockerfile")}
    return sorted(found)


def _substitute(text: str, args: dict[str, str]) -> str:
    """${NAME} and $NAME of the build arguments in scope; other variables stay."""
    return re.sub(
        r"\$\{(\w+)\}|\$(\w+)",
        lambda m: args.get(m.group(1) or m.group(2), m.group(0)),
        text,
    )


Instructions = list[tuple[str, str]]


def _stages(path: Path, build_args: dict[str, str]) -> list[tuple[str, str, Instructions]]:
    """(name, base, instructions) of each stage, build arguments substituted where Docker
    substitutes them (FROM, ENV, LABEL, EXPOSE): an ARG takes the build argument, else
    its default; a stage sees the ARGs it declares, a bare one taking the global's value."""
    instructions = dockerfile_instructions(path)
    first = next(i for i, (word, _) in enumerate(instructions) if word == "FROM")
    defaults: dict[str, str] = {}
    for word, rest in instructions[:first]:
        assert word == "ARG", f"{path}: {word} before the first FROM"
        name, _, value = rest.partition("=")
        defaults[name] = build_args.get(name, value)
    stages: list[tuple[str, str, Instructions]] = []
    scope: dict[str, str] = {}
    for word, rest in instructions[first:]:
        if word == "FROM":
            base, *alias = re.split(r"\s+AS\s+", _substitute(rest, defaults), flags=re.I)
            stages.append(((alias or [str(len(stages))])[0], base, []))
            scope = {}
            continue
        if word == "ARG":
            name, has_default, value = rest.partition("=")
            scope[name] = build_args.get(name, value) if has_default else defaults.get(name, "")
        elif word in ("ENV", "LABEL", "EXPOSE"):
            rest = _substitute(rest, scope)
        stages[-1][2].append((word, rest))
    return stages


def image_instructions(
    path: Path, args: dict[str, str] | None = None, target: str | None = None
) -> Instructions:
    """What the image built from path with these build arguments (and --target) is made
    of: the instructions of its stage and of every stage it is based on, base first,
    each stage's FROM line included (its base resolved)."""
    stages = _stages(path, args or {})
    by_name = {name: (base, body) for name, base, body in stages}
    chain: Instructions = []
    base, body = by_name[target] if target else stages[-1][1:]
    while True:
        chain[:0] = [("FROM", base), *body]
        if base not in by_name:
            return chain
        base, body = by_name[base]


def entrypoint(path: Path, args: dict[str, str] | None = None) -> list[str]:
    """The image's exec-form ENTRYPOINT, the last one it inherits (raises if shell form)."""
    args_list = [rest for word, rest in image_instructions(path, args) if word == "ENTRYPOINT"]
    assert args_list, f"{path} {args}: no ENTRYPOINT"
    value = json.loads(args_list[-1])
    assert isinstance(value, list), f"{path}: ENTRYPOINT must be exec form"
    return value


def image_env(path: Path, args: dict[str, str] | None = None) -> dict[str, str]:
    """The image's ENV (k=v pairs), inherited stages first."""
    env: dict[str, str] = {}
    for word, rest in image_instructions(path, args):
        if word == "ENV":
            for pair in shlex.split(rest):
                key, _, value = pair.partition("=")
                env[key] = value
    return env


def image_user(path: Path, args: dict[str, str] | None = None) -> str:
    """The USER the image runs as (the last one it inherits)."""
    users = [rest for word, rest in image_instructions(path, args) if word == "USER"]
    assert users, f"{path} {args}: no USER (runs as root)"
    return users[-1]


def image_labels(path: Path, args: dict[str, str] | None = None) -> dict[str, str]:
    """The image's LABELs."""
    labels: dict[str, str] = {}
    for word, rest in image_instructions(path, args):
        if word == "LABEL":
            labels.update(pair.partition("=")[::2] for pair in shlex.split(rest))
    return labels


def built_image(service: str) -> tuple[Path, dict[str, str]]:
    """The Dockerfile and build arguments docker-compose.yml builds a service's image from."""
    build = compose()["services"][service]["build"]
    assert build["context"] == "."
    return REPO / build["dockerfile"], {k: str(v) for k, v in build.get("args", {}).items()}


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
