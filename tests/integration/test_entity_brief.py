"""Names through the whole chain: real detector, translator and summarizer servers on the
tiny models, the translator's engine behind the stand-in that copies its input the way a
trained model copies placeholders (random weights carry no name through). One person in
three case forms comes back with one rendering in the translation, the summary and the
bullets; the brief's entity list gives all three source spans; the CLI prints them."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re

import pytest

from newsdesk_client import AsyncNewsdeskClient, ClientConfig
from newsdesk_client.cli.main import main
from tests.conftest import detector_binding, serve, summarizer_binding, translator_binding
from tests.translator_servers import Copying, over

pytest.importorskip("pymorphy3", reason="the entity layer needs the serve extra (pymorphy3)")

UK = (
    "Президент Володимир Зеленський заявив у понеділок, що уряд підготував новий план "
    "відновлення енергетики.\n\n"
    "Офіс Зеленського повідомив, що зустріч з міністрами відбулася у Києві. "
    "Зеленському передали лист від Андрія Єрмака про ремонт мереж. "
    "Міністри обговорили графік робіт на зиму."
)


@contextlib.asynccontextmanager
async def chain(detector, translator, writer):
    """The three services in-process, the translator over the copying stand-in."""
    bindings = [
        detector_binding(detector),
        translator_binding(over(Copying(translator.engines["uk"]), num_beams=2)),
        summarizer_binding(writer, detector),
    ]
    served = []
    try:
        for binding, _ in bindings:
            served.append(await serve([binding]))
        yield ClientConfig(
            detector=served[0].address,
            translator=served[1].address,
            summarizer=served[2].address,
            translate_timeout=120,
            summarize_timeout=120,
        )
    finally:
        for s in served:
            await s.channel.close()
            await s.running.stop()
        for _, built in bindings:
            built.close()


def spellings(text: str) -> list[str]:
    return re.findall(r"Zelensk\w*", text)


async def test_one_rendering_through_translation_summary_and_bullets(
    detector, translator, writer
) -> None:
    async with (
        chain(detector, translator, writer) as config,
        AsyncNewsdeskClient(config) as client,
    ):
        brief = await client.brief(UK, bullet_count=3)
    assert brief.language == "uk" and brief.translated
    (zelensky,) = [e for e in brief.entities if e.lemma == "зеленський"]
    assert zelensky.english == "Volodymyr Zelensky" and zelensky.how == "glossary"
    assert [UK[a:b] for a, b in zelensky.source] == [
        "Володимир Зеленський",
        "Зеленського",
        "Зеленському",
    ]
    assert zelensky.original == ("Володимир Зеленський", "Зеленського", "Зеленському")
    assert len(zelensky.target) == 3
    # One rendering everywhere the brief writes the name.
    assert spellings(brief.english_text) == ["Zelensky"] * 3
    for part in (brief.headline, brief.summary, *brief.bullets):
        assert set(spellings(part)) <= {"Zelensky"}, part
    assert brief.bullets and any("Zelensky" in b for b in brief.bullets)
    in_brief = brief.mentions(zelensky)
    assert any(part == "bullet" for part, *_ in in_brief)
    for part, index, start, end in in_brief:
        text = {"headline": brief.headline, "summary": brief.summary}.get(part)
        text = brief.bullets[index] if part == "bullet" else text
        assert text[start:end] in ("Zelensky", "Volodymyr Zelensky")
    data = brief.to_dict()
    (entry,) = [e for e in data["entities"] if e["lemma"] == "зеленський"]
    assert entry["source_spans"] == [list(s) for s in zelensky.source]
    assert entry["in_brief"] and entry["original"][0] == "Володимир Зеленський"
    printed = brief.to_text(entities=True, original_names=True)
    assert "Names:" in printed
    assert "Volodymyr Zelensky (Володимир Зеленський) — person, glossary; 3 in the source" in (
        printed
    )
    # The original spelling follows the first mention only.
    assert printed.count("(Володимир Зеленський)") == 2  # that mention, and the names list


async def test_cli_brief_entities_and_request_names(
    detector, translator, writer, tmp_path, capsys
) -> None:
    article = tmp_path / "article.txt"
    article.write_text(UK, encoding="utf-8")
    async with chain(detector, translator, writer) as config:
        flags = [
            f"--detector={config.detector}",
            f"--translator={config.translator}",
            f"--summarizer={config.summarizer}",
            "--timeout=120",
        ]
        code = await asyncio.to_thread(
            main, ["brief", str(article), "--entities", "--original-names", *flags]
        )
        out = capsys.readouterr().out
        assert code == 0, out
        assert "Names:" in out and "Andriy Yermak (Андрія Єрмака) — person, glossary" in out
        code = await asyncio.to_thread(
            main,
            ["brief", str(article), "--json", "--name", "uk:єрмак=A. Yermak", *flags],
        )
        data = json.loads(capsys.readouterr().out)
        assert code == 0
        (yermak,) = [e for e in data["entities"] if e["lemma"] == "єрмак"]
        assert yermak["how"] == "per-request" and yermak["english"] == "A. Yermak"
        code = await asyncio.to_thread(main, ["brief", str(article), "--name", "uk:єрмак", *flags])
        assert code == 2
        assert "LANG:LEMMA=ENGLISH" in capsys.readouterr().err
        code = await asyncio.to_thread(
            main, ["brief", str(article), "--json", "--names-off", *flags]
        )
        assert code == 0 and json.loads(capsys.readouterr().out)["entities"] == []


async def test_brief_reports_the_figures_check_and_refuses_when_strict(
    detector, translator, writer, tmp_path, capsys
) -> None:
    """The tiny summarizer writes noise with numbers the article never states: the
    brief's summary is flagged (it cannot be removed without emptying the summary),
    every article bullet carries its check, and the strict option refuses the brief."""
    from newsdesk_client import NewsdeskError

    async with chain(detector, translator, writer) as config:
        async with AsyncNewsdeskClient(config) as client:
            brief = await client.brief(UK, bullet_count=3)
            with pytest.raises(NewsdeskError) as refused:
                await client.brief(UK, bullet_count=3, reject_unsupported=True)
        article = tmp_path / "article.txt"
        article.write_text(UK, encoding="utf-8")
        flags = [
            f"--detector={config.detector}",
            f"--translator={config.translator}",
            f"--summarizer={config.summarizer}",
            "--timeout=120",
        ]
        code = await asyncio.to_thread(main, ["brief", str(article), *flags])
        err = capsys.readouterr().err
        strict = await asyncio.to_thread(
            main, ["brief", str(article), "--reject-unsupported", *flags]
        )
        strict_err = capsys.readouterr().err
    assert len(brief.bullet_checks) == len(brief.bullets)
    for text, check in zip(brief.bullets, brief.bullet_checks, strict=True):
        assert check is not None and check.figures_checked == len(re.findall(r"\d+", text))
    unsupported = brief.summary_check.figures_unsupported + brief.headline_check.figures_unsupported
    if brief.summary_check.flagged:  # the noise stated numbers the article does not
        assert unsupported and brief.summary_check.detail
        assert refused.value.reason == "UNSUPPORTED_FACTS"
        assert "figures check flagged" in err and code == 0
        assert strict == 1 and "figures or names the text does not" in strict_err
    data = brief.to_dict()["fact_checks"]
    assert len(data["bullets"]) == len(brief.bullets)
    assert data["summary"]["action"] == brief.summary_check.action
