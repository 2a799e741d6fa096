"""The kinds of setting the registry (env.py) lists: text, integer, number, flag and
choice. Each reads its variable from an environment mapping and turns a value it
cannot use into a ConfigError that names the variable and the value. Imports nothing
of the services or the client.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from newsdesk_shared.limits import Range

T = TypeVar("T")


class ConfigError(ValueError):
    """A configuration variable has a value the service cannot use."""


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One variable. `read` gives its value, or the default when it is unset or empty;
    a value it cannot use raises ConfigError naming the variable and the value."""

    name: str
    default: T
    meaning: str
    readers: tuple[str, ...]
    #: The default as the table shows it, when the value alone would not say it.
    shown: str = ""
    #: An older name still read, with a warning, when this one is unset.
    replaces: str = ""
    #: For an older name: the variable that replaces it.
    replaced_by: str = ""

    def raw(self, environ: Mapping[str, str]) -> str:
        """The value as set, stripped ("" when unset)."""
        return environ.get(self.name, "").strip()

    def read(self, environ: Mapping[str, str], default: T | None = None) -> T:
        """The value; `default` (a caller's own, e.g. a test's) stands in for the
        registry's when given. The older name is read when this one is unset."""
        name, raw = self.name, self.raw(environ)
        if not raw and self.replaces:
            name, raw = self.replaces, environ.get(self.replaces, "").strip()
        if not raw:
            return self.default if default is None else default
        return self.parse(name, raw)

    def parse(self, name: str, raw: str) -> T:
        """The value of a non-empty setting (`name` is the variable it came from)."""
        raise NotImplementedError

    def accepted(self) -> str:
        """The values it accepts, for the table."""
        raise NotImplementedError

    def shown_default(self) -> str:
        """The default, for the table."""
        return self.shown or str(self.default)


@dataclass(frozen=True)
class Text(Setting[str]):
    """Free text: a host, a path, a model spec. `form` says which, for the table."""

    form: str = "text"

    def parse(self, name: str, raw: str) -> str:
        return raw

    def accepted(self) -> str:
        return self.form


N = TypeVar("N", int, float)


def _bounded(
    name: str, raw: str, convert: Callable[[str], N], what: str, low: N, high: N | None
) -> N:
    """`raw` converted and within [low, high]; else ConfigError naming the variable."""
    try:
        value = convert(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not {what}") from None
    if value < low:
        raise ConfigError(f"{name}={raw!r} is below the minimum {low}")
    if high is not None and value > high:
        raise ConfigError(f"{name}={raw!r} is above the maximum {high}")
    return value


@dataclass(frozen=True)
class Integer(Setting[int]):
    """An integer within [low, high] (no upper bound when high is None)."""

    low: int = 0
    high: int | None = None

    @classmethod
    def of(cls, name: str, limit: Range, meaning: str, readers: tuple[str, ...]) -> Integer:
        """The setting of a limit of limits.py: its default and its range."""
        return cls(name, limit.default, meaning, readers, low=limit.low, high=limit.high)

    def parse(self, name: str, raw: str) -> int:
        return _bounded(name, raw, int, "an integer", self.low, self.high)

    def accepted(self) -> str:
        return f"{self.low}..{self.high}" if self.high is not None else f"≥ {self.low}"


@dataclass(frozen=True)
class Number(Setting[float]):
    """A number ≥ minimum."""

    minimum: float = 0.0

    def parse(self, name: str, raw: str) -> float:
        return _bounded(name, raw, float, "a number", self.minimum, None)

    def accepted(self) -> str:
        return f"number ≥ {self.minimum:g}"

    def shown_default(self) -> str:
        return self.shown or f"{self.default:g}"


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Flag(Setting[bool]):
    """A boolean: 1/0, true/false, yes/no, on/off."""

    def parse(self, name: str, raw: str) -> bool:
        value = raw.lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ConfigError(f"{name}={value!r} is not a boolean (use true or false)")

    def accepted(self) -> str:
        return "true, false"

    def shown_default(self) -> str:
        return self.shown or str(self.default).lower()


@dataclass(frozen=True)
class Choice(Setting[str]):
    """One of a fixed set of words."""

    choices: tuple[str, ...] = ()

    def parse(self, name: str, raw: str) -> str:
        if raw not in self.choices:
            raise ConfigError(f"{name}={raw!r} is not one of {sorted(self.choices)}")
        return raw

    def accepted(self) -> str:
        return ", ".join(f"`{c}`" for c in self.choices)
