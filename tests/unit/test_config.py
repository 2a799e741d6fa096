"""Configuration: environment variables are read strictly and bad values are named."""

from __future__ import annotations

import pytest

from services.common.config import ConfigError, ServerConfig, env_bool, env_int
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
    """Booleans accept the usual spellings; ints respect bounds."""
    assert env_bool({"X": "yes"}, "X", False) is True
    assert env_bool({"X": "off"}, "X", True) is False
    with pytest.raises(ConfigError):
        env_bool({"X": "maybe"}, "X", True)
    assert env_int({"X": " 5 "}, "X", 1, minimum=1, maximum=9) == 5
