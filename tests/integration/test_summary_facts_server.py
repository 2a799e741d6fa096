"""The figures check through a real grpc.aio summarizer on the tiny BART: a bullet with
an invented figure is caught (the model's rewrites are scripted over the tiny engine so
that they certainly invent one), the response's checks agree with the brief, and
reject_unsupported refuses a brief with a flagged part (FAILED_PRECONDITION,
UNSUPPORTED_FACTS, the figures in the ErrorInfo metadata)."""

from __future__ import annotations

import contextlib

import grpc
import pytest
from google.rpc import error_details_pb2

from newsdesk.summarization.v1 import summarization_pb2, summarization_pb2_grpc
from services.common.engines.base import Generated
from services.common.models.corpus import article
from services.common.text.factcheck import Source
from services.common.text.segment import first_sentence
from services.summarizer.summary import SummaryWriter
from tests.conftest import WrappedEngine, serve, status_detail, summarizer_binding

NB = "\u00a0"
ARTICLE = (
    "Russian drones struck the Ukrainian port of Odesa overnight, killing 3 people and "
    "injuring 12, regional governor Oleh Kiper said on Tuesday. "
    "Air-raid sirens sounded across the region at 4.40 am, and the attack lasted "
    "about two hours. "
    f"The strike damaged a grain terminal that handled 1{NB}200 tonnes a day, the port "
    "authority said. "
    "On March 30, 2021, the port signed a deal worth $2.5 billion with a Turkish operator "
    "to expand the terminal. "
    "Kiper said rescuers had worked through the night to reach people under the rubble. "
    "Grain exports through Odesa fell by 45 per cent last year, according to the ministry."
)
FLAGGED = summarization_pb2.FACT_ACTION_FLAGGED
REPLACED = summarization_pb2.FACT_ACTION_REPLACED


class InventingEngine(WrappedEngine):
    """The tiny engine's tokenizer and model id, but the writing is scripted: every
    headline or bullet rewrite puts a year the article never states (1931) in front of
    its source sentence; the summary is the input's first sentence, with that year too
    when `invent_in_summary` is set (a one-sentence summary: nothing can stand in)."""

    invent_in_summary = False

    def generate(self, inputs, spec, should_stop=None, on_done=None):
        self.calls += 1
        summary_job = spec.min_new_tokens > 1
        out = []
        for text in inputs:
            sentence = first_sentence(text)
            if not summary_job or self.invent_in_summary:
                sentence = f"In 1931, {sentence[0].lower()}{sentence[1:]}"
            out.append(Generated(sentence, self.count_tokens(text), 8))
        return out


@contextlib.asynccontextmanager
async def summarizer(writer, detector):
    """A real summarizer server over `writer`, and its stub."""
    binding, built = summarizer_binding(writer, detector)
    served = await serve([binding])
    try:
        yield summarization_pb2_grpc.SummarizationServiceStub(served.channel)
    finally:
        await served.channel.close()
        await served.running.stop()
        built.close()


def assert_consistent(reply, text: str) -> None:
    """One check per bullet; each part's figures_checked is what factcheck counts in the
    part as published; a part with unsupported figures or names says what it did."""
    source = Source(text)
    assert len(reply.bullet_checks) == len(reply.bullets)
    parts = [
        (reply.headline, reply.headline_check),
        (reply.summary, reply.summary_check),
        *zip(reply.bullets, reply.bullet_checks, strict=True),
    ]
    for published, check in parts:
        assert check.figures_checked == len(source.check(published).figures), published
        if check.figures_unsupported or check.names_unsupported:
            assert check.action != summarization_pb2.FACT_ACTION_UNSPECIFIED and check.detail
        if check.action != FLAGGED:
            assert source.check(published).supported, (published, check)


async def test_an_invented_figure_in_a_bullet_is_caught(writer, detector) -> None:
    """Through the server: every rewrite invents 1931; no bullet or headline carries it,
    the bullets are their source sentences, reported REPLACED with 1931."""
    engine = InventingEngine(writer.engine)
    async with summarizer(SummaryWriter(engine), detector) as stub:
        reply = await stub.Summarize(summarization_pb2.SummarizeRequest(text=ARTICLE), timeout=60)
    assert engine.calls >= 2
    assert reply.bullets and not any("1931" in b for b in [reply.headline, *reply.bullets])
    assert all(not source.rewritten for source in reply.bullet_sources)
    replaced = [c for c in reply.bullet_checks if c.action == REPLACED]
    assert replaced and all(list(c.figures_unsupported) == ["1931"] for c in replaced)
    assert reply.headline_check.action == REPLACED
    assert sum(c.figures_checked for c in reply.bullet_checks) >= 3
    assert_consistent(reply, ARTICLE)


async def test_reject_unsupported_refuses_a_flagged_brief(writer, detector) -> None:
    """A one-sentence summary stating 1931 cannot be removed: without the strict option
    the brief comes back with it FLAGGED; with it, FAILED_PRECONDITION /
    UNSUPPORTED_FACTS listing the figure under summary_check."""
    engine = InventingEngine(writer.engine)
    engine.invent_in_summary = True
    async with summarizer(SummaryWriter(engine), detector) as stub:
        request = summarization_pb2.SummarizeRequest(text=ARTICLE)
        reply = await stub.Summarize(request, timeout=60)
        assert reply.summary_check.action == FLAGGED and "1931" in reply.summary
        assert list(reply.summary_check.figures_unsupported) == ["1931"]
        assert_consistent(reply, ARTICLE)
        request.reject_unsupported = True
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stub.Summarize(request, timeout=60)
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    info = status_detail(refused.value, error_details_pb2.ErrorInfo)
    assert info is not None and info.reason == "UNSUPPORTED_FACTS"
    assert dict(info.metadata) == {"summary_check": "figures: 1931"}
    assert "summary_check" in refused.value.details()


async def test_the_tiny_models_brief_reports_its_checks(writer, detector) -> None:
    """The tiny model itself (noise): the brief's checks are consistent with its parts,
    and with reject_unsupported it is either refused UNSUPPORTED_FACTS or unflagged."""
    text = article("en", 8)
    async with summarizer(writer, detector) as stub:
        reply = await stub.Summarize(summarization_pb2.SummarizeRequest(text=text), timeout=60)
        assert_consistent(reply, text)
        flagged = any(
            c.action == FLAGGED
            for c in [reply.headline_check, reply.summary_check, *reply.bullet_checks]
        )
        strict = summarization_pb2.SummarizeRequest(text=text, reject_unsupported=True)
        if flagged:
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await stub.Summarize(strict, timeout=60)
            assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        else:
            assert (await stub.Summarize(strict, timeout=60)).summary == reply.summary
