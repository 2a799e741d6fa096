"""Builds the detector the detector service's configuration names."""

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
