"""The client and CLI as people use them, through the three real services on tiny
models: every service from the shell, folders (200 files, twice: the second run skips
them all; links leading outside; files that cannot be read or written; a service that
has gone), JSON Lines, exit codes, inputs refused with their name (not UTF-8, empty, a
path that does not exist), what a brief says about its source, the sync client inside
a running loop and from threads, the rest of the API (stream, info, language pairs,
summarize_many)."""

from __future__ import annotations

import asyncio
import errno
import io
import json
import os
import threading

import pytest

from newsdesk_client import AsyncNewsdeskClient, NewsdeskClient, NewsdeskError
from newsdesk_client.cli.folder import UNAVAILABLE_STOP
from newsdesk_client.cli.main import main as cli_main
from tests.conftest import stack_args, stack_config

UK = (
    "Уряд України ухвалив нове рішення щодо підтримки громад у понеділок.\n\n"
    "За даними агентства, у 2022 році обсяг експорту збільшився на 12 відсотків.\n\n"
    "Мер пообіцяв відбудувати 40 шкіл до вересня, повідомила міська рада.\n\n"
    "Раніше, у березні, міністр заявив, що уряд виділить 3 мільярди гривень."
)
RU = "Правительство России объявило о новых мерах поддержки. Эксперты ждут трудной зимы."
EN = (
    "The government announced new measures on Monday. Officials said the plan would cost "
    "3 billion dollars. In 2019, a similar plan was dropped, according to the ministry.\n\n"
    "Experts warned of a difficult winter. The mayor promised to rebuild schools by September."
)
# Kazakh: a language no model here reads (Belarusian is read by the zle models).
KK = "Үкімет елдің экономикасын қолдаудың жаңа шараларын дүйсенбіде жариялады."
BE = (
    "Урад Беларусі абвясціў пра новыя меры падтрымкі эканомікі краіны ў панядзелак. "
    "Эксперты чакаюць цяжкай зімы."
)


