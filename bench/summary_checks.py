"""Reference-free brief checks on the English side of the shared FLORES-200 documents.

    python bench/summary_checks.py [--limit N] [--bullet-words N]
    python bench/summary_checks.py --figures [--docs N]

Starts the three services on the tiny locally built models (random weights: the
summaries are noise, but which sentences become bullets is measurable) and briefs the
English side (`reference_en`) of ../shared/eval/mt/flores200-devtest.docs.jsonl
through the whole chain, as `newsdesk brief --source-language en` does (translator
passthrough in house style → summarize). Printed as JSON: the reference-free figures of `newsdesk
eval summarization` (there are no reference summaries here, so no ROUGE), and the
bullet rules of a brief, each of which must be 0 (the exit status is 1 otherwise):
bullets ending in a cut (not a whole sentence), bullets over the word limit, and
bullets repeating the headline, the summary or another bullet; then how many briefs
fall short of bullets, per reason. tests/integration/test_newsroom_brief.py runs the
same checks on owned English articles.

With --figures, the figures check of issue 25 (services/summarizer/facts.py), in
process and offline, printed as a table (exit status 1 when a figure must-be-0 is not):
(a) false positives on the reference text itself: every sentence of every document's
`reference_en`, and its first sentence as the writer's fallback headline (cut to 15
words), checked against the document — unsupported figures must be 0, unsupported
names are counted; (b) the tiny summarizer's noise: the first N documents (--docs,
default 40) briefed twice, without the check (what the model's brief would say) and
with it; the share of unchecked briefs stating a figure the text does not, the share
of those caught (no unsupported figure left in a part that is not flagged) and what
was done; (c) the same on every document with scripted rewrites: a rewrite with an
invented figure (the sentence's first number changed, or a year put in front) must be
caught every time, and a rewrite that only retypes the figures ("1,200" as "1 200",
"March 30, 2021" as "30 March 2021", "two" as "2", "per cent" as "%") must pass
untouched: any action taken there is a false positive. Last, the inventing run judged
by construction rather than by the check: its published headlines and bullets that are
not the article's own words and not flagged (each carries an invented figure).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsdesk_client import AsyncNewsdeskClient, Brief, ClientConfig
from services.common.engines.base import Generated, GenerationSpec
from services.common.models.store import ModelRef
from services.common.text.factcheck import Source
from services.common.text.segment import document_spans, first_sentence
from services.summarizer.background import repeats
from services.summarizer.bullets import whole_sentence
from services.summarizer.facts import FLAGGED
from services.summarizer.summary import Summary, SummaryOptions, SummaryWriter
from services.tools.local import LocalStack, local_model_env
from services.tools.summary_eval import BriefChecks

DOCS = Path(__file__).resolve().parents[2] / "shared/eval/mt/flores200-devtest.docs.jsonl"
BULLET_WORDS = 64  # the summarizer's default bullet_max_words
# The figures that must be 0.
RULES = (
    "ending_in_a_cut",
    "over_the_word_limit",
    "repeating_the_headline",
    "repeating_the_summary",
    "repeating_another_bullet",
)


@dataclass
class BulletRules:
    """The bullet rules of a brief, counted over briefs."""

    max_words: int = BULLET_WORDS
    counts: Counter[str] = field(default_factory=Counter)
    shortfalls: Counter[str] = field(default_factory=Counter)

    def add(self, brief: Brief, wanted: int) -> None:
        """Check one brief that asked for `wanted` bullets."""
        bullets = list(brief.bullets)
        for i, bullet in enumerate(bullets):
            self.counts["ending_in_a_cut"] += not whole_sentence(bullet)
            self.counts["over_the_word_limit"] += len(bullet.split()) > self.max_words
            self.counts["repeating_the_headline"] += repeats(bullet, brief.headline)
            self.counts["repeating_the_summary"] += repeats(bullet, brief.summary)
            self.counts["repeating_another_bullet"] += any(
                repeats(bullet, other) for other in bullets[:i]
            )
        if len(bullets) < wanted:
            # A reason this client cannot name still counts, as UNNAMED.
            self.shortfalls[brief.bullet_shortfall or "UNNAMED"] += 1

    def report(self) -> dict[str, object]:
        """Bullets breaking each rule, then briefs short of bullets (total, per reason)."""
        return {
            "bullets_breaking_a_rule": {rule: self.counts[rule] for rule in RULES},
            "briefs_short_of_bullets": sum(self.shortfalls.values()),
            "short_of_bullets_by_reason": dict(sorted(self.shortfalls.items())),
        }

    @property
    def broken(self) -> int:
        """Bullets that break a rule (0 when every rule holds)."""
        return sum(self.counts[rule] for rule in RULES)


async def check_briefs(
    config: ClientConfig,
    articles: Sequence[str],
    *,
    bullets: int = 4,
    bullet_words: int = BULLET_WORDS,
    concurrency: int = 4,
) -> dict[str, object]:
    """Brief every English article through the chain and check each brief: the
    figures (BriefChecks and BulletRules), the failed count and the seconds taken."""
    started = time.perf_counter()
    checks, rules = BriefChecks(), BulletRules(bullet_words)
    async with AsyncNewsdeskClient(config) as client:
        outcomes = await client.brief_many(
            articles,
            concurrency=concurrency,
            source_language="en",
            bullet_count=bullets,
            bullet_max_words=rules.max_words,
        )
    failed = 0
    for article, outcome in zip(articles, outcomes, strict=True):
        if outcome.brief is None:
            failed += 1
            print(f"newsdesk: {outcome.error}", file=sys.stderr)
            continue
        b = outcome.brief
        checks.add(article, b.headline, b.summary, b.bullets, b.bullet_shortfall)
        rules.add(b, bullets)
    return {
        "articles": len(articles),
        "failed": failed,
        **checks.report(),
        **rules.report(),
        "rules_broken": rules.broken,
        "seconds": round(time.perf_counter() - started, 1),
    }


def flores_english(limit: int = 0) -> list[str]:
    """The English side of the FLORES documents (the uk and ru ones share it)."""
    english = []
    with DOCS.open(encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            if doc["lang"] == "uk":
                english.append(doc["reference_en"])
    return english[:limit] if limit else english


HEADLINE_WORDS = 15  # the summarizer's default headline_max_words


def reference_false_positives(documents: Sequence[str]) -> dict[str, int]:
    """(a) Every sentence of each document, and its first sentence cut as the writer's
    fallback headline, checked against the document: claims, figures and names checked,
    and those found unsupported (each must be 0 for figures)."""
    counts: Counter[str] = Counter()
    for text in documents:
        source = Source(text)
        spans = document_spans(text)
        claims = [span.text for span in spans]
        if spans:
            claims.append(" ".join(spans[0].text.rstrip(".").split()[:HEADLINE_WORDS]))
        for claim in claims:
            found = source.check(claim)
            counts["claims"] += 1
            counts["figures_checked"] += len(found.figures)
            counts["names_checked"] += len(found.names)
            counts["figures_unsupported"] += len(found.unsupported_figures)
            counts["names_unsupported"] += len(found.unsupported_names)
    return {"documents": len(documents), **counts}


@dataclass
class FigureTally:
    """Briefs written without and with the figures check, compared part by part."""

    briefs: int = 0
    raw_figures: int = 0  # unchecked briefs stating a figure the text does not
    raw_names: int = 0  # unchecked briefs naming a name the text does not
    caught: int = 0  # of raw_figures: checked briefs with no such figure left unflagged
    leaked: int = 0  # checked briefs with an unsupported figure in a part not flagged
    actions: Counter[str] = field(default_factory=Counter)  # "bullet REPLACED": n
    # Judged without the check: published headlines and bullets that are not the text's
    # own words and are not flagged (with the inventing engine, each carries an
    # invented figure by construction), and all published headlines and bullets.
    not_text: list[str] = field(default_factory=list)
    published: int = 0

    def add(self, text: str, raw: Summary, checked: Summary) -> None:
        """Count one document's pair of briefs."""
        source = Source(text)
        self.briefs += 1
        raw_checks = [source.check(part) for part in _parts(raw)]
        leaks = any(
            source.check(part).unsupported_figures and check.action != FLAGGED
            for part, check in zip(_parts(checked), _checks(checked), strict=True)
        )
        self.leaked += leaks
        if any(c.unsupported_figures for c in raw_checks):
            self.raw_figures += 1
            self.caught += not leaks
        self.raw_names += any(c.unsupported_names for c in raw_checks)
        for where, check in zip(_where(checked), _checks(checked), strict=True):
            if check.action:
                self.actions[f"{where} {check.action}"] += 1
        words = " ".join(text.split())
        for part, check in [
            (checked.headline, checked.headline_check),
            *zip(checked.bullets, checked.bullet_checks, strict=True),
        ]:
            self.published += 1
            if " ".join(part.split()) not in words and check.action != FLAGGED:
                self.not_text.append(part)

    def row(self, label: str) -> str:
        """One table row."""
        share = f"{self.raw_figures} ({self.raw_figures / max(1, self.briefs):.0%})"
        caught = f"{self.caught}/{self.raw_figures}"
        actions = ", ".join(f"{k} {v}" for k, v in sorted(self.actions.items())) or "none"
        return (
            f"| {label} | {self.briefs} | {share} | {caught} | {self.leaked} | "
            f"{self.raw_names} | {actions} |"
        )


