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
from services.common.text.cleaning import language_text
from services.common.text.scripts import profile
from services.detector.langid.engine import UNDETERMINED, DetectorSettings

ENGLISH = "en"
Detect = Callable[[str], tuple[str, float, bool]]


@dataclass(frozen=True)
class LanguageDecision:
    """The language a document is translated from, and how it was decided."""

    source: str
    detected: str = ""
    confidence: float = 0.0


# Detections are judged with the detector's own thresholds (reliable_min, short_letters).
_SETTINGS = DetectorSettings()
# Best guesses for which a short text's doubt is Ukrainian or Russian.
_UK_RU = frozenset({"uk", "ru", UNDETERMINED})


def uncertainty(
    text: str, language: str, confidence: float, requested_field: str = "source_language_code"
) -> tuple[str, str]:
    """Why a detection of `text` is not reliable and what to do: a code ("no_letters",
    "too_short", "low_confidence", "mixed") and a message. A short text is never
    described by its confidence — "Київ" is 100% Ukrainian to the model and still
    too short to tell from Russian."""
    prof = profile(language_text(text))
    if not prof.letters:
        return "no_letters", (
            f"the text has no letters to tell its language from; set {requested_field} "
            "to translate it anyway"
        )
    if prof.letters < _SETTINGS.short_letters:
        what = "Ukrainian from Russian" if language in _UK_RU else "its language"
        return "too_short", (
            f"the text is too short ({prof.letters} letters) to tell {what} reliably "
            f"(best guess {language!r}); set {requested_field} to its language, "
            "e.g. 'uk' or 'ru'"
        )
    if confidence < _SETTINGS.reliable_min:
        return "low_confidence", (
            f"no language stands out in the text (best guess {language!r} at "
            f"confidence {confidence:.2f}, below {_SETTINGS.reliable_min:.2f}); set "
            f"{requested_field} to its language"
        )
    return "mixed", (
        f"the text mixes languages (mostly {language!r}, with paragraphs or letters of "
        f"another); translate each part on its own, or set {requested_field} to "
        "translate all of it as one language"
    )


class LanguageGate:
    """Decides source languages and guards English-only input."""

    def __init__(self, detect: Detect) -> None:
        self._detect = detect

    @classmethod
    def with_detector(cls, method: str = "combined") -> LanguageGate:
        """A gate over the detector `method` names (combined or langdetect)."""
        from services.detector.langid.factory import build_detector

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
        FailedPrecondition (LANGUAGE_UNCERTAIN, naming `field`, with metadata `doubt`
        from uncertainty()) when the detection is not reliable — undetermined text
        (digits, punctuation), a short text, or a document mixing languages — whatever
        its best guess; the message says which, and to set requested_field.
        """
        supported = [*sorted(translatable), ENGLISH]
        code = requested.strip().lower()
        if code:
            if code not in supported:
                raise UnsupportedLanguage(code, requested_field, supported)
            return LanguageDecision(code)
        language, confidence, reliable = self._detect(text)
        if not reliable:
            doubt, why = uncertainty(text, language, confidence, requested_field)
            raise FailedPrecondition(
                f"{field}: {why}",
                reason="LANGUAGE_UNCERTAIN",
                language=language,
                field=field,
                doubt=doubt,
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
