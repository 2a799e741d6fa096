"""The brief chain (chain.py) on its own, over a recording stand-in for the transport
(no sockets, no models: the chain only orders the calls and puts their answers
together; the end-to-end tests run it against real services): which calls a brief
makes with which options, and how it assembles the Brief and its provenance."""

from __future__ import annotations

from typing import Any

import pytest

from newsdesk_client import ArchiveItem, ClientConfig, NewsdeskError
from newsdesk_client.archive import Background, BackgroundBullet
from newsdesk_client.chain import BriefChain, Filing, provenance
from newsdesk_client.types import (
    AlignedSentence,
    BulletSource,
    Chunking,
    Detection,
    LanguagePair,
    ModelInfo,
    SegmentCounts,
    Summary,
    Translation,
    TranslationOutcome,
)

ARTICLE = "Перше речення. Друге речення."
ENGLISH = "First sentence. Second sentence."
MODEL = ModelInfo("m", "r")
# Each source sentence and its translation, as spans of ARTICLE and of ENGLISH.
ALIGNMENT = (AlignedSentence(0, (0, 14), (0, 15)), AlignedSentence(0, (15, 29), (16, 32)))
EARLIER = BackgroundBullet(
    "On March 30, 2021, Khomchak spoke.", 7, "Ukrinform", "2021-03-30", "https://e.org/7", (0, 20)
)


class Archive:
    """A stand-in archive: background answers, or an error; records what is stored."""

    def __init__(self, found: Background | NewsdeskError, refuse_add: bool = False) -> None:
        self.found = found
        self.refuse_add = refuse_add
        self.stored: list[ArchiveItem] = []

    async def background(self, english: str, **kw: Any) -> Background:
        if isinstance(self.found, NewsdeskError):
            raise self.found
        return self.found

    async def add(self, items: list[ArchiveItem], **kw: Any) -> list[ArchiveItem]:
        if self.refuse_add:
            raise NewsdeskError("archive", "INVALID_ARGUMENT", "items[0].url: bad")
        self.stored += items
        return [
            ArchiveItem(i.english_text, "2021-04-10", id=42, date_origin="given") for i in items
        ]


class Hops:
    """Answers detect / translate / summarize / language_pairs and records each call;
    with `archive`, also the archive's background and add."""

    def __init__(
        self, language: str = "uk", reliable: bool = True, archive: Archive | None = None
    ) -> None:
        self.detection = Detection(language, 0.9, reliable, (), "ok", "Cyrl")
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.config = ClientConfig()
        self.archive = archive
        self.has_archive = archive is not None

    async def detect(self, text: str, **kw: Any) -> Detection:
        self.calls.append(("detect", kw))
        return self.detection

    def _translation(self, source: str) -> Translation:
        passthrough = source == "en"
        return Translation(
            ARTICLE if passthrough else ENGLISH,
            "en" if passthrough else (source or self.detection.language),
            self.detection.language,
            MODEL,
            SegmentCounts(1, 2, 2, 0, 0, False),
            alignment=ALIGNMENT,
        )

    async def translate(self, text: str, **kw: Any) -> Translation:
        self.calls.append(("translate", kw))
        return self._translation(kw["source_language"])

    async def translate_each(self, texts: list[str], **kw: Any) -> list[TranslationOutcome]:
        self.calls.append(("translate_each", kw))
        if not texts[0].strip():
            error = NewsdeskError("translate", "INVALID_ARGUMENT", "contents[0]: must not be empty")
            return [TranslationOutcome(0, error=error)]
        return [TranslationOutcome(0, self._translation(kw["source_language"]))]

    async def summarize(self, text: str, **kw: Any) -> Summary:
        self.calls.append(("summarize", kw))
        second = BulletSource((1,), ((16, 32),), False)
        return Summary(
            "H", "S", ("B",), MODEL, Chunking(9, 1, (9,), 2, 2, False), (), (), (second,)
        )

    async def language_pairs(self, **kw: Any) -> list[LanguagePair]:
        self.calls.append(("language_pairs", kw))
        return [LanguagePair("uk", "en", MODEL, "uk: a note")]


async def test_brief_orders_the_hops_and_assembles() -> None:
    """detect → translate (aligned, the reliable language, one request id) → summarize
    (the aligned sentence count); the bullet's original sentence, the quality note."""
    hops = Hops()
    brief = await BriefChain(hops).brief(ARTICLE, "", "rid", {"num_beams": 2})
    assert [name for name, _ in hops.calls] == [
        "detect",
        "translate",
        "summarize",
        "language_pairs",
    ]
    translate = hops.calls[1][1]
    assert translate["source_language"] == "uk" and translate["alignment"] is True
    assert translate["num_beams"] == 2 and translate["request_id"] == "rid"
    assert hops.calls[2][1]["source_sentences"] == 2 and hops.calls[2][1]["request_id"] == "rid"
    assert brief.translated and brief.language == "uk" and brief.confidence == 0.9
    assert [o.text for o in brief.sources[0].original] == ["Друге речення."]
    assert brief.quality_note == "uk: a note" and brief.request_id == "rid"
    assert set(brief.timings_ms) == {"detect", "translate", "summarize", "total"}