def test_translate_a_ukrainian_file(stack, tmp_path, capsys) -> None:
    """`newsdesk translate FILE` prints the English text; --json the details."""
    article = tmp_path / "a.txt"
    article.write_text(UK, encoding="utf-8")
    assert cli_main(["translate", str(article), *stack_args(stack)]) == 0
    captured = capsys.readouterr()
    out = captured.out
    assert out.strip() and out.count("\n\n") == 3  # four paragraphs kept
    # Random weights fail the plausibility gate: one line names the flagged sentences.
    warnings = [line for line in captured.err.splitlines() if "plausibility gate" in line]
    assert len(warnings) == 1 and "sentence 1 (" in warnings[0]
    assert cli_main(["translate", str(article), "--json", "--beams", "1", *stack_args(stack)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["source_language"] == "uk" and data["segments"]["paragraphs"] == 4
    with pytest.raises(SystemExit) as usage:  # not a language the chain reads
        cli_main(["translate", str(article), "--source-language", "de", *stack_args(stack)])
    assert usage.value.code == 2
    assert "invalid choice: 'de' (choose from 'uk', 'ru', 'en', 'be')" in capsys.readouterr().err


def test_summarize_an_english_file(stack, tmp_path, capsys) -> None:
    """`newsdesk summarize FILE` prints headline, summary and bullets."""
    article = tmp_path / "en.txt"
    article.write_text(EN, encoding="utf-8")
    args = ["summarize", str(article), "--bullets", "3", "--summary-words", "20"]
    assert cli_main([*args, *stack_args(stack)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].strip() and lines[1] == ""
    assert sum(line.startswith("• ") for line in lines) == 3
    assert cli_main([*args, "--jsonl", *stack_args(stack)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["bullets"]) == 3 == len(data["bullet_sources"])


def test_detect_from_stdin(stack, monkeypatch, capsys) -> None:
    """`newsdesk detect` reads stdin and shows the candidates; --json for scripts."""
    monkeypatch.setattr("sys.stdin", io.StringIO(RU))
    assert cli_main(["detect", "--top-k", "2", *stack_args(stack)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("ru ") and "reliable" in lines[0]
    assert len(lines) == 3  # the decision and two candidates
    monkeypatch.setattr("sys.stdin", io.StringIO(UK))
    assert cli_main(["detect", "-", "--json", *stack_args(stack)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["language"] == "uk" and data["reliable"] and len(data["candidates"]) == 3


def test_brief_a_folder_of_200_twice(stack, tmp_path, capsys) -> None:
    """200 files in a tree: --out mirrors it, --recursive finds them all; a failed
    file is in the failures file; a second run skips every file already done; --force
    redoes them."""
    source, out = tmp_path / "in", tmp_path / "out"
    for i in range(200):
        folder = source / f"day{i % 4}"
        folder.mkdir(parents=True, exist_ok=True)
        text = KK if i == 7 else (UK, RU, EN)[i % 3]
        (folder / f"{i:03}.txt").write_text(text, encoding="utf-8")
    args = ["brief", str(source), "--out", str(out), "--recursive", "--concurrency", "8"]
    code = cli_main([*args, *stack_args(stack)])
    err = capsys.readouterr().err
    assert code == 1, err  # one Kazakh file failed
    assert "done 199, failed 1, skipped 0" in err
    assert "\r" not in err and "progress: 200/200" in err  # line-based: not a terminal
    briefs = sorted(out.rglob("*.json"))
    assert len(briefs) == 199 and (out / "day0" / "000.md").exists()
    assert not (out / "day3" / "007.json").exists()
    failures = [json.loads(line) for line in (out / "newsdesk-failures.jsonl").open()]
    assert failures == [
        {
            "input": "day3/007.txt",
            "stage": "translate",
            "code": "INVALID_ARGUMENT",
            "reason": "UNSUPPORTED_LANGUAGE",
            "message": failures[0]["message"],
        }
    ]
    before = {p: p.stat().st_mtime_ns for p in briefs}
    code = cli_main([*args, *stack_args(stack)])
    err = capsys.readouterr().err
    assert code == 1 and "done 0, failed 1, skipped 199" in err  # only the failed one retried
    assert {p: p.stat().st_mtime_ns for p in briefs} == before  # nothing rewritten
    (source / "day3" / "007.txt").write_text(UK, encoding="utf-8")
    assert cli_main([*args, "--quiet", *stack_args(stack)]) == 0
    err = capsys.readouterr().err
    assert "done 1, failed 0, skipped 199" in err and "progress" not in err
    assert not (out / "newsdesk-failures.jsonl").exists()


def test_folder_jsonl_streams_and_keeps_order(stack, tmp_path, capsys) -> None:
    """--jsonl on a folder without --out: one object per input on stdout, no files;
    --ordered keeps input order; a failed input is an object with its error."""
    for i, text in enumerate([EN, KK, RU, UK, EN]):
        (tmp_path / f"{i}.txt").write_text(text, encoding="utf-8")
    args = ["translate", str(tmp_path), "--jsonl", "--ordered", "--concurrency", "3"]
    assert cli_main([*args, *stack_args(stack)]) == 1
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["input"] for r in records] == [f"{i}.txt" for i in range(5)]
    assert [r["ok"] for r in records] == [True, False, True, True, True]
    assert records[1]["error"]["reason"] == "UNSUPPORTED_LANGUAGE"
    assert records[2]["source_language"] == "ru"
    assert not list(tmp_path.glob("*.json")) and not list(tmp_path.glob("*.en.txt"))


def test_folder_skips_links_leading_outside(stack, tmp_path, capsys) -> None:
    """A linked file and a linked folder leading outside the input folder are skipped
    (nothing outside is sent or written; the summary counts them); --follow-links
    reads them."""
    source, outside, out = tmp_path / "in", tmp_path / "outside", tmp_path / "out"
    source.mkdir()
    outside.mkdir()
    (source / "a.txt").write_text(EN, encoding="utf-8")
    (outside / "secret.txt").write_text(EN, encoding="utf-8")
    (source / "leak.txt").symlink_to(outside / "secret.txt")
    (source / "linked").symlink_to(outside, target_is_directory=True)
    args = ["summarize", str(source), "--out", str(out), "--recursive", *stack_args(stack)]
    assert cli_main(args) == 0
    err = capsys.readouterr().err
    assert "done 1, failed 0, skipped 0 (already done), skipped 2 (links leading outside" in err
    assert sorted(p.name for p in out.rglob("*.json")) == ["a.summary.json"]
    assert cli_main([*args, "--follow-links"]) == 0
    assert "done 2, failed 0, skipped 1 (already done)," in capsys.readouterr().err
    assert (out / "leak.summary.json").exists() and (out / "linked" / "secret.summary.md").exists()


def test_folder_local_failures(stack, tmp_path, monkeypatch, capsys) -> None:
    """Local I/O: --out under a regular file is one message and exit 4 before anything
    is sent; a file that is not UTF-8 is a read failure in the failures file while the
    rest is done; a full disk stops the run with one message, exit 4, no temp files."""
    source = tmp_path / "in"
    source.mkdir()
    for i in range(3):
        (source / f"{i}.txt").write_text(EN, encoding="utf-8")
    (source / "1.txt").write_bytes("Привіт, як справи?".encode("cp1251"))
    regular = tmp_path / "notadir"
    regular.write_text("a file", encoding="utf-8")
    args = ["summarize", str(source), "--quiet", *stack_args(stack)]
    assert cli_main([*args, "--out", str(regular / "o")]) == 4
    err = capsys.readouterr().err
    assert (
        err
        == f"newsdesk: cannot write outputs to {regular / 'o'}: {regular} is a file, not a folder\n"
    )
    out = tmp_path / "out"
    assert cli_main([*args, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "done 2, failed 1" in err and "1.txt: read: FILE_ERROR:" in err and "not UTF-8" in err
    (record,) = [json.loads(line) for line in (out / "newsdesk-failures.jsonl").open()]
    assert (record["input"], record["stage"], record["reason"]) == ("1.txt", "read", "NOT_UTF8")

    def full(src, dst) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    monkeypatch.setattr(os, "replace", full)
    code = cli_main([*args, "--out", str(tmp_path / "full"), "--concurrency", "1"])
    monkeypatch.undo()
    err = capsys.readouterr().err.splitlines()
    assert code == 4, err
    assert err[0].startswith("stopped: done 0, failed 0") and "not started 3" in err[0]
    assert (
        len(err) == 2
        and err[1].startswith("newsdesk: cannot write outputs: ")
        and "ENOSPC" in err[1]
    )
    assert not list((tmp_path / "full").rglob("*.tmp")) and not list(
        (tmp_path / "full").rglob("*.md")
    )


def test_unavailable_for_every_item_exits_3(stack, tmp_path, capsys) -> None:
    """A summarizer that is not there: every item UNAVAILABLE → exit 3; one file → 3."""
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(EN, encoding="utf-8")
    dead = ["--summarizer", "127.0.0.1:1", "--timeout", "3"]
    assert cli_main(["summarize", str(tmp_path), "--quiet", *dead]) == 3
    assert "failed 3" in capsys.readouterr().err
    assert cli_main(["summarize", str(tmp_path / "0.txt"), *dead]) == 3


def test_sync_client_inside_a_running_loop(stack) -> None:
    """The sync client works where a loop is already running (a notebook cell)."""

    async def cell() -> str:
        with NewsdeskClient(stack_config(stack)) as client:
            return client.detect(RU).language

    assert asyncio.run(cell()) == "ru"


def test_sync_client_from_eight_threads(stack) -> None:
    """One sync client shared by 8 threads, calls in flight together."""
    results: dict[int, str] = {}
    errors: list[BaseException] = []
    with NewsdeskClient(stack_config(stack)) as client:

        def work(i: int) -> None:
            try:
                text = (UK, RU, EN)[i % 3]
                results[i] = client.translate(text).source_language
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    assert not errors
    assert results == {i: ("uk", "ru", "en")[i % 3] for i in range(8)}
    with pytest.raises(RuntimeError, match="closed"):
        client.detect(RU)


def test_stream_info_pairs_and_summarize_many(stack) -> None:
    """translate_stream yields paragraphs in order; info and language_pairs describe
    the services; summarize_many answers per item."""
    with NewsdeskClient(stack_config(stack)) as client:
        paragraphs = list(client.translate_stream(UK))
        assert [p.index for p in paragraphs] == [0, 1, 2, 3]
        assert all(p.count == 4 and p.text.strip() for p in paragraphs)
        assert paragraphs[0].source_language == "uk"
        translator = client.info("translator")
        assert translator.service_name.endswith("TranslationService")
        assert translator.models and translator.limits.max_chars > 0
        assert translator.max_source_tokens > 0
        assert "uk" in client.info("detector").languages
        assert client.info("summarizer").max_source_tokens > 0
        pairs = {(p.source, p.target) for p in client.language_pairs()}
        assert {("uk", "en"), ("ru", "en"), ("en", "en")} <= pairs
        outcomes = client.summarize_many([EN, UK, ""], concurrency=2, bullet_count=3)
        assert [o.ok for o in outcomes] == [True, False, False]
        assert isinstance(outcomes[1].error, NewsdeskError)
        assert outcomes[1].error.code == "FAILED_PRECONDITION"  # not English
        with pytest.raises(ValueError, match="unknown service"):
            client.info("printer")


async def test_async_stream_stops_early(stack) -> None:
    """Leaving translate_stream early is clean (the rest is cancelled)."""
    async with AsyncNewsdeskClient(stack_config(stack)) as client:
        async for paragraph in client.translate_stream(UK, source_language="uk"):
            assert paragraph.index == 0
            break
        assert (await client.detect(EN)).language == "en"


def test_completion_and_version(capsys) -> None:
    """`newsdesk completion bash|zsh` prints a script naming the subcommands;
    --version prints the installed version."""
    assert cli_main(["completion", "bash"]) == 0
    script = capsys.readouterr().out
    assert "newsdesk" in script and "translate" in script and "summarize" in script
    assert cli_main(["completion", "zsh"]) == 0
    assert "#compdef newsdesk" in capsys.readouterr().out
    with pytest.raises(SystemExit) as done:
        cli_main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("newsdesk ")


def test_uncertain_language_names_the_flag(stack, monkeypatch, capsys) -> None:
    """A text too short to detect fails with LANGUAGE_UNCERTAIN, and the message says
    how to name the language; --source-language gets the brief."""
    monkeypatch.setattr("sys.stdin", io.StringIO("Так точно."))
    assert cli_main(["brief", "-", *stack_args(stack)]) == 1
    assert "--source-language uk" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("Так точно."))
    assert cli_main(["brief", "-", "--source-language", "uk", "--json", *stack_args(stack)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["language"] == "uk" and data["confidence"] == 1.0


def test_brief_says_what_the_reader_is_reading(stack, tmp_path, capsys) -> None:
    """A brief opens with its source language, and a quality note (text, --json, .md)."""
    (tmp_path / "uk.txt").write_text(UK, encoding="utf-8")
    (tmp_path / "en.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "be.txt").write_text(BE, encoding="utf-8")
    assert cli_main(["brief", str(tmp_path / "uk.txt"), *stack_args(stack)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Source: Ukrainian (uk), detected, confidence ")
    assert lines[0].endswith("; translated into English") and lines[1] == "" and lines[2]
    assert cli_main(["brief", str(tmp_path / "en.txt"), *stack_args(stack)]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("Source: English (en), detected") and first.endswith("not translated")
    be = ["brief", str(tmp_path / "be.txt"), "--source-language", "be", *stack_args(stack)]
    assert cli_main(be) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Source: Belarusian (be), given; translated into English"
    assert lines[1].startswith("Note: served by ") and "lower quality" in lines[1]
    assert lines[2] == "" and lines[3]
    assert cli_main([*be, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["language"] == "be" and data["quality_note"].startswith("be: ")
    assert cli_main(["brief", str(tmp_path / "uk.txt"), "--json", *stack_args(stack)]) == 0
    assert json.loads(capsys.readouterr().out)["quality_note"] == ""
    out = tmp_path / "out"
    args = ["brief", str(tmp_path), "--out", str(out), "--source-language", "be", "--quiet"]
    cli_main([*args, *stack_args(stack)])
    capsys.readouterr()
    markdown = (out / "be.md").read_text(encoding="utf-8").splitlines()
    assert markdown[0] == "_Source: Belarusian (be), given; translated into English_  "
    assert markdown[1].startswith("_Note: served by ") and markdown[3].startswith("# ")


def test_files_that_are_not_utf8_are_refused(stack, tmp_path, monkeypatch, capsys) -> None:
    """Not-UTF-8 input exits 2 naming cp1251/UTF-16/the byte; --encoding reads it."""
    ru = tmp_path / "in" / "ru.txt"
    ru.parent.mkdir()
    ru.write_bytes(RU.encode("cp1251"))
    utf16 = tmp_path / "uk16.txt"
    utf16.write_bytes(UK.encode("utf-16"))
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    for command in ("brief", "translate", "summarize", "detect"):
        assert cli_main([command, str(ru), *stack_args(stack)]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"newsdesk: {ru} is not UTF-8 text: it looks like cp1251")
        assert "--encoding cp1251" in err and "\ufffd" not in err
    assert cli_main(["translate", str(utf16), *stack_args(stack)]) == 2
    assert "is not UTF-8 text: it looks like UTF-16" in capsys.readouterr().err
    assert cli_main(["brief", str(binary), *stack_args(stack)]) == 2
    assert "binary.txt is not UTF-8 text (byte 0x80 at offset 128)" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(ru.read_bytes())))
    assert cli_main(["brief", "-", "--source-language", "ru", *stack_args(stack)]) == 2
    assert "stdin is not UTF-8 text: it looks like cp1251" in capsys.readouterr().err
    args = ["translate", str(ru), "--encoding", "cp1251", "--json", *stack_args(stack)]
    assert cli_main(args) == 0
    assert json.loads(capsys.readouterr().out)["source_language"] == "ru"
    assert cli_main(["detect", str(utf16), "--encoding", "utf-16", *stack_args(stack)]) == 0
    assert capsys.readouterr().out.startswith("uk ")
    out = tmp_path / "out"
    args = ["brief", str(ru.parent), "--encoding", "cp1251", "--out", str(out), "--quiet"]
    assert cli_main([*args, *stack_args(stack)]) == 0
    assert json.loads((out / "ru.json").read_text(encoding="utf-8"))["language"] == "ru"


def test_detect_tells_a_missing_file_from_a_text(stack, tmp_path, capsys) -> None:
    """`detect nonexist.txt` is no such file (exit 2); --text TEXT detects the text."""
    detector = ["--detector", stack.address("detector")]
    for missing in ("nonexist.txt", "notes/today", "Київ"):
        assert cli_main(["detect", missing, *detector]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"newsdesk: {missing}: no such file") and "--text" in err
    assert cli_main(["detect", "--text", RU, "--json", *detector]) == 0
    assert json.loads(capsys.readouterr().out)["language"] == "ru"
    assert cli_main(["detect", "--text", "Київ", *detector]) == 0
    assert capsys.readouterr().out.startswith("uk ")
    (tmp_path / "ru.txt").write_text(RU, encoding="utf-8")
    assert cli_main(["detect", str(tmp_path / "ru.txt"), *detector]) == 0
    assert capsys.readouterr().out.startswith("ru ")
    assert cli_main(["detect", "Де зараз аеропорт", *detector]) == 0  # words: a text
    assert capsys.readouterr().out.startswith("uk ")


def test_messages_name_the_file(stack, tmp_path, monkeypatch, capsys) -> None:
    """Messages name the file (empty, too long), not contents[0]; single and folder mode."""
    empty = tmp_path / "a.txt"
    empty.write_bytes(b"")
    for command in ("brief", "translate", "summarize", "detect"):
        assert cli_main([command, str(empty), *stack_args(stack)]) == 2
        assert capsys.readouterr().err == f"newsdesk: {empty}: the file is empty\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(" \n"))
    assert cli_main(["brief", "-", *stack_args(stack)]) == 2
    assert "stdin: the input is empty (only whitespace)" in capsys.readouterr().err
    long = tmp_path / "long.txt"
    long.write_text("слово " * 20_000, encoding="utf-8")  # past the 100,000 characters
    assert cli_main(["translate", str(long), "--source-language", "uk", *stack_args(stack)]) == 1
    err = capsys.readouterr().err
    assert f"INVALID_ARGUMENT: {long}: 120000 characters exceed" in err
    assert "contents" not in err and "texts[" not in err
    (tmp_path / "b.txt").write_text(EN, encoding="utf-8")
    out = tmp_path / "out"
    args = ["translate", str(tmp_path), "--out", str(out), "--source-language", "uk", "--quiet"]
    assert cli_main([*args, *stack_args(stack)]) == 1
    err = capsys.readouterr().err
    assert f"a.txt: read: FILE_ERROR: {empty}: the file is empty" in err
    assert "long.txt: translate: INVALID_ARGUMENT: 120000 characters exceed" in err
    records = {r["input"]: r for r in map(json.loads, (out / "newsdesk-failures.jsonl").open())}
    assert (records["a.txt"]["stage"], records["a.txt"]["reason"]) == ("read", "EMPTY")
    assert "contents" not in json.dumps(records) and "text:" not in json.dumps(records)


def test_folder_stops_when_a_service_is_gone(tmp_path, capsys) -> None:
    """A folder run stops after UNAVAILABLE in a row, names the service and how to resume."""
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    for i in range(40):
        (source / f"{i:02}.txt").write_text(EN, encoding="utf-8")
    dead = ["--summarizer", "127.0.0.1:1", "--timeout", "3"]
    args = ["summarize", str(source), "--out", str(out), "--quiet", "--concurrency", "2"]
    assert cli_main([*args, *dead]) == 3
    err = capsys.readouterr().err.splitlines()
    failed = [line for line in err if "summarize: UNAVAILABLE" in line]
    assert UNAVAILABLE_STOP <= len(failed) < UNAVAILABLE_STOP + 2
    (summary,) = [line for line in err if line.startswith("stopped: ")]
    assert summary.startswith(f"stopped: done 0, failed {len(failed)}, skipped 0")
    assert summary.endswith(f"not started {40 - len(failed)}")
    assert err[-1].startswith(
        "newsdesk: stopped: the summarizer at 127.0.0.1:1 is unavailable (5 inputs in a row"
    )
    assert err[-1].endswith("run the same command again; inputs already done are skipped")
