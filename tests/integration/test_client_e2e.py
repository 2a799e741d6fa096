"""End to end: the client and CLI against the three real services (separate processes,
tiny locally built models). Outputs are noise; the tests check languages, structure,
request ids, errors and lifecycle. A test that kills a service starts it again on its
port before it ends, so the tests pass in any order.
"""

from __future__ import annotations

import json
import time

import pytest

from newsdesk_client import AsyncNewsdeskClient, NewsdeskClient, NewsdeskError
from newsdesk_client.cli.main import main as cli_main
from tests.conftest import flores_documents, seed_article, stack_args, stack_config

UK = (
    "Уряд України ухвалив нове рішення щодо підтримки громад. У понеділок у Києві "
    "відбулася зустріч міністрів.\n\nЗа даними агентства, обсяг експорту збільшився."
)
RU = "Правительство России объявило о новых мерах поддержки. Эксперты предупреждают о зиме."
EN = (
    "The government announced new measures on Monday. Officials said the plan would cost "
    "3 billion dollars. In 2019, a similar plan was dropped, according to the ministry.\n\n"
    "Experts warned of a difficult winter. The mayor promised to rebuild schools by September."
)
# Kazakh: a language no model here reads (Belarusian is read by the zle models).
KK = "Үкімет елдің экономикасын қолдаудың жаңа шараларын дүйсенбіде жариялады."


def assert_brief(brief, language: str) -> None:
    assert brief.language == language
    assert brief.english_text.strip()
    assert brief.headline.strip()
    assert brief.summary.strip()
    assert len(brief.bullets) <= 5
    # A random model's translation may read as one or two sentences: then fewer
    # bullets (maybe none), never padding, and the reason is given.
    assert brief.bullets or brief.bullet_shortfall == "SHORT_ARTICLE"
    assert len(brief.sources) == len(brief.bullets)
    assert brief.translated == (language != "en")
    assert set(brief.timings_ms) >= {"detect", "summarize", "total"}
    assert brief.models["summarize"].id == "newsdesk-local/bart-tiny-cnn"


def test_brief_uk_ru_en_owned_text(stack) -> None:
    """Owned uk, ru and en articles: right language, English text, full brief."""
    with NewsdeskClient(stack_config(stack)) as client:
        for text, lang in ((UK, "uk"), (RU, "ru"), (EN, "en")):
            brief = client.brief(text)
            assert_brief(brief, lang)
        assert client.brief(EN).english_text == EN  # English passes through unchanged


@pytest.mark.shared
def test_brief_flores_and_seed(stack) -> None:
    """FLORES documents in uk and ru and the seed article in en brief end to end."""
    with NewsdeskClient(stack_config(stack)) as client:
        for lang in ("uk", "ru"):
            doc = flores_documents(lang, 1)[0]
            brief = client.brief(doc["text"])
            assert_brief(brief, lang)
            assert brief.models["translate"].id == "newsdesk-local/opus-mt-tiny-zle-en"
        brief = client.brief(seed_article())
        assert_brief(brief, "en")
        assert len(brief.bullets) >= 3


def test_same_request_id_logged_by_all_three(stack) -> None:
    """One brief sends one x-request-id to every hop, and each service logs it."""
    with NewsdeskClient(stack_config(stack)) as client:
        brief = client.brief(UK, request_id="e2e-req-7f3a")
    assert brief.request_id == "e2e-req-7f3a"
    time.sleep(0.3)
    for name in ("detector", "translator", "summarizer"):
        lines = (stack.log_dir / f"{name}.log").read_text(encoding="utf-8").splitlines()
        events = [json.loads(x) for x in lines if x.startswith("{")]
        assert any(
            e.get("event") == "rpc.completed" and e.get("request_id") == "e2e-req-7f3a"
            for e in events
        ), name


def test_brief_many_keeps_order_with_item_errors(stack) -> None:
    """brief_many returns input order; bad items carry a stage-named error."""
    texts = [UK, KK, EN, "   "]
    with NewsdeskClient(stack_config(stack)) as client:
        outcomes = client.brief_many(texts, concurrency=3)
    assert [o.index for o in outcomes] == [0, 1, 2, 3]
    assert outcomes[0].ok and outcomes[0].brief.language == "uk"
    assert outcomes[2].ok and outcomes[2].brief.language == "en"
    err = outcomes[1].error
    assert isinstance(err, NewsdeskError)
    assert (err.stage, err.code, err.reason) == (
        "translate",
        "INVALID_ARGUMENT",
        "UNSUPPORTED_LANGUAGE",
    )
    assert str(err).startswith("translate: INVALID_ARGUMENT: unsupported language 'kk'")
    assert isinstance(outcomes[3].error, NewsdeskError)
    assert outcomes[3].error.code == "INVALID_ARGUMENT"


