"""The target-vocabulary shortlist: the vmap.txt it writes (CTranslate2's format,
loaded and honoured by CTranslate2 on the tiny MarianMT), the engine's opt-in and its
identity, the refusals, and `newsdesk models shortlist`."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from newsdesk_client.cli.main import main as cli
from services.common.config import ConfigError
from services.common.engines.base import (
    EngineSettings,
    GenerationSpec,
    engine_settings_from_env,
    load_engine,
)
from services.common.models.corpus import sentences
from services.common.models.shortlist import (
    VMAP_FILE,
    ShortlistNotFound,
    VocabularyMap,
    conversion_vocabulary,
    from_parallel,
    read_parallel,
    write_shortlist,
)
from services.common.models.store import locate_converted, repo_dir
from services.translator.build_local import TINY_SPEC

TRANSLATOR = "NEWSDESK_TRANSLATOR_"
# Random weights rarely end early: a fixed length makes every row decode 16 steps.
FIXED = {"beam_size": 1, "min_decoding_length": 16, "max_decoding_length": 16}
GREEDY = GenerationSpec(max_new_tokens=16, min_new_tokens=16)
BEAMS = GenerationSpec(max_new_tokens=12, num_beams=2)


def owned_pairs() -> list[tuple[str, str]]:
    """The owned corpus's Ukrainian and English sentences, line by line (templates
    expanded alike; a few base lines are not translations of each other)."""
    return list(zip(sentences("uk")[:-2], sentences("en")[:-2], strict=True))


@pytest.fixture(scope="module")
def models(model_dir, tmp_path_factory) -> Path:
    """A model directory of its own holding a copy of the tiny MarianMT (snapshot and
    conversions), so the maps written here touch no other test's model."""
    path = tmp_path_factory.mktemp("shortlist-models")
    shutil.copytree(repo_dir(model_dir, TINY_SPEC), repo_dir(path, TINY_SPEC))
    return path


