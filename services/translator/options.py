"""What one translation request asks for, and what the server decides for them all.

`TranslateOptions` are one request's options, frozen, built from the proto in one place
(wire.py) and read by every stage. `TranslatorPolicy` is the server's: the plausibility
gate's mode, the translation cache, the protected-term glossary and the entity layer, given to the
DocumentTranslator once, when the service is built (app.py). Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from services.common.text.entities import NamesEntry
from services.common.text.glossary import GlossaryEntry, HouseStyle
from services.translator.cache import TranslationCache
from services.translator.names import NamesPolicy
from services.translator.terms import TermGlossary

# House style off: the output as the model wrote it.
NO_STYLE = HouseStyle(None)


class PlausibilityMode(StrEnum):
    """What the plausibility gate (plausibility.py) does with a failed piece."""

    RETRY = "retry"  # retry it once (beam search, or unmasked), then flag it if it fails
    FLAG = "flag"  # flag it only
    OFF = "off"  # check nothing (a lost protected term is still reported)

    @property
    def checks(self) -> bool:
        """True when the gate checks the output."""
        return self is not PlausibilityMode.OFF

    @property
    def retries(self) -> bool:
        """True when a failed piece is generated once more."""
        return self is PlausibilityMode.RETRY


@dataclass(frozen=True)
class TranslatorPolicy:
    """The server's policy for every request."""

    plausibility: PlausibilityMode = PlausibilityMode.RETRY
    # The cache of model generations (cache.py); None: off.
    cache: TranslationCache | None = None
    # Protected terms masked through the model (terms.py); None: off.
    terms: TermGlossary | None = None
    # The entity layer (names.py): names found, masked and reported; None: off.
    names: NamesPolicy | None = None
    # Links, mentions, hashtags, emoji and inline code masked through the model and
    # restored byte for byte (services/common/text/verbatim.py).
    verbatim: bool = True

    def terms_for(self, extra: tuple[GlossaryEntry, ...]) -> TermGlossary | None:
        """The term glossary of a request: the server's, with the request's own terms on
        top (which turn masking on even where the server's glossary is off)."""
        if not extra:
            return self.terms
        return (self.terms or TermGlossary(())).merged(extra)


@dataclass(frozen=True)
class TranslateOptions:
    """One request's options (the same for Translate and TranslateStream)."""

    # The language asked for ("" detects it per document).
    source_language: str = ""
    # The beam width of generation (None: the server's).
    num_beams: int | None = None
    # The house style of the English output, resolved against the server's glossary.
    style: HouseStyle = NO_STYLE
    # Whether the caller wants the sentence alignment back.
    alignment: bool = False
    # Protected terms of this request (validated), on top of the server's.
    extra_terms: tuple[GlossaryEntry, ...] = ()
    # A flagged sentence fails its document (or the stream) with IMPLAUSIBLE_TRANSLATION.
    reject_flagged: bool = False
    # A document that fails gets an error of its own; the others are translated.
    partial: bool = False
    # Names of this request (validated), on top of the server's names glossary.
    extra_names: tuple[NamesEntry, ...] = ()
    # The entity layer off for this request (no names found, masked or reported).
    names_off: bool = False