def test_item_errors_name_the_callers_item(stack) -> None:
    """Per-item errors name the caller's item (texts[5]), never contents[0]."""
    texts = [EN, UK, RU, EN, UK, "   "]
    with NewsdeskClient(stack_config(stack)) as client:
        briefs = client.brief_many(texts, concurrency=3)
        translations = client.translate_each([UK, "", RU])
    error = briefs[5].error
    assert isinstance(error, NewsdeskError) and all(b.ok for b in briefs[:5])
    assert str(error).startswith("translate: INVALID_ARGUMENT: texts[5]: must not be empty")
    assert [field for field, _ in error.violations] == ["texts[5]"]
    assert "contents" not in str(error) + repr(error.violations)
    assert str(translations[1].error).startswith("translate: INVALID_ARGUMENT: texts[1]: ")


async def test_async_client_single_calls(stack) -> None:
    """detect, translate and summarize on their own return the client's dataclasses."""
    async with AsyncNewsdeskClient(stack_config(stack)) as client:
        detection = await client.detect(RU)
        assert (detection.language, detection.reliable) == ("ru", True)
        translation = await client.translate(RU)
        assert translation.source_language == "ru"
        assert translation.segments.source_segments == translation.segments.translated_segments
        summary = await client.summarize(EN, bullet_count=3)
        assert summary.headline and summary.summary and len(summary.bullets) == 3
        with pytest.raises(NewsdeskError) as err:
            await client.summarize(UK)
        assert err.value.stage == "summarize"
        assert err.value.code == "FAILED_PRECONDITION"