def _parts(summary: Summary) -> list[str]:
    return [summary.headline, summary.summary, *summary.bullets]


def _checks(summary: Summary) -> list:
    return [summary.headline_check, summary.summary_check, *summary.bullet_checks]


def _where(summary: Summary) -> list[str]:
    return ["headline", "summary", *["bullet"] * len(summary.bullets)]


def tally_briefs(
    documents: Sequence[str], engine: object, options: SummaryOptions | None = None
) -> FigureTally:
    """(b), (c) Brief each document with `engine` without the figures check and with it;
    compare (FigureTally)."""
    options = options or SummaryOptions(num_beams=1)
    raw_writer = SummaryWriter(engine, check_facts=False)  # type: ignore[arg-type]
    checked_writer = SummaryWriter(engine)  # type: ignore[arg-type]
    tally = FigureTally()
    for text in documents:
        tally.add(text, raw_writer.write(text, options), checked_writer.write(text, options))
    return tally


def invent_figure(text: str, document: str) -> str:
    """The first sentence of `text` with one figure the document never writes: its first
    number made larger (to a value whose digits appear nowhere in the document), or, in
    a sentence without digits, a year in front."""
    sentence = first_sentence(text)
    number = re.search(r"(?<![\d.,])\d+(?![\d.,]\d)", sentence)
    if number:
        # Past 20, so that no number word of the document ("three") can be the value.
        value = max(21, int(number.group(0)) + 1)
        while str(value) in document:
            value += 1
        return sentence[: number.start()] + str(value) + sentence[number.end() :]
    year = next(y for y in range(1931, 2100) if str(y) not in document)
    return f"In {year}, {sentence[:1].lower()}{sentence[1:]}"


