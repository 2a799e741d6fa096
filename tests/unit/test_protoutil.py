"""The shared message builders (serving/protoutil.py): model and server info, the
call's deadline (the caller's, capped by the server's), timing, a request's house
style (a bad option is INVALID_ARGUMENT naming the field), its report, spans, and a
domain error as one item's ItemError."""

from __future__ import annotations

import contextvars
import time
from collections import Counter
from types import SimpleNamespace

import pytest

from newsdesk.common.v1 import common_pb2
from services import __version__
from services.common.errors import (
    FieldViolation,
    InvalidArgument,
    ResourceExhausted,
    ServiceError,
    UnsupportedLanguage,
)
from services.common.models.store import ModelRef
from services.common.serving.protoutil import (
    SERVER_DEADLINE,
    deadline_of,
    house_style_of,
    item_error,
    model_info,
    server_info,
    span,
    style_report,
    timing,
)
from services.common.text.glossary import Glossary, GlossaryEntry, StyleCounts

GLOSSARY = Glossary((GlossaryEntry("Kiev", "Kyiv"),))


def test_model_info_and_server_info() -> None:
    """ModelInfo copies id, revision and engine; ServerInfo carries the service name,
    this release's version, the models and the limits."""
    info = model_info(ModelRef("org/model", "abc123", "ctranslate2-int8"))
    assert (info.id, info.revision, info.engine) == ("org/model", "abc123", "ctranslate2-int8")
    server = server_info(
        "newsdesk.x.v1.XService", [info], max_chars=100, max_batch=8, max_concurrent_rpcs=3
    )
    assert server.service_name == "newsdesk.x.v1.XService"
    assert server.version == __version__
    assert list(server.models) == [info]
    limits = server.limits
    assert (limits.max_chars, limits.max_batch, limits.max_concurrent_rpcs) == (100, 8, 3)


def call(remaining: float | None) -> SimpleNamespace:
    """A servicer context whose caller has `remaining` seconds (None: no deadline)."""
    return SimpleNamespace(time_remaining=lambda: remaining)


@pytest.mark.parametrize(
    ("remaining", "cap_in", "expected_in"),
    [
        pytest.param(None, None, None, id="neither"),
        pytest.param(5.0, None, 5.0, id="caller-only"),
        pytest.param(20 * 365 * 86400.0, None, None, id="caller-unbounded"),
        pytest.param(None, 30.0, 30.0, id="server-only"),
        pytest.param(5.0, 30.0, 5.0, id="caller-sooner"),
        pytest.param(60.0, 30.0, 30.0, id="server-sooner"),
        pytest.param(20 * 365 * 86400.0, 30.0, 30.0, id="unbounded-capped"),
    ],
)
def test_deadline_is_the_callers_capped_by_the_servers(
    remaining: float | None, cap_in: float | None, expected_in: float | None
) -> None:
    """deadline_of is the sooner of the caller's deadline and the server's own limit
    (MAX_REQUEST_SECONDS), in time.monotonic() seconds; a "deadline" years away is
    no deadline; None only when neither is set."""

    def in_call() -> float | None:
        if cap_in is not None:
            SERVER_DEADLINE.set(time.monotonic() + cap_in)
        return deadline_of(call(remaining))

    now = time.monotonic()
    got = contextvars.copy_context().run(in_call)  # the cap stays inside this call
    if expected_in is None:
        assert got is None
    else:
        assert got is not None and got - now == pytest.approx(expected_in, abs=1.0)
    assert SERVER_DEADLINE.get() is None


def test_timing_measures_from_the_start() -> None:
    """total_ms runs from the perf_counter() start; queue and inference are as given."""
    message = timing(time.perf_counter() - 0.25, queue_ms=12.5, inference_ms=40.0)
    assert 250 <= message.total_ms < 60_000
    assert (message.queue_ms, message.inference_ms) == (12.5, 40.0)


def options(*entries: tuple[str, str], disabled: bool = False) -> common_pb2.HouseStyleOptions:
    return common_pb2.HouseStyleOptions(
        disabled=disabled,
        extra_entries=[common_pb2.StyleEntry(variant=v, preferred=p) for v, p in entries],
    )


