"""The engine contract, on both engines over the tiny models: CTranslate2 (float32 for
parity, int8 as served) and transformers fp32."""

from __future__ import annotations

import pytest

from services.common.engines.base import EngineSettings, GenerationSpec, load_engine
from services.common.models.corpus import sentences
from services.summarizer.build_local import TINY_SPEC as BART
from services.translator.build_local import TINY_SPEC as MARIAN

GREEDY = GenerationSpec(max_new_tokens=64, length_ratio=1.5, length_extra=8)
MODELS = [pytest.param(MARIAN, "uk", id="marian"), pytest.param(BART, "en", id="bart")]


@pytest.fixture(scope="module")
def engines(model_dir):
    """(spec, settings) → a loaded engine, loaded once per module."""
    cache: dict = {}

    def get(spec, name: str, compute_type: str = ""):
        key = (spec, name, compute_type)
        if key not in cache:
            cache[key] = load_engine(EngineSettings(name, compute_type, threads=1), model_dir, spec)
        return cache[key]

    return get


@pytest.mark.parametrize(("spec", "lang"), MODELS)
def test_float32_conversion_matches_transformers_greedy(engines, spec, lang) -> None:
    """CTranslate2 float32 greedy output is the transformers engine's, token for token
    (same text from the same detokenizer), on at least 90% of the test sentences; the
    source token counts agree on every one."""
    hf = engines(spec, "transformers")
    ct = engines(spec, "ctranslate2", "float32")
    texts = sentences(lang)[:40]
    assert [hf.count_tokens(t) for t in texts] == [ct.count_tokens(t) for t in texts]
    expected = hf.generate(texts, GREEDY)
    got = ct.generate(texts, GREEDY)
    same = sum(
        a.text == b.text and a.target_tokens == b.target_tokens
        for a, b in zip(expected, got, strict=True)
    )
    assert same >= 0.9 * len(texts), f"{same}/{len(texts)} identical"


ENGINE_VARIANTS = [
    pytest.param("ctranslate2", "int8", id="ctranslate2-int8"),
    pytest.param("ctranslate2", "float32", id="ctranslate2-float32"),
    pytest.param("transformers", "", id="transformers"),
]


@pytest.mark.parametrize(("spec", "lang"), MODELS)
@pytest.mark.parametrize(("name", "compute_type"), ENGINE_VARIANTS)
def test_structural_guarantees(engines, spec, lang, name, compute_type) -> None:
    """Every input gets one result, in order, within its own length bound; a row
    handed to on_done early is the row returned; the model says which engine and
    compute type serve it."""
    engine = engines(spec, name, compute_type)
    texts = [*sentences(lang)[:6], "Так.", sentences(lang)[7] * 3]
    early: dict[int, object] = {}
    results = engine.generate(texts, GREEDY, on_done=lambda i, r: early.__setitem__(i, r))
    assert len(results) == len(texts)
    for text, result in zip(texts, results, strict=True):
        assert result.source_tokens == engine.count_tokens(text)
        assert 0 < result.target_tokens <= GREEDY.bound(result.source_tokens)
        assert result.text
    assert early and all(early[i] == results[i] for i in early)
    assert engine.model.engine.startswith(f"{name}-")
    beams = engine.generate(texts[:3], GenerationSpec(max_new_tokens=12, num_beams=2))
    assert len(beams) == 3 and all(0 < r.target_tokens <= 12 for r in beams)


@pytest.mark.parametrize(("name", "compute_type"), ENGINE_VARIANTS)
def test_a_batch_whose_callers_are_gone_stops(engines, name, compute_type) -> None:
    """should_stop() turning true ends a greedy batch within a step or two, long before
    its bound (random weights would otherwise run every row to it)."""
    engine = engines(MARIAN, name, compute_type)
    texts = sentences("uk")[:8]
    checks = {"n": 0}

    def stop() -> bool:
        checks["n"] += 1
        return checks["n"] > 2

    spec = GenerationSpec(max_new_tokens=400, length_ratio=0.0)
    engine.generate(texts, spec, should_stop=stop)
    # Each row asks at most a step or two more before it stops: nowhere near 400 steps.
    assert checks["n"] <= 2 + 3 * len(texts)


@pytest.mark.parametrize(("name", "compute_type"), ENGINE_VARIANTS)
def test_input_over_the_window_is_refused(engines, name, compute_type) -> None:
    """An input longer than the model window is an error, never silently truncated."""
    engine = engines(MARIAN, name, compute_type)
    too_long = " ".join(sentences("uk")) * 4
    assert engine.count_tokens(too_long) > engine.max_source_tokens
    with pytest.raises(ValueError, match="exceeds the model window"):
        engine.generate([too_long], GREEDY)


def test_compute_types_are_checked() -> None:
    """Each engine serves only its compute types; unknown engines are refused."""
    assert EngineSettings().name == "ctranslate2"
    assert EngineSettings().compute_type == "int8"
    assert EngineSettings("transformers").compute_type == "float32"
    with pytest.raises(ValueError, match="compute types"):
        EngineSettings("transformers", "int8")
    with pytest.raises(ValueError, match="unknown engine"):
        EngineSettings("onnx")


def test_mkl_on_amd_is_recognised() -> None:
    """CT2_USE_MKL=1 is flagged on AMD CPUs only (the engine then logs a warning)."""
    from services.common.engines.ct2 import mkl_on_amd

    amd = "vendor_id\t: AuthenticAMD\n"
    intel = "vendor_id\t: GenuineIntel\n"
    assert mkl_on_amd({"CT2_USE_MKL": "1"}, amd)
    assert not mkl_on_amd({"CT2_USE_MKL": "1"}, intel)
    assert not mkl_on_amd({}, amd)
