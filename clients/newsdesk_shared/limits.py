"""The one table of limits per service: what a request may ask for, and the bounds of
the settings that set its defaults.

Read by the services' configuration (the `NEWSDESK_*` variable of a limit takes its
default and accepted range from here, through the registry in env.py), their request
validation and `Info` RPC, and by the client's checks and the CLI's `--help`, without
a server. This module imports nothing of the services or the client, so both sides
(and the client-only install) can read it.

Two kinds of entries: a request option (num_beams, bullet_count, …) is checked against
its range on every request, and its default is the server's when the request leaves
it unset; a cap (max_chars, max_batch) is a configured value, within its range, that
requests must stay under (`Info` reports the configured one).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Range:
    """An inclusive integer range of a request field, option or cap, with its default.

    `optional`: a request may leave the field unset, which the service reads as 0
    ("none"), outside the range; the default is then 0.
    """

    name: str
    low: int
    high: int
    default: int
    meaning: str
    optional: bool = False

    def __post_init__(self) -> None:
        fits = self.default == 0 if self.optional else self.low <= self.default <= self.high
        if not fits:
            raise ValueError(f"{self.name}: default {self.default} outside {self}")

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and self.low <= value <= self.high

    def __str__(self) -> str:
        return f"{self.low}..{self.high}"


@dataclass(frozen=True)
class DetectorLimits:
    """The detector's request limits (DetectLanguageRequest)."""

    max_chars: Range = Range("max_chars", 1, 10_000_000, 100_000, "characters of one text")
    max_batch: Range = Range("max_batch", 1, 10_000, 1024, "texts in one DetectLanguage call")
    top_k: Range = Range("top_k", 0, 20, 3, "candidate languages per text (0: the default)")


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
        "source_sentences",
        1,
        100_000,
        0,
        "sentences of the article the text translates (unset: the text is the article)",
        optional=True,
    )
    max_chars: Range = Range("max_chars", 1, 10_000_000, 200_000, "characters of one text")
    # Summarize takes one text: the cap is fixed, not configured.
    max_batch: Range = Range("max_batch", 1, 1, 1, "texts in one Summarize call")

    def options(self) -> tuple[Range, ...]:
        """The SummarizeOptions fields, in proto order."""
        return (
            self.summary_max_words,
            self.headline_max_words,
            self.bullet_count,
            self.num_beams,
            self.bullet_max_words,
        )


DETECTOR = DetectorLimits()
TRANSLATOR = TranslatorLimits()
SUMMARIZER = SummarizerLimits()


@dataclass(frozen=True)
class ArchiveLimits:
    """The archive's request limits (AddItems, FindRelated, Background, Search, List)."""

    max_chars: Range = Range(
        "max_chars", 1, 10_000_000, 200_000, "characters of one item's text or original"
    )
    max_batch: Range = Range("max_batch", 1, 10_000, 100, "items in one AddItems call")
    related_limit: Range = Range("limit", 1, 20, 3, "related items FindRelated returns")
    bullet_count: Range = Range("bullet_count", 1, 5, 4, "background bullets asked for")
    search_limit: Range = Range("limit", 1, 100, 10, "items Search returns")
    page_size: Range = Range("page_size", 1, 500, 50, "items in one ListItems page")


ARCHIVE = ArchiveLimits()
