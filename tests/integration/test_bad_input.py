"""Bad input, one table through real servers (in-process grpc.aio on 127.0.0.1:0, the
tiny models): every case gets a defined answer — a result, or the right status with a
detail naming the field and the limit — and nothing crashes, hangs or drops text."""

from __future__ import annotations

from dataclasses import dataclass

import grpc
import pytest
from google.rpc import error_details_pb2

from newsdesk.common.v1 import common_pb2
from newsdesk.language.v1 import language_pb2, language_pb2_grpc
from newsdesk.summarization.v1 import summarization_pb2, summarization_pb2_grpc
from newsdesk.translation.v1 import translation_pb2, translation_pb2_grpc
from services.common.models.corpus import article
from tests.conftest import (
    long_document,
    serve,
    status_detail,
    translator_binding,
)

UK = "Київ сьогодні вранці зазнав масованої атаки дронів, повідомили у міській адміністрації."
RU = "Москва заявила о новых санкциях против стран Запада и пообещала ответить."
EN = "The city council approved the new budget after a long debate on Tuesday."
KK = "Үкімет елдің экономикасын қолдаудың жаңа шараларын дүйсенбіде жариялады."
BE = "Мінск сёння ўвечары абвясціў пра новыя санкцыі супраць краін Захаду і паабяцаў адказаць."
BG = "София обяви днес нови мерки за подкрепа на земеделците, засегнати от сушата."
DE = "Die Bundesregierung hat heute neue Maßnahmen zur Unterstützung der Landwirte beschlossen."
LONG_SENTENCE = " ".join(["місто", "влада", "люди", "вулиця", "зима"] * 200)[:5000]
LONG_DOC = long_document("uk", 49_000)[:49_000]


@dataclass(frozen=True)
class Case:
    """A request and its defined answer: OK (with checks) or a code naming a field."""

    service: str
    request: object
    code: grpc.StatusCode = grpc.StatusCode.OK
    field: str = ""  # a BadRequest field violation must name this
    needle: str = ""  # the message must contain this (e.g. the limit)
    reason: str = ""  # the ErrorInfo reason
    keeps: tuple[str, ...] = ()  # OK: these source words must survive
    # OK (summarizer): bullets at least; a one-sentence text has none, and says why
    min_bullets: int = 3


def tr(contents, source="", target="", **extra) -> translation_pb2.TranslateRequest:
    return translation_pb2.TranslateRequest(
        contents=contents, source_language_code=source, target_language_code=target, **extra
    )


def term_entry(term: str, english: str = "Kyiv") -> translation_pb2.TermEntry:
    return translation_pb2.TermEntry(language_code="uk", term=term, english=english)


def sm(text, **options) -> summarization_pb2.SummarizeRequest:
    return summarization_pb2.SummarizeRequest(
        text=text, options=summarization_pb2.SummarizeOptions(**options)
    )


def dt(texts, top_k=0) -> language_pb2.DetectLanguageRequest:
    return language_pb2.DetectLanguageRequest(texts=texts, top_k=top_k)


INVALID = grpc.StatusCode.INVALID_ARGUMENT
PRECONDITION = grpc.StatusCode.FAILED_PRECONDITION
ARTICLE = article("en", 3)

