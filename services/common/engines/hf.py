"""The transformers engine: any AutoModelForSeq2SeqLM (MarianMT, BART) in float32 on CPU,
loaded from a local snapshot folder.

Counting tokens uses its own tokenizer instance and lock, so request preparation never
waits for a running generation (and a fast tokenizer is never used from two threads at
once). A running generation checks `should_stop` at every decoding step through a
transformers StoppingCriteria, so a batch whose callers have all gone ends early. With
greedy decoding the same criteria bound each row by its own length (not the batch's
longest) and hand a finished row to `on_done` at once, so a short sentence batched
with long ones is answered when it is done, not when the batch is.

It has no target-vocabulary shortlist (CTranslate2's `use_vmap`): settings asking for
one are refused before anything loads.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from services.common.config import ConfigError
from services.common.engines.base import (
    EngineSettings,
    Generated,
    GenerationSpec,
    RowDone,
    StopCheck,
    generated_text,
)
from services.common.engines.footprint import Footprint
from services.common.models.store import LocalModel, ModelRef, ModelSpec, locate

ENGINE_NAME = "transformers-float32"


def _refuse_shortlist(settings: EngineSettings | None) -> None:
    """ConfigError when the settings ask for a shortlist this engine cannot honour."""
    if settings is not None and settings.shortlist:
        raise ConfigError(
            "the transformers engine cannot decode over a target-vocabulary shortlist "
            "(NEWSDESK_TRANSLATOR_SHORTLIST): serve with the ctranslate2 engine, or turn "
            "the shortlist off"
        )


class TransformersEngine:
    """A seq2seq model through transformers; see the module docstring."""

    def __init__(self, local: LocalModel, settings: EngineSettings | None = None) -> None:
        _refuse_shortlist(settings)
        import torch
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        self._local = local
        self._settings = settings or EngineSettings("transformers")
        # torch's pool is process-wide: the quota shared among the workers.
        torch.set_num_threads(self._settings.intra_threads())
        self.model = ModelRef(local.spec.repo_id, local.commit, ENGINE_NAME)
        self._torch = torch
        self._tokenizer = AutoTokenizer.from_pretrained(str(local.path))
        self._counter = AutoTokenizer.from_pretrained(str(local.path))
        self._model = AutoModelForSeq2SeqLM.from_pretrained(str(local.path)).eval()
        config = self._model.config
        limit = int(getattr(config, "max_position_embeddings", 512))
        self.max_source_tokens = min(limit, int(self._tokenizer.model_max_length or limit))
        # What a batch holds while it decodes (the batcher's byte budget).
        self.footprint = Footprint.of_config(config.to_dict())
        self._lock = threading.Lock()
        self._count_lock = threading.Lock()
        specials = {self._tokenizer.pad_token_id, self._tokenizer.unk_token_id}
        self._suppress = [[t] for t in specials if t is not None]
        self.calls = 0

    @classmethod
    def load(cls, model_dir: Path, spec: ModelSpec, settings: EngineSettings) -> TransformersEngine:
        """The snapshot of `spec` in model_dir (settings asking for a shortlist are
        refused first: ConfigError)."""
        _refuse_shortlist(settings)
        return cls(locate(model_dir, spec), settings)

    def replica(self) -> TransformersEngine:
        """A second copy of the model (one generate runs at a time per copy)."""
        return TransformersEngine(self._local, self._settings)

    def count_tokens(self, text: str) -> int:
        """Source tokens of `text`, special tokens included."""
        with self._count_lock:
            return len(self._counter(text, add_special_tokens=True, verbose=False)["input_ids"])

    def generate(
        self,
        inputs: list[str],
        spec: GenerationSpec,
        should_stop: StopCheck | None = None,
        on_done: RowDone | None = None,
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
            if spec.num_beams == 1:
                bounds = [min(self.max_source_tokens, spec.bound(int(n))) for n in lengths]
                extra["stopping_criteria"] = self._rows(bounds, lengths, should_stop, on_done)
                # Rows end at their own bounds: a forced end token at the batch's last
                # step would cut the longest row one token short of the others.
                extra["forced_eos_token_id"] = None
            elif should_stop is not None:
                extra["stopping_criteria"] = self._rows(None, lengths, should_stop, None)
            output = self._model.generate(
                **batch,
                num_beams=spec.num_beams,
                max_new_tokens=max_new,
                min_new_tokens=min(spec.min_new_tokens, max_new),
                bad_words_ids=self._suppress,
                **extra,
            )
            self.calls += 1
            return [self._result(row, int(n)) for row, n in zip(output, lengths, strict=True)]

    def _result(self, row: Any, source_tokens: int) -> Generated:
        """Decode one output row (decoder start, padding and specials dropped)."""
        tok = self._tokenizer
        special = {tok.pad_token_id, tok.bos_token_id, tok.eos_token_id}
        ids = row.tolist()
        text = str(self._tokenizer.decode(ids, skip_special_tokens=True))
        return Generated(
            generated_text(text), source_tokens, sum(1 for t in ids if t not in special)
        )

    def _rows(
        self,
        bounds: list[int] | None,
        lengths: list[int],
        should_stop: StopCheck | None,
        on_done: RowDone | None,
    ) -> Any:
        """A StoppingCriteria: every row stops when all callers have gone; with `bounds`
        (greedy: one row per input) a row also stops at its own bound or end token, and
        is handed to on_done then."""
        from transformers import StoppingCriteria, StoppingCriteriaList

        torch = self._torch
        eos = self._model.generation_config.eos_token_id
        eos_ids = set(eos if isinstance(eos, list) else [eos]) - {None}
        engine = self

        class _Rows(StoppingCriteria):
            def __init__(self) -> None:
                self.done = [False] * len(lengths)
                self.start: int | None = None

            def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
                if self.start is None:
                    self.start = input_ids.shape[1] - 1
                gone = should_stop() if should_stop is not None else False
                flags = [gone] * input_ids.shape[0]
                if bounds is not None:
                    steps = input_ids.shape[1] - self.start
                    last = input_ids[:, -1].tolist()
                    for i, bound in enumerate(bounds):
                        if not self.done[i] and (steps >= bound or last[i] in eos_ids):
                            self.done[i] = True
                            if on_done is not None and not gone:
                                on_done(i, engine._result(input_ids[i], lengths[i]))
                        flags[i] = flags[i] or self.done[i]
                return torch.tensor(flags, dtype=torch.bool, device=input_ids.device)

        return StoppingCriteriaList([_Rows()])
