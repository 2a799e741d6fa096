"""The default deployment path on the tiny models: `models build-local` (which
converts), `models convert` (idempotent), then the services serving CTranslate2 int8 —
without importing torch or transformers — and the errors when a conversion is missing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsdesk_client.cli.main import main as cli_main
from services.summarizer.build_local import TINY_SPEC as BART
from services.tools.local import LocalStack
from services.translator.build_local import TINY_SPEC as MARIAN


def conversions(model_dir: Path) -> dict[str, float]:
    """Every converted file and its modification time."""
    return {
        str(p): p.stat().st_mtime
        for p in model_dir.glob("models--*/ctranslate2/*/*")
        if p.is_file()
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """`newsdesk models build-local --model-dir D` (tiny): snapshots and int8 conversions."""
    model_dir = tmp_path_factory.mktemp("ct2models")
    assert cli_main(["models", "build-local", "--model-dir", str(model_dir)]) == 0
    return model_dir


def test_build_local_converts_and_convert_is_idempotent(built: Path, capsys) -> None:
    """build-local leaves an int8 conversion beside each snapshot, keyed by commit and
    quantization; `models convert` then finds it and rewrites nothing."""
    before = conversions(built)
    for spec in (MARIAN, BART):
        found = list(built.glob(f"models--{spec.repo_id.replace('/', '--')}/ctranslate2/*-int8"))
        assert len(found) == 1
        meta = json.loads((found[0] / "newsdesk.json").read_text())
        assert meta["repo_id"] == spec.repo_id and meta["quantization"] == "int8"
        assert found[0].name == f"{meta['commit']}-int8"
    capsys.readouterr()
    assert cli_main(["models", "convert", f"{MARIAN}", "--model-dir", str(built)]) == 0
    assert "already converted" in capsys.readouterr().out
    assert conversions(built) == before


def test_convert_of_an_absent_model_names_the_fix(tmp_path: Path, capsys) -> None:
    """Converting a model that was never pulled is exit 2, naming `models pull`."""
    code = cli_main(["models", "convert", "org/absent@main", "--model-dir", str(tmp_path)])
    assert code == 2
    assert "newsdesk models pull" in capsys.readouterr().err


SERVING_IMPORTS = """
import os, sys
from services.{service}.app import build
from services.{service}.config import {config}
built = build({config}.from_env(os.environ))
leaked = sorted(m for m in sys.modules if m.split(".")[0] in ("torch", "transformers"))
print("LEAKED", leaked)
built.close()
"""


@pytest.mark.parametrize(
    ("service", "config"),
    [("translator", "TranslatorConfig"), ("summarizer", "SummarizerConfig")],
)
def test_serving_ctranslate2_imports_neither_torch_nor_transformers(
    built: Path, service: str, config: str
) -> None:
    """The whole service, built as `python -m services.<name>` builds it, on the
    ctranslate2 engine: no torch, no transformers in the process."""
    env = {
        **os.environ,
        "NEWSDESK_MODEL_DIR": str(built),
        "NEWSDESK_TRANSLATOR_MODEL_UK": str(MARIAN),
        "NEWSDESK_TRANSLATOR_MODEL_RU": str(MARIAN),
        "NEWSDESK_SUMMARIZER_MODEL": str(BART),
        f"NEWSDESK_{service.upper()}_ENGINE": "ctranslate2",
        f"NEWSDESK_{service.upper()}_THREADS": "1",
    }
    result = subprocess.run(
        [sys.executable, "-c", SERVING_IMPORTS.format(service=service, config=config)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "LEAKED []" in result.stdout, result.stdout


def test_missing_conversion_exits_3_naming_the_convert_command(tmp_path: Path) -> None:
    """A snapshot without its int8 conversion stops the translator (ctranslate2, the
    default) with exit 3 and the exact `newsdesk models convert` command."""
    assert cli_main(["models", "build-local", "--model-dir", str(tmp_path), "--no-convert"]) == 0
    env = {
        **os.environ,
        "NEWSDESK_MODEL_DIR": str(tmp_path),
        "NEWSDESK_TRANSLATOR_MODEL_UK": str(MARIAN),
        "NEWSDESK_TRANSLATOR_MODEL_RU": str(MARIAN),
        "NEWSDESK_TRANSLATOR_PORT": "0",
        "NEWSDESK_TRANSLATOR_METRICS_PORT": "0",
        "NEWSDESK_LOG_FORMAT": "json",
    }
    result = subprocess.run(
        [sys.executable, "-m", "services.translator"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 3
    assert (
        f"newsdesk models convert {MARIAN} --model-dir {tmp_path} --quantization int8"
        in result.stderr
    )


async def test_translator_serves_the_converted_model(built: Path) -> None:
    """build-local → convert → `python -m services.translator` with
    NEWSDESK_TRANSLATOR_ENGINE=ctranslate2: it serves, and says so."""
    import grpc

    from newsdesk.translation.v1 import translation_pb2, translation_pb2_grpc

    env = {
        "NEWSDESK_MODEL_DIR": str(built),
        "NEWSDESK_TRANSLATOR_MODEL_UK": str(MARIAN),
        "NEWSDESK_TRANSLATOR_MODEL_RU": str(MARIAN),
        "NEWSDESK_TRANSLATOR_ENGINE": "ctranslate2",
        "NEWSDESK_TRANSLATOR_THREADS": "1",
    }
    stack = LocalStack({"translator": 0}, env)
    try:
        stack.start_only(("translator",), timeout=120)
        async with grpc.aio.insecure_channel(stack.address("translator")) as channel:
            stub = translation_pb2_grpc.TranslationServiceStub(channel)
            reply = await stub.Translate(
                translation_pb2.TranslateRequest(
                    contents=[
                        "Київ. Харків.",
                        "Москва заявила о новых санкциях против стран Запада.",
                    ]
                ),
                timeout=60,
            )
    finally:
        stack.stop()
    assert [t.source_language_code for t in reply.translations] == ["uk", "ru"]
    for translation in reply.translations:
        assert translation.translated_text
        assert translation.model.engine.startswith("ctranslate2-int8")


def test_models_list_shows_what_each_engine_needs(built: Path, capsys, monkeypatch) -> None:
    """`models list` reports each model's int8 conversion, and names the convert command
    for a compute type that has none (exit 1)."""
    monkeypatch.setenv("NEWSDESK_TRANSLATOR_MODEL_UK", str(MARIAN))
    monkeypatch.setenv("NEWSDESK_TRANSLATOR_MODEL_RU", str(MARIAN))
    monkeypatch.setenv("NEWSDESK_SUMMARIZER_MODEL", str(BART))
    assert cli_main(["models", "list", "--model-dir", str(built)]) == 0
    assert capsys.readouterr().out.count("ctranslate2 int8 converted") == 3
    monkeypatch.setenv("NEWSDESK_SUMMARIZER_COMPUTE_TYPE", "float32")
    assert cli_main(["models", "list", "--model-dir", str(built)]) == 1
    out = capsys.readouterr().out
    assert f"NOT CONVERTED: newsdesk models convert {BART} --model-dir {built}" in out
