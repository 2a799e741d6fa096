"""The language gate both model services share: which language a document is
translated from, and whether a text is English enough to summarize.

It runs the detector's logic in-process (no extra network hop). Decisions are only as
confident as the detector says: uk/ru are translated on a reliable decision only; any
other language is refused, never guessed (a Belarusian text never reaches the
Ukrainian model). Nothing here imports grpc.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from services.common.errors import FailedPrecondition, UnsupportedLanguage

ENGLISH = "en"
Detect = Callable[[str], tuple[str, float, bool]]


@dataclass(frozen=True)
class LanguageDecision:
    """The language a document is translated from, and how it was decided."""

    source: str
    detected: str = ""
    confidence: float = 0.0


class LanguageGate:
    """Decides source languages and guards English-only input."""

    def __init__(self, detect: Detect) -> None:
        self._detect = detect

    @classmethod
    def with_detector(cls, method: str = "combined") -> LanguageGate:
        """A gate over the detector `method` names (combined or langdetect)."""
        from services.common.langid.factory import build_detector

        detector = build_detector(method)

        def detect(text: str) -> tuple[str, float, bool]:
            result = detector.detect(text)
            return result.language, result.confidence, result.reliable

        return cls(detect)

    def decide(
        self,
        text: str,
        requested: str,
        field: str,
        translatable: Collection[str],
        requested_field: str = "source_language_code",
    ) -> LanguageDecision:
        """The source language: `requested`, or detected when empty. English passes.

        Raises UnsupportedLanguage for a requested code (naming requested_field) or a
        reliable detection that is neither translatable nor English, and
        FailedPrecondition (LANGUAGE_UNCERTAIN, naming `field`) when the detection is
        not reliable — undetermined text (digits, punctuation), a short text, or a
        document mixing languages — whatever its best guess.
        """
        supported = [*sorted(translatable), ENGLISH]
        code = requested.strip().lower()
        if code:
            if code not in supported:
                raise UnsupportedLanguage(code, requested_field, supported)
            return LanguageDecision(code)
        language, confidence, reliable = self._detect(text)
        if not reliable:
            raise FailedPrecondition(
                f"{field}: the language could not be detected reliably (best guess "
                f"{language!r}, confidence {confidence:.2f}); set {requested_field}",
                reason="LANGUAGE_UNCERTAIN",
                language=language,
                field=field,
            )
        if language not in supported:
            raise UnsupportedLanguage(language, field, supported)
        return LanguageDecision(language, language, confidence)

    def require_english(self, text: str) -> None:
        """Refuse (FailedPrecondition NOT_ENGLISH) a text reliably in another language."""
        language, _, reliable = self._detect(text)
        if reliable and language != ENGLISH:
            raise FailedPrecondition(
                f"text is in {language!r}, not English: translate it first "
                "(TranslationService.Translate), then summarize the English text",
                reason="NOT_ENGLISH",
                language=language,
                field="text",
            )
