"""Every client name the README shows can be imported from `newsdesk_client`: the names
in its Python examples and in code spans of "The Python client" (`Brief`,
`BulletProvenance.original`, `Brief.to_dict()`…), each attribute one the class has."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

import newsdesk_client

README = Path(__file__).resolve().parents[2] / "README.md"
# A class name, maybe with one attribute or method: `Brief`, `Brief.to_dict()`.
_NAME = re.compile(r"([A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*)(?:\.([a-z_]\w*)(?:\(\))?)?")
_IMPORT = re.compile(r"from newsdesk_client import (?:\(([^)]*)\)|([^\n]+))")


def client_section(text: str) -> str:
    """The README's "The Python client" section."""
    start = text.index("## The Python client")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def readme_names(text: str) -> set[tuple[str, str]]:
    """(name, attribute or "") for each client name the README shows: imports in its
    Python blocks, and code spans in the client section."""
    names: set[tuple[str, str]] = set()
    for block in re.findall(r"```python\n(.*?)```", text, re.S):
        for parenthesized, line in _IMPORT.findall(block):
            imported = (parenthesized or line).split("#")[0].split(",")
            names |= {(n.strip(), "") for n in imported if n.strip()}
    for span in re.findall(r"`([^`\n]+)`", client_section(text)):
        match = _NAME.fullmatch(span.strip())
        if match:
            names.add((match.group(1), match.group(2) or ""))
    return names


def has(cls: type, attribute: str) -> bool:
    """True when `cls` has `attribute`: a dataclass field, a property or a method."""
    fields = {f.name for f in dataclasses.fields(cls)} if dataclasses.is_dataclass(cls) else set()
    return attribute in fields or hasattr(cls, attribute)


def test_every_readme_name_is_importable() -> None:
    """Every README client name is in __all__, and every Class.attribute exists."""
    names = readme_names(README.read_text(encoding="utf-8"))
    assert len({n for n, _ in names}) >= 8, names  # the parse still finds the names
    missing = sorted(n for n, _ in names if n not in newsdesk_client.__all__)
    assert not missing, f"named in README.md, not importable from newsdesk_client: {missing}"
    wrong = sorted(f"{n}.{a}" for n, a in names if a and not has(getattr(newsdesk_client, n), a))
    assert not wrong, f"README.md names attributes the classes do not have: {wrong}"


def test_all_is_importable() -> None:
    """Every name in __all__ is there (`from newsdesk_client import *` works)."""
    namespace: dict[str, object] = {}
    exec("from newsdesk_client import *", namespace)
    assert set(newsdesk_client.__all__) <= set(namespace)


@pytest.mark.parametrize(
    "name",
    [
        "ServiceInfo",
        "LanguagePair",
        "TranslatedParagraph",
        "BulletProvenance",
        "TranslationOutcome",
        "SummaryOutcome",
        "BriefOutcome",
        "SourceSentence",
    ],
)
def test_result_types_are_exported(name: str) -> None:
    """The types the client's calls return are importable from the package."""
    assert name in newsdesk_client.__all__ and hasattr(newsdesk_client, name)


def test_one_name_for_the_shortfall() -> None:
    """bullet_shortfall is the name everywhere; shortfall stays readable for old callers."""
    brief = newsdesk_client.Brief(
        "en",
        1.0,
        "",
        "h",
        "s",
        (),
        {},
        {},
        "rid",
        shortfall="SHORT_ARTICLE",
        shortfall_detail="the article has 2 sentences",
    )
    assert brief.bullet_shortfall == brief.shortfall == "SHORT_ARTICLE"
    assert brief.to_dict()["bullet_shortfall"] == "SHORT_ARTICLE"
    assert "shortfall" not in brief.to_dict()
    assert brief.bullet_shortfall_detail == "the article has 2 sentences"


@pytest.mark.parametrize("name", ["Brief", "BriefOutcome", "BulletProvenance", "SourceSentence"])
def test_chain_types_still_import_from_their_old_module(name: str) -> None:
    """The chain's result types moved to newsdesk_client.chain; code that imported them
    from newsdesk_client.types gets the same classes."""
    import newsdesk_client
    import newsdesk_client.types as types

    assert getattr(types, name) is getattr(newsdesk_client, name)
    with pytest.raises(AttributeError):
        types.NoSuchName  # noqa: B018
