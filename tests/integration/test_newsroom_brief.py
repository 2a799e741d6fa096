"""A brief a newsroom can trust, through real grpc.aio servers on the tiny models:
sentence alignment and bullet provenance (spans that index real text and cover it),
house style on every English output (desk rules applied once through the chain),
per-item Translate results, short-article briefs, the shortfall note counting the
source article, and bench/summary_checks.py's bullet rules on owned articles.
Outputs of random models are noise: the tests check spans, counts and codes.
"""

from __future__ import annotations

import grpc
import pytest

from newsdesk.common.v1 import common_pb2
from newsdesk.summarization.v1 import summarization_pb2, summarization_pb2_grpc
from newsdesk.translation.v1 import translation_pb2, translation_pb2_grpc
from services.common.text.glossary import DEFAULT_HOUSE_STYLE, Glossary
from tests.conftest import serve, summarizer_binding, translator_binding

UK = (
    "Уряд України ухвалив нове рішення щодо підтримки громад. У понеділок у Києві "
    "відбулася зустріч міністрів.\n\n  За даними агентства, обсяг експорту збільшився.  \n"
    "Мер пообіцяв відбудувати школи до вересня."
)
# One sentence over the tiny model's window: translated in several pieces.
LONG_UK = " ".join(["Уряд ухвалив нове рішення щодо підтримки громад,"] * 80) + "."
HOUSE = "Russian forces shelled Kharkov and Odessa overnight, officials in Kiev said."
EN = (
    f"{HOUSE} The attack on Kiev's suburbs followed strikes on Zaporozhye in 2022, "
    "according to the regional governor.\n\nIn March, officials in Lugansk said 3 people "
    "had been killed. The mayor of Nikolaev promised to rebuild 12 schools by September, "
    "the city council reported."
)
VARIANTS = [e.variant for e in Glossary.from_tsv(DEFAULT_HOUSE_STYLE).entries if not e.keeps]


def assert_cover(text: str, spans: list[tuple[int, int]]) -> None:
    """The spans index real text (no leading or trailing space), are in order, do not
    overlap, and leave out nothing but whitespace."""
    position = 0
    for start, end in spans:
        assert position <= start < end <= len(text), (position, start, end)
        assert not text[position:start].strip(), f"text left out: {text[position:start]!r}"
        piece = text[start:end]
        assert piece == piece.strip() and piece
        position = end
    assert not text[position:].strip(), f"text left out at the end: {text[position:]!r}"


def has_variant(text: str) -> list[str]:
    import re

    return [v for v in VARIANTS if re.search(rf"(?<!\w){re.escape(v)}(?!\w)", text)]


@pytest.fixture
async def translation(translator):
    binding, runner = translator_binding(translator, max_chars=30_000, max_batch=8)
    s = await serve([binding])
    yield translation_pb2_grpc.TranslationServiceStub(s.channel)
    await s.channel.close()
    await s.running.stop()
    runner.close()


@pytest.fixture
async def summarization(writer, detector):
    binding, runner = summarizer_binding(writer, detector)
    s = await serve([binding])
    yield summarization_pb2_grpc.SummarizationServiceStub(s.channel)
    await s.channel.close()
    await s.running.stop()
    runner.close()


def span(s) -> tuple[int, int]:
    return (s.start, s.end)


async def test_alignment_covers_source_and_translation(translation) -> None:
    """Every source sentence is paired with its translation; source spans cover the
    document and target spans the translation, in order, nothing left out; a split
    sentence maps to several pieces, which cover it."""
    reply = await translation.Translate(
        translation_pb2.TranslateRequest(
            contents=[UK, LONG_UK, HOUSE], source_language_code="", include_alignment=True
        )
    )
    for source, t in zip([UK, LONG_UK, HOUSE], reply.translations, strict=True):
        alignment = list(t.alignment)
        assert len(alignment) == t.segments.source_segments
        assert_cover(source, [span(a.source) for a in alignment])
        assert_cover(t.translated_text, [span(a.target) for a in alignment])
        for a in alignment:
            assert a.pieces
            pieces = [span(p.source) for p in a.pieces]
            assert pieces[0][0] == a.source.start and pieces[-1][1] == a.source.end
            assert_cover(
                source[a.source.start : a.source.end],
                [(s - a.source.start, e - a.source.start) for s, e in pieces],
            )
            targets = [span(p.target) for p in a.pieces]
            assert targets[0][0] == a.target.start and targets[-1][1] == a.target.end
    uk, long_uk, _ = reply.translations
    assert [a.paragraph_index for a in uk.alignment] == [0, 0, 1, 2]
    assert len(long_uk.alignment) == 1 and len(long_uk.alignment[0].pieces) > 1
    # Without the flag, no alignment is sent.
    plain = await translation.Translate(translation_pb2.TranslateRequest(contents=[UK]))
    assert not plain.translations[0].alignment


