"""`newsdesk models convert`: a Hugging Face snapshot → a CTranslate2 model, written
beside the snapshot (models.converted_dir), keyed by commit and quantization.

Uses CTranslate2's own Transformers converter. Besides the converted weights it writes
what serving needs so that the serving path never imports torch or transformers: the
tokenizer files (sentencepiece models for Marian; a `tokenizer.json` for tokenizers-
backed models such as BART) and newsdesk.json — the source, the model window, and the
generation settings of the checkpoint (no-repeat n-grams, length penalty, a forced
first token). Idempotent: an existing conversion is kept. A conversion is written to a
temporary folder and renamed into place, so a crash never leaves half a model that
serving would take for a whole one. Needs the services extra (torch, transformers).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.common.models.store import (
    CONVERTED_META,
    QUANTIZATIONS,
    LocalModel,
    ModelSpec,
    converted_dir,
    locate,
)

FORMAT = 1
_SPM_FILES = ("source.spm", "target.spm")


@dataclass(frozen=True)
class Converted:
    """A conversion on disk, and whether this call made it."""

    path: Path
    created: bool


def _generation_settings(path: Path, config: Any, tokenizer: Any) -> dict[str, Any]:
    """The checkpoint's decoding settings the engines apply (generation_config.json
    first, config.json as the fallback, as transformers does)."""
    raw: dict[str, Any] = {}
    gen_file = path / "generation_config.json"
    if gen_file.is_file():
        raw = json.loads(gen_file.read_text("utf-8"))

    def pick(name: str, default: Any) -> Any:
        value = raw.get(name, getattr(config, name, None))
        return default if value is None else value

    forced_bos = pick("forced_bos_token_id", None)
    return {
        "no_repeat_ngram_size": int(pick("no_repeat_ngram_size", 0)),
        "length_penalty": float(pick("length_penalty", 1.0)),
        "repetition_penalty": float(pick("repetition_penalty", 1.0)),
        "forced_bos_token": (
            tokenizer.convert_ids_to_tokens(int(forced_bos)) if forced_bos is not None else None
        ),
        # The transformers engine never writes these; neither does this one.
        "suppress_tokens": [
            t for t in {tokenizer.pad_token, tokenizer.unk_token} if isinstance(t, str) and t
        ],
    }


def convert(
    spec: ModelSpec, model_dir: Path, *, quantization: str = "int8", force: bool = False
) -> Converted:
    """Convert the snapshot of `spec` found in model_dir (ModelNotFound if absent)."""
    if quantization not in QUANTIZATIONS:
        raise ValueError(f"quantization {quantization!r}: choose one of {list(QUANTIZATIONS)}")
    local = locate(model_dir, spec)
    target = converted_dir(model_dir, spec, local.commit, quantization)
    if (target / CONVERTED_META).is_file() and not force:
        return Converted(target, False)
    return Converted(_convert(local, target, quantization), True)


def _convert(local: LocalModel, target: Path, quantization: str) -> Path:
    import ctranslate2
    from ctranslate2.converters import TransformersConverter
    from transformers import AutoConfig, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    config = AutoConfig.from_pretrained(str(local.path))
    tokenizer = AutoTokenizer.from_pretrained(str(local.path))
    spm = [name for name in _SPM_FILES if (local.path / name).is_file()]
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        out = work / "model"
        TransformersConverter(str(local.path), copy_files=spm or None).convert(
            str(out), quantization=quantization, force=True
        )
        if spm:
            kind = "sentencepiece"
        elif getattr(tokenizer, "backend_tokenizer", None) is not None:
            tokenizer.backend_tokenizer.save(str(out / "tokenizer.json"))
            kind = "tokenizers"
        else:
            raise ValueError(
                f"{local.spec}: no sentencepiece files and no fast tokenizer to serve it with"
            )
        limit = int(getattr(config, "max_position_embeddings", 512) or 512)
        window = min(limit, int(tokenizer.model_max_length or limit))
        meta = {
            "format": FORMAT,
            "repo_id": local.spec.repo_id,
            "revision": local.spec.revision,
            "commit": local.commit,
            "quantization": quantization,
            "ctranslate2": ctranslate2.__version__,
            "architecture": type(config).__name__,
            "tokenizer": kind,
            "source_eos": tokenizer.eos_token,
            "source_bos": tokenizer.bos_token if kind == "tokenizers" else None,
            "max_source_tokens": window,
            "generation": _generation_settings(local.path, config, tokenizer),
            # The shape the batcher's byte budget reads (engines/footprint.py).
            "dimensions": {
                key: getattr(config, key, None)
                for key in ("d_model", "encoder_layers", "decoder_layers", "vocab_size")
            },
        }
        (out / CONVERTED_META).write_text(json.dumps(meta, indent=2), "utf-8")
        if target.exists():
            shutil.rmtree(target)
        os.replace(out, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target