@pytest.fixture(scope="module")
def pairs_file(tmp_path_factory) -> Path:
    """A parallel TSV with a header line."""
    path = tmp_path_factory.mktemp("corpus") / "pairs.tsv"
    lines = ["source\treference", *(f"{uk}\t{en}" for uk, en in owned_pairs())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def conversion(models: Path, quantization: str = "int8") -> Path:
    return locate_converted(models, TINY_SPEC, quantization).path


def write_map(models: Path, top: int, always: int) -> VocabularyMap:
    vmap = from_parallel(conversion(models), owned_pairs(), top, always)
    write_shortlist(conversion(models), vmap)
    return vmap


def source_tokens(path: Path, text: str) -> list[str]:
    from services.common.engines.ct2 import SentencePiece

    return list(SentencePiece(path, "</s>").tokens(text))


def test_written_map_is_in_ctranslate2s_format_and_loads(models, pairs_file) -> None:
    """vmap.txt lands in the conversion: an always-line first (the special tokens in
    it), then one `piece<TAB>targets` line per source piece, single spaces, vocabulary
    tokens only; CTranslate2 loads it and decodes with use_vmap=True."""
    import ctranslate2

    path = conversion(models)
    vmap = from_parallel(path, read_parallel(pairs_file), top=3, always=10)
    written = write_shortlist(path, vmap)
    assert written == path / VMAP_FILE
    lines = written.read_text(encoding="utf-8").splitlines()
    vocabulary = conversion_vocabulary(path)
    assert lines[0].startswith("\t") and {"</s>", "<unk>"} <= set(lines[0][1:].split(" "))
    assert len(lines[0][1:].split(" ")) == len(vmap.always) == 12  # 10 frequent + 2 special
    for line in lines[1:]:
        source, targets = line.split("\t")  # exactly one tab
        assert source and " " not in source
        tokens = targets.split(" ")
        assert 1 <= len(tokens) <= 3 and all(t in vocabulary for t in tokens)
    assert len(lines) - 1 == len(vmap.rules) and VocabularyMap.parse("\n".join(lines)) == (
        VocabularyMap(vmap.rules, vmap.always)
    )
    translator = ctranslate2.Translator(str(path), compute_type="int8", intra_threads=1)
    result = translator.translate_batch([source_tokens(path, "Уряд ухвалив рішення.")], **FIXED)
    assert len(result[0].hypotheses[0]) == 16


def test_shortlisted_output_stays_in_the_map(models) -> None:
    """With use_vmap every output token is in the map's union for that input (or an
    end/unknown token); without it the same model writes tokens outside (the map bites)."""
    import ctranslate2

    path = conversion(models)
    vmap = write_map(models, top=2, always=0)
    translator = ctranslate2.Translator(str(path), compute_type="int8", intra_threads=1)
    outside = 0
    for text in [*sentences("uk")[:6], "Зовсім інше речення про погоду в Карпатах."]:
        tokens = source_tokens(path, text)
        allowed = vmap.candidates(tokens) | {"</s>", "<unk>"}
        assert len(allowed) < len(conversion_vocabulary(path)) // 4
        [shortlisted] = translator.translate_batch([tokens], use_vmap=True, **FIXED)
        assert set(shortlisted.hypotheses[0]) <= allowed, text
        [free] = translator.translate_batch([tokens], **FIXED)
        outside += bool(set(free.hypotheses[0]) - allowed)
    assert outside


def test_engine_decodes_over_the_shortlist(models) -> None:
    """shortlist=True: the engine's identity carries the map's digest (the cache keys
    on it), its greedy tokens stay in the map (a batch's: the union of its inputs'),
    beam search runs."""
    vmap = write_map(models, top=2, always=0)
    engine = load_engine(EngineSettings(threads=1, shortlist=True), models, TINY_SPEC)
    # int8 is served as int8_float32 where the CPU lacks int8 GEMM with float output.
    assert re.fullmatch(r"ctranslate2-int8\w*\+vmap-[0-9a-f]{8}", engine.model.engine)
    texts = sentences("uk")[:4]
    rows = engine.translate_tokens(texts, GREEDY)  # type: ignore[attr-defined]
    # CTranslate2 restricts a batch to the union of its inputs' shortlists.
    union = vmap.candidates(t for source, _ in rows for t in source)
    assert all(output and set(output) <= union for _, output in rows)
    # The same engine without the shortlist writes outside that union: the map is what
    # keeps the outputs above inside it (use_vmap reaches CTranslate2).
    free = load_engine(EngineSettings(threads=1), models, TINY_SPEC)
    assert any(set(output) - union for _, output in free.translate_tokens(texts, GREEDY))  # type: ignore[attr-defined]
    for text in texts:  # alone, an input gets its own shortlist
        [(source, output)] = engine.translate_tokens([text], GREEDY)  # type: ignore[attr-defined]
        assert set(output) <= vmap.candidates(source)
    assert len(engine.generate(texts, BEAMS)) == 4
    write_map(models, top=3, always=0)  # another map: another identity
    again = load_engine(EngineSettings(threads=1, shortlist=True), models, TINY_SPEC)
    assert again.model.engine != engine.model.engine


def test_engine_refuses_a_missing_shortlist(models) -> None:
    """shortlist=True over a conversion without vmap.txt stops the load with a
    ModelNotFound that names `newsdesk models shortlist` for that conversion."""
    assert not (conversion(models, "float32") / VMAP_FILE).exists()
    settings = EngineSettings(compute_type="float32", threads=1, shortlist=True)
    with pytest.raises(ShortlistNotFound) as caught:
        load_engine(settings, models, TINY_SPEC)
    message = str(caught.value)
    assert f"newsdesk models shortlist {TINY_SPEC} --model-dir {models}" in message
    assert "--quantization float32" in message and "NEWSDESK_TRANSLATOR_SHORTLIST" in message


def test_off_by_default_changes_nothing(models, model_dir) -> None:
    """Off by default (settings, environment); off, a conversion holding a vmap.txt
    answers exactly as one without, under the same identity."""
    assert EngineSettings().shortlist is False
    assert engine_settings_from_env({}, TRANSLATOR, 1).shortlist is False
    write_map(models, top=2, always=0)
    assert not (conversion(model_dir) / VMAP_FILE).exists()
    settings = EngineSettings(threads=1)
    with_map = load_engine(settings, models, TINY_SPEC)
    without = load_engine(settings, model_dir, TINY_SPEC)
    assert with_map.model == without.model and "vmap" not in with_map.model.engine
    texts = sentences("uk")[:6]
    for spec in (GREEDY, BEAMS):
        assert with_map.generate(texts, spec) == without.generate(texts, spec)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        pytest.param({f"{TRANSLATOR}SHORTLIST": "true"}, True, id="translator-on"),
        pytest.param({f"{TRANSLATOR}SHORTLIST": "0"}, False, id="translator-off"),
        pytest.param({"NEWSDESK_SUMMARIZER_SHORTLIST": "true"}, False, id="summarizer-never"),
    ],
)
def test_environment_turns_it_on_for_the_translator_only(environ, expected) -> None:
    """NEWSDESK_TRANSLATOR_SHORTLIST is read for the translator; the summarizer's
    prefix has no such variable and never reads one."""
    prefix = "NEWSDESK_SUMMARIZER_" if "NEWSDESK_SUMMARIZER_SHORTLIST" in environ else TRANSLATOR
    assert engine_settings_from_env(environ, prefix, 1).shortlist is expected