async def test_stream_alignment_is_per_paragraph(translation) -> None:
    """TranslateStream: source offsets into the request, target offsets into the
    paragraph's own text."""
    paragraphs = [
        m
        async for m in translation.TranslateStream(
            translation_pb2.TranslateStreamRequest(
                content=UK, source_language_code="uk", include_alignment=True
            )
        )
    ]
    assert len(paragraphs) == 3
    sources = []
    for p in paragraphs:
        assert_cover(p.translated_text, [span(a.target) for a in p.alignment])
        sources += [span(a.source) for a in p.alignment]
    assert_cover(UK, sources)


async def test_house_style_in_translation_passthrough(translation) -> None:
    """English passthrough comes out in house style, counted; the per-request switch
    leaves it untouched; desk rules add to the glossary."""
    reply = await translation.Translate(
        translation_pb2.TranslateRequest(contents=[HOUSE], include_alignment=True)
    )
    t = reply.translations[0]
    assert t.translated_text == (
        "Russian forces shelled Kharkiv and Odesa overnight, officials in Kyiv said."
    )
    assert t.house_style.applied and t.house_style.replacements == 3
    assert {d.variant: d.count for d in t.house_style.details} == {
        "Kharkov": 1,
        "Odessa": 1,
        "Kiev": 1,
    }
    assert_cover(t.translated_text, [span(a.target) for a in t.alignment])
    off = await translation.Translate(
        translation_pb2.TranslateRequest(
            contents=[HOUSE], house_style=common_pb2.HouseStyleOptions(disabled=True)
        )
    )
    assert off.translations[0].translated_text == HOUSE
    # Passthrough keeps the spaces between sentences exactly (paragraphs stripped).
    spaced = "One sentence here.  Another  one follows.\n\n\tThird paragraph. "
    kept = await translation.Translate(translation_pb2.TranslateRequest(contents=[spaced]))
    assert kept.translations[0].translated_text == (
        "One sentence here.  Another  one follows.\n\nThird paragraph."
    )
    assert not off.translations[0].house_style.applied
    assert off.translations[0].house_style.replacements == 0
    desk = await translation.Translate(
        translation_pb2.TranslateRequest(
            contents=[HOUSE],
            house_style=common_pb2.HouseStyleOptions(
                extra_entries=[common_pb2.StyleEntry(variant="overnight", preferred="at night")]
            ),
        )
    )
    assert "Kharkiv" in desk.translations[0].translated_text
    assert "at night" in desk.translations[0].translated_text
    assert desk.translations[0].house_style.replacements == 4