_MONTH = "January|February|March|April|May|June|July|August|September|October|November|December"
# One pass each: "March 30, 2021" ⇄ "30 March 2021" both ways at once.
_DATE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH}) (?P<d1>\d{{1,2}}), (?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}}) (?P<m2>{_MONTH}) (?P<y2>\d{{4}}))\b"
)
_RETYPE = (
    (re.compile(r"\b(\d{1,3}),(\d{3})\b"), lambda m: f"{m[1]}\u00a0{m[2]}"),
    (
        _DATE,
        lambda m: (
            f"{m['d1']} {m['m1']} {m['y1']}" if m["m1"] else f"{m['m2']} {m['d2']}, {m['y2']}"
        ),
    ),
    (  # "2.5 million" → "2.5m", "3 billion" → "3bn"
        re.compile(r"\b(\d+(?:\.\d+)?) (million|billion)\b"),
        lambda m: m[1] + ("m" if m[2] == "million" else "bn"),
    ),
    (re.compile(r" ?(?:per ?cent|percent)\b"), lambda m: "%"),
)
_SMALL = "two three four five six seven eight nine ten".split()


def retype_figures(text: str) -> str:
    """The first sentence of `text` with its figures typed another way: the same
    numbers, dates and times."""
    sentence = first_sentence(text)
    for pattern, replacement in _RETYPE:
        sentence = pattern.sub(replacement, sentence)
    words = {w: str(n) for n, w in enumerate(_SMALL, 2)}
    return re.sub(
        r"\b(?:two|three|four|five|six|seven|eight|nine|ten)\b(?!-)",
        lambda m: words[m.group(0)],
        sentence,
    )


class ScriptedEngine:
    """A fake engine with whitespace tokens: each summary job gets its input's first
    sentence, each headline or bullet rewrite `rewrite(input, document)` — what a model
    that invents (or only retypes) figures would write."""

    model = ModelRef("bench/scripted", "0", "fake")
    max_source_tokens = 1024
    footprint = None

    def __init__(self, rewrite: Callable[[str, str], str], documents: Sequence[str]) -> None:
        self.rewrite = rewrite
        self.documents = documents
        self.rewrites = 0  # headline and bullet rewrites written
        self.changed = 0  # of those, rewrites that differ from their input's first sentence

    def replica(self) -> ScriptedEngine:
        return self

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 2

    def _document(self, text: str) -> str:
        return next((d for d in self.documents if text[:40] in d), text)

    def generate(self, inputs, spec: GenerationSpec, should_stop=None, on_done=None):
        out = []
        for text in inputs:
            written = first_sentence(text)
            if spec.min_new_tokens == 1:
                rewrite = self.rewrite(text, self._document(text))
                self.rewrites += 1
                self.changed += rewrite != written
                written = rewrite
            out.append(Generated(written, self.count_tokens(text), 8))
        return out


