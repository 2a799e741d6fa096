"""Protected terms through a real translator on the tiny model. The random-weight
model does not copy placeholders, so its drops are reported, the pieces retried
without masking and flagged; a seam around the real engine that copies the
placeholders of its input into its output (as trained models do) shows them
restored with their fixed renderings."""

from __future__ import annotations

import contextlib
import re

import grpc
import pytest
from google.rpc import error_details_pb2

from newsdesk.translation.v1 import translation_pb2
from tests.conftest import WrappedEngine, status_detail
from tests.translator_servers import Rewriting, over, serving

UK = "ЗСУ збили 12 БПЛА над Харковом.\n\nСБУ затримала агента ГУР? Ні, ТЦК."


class KeepsPlaceholders(Rewriting):
    """The real engine; each output then carries the placeholders of its input, in
    order, the way a trained opus-mt model copies unknown tokens."""

    def rewrite(self, source, output, spec):
        kept = " ".join(re.findall(r"ZQ\d+", source))
        return f"{kept} {output}".strip()


@contextlib.asynccontextmanager
async def served(translator, engine_type, **env):
    """A real translator service over the tiny engine behind `engine_type`: yields the
    engine (what the model saw) and a stub."""
    engine = engine_type(translator.engines["uk"])
    async with serving(over(engine), cache_mb=0, **env) as stub:
        yield engine, stub


async def test_terms_are_masked_and_restored(translator) -> None:
    async with served(translator, KeepsPlaceholders) as (engine, stub):
        reply = await stub.Translate(
            translation_pb2.TranslateRequest(contents=[UK], source_language_code="uk")
        )
        t = reply.translations[0]
        report = t.segments
        assert report.terms_protected == 5  # ЗСУ, БПЛА, СБУ, ГУР, and ТЦК kept as is
        assert report.terms_restored == 5 and report.terms_dropped == report.terms_invented == 0
        for rendering in ("Armed Forces of Ukraine", "drone", "SBU", "HUR", "ТЦК"):
            assert rendering in t.translated_text
        assert "ZQ" not in t.translated_text
        # The model saw placeholders, never the terms.
        assert all("ЗСУ" not in text and "БПЛА" not in text for text in engine.seen)
        # The kept acronym is exempt from the script checks: no foreign_script for it.
        assert all("foreign_script" not in f.reasons for f in report.flags)


async def test_dropped_terms_are_reported_retried_unmasked_and_flagged(translator) -> None:
    async with served(translator, WrappedEngine) as (engine, stub):
        reply = await stub.Translate(
            translation_pb2.TranslateRequest(contents=[UK], source_language_code="uk")
        )
        report = reply.translations[0].segments
        assert report.terms_protected == 5
        assert report.terms_dropped + report.terms_restored == 5
        assert report.terms_dropped >= 1  # random weights do not copy placeholders
        assert report.retried_segments >= 1
        # The unmasked retry went to the model with the terms themselves.
        assert any("ЗСУ" in text for text in engine.seen)
        # Still without the rendering: flagged, never silently published.
        assert any("term_dropped" in f.reasons for f in report.flags)


async def test_request_terms_and_validation(translator) -> None:
    async with served(translator, KeepsPlaceholders) as (_engine, stub):
        reply = await stub.Translate(
            translation_pb2.TranslateRequest(
                contents=["Бригада Азов тримає оборону."],
                source_language_code="uk",
                extra_terms=[
                    translation_pb2.TermEntry(language_code="uk", term="Азов*", english="Azov")
                ],
            )
        )
        assert "Azov" in reply.translations[0].translated_text
        assert reply.translations[0].segments.terms_restored == 1
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await stub.Translate(
                translation_pb2.TranslateRequest(
                    contents=["Текст."],
                    source_language_code="uk",
                    extra_terms=[
                        translation_pb2.TermEntry(language_code="de", term="X", english="Y")
                    ],
                )
            )
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        bad = status_detail(caught.value, error_details_pb2.BadRequest)
        assert bad.field_violations[0].field == "extra_terms[0].language_code"


async def test_terms_off(translator) -> None:
    async with served(translator, KeepsPlaceholders, terms="false") as (engine, stub):
        reply = await stub.Translate(
            translation_pb2.TranslateRequest(contents=[UK], source_language_code="uk")
        )
        assert reply.translations[0].segments.terms_protected == 0
        assert any("ЗСУ" in text for text in engine.seen)


@pytest.mark.parametrize("plausibility", ["flag", "off"])
async def test_input_that_looks_like_a_placeholder_survives(translator, plausibility) -> None:
    """A user's own "ZQ12" or "ZQ1" is kept as written and every term lands where it
    was, whatever the gate does: look-alikes are masked as kept slots."""
    async with served(translator, KeepsPlaceholders, plausibility=plausibility) as (_, stub):
        for text, user_token in (
            ("Код ZQ12 і ЗСУ тримають позиції.", "ZQ12"),
            ("Код ZQ1, а потім СБУ.", "ZQ1"),
        ):
            reply = await stub.Translate(
                translation_pb2.TranslateRequest(contents=[text], source_language_code="uk")
            )
            t = reply.translations[0]
            words = re.findall(r"[\w-]+", t.translated_text)
            assert user_token in words, t.translated_text
            rendering = "SBU" if "СБУ" in text else "Armed Forces of Ukraine"
            assert t.translated_text.count(rendering) == 1, t.translated_text
            assert t.segments.terms_invented == 0 and t.segments.terms_dropped == 0
