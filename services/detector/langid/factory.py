"""Builds the detector a configuration names (shared by the detector, translator and
summarizer, which reuse the detector's logic in-process)."""

from __future__ import annotations

from services.detector.langid.engine import LangdetectDetector, LanguageDetector

Detector = LanguageDetector | LangdetectDetector


def build_detector(method: str = "combined") -> Detector:
    """The combined detector, or plain seeded langdetect for method="langdetect"."""
    if method == "langdetect":
        return LangdetectDetector()
    if method == "combined":
        return LanguageDetector()
    raise ValueError(f"unknown detector method {method!r}")