@pytest.mark.parametrize(
    ("given", "language", "reliable", "asked"),
    [
        pytest.param("RU ", "uk", True, "ru", id="given-skips-detection"),
        pytest.param("", "kk", True, "", id="unserved-language-left-to-translator"),
        pytest.param("", "uk", False, "", id="unreliable-left-to-translator"),
    ],
)
async def test_which_language_the_translator_is_asked_for(
    given: str, language: str, reliable: bool, asked: str
) -> None:
    """A given language skips detection; a reliable uk/ru/en detection is passed on (the
    translator does not detect again); an unserved or unreliable one lets the
    translator decide and word the refusal."""
    hops = Hops(language, reliable)
    await BriefChain(hops).brief(ARTICLE, given, None, {})
    calls = dict(hops.calls)
    assert ("detect" in calls) == (not given)
    assert calls["translate"]["source_language"] == asked


async def test_english_passes_through() -> None:
    """English is not translated; the summarizer still gets the article's sentence count,
    which also tells it the language was decided (a brief detects once)."""
    hops = Hops("en")
    brief = await BriefChain(hops).brief(ARTICLE, "", None, {})
    assert not brief.translated and dict(hops.calls)["summarize"]["source_sentences"] == 2


async def test_declared_english_is_still_checked_by_the_summarizer() -> None:
    """English the caller declared was never detected: no source_sentences, so the
    summarizer's own language check still refuses a German text sent as "en"."""
    hops = Hops("en")
    await BriefChain(hops).brief(ARTICLE, "en", None, {})
    calls = dict(hops.calls)
    assert "detect" not in calls and calls["summarize"]["source_sentences"] is None


async def test_brief_many_keeps_order_and_per_item_errors() -> None:
    """brief_many asks for per-item translations; a failed item carries its own error
    named by its index, the others their briefs."""
    outcomes = await BriefChain(Hops()).brief_many([ARTICLE, " ", ARTICLE], 2, "uk", {})
    assert [o.ok for o in outcomes] == [True, False, True]
    assert "texts[1]: must not be empty" in str(outcomes[1].error)
    assert outcomes[0].brief is not None and outcomes[0].brief.quality_note == "uk: a note"


def test_provenance_follows_the_alignment() -> None:
    """A bullet's English span maps to every aligned source sentence it overlaps."""
    both = BulletSource((0, 1), ((5, 20),), True)
    found = provenance(both, ARTICLE, ALIGNMENT)
    assert [o.span for o in found.original] == [(0, 14), (15, 29)] and found.rewritten
    assert provenance(both, ARTICLE, None).original[0].text == ARTICLE[5:20]


async def test_archive_bullets_come_first_and_the_article_fills_labelled() -> None:
    """One archive bullet of 3 asked: it leads, the article's bullet follows labelled
    "article", and the shortfall says the archive had too little."""
    found = Background((EARLIER,), "FEW_RELATED_ITEMS", "the archive holds 1 related item(s)",
                       "2021-04-10", "given")  # fmt: skip
    hops = Hops(archive=Archive(found))
    brief = await BriefChain(hops).brief(ARTICLE, "", "rid", {"bullet_count": 3})
    assert brief.bullets == (EARLIER.text, "B")
    assert brief.bullet_kinds == ("archive", "article")
    assert brief.sources[0].archive == EARLIER and brief.sources[1].archive is None
    assert brief.bullet_shortfall == "FEW_RELATED_ITEMS"
    assert "1 bullet(s) are drawn from the article itself" in brief.bullet_shortfall_detail
    text = brief.to_text(with_sources=True)
    assert f"• {EARLIER.text}" in text and "• (from this article) B" in text
    assert "[archive #7] Ukrinform, 2021-03-30, https://e.org/7" in text
    assert brief.to_dict()["bullet_kinds"] == ["archive", "article"]


async def test_archive_unavailable_leaves_the_article_s_bullets_and_says_so() -> None:
    down = NewsdeskError("archive", "UNAVAILABLE", "connection refused")
    brief = await BriefChain(Hops(archive=Archive(down))).brief(ARTICLE, "", "rid", {})
    assert brief.bullets == ("B",) and brief.bullet_kinds == ("article",)
    assert brief.bullet_shortfall == "ARCHIVE_UNAVAILABLE"
    assert "connection refused" in brief.bullet_shortfall_detail


async def test_a_bad_archive_request_is_the_brief_s_error() -> None:
    bad = NewsdeskError("archive", "INVALID_ARGUMENT", "published_date: bad")
    with pytest.raises(NewsdeskError) as raised:
        await BriefChain(Hops(archive=Archive(bad))).brief(ARTICLE, "", "rid", {})
    assert raised.value.stage == "archive"


async def test_remember_stores_the_brief_or_fails_it() -> None:
    archive = Archive(Background(()))
    filing = Filing("2021-04-10", "Desk", "https://e.org/new", remember=True)
    brief = await BriefChain(Hops(archive=archive)).brief(ARTICLE, "", "rid", {}, filing)
    (stored,) = archive.stored
    assert (stored.english_text, stored.original_text, stored.language) == (ENGLISH, ARTICLE, "uk")
    assert (stored.published_date, stored.source, stored.url) == (
        "2021-04-10",
        "Desk",
        "https://e.org/new",
    )
    assert brief.archived_id == 42 and "archive" in brief.timings_ms
    refusing = Archive(Background(()), refuse_add=True)
    with pytest.raises(NewsdeskError):
        await BriefChain(Hops(archive=refusing)).brief(ARTICLE, "", "rid", {}, filing)
