"""Builds MarianMT models locally: random weights, sentencepiece vocabularies trained in
seconds on text the project owns (services/common/models/corpus.py).

The models are written in the Hugging Face cache layout of the local model directory,
so tests and benchmarks load them through exactly the code users run. Sizes:
- tiny: d_model 32, 1+1 layers — for tests (seconds);
- full: opus-mt size — d_model 512, 6+6 layers, 8 heads, FFN 2048, vocabulary padded
  to ~61k entries — for benchmarks of the base models (opus-mt-uk-en, opus-mt-ru-en);
- big: transformer-big, the shape of the default opus-mt-tc-big-zle-en — d_model 1024,
  6+6 layers, 16 heads, FFN 4096, the same vocabulary — for benchmarks of its cost.
Random weights: the output is noise. Each declares the languages it stands in for
(uk, ru, be: the East Slavic languages of the zle models) beside its snapshot.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
from pathlib import Path
from typing import Any

from services.common.models.corpus import sentences
from services.common.models.store import LocalModel, ModelSpec, write_languages, write_snapshot_ref

SIZES: dict[str, dict[str, int]] = {
    "tiny": dict(d_model=32, layers=1, heads=2, ffn=64, spm_vocab=400, vocab_size=0),
    "full": dict(d_model=512, layers=6, heads=8, ffn=2048, spm_vocab=2000, vocab_size=61_000),
    "big": dict(d_model=1024, layers=6, heads=16, ffn=4096, spm_vocab=2000, vocab_size=61_000),
}
TINY_SPEC = ModelSpec("newsdesk-local/opus-mt-tiny-zle-en", "main")
FULL_SPEC = ModelSpec("newsdesk-local/opus-mt-full-zle-en", "main")
BIG_SPEC = ModelSpec("newsdesk-local/opus-mt-big-zle-en", "main")
SPECS = {"tiny": TINY_SPEC, "full": FULL_SPEC, "big": BIG_SPEC}
# The languages the locally built models stand in for (a zle model reads all three).
LOCAL_LANGUAGES = ("be", "ru", "uk")


def _train_spm(lines: list[str], vocab_size: int) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        byte_fallback=True,
        hard_vocab_limit=False,
        unk_id=0,
        bos_id=-1,
        eos_id=1,
        pad_id=-1,
        minloglevel=2,
    )
    return model.getvalue()


def _vocabulary(source_spm: bytes, target_spm: bytes, size: int) -> dict[str, int]:
    """The shared vocabulary of both sentencepiece models, padded to `size` entries (the
    real model's, so the output layer costs what it costs), <pad> last."""
    import sentencepiece as spm

    pieces: list[str] = []
    for blob in (source_spm, target_spm):
        proc = spm.SentencePieceProcessor(model_proto=blob)
        pieces += [proc.id_to_piece(i) for i in range(proc.get_piece_size())]
    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
    for piece in pieces:
        vocab.setdefault(piece, len(vocab))
    while len(vocab) < size - 1:
        vocab[f"<extra_{len(vocab)}>"] = len(vocab)
    vocab["<pad>"] = len(vocab)
    return vocab


def _english_scores(target_spm: bytes) -> dict[str, float]:
    """The English unigram log-probability of each target piece."""
    import sentencepiece as spm

    proc = spm.SentencePieceProcessor(model_proto=target_spm)
    return {
        proc.id_to_piece(i): proc.get_score(i)
        for i in range(proc.get_piece_size())
        if proc.is_unused(i) is False and not proc.is_byte(i)
    }


def _save_tokenizer(
    snapshot: Path, source_spm: bytes, target_spm: bytes, vocab: dict[str, int]
) -> None:
    from transformers import MarianTokenizer

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "source.spm").write_bytes(source_spm)
        (Path(tmp) / "target.spm").write_bytes(target_spm)
        (Path(tmp) / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), "utf-8")
        tokenizer = MarianTokenizer(
            source_spm=str(Path(tmp) / "source.spm"),
            target_spm=str(Path(tmp) / "target.spm"),
            vocab=str(Path(tmp) / "vocab.json"),
            source_lang="zle",
            target_lang="en",
        )
        tokenizer.save_pretrained(str(snapshot))


def _marian_config(dims: dict[str, int], vocab_size: int, pad_id: int) -> Any:
    from transformers import MarianConfig

    return MarianConfig(
        vocab_size=vocab_size,
        d_model=dims["d_model"],
        encoder_layers=dims["layers"],
        decoder_layers=dims["layers"],
        encoder_attention_heads=dims["heads"],
        decoder_attention_heads=dims["heads"],
        encoder_ffn_dim=dims["ffn"],
        decoder_ffn_dim=dims["ffn"],
        max_position_embeddings=512,
        pad_token_id=pad_id,
        eos_token_id=0,
        decoder_start_token_id=pad_id,
        forced_eos_token_id=0,
        activation_function="swish",
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
    )


def _prefer_english(model: Any, vocab: dict[str, int], scores: dict[str, float]) -> None:
    """A trained opus-mt model writes only target-side (English) pieces of its shared
    vocabulary. Make the random one do the same, preferring pieces by their English
    unigram log-probability, so its noise reads as English noise (which is what the
    rest of the chain, e.g. the summarizer's language check, will see in production)."""
    import torch

    with torch.no_grad():
        bias = torch.full_like(model.final_logits_bias, -1e4)
        for piece, index in vocab.items():
            if piece in scores:
                # Whole words first: a bare "▁", a punctuation run or a word fragment
                # would make the noise unreadable even as noise.
                word = piece.startswith("▁") and sum(ch.isalpha() for ch in piece) >= 2
                bias[0, index] = scores[piece] - (0.0 if word else 6.0)
        bias[0, 0] = max(scores.values(), default=0.0) - 4.0  # </s> stays reachable
        model.final_logits_bias.copy_(bias)


def build_marian(
    model_dir: Path, size: str = "tiny", spec: ModelSpec | None = None, seed: int = 0
) -> LocalModel:
    """Write a random-weight MarianMT model (uk+ru → en) into model_dir; return it."""
    import torch
    from transformers import GenerationConfig, MarianMTModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    dims = SIZES[size]
    spec = spec or SPECS[size]
    commit = hashlib.sha1(f"marian/{size}/{seed}/{spec.repo_id}/v1".encode()).hexdigest()
    snapshot = write_snapshot_ref(model_dir, spec, commit)
    write_languages(model_dir, spec, LOCAL_LANGUAGES)
    if (snapshot / "config.json").is_file():
        return LocalModel(spec, snapshot, commit)

    source_spm = _train_spm(sentences("uk") + sentences("ru"), dims["spm_vocab"])
    target_spm = _train_spm(sentences("en"), dims["spm_vocab"])
    vocab = _vocabulary(source_spm, target_spm, dims["vocab_size"])
    pad_id = vocab["<pad>"]
    _save_tokenizer(snapshot, source_spm, target_spm, vocab)
    torch.manual_seed(seed)
    model = MarianMTModel(_marian_config(dims, len(vocab), pad_id)).eval()
    _prefer_english(model, vocab, _english_scores(target_spm))
    model.generation_config = GenerationConfig(
        bad_words_ids=[[pad_id]],
        decoder_start_token_id=pad_id,
        eos_token_id=0,
        forced_eos_token_id=0,
        pad_token_id=pad_id,
        num_beams=4,
    )
    model.save_pretrained(str(snapshot))
    return LocalModel(spec, snapshot, commit)
