"""Builds BART models locally: random weights, a byte-level BPE tokenizer trained in
seconds on text the project owns (services/common/models/corpus.py), written in the Hugging
Face cache layout of the local model directory.

Sizes: tiny (d_model 32, 1+1 layers) for tests; full = distilbart-cnn-12-6's
architecture (d_model 1024, 12 encoder + 6 decoder layers, 16 heads, FFN 4096,
vocabulary padded to 50,264) for benchmarks. Random weights: the output is noise.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import Any

from services.common.models.corpus import sentences
from services.common.models.store import LocalModel, ModelSpec, write_snapshot_ref

SIZES: dict[str, dict[str, int]] = {
    "tiny": dict(d_model=32, enc=1, dec=1, heads=2, ffn=64, bpe_vocab=800, vocab_size=0),
    "full": dict(
        d_model=1024, enc=12, dec=6, heads=16, ffn=4096, bpe_vocab=2000, vocab_size=50_264
    ),
}
TINY_SPEC = ModelSpec("newsdesk-local/bart-tiny-cnn", "main")
FULL_SPEC = ModelSpec("newsdesk-local/distilbart-cnn-12-6-random", "main")
_SPECIALS = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
# Fields of sshleifer/distilbart-cnn-12-6's config.json that transformers 5 no longer
# writes by default. Real checkpoints carry them, and converters read them: CTranslate2's
# BART converter fails without normalize_before ("'BartConfig' object has no attribute
# 'normalize_before'"). Written at every size, so tests convert what users convert.
CHECKPOINT_FIELDS: dict[str, Any] = dict(
    activation_function="gelu",
    add_bias_logits=False,
    add_final_layer_norm=False,
    normalize_before=False,
    normalize_embedding=True,
    static_position_embeddings=False,
    scale_embedding=False,
    extra_pos_embeddings=2,
    force_bos_token_to_be_generated=True,
    architectures=["BartForConditionalGeneration"],
)


def _tokenizer(dims: dict[str, int], snapshot: Path) -> tuple[Any, dict[str, int]]:
    """A byte-level BPE tokenizer trained on the owned English corpus, its vocabulary
    padded to the real model's size, saved into the snapshot; and that vocabulary."""
    from tokenizers import ByteLevelBPETokenizer
    from transformers import BartTokenizer

    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(
        sentences("en") * 3,
        vocab_size=dims["bpe_vocab"],
        min_frequency=1,
        special_tokens=_SPECIALS,
    )
    vocab = bpe.get_vocab()
    # Pad to the real model's vocabulary size so the output layer costs what it costs.
    for i in range(len(vocab), dims["vocab_size"]):
        vocab[f"<extra_{i}>"] = i
    with tempfile.TemporaryDirectory() as tmp:
        bpe.save_model(tmp)
        merges = [
            tuple(line.split(" ", 1))
            for line in (Path(tmp) / "merges.txt").read_text("utf-8").splitlines()
            if line and not line.startswith("#version")
        ]
    # The type hint says list[str]; the tokenizers backend takes (left, right) pairs.
    tokenizer = BartTokenizer(vocab=vocab, merges=merges, model_max_length=1024)  # type: ignore[arg-type]
    tokenizer.save_pretrained(str(snapshot))
    return tokenizer, vocab


def build_bart(
    model_dir: Path, size: str = "tiny", spec: ModelSpec | None = None, seed: int = 0
) -> LocalModel:
    """Write a random-weight BART summarizer into model_dir; return it."""
    import torch
    from transformers import BartConfig, BartForConditionalGeneration, GenerationConfig
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    dims = SIZES[size]
    spec = spec or (TINY_SPEC if size == "tiny" else FULL_SPEC)
    commit = hashlib.sha1(f"bart/{size}/{seed}/{spec.repo_id}/v3".encode()).hexdigest()
    snapshot = write_snapshot_ref(model_dir, spec, commit)
    if (snapshot / "config.json").is_file():
        return LocalModel(spec, snapshot, commit)

    tokenizer, vocab = _tokenizer(dims, snapshot)

    config = BartConfig(
        vocab_size=max(len(vocab), len(tokenizer)),
        d_model=dims["d_model"],
        encoder_layers=dims["enc"],
        decoder_layers=dims["dec"],
        encoder_attention_heads=dims["heads"],
        decoder_attention_heads=dims["heads"],
        encoder_ffn_dim=dims["ffn"],
        decoder_ffn_dim=dims["ffn"],
        max_position_embeddings=1024,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.eos_token_id,
        forced_eos_token_id=tokenizer.eos_token_id,
        **CHECKPOINT_FIELDS,
    )
    torch.manual_seed(seed)
    model = BartForConditionalGeneration(config).eval()
    # The padding entries of the vocabulary ("<extra_N>") exist so the output layer
    # costs what the real one costs; a trained model never writes them. Keep the random
    # one from writing them too, or its noise re-tokenizes ~10x longer than it was
    # generated (which the summarizer's reduce step would then have to absorb).
    extra = [i for piece, i in vocab.items() if piece.startswith("<extra_")]
    if extra:
        with torch.no_grad():
            model.final_logits_bias[0, extra] = -1e4
    model.generation_config = GenerationConfig(
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        decoder_start_token_id=tokenizer.eos_token_id,
        forced_bos_token_id=tokenizer.bos_token_id,
        forced_eos_token_id=tokenizer.eos_token_id,
        num_beams=4,
        no_repeat_ngram_size=3,
        length_penalty=2.0,
    )
    model.save_pretrained(str(snapshot))
    return LocalModel(spec, snapshot, commit)
