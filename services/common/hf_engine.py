"""The transformers engine: any AutoModelForSeq2SeqLM (MarianMT, BART) in fp32 on CPU,
loaded from a local snapshot folder.

Counting tokens uses its own tokenizer instance and lock, so request preparation never
waits for a running generation (and a fast tokenizer is never used from two threads at
once). A running generation checks `should_stop` at every decoding step through a
transformers StoppingCriteria, so a batch whose callers have all gone ends early.
"""

from __future__ import annotations

import threading
from typing import Any

from services.common.engine import Generated, GenerationSpec, StopCheck
from services.common.models import LocalModel, ModelRef

ENGINE_NAME = "transformers-fp32"


class TransformersEngine:
    """A seq2seq model through transformers; see the module docstring."""

    def __init__(self, local: LocalModel, *, threads: int = 0) -> None:
        import torch
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        if threads:
            torch.set_num_threads(threads)
        self.model = ModelRef(local.spec.repo_id, local.commit, ENGINE_NAME)
        self._torch = torch
        self._tokenizer = AutoTokenizer.from_pretrained(str(local.path))
        self._counter = AutoTokenizer.from_pretrained(str(local.path))
        self._model = AutoModelForSeq2SeqLM.from_pretrained(str(local.path)).eval()
        config = self._model.config
        limit = int(getattr(config, "max_position_embeddings", 512))
        self.max_source_tokens = min(limit, int(self._tokenizer.model_max_length or limit))
        self._lock = threading.Lock()
        self._count_lock = threading.Lock()
        specials = {self._tokenizer.pad_token_id, self._tokenizer.unk_token_id}
        self._suppress = [[t] for t in specials if t is not None]
        self.calls = 0

    def count_tokens(self, text: str) -> int:
        """Source tokens of `text`, special tokens included."""
        with self._count_lock:
            return len(self._counter(text, add_special_tokens=True, verbose=False)["input_ids"])

    def generate(
        self, inputs: list[str], spec: GenerationSpec, should_stop: StopCheck | None = None
    ) -> list[Generated]:
        """Generate for one batch; inputs over the model window raise ValueError (the
        caller must split them: transformers would fail on position embeddings)."""
        if not inputs:
            return []
        torch = self._torch
        with self._lock, torch.inference_mode():
            batch = self._tokenizer(inputs, return_tensors="pt", padding=True, truncation=False)
            lengths = batch["attention_mask"].sum(dim=1).tolist()
            longest = int(max(lengths))
            if longest > self.max_source_tokens:
                raise ValueError(
                    f"input of {longest} tokens exceeds the model window "
                    f"{self.max_source_tokens}; the caller must split it"
                )
            max_new = min(self.max_source_tokens, spec.bound(longest))
            extra: dict[str, Any] = {}
            if should_stop is not None:
                extra["stopping_criteria"] = self._stopping(should_stop)
            output = self._model.generate(
                **batch,
                num_beams=spec.num_beams,
                max_new_tokens=max_new,
                min_new_tokens=min(spec.min_new_tokens, max_new),
                bad_words_ids=self._suppress,
                **extra,
            )
            self.calls += 1
            texts = self._tokenizer.batch_decode(output, skip_special_tokens=True)
            special = {self._tokenizer.pad_token_id, self._tokenizer.bos_token_id}
            out_lengths = [sum(1 for t in row.tolist() if t not in special) for row in output]
        return [
            Generated(text.strip(), int(n_in), int(n_out))
            for text, n_in, n_out in zip(texts, lengths, out_lengths, strict=True)
        ]

    def _stopping(self, should_stop: StopCheck) -> Any:
        from transformers import StoppingCriteria, StoppingCriteriaList

        torch = self._torch

        class _Gone(StoppingCriteria):
            """Ends the whole batch once every caller of it has gone."""

            def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
                return torch.full(
                    (input_ids.shape[0],), should_stop(), dtype=torch.bool, device=input_ids.device
                )

        return StoppingCriteriaList([_Gone()])
