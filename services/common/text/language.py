"""The language gate both model services share: which language a document is
translated from, and whether a text is English enough to summarize.

It runs a light language check in-process (no network hop, ~30 MiB instead of the
detector service's ~250 MiB): the detector's own script- and alphabet-aware fastText
identifier (lid.py), with lingua's small low-accuracy models as the second opinion on
short texts instead of its high-accuracy ones. Texts of 60 letters or more get the
detector service's decision exactly; on shorter ones a uk/ru answer needs lingua to
give uk and ru together at least 0.99 (or strong word evidence), so the gate refuses
more snippets as too short than the detector does, and lets no more other-language
ones through (README, "The language gate"). Decisions are only as confident as the
check says: uk/ru are translated on a reliable decision only; any other language is
refused, never guessed (a Belarusian text never reaches the Ukrainian model). A
caller that knows the language (the brief's chain, from the detector service) names
it, and nothing is detected. Nothing here imports grpc or a service.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Protocol

from services.common.errors import FailedPrecondition, UnsupportedLanguage
from services.common.text.cleaning import language_text
from services.common.text.lid import (
    UNDETERMINED,
    DetectionResult,
    LanguageIdentifier,
    LidSettings,
    lingua_opinion,
)
from services.common.text.scripts import profile

ENGLISH = "en"
Detect = Callable[[str], tuple[str, float, bool]]
# The light check's thresholds: the detector's, except that lingua's low-accuracy
# (trigram) models split uk from ru badly, so they get no say in that split and only
# have to give uk and ru together at least 0.99 before a short uk/ru answer is
# reliable (tuned on ../shared/eval/langid/dev_tatoeba.tsv and dev.tsv cut to 3–6
# words; the figures are in the README).
LIGHT = LidSettings(lingua_pair_weight=0.0, lingua_agree_min=0.0, lingua_pair_agree_min=0.99)
_TRANSLATE_FIRST = (
    "translate it first (TranslationService.Translate), then summarize the English text"
)
# Best guesses for which a short text's doubt is Ukrainian or Russian.
_UK_RU = frozenset({"uk", "ru", UNDETERMINED})


class _Detector(Protocol):
    def detect(self, text: str, top_k: int = 3) -> DetectionResult: ...


# Languages a document may mix by paragraph (each paragraph translated from its own).
MIXABLE = ("uk", "ru", "en")
# Letters a paragraph needs before its detection can stand for it in a mixed document.
MIXED_MIN_LETTERS = 40


@dataclass(frozen=True)
class LanguageDecision:
    """The language a document is translated from, and how it was decided."""

    source: str
    detected: str = ""
    confidence: float = 0.0
    # Per non-empty paragraph (split_with_breaks), its language when the document mixes
    # Ukrainian, Russian and English by paragraph; empty when every paragraph is
    # `source`'s.
    paragraphs: tuple[str, ...] = ()

    def paragraph(self, index: int) -> str:
        """The language paragraph `index` is translated from."""
        return self.paragraphs[index] if self.paragraphs else self.source


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
    if prof.letters < LIGHT.short_letters:
        what = "Ukrainian from Russian" if language in _UK_RU else "its language"
        return "too_short", (
            f"the text is too short ({prof.letters} letters) to tell {what} reliably "
            f"(best guess {language!r}); set {requested_field} to its language, "
            "e.g. 'uk' or 'ru'"
        )
    if confidence < LIGHT.reliable_min:
        return "low_confidence", (
            f"no language stands out in the text (best guess {language!r} at "
            f"confidence {confidence:.2f}, below {LIGHT.reliable_min:.2f}); set "
            f"{requested_field} to its language"
        )
    return "mixed", (
        f"the text mixes languages (mostly {language!r}, with paragraphs or letters of "
        f"another, not all of them clear enough to tell); translate each part on its own, "
        f"or set {requested_field} to its main language (paragraphs clearly in another of "
        "uk, ru and en still keep theirs)"
    )


class LanguageGate:
    """Decides source languages and guards English-only input."""

    def __init__(self, detect: Detect) -> None:
        self._detect = detect

    @classmethod
    def over(cls, detector: _Detector) -> LanguageGate:
        """A gate over any detector (what the detector service serves included)."""

        def detect(text: str) -> tuple[str, float, bool]:
            result = detector.detect(text)
            return result.language, result.confidence, result.reliable

        return cls(detect)

    @classmethod
    def light(cls) -> LanguageGate:
        """The light in-process check the translator and the summarizer always use (see
        the module docstring): the detector's logic with lingua's small models; the
        detector service keeps the full ensemble."""
        return cls.over(LanguageIdentifier(LIGHT, lingua_opinion(low_accuracy=True)))

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
            return self._by_paragraph(text, LanguageDecision(code), supported)
        language, confidence, reliable = self._detect(text)
        if not reliable:
            mixed = self._mixed(text, supported)
            if mixed is not None:
                return mixed
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
        return self._by_paragraph(text, LanguageDecision(language, language, confidence), supported)

    def _paragraph_languages(self, text: str, supported: Collection[str]) -> list[str]:
        """Each non-empty paragraph's reliable detection among the mixable languages
        (uk, ru, en) that are `supported`, or "" where it is not one."""
        from services.common.text.segment import split_with_breaks

        out = []
        for paragraph in split_with_breaks(text)[0]:
            language, _confidence, reliable = self._detect(paragraph)
            out.append(
                language if reliable and language in MIXABLE and language in supported else ""
            )
        return out

    def _by_paragraph(
        self, text: str, decision: LanguageDecision, supported: Collection[str]
    ) -> LanguageDecision:
        """A uk or ru document with paragraphs reliably in another of uk, ru and en
        (a channel post quoting the other language): those paragraphs get their own
        language; the rest, and every paragraph too short or unsure to tell, the
        document's. Other languages (Belarusian, which detectors read as uk or ru) and
        one-paragraph texts are left whole."""
        if decision.source not in MIXABLE or decision.source == ENGLISH or "\n" not in text.strip():
            return decision
        found = [lang or decision.source for lang in self._paragraph_languages(text, supported)]
        if len(set(found)) < 2:
            return decision
        return LanguageDecision(
            decision.source, decision.detected, decision.confidence, tuple(found)
        )

    def _mixed(self, text: str, supported: Collection[str]) -> LanguageDecision | None:
        """A document the detector cannot call because it mixes languages by paragraph:
        when every paragraph long enough to tell is reliably uk, ru or en, and at least
        two are uk or ru, the document is the language of most of its letters, each
        paragraph its own (unsure ones the document's). None otherwise."""
        if "\n" not in text.strip():
            return None
        from services.common.text.segment import split_with_breaks

        paragraphs = split_with_breaks(text)[0]
        found = self._paragraph_languages(text, supported)
        letters: dict[str, int] = {}
        for paragraph, language in zip(paragraphs, found, strict=True):
            size = sum(ch.isalpha() for ch in paragraph)
            if not language:
                if size >= MIXED_MIN_LETTERS:
                    return None  # a paragraph that cannot be told: the document is uncertain
                continue
            letters[language] = letters.get(language, 0) + size
        translated = {lang for lang in letters if lang != ENGLISH}
        if len(letters) < 2 or not translated:
            return None
        source = max(translated, key=lambda lang: letters[lang])
        return LanguageDecision(source, source, 0.0, tuple(lang or source for lang in found))

    def require_english(self, text: str, *, translated: bool = False) -> None:
        """Refuse (FailedPrecondition NOT_ENGLISH) a text reliably in another language.

        translated: the text is the translator's English output (a brief's chain says
        so by setting SummarizeRequest.source_sentences): the language was decided
        before, so nothing is detected again and only its letters are checked — a text
        mostly in a script other than Latin is refused."""
        if translated:
            prof = profile(language_text(text))
            if prof.letters and prof.script != "Latn":
                raise FailedPrecondition(
                    f"text is mostly in letters of a script other than Latin "
                    f"({prof.script}), not English: {_TRANSLATE_FIRST}",
                    reason="NOT_ENGLISH",
                    language=UNDETERMINED,
                    field="text",
                )
            return
        language, _, reliable = self._detect(text)
        if reliable and language != ENGLISH:
            raise FailedPrecondition(
                f"text is in {language!r}, not English: {_TRANSLATE_FIRST}",
                reason="NOT_ENGLISH",
                language=language,
                field="text",
            )
