"""Reference-free brief checks on the English side of the shared FLORES-200 documents.

    python bench/summary_checks.py [--limit N] [--bullet-words N]

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
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsdesk_client import AsyncNewsdeskClient, Brief, ClientConfig
from services.summarizer.background import repeats
from services.summarizer.bullets import whole_sentence
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
    args = parser.parse_args(argv)
    if not DOCS.exists():
        print(f"{DOCS} not found: this needs ../shared beside the clone", file=sys.stderr)
        return 2
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