CASES = {
    # translator
    "tr-no-documents": Case("tr", tr([]), INVALID, "contents"),
    "tr-empty-text": Case("tr", tr([""]), INVALID, "contents[0]"),
    "tr-beams-0": Case("tr", tr(["Так."], "uk", num_beams=0), INVALID, "num_beams", "1"),
    "tr-beams-9": Case("tr", tr(["Так."], "uk", num_beams=9), INVALID, "num_beams", "8"),
    "tr-bad-style-entry": Case(
        "tr",
        tr(
            ["Так."],
            "uk",
            house_style=common_pb2.HouseStyleOptions(
                extra_entries=[common_pb2.StyleEntry(variant="Kiev\t", preferred="Kyiv")]
            ),
        ),
        INVALID,
        "house_style.extra_entries[0].variant",
        reason="BAD_GLOSSARY_ENTRY",
    ),
    "tr-whitespace-only": Case("tr", tr([" \n\t "]), INVALID, "contents[0]"),
    # extra terms that would match every word, or empty text, anywhere
    **{
        f"tr-extra-term-{name}": Case(
            "tr",
            tr([UK], "uk", extra_terms=[term_entry(term)]),
            INVALID,
            "extra_terms[0].term",
            needle,
            reason="BAD_GLOSSARY_ENTRY",
        )
        for name, term, needle in (
            ("star", "*", "letters"),
            ("short-stem", "Ки*", "3 letters"),
            ("inner-star", "Ки*їв", "may only end a word"),
            ("one-letter", "в", "2 letters"),
        )
    },
    "tr-over-the-cost-bound": Case(
        "tr", tr([LONG_DOC] * 8, "uk"), INVALID, needle="split", reason="REQUEST_TOO_LARGE"
    ),
    "tr-long-source-code": Case(
        "tr",
        tr([UK], "SECRETUSERTEXT Мій пароль " * 200),
        INVALID,
        "source_language_code",
        "BCP 47",
        reason="BAD_LANGUAGE_CODE",
    ),
    "tr-long-target-code": Case(
        "tr", tr([UK], "uk", "x" * 3000), INVALID, "target_language_code", "3000-character"
    ),
    "tr-long-term-language": Case(
        "tr",
        tr([UK], "uk", extra_terms=[translation_pb2.TermEntry(language_code="й" * 500)]),
        INVALID,
        "extra_terms[0].language_code",
        reason="BAD_LANGUAGE_CODE",
    ),
    "tr-extra-term-inflected-ok": Case("tr", tr([UK], "uk", extra_terms=[term_entry("Київ*")])),
    "tr-10-mb-text": Case("tr", tr(["ї" * 5_000_000]), INVALID, "contents[0]", "50000"),
    "tr-10000-items": Case("tr", tr(["так"] * 10_000), INVALID, "contents", "8"),
    "tr-digits-only-detected": Case(
        "tr", tr(["2024 13 45 600"]), PRECONDITION, "contents[0]", reason="LANGUAGE_UNCERTAIN"
    ),
    "tr-digits-only-uk": Case("tr", tr(["2024 13 45 600"], "uk")),
    "tr-punctuation-only": Case("tr", tr(["!!! ??? ... ,,, ;;"]), PRECONDITION, "contents[0]"),
    "tr-emoji-heavy": Case("tr", tr([f"🔥🔥🔥 {UK} 🇺🇦🇺🇦 😢"])),
    # Mixed by paragraph: each paragraph from its own language (issue 26).
    "tr-mixed-uk-ru-en-detected": Case("tr", tr([f"{UK} {UK}\n\n{RU}\n\n{EN}"])),
    "tr-mixed-uk-ru-en-as-uk": Case("tr", tr([f"{UK} {UK}\n\n{RU}\n\n{EN}"], "uk")),
    "tr-kazakh": Case("tr", tr([KK]), INVALID, "contents[0]", reason="UNSUPPORTED_LANGUAGE"),
    "tr-bulgarian": Case("tr", tr([BG]), INVALID, "contents[0]", reason="UNSUPPORTED_LANGUAGE"),
    "tr-german": Case("tr", tr([DE]), INVALID, "contents[0]", reason="UNSUPPORTED_LANGUAGE"),
    "tr-control-characters": Case("tr", tr([f"{UK}\x00\x07\x1b[31m {UK}"])),
    "tr-html-markup": Case("tr", tr([f"<p><b>{UK}</b></p><script>x()</script>"])),
    "tr-5000-char-sentence": Case("tr", tr([LONG_SENTENCE], "uk")),
    "tr-bad-source-language": Case("tr", tr([UK], "xx"), INVALID, "source_language_code"),
    "tr-bad-target-language": Case("tr", tr([UK], "", "de"), INVALID, "target_language_code"),
    "tr-english-passthrough": Case("tr", tr([EN]), keeps=("council", "budget")),
    # summarizer
    "sm-empty-text": Case("sm", sm(""), INVALID, "text"),
    "sm-whitespace-only": Case("sm", sm("  \n "), INVALID, "text"),
    "sm-10-mb-text": Case("sm", sm("a" * 10_000_000), INVALID, "text", "60000"),
    "sm-not-english": Case("sm", sm(f"{UK} {UK} {UK}"), PRECONDITION, "text", reason="NOT_ENGLISH"),
    # Three sentences: the lead is the headline's, and one that ends in markup is not
    # a whole sentence, so one bullet at least (and the shortfall says why).
    "sm-html-markup": Case("sm", sm(f"<div>{ARTICLE}</div>"), min_bullets=1),
    "sm-control-characters": Case("sm", sm(f"{ARTICLE}\x00\x1b[0m"), min_bullets=1),
    "sm-emoji-heavy": Case("sm", sm(f"🔥 {ARTICLE} 😢😢"), min_bullets=1),
    "sm-digits-only": Case("sm", sm("2024 13 45 600 " * 20), min_bullets=0),
    "sm-summary-words-0": Case(
        "sm", sm(ARTICLE, summary_max_words=0), INVALID, "options.summary_max_words", "10"
    ),
    "sm-summary-words-401": Case(
        "sm", sm(ARTICLE, summary_max_words=401), INVALID, "options.summary_max_words", "400"
    ),
    "sm-headline-words-2": Case(
        "sm", sm(ARTICLE, headline_max_words=2), INVALID, "options.headline_max_words", "3"
    ),
    "sm-headline-words-31": Case(
        "sm", sm(ARTICLE, headline_max_words=31), INVALID, "options.headline_max_words", "30"
    ),
    "sm-bullets-2": Case("sm", sm(ARTICLE, bullet_count=2), INVALID, "options.bullet_count", "3"),
    "sm-bullets-6": Case("sm", sm(ARTICLE, bullet_count=6), INVALID, "options.bullet_count", "5"),
    "sm-beams-0": Case("sm", sm(ARTICLE, num_beams=0), INVALID, "options.num_beams", "1"),
    "sm-beams-negative": Case("sm", sm(ARTICLE, num_beams=-3), INVALID, "options.num_beams", "1"),
    "sm-beams-9": Case("sm", sm(ARTICLE, num_beams=9), INVALID, "options.num_beams", "8"),
    "sm-bullet-words-9": Case(
        "sm", sm(ARTICLE, bullet_max_words=9), INVALID, "options.bullet_max_words", "10..100"
    ),
    "sm-bullet-words-101": Case(
        "sm", sm(ARTICLE, bullet_max_words=101), INVALID, "options.bullet_max_words", "10..100"
    ),
    "sm-bullet-words-10": Case("sm", sm(ARTICLE, bullet_max_words=10), min_bullets=0),
    "sm-source-sentences-0": Case(
        "sm",
        summarization_pb2.SummarizeRequest(text=ARTICLE, source_sentences=0),
        INVALID,
        "source_sentences",
        "1..100000",
    ),
    # detector
    "dt-no-texts": Case("dt", dt([]), INVALID, "texts"),
    "dt-empty-text-is-undetermined": Case("dt", dt([""])),
    "dt-10000-items": Case("dt", dt(["так"] * 10_000), INVALID, "texts", "64"),
    "dt-10-mb-text": Case("dt", dt(["ї" * 5_000_000]), INVALID, "texts[0]", "10000"),
    "dt-top-k-negative": Case("dt", dt([UK], top_k=-1), INVALID, "top_k"),
    "dt-top-k-huge": Case("dt", dt([UK], top_k=1000), INVALID, "top_k"),
    "dt-control-characters": Case("dt", dt([f"\x00\x07{UK}"])),
    "dt-digits-only": Case("dt", dt(["2024 13 45"])),
}


