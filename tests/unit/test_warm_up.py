"""The batcher's warm-up on the tiny models: it changes no output, and both model
services warm their engines while they are built (before the port is bound)."""

from __future__ import annotations

import pytest

from services.common.batching.batcher import BatchConfig, DynamicBatcher
from services.common.batching.queue import Job
from services.common.models.corpus import sentences as owned_sentences


@pytest.fixture
def sentences() -> list[str]:
    return owned_sentences("uk")[:6]


def test_warm_up_changes_no_output(model_dir, tiny_marian_spec, engine_settings, sentences):
    """A warmed engine and a cold one give the same tokens for the same batch, greedy
    and at beam 2."""
    from services.common.engines.base import load_engine
    from services.translator.prepare import generation_spec

    cold = load_engine(engine_settings, model_dir, tiny_marian_spec)
    warm = load_engine(engine_settings, model_dir, tiny_marian_spec)
    batcher = DynamicBatcher("parity", [warm], BatchConfig())
    try:
        for beams in (1, 2):
            spec = generation_spec(cold, beams)
            assert batcher.warm_up("Доброго ранку.", spec) is True
            expected = [g.text for g in cold.generate(sentences, spec)]
            jobs = [Job(s, warm.count_tokens(s), spec) for s in sentences]
            ticket = batcher.submit(jobs)
            got = [f.result(60).text for f in ticket.entry.futures]
            assert got == expected
    finally:
        batcher.close()


def test_both_model_services_warm_up_when_built(translator, writer, detector, monkeypatch):
    """The translator's batcher and the summarizer's are warmed while the service is
    built, at the configured beams, with a text of the model's source language."""
    from tests.conftest import summarizer_binding, translator_binding

    calls: list[tuple[str, str, int]] = []
    real = DynamicBatcher.warm_up

    def spy(self, text, spec, timeout_s=120.0):
        calls.append((self.name, text, spec.num_beams))
        return real(self, text, spec, timeout_s)

    monkeypatch.setattr(DynamicBatcher, "warm_up", spy)
    for make, given in ((translator_binding, translator), (summarizer_binding, writer)):
        _, built = make(given) if make is translator_binding else make(given, detector)
        built.close()
    assert [(name.split(":")[0], beams) for name, _, beams in calls] == [
        ("translator", 2),
        ("summarizer", 2),
    ]
    assert calls[0][1] == "Доброго ранку." and calls[1][1] == "Good morning."
