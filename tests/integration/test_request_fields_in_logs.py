"""User text never reaches a log line or an error at length, through real servers: a
long, secret-looking value in every string field of every RPC gets its defined answer
(language codes are refused as short BCP 47 tags first), every error fits the client's
trailer limit with the right code, and no log line at any level holds the value."""

from __future__ import annotations

import logging
from collections.abc import Callable

import grpc
import pytest

from newsdesk.common.v1 import common_pb2
from newsdesk.language.v1 import language_pb2, language_pb2_grpc
from newsdesk.summarization.v1 import summarization_pb2, summarization_pb2_grpc
from newsdesk.translation.v1 import translation_pb2, translation_pb2_grpc
from services.common.models.corpus import article

MARK = "SECRETUSERTEXT"
SECRET = f"{MARK} Мій пароль qwerty-4711, не кажи нікому. " * 80  # ~4,000 characters
HUGE_CODE = f"{MARK} " + "Мій пароль " * 130_000  # ~1.4 MB, as in the report
UK = "Київ сьогодні вранці зазнав масованої атаки дронів, повідомили у міській адміністрації."
INVALID = grpc.StatusCode.INVALID_ARGUMENT
OK = grpc.StatusCode.OK


def style(variant: str = "Kiev", preferred: str = "Kyiv") -> common_pb2.HouseStyleOptions:
    return common_pb2.HouseStyleOptions(
        extra_entries=[common_pb2.StyleEntry(variant=variant, preferred=preferred)]
    )


def term(language: str = "uk", word: str = "Азов", english: str = "Azov"):
    return translation_pb2.TermEntry(language_code=language, term=word, english=english)


def tr(**kw) -> translation_pb2.TranslateRequest:
    values = {"contents": [UK], "source_language_code": "uk", "house_style": style()}
    values["extra_terms"] = [term()]
    values.update(kw)
    return translation_pb2.TranslateRequest(**values)


def ts(**kw) -> translation_pb2.TranslateStreamRequest:
    values = {"content": UK, "source_language_code": "uk", "house_style": style()}
    values.update(kw)
    return translation_pb2.TranslateStreamRequest(**values)


def sm(**kw) -> summarization_pb2.SummarizeRequest:
    values = {"text": article("en", 3), "house_style": style()}
    values.update(kw)
    return summarization_pb2.SummarizeRequest(**values)


# (service, request, the codes this case may answer). Every string field of every RPC.
CASES: dict[str, tuple[str, Callable[[str], object], set[grpc.StatusCode]]] = {
    "translate-contents": ("tr", lambda v: tr(contents=[v]), {OK}),
    "translate-source-code": ("tr", lambda v: tr(source_language_code=v), {INVALID}),
    "translate-target-code": ("tr", lambda v: tr(target_language_code=v), {INVALID}),
    "translate-style-variant": ("tr", lambda v: tr(house_style=style(variant=v)), {INVALID}),
    "translate-style-preferred": ("tr", lambda v: tr(house_style=style(preferred=v)), {INVALID}),
    "translate-term-language": ("tr", lambda v: tr(extra_terms=[term(language=v)]), {INVALID}),
    "translate-term": ("tr", lambda v: tr(extra_terms=[term(word=v)]), {INVALID}),
    "translate-term-english": ("tr", lambda v: tr(extra_terms=[term(english=v)]), {INVALID}),
    "stream-content": ("ts", lambda v: ts(content=v), {OK}),
    "stream-source-code": ("ts", lambda v: ts(source_language_code=v), {INVALID}),
    "stream-target-code": ("ts", lambda v: ts(target_language_code=v), {INVALID}),
    "stream-style-variant": ("ts", lambda v: ts(house_style=style(variant=v)), {INVALID}),
    "stream-style-preferred": ("ts", lambda v: ts(house_style=style(preferred=v)), {INVALID}),
    # Ukrainian text to the English summarizer: refused as not English (by design).
    "summarize-text": ("sm", lambda v: sm(text=v), {grpc.StatusCode.FAILED_PRECONDITION}),
    "summarize-style-variant": ("sm", lambda v: sm(house_style=style(variant=v)), {INVALID}),
    "summarize-style-preferred": ("sm", lambda v: sm(house_style=style(preferred=v)), {INVALID}),
    "detect-texts": ("dt", lambda v: language_pb2.DetectLanguageRequest(texts=[v]), {OK}),
}


