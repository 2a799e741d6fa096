"""Translation engines: the one small interface the pipeline (and a future batcher or a
CTranslate2 int8 engine) talks to, and its transformers MarianMT implementation.

The pipeline only needs: count tokens, the model's source-token limit, and translate a
list of sentences. Nothing here imports grpc.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class ModelRef:
    """Which weights answered: id, revision (commit) and engine name."""

    id: str
    revision: str
    engine: str


@dataclass(frozen=True)
class Generated:
    """One translated segment and its token counts."""

    text: str
    source_tokens: int
    target_tokens: int


class TranslationEngine(Protocol):
    """What the document pipeline needs from a model."""

    model: ModelRef
    max_source_tokens: int

    def count_tokens(self, text: str) -> int:
        """Source tokens of `text`, special tokens included."""
        ...

    def translate(self, segments: list[str]) -> list[Generated]:
        """Translate segments (each within max_source_tokens); results in input order."""
        ...


class MarianEngine:
    """MarianMT through transformers (fp32, CPU), loaded from a local snapshot folder.

    Thread-safe: tokenizer and model use is serialised by a lock, so the servicer may
    call from any worker thread; parallelism comes from torch's intra-op threads.
    """

    def __init__(
        self,
        path: Path,
        model: ModelRef,
        *,
        num_beams: int = 4,
        max_length_ratio: float = 1.6,
        max_length_extra: int = 10,
    ) -> None:
        import torch
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        self.model = model
        self._torch = torch
        self._tokenizer = AutoTokenizer.from_pretrained(str(path))
        self._model = AutoModelForSeq2SeqLM.from_pretrained(str(path)).eval()
        limit = int(getattr(self._model.config, "max_position_embeddings", 512))
        self.max_source_tokens = min(limit, int(self._tokenizer.model_max_length or limit))
        self.num_beams = num_beams
        self.max_length_ratio = max_length_ratio
        self.max_length_extra = max_length_extra
        self._lock = threading.Lock()
        specials = {self._tokenizer.pad_token_id, self._tokenizer.unk_token_id}
        self._suppress = [[t] for t in specials if t is not None]

    def count_tokens(self, text: str) -> int:
        """Source tokens of `text`, the end-of-sentence token included."""
        with self._lock:
            return len(self._tokenizer(text, add_special_tokens=True, verbose=False)["input_ids"])

    def translate(self, segments: list[str]) -> list[Generated]:
        """Translate one model batch. Output length is bounded relative to the input so
        a runaway repetition cannot eat the server."""
        if not segments:
            return []
        torch = self._torch
        with self._lock, torch.inference_mode():
            batch = self._tokenizer(segments, return_tensors="pt", padding=True, truncation=False)
            lengths = batch["attention_mask"].sum(dim=1).tolist()
            longest = max(lengths)
            if longest > self.max_source_tokens:
                raise ValueError(
                    f"segment of {longest} tokens exceeds the model limit "
                    f"{self.max_source_tokens}; the pipeline must split it first"
                )
            max_new = min(
                self.max_source_tokens,
                int(longest * self.max_length_ratio) + self.max_length_extra,
            )
            output = self._model.generate(
                **batch,
                num_beams=self.num_beams,
                max_new_tokens=max_new,
                min_new_tokens=1,
                bad_words_ids=self._suppress,
            )
            texts = self._tokenizer.batch_decode(output, skip_special_tokens=True)
            pad = self._tokenizer.pad_token_id
            out_lengths = [int((row != pad).sum()) for row in output]
        return [
            Generated(text.strip(), int(n_in), int(n_out))
            for text, n_in, n_out in zip(texts, lengths, out_lengths, strict=True)
        ]
