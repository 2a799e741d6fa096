"""Deployment hardening, checked statically (no cluster, no Docker engine here): pod
settings, the NetworkPolicy, the init container that waits for models, and the TLS +
token variants of compose (override file) and Kubernetes (overlay)."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
import yaml

from services.common.config import ServerConfig
from tests.deploy.manifests import REPO, kubernetes_validate, render_kustomize
from tests.deploy.test_deploy_files import (
    ARCHIVE_SECRET,
    SERVICES,
    compose_schema_check,
    container_env,
)


def base_docs() -> list[dict]:
    return render_kustomize(REPO / "deploy" / "k8s")


def deployment(docs: list[dict], name: str) -> dict:
    (found,) = [d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == name]
    return found


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_pods_are_hardened_and_drain_before_sigterm(service: str) -> None:
    """No service-account token, spread over nodes, a preStop pause so endpoints drain
    before SIGTERM, within a termination grace longer than pause + drain."""
    pod = deployment(base_docs(), service)["spec"]["template"]["spec"]
    assert pod["automountServiceAccountToken"] is False
    (spread,) = pod["topologySpreadConstraints"]
    assert spread["labelSelector"]["matchLabels"]["app.kubernetes.io/name"] == service
    (container,) = pod["containers"]
    pause = container["lifecycle"]["preStop"]["exec"]["command"]
    assert pause[0] == "sleep" and pod["terminationGracePeriodSeconds"] > int(pause[1]) + 20


@pytest.mark.parametrize("service", ["translator", "summarizer"])
def test_model_services_wait_for_models_in_init(service: str) -> None:
    """An init container runs wait_models with the service's config and the model
    volume, so a pod waits for the pull Job instead of crash-looping."""
    pod = deployment(base_docs(), service)["spec"]["template"]["spec"]
    (init,) = pod["initContainers"]
    assert init["command"] == ["python", "-m", "services.tools.wait_models", service]
    assert {"name": "models", "mountPath": "/models", "readOnly": True} in init["volumeMounts"]
    assert init["envFrom"] == pod["containers"][0]["envFrom"]


def network_policies(docs: list[dict]) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == "NetworkPolicy"}


def test_network_policy_admits_only_clients() -> None:
    """Ingress to every service only from namespaces labelled as clients (gRPC) and as
    metrics scrapers (metrics port)."""
    docs = base_docs()
    policies = network_policies(docs)
    assert set(policies) == {"newsdesk-ingress", "newsdesk-archive-egress"}
    policy = policies["newsdesk-ingress"]
    assert policy["spec"]["policyTypes"] == ["Ingress"]
    selected = policy["spec"]["podSelector"]["matchExpressions"][0]["values"]
    assert sorted(selected) == sorted(SERVICES)
    grpc_rule, metrics_rule = policy["spec"]["ingress"]
    assert {"namespaceSelector": {"matchLabels": {"newsdesk.io/client": "true"}}} in grpc_rule[
        "from"
    ]
    assert grpc_rule["ports"] == [{"port": "grpc", "protocol": "TCP"}]
    assert metrics_rule["ports"] == [{"port": "metrics", "protocol": "TCP"}]
    # The named ports the rules admit are the ones every service's container declares.
    for service in SERVICES:
        (container,) = deployment(docs, service)["spec"]["template"]["spec"]["containers"]
        assert {p["name"] for p in container["ports"]} == {"grpc", "metrics"}


def test_archive_egress_only_to_postgres_and_dns() -> None:
    """The archive's pods may open connections to PostgreSQL (TCP 5432) and DNS (53, UDP
    and TCP) only; no other service's egress is restricted (nor needs to be)."""
    docs = base_docs()
    egress = [p for p in network_policies(docs).values() if "Egress" in p["spec"]["policyTypes"]]
    (policy,) = egress
    assert policy["spec"]["policyTypes"] == ["Egress"]
    assert policy["spec"]["podSelector"] == {"matchLabels": {"app.kubernetes.io/name": "archive"}}
    allowed = {
        (p["port"], p["protocol"]) for rule in policy["spec"]["egress"] for p in rule["ports"]
    }
    assert allowed == {(5432, "TCP"), (53, "UDP"), (53, "TCP")}
    archive_labels = deployment(docs, "archive")["spec"]["template"]["metadata"]["labels"]
    assert archive_labels["app.kubernetes.io/name"] == "archive"


