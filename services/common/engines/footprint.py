"""What one model batch holds in memory while it decodes, estimated from the model's shape.

Token budgets bound compute, not memory: a beam batch's working set grows with rows ×
beams × (source + generated tokens), and its decoder caches made the translator's peak
(1,036 MiB on transformer-big against 800 MiB at rest). The batcher budgets each batch
in bytes with this estimate (`MAX_BATCH_MIB`), so the peak is bounded by configuration.

Per row (one hypothesis: a job at beam 4 is 4 rows), float32 activations:
- every cached token (source tokens in the cross-attention cache, generated tokens in
  the self-attention cache) holds a key and a value per decoder layer: layers × 2 ×
  d_model × 4 bytes, plus two layers' worth more: beam search reorders the cache each
  step layer by layer, gathering a layer into a new buffer while the old one is alive,
  and the step's own temporaries (calibrated on transformer-big, see TRANSIENT_LAYERS);
- the vocabulary scores of a step: vocab × 4 bytes, three buffers (logits, log-probs,
  the top-k work area).

An estimate from the shape, not a measurement: `bench/full_speed_bench.py` checks it
against the process's peak resident size.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FLOAT = 4
# The beam reorder copies a layer's cache while the old one is alive, and the step
# keeps another layer's temporaries: measured, 393 MiB above rest for a batch estimated at
# 374 MiB (transformer-big, 8 jobs at beam 4, 64 + 112 tokens).
TRANSIENT_LAYERS = 2
# Logits, log-probs and the top-k work area.
SCORE_BUFFERS = 3
MIB = 1024 * 1024


@dataclass(frozen=True)
class Footprint:
    """Bytes of working set per cached token of one row, and per row."""

    token_row_bytes: int
    row_bytes: int

    def batch_bytes(self, rows: int, source_tokens: int, new_tokens: int) -> int:
        """The estimated working set of a batch of `rows` hypotheses whose longest
        source has `source_tokens` tokens and which may generate `new_tokens`."""
        return rows * ((source_tokens + new_tokens) * self.token_row_bytes + self.row_bytes)

    @classmethod
    def of_config(cls, config: Mapping[str, Any]) -> Footprint | None:
        """From a transformers config (Marian, BART: d_model, decoder_layers,
        vocab_size); None when the shape is not there."""
        try:
            width = int(config["d_model"])
            layers = int(config.get("decoder_layers") or config["num_hidden_layers"])
            vocab = int(config["vocab_size"])
        except (KeyError, TypeError, ValueError):
            return None
        if min(width, layers, vocab) <= 0:
            return None
        return cls(
            token_row_bytes=(layers + TRANSIENT_LAYERS) * 2 * width * FLOAT,
            row_bytes=vocab * FLOAT * SCORE_BUFFERS,
        )

    @classmethod
    def of_file(cls, path: Path) -> Footprint | None:
        """From a config.json (a snapshot's) or a conversion's newsdesk.json that
        carries its `dimensions`; None when unreadable or without the shape."""
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict):
            return None
        dims = data.get("dimensions", data)
        return cls.of_config(dims) if isinstance(dims, dict) else None


def of_conversion(path: Path, commit: str) -> Footprint | None:
    """A CTranslate2 conversion's footprint: the `dimensions` its newsdesk.json carries
    (conversions made since they were written), else the source snapshot's config.json
    beside it (`<repo>/snapshots/<commit>/config.json`); None when neither is there."""
    found = Footprint.of_file(path / "newsdesk.json")
    if found is None:
        found = Footprint.of_file(path.parent.parent / "snapshots" / commit / "config.json")
    return found
