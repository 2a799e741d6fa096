"""Summarization engines: the small interface the brief writer uses, and its
transformers BART implementation (AutoModelForSeq2SeqLM, fp32, CPU).

One generate() call takes a batch of inputs, so a brief's several generations
(headline, bullet rewrites) share model calls. Nothing here imports grpc.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from services.translator.engine import ModelRef


@dataclass(frozen=True)
class GenerationSpec:
    """Length bounds of one generate() call, in tokens."""

    max_new_tokens: int
    min_new_tokens: int = 1
    num_beams: int = 4


class SummarizationEngine(Protocol):
    """What the brief writer needs from a model."""

    model: ModelRef
    max_source_tokens: int

    def count_tokens(self, text: str) -> int:
        """Source tokens of `text`, special tokens included."""
        ...

    def generate(self, inputs: list[str], spec: GenerationSpec) -> list[str]:
        """One model call over a batch of inputs (each within max_source_tokens)."""
        ...


class BartEngine:
    """A BART-family summarizer loaded from a local snapshot folder; thread-safe."""

    def __init__(self, path: Path, model: ModelRef) -> None:
        import torch
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        self.model = model
        self._torch = torch
        self._tokenizer = AutoTokenizer.from_pretrained(str(path))
        self._model = AutoModelForSeq2SeqLM.from_pretrained(str(path)).eval()
        limit = int(getattr(self._model.config, "max_position_embeddings", 1024))
        self.max_source_tokens = min(limit, int(self._tokenizer.model_max_length or limit))
        self._lock = threading.Lock()
        self.calls = 0

    def count_tokens(self, text: str) -> int:
        """Source tokens of `text`, <s> and </s> included."""
        with self._lock:
            return len(self._tokenizer(text, add_special_tokens=True, verbose=False)["input_ids"])

    def generate(self, inputs: list[str], spec: GenerationSpec) -> list[str]:
        """Generate for a batch. Inputs over the window raise: the caller must chunk
        (transformers would otherwise raise IndexError on position embeddings)."""
        if not inputs:
            return []
        torch = self._torch
        with self._lock, torch.inference_mode():
            batch = self._tokenizer(inputs, return_tensors="pt", padding=True, truncation=False)
            longest = int(batch["attention_mask"].sum(dim=1).max())
            if longest > self.max_source_tokens:
                raise ValueError(
                    f"input of {longest} tokens exceeds the model window "
                    f"{self.max_source_tokens}; the caller must chunk it"
                )
            output = self._model.generate(
                **batch,
                num_beams=spec.num_beams,
                max_new_tokens=spec.max_new_tokens,
                min_new_tokens=min(spec.min_new_tokens, spec.max_new_tokens),
            )
            self.calls += 1
            return [
                t.strip() for t in self._tokenizer.batch_decode(output, skip_special_tokens=True)
            ]
