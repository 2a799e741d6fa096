"""What the CLI reads, without services: bytes decoded strictly or refused naming the
input and its evident encoding; empty inputs refused by name; which detect argument is a
file and which a text; the parser's offers (--encoding, --source-language choices in
completion, only the detector's address for detect)."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from newsdesk_client.cli import inputs
from newsdesk_client.cli.main import build_parser
from newsdesk_client.cli.main import main as cli_main

RU = "Правительство России объявило о новых мерах поддержки. Эксперты ждут трудной зимы."
UK = "Уряд України ухвалив нове рішення щодо підтримки громад у понеділок."
# Addresses nothing listens on: a test that reaches the network fails, not hangs.
DEAD = ["--detector", "127.0.0.1:1", "--translator", "127.0.0.1:1", "--summarizer", "127.0.0.1:1"]


@pytest.mark.parametrize(
    ("data", "guess"),
    [
        (RU.encode("cp1251"), "cp1251"),
        (UK.encode("cp1251"), "cp1251"),
        (("Москва, 2024 год: " + RU).encode("cp1251"), "cp1251"),
        (UK.encode("utf-16"), "UTF-16"),
        (codecs.BOM_UTF16_BE + UK.encode("utf-16-be"), "UTF-16"),
        (UK.encode("utf-32"), "UTF-32"),
        ("Un café crème à Paris, s'il vous plaît.".encode("latin-1"), ""),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xd8", ""),
        (bytes(range(128, 256)), ""),
    ],
    ids=[
        "ru-cp1251",
        "uk-cp1251",
        "mixed-cp1251",
        "utf16-le",
        "utf16-be",
        "utf32",
        "latin1",
        "png",
        "high-bytes",
    ],
)
def test_guess_encoding(data: bytes, guess: str) -> None:
    """An encoding is named only when evident: a BOM, or cp1251 giving mostly Cyrillic."""
    assert inputs.guess_encoding(data) == guess


def test_a_cp1251_file_is_refused_naming_cp1251(tmp_path: Path) -> None:
    """A cp1251 file is refused naming cp1251 and the ways out; --encoding cp1251 reads it."""
    path = tmp_path / "ru.txt"
    path.write_bytes(RU.encode("cp1251"))
    with pytest.raises(inputs.InputError) as refused:
        inputs.read_file(path, "ru.txt")
    message = str(refused.value)
    assert message.startswith("ru.txt is not UTF-8 text: it looks like cp1251")
    assert "--encoding cp1251" in message and "iconv -f cp1251" in message
    assert refused.value.reason == "NOT_UTF8"
    assert inputs.read_file(path, "ru.txt", "cp1251") == RU


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (UK.encode("utf-16"), "it looks like UTF-16 (a byte-order mark says so)"),
        (b"Hello\xff\x00\x01 world", "(byte 0xff at offset 5); if it is text in another"),
        ("plain".encode("utf-16-le"), "it holds NUL characters"),
    ],
    ids=["utf16-bom", "binary", "utf16-no-bom"],
)
def test_other_undecodable_inputs_are_named(data: bytes, expected: str) -> None:
    """UTF-16 is named as such; other bytes give their first bad byte; NULs are refused."""
    with pytest.raises(inputs.InputError) as refused:
        inputs.decode(data, "in.txt")
    assert str(refused.value).startswith("in.txt is not UTF-8 text")
    assert expected in str(refused.value)


def test_encoding_and_bom() -> None:
    """A UTF-8 BOM is dropped; a chosen encoding that does not fit is NOT_DECODABLE."""
    assert inputs.decode(codecs.BOM_UTF8 + UK.encode(), "a") == UK
    assert inputs.decode(UK.encode("utf-16"), "a", "utf-16") == UK
    with pytest.raises(inputs.InputError) as refused:
        inputs.decode("ї".encode(), "a.txt", "ascii")
    assert str(refused.value) == "a.txt is not ascii text (byte 0xd1 at offset 0)"
    assert refused.value.reason == "NOT_DECODABLE"


def test_empty_inputs_are_named(tmp_path: Path) -> None:
    """An empty or blank input is refused by name (reason EMPTY), nothing sent."""
    path = tmp_path / "a.txt"
    path.write_bytes(b"")
    with pytest.raises(inputs.InputError, match=r"^a\.txt: the file is empty$") as refused:
        inputs.read_file(path, "a.txt")
    assert refused.value.reason == "EMPTY"
    path.write_text(" \n\t\n", encoding="utf-8")
    with pytest.raises(inputs.InputError, match=r"the file is empty \(only whitespace\)"):
        inputs.read_file(path, "a.txt")


@pytest.mark.parametrize(
    ("arg", "path_like"),
    [
        ("nonexist.txt", True),
        ("notes.md", True),
        ("data/today", True),
        ("Київ", True),
        ("report", True),
        ("Де аеропорт?", False),
        ("Де зараз аеропорт", False),
        ("Мы живём в Киеве.", False),
        ("see example.com", True),
    ],
)
def test_looks_like_path(arg: str, path_like: bool) -> None:
    """A separator, an extension or no spaces: a path; other words: a text."""
    assert inputs.looks_like_path(arg) is path_like


def test_detect_text_rule(tmp_path: Path) -> None:
    """detect reads a file, words or --text; a missing path-like argument is no such file."""
    (tmp_path / "ru.txt").write_text(RU, encoding="utf-8")
    assert inputs.detect_text(str(tmp_path / "ru.txt"), None) == (str(tmp_path / "ru.txt"), RU)
    assert inputs.detect_text("Де аеропорт?", None) == ("the text", "Де аеропорт?")
    assert inputs.detect_text(None, "Київ") == ("the text", "Київ")
    with pytest.raises(inputs.InputError, match=r"^nonexist\.txt: no such file \(.*--text"):
        inputs.detect_text("nonexist.txt", None)
    with pytest.raises(inputs.InputError, match="is a folder"):
        inputs.detect_text(str(tmp_path), None)
    with pytest.raises(inputs.InputError, match="not both"):
        inputs.detect_text("a.txt", "text")
    with pytest.raises(inputs.InputError, match=r"--text: the text is empty"):
        inputs.detect_text(None, "  ")


@pytest.mark.parametrize("command", ["brief", "translate", "summarize", "detect"])
def test_cli_refuses_before_sending(tmp_path: Path, capsys, command: str) -> None:
    """A cp1251, empty or missing file exits 2 naming it before any service is called."""
    ru = tmp_path / "ru.txt"
    ru.write_bytes(RU.encode("cp1251"))
    assert cli_main([command, str(ru), *DEAD]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"newsdesk: {ru} is not UTF-8 text: it looks like cp1251")
    empty = tmp_path / "e.txt"
    empty.write_bytes(b"")
    assert cli_main([command, str(empty), *DEAD]) == 2
    assert capsys.readouterr().err == f"newsdesk: {empty}: the file is empty\n"
    missing = "nonexist.txt"
    assert cli_main([command, missing, *DEAD]) == 2
    assert capsys.readouterr().err.startswith(f"newsdesk: {missing}: no such file")


def test_encoding_option_checks_its_value(capsys) -> None:
    """--encoding takes any encoding Python knows; another is a usage error (exit 2)."""
    args = build_parser().parse_args(["brief", "a.txt", "--encoding", "CP1251"])
    assert args.encoding == "cp1251"
    with pytest.raises(SystemExit) as usage:
        build_parser().parse_args(["detect", "a.txt", "--encoding", "klingon"])
    assert usage.value.code == 2
    assert "unknown encoding 'klingon'" in capsys.readouterr().err


def test_detect_offers_only_the_detector(capsys) -> None:
    """detect --help offers only the detector's address, and states the argument rule."""
    with pytest.raises(SystemExit):
        build_parser().parse_args(["detect", "--help"])
    text = capsys.readouterr().out
    assert "--detector" in text and "--text" in text and "--encoding" in text
    assert "--translator" not in text and "--summarizer" not in text
    assert "no such file" in text and "no spaces" in text
    args = build_parser().parse_args(["detect", "--text", "x", "--translator", "h:1"])
    assert args.text == "x"


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_completion_offers_the_source_languages(capsys, shell: str) -> None:
    """The completion script completes --source-language with uk, ru, en and be."""
    assert cli_main(["completion", shell]) == 0
    script = capsys.readouterr().out
    assert "(uk ru en be)" in script
    if shell == "bash":
        assert "_shtab_newsdesk_brief___source_language_choices=(uk ru en be)" in script
        assert "_shtab_newsdesk_translate___source_language_choices=(uk ru en be)" in script


def test_source_language_is_checked_before_sending(capsys) -> None:
    """--source-language is one of the chain's languages (any case), else exit 2."""
    args = build_parser().parse_args(["brief", "a.txt", "--source-language", "BE"])
    assert args.source_language == "be"
    with pytest.raises(SystemExit) as usage:
        build_parser().parse_args(["translate", "a.txt", "--source-language", "de"])
    assert usage.value.code == 2
    assert "invalid choice: 'de'" in capsys.readouterr().err