def test_house_style_is_the_servers_glossary_plus_the_requests_rules() -> None:
    """Unset options give the server's glossary; extra entries apply on top (even with
    the server's glossary off); disabled gives no house style."""
    plain = house_style_of(options(), GLOSSARY, "house_style")
    assert plain.applied and plain.version == GLOSSARY.version
    assert plain.rewrite("Kiev and Odessa").text == "Kyiv and Odessa"
    extra = house_style_of(options(("Odessa", "Odesa")), GLOSSARY, "house_style")
    assert extra.rewrite("Kiev and Odessa").text == "Kyiv and Odesa"
    assert extra.version != GLOSSARY.version
    assert house_style_of(options(("Odessa", "Odesa")), None, "house_style").applied
    assert not house_style_of(options(disabled=True), GLOSSARY, "house_style").applied
    assert not house_style_of(options(), None, "house_style").applied


@pytest.mark.parametrize(
    ("entries", "disabled", "where", "problem"),
    [
        ([("Kharkov", "Kharkiv"), ("", "x")], False, "[1].variant", "is empty"),
        ([("Kharkov", " Kharkiv")], False, "[0].preferred", "whitespace"),
        ([("Lvov", "Lviv"), ("lvov", "Lwow")], False, "[1].variant", "given twice"),
        ([("Lvov", "Lviv")], True, "", "disabled=true"),
    ],
    ids=["empty-variant", "padded-preferred", "variant-twice", "extra-with-disabled"],
)
def test_a_bad_house_style_option_names_its_field(
    entries: list[tuple[str, str]], disabled: bool, where: str, problem: str
) -> None:
    """A bad extra entry is INVALID_ARGUMENT, reason BAD_GLOSSARY_ENTRY, with one field
    violation naming the entry under the request's prefix and saying what is wrong."""
    field = f"house_style.extra_entries{where}"
    with pytest.raises(InvalidArgument) as caught:
        house_style_of(options(*entries, disabled=disabled), GLOSSARY, "house_style")
    error = caught.value
    assert error.reason == "BAD_GLOSSARY_ENTRY"
    assert [v.field for v in error.violations] == [field]
    assert problem in error.violations[0].description
    assert error.message.startswith(field)


def test_style_report_lists_the_most_frequent_rule_first() -> None:
    """HouseStyleReport: applied, total replacements, one detail per rule (most
    frequent first) and the glossary version."""
    counts = StyleCounts(
        applied=True, counts=Counter({("Kiev", "Kyiv"): 1, ("Lvov", "Lviv"): 3}), version="v1"
    )
    report = style_report(counts)
    assert report.applied and report.replacements == 4 and report.glossary_version == "v1"
    assert [(d.variant, d.preferred, d.count) for d in report.details] == [
        ("Lvov", "Lviv", 3),
        ("Kiev", "Kyiv", 1),
    ]
    assert style_report(StyleCounts()) == common_pb2.HouseStyleReport()


def test_span_is_start_and_end() -> None:
    """(start, end) offsets become a TextSpan."""
    assert span((3, 17)) == common_pb2.TextSpan(start=3, end=17)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        pytest.param(
            InvalidArgument(
                "contents[2]: must not be empty",
                violations=[FieldViolation("contents[2]", "must not be empty")],
                reason="EMPTY_TEXT",
            ),
            ("INVALID_ARGUMENT", "EMPTY_TEXT", "contents[2]"),
            id="violation",
        ),
        pytest.param(
            UnsupportedLanguage("de", "contents[0].source_language", ["uk", "ru"]),
            ("INVALID_ARGUMENT", "UNSUPPORTED_LANGUAGE", "contents[0].source_language"),
            id="unsupported-language",
        ),
        pytest.param(
            ServiceError("refused", reason="LANGUAGE_MISMATCH", field="contents[1]"),
            ("INTERNAL", "LANGUAGE_MISMATCH", "contents[1]"),
            id="field-in-metadata",
        ),
        pytest.param(
            ResourceExhausted("busy", retry_after_s=2.0),
            ("RESOURCE_EXHAUSTED", "OVERLOADED", ""),
            id="no-field",
        ),
    ],
)
def test_item_error_carries_code_reason_field_and_message(
    error: ServiceError, expected: tuple[str, str, str]
) -> None:
    """One item's error says what the whole-call error would: the code's name, the
    reason, the field at fault (first violation, else the `field` metadata, else
    none) and the message."""
    message = item_error(error)
    assert (message.code, message.reason, message.field) == expected
    assert message.message == error.message
