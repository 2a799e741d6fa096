"""Static checks of the deployment files that need no Docker engine and no cluster:
hadolint, the compose-spec schema, Kubernetes API schemas after kustomize rendering,
and agreement between those files and the variables the code reads."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from services.archive.config import ArchiveConfig
from services.detector.config import DetectorConfig
from services.summarizer.config import SummarizerConfig
from services.translator.config import TranslatorConfig
from tests.deploy.manifests import (
    REPO,
    built_image,
    compose,
    dockerfile_instructions,
    dockerfiles,
    entrypoint,
    image_env,
    image_instructions,
    image_labels,
    image_user,
    kubernetes_validate,
    render_kustomize,
)

SERVICES: dict[str, tuple[Any, int]] = {
    "detector": (DetectorConfig, 50051),
    "translator": (TranslatorConfig, 50052),
    "summarizer": (SummarizerConfig, 50053),
    "archive": (ArchiveConfig, 50054),
}
MODEL_SERVICES = ("translator", "summarizer")
# The archive keeps its data in a database: SQLite on a volume in compose, PostgreSQL
# (URL from this Secret, never in the repository) for the replicas in Kubernetes.
ARCHIVE_SQLITE_URL = "sqlite:////data/archive.db"
ARCHIVE_SECRET = {"name": "newsdesk-archive", "key": "url"}
# The one Dockerfile of the model services; SERVICE (a build argument) picks the service.
MODEL_DOCKERFILE = "services/model.Dockerfile"
BIN = Path(sys.executable).parent


class Recording(dict):
    """A mapping that records every variable name the config reads."""

    def __init__(self, data: Mapping[str, str]) -> None:
        super().__init__(data)
        self.read: set[str] = set()

    def get(self, key, default=None):  # type: ignore[no-untyped-def]
        self.read.add(key)
        return super().get(key, default)


def read_variables(config_cls, env: Mapping[str, str]) -> set[str]:
    recording = Recording(env)
    config_cls.from_env(recording)
    return recording.read


def tool(name: str) -> str:
    path = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[dev]'")
    return path


def run_tool(name: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """One of the dev extra's checkers, its output captured."""
    return subprocess.run([tool(name), *map(str, args)], capture_output=True, text=True)