@pytest.mark.parametrize(
    ("options", "field"),
    [
        (
            common_pb2.HouseStyleOptions(
                extra_entries=[common_pb2.StyleEntry(variant="Kiev", preferred="")]
            ),
            "house_style.extra_entries[0].preferred",
        ),
        (
            common_pb2.HouseStyleOptions(
                disabled=True,
                extra_entries=[common_pb2.StyleEntry(variant="Kiev", preferred="Kyiv")],
            ),
            "house_style.extra_entries",
        ),
    ],
)
async def test_bad_house_style_entry_is_invalid_argument(translation, options, field) -> None:
    from google.rpc import error_details_pb2

    from tests.conftest import status_detail

    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await translation.Translate(
            translation_pb2.TranslateRequest(contents=[HOUSE], house_style=options)
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    bad = status_detail(caught.value, error_details_pb2.BadRequest)
    assert bad is not None and bad.field_violations[0].field == field


# Kazakh: a language no model here reads (Belarusian is read by the zle models).
KK = "Үкімет елдің экономикасын қолдаудың жаңа шараларын дүйсенбіде жариялады."


async def test_partial_results_answer_per_document(translation) -> None:
    """With partial_results an empty or Kazakh document gets its own error (code,
    reason, field) and the rest are translated; without it the call fails as before."""
    contents = [UK, "", KK, HOUSE, "12345 !!!"]
    reply = await translation.Translate(
        translation_pb2.TranslateRequest(contents=contents, partial_results=True)
    )
    got = reply.translations
    assert len(got) == len(contents)
    assert not got[0].HasField("error") and got[0].translated_text.strip()
    assert got[0].source_language_code == "uk"
    assert got[1].error.code == "INVALID_ARGUMENT" and got[1].error.field == "contents[1]"
    assert not got[1].translated_text
    assert got[2].error.reason in ("UNSUPPORTED_LANGUAGE", "LANGUAGE_UNCERTAIN")
    assert got[2].error.field == "contents[2]"
    assert not got[3].HasField("error") and "Kharkiv" in got[3].translated_text
    assert got[4].error.code == "FAILED_PRECONDITION"
    assert got[4].error.reason == "LANGUAGE_UNCERTAIN" and got[4].error.field == "contents[4]"
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await translation.Translate(translation_pb2.TranslateRequest(contents=contents))
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    # A request-wide problem fails the whole call even with per-item results.
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await translation.Translate(
            translation_pb2.TranslateRequest(
                contents=[UK], source_language_code="de", partial_results=True
            )
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_summary_provenance_spans(summarization) -> None:
    """Sentences cover the article; windows are consecutive sentences; each bullet's
    sources index real sentences of the text, and the bullet is in house style."""
    reply = await summarization.Summarize(
        summarization_pb2.SummarizeRequest(
            text=EN, options=summarization_pb2.SummarizeOptions(bullet_count=3)
        )
    )
    sentences = [span(s) for s in reply.sentences]
    assert len(sentences) == reply.chunking.sentences
    assert_cover(EN, sentences)
    covered = []
    for w in reply.windows:
        covered += list(range(w.first_sentence, w.first_sentence + w.sentence_count))
        assert span(w.span) == (
            sentences[w.first_sentence][0],
            sentences[w.first_sentence + w.sentence_count - 1][1],
        )
    assert covered == list(range(len(sentences)))
    assert len(reply.bullet_sources) == len(reply.bullets) >= 1
    for bullet, source in zip(reply.bullets, reply.bullet_sources, strict=True):
        assert source.sentence_indexes
        for index, s in zip(source.sentence_indexes, source.spans, strict=True):
            assert span(s) == sentences[index]
        if not source.rewritten:  # the source sentence itself, in house style
            original = " ".join(EN[s.start : s.end] for s in source.spans)
            assert (
                bullet.split()[:3]
                == Glossary.from_tsv(DEFAULT_HOUSE_STYLE).rewrite(original).text.split()[:3]
            )
    for text in [reply.headline, reply.summary, *reply.bullets]:
        assert not has_variant(text), text
    assert reply.house_style.applied


async def test_house_style_off_leaves_summary_outputs(summarization) -> None:
    """disabled=true: the headline (the lead, on a random model) keeps "Kharkov"."""
    reply = await summarization.Summarize(
        summarization_pb2.SummarizeRequest(
            text=EN, house_style=common_pb2.HouseStyleOptions(disabled=True)
        )
    )
    assert not reply.house_style.applied and reply.house_style.replacements == 0
    styled = await summarization.Summarize(summarization_pb2.SummarizeRequest(text=EN))
    assert styled.headline == Glossary.from_tsv(DEFAULT_HOUSE_STYLE).rewrite(reply.headline).text


@pytest.mark.parametrize(
    "text",
    [
        "Russian forces shelled Kharkov overnight, officials in Kiev said on Monday.",
        "Russian forces shelled Kharkov overnight, officials said on Monday. The mayor "
        "said 12 people were hurt and three buildings were destroyed in the attack.",
    ],
    ids=["one-sentence", "two-sentences"],
)
async def test_short_article_brief(summarization, text: str) -> None:
    """One or two sentences: fewer bullets than asked, never the lead again, none
    repeating the summary or each other, and the reason in the response."""
    reply = await summarization.Summarize(
        summarization_pb2.SummarizeRequest(
            text=text, options=summarization_pb2.SummarizeOptions(bullet_count=4)
        )
    )
    assert len(reply.bullets) < 4
    assert reply.bullet_shortfall == summarization_pb2.BULLET_SHORTFALL_SHORT_ARTICLE
    assert "sentence" in reply.bullet_shortfall_detail
    assert len(set(reply.bullets)) == len(reply.bullets)
    assert all(0 not in b.sentence_indexes for b in reply.bullet_sources)
    assert reply.summary not in reply.bullets
    assert reply.headline.strip()


def client_config(servers):
    """A ClientConfig for the three in-process services (generous deadlines)."""
    from newsdesk_client import ClientConfig

    return ClientConfig(
        detector=servers["dt"].address,
        translator=servers["tr"].address,
        summarizer=servers["sm"].address,
        translate_timeout=120,
        summarize_timeout=120,
    )


CRIMEA = (
    "Russia annexed Crimea in 2014, and the Dniprovskyi district has been shelled since. "
    "Officials in Crimea's ports said 12 ships had left by March, according to Reuters. "
    "In 2019, the Dniprovskyi council had rebuilt 3 schools near the river, officials said. "
    "The governor said that Crimea would stay closed to visitors until June, Reuters reported."
)


@pytest.mark.parametrize(
    ("rule", "variant", "rendering"),
    [
        (("Crimea", "occupied Crimea"), "Crimea", "occupied Crimea"),
        (("Dniprovskyi", "Dniprovskyi-X"), "Dniprovskyi", "Dniprovskyi-X"),
    ],
    ids=["crimea", "dniprovskyi"],
)
async def test_desk_rule_applies_once_through_the_chain(three_servers, rule, variant, rendering):
    """A desk rule whose rendering contains its variant applies once in a brief: the
    translator styles the text, and the summarizer leaves what is styled as it is."""
    from newsdesk_client import AsyncNewsdeskClient

    async with AsyncNewsdeskClient(client_config(three_servers)) as client:
        brief = await client.brief(CRIMEA, source_language="en", style_entries=dict([rule]))
    assert brief.english_text.count(rendering) == CRIMEA.count(variant)
    doubled = rendering.replace(variant, rendering)  # "occupied occupied Crimea"
    for text in [brief.english_text, brief.headline, brief.summary, *brief.bullets]:
        assert doubled not in text, text
    # Every variant in the brief is inside its rendering (the headline and bullets are
    # drawn from the styled English text).
    for text in [brief.headline, *brief.bullets]:
        assert text.count(variant) == text.count(rendering), text
    assert any(rendering in text for text in [brief.headline, *brief.bullets])
    translate = {(v, p): n for v, p, n in brief.house_style["translate"].details}
    summarize = {(v, p): n for v, p, n in brief.house_style["summarize"].details}
    assert translate[rule] == CRIMEA.count(variant)
    assert rule not in summarize  # nothing left to rewrite


async def test_brief_shortfall_counts_the_source_article(three_servers) -> None:
    """A translated brief short of bullets counts the source article's sentences (the
    tiny model's English joins some), not the English text's."""
    from newsdesk_client import AsyncNewsdeskClient
    from services.common.models.corpus import article
    from services.common.text.segment import document_spans

    text = article("uk", 6)
    async with AsyncNewsdeskClient(client_config(three_servers)) as client:
        brief = await client.brief(text, source_language="uk", bullet_count=5)
    assert len(document_spans(text)) == 6
    assert brief.shortfall_detail, brief.bullets
    assert "the article has 6 sentences" in brief.shortfall_detail, brief.shortfall_detail


async def test_bench_checks_on_owned_articles(three_servers) -> None:
    """bench/summary_checks.py's checks on owned English articles (3-40 sentences)
    through the chain: no bullet ends in a cut, runs over the limit or repeats the
    headline, the summary or another bullet; every short brief names its reason."""
    from bench.summary_checks import check_briefs
    from services.common.models.corpus import article

    articles = [article("en", n) for n in (3, 4, 5, 8, 14, 40)]
    report = await check_briefs(client_config(three_servers), articles)
    assert report["failed"] == 0 and report["briefs"] == len(articles)
    assert report["bullets_breaking_a_rule"] == dict.fromkeys(report["bullets_breaking_a_rule"], 0)
    assert report["rules_broken"] == 0
    reasons = report["short_of_bullets_by_reason"]
    assert sum(reasons.values()) == report["briefs_short_of_bullets"] >= 1
    assert "UNNAMED" not in reasons
