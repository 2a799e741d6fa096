"""A throwaway PostgreSQL server for the archive's tests (WIP, issue 24): Debian's
initdb and pg_ctl in a temp folder, a unix socket there, trust auth, stopped and removed
after. As root (containers, CI), the server runs as the `postgres` user."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).exists():
            return str(folder / name)
    return None


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Start a server; yield its admin URL; stop and remove it (skip without initdb —
    fail instead where ARCHIVE_TESTS_REQUIRE_POSTGRES is set, as CI sets it)."""
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if not initdb or not pg_ctl:
        reason = "PostgreSQL is not installed (Debian: apt-get install postgresql)"
        if os.environ.get("ARCHIVE_TESTS_REQUIRE_POSTGRES"):
            pytest.fail(f"{reason}; ARCHIVE_TESTS_REQUIRE_POSTGRES is set (CI)")
        pytest.skip(reason)
    root = Path(tempfile.mkdtemp(prefix="newsdesk-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, log = root / "data", root / "log"
    run = {"check": True, "capture_output": True, "timeout": 120}
    try:
        subprocess.run([*as_user, initdb, "-D", str(data), "-A", "trust", "-U", "newsdesk",
                        "--no-sync"], **run)  # type: ignore[call-overload]  # fmt: skip
        options = f"-k {root} -c listen_addresses='' -c fsync=off"
        subprocess.run([*as_user, pg_ctl, "-D", str(data), "-l", str(log), "-o", options,
                        "-w", "start"], **run)  # type: ignore[call-overload]  # fmt: skip
        try:
            yield f"postgresql://newsdesk@/postgres?host={root}"
        finally:
            subprocess.run([*as_user, pg_ctl, "-D", str(data), "-m", "immediate", "-w",
                            "stop"], check=False, capture_output=True, timeout=60)  # fmt: skip
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def database(admin_url: str, name: str) -> Iterator[str]:
    """A fresh database on the server, dropped after."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield admin_url.replace("/postgres?", f"/{name}?")
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
