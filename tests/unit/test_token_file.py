"""The token file fails closed and recovers: a read error refuses everyone until the
file can be read again — noticed without any change to its contents — and a change of
mode alone (`chmod 000`, how an operator may revoke) is noticed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from services.common.serving import security
from services.common.serving.security import TokenFile, TokenFileError

TOKEN = "tok-0123456789"


def test_access_restored_after_a_failed_read_is_noticed(tmp_path: Path, monkeypatch) -> None:
    """One failed read (EACCES, say) refuses every call; once the file reads again the
    token is accepted, though its contents, size and mtime never changed."""
    path = tmp_path / "tokens"
    path.write_text(f"{TOKEN}\n")
    tokens = TokenFile(path)
    assert tokens.accepts(f"Bearer {TOKEN}")
    real = security.read_tokens
    failing = {"on": True}

    def flaky(p: Path) -> list[bytes]:
        if failing["on"]:
            raise TokenFileError(f"{p} cannot be read (Permission denied)")
        return real(p)

    monkeypatch.setattr(security, "read_tokens", flaky)
    os.chmod(path, 0o600)  # a change of mode alone: the file is read again
    assert not tokens.accepts(f"Bearer {TOKEN}")
    assert not tokens.accepts(f"Bearer {TOKEN}")
    failing["on"] = False  # access restored, nothing else changed
    assert tokens.accepts(f"Bearer {TOKEN}")


def test_a_mode_change_alone_is_read_again(tmp_path: Path, monkeypatch) -> None:
    """A chmod changes only the file's ctime and mode; the file is read again."""
    path = tmp_path / "tokens"
    path.write_text(f"{TOKEN}\n")
    tokens = TokenFile(path)
    reads: list[Path] = []
    real = security.read_tokens

    def counted(p: Path) -> list[bytes]:
        reads.append(p)
        return real(p)

    monkeypatch.setattr(security, "read_tokens", counted)
    assert tokens.accepts(f"Bearer {TOKEN}") and reads == []
    os.chmod(path, 0o400)
    assert tokens.accepts(f"Bearer {TOKEN}") and len(reads) == 1


@pytest.mark.parametrize("content", [b"", b"# revoked\n"], ids=["empty", "comments"])
def test_a_file_without_tokens_cannot_start(tmp_path: Path, content: bytes) -> None:
    """At start a file that would refuse every call is an error, not a silent lockout."""
    path = tmp_path / "tokens"
    path.write_bytes(content)
    with pytest.raises(TokenFileError, match="holds no token"):
        TokenFile(path)
