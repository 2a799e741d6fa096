"""bench/summary_checks.py --figures on three FLORES documents: the reference text has
no unsupported figure, every invented figure is caught, retyped figures pass, and the
tiny model's briefs are counted (skipped without ../shared)."""

from __future__ import annotations

import json

import pytest

from bench.summary_checks import (
    FigureTally,
    ScriptedEngine,
    figures_report,
    invent_figure,
    reference_false_positives,
    retype_figures,
    tally_briefs,
)
from services.common.text.factcheck import Source
from tests.conftest import shared_path


@pytest.fixture(scope="module")
def documents() -> list[str]:
    """The English side of the first three FLORES documents."""
    path = shared_path("eval/mt/flores200-devtest.docs.jsonl")
    english = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            if doc["lang"] == "uk":
                english.append(doc["reference_en"])
            if len(english) == 3:
                break
    return english


def test_the_reference_text_supports_itself(documents) -> None:
    """(a) Every sentence and the fallback headline of each document: figures and names
    were checked, none is unsupported."""
    found = reference_false_positives(documents)
    assert found["documents"] == 3 and found["claims"] > 3
    assert found["figures_checked"] > 0 and found["names_checked"] > 0
    assert found["figures_unsupported"] == found["names_unsupported"] == 0


def test_invented_figures_are_all_caught(documents) -> None:
    """(c) Rewrites with an invented figure: the unchecked briefs state it, the checked
    ones never leave it unflagged; the bullets and headline say REPLACED."""
    engine = ScriptedEngine(invent_figure, documents)
    tally = tally_briefs(documents, engine)
    assert tally.briefs == 3 and tally.raw_figures >= 1
    assert tally.caught == tally.raw_figures and tally.leaked == 0
    assert tally.actions["bullet REPLACED"] >= 1
    assert engine.rewrites == engine.changed > 0
    # By construction: a published headline or bullet is the article's own words.
    assert tally.published >= 3 and tally.not_text == []


def test_retyped_figures_pass_untouched(documents) -> None:
    """(c) Rewrites that only retype figures: no action taken, nothing unsupported."""
    tally = tally_briefs(documents, ScriptedEngine(lambda t, _: retype_figures(t), documents))
    assert tally.raw_figures == tally.leaked == 0 and not tally.actions


def test_the_rewrites_do_what_they_say() -> None:
    """invent_figure writes a number the document does not; retype_figures keeps every
    figure the source's."""
    source = "At least 1,200 people fled on March 30, 2021, and two died."
    invented = invent_figure("12 people died in Kharkiv.", "12 people died in Kharkiv.")
    assert invented == "21 people died in Kharkiv."
    retyped = retype_figures(source)
    assert retyped == "At least 1\u00a0200 people fled on 30 March 2021, and 2 died."
    assert Source(source).check(retyped).supported


def test_the_report_and_the_tiny_model(documents, writer) -> None:
    """The --figures table with the tiny model's briefs: one row per run, nothing that
    must be 0 is not, the tiny model's unsupported figures are all caught."""
    table, wrong = figures_report(documents, documents[:2], writer.engine)
    assert wrong == 0, table
    assert "0 unsupported figures" in table
    rows = [line for line in table.splitlines() if line.startswith("| (")]
    assert [row.split("|")[1].strip() for row in rows] == [
        "(b) the tiny model (noise)",
        "(c) rewrites inventing a figure",
        "(c) rewrites retyping figures",
    ]
    tiny = tally_briefs(documents[:2], writer.engine)
    assert isinstance(tiny, FigureTally) and tiny.briefs == 2
    assert tiny.caught == tiny.raw_figures and tiny.leaked == 0
