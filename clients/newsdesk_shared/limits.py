"""The one table of limits per service: what a request may ask for, and the bounds of
the settings that set its defaults.

Read by the services' configuration (a `NEWSDESK_*` default must lie in its range),
their request validation and `Info` RPC, and by the client's checks and the CLI's
`--help`, without a server. This module imports nothing of the services or the
client, so both sides (and the client-only install) can read it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Range:
    """An inclusive integer range of a request field or option, with its default."""

    name: str
    low: int
    high: int
    default: int
    meaning: str

    def __post_init__(self) -> None:
        if not self.low <= self.default <= self.high:
            raise ValueError(f"{self.name}: default {self.default} outside {self}")

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and self.low <= value <= self.high

    def __str__(self) -> str:
        return f"{self.low}..{self.high}"


@dataclass(frozen=True)
class TranslatorLimits:
    """The translator's request limits."""

    num_beams: Range = Range("num_beams", 1, 8, 4, "beam width of generation")
    extra_terms: Range = Range(
        "extra_terms", 0, 200, 0, "per-request protected terms on top of the glossary"
    )
    max_chars: Range = Range(
        "max_chars", 1, 10_000_000, 100_000, "characters of one document (code points)"
    )
    max_batch: Range = Range("max_batch", 1, 10_000, 32, "documents in one Translate call")


@dataclass(frozen=True)
class SummarizerLimits:
    """The summarizer's request limits (SummarizeOptions and SummarizeRequest)."""

    summary_max_words: Range = Range("summary_max_words", 10, 400, 60, "words of the summary")
    headline_max_words: Range = Range("headline_max_words", 3, 30, 15, "words of the headline")
    bullet_count: Range = Range("bullet_count", 3, 5, 4, "background bullets asked for")
    num_beams: Range = Range("num_beams", 1, 8, 4, "beam width of generation")
    bullet_max_words: Range = Range("bullet_max_words", 10, 100, 64, "words of one bullet")
    source_sentences: Range = Range(
        "source_sentences", 1, 100_000, 1, "sentences of the article the text translates"
    )
    max_chars: Range = Range("max_chars", 1, 10_000_000, 200_000, "characters of one text")
    max_batch: Range = Range("max_batch", 1, 10_000, 16, "texts in one Summarize call")

    def options(self) -> tuple[Range, ...]:
        """The SummarizeOptions fields, in proto order."""
        return (
            self.summary_max_words,
            self.headline_max_words,
            self.bullet_count,
            self.num_beams,
            self.bullet_max_words,
        )


TRANSLATOR = TranslatorLimits()
SUMMARIZER = SummarizerLimits()
