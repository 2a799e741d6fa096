"""The one engine interface both model services use, and the engine registry.

An engine turns a batch of source texts into generated texts under a GenerationSpec.
The batcher (batcher.py) is its only caller in a running service; tests and benchmarks
may call it directly. `NEWSDESK_TRANSLATOR_ENGINE` / `NEWSDESK_SUMMARIZER_ENGINE` name
an entry of ENGINES; the implementation module is imported only when chosen, so a
service never pays for an engine it does not serve. Nothing here imports grpc.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from services.common.models import LocalModel, ModelRef

# Name → "module:factory". The factory is called as factory(local_model, threads=N).
ENGINES: dict[str, str] = {
    "transformers": "services.common.hf_engine:TransformersEngine",
}
DEFAULT_ENGINE = "transformers"


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
    """One generated text and its token counts."""

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


def load_engine(name: str, local: LocalModel, *, threads: int = 0) -> Engine:
    """Build the engine `name` over a model found on disk."""
    if name not in ENGINES:
        raise UnknownEngine(f"unknown engine {name!r}; choose one of {sorted(ENGINES)}")
    module_name, _, attr = ENGINES[name].partition(":")
    factory = getattr(importlib.import_module(module_name), attr)
    engine: Engine = factory(local, threads=threads)
    return engine
