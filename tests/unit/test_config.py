"""Configuration: environment variables are read strictly and bad values are named."""

from __future__ import annotations

import logging

import pytest

from services.common.config import ConfigError, ServerConfig, env_bool, env_choice, env_int
from services.detector.config import DetectorConfig


def test_defaults_without_environment() -> None:
    """An empty environment yields the documented defaults."""
    config = DetectorConfig.from_env({})
    assert config.server.port == 50051
    assert config.method == "combined"
    assert config.max_batch == 1024


@pytest.mark.parametrize(
    ("name", "value"),
    [
        pytest.param("NEWSDESK_DETECTOR_PORT", "http", id="port-not-int"),
        pytest.param("NEWSDESK_DETECTOR_PORT", "70000", id="port-too-big"),
        pytest.param("NEWSDESK_DETECTOR_METHOD", "cld3", id="unknown-method"),
        pytest.param("NEWSDESK_DETECTOR_MAX_BATCH", "0", id="batch-zero"),
        pytest.param("NEWSDESK_LOG_LEVEL", "LOUD", id="log-level"),
        pytest.param("NEWSDESK_DETECTOR_GRACE_SECONDS", "-1", id="negative-grace"),
    ],
)
def test_bad_value_names_variable(name: str, value: str) -> None:
    """A bad value raises ConfigError naming the variable and the value."""
    with pytest.raises(ConfigError) as err:
        DetectorConfig.from_env({name: value})
    assert name in str(err.value)
    assert value in str(err.value)


def test_prefix_is_per_service() -> None:
    """Server settings are read under the service's own prefix."""
    config = ServerConfig.from_env(
        {"NEWSDESK_TRANSLATOR_PORT": "6000", "NEWSDESK_DETECTOR_PORT": "7000"},
        "NEWSDESK_TRANSLATOR_",
        port=1,
        metrics_port=0,
    )
    assert config.port == 6000


def test_env_bool_and_int_parse() -> None:
    """Booleans accept the usual spellings; ints respect their registered bounds."""
    switch = "NEWSDESK_TRANSLATOR_TERMS"
    assert env_bool({switch: "yes"}, switch) is True
    assert env_bool({switch: "off"}, switch) is False
    with pytest.raises(ConfigError):
        env_bool({switch: "maybe"}, switch)
    assert env_int({"NEWSDESK_DETECTOR_MAX_QUEUE": " 5 "}, "NEWSDESK_DETECTOR_MAX_QUEUE") == 5


def test_unregistered_variable_cannot_be_read() -> None:
    """A name missing from the registry is a programming error, not a silent default."""
    with pytest.raises(KeyError, match="not in the registry"):
        env_int({"NEWSDESK_DETECTOR_NOT_A_SETTING": "5"}, "NEWSDESK_DETECTOR_NOT_A_SETTING")
    with pytest.raises(TypeError, match="Integer"):
        env_int({}, "NEWSDESK_DETECTOR_METHOD")


def test_callers_default_must_be_the_registrys() -> None:
    """env_choice checks a default or choices a caller still passes against the
    registry, so the registry stays the one source."""
    name = "NEWSDESK_TRANSLATOR_PLAUSIBILITY"
    assert env_choice({name: "flag"}, name, "retry", {"retry", "flag", "off"}) == "flag"
    with pytest.raises(ValueError, match="registry"):
        env_choice({}, name, "flag", {"retry", "flag", "off"})


def test_detection_threads_and_its_old_name() -> None:
    """NEWSDESK_DETECTOR_DETECTION_THREADS sets the detection threads; the old name,
    NEWSDESK_DETECTOR_WORKERS, still works when the new one is unset, and is reported
    for the start-up log; a bad old value names the old variable."""
    old, new = "NEWSDESK_DETECTOR_WORKERS", "NEWSDESK_DETECTOR_DETECTION_THREADS"
    assert DetectorConfig.from_env({new: "3"}).threads == 3
    config = DetectorConfig.from_env({old: "2"})
    assert config.threads == 2 and config.deprecated == ((old, new),)
    assert DetectorConfig.from_env({old: "2", new: "4"}).threads == 4
    with pytest.raises(ConfigError, match=old):
        DetectorConfig.from_env({old: "0"})


def test_old_name_is_logged_at_start(detector, caplog: pytest.LogCaptureFixture) -> None:
    """Building the detector with NEWSDESK_DETECTOR_WORKERS set logs config.deprecated
    naming the variable to use instead; its value sets the detection threads."""
    from services.detector.app import build

    caplog.set_level(logging.WARNING)
    built = build(DetectorConfig.from_env({"NEWSDESK_DETECTOR_WORKERS": "2"}), detector)
    try:
        logged = " ".join(str(r.msg) for r in caplog.records)
        assert "config.deprecated" in logged
        assert "NEWSDESK_DETECTOR_DETECTION_THREADS" in logged
        assert built.bindings[0].servicer.runner.workers == 2
    finally:
        built.close()


@pytest.mark.parametrize(
    "name",
    [
        "NEWSDESK_TRANSLATOR_MAX_QUEUE",
        "NEWSDESK_SUMMARIZER_MAX_QUEUE",
        "NEWSDESK_TRANSLATOR_MAX_BULK_SEGMENTS",
        "NEWSDESK_SUMMARIZER_MAX_BULK_SEGMENTS",
    ],
)
def test_removed_variables_are_not_read(name: str) -> None:
    """Variables that never did anything are no longer read (nor listed)."""
    from newsdesk_shared.env import REGISTRY
    from services.summarizer.config import SummarizerConfig
    from services.translator.config import TranslatorConfig

    assert name not in REGISTRY
    TranslatorConfig.from_env({name: "not a number"})
    SummarizerConfig.from_env({name: "not a number"})


def test_translator_workers_default_depends_on_the_engine() -> None:
    """Two workers by default on ctranslate2 (they share the weights); one on
    transformers (each worker loads a copy) unless WORKERS is set."""
    from services.translator.config import TranslatorConfig

    assert TranslatorConfig.from_env({}).batch.workers == 2
    hf = {"NEWSDESK_TRANSLATOR_ENGINE": "transformers"}
    assert TranslatorConfig.from_env(hf).batch.workers == 1
    assert TranslatorConfig.from_env(hf).engine.workers == 1
    both = {**hf, "NEWSDESK_TRANSLATOR_WORKERS": "2"}
    assert TranslatorConfig.from_env(both).batch.workers == 2