def test_transformers_refuses_a_shortlist(model_dir) -> None:
    """The transformers engine cannot honour a shortlist: the configuration says so
    (naming both variables) and so does the engine, before loading anything."""
    environ = {f"{TRANSLATOR}SHORTLIST": "true", f"{TRANSLATOR}ENGINE": "transformers"}
    with pytest.raises(ConfigError, match=f"{TRANSLATOR}SHORTLIST=true needs {TRANSLATOR}ENGINE"):
        engine_settings_from_env(environ, TRANSLATOR, 1)
    with pytest.raises(ConfigError, match="transformers engine cannot decode over"):
        load_engine(EngineSettings("transformers", shortlist=True), model_dir, TINY_SPEC)


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli(["models", "shortlist", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_writes_a_shortlist_and_reports_its_size(models, pairs_file, capsys) -> None:
    """`models shortlist --parallel` writes vmap.txt into the conversion and prints
    its sizes and the variable that turns it on."""
    args = [str(TINY_SPEC), "--model-dir", str(models), "--parallel", str(pairs_file)]
    code, out, err = run_cli([*args, "--top", "4", "--always", "8"], capsys)
    assert code == 0, err
    written = conversion(models) / VMAP_FILE
    assert f"shortlist written  {written}" in out
    vmap = VocabularyMap.parse(written.read_text(encoding="utf-8"))
    assert f"{len(vmap.rules)} source entries" in out and "10 always-candidates" in out
    assert f"from {len(owned_pairs())} sentences" in out
    assert "export NEWSDESK_TRANSLATOR_SHORTLIST=true" in out


def test_cli_counts_the_models_own_outputs(models, tmp_path, capsys) -> None:
    """`--monolingual`: the model translates each line; its output pieces are the map's
    targets, its source pieces the keys."""
    text = tmp_path / "uk.txt"
    text.write_text("\n".join(sentences("uk")[:12]) + "\n\n", encoding="utf-8")
    args = [str(TINY_SPEC), "--model-dir", str(models), "--monolingual", str(text)]
    code, out, err = run_cli([*args, "--top", "3", "--always", "0"], capsys)
    assert code == 0, err
    assert "from 12 sentences" in out
    path = conversion(models)
    vmap = VocabularyMap.parse((path / VMAP_FILE).read_text(encoding="utf-8"))
    pieces = {t for line in sentences("uk")[:12] for t in source_tokens(path, line)}
    assert vmap.rules and set(vmap.rules) <= pieces


@pytest.mark.parametrize(
    ("lines", "option", "expected"),
    [
        pytest.param(None, "--parallel", "newsdesk models convert", id="no-conversion"),
        pytest.param(["", "  "], "--parallel", "holds no sentence pairs", id="empty-corpus"),
        pytest.param(["source\treference"], "--parallel", "holds no sentence", id="header-only"),
        pytest.param(["a\tb", "c\td", "no tab here"], "--parallel", "pairs.txt:3:", id="bad-line"),
        pytest.param(["a\tb", "\tenglish"], "--parallel", "pairs.txt:2:", id="empty-side"),
        pytest.param(["", ""], "--monolingual", "holds no text", id="empty-text"),
    ],
)
def test_cli_errors_are_clear(models, tmp_path, capsys, lines, option, expected) -> None:
    """A missing conversion names `newsdesk models convert`; an empty corpus and a bad
    TSV line (by number) are usage errors (exit 2), and nothing is written."""
    corpus = tmp_path / "pairs.txt"
    corpus.write_text("\n".join(lines or ["Уряд\tThe government"]) + "\n", encoding="utf-8")
    quantization = "int8_float32" if lines is None else "float32"
    args = [str(TINY_SPEC), "--model-dir", str(models), option, str(corpus)]
    code, _, err = run_cli([*args, "--quantization", quantization], capsys)
    assert code == 2 and expected in err
    assert not (conversion(models, "float32") / VMAP_FILE).exists()


def test_cli_refuses_bad_counts(models, pairs_file, capsys) -> None:
    """--top below 1 is an argparse usage error."""
    with pytest.raises(SystemExit) as caught:
        cli(["models", "shortlist", "--parallel", str(pairs_file), "--top", "0"])
    assert caught.value.code == 2 and "less than 1" in capsys.readouterr().err


def test_wait_models_waits_for_the_shortlist_when_it_is_on(models) -> None:
    """The init container's check: with the shortlist on, a conversion without its
    vmap.txt is not ready (the message names `newsdesk models shortlist`); once the map
    is written, nothing is missing. Off, the map is not asked for."""
    from services.tools.wait_models import missing

    vmap_path = next(models.rglob("vmap.txt"), None)
    if vmap_path is not None:
        vmap_path.unlink()
    on = EngineSettings(threads=1, shortlist=True)
    [problem] = missing(models, [TINY_SPEC], on)
    assert "newsdesk models shortlist" in problem
    assert missing(models, [TINY_SPEC], EngineSettings(threads=1)) == []
    write_map(models, top=2, always=0)
    assert missing(models, [TINY_SPEC], on) == []
