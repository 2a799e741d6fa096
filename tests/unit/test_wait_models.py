"""wait_models: what a model service's init container checks before the service starts."""

from __future__ import annotations

from services.common.engines.base import EngineSettings
from services.tools.wait_models import main, missing
from services.translator.build_local import TINY_SPEC as MARIAN


def test_reports_a_missing_conversion_then_nothing(model_dir, tmp_path, monkeypatch) -> None:
    """A conversion absent for the configured compute type is reported with its
    command; present models report nothing; the CLI exits 1 on timeout, 0 when ready."""
    assert missing(model_dir, [MARIAN], EngineSettings()) == []
    absent = missing(model_dir, [MARIAN], EngineSettings("ctranslate2", "int8_float32"))
    assert len(absent) == 1 and "newsdesk models convert" in absent[0]
    monkeypatch.setenv("NEWSDESK_MODEL_DIR", str(model_dir))
    monkeypatch.setenv("NEWSDESK_TRANSLATOR_MODEL_UK", str(MARIAN))
    monkeypatch.setenv("NEWSDESK_TRANSLATOR_MODEL_RU", str(MARIAN))
    assert main(["translator", "--timeout", "1", "--interval", "0.1"]) == 0
    monkeypatch.setenv("NEWSDESK_MODEL_DIR", str(tmp_path))
    assert main(["translator", "--timeout", "0.3", "--interval", "0.1"]) == 1
