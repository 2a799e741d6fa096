"""Stage 1 of the translator's request path (prepare.py): languages, paragraphs,
sentences, pieces, masked terms and the cache lookup, over an engine that only counts
tokens (preparation never generates)."""

from __future__ import annotations

import pytest

from services.common.engines.base import Generated
from services.common.errors import FailedPrecondition, UnsupportedLanguage
from services.common.models.store import ModelRef
from services.common.text.glossary import GlossaryEntry
from services.common.text.language import LanguageDecision, LanguageGate
from services.translator.cache import JobCache, TranslationCache
from services.translator.options import TranslateOptions, TranslatorPolicy
from services.translator.prepare import Preparer, generation_spec, model_key
from services.translator.results import PASSTHROUGH
from services.translator.terms import DEFAULT_TERMS, TermGlossary


class CountingEngine:
    """Counts a token per word plus one (the end of sentence); generates nothing."""

    model = ModelRef("test/counting", "r1", "none-test")

    def __init__(self, max_source_tokens: int = 64) -> None:
        self.max_source_tokens = max_source_tokens

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 1

    def generate(self, inputs, spec, should_stop=None, on_done=None):
        raise AssertionError("preparation never generates")


def preparer(
    engine=None, *, policy: TranslatorPolicy | None = None, cache=None, detect="uk"
) -> Preparer:
    engine = engine or CountingEngine()
    policy = policy or TranslatorPolicy()
    jobs = JobCache(cache, {model_key(engine): engine.model.engine})
    gate = LanguageGate(lambda text: (detect, 1.0, True))
    return Preparer({"uk": engine, "ru": engine}, gate, 4, policy, jobs)


UK = "Уряд ухвалив рішення. Мер пообіцяв допомогу.\n\nЕксперти попереджають."


def test_paragraphs_sentences_and_one_piece_per_sentence() -> None:
    """Each paragraph is a unit with its break; each sentence a piece whose source span
    is its place in the document; jobs carry the server's beams and the model key."""
    prepared = preparer().prepare([(UK, LanguageDecision("uk"))], TranslateOptions())
    assert [(u.index, u.trailing_break) for u in prepared.units] == [(0, "\n\n"), (1, "")]
    assert len(prepared.pieces) == 3
    for piece in prepared.pieces:
        assert UK[piece.source[0] : piece.source[1]] == piece.text
        assert piece.job.text == piece.text and piece.job.spec.num_beams == 4
        assert piece.job.model == "test/counting@r1"
    assert [p.sentence for p in prepared.pieces] == [0, 1, 0]
    assert prepared.indices(prepared.units[1]) == [2]
    assert prepared.jobs == [p.job for p in prepared.pieces]
    assert prepared.documents[0].model == CountingEngine.model


def test_request_beams_override_the_servers() -> None:
    """TranslateOptions.num_beams sets every job's beams."""
    prepared = preparer().prepare([(UK, LanguageDecision("uk"))], TranslateOptions(num_beams=1))
    assert {p.job.spec.num_beams for p in prepared.pieces} == {1}


def test_over_long_sentence_becomes_several_pieces_of_one_sentence() -> None:
    """A sentence over the window is split (never cut): pieces of sentence 0 that
    cover it, each within the window."""
    engine = CountingEngine(max_source_tokens=6)
    sentence = " ".join(["слово"] * 20) + "."
    prepared = preparer(engine).prepare([(sentence, LanguageDecision("uk"))], TranslateOptions())
    assert len(prepared.pieces) > 1
    assert {p.sentence for p in prepared.pieces} == {0}
    assert all(p.tokens <= 6 for p in prepared.pieces)
    assert " ".join(p.text for p in prepared.pieces).split() == sentence.split()


def test_english_passes_through_without_pieces() -> None:
    """An English document has units and sentences but no model job."""
    text = "The cabinet met. It agreed.\n\nMore."
    prepared = preparer().prepare([(text, LanguageDecision("en"))], TranslateOptions())
    assert len(prepared.units) == 2 and prepared.pieces == ()
    assert len(prepared.sentences[(0, 0)]) == 2
    assert prepared.documents[0].model == PASSTHROUGH


def test_terms_are_masked_in_the_job_and_kept_as_slots() -> None:
    """Server terms: the job's text has placeholders (its tokens recounted), the piece
    keeps the source text and the slots."""
    policy = TranslatorPolicy(terms=TermGlossary.from_tsv(DEFAULT_TERMS))
    text = "ЗСУ збили дрон над містом."
    prepared = preparer(policy=policy).prepare([(text, LanguageDecision("uk"))], TranslateOptions())
    (piece,) = prepared.pieces
    assert piece.text == text and "ЗСУ" not in piece.job.text and "ZQ1" in piece.job.text
    assert piece.slots[0].english == "Armed Forces of Ukraine"
    assert piece.job.tokens == CountingEngine().count_tokens(piece.job.text)


def test_request_terms_mask_even_with_server_terms_off() -> None:
    """A request's extra terms turn masking on (unknown acronyms included) when the
    server's glossary is off; without them nothing is masked."""
    text = "Пупкін і ЖКЛ заявили."
    extra = (GlossaryEntry("Пупкін", "Pupkin", "per-request", "uk"),)
    plain = preparer().prepare([(text, LanguageDecision("uk"))], TranslateOptions())
    assert plain.pieces[0].slots == ()
    masked = preparer().prepare(
        [(text, LanguageDecision("uk"))], TranslateOptions(extra_terms=extra)
    )
    assert [s.english for s in masked.pieces[0].slots] == ["Pupkin", "ЖКЛ"]


def test_cache_hits_are_answered_and_left_out_of_the_jobs() -> None:
    """A piece whose job is cached has its generation in `hits` and no model job."""
    cache = TranslationCache(1 << 20)
    first = preparer(cache=cache)
    prepared = first.prepare([(UK, LanguageDecision("uk"))], TranslateOptions())
    kept = Generated("The government decided.", 4, 4)
    first.cache.put(prepared.pieces[0].job, kept)
    again = first.prepare([(UK, LanguageDecision("uk"))], TranslateOptions())
    assert again.hits == {0: kept}
    assert again.jobs == [p.job for p in again.pieces[1:]]


def test_decide_all_partial_and_not() -> None:
    """Without partial the first undecidable document fails the request; with it, it
    gets its error and the rest go on; documents failed already are skipped."""
    gate = LanguageGate(lambda text: ("kk", 1.0, True) if "kk" in text else ("uk", 1.0, True))
    engine = CountingEngine()
    prep = Preparer({"uk": engine}, gate, 4, TranslatorPolicy(), JobCache(None, {}))
    contents = ["Текст kk.", "Текст українською.", "Ще один."]
    with pytest.raises(UnsupportedLanguage):
        prep.decide_all(contents, TranslateOptions(), {})
    refused = FailedPrecondition("contents[2]: no", reason="X")
    good, errors = prep.decide_all(contents, TranslateOptions(partial=True), {2: refused})
    assert [(i, d.source) for i, _, d in good] == [(1, "uk")]
    assert isinstance(errors[0], UnsupportedLanguage) and errors[2] is refused


def test_generation_spec_is_length_bounded() -> None:
    """Every job's output is bounded by its input (no runaway generation)."""
    spec = generation_spec(CountingEngine(max_source_tokens=100), 2)
    assert spec.max_new_tokens == 100 and spec.num_beams == 2
    assert spec.bound(10) < 100