@pytest.fixture
def servers(three_servers):
    """The three services in-process, with the tests' limits."""
    return three_servers


async def call(served, service: str, request) -> grpc.StatusCode:
    """Send one request; its status code (raises nothing)."""
    try:
        if service == "tr":
            stub = translation_pb2_grpc.TranslationServiceStub(served["tr"].channel)
            await stub.Translate(request, timeout=120)
        elif service == "ts":
            stub = translation_pb2_grpc.TranslationServiceStub(served["tr"].channel)
            async for _ in stub.TranslateStream(request, timeout=120):
                pass
        elif service == "sm":
            stub_sm = summarization_pb2_grpc.SummarizationServiceStub(served["sm"].channel)
            await stub_sm.Summarize(request, timeout=120)
        else:
            stub_dt = language_pb2_grpc.LanguageServiceStub(served["dt"].channel)
            await stub_dt.DetectLanguage(request, timeout=60)
    except grpc.aio.AioRpcError as err:
        assert MARK not in (err.details() or ""), err.details()[:300]
        assert len(err.details() or "") <= 1000
        return err.code()
    return OK


@pytest.mark.parametrize("name", sorted(CASES))
async def test_a_secret_in_any_field_never_reaches_a_log(servers, name: str, caplog) -> None:
    """A ~4,000-character secret-looking value in this field gets its defined code, is
    not echoed by the error, and appears in no log line (any level)."""
    caplog.set_level(logging.DEBUG)
    service, make, codes = CASES[name]
    code = await call(servers, service, make(SECRET))
    assert code in codes, (name, code)
    logged = [r.getMessage() for r in caplog.records]
    assert not [line for line in logged if MARK in line or "пароль" in line]
    assert max(map(len, logged), default=0) < 4000


@pytest.mark.parametrize("field", ["source_language_code", "target_language_code"])
async def test_a_huge_language_code_is_refused_as_invalid_argument(
    servers, field: str, caplog
) -> None:
    """A 1.4 MB "language code" is INVALID_ARGUMENT (not RESOURCE_EXHAUSTED from an
    oversized trailer), says which field, and makes no long log line."""
    caplog.set_level(logging.DEBUG)
    stub = translation_pb2_grpc.TranslationServiceStub(servers["tr"].channel)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.Translate(tr(**{field: HUGE_CODE}), timeout=60)
    assert err.value.code() == INVALID
    assert field in err.value.details() and "BCP 47" in err.value.details()
    assert len(err.value.details()) < 400
    assert all(len(r.getMessage()) < 2000 for r in caplog.records)
    assert not any(MARK in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("code", "answer"),
    [("uk", OK), ("UK", OK), ("en-GB", INVALID), ("ukr", INVALID), ("u", INVALID)],
    ids=["uk", "upper-case", "unsupported-tag", "three-letter-unsupported", "one-letter"],
)
async def test_short_tags_keep_their_answers(servers, code: str, answer) -> None:
    """Well-formed tags are judged as before (served, or unsupported with the tag
    quoted); malformed ones are refused as bad codes."""
    stub = translation_pb2_grpc.TranslationServiceStub(servers["tr"].channel)
    try:
        await stub.Translate(tr(source_language_code=code), timeout=60)
        got = OK
    except grpc.aio.AioRpcError as err:
        got = err.code()
        if code in ("en-GB", "ukr"):
            assert repr(code.lower()) in err.details()  # short tags are still quoted
    assert got == answer
