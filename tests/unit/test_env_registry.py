"""The registry of NEWSDESK_* variables (newsdesk_shared/env.py): the README's table
is generated from it, every name the product code mentions is in it, and every entry
is read by whom it says."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from newsdesk_shared import tracing
from newsdesk_shared.env import REGISTRY, SERVICES, prefix, read_by
from services.archive.config import ArchiveConfig
from services.common.engines.base import COMPUTE_TYPES, ENGINES
from services.common.text.glossary import DEFAULT_HOUSE_STYLE
from services.detector.config import DetectorConfig
from services.summarizer.config import SummarizerConfig
from services.translator.config import TranslatorConfig
from services.translator.terms import DEFAULT_TERMS
from tools import env_table

ROOT = Path(__file__).resolve().parents[2]
# The registry itself and the kinds of setting: where names are defined, not read.
DEFINITIONS = {
    ROOT / "clients/newsdesk_shared/env.py",
    ROOT / "clients/newsdesk_shared/settings.py",
}
NAME = re.compile(r"NEWSDESK_[A-Z0-9_]+")
# f"{PREFIX}NUM_BEAMS", f"{prefix}HOST": a suffix under a service's prefix.
PREFIXED = re.compile(r"\{(?:PREFIX|prefix)\}([A-Z0-9_]+)")
# f"NEWSDESK_{name.upper()}_PORT": the suffix under every service's prefix.
EVERY_SERVICE = re.compile(r"NEWSDESK_\{[^}]+\}_([A-Z0-9_]+)")
# Placeholders in prose ("NEWSDESK_NAME_PORT"): every service.
PLACEHOLDERS = ("NAME_", "SERVICE_")
CONFIGS = {
    "detector": DetectorConfig,
    "translator": TranslatorConfig,
    "summarizer": SummarizerConfig,
    "archive": ArchiveConfig,
}


class Recording(Mapping[str, str]):
    """An environment that records every name looked up and holds `values`."""

    def __init__(self, values: Mapping[str, str] | None = None) -> None:
        self.values = dict(values or {})
        self.seen: set[str] = set()

    def __getitem__(self, name: str) -> str:
        self.seen.add(name)
        return self.values[name]

    def get(self, name: str, default: str | None = None) -> str | None:  # type: ignore[override]
        self.seen.add(name)
        return self.values.get(name, default)

    def __contains__(self, name: object) -> bool:
        self.seen.add(str(name))
        return name in self.values

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


def product_files() -> list[Path]:
    """The product code: services/ and clients/, without the registry itself."""
    files = [*ROOT.glob("services/**/*.py"), *ROOT.glob("clients/**/*.py")]
    return sorted(f for f in files if f not in DEFINITIONS)


def mentioned(path: Path) -> set[str]:
    """The full variable names a file mentions: literals, placeholders expanded, and
    names built from a prefix (its own service's in services/<service>/, else any)."""
    text = path.read_text(encoding="utf-8")
    parts = path.relative_to(ROOT).parts
    own = parts[1] if parts[0] == "services" else ""
    names: set[str] = set()
    for name in NAME.findall(text):
        rest = name.removeprefix("NEWSDESK_")
        if rest.startswith(PLACEHOLDERS):
            suffix = rest.split("_", 1)[1]
            names |= {prefix(s) + suffix for s in SERVICES}
        elif not name.endswith("_"):
            names.add(name)
        else:
            assert any(n.startswith(name) for n in REGISTRY), f"{path}: prefix {name}"
    for suffix in EVERY_SERVICE.findall(text):
        names |= {prefix(s) + suffix for s in SERVICES}
    for suffix in PREFIXED.findall(text):
        services = [own] if own in SERVICES else list(SERVICES)
        built = {prefix(s) + suffix for s in services}
        if suffix.endswith("_"):  # f"{PREFIX}MODEL_{lang.upper()}": a prefix again
            assert any(n.startswith(tuple(built)) for n in REGISTRY), built
        elif own not in SERVICES:  # common code: read under some services' prefixes
            assert built & REGISTRY.keys(), f"{path}: {{prefix}}{suffix}"
            names |= built & REGISTRY.keys()
        else:
            names |= built
    return names


def test_readme_table_is_generated_from_the_registry(capsys: pytest.CaptureFixture[str]) -> None:
    """README.md's configuration table is what tools/env_table.py renders (CI runs
    this), and it names every variable."""
    assert env_table.main(["--check"]) == 0, capsys.readouterr().out
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index(env_table.START) : readme.index(env_table.END)]
    assert all(f"`{name}`" in table for name in REGISTRY)