@pytest.fixture
def servers(three_servers):
    """The three services in-process, with the tests' limits."""
    return three_servers


def call(served, case: Case):
    channel = served[case.service].channel
    if case.service == "tr":
        return translation_pb2_grpc.TranslationServiceStub(channel).Translate(
            case.request, timeout=120
        )
    if case.service == "sm":
        return summarization_pb2_grpc.SummarizationServiceStub(channel).Summarize(
            case.request, timeout=120
        )
    return language_pb2_grpc.LanguageServiceStub(channel).DetectLanguage(case.request, timeout=60)


@pytest.mark.parametrize("name", sorted(CASES))
async def test_bad_input(servers, name: str, caplog) -> None:
    """Each case gets its defined answer; no user text reaches the INFO logs."""
    import logging

    caplog.set_level(logging.INFO)
    case = CASES[name]
    try:
        await _check(servers, case)
    finally:
        logged = " ".join(str(r.msg) for r in caplog.records if r.levelno >= logging.INFO)
        for text in (UK, RU, EN, BE, KK, BG, DE, LONG_SENTENCE[:40]):
            assert text[:30] not in logged


async def _check(servers, case: Case) -> None:
    if case.code != grpc.StatusCode.OK:
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await call(servers, case)
        assert err.value.code() == case.code, err.value.details()
        assert case.needle in err.value.details()
        assert "Traceback" not in err.value.details()
        bad = status_detail(err.value, error_details_pb2.BadRequest)
        info = status_detail(err.value, error_details_pb2.ErrorInfo)
        if case.field:
            named = {v.field for v in bad.field_violations} if bad else set()
            assert case.field in named or (info and info.metadata.get("field") == case.field), (
                named,
                info,
            )
        if case.reason:
            assert info is not None and info.reason == case.reason
        return
    reply = await call(servers, case)
    if case.service == "tr":
        (translation,) = reply.translations
        assert translation.translated_text.strip()
        assert translation.segments.truncated is False
        assert translation.segments.source_segments == translation.segments.translated_segments
        for word in case.keeps:
            assert word in translation.translated_text
    elif case.service == "sm":
        assert reply.headline.strip() and reply.summary.strip()
        assert case.min_bullets <= len(reply.bullets) <= 5
        if len(reply.bullets) < reply_bullet_count(case):
            assert reply.bullet_shortfall and reply.bullet_shortfall_detail
    else:
        assert len(reply.detections) == len(case.request.texts)