def compose_schema_check(path: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema of a compose file against the compose spec."""
    return run_tool("check-jsonschema", "--builtin-schema", "vendor.compose-spec", path)


@pytest.mark.parametrize("path", dockerfiles(), ids=lambda p: str(p.relative_to(REPO)))
def test_hadolint_clean(path: Path) -> None:
    """Each Dockerfile passes hadolint."""
    result = run_tool("hadolint", path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ci_lints_every_dockerfile() -> None:
    """`make lint` (what CI runs) hands hadolint every Dockerfile under services/."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    (line,) = [ln.split() for ln in makefile.splitlines() if "bin/hadolint" in ln]
    linted = {path for pattern in line[1:] for path in REPO.glob(pattern)}
    assert linted == set(dockerfiles())


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_image_runs_the_service_as_pid1_non_root(service: str) -> None:
    """The image compose builds for the service: exec-form ENTRYPOINT runs the service
    module, as a non-root USER, with unbuffered output, caches under /tmp (read-only
    root filesystem) and a label naming the service; model-serving images never
    download."""
    dockerfile, args = built_image(service)
    assert entrypoint(dockerfile, args) == ["python", "-m", f"services.{service}"]
    assert image_user(dockerfile, args) == "10001:10001"
    assert image_labels(dockerfile, args)["org.opencontainers.image.title"] == (
        f"newsdesk-{service}"
    )
    env = image_env(dockerfile, args)
    assert env["PYTHONUNBUFFERED"] == "1" and env["HOME"] == "/tmp"
    if service in MODEL_SERVICES:
        assert env["HF_HUB_OFFLINE"] == "1" and env["HF_HOME"].startswith("/tmp/")
        text = dockerfile.read_text(encoding="utf-8")
        assert "torch==2.13.0" in text and "whl/cpu" in text


def test_model_images_come_from_one_dockerfile() -> None:
    """The translator and summarizer images build from one Dockerfile, told apart only by
    the SERVICE build argument, and so does the model tools image (target `tools`); the
    detector and the archive (no models, no CTranslate2) keep their own. Every Dockerfile
    is one compose builds. Without SERVICE the build stops at once, naming the argument."""
    services = compose()["services"]
    builds = {name: spec["build"] for name, spec in services.items() if "build" in spec}
    assert builds["models"] == {"context": ".", "dockerfile": MODEL_DOCKERFILE, "target": "tools"}
    for name in MODEL_SERVICES:
        assert builds[name] == {
            "context": ".",
            "dockerfile": MODEL_DOCKERFILE,
            "args": {"SERVICE": name},
        }
    assert builds["detector"] == {"context": ".", "dockerfile": "services/detector/Dockerfile"}
    assert builds["archive"] == {"context": ".", "dockerfile": "services/archive/Dockerfile"}
    assert {REPO / b["dockerfile"] for b in builds.values()} == set(dockerfiles())
    model = REPO / MODEL_DOCKERFILE
    images = [image_instructions(model, {"SERVICE": name}) for name in MODEL_SERVICES]
    assert images[0] != images[1]
    # Every layer (RUN, COPY) comes before SERVICE is read, so both images share them;
    # after it comes configuration only (label, variables, ports, probe, entrypoint).
    cuts = [image.index(("ARG", "SERVICE")) for image in images]
    assert images[0][: cuts[0]] == images[1][: cuts[1]]
    for image, cut in zip(images, cuts, strict=True):
        assert not [word for word, _ in image[cut:] if word in ("RUN", "COPY", "ADD")]
    unset = image_instructions(model)
    assert not [word for word, _ in unset if word in ("ENTRYPOINT", "COPY")]
    (stop,) = [rest for word, rest in unset if word == "RUN"]
    assert "--build-arg SERVICE=" in stop and stop.endswith("exit 1")


def test_compose_matches_compose_spec() -> None:
    """docker-compose.yml validates against the compose-spec JSON schema."""
    result = compose_schema_check(REPO / "docker-compose.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_catches_a_broken_compose_file(tmp_path) -> None:
    """The schema check can fail: a misspelt key is rejected."""
    broken = compose()
    broken["services"]["detector"]["helthcheck"] = broken["services"]["detector"].pop("healthcheck")
    path = tmp_path / "docker-compose.yml"
    path.write_text(yaml.safe_dump(broken), encoding="utf-8")
    assert compose_schema_check(path).returncode != 0


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_compose_service_wiring(service: str) -> None:
    """Ports, environment names and healthchecks in compose match what the code reads."""
    config_cls, port = SERVICES[service]
    spec = compose()["services"][service]
    env = {k: str(v) for k, v in spec["environment"].items()}
    read = read_variables(config_cls, env)
    unknown = {k for k in env if k.startswith("NEWSDESK_") and k not in read}
    assert not unknown, f"{service}: variables the service never reads: {unknown}"
    config = config_cls.from_env(env)
    assert config.server.port == port
    assert spec["ports"] == [f"{port}:{port}"]
    assert spec["healthcheck"]["test"][-1] == f"127.0.0.1:{port}"
    assert "services.tools.health_probe" in spec["healthcheck"]["test"]
    grace = float(spec["stop_grace_period"].rstrip("s"))
    assert grace > config.server.grace_seconds
    assert spec["read_only"] is True and "/tmp" in spec["tmpfs"]


def test_compose_model_puller_and_volumes() -> None:
    """The one-shot puller fills the models volume; model services mount it read-only
    and wait for the puller when its profile is used."""
    services = compose()["services"]
    puller = services["models"]
    assert puller["profiles"] == ["models"]
    assert puller["entrypoint"][:3] == ["newsdesk", "models", "pull"]
    for name in ("translator", "summarizer"):
        assert "models:/models:ro" in services[name]["volumes"]
        dep = services[name]["depends_on"]["models"]
        assert dep == {"condition": "service_completed_successfully", "required": False}
        assert services[name]["environment"]["HF_HUB_OFFLINE"] == "1"


def _k8s_docs() -> list[dict]:
    return render_kustomize(REPO / "deploy" / "k8s")


# What the operator's Secrets hold, for reading a container's configuration here.
SECRET_STAND_INS = {"NEWSDESK_ARCHIVE_URL": "postgresql://newsdesk@postgres.example/newsdesk"}


def container_env(container: dict) -> dict[str, str]:
    """A container's env as name → value; a variable taken from elsewhere (valueFrom: a
    Secret's key) gets its stand-in value from SECRET_STAND_INS."""
    env = {}
    for entry in container.get("env", []):
        name = entry["name"]
        env[name] = entry["value"] if "value" in entry else SECRET_STAND_INS[name]
    return env


def test_k8s_manifests_validate_against_api_schemas(tmp_path) -> None:
    """The rendered manifests pass kubernetes-validate --strict."""
    result = kubernetes_validate(_k8s_docs(), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_k8s_validation_catches_a_bad_manifest(tmp_path) -> None:
    """The validation can fail: a probe with a misspelt field is rejected."""
    docs = _k8s_docs()
    deployment = next(d for d in docs if d["kind"] == "Deployment")
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    container["readinessProbe"]["grpc"]["prot"] = container["readinessProbe"]["grpc"].pop("port")
    rendered = tmp_path / "bad.yaml"
    rendered.write_text(yaml.safe_dump(deployment), encoding="utf-8")
    assert run_tool("kubernetes-validate", "--strict", "--quiet", rendered).returncode != 0


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_k8s_service_shape(service: str) -> None:
    """Each service: the image compose builds for it, grpc probes on its port, resources,
    hardened securityContext, a headless Service for client-side balancing, a PDB; HPAs
    for the model services; the metrics port scraped is the one served; ConfigMap and
    container variables are ones the code reads."""
    config_cls, port = SERVICES[service]
    docs = {(d["kind"], d["metadata"]["name"]): d for d in _k8s_docs()}
    pod = docs[("Deployment", service)]["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    image = compose()["services"][service]["image"]
    assert {c["image"] for c in [container, *pod.get("initContainers", [])]} == {image}
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["grpc"]["port"] == port
    assert container["resources"]["requests"] and container["resources"]["limits"]
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["terminationGracePeriodSeconds"] > 20
    assert docs[("Service", f"{service}-headless")]["spec"]["clusterIP"] == "None"
    assert ("PodDisruptionBudget", service) in docs
    assert (("HorizontalPodAutoscaler", service) in docs) == (service in MODEL_SERVICES)
    configmap = docs[("ConfigMap", "newsdesk-config")]["data"]
    env = {**configmap, **container_env(container)}
    read = read_variables(config_cls, env)
    ours = {k for k in env if k.startswith(f"NEWSDESK_{service.upper()}_")}
    assert ours <= read, ours - read
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    metrics = int(env[f"NEWSDESK_{service.upper()}_METRICS_PORT"])
    assert ports == {"grpc": port, "metrics": metrics}
    annotations = docs[("Deployment", service)]["spec"]["template"]["metadata"]["annotations"]
    assert annotations == {"prometheus.io/scrape": "true", "prometheus.io/port": str(metrics)}


def test_prometheus_scrapes_every_service_on_its_metrics_port() -> None:
    """The compose Prometheus scrapes each service at the metrics port compose gives it,
    and starts once every service is healthy."""
    services = compose()["services"]
    prometheus = yaml.safe_load((REPO / "deploy/prometheus/prometheus.yml").read_text())
    targets = {
        t
        for job in prometheus["scrape_configs"]
        for c in job["static_configs"]
        for t in c["targets"]
    }
    expected = {
        f"{name}:{services[name]['environment'][f'NEWSDESK_{name.upper()}_METRICS_PORT']}"
        for name in SERVICES
    }
    assert targets == expected
    depends = services["prometheus"]["depends_on"]
    assert depends == {name: {"condition": "service_healthy"} for name in SERVICES}


@pytest.mark.parametrize("service", MODEL_SERVICES)
def test_default_deployment_pulls_converts_and_serves_int8(service: str) -> None:
    """The serving image installs only the serve extra (CTranslate2, no torch) and
    serves ctranslate2 int8, with no model inside unless built MODELS=baked; the model
    tools image (target `tools`) pulls and converts for the compose puller, the k8s Job
    and the baked build; nothing sets CT2_USE_MKL (13-30x slower int8 on AMD)."""
    dockerfile, args = built_image(service)
    instructions = dockerfile_instructions(dockerfile)
    assert ("ARG", "EXTRAS=serve") in instructions and ("ARG", "MODELS=volume") in instructions

    def pulls(models: dict[str, str]) -> bool:
        chain = image_instructions(dockerfile, {**args, **models}, target="models")
        return any(w == "RUN" and "newsdesk models pull" in r for w, r in chain)

    assert not pulls({}) and pulls({"MODELS": "baked"})
    copied = [r.split()[0] for w, r in image_instructions(dockerfile, args) if w == "COPY"]
    assert copied == ["--from=build", "--from=models"]  # the venv; /models of that stage
    tools = image_instructions(dockerfile, args, target="tools")
    assert [r for w, r in tools if w == "ENTRYPOINT"] == ['["newsdesk", "models"]']
    assert [r for w, r in tools if w == "USER"] == ["10001:10001"]
    prefix = f"NEWSDESK_{service.upper()}_"
    env = image_env(dockerfile, args)
    assert env[f"{prefix}ENGINE"] == "ctranslate2" and env[f"{prefix}COMPUTE_TYPE"] == "int8"
    compose_env = compose()["services"][service]["environment"]
    assert compose_env[f"{prefix}ENGINE"] == "ctranslate2"
    assert f"{prefix}THREADS" not in compose_env  # threads follow the CPU limit
    puller = compose()["services"]["models"]
    assert puller["build"]["target"] == "tools"
    assert puller["entrypoint"][-2:] == ["--quantization", "int8"]
    docs = {(d["kind"], d["metadata"]["name"]): d for d in _k8s_docs()}
    (job,) = [d for (kind, _), d in docs.items() if kind == "Job"]
    (container,) = job["spec"]["template"]["spec"]["containers"]
    assert container["image"].startswith("newsdesk/models:")
    assert container["command"][:3] == ["newsdesk", "models", "pull"]
    configmap = docs[("ConfigMap", "newsdesk-config")]["data"]
    assert configmap[f"{prefix}ENGINE"] == "ctranslate2"
    for path in [dockerfile, REPO / "docker-compose.yml", *(REPO / "deploy").rglob("*.yaml")]:
        assert "CT2_USE_MKL" not in path.read_text(encoding="utf-8").replace(
            "Never set CT2_USE_MKL", ""
        ), path


def test_one_locked_set_for_ci_images_and_readme() -> None:
    """constraints.txt pins (==) every package; make setup, every Dockerfile pip
    install of the project and the README's install commands use it."""
    lines = [
        line
        for line in (REPO / "constraints.txt").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert lines and all("==" in line for line in lines)
    names = {line.split("==")[0].lower().replace("_", "-") for line in lines}
    for needed in ("grpcio", "ctranslate2", "torch", "transformers", "structlog", "langdetect"):
        assert needed in names
    assert "-c constraints.txt" in (REPO / "Makefile").read_text()
    for dockerfile in dockerfiles():
        text = dockerfile.read_text()
        installs = [
            ln for ln in text.splitlines() if ("pip install" in ln and "'." in ln) or '".' in ln
        ]
        assert installs and all("-c constraints.txt" in ln for ln in installs), dockerfile
    readme = (REPO / "README.md").read_text()
    assert "pip install -c constraints.txt" in readme


def test_buf_breaking_fails_on_a_breaking_v1_change(tmp_path) -> None:
    """`buf breaking` against the previous commit (what CI runs) passes an additive
    change and fails one that breaks clients (a field's number changed)."""
    import shutil as sh

    work = tmp_path / "repo"
    sh.copytree(REPO / "protos", work / "protos", ignore=sh.ignore_patterns("*.py", "*.pyi"))
    sh.copy(REPO / "buf.yaml", work / "buf.yaml")

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
            cwd=work,
            check=True,
            capture_output=True,
        )

    def breaking() -> int:
        return subprocess.run(
            [tool("buf"), "breaking", "--against", ".git#ref=HEAD~1"],
            cwd=work,
            capture_output=True,
        ).returncode

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "base")
    proto = work / "protos" / "newsdesk" / "common" / "v1" / "common.proto"
    text = proto.read_text()
    proto.write_text(
        text.replace(
            "message ModelInfo {", "message ModelInfo {\n  // note.\n  string note = 9;", 1
        )
    )
    git("commit", "-qam", "additive")
    assert breaking() == 0
    proto.write_text(proto.read_text().replace("string engine = 3;", "string engine = 7;"))
    git("commit", "-qam", "breaking")
    assert breaking() != 0


def test_archive_image_serves_sqlite_from_its_volume() -> None:
    """The archive image installs the archive extra alone (no models, no torch) and
    defaults to SQLite in /data: a VOLUME over a directory the service's user owns (made
    before the VOLUME line, so a fresh named volume starts writable by uid 10001); its
    ports, probe and variables are the archive's."""
    dockerfile, args = built_image("archive")
    everything = dockerfile_instructions(dockerfile)
    installs = [r for w, r in everything if w == "RUN" and "pip install" in r]
    assert any("-c constraints.txt '.[archive]'" in r for r in installs), installs
    commands = " ".join(rest for _, rest in everything)  # comments left out
    assert not re.search(r"torch|ctranslate2|models pull|\[serve\]|\[services\]", commands)
    image = image_instructions(dockerfile, args)
    words = [w for w, _ in image]
    (volume,) = [json.loads(r) for w, r in image if w == "VOLUME"]
    assert volume == ["/data"]
    (prepare,) = [i for i, (w, r) in enumerate(image) if w == "RUN" and "/data" in r]
    assert "mkdir /data" in image[prepare][1] and "chown 10001:10001 /data" in image[prepare][1]
    assert prepare < words.index("VOLUME") and words.index("VOLUME") < words.index("USER")
    assert ("EXPOSE", "50054 9104") in image
    (healthcheck,) = [r for w, r in image if w == "HEALTHCHECK"]
    assert healthcheck.endswith('"services.tools.health_probe", "127.0.0.1:50054"]')
    env = image_env(dockerfile, args)
    assert read_variables(ArchiveConfig, env) >= {
        k for k in env if k.startswith("NEWSDESK_ARCHIVE_")
    }
    config = ArchiveConfig.from_env(env)
    assert config.url == ARCHIVE_SQLITE_URL
    assert (config.server.port, config.server.metrics_port) == (50054, 9104)


def test_compose_archive_writes_only_its_volume() -> None:
    """In compose the archive's root filesystem is read-only like the others'; the one
    writable place besides /tmp is the named volume `archive` at /data, mounted
    read-write, where its SQLite URL points (the WAL's -wal and -shm files sit beside the
    database, so the whole folder must be writable). One replica: SQLite is one file."""
    document = compose()
    spec = document["services"]["archive"]
    assert spec["read_only"] is True and spec["tmpfs"] == ["/tmp"]
    assert spec["security_opt"] == ["no-new-privileges:true"]
    (mount,) = spec["volumes"]
    source, target, *mode = mount.split(":")
    assert (source, target, mode) == ("archive", "/data", [])  # no :ro
    assert "archive" in document["volumes"]
    env = {k: str(v) for k, v in spec["environment"].items()}
    config = ArchiveConfig.from_env(env)
    assert config.url == ARCHIVE_SQLITE_URL
    database = Path(config.url.removeprefix("sqlite:///"))
    assert database.is_absolute() and database.parent == Path(target)
    assert env["NEWSDESK_ARCHIVE_RETENTION_DAYS"] == "0" and config.retention_days == 0
    assert spec["deploy"].get("replicas", 1) == 1 and "scale" not in spec
    assert spec["deploy"]["resources"]["limits"]["memory"]
    # The image is the one the k8s manifests run.
    assert spec["image"] == "newsdesk/archive:0.1.0"


def test_k8s_archive_takes_its_url_from_a_secret() -> None:
    """In Kubernetes the replicas share PostgreSQL, whose URL (with its password) comes
    from the newsdesk-archive Secret, which the manifests reference but do not ship: no
    literal URL in the container, the ConfigMap, or any Secret; no writable volume for a
    SQLite file (the root filesystem is read-only and /tmp is per pod)."""
    docs = _k8s_docs()
    by_key = {(d["kind"], d["metadata"]["name"]): d for d in docs}
    deployment = by_key[("Deployment", "archive")]
    assert deployment["spec"]["replicas"] >= 2
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    (url,) = [e for e in container["env"] if e["name"] == "NEWSDESK_ARCHIVE_URL"]
    assert url == {"name": "NEWSDESK_ARCHIVE_URL", "valueFrom": {"secretKeyRef": ARCHIVE_SECRET}}
    assert "NEWSDESK_ARCHIVE_URL" not in by_key[("ConfigMap", "newsdesk-config")]["data"]
    assert not [d for d in docs if d["kind"] == "Secret"]
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert [m["mountPath"] for m in container["volumeMounts"]] == ["/tmp"]
    assert pod["volumes"] == [{"name": "tmp", "emptyDir": {}}]


def _strings(value: object) -> list[str]:
    """Every string in a parsed YAML document (keys and values)."""
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return [value] if isinstance(value, str) else []


# postgresql://USER:PASSWORD@HOST...: a database URL carrying a password.
POSTGRES_URL_WITH_PASSWORD = re.compile(r"postgres(?:ql)?://[^\s:/@'\"]+:([^\s@'\"]+)@")


def test_no_database_url_or_password_in_the_repository() -> None:
    """No compose file, manifest or Dockerfile sets a PostgreSQL URL; where the comments
    show one, its password is the placeholder PASSWORD."""
    files = [
        REPO / "docker-compose.yml",
        *sorted((REPO / "deploy").rglob("*.y*ml")),
        *dockerfiles(),
    ]
    for path in files:
        text = path.read_text(encoding="utf-8")
        for password in POSTGRES_URL_WITH_PASSWORD.findall(text):
            assert password == "PASSWORD", f"{path}: a database password in the repository"
        if path.suffix in (".yml", ".yaml"):
            for document in yaml.safe_load_all(text):
                found = [s for s in _strings(document) if re.search(r"postgres(ql)?://", s)]
                assert not found, f"{path}: a database URL in the configuration: {found}"
    for document in _k8s_docs():
        assert not [s for s in _strings(document) if re.search(r"postgres(ql)?://", s)]
    assert POSTGRES_URL_WITH_PASSWORD.search("postgresql://newsdesk:s3cret@db:5432/newsdesk")


def test_manifests_ship_no_database() -> None:
    """The archive's database is the operator's: the manifests run no database (every
    workload runs a newsdesk image), claim no volume but the models', ship no Secret;
    compose runs no database server either (SQLite is in the archive's process)."""
    docs = _k8s_docs()
    workloads = {"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod", "ReplicaSet"}
    assert {d["kind"] for d in docs} & workloads <= {"Deployment", "Job"}
    for doc in docs:
        if doc["kind"] in workloads:
            pod = doc["spec"]["template"]["spec"]
            for container in [*pod["containers"], *pod.get("initContainers", [])]:
                assert container["image"].startswith("newsdesk/"), container["image"]
    claims = [d["metadata"]["name"] for d in docs if d["kind"] == "PersistentVolumeClaim"]
    assert claims == ["newsdesk-models"]
    assert not [d for d in docs if d["kind"] == "Secret"]
    images = [spec.get("image", "") for spec in compose()["services"].values()]
    assert not [i for i in images if re.search(r"postgres|mysql|mariadb|mongo|redis", i)]