def test_cli_brief_file_text_and_json(stack, tmp_path, capsys) -> None:
    """`newsdesk brief FILE` prints a seed-shaped brief; --json prints JSON."""
    article = tmp_path / "a.txt"
    article.write_text(UK_SOURCES, encoding="utf-8")
    assert cli_main(["brief", str(article), *stack_args(stack)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("Source: Ukrainian (uk), detected") and lines[1] == ""
    lines = lines[2:]  # the brief, shaped like the seed
    assert lines[0].strip() and lines[1] == ""
    # The tiny model's English has no whole sentence but the headline's: no bullet
    # (it would repeat the headline), and the note in brackets says why.
    assert any(line.startswith(("• ", "(")) for line in lines)
    assert (
        cli_main(["brief", str(article), "--json", "--with-translation", *stack_args(stack)]) == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["language"] == "uk" and data["english_text"]
    assert data["bullets"] or data["bullet_shortfall_detail"]


def test_cli_brief_folder(stack, tmp_path, capsys) -> None:
    """`newsdesk brief DIR` writes .json and .md per file; a failed file does not stop
    the rest; a summary line ends the run."""
    (tmp_path / "1.txt").write_text(UK, encoding="utf-8")
    (tmp_path / "2.txt").write_text(KK, encoding="utf-8")
    (tmp_path / "3.txt").write_text(EN, encoding="utf-8")
    code = cli_main(["brief", str(tmp_path), "--concurrency", "2", *stack_args(stack)])
    err = capsys.readouterr().err
    assert code == 1
    assert (tmp_path / "1.json").exists() and (tmp_path / "1.md").exists()
    assert (tmp_path / "3.json").exists()
    assert not (tmp_path / "2.json").exists()
    assert "done 2, failed 1" in err
    assert "2.txt: translate: INVALID_ARGUMENT" in err


def test_cli_health(stack, capsys) -> None:
    """`newsdesk health` reports SERVING for each service."""
    assert cli_main(["health", *stack_args(stack)]) == 0
    assert capsys.readouterr().out.count("SERVING") == 3


def test_eval_translation_plumbing(stack, tmp_path, capsys) -> None:
    """`newsdesk eval translation` scores a source<TAB>reference file with sacrebleu
    through the translator. Random weights: the score is noise; the plumbing is not."""
    data = tmp_path / "uk-en.tsv"
    data.write_text(
        "source\treference\n"
        "Уряд ухвалив нове рішення.\tThe government adopted a new decision.\n"
        "Мер пообіцяв відновити школи.\tThe mayor promised to rebuild schools.\n"
        "Експерти попереджають про зиму.\tExperts warn about winter.\n",
        encoding="utf-8",
    )
    assert (
        cli_main(["eval", "translation", "--data", str(data), "--batch", "2", *stack_args(stack)])
        == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert report["sentences"] == 3
    assert 0.0 <= report["bleu"] <= 100.0 and 0.0 <= report["chrf"] <= 100.0
    assert report["bleu_signature"].startswith("nrefs:1")


@pytest.mark.shared
def test_eval_translation_on_flores(stack, capsys) -> None:
    """The shared FLORES devtest file goes through the same command."""
    from tests.conftest import shared_path

    path = shared_path("eval/mt/flores200-devtest.ru-en.tsv")
    assert (
        cli_main(["eval", "translation", "--data", str(path), "--limit", "24", *stack_args(stack)])
        == 0
    )
    assert json.loads(capsys.readouterr().out)["sentences"] == 24


def test_killed_translator_is_a_translate_error_then_recovers(stack) -> None:
    """With the translator gone, a brief fails fast with stage translate (UNAVAILABLE),
    naming the address and how to start it; once it is back on its port, the next
    brief succeeds through the same client."""
    proc = stack.processes["translator"]
    proc.kill()
    proc.wait(timeout=10)
    try:
        with NewsdeskClient(stack_config(stack)) as client:
            started = time.monotonic()
            with pytest.raises(NewsdeskError) as err:
                client.brief(UK)
            assert time.monotonic() - started < 60
            assert err.value.stage == "translate"
            assert err.value.code == "UNAVAILABLE"
            assert stack.address("translator") in str(err.value)
            assert "newsdesk serve" in str(err.value)
            stack.start_only(("translator",), timeout=120)
            # The client reconnects within its reconnect backoff (at most 2 s).
            deadline = time.monotonic() + 30
            while True:
                try:
                    brief = client.brief(UK)
                    break
                except NewsdeskError as again:
                    assert again.code == "UNAVAILABLE" and time.monotonic() < deadline
            assert brief.language == "uk" and brief.headline
    finally:
        if stack.processes["translator"].poll() is not None:  # leave the stack whole
            stack.start_only(("translator",), timeout=120)


HOUSE_EN = (
    "Russian forces shelled Kharkov and Odessa overnight, officials in Kiev said. The "
    "attack on Kiev's suburbs followed strikes on Zaporozhye in 2022, according to the "
    "regional governor. In March, officials in Lugansk said 3 people had been killed. "
    "The mayor of Nikolaev promised to rebuild 12 schools by September, the council said."
)
# Four paragraphs: a random model's translation has no sentence ends, so the
# summarizer reads one sentence per paragraph, and bullets need more than two.
UK_SOURCES = (
    "Уряд України ухвалив нове рішення щодо підтримки громад у понеділок. За даними "
    "агентства, у 2022 році обсяг експорту збільшився на 12 відсотків.\n\nМер пообіцяв "
    "відбудувати 40 шкіл до вересня, повідомила міська рада.\n\nРаніше, у березні, "
    "міністр заявив, що уряд виділить 3 мільярди гривень.\n\nУ 2019 році подібний план "
    "скасували, повідомило міністерство."
)


def test_brief_bullets_carry_their_original_sentences(stack) -> None:
    """Each bullet of a uk brief carries the uk sentence(s) it came from: real text of
    the article at the spans given, and English spans into the translation."""
    with NewsdeskClient(stack_config(stack)) as client:
        brief = client.brief(UK_SOURCES)
        english = client.brief(EN)
    # The tiny model's English is noise without whole sentences: a bullet would only
    # repeat the headline, so there is none, and the note counts the uk sentences.
    assert brief.language == "uk" and (brief.bullets or brief.bullet_shortfall_detail)
    assert brief.bullets or "the article has 5 sentences" in brief.bullet_shortfall_detail
    assert len(brief.sources) == len(brief.bullets)
    # English passthrough: each bullet's original is the article's own sentence.
    assert english.bullets and len(english.sources) == len(english.bullets)
    for source in english.sources:
        assert [EN[a:b] for a, b in source.english] == [o.text for o in source.original]
    # The tiny model's noise fails the plausibility gate: the brief carries the flags.
    assert brief.flags and all(f.reasons for f in brief.flags)
    assert brief.flag_warning().startswith("warning: the translation of")
    for source in brief.sources:
        assert source.english and source.original
        for start, end in source.english:
            assert brief.english_text[start:end].strip()
        for sentence in source.original:
            start, end = sentence.span
            assert UK_SOURCES[start:end] == sentence.text and sentence.text.strip()


def test_english_chain_comes_out_in_house_style(stack) -> None:
    """English input through the whole chain: the passthrough text, headline, summary
    and bullets are in house style, with the rewrites counted; the per-request switch
    leaves the text untouched."""
    with NewsdeskClient(stack_config(stack)) as client:
        brief = client.brief(HOUSE_EN)
        plain = client.brief(HOUSE_EN, house_style=False)
    assert brief.language == "en" and not brief.translated
    for text in (brief.english_text, brief.headline, brief.summary, *brief.bullets):
        for variant in ("Kharkov", "Odessa", "Kiev", "Zaporozhye", "Lugansk", "Nikolaev"):
            assert variant not in text, (variant, text)
    assert "Kharkiv" in brief.english_text and "Kyiv's suburbs" in brief.english_text
    assert brief.house_style["translate"].replacements == 7
    assert "Kharkiv" in brief.headline  # a random model's headline falls back to the lead
    assert any("Luhansk" in b or "Mykolaiv" in b or "Zaporizhzhia" in b for b in brief.bullets)
    assert plain.english_text == HOUSE_EN
    assert plain.house_style["translate"].replacements == 0
    assert not plain.house_style["summarize"].applied


def test_cli_brief_with_sources(stack, tmp_path, capsys) -> None:
    """`newsdesk brief --with-sources` prints each bullet with its original underneath;
    the JSON holds the spans; --style-entry adds a desk rule, --no-house-style drops all."""
    article = tmp_path / "a.txt"
    article.write_text(UK_SOURCES, encoding="utf-8")
    assert cli_main(["brief", str(article), "--with-sources", *stack_args(stack)]) == 0
    lines = capsys.readouterr().out.splitlines()
    for i, line in enumerate(lines):  # none on the tiny model (see above), or each
        if line.startswith("• "):  # with its uk original under it
            assert lines[i + 1].startswith("    [uk] ")
            assert lines[i + 1].removeprefix("    [uk] ") in UK_SOURCES
    plain = tmp_path / "plain.txt"
    plain.write_text(EN, encoding="utf-8")
    assert cli_main(["brief", str(plain), "--with-sources", *stack_args(stack)]) == 0
    lines = capsys.readouterr().out.splitlines()
    bullets = [i for i, line in enumerate(lines) if line.startswith("• ")]
    assert bullets
    for i in bullets:
        assert lines[i + 1].startswith("    [source] ")
        assert lines[i + 1].removeprefix("    [source] ") in EN
    assert cli_main(["brief", str(article), "--json", *stack_args(stack)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["sources"]) == len(data["bullets"])
    for source in data["sources"]:
        for original in source["original"]:
            start, end = original["span"]
            assert UK_SOURCES[start:end] == original["text"]
    english = tmp_path / "en.txt"
    english.write_text(HOUSE_EN, encoding="utf-8")
    args = ["brief", str(english), "--json", "--with-translation", *stack_args(stack)]
    assert cli_main([*args, "--style-entry", "overnight=at night"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "at night" in data["english_text"] and "Kharkiv" in data["english_text"]
    assert cli_main([*args, "--no-house-style"]) == 0
    assert json.loads(capsys.readouterr().out)["english_text"] == HOUSE_EN
    assert cli_main([*args, "--style-entry", "nonsense"]) == 2


def test_eval_summarization_plumbing(stack, tmp_path, capsys) -> None:
    """`newsdesk eval summarization` through the summarizer: ROUGE when references are
    given, reference-free checks always (noise scores; the figures' shape is checked)."""
    data = tmp_path / "articles.tsv"
    data.write_text(
        "article\treference\n"
        f"{EN.replace(chr(10), chr(92) + 'n')}\tThe government announced new measures.\n"
        f"{HOUSE_EN}\t\n",
        encoding="utf-8",
    )
    assert cli_main(["eval", "summarization", "--data", str(data), *stack_args(stack)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["articles"] == report["briefs"] == 2 and report["failed"] == 0
    assert report["with_reference"] == 1
    assert 0 <= report["rouge1"] <= 100 and 0 <= report["rougeL"] <= 100
    assert 0 <= report["grounded_share"] <= 1 and report["duplicate_bullets"] == 0
    assert report["bullets"] >= 1 and report["mean_summary_words"] > 0


@pytest.mark.shared
def test_eval_summarization_on_flores_english(stack, tmp_path, capsys) -> None:
    """The English side of the shared FLORES documents, without references: bullet
    selection is measurable on random weights (bullets fall back to the article's own
    sentences, so they are grounded and never duplicated)."""
    docs = flores_documents("uk", 12)
    data = tmp_path / "flores_en.tsv"
    data.write_text(
        "".join(d["reference_en"].replace("\n", "\\n") + "\t\n" for d in docs), encoding="utf-8"
    )
    assert cli_main(["eval", "summarization", "--data", str(data), *stack_args(stack)]) == 0
    report = json.loads(capsys.readouterr().out)
    print(report)
    assert report["briefs"] == 12 and "rouge1" not in report
    assert report["grounded_share"] >= 0.9
    assert report["duplicate_bullets"] == 0
