"""Error mapping: domain exceptions become gRPC codes with google.rpc.Status details."""

from __future__ import annotations

import grpc
import pytest
from google.rpc import error_details_pb2

from services.common.errors import (
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    ResourceExhausted,
    UnsupportedLanguage,
    Violations,
)
from services.common.serving.interceptors import status_for


def _unpack(status, kind):
    out = []
    for detail in status.details:
        msg = kind()
        if detail.Unpack(msg):
            out.append(msg)
    return out


def test_invalid_argument_carries_field_violations() -> None:
    """BadRequest details name each bad field."""
    err = InvalidArgument("bad", violations=[FieldViolation("texts[3]", "too long")])
    code, status = status_for(err, "test")
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    (bad,) = _unpack(status, error_details_pb2.BadRequest)
    assert bad.field_violations[0].field == "texts[3]"


def test_unsupported_language_reason() -> None:
    """UnsupportedLanguage is INVALID_ARGUMENT with ErrorInfo reason UNSUPPORTED_LANGUAGE."""
    code, status = status_for(UnsupportedLanguage("be", "source_language_code", ["uk"]), "t")
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    (info,) = _unpack(status, error_details_pb2.ErrorInfo)
    assert info.reason == "UNSUPPORTED_LANGUAGE"
    assert info.metadata["language"] == "be"


def test_resource_exhausted_has_retry_info() -> None:
    """Overload answers carry a RetryInfo delay."""
    code, status = status_for(ResourceExhausted("busy", retry_after_s=2.5), "t")
    assert code == grpc.StatusCode.RESOURCE_EXHAUSTED
    (retry,) = _unpack(status, error_details_pb2.RetryInfo)
    assert retry.retry_delay.ToMilliseconds() == 2500


@pytest.mark.parametrize(
    ("error", "code"),
    [
        pytest.param(FailedPrecondition("x"), grpc.StatusCode.FAILED_PRECONDITION, id="precond"),
        pytest.param(InvalidArgument("x"), grpc.StatusCode.INVALID_ARGUMENT, id="invalid"),
    ],
)
def test_code_mapping(error, code) -> None:
    """Each domain error maps to its status code."""
    assert status_for(error, "t")[0] == code


def test_violations_collects_all() -> None:
    """Violations raises once, listing every recorded field."""
    v = Violations()
    v.add("a", "x")
    v.add("b", "y")
    with pytest.raises(InvalidArgument) as err:
        v.raise_if_any(reason="BAD_THING")
    assert [x.field for x in err.value.violations] == ["a", "b"]
    assert "and 1 more" in err.value.message
    assert err.value.reason == "BAD_THING"


def test_a_long_value_is_never_echoed_at_length() -> None:
    """Messages, violations and metadata are clipped where an error is made, and a
    request value is quoted only when it is short."""
    from services.common.errors import (
        MAX_DESCRIPTION_CHARS,
        MAX_MESSAGE_CHARS,
        MAX_METADATA_CHARS,
        FieldViolation,
        shown,
    )

    secret = "SECRET " * 5000
    error = InvalidArgument(secret, violations=[FieldViolation("f", secret)], value=secret)
    assert len(error.message) == MAX_MESSAGE_CHARS and error.message.endswith("…")
    assert len(error.violations[0].description) == MAX_DESCRIPTION_CHARS
    assert len(error.metadata["value"]) == MAX_METADATA_CHARS
    assert shown("uk") == "'uk'" and shown(secret) == f"a {len(secret)}-character value"
    assert shown("line\nbreak") == "a 10-character value"