def reply_bullet_count(case: Case) -> int:
    """The bullets a summarizer case asked for (the server's default: 4)."""
    options = case.request.options
    return options.bullet_count if options.HasField("bullet_count") else 4


async def test_lone_surrogates_are_refused_by_the_client_before_sending() -> None:
    """A text holding a lone surrogate is refused by the client itself, naming the field
    and position; nothing goes on the wire (no server is needed to answer)."""
    from newsdesk_client import AsyncNewsdeskClient, ClientConfig, NewsdeskError

    config = ClientConfig(
        detector="127.0.0.1:9", translator="127.0.0.1:9", summarizer="127.0.0.1:9"
    )
    async with AsyncNewsdeskClient(config) as client:
        for call_ in (
            client.translate_many(["fine", "bad \udc80 text"]),
            client.detect_many(["bad \ud800"]),
            client.summarize("bad \udfff"),
        ):
            with pytest.raises(NewsdeskError) as err:
                await call_
            assert err.value.code == "INVALID_ARGUMENT"
            assert "lone surrogate" in str(err.value)
            assert err.value.violations[0][0] in {"contents[1]", "texts[0]", "text"}


async def test_invalid_utf8_on_the_wire_is_refused(servers, caplog) -> None:
    """A request whose string field is not UTF-8 (a client that skips protobuf's
    checks) cannot be parsed: INVALID_ARGUMENT with reason MALFORMED_REQUEST, logged
    as one rejected line with its request id (no gRPC traceback), for the unary and the
    streaming RPC; the service keeps serving."""
    import logging

    caplog.set_level(logging.DEBUG)
    # TranslateRequest field 1 (contents) / TranslateStreamRequest field 1 (content),
    # length-delimited, bytes that are not UTF-8.
    raw = b"\x0a\x04\xff\xfe\xc3\x28"
    channel = servers["tr"].channel
    unary = channel.unary_unary(
        "/newsdesk.translation.v1.TranslationService/Translate",
        request_serializer=lambda b: b,
        response_deserializer=translation_pb2.TranslateResponse.FromString,
    )
    stream = channel.unary_stream(
        "/newsdesk.translation.v1.TranslationService/TranslateStream",
        request_serializer=lambda b: b,
        response_deserializer=translation_pb2.TranslateStreamResponse.FromString,
    )
    for send in (lambda: unary(raw, timeout=10), lambda: _drain(stream(raw, timeout=10))):
        caplog.clear()
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await send()
        assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert "bad UTF-8" in err.value.details()
        info = status_detail(err.value, error_details_pb2.ErrorInfo)
        assert info is not None and info.reason == "MALFORMED_REQUEST"
        assert not any(r.exc_info for r in caplog.records)
        assert "Traceback" not in caplog.text
        rejected = [r for r in caplog.records if "rpc.rejected" in r.getMessage()]
        assert len(rejected) == 1 and "request_id" in rejected[0].getMessage()
    reply = await call(servers, CASES["tr-english-passthrough"])
    assert reply.translations[0].translated_text


async def _drain(stream) -> None:
    async for _ in stream:
        pass


async def test_invalid_utf8_before_authentication_logs_no_traceback(
    translator, tmp_path, caplog
) -> None:
    """With a token file, a caller with no token sending bad UTF-8 is answered
    UNAUTHENTICATED and leaves no traceback in the log (anyone could fill it)."""
    import logging

    caplog.set_level(logging.DEBUG)
    tokens = tmp_path / "tokens"
    tokens.write_text("a-token\n")
    binding, built = translator_binding(translator)
    served = await serve([binding], token_file=str(tokens))
    try:
        method = served.channel.unary_unary(
            "/newsdesk.translation.v1.TranslationService/Translate",
            request_serializer=lambda b: b,
            response_deserializer=translation_pb2.TranslateResponse.FromString,
        )
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await method(b"\x0a\x04\xff\xfe\xc3\x28", timeout=10)
        assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED
        assert not any(r.exc_info for r in caplog.records)
        assert "Traceback" not in caplog.text
    finally:
        await served.channel.close()
        await served.running.stop()
        built.close()


async def test_message_over_the_size_cap_is_refused_by_grpc(servers) -> None:
    """A request larger than MAX_MESSAGE_BYTES (16 MiB in the tests) is refused by gRPC
    before any work: RESOURCE_EXHAUSTED."""
    request = tr(["a" * (17 * 1024 * 1024)])
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await translation_pb2_grpc.TranslationServiceStub(servers["tr"].channel).Translate(
            request, timeout=30
        )
    assert err.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
