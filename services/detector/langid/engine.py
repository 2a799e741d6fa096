"""The detectors the detector service serves: its combined detector, and plain seeded
langdetect (services/detector/langid/langdetect_baseline.py) as the `langdetect` method.

The combined detector (numbers from ../shared/eval/langid/dev.tsv, see README) is the
script- and alphabet-aware fastText identifier the model services' language gate also
runs (services/common/text/lid.py), with lingua's high-accuracy models (all n-gram
orders, preloaded: ~200 MiB resident) as its second opinion on short texts (< 60
letters), where fastText takes 3% of be/bg/mk/sr/kk snippets for uk or ru with high
confidence: lingua (restricted to uk ru en be bg mk sr kk) is blended in and must agree
before a uk/ru answer is called reliable, and a uk/ru answer is decided again between
the two from fastText's and lingua's bounded log-odds, word evidence (cues.py) and a
lean towards uk (dev_tatoeba.tsv: 98.33% -> 99.27% uk+ru+en, uk 95.4% -> 98.6%).
Blending seeded langdetect in as well was measured and lowered accuracy on dev
snippets (98.7% -> 95.0% at weight 0.5, no gain at 0.2), so langdetect is served as
the `langdetect` method (the card's baseline) instead of being a silent voter.
Thread-safe after construction; never imports grpc.
"""

from __future__ import annotations

from pathlib import Path

from services.common.text.lid import (
    DetectionResult,
    LanguageIdentifier,
    LidSettings,
    lingua_opinion,
)
from services.detector.langid.langdetect_baseline import LangdetectDetector

__all__ = ["DetectionResult", "LangdetectDetector", "LanguageDetector"]


class LanguageDetector(LanguageIdentifier):
    """The combined detector: fastText lid.176 read through script and alphabet, with
    lingua's high-accuracy models on short texts. Deterministic and thread-safe."""

    model_id = "newsdesk-combined(fasttext-lid.176.ftz,lingua,alphabet)"

    def __init__(
        self, settings: LidSettings | None = None, *, fasttext_path: Path | None = None
    ) -> None:
        super().__init__(
            settings or LidSettings(),
            lingua_opinion(low_accuracy=False),
            fasttext_path=fasttext_path,
        )
