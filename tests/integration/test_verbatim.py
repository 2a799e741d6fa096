"""Links, e-mail addresses, @mentions, #hashtags, emoji and inline code through a real
translator service on the tiny model: masked, and restored byte for byte in place by
the stand-in that copies its input the way a trained model copies placeholders; the
bare tiny model (which drops placeholders) has each loss counted and flagged, never
silently published; the alignment still covers every sentence."""

from __future__ import annotations

import contextlib

import pytest

from newsdesk.translation.v1 import translation_pb2
from services.common.text.verbatim import verbatim_spans
from tests.conftest import WrappedEngine
from tests.translator_servers import Copying, over, serving

# A Telegram channel post as channels write them (invented).
POST = (
    "⚡️ Сили ППО збили 12 дронів над Києвом уночі 🇺🇦\n\n"
    "Деталі: https://t.me/example_news/4821 та https://www.example.com.ua/news/2024/03/30/7448/ "
    "(фото). Пишіть нам: tips@example.com.ua або @example_bot.\n\n"
    "#новини #Київ 👍🏽 👨‍👩‍👧 Команда `curl -I https://example.org` працює."
)
KEPT = [POST[v.start : v.end] for v in verbatim_spans(POST)]


@contextlib.asynccontextmanager
async def served(translator, engine_type=Copying, **env):
    engine = engine_type(translator.engines["uk"])
    async with serving(over(engine), cache_mb=0, **env) as stub:
        yield engine, stub


def test_the_post_holds_every_kind() -> None:
    kinds = {v.kind for v in verbatim_spans(POST)}
    assert kinds == {"link", "email", "mention", "hashtag", "emoji", "code"}
    assert "https://www.example.com.ua/news/2024/03/30/7448/" in KEPT  # no trailing ")"
    assert "`curl -I https://example.org`" in KEPT  # code wins over the link in it


async def test_every_kept_span_comes_back_byte_for_byte(translator) -> None:
    async with served(translator) as (engine, stub):
        reply = await stub.Translate(
            translation_pb2.TranslateRequest(
                contents=[POST], source_language_code="uk", include_alignment=True
            )
        )
    t = reply.translations[0]
    for kept in KEPT:
        assert t.translated_text.count(kept) == POST.count(kept), kept
    assert t.segments.verbatim_protected == len(KEPT)
    assert t.segments.verbatim_restored == len(KEPT) and t.segments.verbatim_dropped == 0
    # The model never saw them.
    assert not any("t.me/example_news" in seen or "@example_bot" in seen for seen in engine.seen)
    # The alignment covers every sentence: each source sentence has a target span.
    assert t.segments.source_segments == len(t.alignment) > 0
    assert all(a.target.end > a.target.start for a in t.alignment)


async def test_the_switch_leaves_them_to_the_model(translator) -> None:
    async with served(translator, verbatim="false") as (engine, stub):
        reply = await stub.Translate(
            translation_pb2.TranslateRequest(contents=[POST], source_language_code="uk")
        )
    assert reply.translations[0].segments.verbatim_protected == 0
    assert any("@example_bot" in seen for seen in engine.seen)


async def test_a_lost_link_is_counted_retried_and_flagged(translator) -> None:
    async with served(translator, WrappedEngine) as (_, stub):
        reply = await stub.Translate(
            translation_pb2.TranslateRequest(contents=[POST], source_language_code="uk")
        )
    report = reply.translations[0].segments
    assert report.verbatim_protected == len(KEPT)
    assert report.verbatim_dropped + report.verbatim_restored == len(KEPT)
    if report.verbatim_dropped:
        assert any("term_dropped" in f.reasons for f in report.flags)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Див. www.example.com.", ["www.example.com"]),
        ("Посилання (https://example.com/a_(b)) тут.", ["https://example.com/a_(b)"]),
        ("Ціна 5# і a#b не хештеги, C# теж.", []),
        ("Пошта a.b+c@mail.example.org, не @ab.", ["a.b+c@mail.example.org"]),
        ("Прапори 🇺🇦🇵🇱 і сердечко ❤️ та 1️⃣.", ["🇺🇦🇵🇱", "❤️", "1️⃣"]),
    ],
)
def test_spans(text, expected) -> None:
    assert [text[v.start : v.end] for v in verbatim_spans(text)] == expected
