"""The archive service for tests: on SQLite (a temp file) and on PostgreSQL (a
throwaway server, tests/archive_pg.py; skipped with the reason when not installed), so
one suite runs against both stores."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest

from tests.conftest import serve, service_env

# Three earlier stories on one story (the seed's: Ukraine, NATO drills, Russian troops
# at the border), written for these tests, and distractors on other stories.
EARLIER = [
    (
        "2021-03-30",
        "Ukrinform",
        "https://example.org/2021/03/30/khomchak",
        "Ukraine's Commander-in-Chief Ruslan Khomchak said Russia had massed 28 battalion "
        "tactical groups near Ukraine's border ahead of NATO drills. He called it a threat "
        "to the country's security.",
    ),
    (
        "2021-04-02",
        "Ukrinform",
        "https://example.org/2021/04/02/general-staff",
        "The General Staff said Russian reconnaissance teams and sniper pairs were active "
        "near the border in Donbas. Ukraine kept its artillery in combat readiness ahead of "
        "the joint NATO drills.",
    ),
    (
        "2021-04-05",
        "Interfax-Ukraine",
        "https://example.org/2021/04/05/drills",
        "Kyiv said joint drills with NATO troops would go ahead despite the Russian build-up "
        "near the border. Thousands of Ukrainian and NATO soldiers are expected to take part.",
    ),
]
DISTRACTORS = [
    (
        "2021-03-12",
        "Reuters",
        "https://example.org/rates",
        "The central bank raised its key interest rate to 6.5% to curb inflation. Analysts "
        "had expected the move after prices rose faster than forecast.",
    ),
    (
        "2021-02-20",
        "AP",
        "https://example.org/football",
        "Dynamo Kyiv beat Shakhtar Donetsk 2-1 in the league on Saturday. The winning goal "
        "came in the last minute of the match.",
    ),
]
# Dated after the new article: never background for it.
LATER = (
    "2021-05-20",
    "Ukrinform",
    "https://example.org/2021/05/20/after",
    "NATO drills with Ukrainian troops near the border ended, the General Staff said, "
    "after Russia pulled back some battalion tactical groups.",
)
NEW_ARTICLE = (
    "Kyiv has invited NATO troops to joint military drills as Russia keeps battalion "
    "tactical groups near Ukraine's border. The General Staff said the drills would go "
    "ahead. Artillery remains in combat readiness, officials said."
)
NEW_DATE = "2021-04-10"
UNRELATED = (
    "A new library opened in Lviv on Tuesday with a collection of rare manuscripts. The "
    "mayor said the building had been restored over three years by local craftsmen."
)


@pytest.fixture(scope="module")
def pg_admin() -> Iterator[str]:
    """One throwaway PostgreSQL server per module (skipped when not installed)."""
    if not os.environ.get("ARCHIVE_TESTS_REQUIRE_POSTGRES"):  # CI: never skipped
        pytest.importorskip("psycopg_pool", reason="psycopg is the archive extra's driver")
    from tests.archive_pg import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def archive_url(request, tmp_path) -> Iterator[str]:
    """A fresh, empty store's URL: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/archive.db"
        return
    from tests.archive_pg import database

    admin = request.getfixturevalue("pg_admin")
    with database(admin, f"t{uuid.uuid4().hex[:12]}") as url:
        yield url


def archive_binding(url: str, **settings: object):
    """The ArchiveService binding, built as the service builds it, and the Built."""
    from services.archive.app import build
    from services.archive.config import ArchiveConfig

    env = service_env("NEWSDESK_ARCHIVE_", url=url, **settings)
    env.pop("NEWSDESK_ARCHIVE_THREADS")
    built = build(ArchiveConfig.from_env(env))
    return built.bindings[0], built


@pytest.fixture
async def archive_server(archive_url) -> AsyncIterator[object]:
    """The archive in-process on a free port (its store fresh); stopped after."""
    binding, built = archive_binding(archive_url, max_chars=50_000, max_batch=20)
    served = None
    try:
        served = await serve([binding])
        yield served
    finally:
        if served is not None:
            await served.channel.close()
            await served.running.stop()
        built.close()