def merge(base: object, patch: object) -> object:
    """Strategic merge as kubectl applies it to these patches: maps merge (null
    deletes), lists of named items merge by name, other lists are appended."""
    if isinstance(base, dict) and isinstance(patch, dict):
        out = dict(base)
        for key, value in patch.items():
            if value is None:
                out.pop(key, None)
            elif key in out:
                out[key] = merge(out[key], value)
            else:
                out[key] = copy.deepcopy(value)
        return out
    if isinstance(base, list) and isinstance(patch, list):
        named = all(isinstance(i, dict) and "name" in i for i in [*base, *patch])
        if named:
            out_list = [copy.deepcopy(i) for i in base]
            for item in patch:
                match = [j for j, b in enumerate(out_list) if b["name"] == item["name"]]
                if match:
                    out_list[match[0]] = merge(out_list[match[0]], item)
                else:
                    out_list.append(copy.deepcopy(item))
            return out_list
        return [*base, *patch]
    return copy.deepcopy(patch)


def secure_docs() -> list[dict]:
    folder = REPO / "deploy" / "k8s-secure"
    kustomization = yaml.safe_load((folder / "kustomization.yaml").read_text())
    assert kustomization["resources"] == ["../k8s"]
    docs = base_docs()
    for entry in kustomization["patches"]:
        patch = yaml.safe_load((folder / entry["path"]).read_text())
        target = deployment(docs, patch["metadata"]["name"])
        docs[docs.index(target)] = merge(target, patch)  # type: ignore[assignment]
    return docs


def test_secure_overlay_validates(tmp_path: Path) -> None:
    """The TLS + token overlay, applied to the base, passes kubernetes-validate."""
    result = kubernetes_validate(secure_docs(), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_secure_overlay_mounts_secrets_and_probes_over_tls(service: str, tmp_path) -> None:
    """Each service gets its certificate, key and token file from mounted Secrets, in
    variables the service reads; every probe becomes an exec of the TLS-speaking health
    probe on the service's port (native grpc probes cannot speak TLS)."""
    _, port = SERVICES[service]
    pod = deployment(secure_docs(), service)["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    env = container_env(container)
    prefix = f"NEWSDESK_{service.upper()}_"
    mounts = {m["mountPath"] for m in container["volumeMounts"]}
    for name in ("TLS_CERT", "TLS_KEY", "TOKEN_FILE"):
        assert str(Path(env[prefix + name]).parent) in mounts
    secrets = {v["secret"]["secretName"] for v in pod["volumes"] if "secret" in v}
    assert secrets == {"newsdesk-tls", "newsdesk-tokens"}
    real = tmp_path / "f.pem"
    real.write_text("x")
    config = ServerConfig.from_env(
        {prefix + n: str(real) for n in ("TLS_CERT", "TLS_KEY", "TOKEN_FILE")},
        prefix,
        port=port,
        metrics_port=0,
    )
    assert config.tls_cert and config.tls_key and config.token_file
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert "grpc" not in container[probe]
        command = container[probe]["exec"]["command"]
        assert command == ["python", "-m", "services.tools.health_probe", f"127.0.0.1:{port}"]


def test_secure_overlay_keeps_the_archive_url_secret() -> None:
    """The overlay's archive patch adds TLS and tokens and keeps the database URL from
    the newsdesk-archive Secret (a strategic merge by variable name, not a replacement)."""
    renderings = [secure_docs()]
    if shutil.which("kubectl"):  # kustomize's own merge, where kubectl is installed
        renderings.append(render_kustomize(REPO / "deploy" / "k8s-secure"))
    for docs in renderings:
        pod = deployment(docs, "archive")["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        (url,) = [e for e in container["env"] if e["name"] == "NEWSDESK_ARCHIVE_URL"]
        assert url == {
            "name": "NEWSDESK_ARCHIVE_URL",
            "valueFrom": {"secretKeyRef": ARCHIVE_SECRET},
        }
        names = {e["name"] for e in container["env"]}
        assert {"NEWSDESK_ARCHIVE_PORT", "NEWSDESK_ARCHIVE_TLS_CERT"} <= names
        assert "grpc" not in container["readinessProbe"]


def test_compose_secure_override_is_valid_and_complete() -> None:
    """deploy/compose.secure.yml validates against the compose spec; every service gets
    certificate, key and token files as secrets, and a TLS healthcheck."""
    path = REPO / "deploy" / "compose.secure.yml"
    result = compose_schema_check(path)
    assert result.returncode == 0, result.stdout + result.stderr
    override = yaml.safe_load(path.read_text())
    for service, (_, port) in SERVICES.items():
        spec = override["services"][service]
        prefix = f"NEWSDESK_{service.upper()}_"
        secrets = {f"/run/secrets/{s}" for s in spec["secrets"]}
        for name in ("TLS_CERT", "TLS_KEY", "TOKEN_FILE"):
            assert spec["environment"][prefix + name] in secrets
        assert spec["environment"]["NEWSDESK_CA_FILE"] in secrets
        assert spec["healthcheck"]["test"][-1] == f"127.0.0.1:{port}"
        assert "services.tools.health_probe" in spec["healthcheck"]["test"]
