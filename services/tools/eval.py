"""`newsdesk eval translation | summarization`: the services measured on a desk's own
data, through the client (a running stack). A plugin of the `newsdesk` command line
(`register`); it needs only its metric package, nothing of the services.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from typing import TYPE_CHECKING

from newsdesk_client import AsyncNewsdeskClient, NewsdeskClient, NewsdeskError
from newsdesk_client.cli.common import CliError, addresses, client_config, in_range
from newsdesk_shared.limits import SUMMARIZER
from services.tools.extras import needs_eval

if TYPE_CHECKING:
    from newsdesk_client.cli.common import Subparsers


def register(sub: Subparsers) -> None:
    """`newsdesk eval translation | summarization` (the plugin entry point)."""
    evaluate = sub.add_parser("eval", help="evaluate a service")
    esub = evaluate.add_subparsers(dest="eval_command", required=True)
    tr = esub.add_parser("translation", help="BLEU and chrF on a source<TAB>reference file")
    tr.add_argument("--data", required=True, help="TSV: source<TAB>reference, one header line")
    tr.add_argument("--source-language", default="", help="uk or ru (default: detect)")
    tr.add_argument("--limit", type=int, help="first N rows only")
    tr.add_argument("--batch", type=int, default=16, help="sentences per request")
    addresses(tr)
    tr.set_defaults(func=eval_translation)
    sm = esub.add_parser(
        "summarization",
        help="ROUGE and reference-free bullet checks on an article<TAB>reference file",
    )
    sm.add_argument(
        "--data",
        required=True,
        help="TSV: article<TAB>reference (reference may be empty; \\n for a line break)",
    )
    sm.add_argument("--limit", type=int, default=0, help="first N articles only")
    sm.add_argument(
        "--bullets",
        type=in_range(SUMMARIZER.bullet_count),
        default=None,
        help=f"bullets asked for ({SUMMARIZER.bullet_count})",
    )
    sm.add_argument("--concurrency", type=int, default=2, help="articles in flight")
    addresses(sm)
    sm.set_defaults(func=eval_summarization)


def eval_translation(args: argparse.Namespace) -> int:
    """`newsdesk eval translation --data FILE`: BLEU and chrF through the translator."""
    needs_eval("translation")  # sacrebleu only: it measures a running translator
    import sacrebleu

    rows = []
    with open(args.data, encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            line = line.rstrip("\n")
            if not line or "\t" not in line:
                continue
            source, reference = line.split("\t", 1)
            if number == 0 and source.lower() in {"source", "src"}:
                continue
            rows.append((source, reference))
    if args.limit:
        rows = rows[: args.limit]
    if not rows:
        raise CliError(f"{args.data}: no source<TAB>reference rows")
    hypotheses: list[str] = []
    started = time.perf_counter()
    with NewsdeskClient(client_config(args)) as client:
        for start in range(0, len(rows), args.batch):
            chunk = [s for s, _ in rows[start : start + args.batch]]
            try:
                results = client.translate_many(chunk, source_language=args.source_language)
            except NewsdeskError as err:
                print(f"newsdesk: {err}", file=sys.stderr)
                return 1
            hypotheses += [r.text for r in results]
    refs = [[r for _, r in rows]]
    bleu_metric, chrf_metric = sacrebleu.metrics.BLEU(), sacrebleu.metrics.CHRF()
    bleu = bleu_metric.corpus_score(hypotheses, refs)
    chrf = chrf_metric.corpus_score(hypotheses, refs)
    elapsed = time.perf_counter() - started
    print(
        json.dumps(
            {
                "data": args.data,
                "sentences": len(rows),
                "bleu": round(bleu.score, 2),
                "chrf": round(chrf.score, 2),
                "bleu_signature": str(bleu_metric.get_signature()),
                "seconds": round(elapsed, 1),
            },
            indent=2,
        )
    )
    return 0


def eval_summarization(args: argparse.Namespace) -> int:
    """`newsdesk eval summarization --data FILE`: ROUGE-1/2/L against the references
    (when the file has them) and reference-free checks of every brief, as JSON."""
    needs_eval("summarization")  # rouge-score only
    from services.tools.summary_eval import BriefChecks, read_rows, rouge

    with open(args.data, encoding="utf-8") as handle:
        rows = read_rows(handle)
    if args.limit:
        rows = rows[: args.limit]
    if not rows:
        raise CliError(f"{args.data}: no article rows")
    started = time.perf_counter()
    checks = BriefChecks()
    pairs: list[tuple[str, str]] = []
    failed = 0

    async def run() -> None:
        nonlocal failed
        gate = asyncio.Semaphore(max(1, args.concurrency))
        async with AsyncNewsdeskClient(client_config(args)) as client:

            async def one(article: str, reference: str) -> None:
                nonlocal failed
                async with gate:
                    try:
                        summary = await client.summarize(article, bullet_count=args.bullets)
                    except NewsdeskError as err:
                        failed += 1
                        print(f"newsdesk: {err}", file=sys.stderr)
                        return
                checks.add(
                    article, summary.headline, summary.summary, summary.bullets, summary.shortfall
                )
                if reference.strip():
                    pairs.append((summary.summary, reference))

            await asyncio.gather(*(one(a, r) for a, r in rows))

    asyncio.run(run())
    report: dict[str, object] = {"data": args.data, "articles": len(rows), "failed": failed}
    report["with_reference"] = len(pairs)
    if pairs:
        report.update(rouge(pairs))
    report.update(checks.report())
    report["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(report, indent=2))
    return 0 if failed == 0 else 1
