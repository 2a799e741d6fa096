"""The one engine interface both model services use, and the engine registry.

An engine turns a batch of source texts into generated texts under a GenerationSpec.
The batcher (batcher.py) is its only caller in a running service; tests and benchmarks
may call it directly. `NEWSDESK_TRANSLATOR_ENGINE` / `NEWSDESK_SUMMARIZER_ENGINE` name
an entry of ENGINES; the implementation module is imported only when chosen, so a
service never pays for an engine it does not serve (the ctranslate2 engine's serving
path never imports torch or transformers). Nothing here imports grpc.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from newsdesk_shared.env import REGISTRY
from services.common.config import ConfigError, env_bool, env_choice, env_int
from services.common.engines.cpus import split_threads
from services.common.engines.footprint import Footprint
from services.common.models.store import ModelRef, ModelSpec

# Name → "module:class"; the class's load(model_dir, spec, settings) builds it.
ENGINES: dict[str, str] = {
    "ctranslate2": "services.common.engines.ct2:CTranslate2Engine",
    "transformers": "services.common.engines.hf:TransformersEngine",
}
DEFAULT_ENGINE = "ctranslate2"
# The compute types each engine serves; the first is its default.
COMPUTE_TYPES: dict[str, tuple[str, ...]] = {
    "ctranslate2": ("int8", "int8_float32", "float32"),
    "transformers": ("float32",),
}


@dataclass(frozen=True)
class EngineSettings:
    """Which engine, at which compute type, with how many threads.

    threads = 0 shares the process's CPU quota (cgroup cpu.max, then affinity) among
    the batcher's `workers`, so workers × threads never exceeds it. shortlist decodes
    over the conversion's target-vocabulary shortlist (ctranslate2 only; the
    transformers engine refuses it at load).
    """

    name: str = DEFAULT_ENGINE
    compute_type: str = ""
    threads: int = 0
    workers: int = 1
    shortlist: bool = False

    def __post_init__(self) -> None:
        if self.name not in ENGINES:
            raise UnknownEngine(f"unknown engine {self.name!r}; choose one of {sorted(ENGINES)}")
        allowed = COMPUTE_TYPES[self.name]
        if not self.compute_type:
            object.__setattr__(self, "compute_type", allowed[0])
        elif self.compute_type not in allowed:
            raise ValueError(
                f"engine {self.name} serves compute types {list(allowed)}, "
                f"not {self.compute_type!r}"
            )

    def intra_threads(self) -> int:
        """Threads one worker's batch may use."""
        return split_threads(self.threads, self.workers)


def engine_settings_from_env(
    environ: Mapping[str, str], prefix: str, workers: int
) -> EngineSettings:
    """PREFIX_ENGINE (ctranslate2 | transformers), PREFIX_COMPUTE_TYPE (int8,
    int8_float32 or float32 for ctranslate2; float32 for transformers; default: the
    engine's first), PREFIX_THREADS (per worker; 0 = the CPU quota shared out) and,
    where the registry has one (the translator's), PREFIX_SHORTLIST (ctranslate2 only)."""
    name = env_choice(environ, f"{prefix}ENGINE")
    allowed = COMPUTE_TYPES[name]
    variable = f"{prefix}COMPUTE_TYPE"
    compute_type = env_choice(environ, variable) or allowed[0]
    if compute_type not in allowed:
        raise ConfigError(f"{variable}={compute_type!r} is not one of {sorted(allowed)}")
    threads = env_int(environ, f"{prefix}THREADS")
    # Only the translator has a shortlist: the registry refuses other prefixes' names.
    shortlist_variable = f"{prefix}SHORTLIST"
    shortlist = shortlist_variable in REGISTRY and env_bool(environ, shortlist_variable)
    if shortlist and name != "ctranslate2":
        raise ConfigError(
            f"{shortlist_variable}=true needs {prefix}ENGINE=ctranslate2: the {name} "
            "engine cannot decode over a target-vocabulary shortlist"
        )
    return EngineSettings(name, compute_type, threads, workers, shortlist)


@dataclass(frozen=True)
class GenerationSpec:
    """How to generate for one batch. Items share a batch only when their specs are
    equal. With length_ratio > 0 the new-token bound is also relative to the longest
    input: min(max_new_tokens, longest × length_ratio + length_extra)."""

    max_new_tokens: int
    min_new_tokens: int = 1
    num_beams: int = 1
    length_ratio: float = 0.0
    length_extra: int = 0

    def bound(self, longest_input: int) -> int:
        """The new-token bound for a batch whose longest input has that many tokens."""
        if self.length_ratio > 0:
            relative = int(longest_input * self.length_ratio) + self.length_extra
            return max(1, min(self.max_new_tokens, relative))
        return self.max_new_tokens


@dataclass(frozen=True)
class Generated:
    """One generated text and its token counts (see `generated_text`)."""

    text: str
    source_tokens: int
    target_tokens: int


StopCheck = Callable[[], bool]
# Called with (input index, result) as soon as one input's generation is final.
RowDone = Callable[[int, "Generated"], None]


class Engine(Protocol):
    """What the services need from a model."""

    model: ModelRef
    max_source_tokens: int
    # The working-set estimate of a batch (engines/footprint.py); None: unknown shape,
    # budgeted by tokens and rows only.
    footprint: Footprint | None

    def replica(self) -> Engine:
        """An engine another batcher worker can run concurrently with this one: the same
        object where the engine runs parallel batches itself (ctranslate2), a second
        copy of the model otherwise (transformers)."""
        ...

    def count_tokens(self, text: str) -> int:
        """Source tokens of `text`, special tokens included. Thread-safe, and never
        waits for a running generation."""
        ...

    def generate(
        self,
        inputs: list[str],
        spec: GenerationSpec,
        should_stop: StopCheck | None = None,
        on_done: RowDone | None = None,
    ) -> list[Generated]:
        """One model call over a batch (each input within max_source_tokens); results
        in input order. When should_stop() turns true the call may end early; its
        results are then meaningless and the caller discards them. An engine may call
        on_done(i, result) as soon as input i is final (greedy decoding), before the
        rest of the batch finishes; the returned list still holds every result."""
        ...


class UnknownEngine(ValueError):
    """The configured engine name is not in ENGINES."""


def load_engine(settings: EngineSettings, model_dir: Path, spec: ModelSpec) -> Engine:
    """Build the configured engine over a model found in model_dir (never downloads or
    converts; ModelNotFound names the command that makes what is missing)."""
    module_name, _, attr = ENGINES[settings.name].partition(":")
    cls = getattr(importlib.import_module(module_name), attr)
    engine: Engine = cls.load(model_dir, spec, settings)
    return engine


def worker_engines(engine: Engine, workers: int) -> list[Engine]:
    """One engine per batcher worker, the first being `engine`."""
    return [engine] + [engine.replica() for _ in range(max(1, workers) - 1)]


# C0 control characters (but tab and line ends) and DEL: a byte-level vocabulary (BART's)
# has a token for each, and a model may write one; no text of a brief may carry them
# (PostgreSQL cannot store NUL, terminals act on escapes).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def generated_text(text: str) -> str:
    """A model's decoded output as the services hand it on: control characters dropped,
    outer whitespace stripped."""
    return _CONTROL.sub("", text).strip()
