"""The CTranslate2 engine: a converted seq2seq model (MarianMT, BART) at int8,
int8_float32 or float32 on CPU — the default engine of both model services.

The serving path imports neither torch nor transformers: it reads a conversion made by
`newsdesk models convert` (services/common/models/ct2_convert.py) and tokenizes with sentencepiece
(Marian's source.spm / target.spm) or tokenizers (tokenizer.json), exactly as the
transformers tokenizers of the same checkpoint do.

Threads: one `ctranslate2.Translator` per model with `inter_threads` = the batcher's
workers and `intra_threads` = its share of the CPU quota, so N workers decode N batches
at once over one copy of the weights, and workers × threads never exceeds the quota.
`replica()` therefore returns the engine itself. `generate` holds no Python lock and
CTranslate2 releases the GIL while it computes.

Shortlist (EngineSettings.shortlist, opt-in): the conversion's `vmap.txt`, written by
`newsdesk models shortlist` (services/common/models/shortlist.py), restricts each
batch's output layer to the target tokens its source pieces map to (`use_vmap`). It
changes outputs, so the model identity says so (`ctranslate2-int8+vmap-<digest>`): the
translation cache keys on it. A missing vmap.txt stops the load (ShortlistNotFound).

Cancellation: with greedy decoding a step callback ends each row at its own bound or
end token (handing it to on_done at once) and ends every row when should_stop() turns
true. CTranslate2 refuses a callback with beam_size > 1, so a beam batch runs to its
end once started: cancellation then works at batch granularity (queued jobs of gone
callers are still dropped before the batch starts).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.common.engines.base import (
    EngineSettings,
    Generated,
    GenerationSpec,
    RowDone,
    StopCheck,
    generated_text,
)
from services.common.engines.footprint import of_conversion
from services.common.logs import get_logger
from services.common.models.shortlist import require_shortlist, shortlist_command, shortlist_tag
from services.common.models.store import CONVERTED_META, ModelRef, ModelSpec, locate_converted

NAME = "ctranslate2"


def mkl_on_amd(environ: dict[str, str] | None = None, cpuinfo: str | None = None) -> bool:
    """True when CT2_USE_MKL=1 is set on an AMD CPU: int8 then ran 13-30x slower here."""
    env = os.environ if environ is None else environ
    if env.get("CT2_USE_MKL", "").strip() not in {"1", "true", "ON", "on"}:
        return False
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text(errors="replace")
        except OSError:
            return False
    return "AuthenticAMD" in cpuinfo


@dataclass(frozen=True)
class _Decoding:
    """Decoding settings of the checkpoint, read from newsdesk.json."""

    no_repeat_ngram_size: int
    length_penalty: float
    repetition_penalty: float
    prefix: list[str] | None
    suppress: list[list[str]]


class SentencePiece:
    """Marian: source pieces + </s> in, target pieces out (source.spm / target.spm).
    The shortlist builder tokenizes with it too, so its map keys are what the engine
    feeds the model."""

    def __init__(self, path: Path, eos: str) -> None:
        import sentencepiece as spm

        self._source = spm.SentencePieceProcessor(model_file=str(path / "source.spm"))
        self._target = spm.SentencePieceProcessor(model_file=str(path / "target.spm"))
        self._eos = eos

    def tokens(self, text: str) -> list[str]:
        pieces: list[str] = self._source.encode(text, out_type=str)
        return [*pieces, self._eos]

    def target_pieces(self, text: str) -> list[str]:
        """The target pieces of English `text` (no end token)."""
        return list(self._target.encode(text, out_type=str))

    def text(self, tokens: list[str], specials: set[str]) -> str:
        return str(self._target.decode_pieces([t for t in tokens if t not in specials]))


class _Tokenizers:
    """Tokenizers-backed models (BART): tokenizer.json with its post-processor."""

    def __init__(self, path: Path) -> None:
        from tokenizers import Tokenizer

        self._tok = Tokenizer.from_file(str(path / "tokenizer.json"))

    def tokens(self, text: str) -> list[str]:
        return list(self._tok.encode(text).tokens)

    def text(self, tokens: list[str], specials: set[str]) -> str:
        ids = [self._tok.token_to_id(t) for t in tokens if t not in specials]
        return str(self._tok.decode([i for i in ids if i is not None], skip_special_tokens=True))


class CTranslate2Engine:
    """A CTranslate2 conversion; see the module docstring."""

    def __init__(
        self,
        path: Path,
        model: ModelSpec,
        commit: str,
        settings: EngineSettings,
        *,
        model_dir: Path | None = None,
    ):
        import ctranslate2

        # Checked before the weights load: CTranslate2 reads vmap.txt when the
        # Translator is built, and a shortlist asked for must never silently be absent.
        tag = ""
        if settings.shortlist:
            command = shortlist_command(model, model_dir, settings.compute_type)
            tag = shortlist_tag(require_shortlist(path, command))
        self._use_vmap = settings.shortlist

        if mkl_on_amd():
            get_logger("newsdesk.engine").warning(
                "engine.mkl_on_amd",
                hint="CT2_USE_MKL=1 on an AMD CPU makes int8 13-30x slower; unset it",
            )
        meta = json.loads((path / CONVERTED_META).read_text("utf-8"))
        self._translator = ctranslate2.Translator(
            str(path),
            device="cpu",
            compute_type=settings.compute_type,
            inter_threads=max(1, settings.workers),
            intra_threads=settings.intra_threads(),
        )
        self.compute_type = str(self._translator.compute_type)
        self.model = ModelRef(model.repo_id, commit, f"{NAME}-{self.compute_type}{tag}")
        self.max_source_tokens = int(meta["max_source_tokens"])
        # What a batch holds while it decodes (the batcher's byte budget).
        self.footprint = of_conversion(path, commit)
        self._tokenizer: SentencePiece | _Tokenizers = (
            SentencePiece(path, meta["source_eos"])
            if meta["tokenizer"] == "sentencepiece"
            else _Tokenizers(path)
        )
        vocab = set(json.loads((path / "shared_vocabulary.json").read_text("utf-8")))
        gen = meta["generation"]
        prefix = gen.get("forced_bos_token")
        self._specials = {t for t in (meta.get("source_bos"), meta["source_eos"], prefix) if t}
        self._specials |= {t for t in gen.get("suppress_tokens", []) if t}
        self._decoding = _Decoding(
            no_repeat_ngram_size=int(gen.get("no_repeat_ngram_size", 0)),
            length_penalty=float(gen.get("length_penalty", 1.0)),
            repetition_penalty=float(gen.get("repetition_penalty", 1.0)),
            prefix=[prefix] if prefix else None,
            suppress=[[t] for t in gen.get("suppress_tokens", []) if t in vocab],
        )
        self.calls = 0

    @classmethod
    def load(cls, model_dir: Path, spec: ModelSpec, settings: EngineSettings) -> CTranslate2Engine:
        """The conversion for settings.compute_type (ConvertedModelNotFound names the
        `newsdesk models convert` command when it is missing; ShortlistNotFound the
        `newsdesk models shortlist` one when the shortlist is on and its map missing)."""
        local = locate_converted(model_dir, spec, settings.compute_type)
        return cls(local.path, spec, local.commit, settings, model_dir=model_dir)

    def replica(self) -> CTranslate2Engine:
        """Workers share this engine: its translator runs one batch per worker."""
        return self

    def count_tokens(self, text: str) -> int:
        """Source tokens of `text`, special tokens included."""
        return len(self._tokenizer.tokens(text))

    def generate(
        self,
        inputs: list[str],
        spec: GenerationSpec,
        should_stop: StopCheck | None = None,
        on_done: RowDone | None = None,
    ) -> list[Generated]:
        """Generate for one batch; inputs over the model window raise ValueError."""
        if not inputs:
            return []
        sources = [self._tokenizer.tokens(text) for text in inputs]
        lengths = [len(s) for s in sources]
        results = self._translate(sources, spec, should_stop, on_done)
        return [self._result(r.hypotheses[0], n) for r, n in zip(results, lengths, strict=True)]

    def translate_tokens(
        self, inputs: list[str], spec: GenerationSpec
    ) -> list[tuple[list[str], list[str]]]:
        """The source tokens and the output tokens (specials dropped) of each input:
        what the model reads and writes (the shortlist builder counts them)."""
        if not inputs:
            return []
        sources = [self._tokenizer.tokens(text) for text in inputs]
        results = self._translate(sources, spec, None, None)
        return [
            (source, [t for t in r.hypotheses[0] if t not in self._specials])
            for source, r in zip(sources, results, strict=True)
        ]

    def _translate(
        self,
        sources: list[list[str]],
        spec: GenerationSpec,
        should_stop: StopCheck | None,
        on_done: RowDone | None,
    ) -> Any:
        """One translate_batch over tokenized inputs (each within the window)."""
        lengths = [len(s) for s in sources]
        longest = max(lengths)
        if longest > self.max_source_tokens:
            raise ValueError(
                f"input of {longest} tokens exceeds the model window "
                f"{self.max_source_tokens}; the caller must split it"
            )
        offset = len(self._decoding.prefix or [])
        max_new = min(self.max_source_tokens, spec.bound(longest))
        options: dict[str, Any] = dict(
            beam_size=spec.num_beams,
            max_decoding_length=max_new + offset,
            min_decoding_length=min(spec.min_new_tokens, max_new) + offset,
            max_input_length=0,  # never truncate: the caller splits to the window
            length_penalty=self._decoding.length_penalty,
            repetition_penalty=self._decoding.repetition_penalty,
            no_repeat_ngram_size=self._decoding.no_repeat_ngram_size,
            disable_unk=True,
            suppress_sequences=self._decoding.suppress or None,
        )
        if self._use_vmap:  # only when on: the call is otherwise exactly as before
            options["use_vmap"] = True
        if self._decoding.prefix:
            options["target_prefix"] = [self._decoding.prefix] * len(sources)
        if spec.num_beams == 1:
            bounds = [min(self.max_source_tokens, spec.bound(n)) for n in lengths]
            options["callback"] = self._rows(bounds, lengths, offset, should_stop, on_done)
        results = self._translator.translate_batch(sources, **options)
        self.calls += 1
        return results

    def _result(self, tokens: list[str], source_tokens: int) -> Generated:
        return _generated(self._tokenizer, self._specials, tokens, source_tokens)

    def _rows(
        self,
        bounds: list[int],
        lengths: list[int],
        offset: int,
        should_stop: StopCheck | None,
        on_done: RowDone | None,
    ) -> Any:
        """The step callback (greedy): stop a row at its own bound, hand a finished row
        to on_done, stop every row once all callers have gone.

        It holds no reference to the engine (so none to the Translator): CTranslate2
        runs and frees the callback on its own worker threads, and a Translator whose
        last reference went there would join that very thread on destruction (the
        process aborts: "Resource deadlock avoided")."""
        generated: list[list[str]] = [list(self._decoding.prefix or []) for _ in bounds]
        done = [False] * len(bounds)
        tokenizer, specials = self._tokenizer, self._specials

        def step(result: Any) -> bool:
            row = result.batch_id
            if done[row]:
                return True
            if should_stop is not None and should_stop():
                done[row] = True
                return True
            tokens = generated[row]
            tokens.append(result.token)
            finished = bool(result.is_last) or len(tokens) - offset >= bounds[row]
            if finished:
                done[row] = True
                if on_done is not None:
                    on_done(row, _generated(tokenizer, specials, tokens, lengths[row]))
            return finished

        return step


def _generated(tokenizer: Any, specials: Any, tokens: list[str], source_tokens: int) -> Generated:
    """A finished hypothesis as Generated: its text and token counts."""
    kept = [t for t in tokens if t not in specials]
    return Generated(generated_text(tokenizer.text(tokens, specials)), source_tokens, len(kept))