def tiny_writer_engine() -> object:
    """The tiny summarizer (random weights; built once into the bench model folder)."""
    from bench._util import MODEL_DIR, bench_models
    from services.common.engines.base import EngineSettings, load_engine

    _, bart = bench_models("tiny")
    return load_engine(EngineSettings(), MODEL_DIR, bart.spec)


def figures_report(
    reference: Sequence[str],
    documents: Sequence[str],
    engine: object | None,
    scripted: Sequence[str] | None = None,
) -> tuple[str, int]:
    """The --figures table — (a) on `reference`, (b) with `engine` (the tiny model;
    left out when None) on `documents`, (c) on `scripted` (default: `documents`) — and
    the count of must-be-0 figures that are not 0."""
    scripted = documents if scripted is None else scripted
    found = reference_false_positives(reference)
    lines = [
        f"(a) reference text against itself: {found['documents']} documents, "
        f"{found['claims']} claims (every sentence and the fallback headline), "
        f"{found['figures_checked']} figures and {found['names_checked']} names checked: "
        f"{found['figures_unsupported']} unsupported figures, "
        f"{found['names_unsupported']} unsupported names",
        "",
        "| briefs of | briefs | unchecked: unsupported figure | caught | left unflagged "
        "| unchecked: unsupported name | what the check did |",
        "|---|---|---|---|---|---|---|",
    ]
    wrong = found["figures_unsupported"]
    runs: list[tuple[str, object, Sequence[str]]] = []
    if engine is not None:
        runs.append(("(b) the tiny model (noise)", engine, documents))
    inventing = ScriptedEngine(invent_figure, scripted)
    retyping = ScriptedEngine(lambda text, _: retype_figures(text), scripted)
    runs += [("(c) rewrites inventing a figure", inventing, scripted)]
    runs += [("(c) rewrites retyping figures", retyping, scripted)]
    for label, run_engine, texts in runs:
        tally = tally_briefs(texts, run_engine)
        lines.append(tally.row(label))
        wrong += tally.leaked
        if run_engine is inventing:  # every invented figure is caught
            wrong += tally.raw_figures - tally.caught
        if run_engine is retyping:  # a faithful rewrite passes untouched
            wrong += tally.raw_figures + sum(tally.actions.values())
        if run_engine is inventing:
            invented = tally
    lines += [
        "",
        f"(c) rewrites written twice per brief (unchecked, checked): {inventing.rewrites} "
        f"inventing, {inventing.changed} of them changed; {retyping.rewrites} retyping, "
        f"{retyping.changed} of them with a figure typed another way",
        f"(c) judged by construction, not by the check: {len(invented.not_text)} of "
        f"{invented.published} published headlines and bullets of the inventing run carry "
        "an invented figure unflagged" + "".join(f"\n    {p}" for p in invented.not_text),
    ]
    return "\n".join(lines), wrong


def main(argv: list[str] | None = None) -> int:
    """Run the checks; print the report; 1 when a bullet breaks a rule."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="first N documents only")
    parser.add_argument(
        "--bullet-words",
        type=int,
        default=BULLET_WORDS,
        help=f"bullet_max_words asked for (default {BULLET_WORDS}, the server's default)",
    )
    parser.add_argument(
        "--figures", action="store_true", help="the figures check of issue 25 (offline, no servers)"
    )
    parser.add_argument(
        "--docs",
        type=int,
        default=40,
        help="documents the tiny model briefs for --figures (b) (default 40)",
    )
    args = parser.parse_args(argv)
    if not DOCS.exists():
        print(f"{DOCS} not found: this needs ../shared beside the clone", file=sys.stderr)
        return 2
    if args.figures:
        started = time.perf_counter()
        everything = flores_english()
        engine = tiny_writer_engine()
        table, wrong = figures_report(everything, everything[: args.docs], engine, everything)
        print(f"figures check: {DOCS}; (a) and (c) on every document, (b) on the first {args.docs}")
        print(f"{table}\n{time.perf_counter() - started:.1f} s")
        return 1 if wrong else 0
    articles = flores_english(args.limit)
    with tempfile.TemporaryDirectory(prefix="newsdesk-summary-checks-") as tmp:
        work = Path(tmp)
        stack = LocalStack(
            {n: 0 for n in ("detector", "translator", "summarizer")},
            local_model_env(work / "models"),
            log_dir=work / "logs",
        )
        stack.start()
        try:
            config = ClientConfig(
                detector=stack.address("detector"),
                translator=stack.address("translator"),
                summarizer=stack.address("summarizer"),
                translate_timeout=300,
                summarize_timeout=300,
            )
            report = asyncio.run(check_briefs(config, articles, bullet_words=args.bullet_words))
        finally:
            stack.stop()
    print(json.dumps({"data": str(DOCS), **report}, indent=2))
    return 1 if report["rules_broken"] or report["failed"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