def test_check_reports_a_stale_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--check exits 1 with a diff when the README's table differs from the registry."""
    stale = tmp_path / "README.md"
    stale.write_text(
        f"intro\n{env_table.START}\nold row\n{env_table.END}\nrest\n", encoding="utf-8"
    )
    monkeypatch.setattr(env_table, "README", stale)
    assert env_table.main(["--check"]) == 1
    out = capsys.readouterr().out
    assert "-old row" in out and "+| variable |" in out
    assert env_table.main(["--write"]) == 0 and env_table.main(["--check"]) == 0
    assert stale.read_text(encoding="utf-8").endswith(f"{env_table.END}\nrest\n")


def test_every_name_in_the_product_code_is_registered() -> None:
    """A NEWSDESK_* name in services/ or clients/ (literal, placeholder or prefix-built)
    is in the registry."""
    unknown = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in product_files()
        for name in mentioned(path)
        if name not in REGISTRY
    }
    assert not unknown


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_reads_exactly_its_entries(service: str) -> None:
    """A service's configuration (and the tracing switch serve_main reads) reads every
    variable the registry says the service reads, and no other."""
    environ = Recording()
    CONFIGS[service].from_env(environ)
    tracing.enabled(environ)
    assert {n for n in environ.seen if n.startswith("NEWSDESK_")} == {
        entry.name for entry in read_by(service)
    }


def test_the_client_reads_exactly_its_entries(tmp_path: Path) -> None:
    """The client library (its config and tracing switch) reads every variable the
    registry lists for it; a certificate's key is read only beside a certificate, a
    token file only without a token."""
    from newsdesk_client.config import ClientConfig

    pem = tmp_path / "x.pem"
    pem.write_text("x", encoding="utf-8")
    seen: set[str] = set()
    for values in ({}, {"NEWSDESK_CLIENT_CERT": str(pem), "NEWSDESK_CLIENT_KEY": str(pem)}):
        environ = Recording(values)
        ClientConfig.from_env(environ)
        tracing.enabled(environ)
        seen |= environ.seen
    assert seen == {entry.name for entry in read_by("client")}


def test_no_entry_is_read_by_nothing() -> None:
    """Every registry entry is read: by a service's configuration or the client (see
    above), or named in the code of the `newsdesk` commands that read it."""
    tools = {name for path in ROOT.glob("services/tools/*.py") for name in mentioned(path)}
    for entry in REGISTRY.values():
        assert entry.readers, entry.name
        if entry.readers == ("tools",):
            assert entry.name in tools, entry.name


def test_choices_are_the_codes() -> None:
    """Where the registry lists what the code accepts, the two agree: engines, compute
    types, and the shipped glossaries it names as defaults."""
    for service in ("translator", "summarizer"):
        engine = REGISTRY[prefix(service) + "ENGINE"]
        assert set(engine.choices) == set(ENGINES)  # type: ignore[attr-defined]
        compute = REGISTRY[prefix(service) + "COMPUTE_TYPE"]
        assert set(compute.choices) == {t for types in COMPUTE_TYPES.values() for t in types}  # type: ignore[attr-defined]
        shipped = REGISTRY[prefix(service) + "HOUSE_STYLE_FILE"].shown
        assert str(DEFAULT_HOUSE_STYLE.relative_to(ROOT)) in shipped
    assert str(DEFAULT_TERMS.relative_to(ROOT)) in REGISTRY["NEWSDESK_TRANSLATOR_TERMS_FILE"].shown


def test_one_meaning_per_name() -> None:
    """WORKERS means model workers wherever it is current; the detector's detection
    threads have their own name (the old one is marked as replaced)."""
    workers = [e for e in REGISTRY.values() if e.name.endswith("_WORKERS") and not e.replaced_by]
    assert {e.name for e in workers} == {
        prefix(s) + "WORKERS" for s in ("translator", "summarizer")
    }
    assert len({e.meaning for e in workers}) == 1
    old = REGISTRY["NEWSDESK_DETECTOR_WORKERS"]
    assert old.replaced_by == "NEWSDESK_DETECTOR_DETECTION_THREADS"
    assert REGISTRY[old.replaced_by].replaces == old.name  # type: ignore[attr-defined]
