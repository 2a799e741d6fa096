"""The brief writer on the tiny, locally built BART (random weights: outputs are noise,
so the tests check structure, counts and chunking, not wording)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from services.summarizer.background import similar
from services.summarizer.brief import BriefOptions
from tests.conftest import WrappedEngine, flores_documents, long_document, seed_article


def check_brief(brief, options: BriefOptions, min_bullets: int = 3) -> None:
    assert brief.headline.strip()
    assert len(brief.headline.split()) <= options.headline_max_words
    assert brief.summary.strip()
    assert len(brief.summary.split()) <= options.summary_max_words + 1
    assert min_bullets <= len(brief.bullets) <= options.bullet_count
    for i, a in enumerate(brief.bullets):
        assert a.strip()
        assert not similar(a, brief.summary, 0.7)
        assert not any(similar(a, b) for b in brief.bullets[i + 1 :])
    assert brief.chunking.sentences_read == brief.chunking.sentences


@pytest.mark.shared
def test_seed_article(writer) -> None:
    """The seed wire story gives a headline, a summary and 3–5 distinct bullets."""
    options = BriefOptions(num_beams=2)
    brief = writer.write(seed_article(), options)
    check_brief(brief, options)
    assert brief.generations <= 4


@pytest.mark.shared
def test_translated_flores_document(writer) -> None:
    """A translated FLORES document (its human English translation) gives a full brief."""
    docs = [d for d in flores_documents("uk", 60) if d["sentences"] >= 5]
    options = BriefOptions(num_beams=2, bullet_count=3)
    brief = writer.write(docs[0]["reference_en"], options)
    check_brief(brief, options)


def test_owned_article(writer) -> None:
    """An article of owned text gives a full brief in two model calls."""
    options = BriefOptions(num_beams=2, bullet_count=5)
    brief = writer.write(long_document("en", 1500), options)
    check_brief(brief, options)
    assert brief.chunking.windows == 1
    assert brief.generations == 2


def test_long_article_every_window_read(writer) -> None:
    """A 30,000-character article is chunked at sentence boundaries, map-reduced, and
    every sentence lands in a window under the model limit."""
    text = long_document("en", 30_000)
    assert len(text) >= 30_000
    brief = writer.write(text, BriefOptions(num_beams=1))
    c = brief.chunking
    assert c.windows > 1
    assert c.reduced
    assert len(c.window_tokens) == c.windows
    assert all(t <= writer.engine.max_source_tokens for t in c.window_tokens)
    assert c.sentences_read == c.sentences > 0
    # Every token of the article was inside some window (joins add at most a few).
    assert sum(c.window_tokens) >= c.input_tokens - 2 * c.sentences
    assert brief.generations >= 3


class VerboseEngine(WrappedEngine):
    """The real tiny engine, but every generation comes back a quarter longer than its
    input (a model whose summaries, re-tokenized, outgrow what it read)."""

    def generate(self, inputs, spec, should_stop=None, on_done=None):
        self.calls += 1
        real = self.inner.generate(inputs, spec, should_stop, on_done)
        return [
            replace(g, text=f"{text} {text[: len(text) // 4]}")
            for g, text in zip(real, inputs, strict=True)
        ]


def test_reduce_never_exceeds_the_window_and_ends(writer) -> None:
    """Map-reduce survives partial summaries longer than a window: every model input
    fits the window (over-long partials are split, never cut) and reduction ends."""
    from services.summarizer.brief import BriefWriter

    engine = VerboseEngine(writer.engine)
    verbose = BriefWriter(engine)
    seen: list[int] = []
    original = engine.generate

    def spy(inputs, spec, should_stop=None, on_done=None):
        seen.extend(engine.count_tokens(t) for t in inputs)
        return original(inputs, spec, should_stop, on_done)

    engine.generate = spy
    brief = verbose.write(long_document("en", 8_000), BriefOptions(num_beams=1))
    assert brief.chunking.reduced
    assert max(seen) <= engine.max_source_tokens
    assert brief.summary.strip()
    assert brief.generations <= 7
