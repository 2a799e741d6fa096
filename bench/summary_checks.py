"""Reference-free brief checks on the English side of the shared FLORES-200 documents.

    python bench/summary_checks.py [--limit N]

Starts the three services on the tiny locally built models (random weights: the
summaries are noise, but which sentences become bullets is measurable), writes the
English side (`reference_en`) of ../shared/eval/mt/flores200-devtest.docs.jsonl to a
temporary `article<TAB>` file, and runs `newsdesk eval summarization` on it. There
are no reference summaries in the shared material, so no ROUGE is printed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsdesk_client.cli import main as cli_main
from newsdesk_client.local import LocalStack, local_model_env

DOCS = Path(__file__).resolve().parents[2] / "shared/eval/mt/flores200-devtest.docs.jsonl"


def main(argv: list[str] | None = None) -> int:
    """Run the checks; print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="first N documents only")
    args = parser.parse_args(argv)
    if not DOCS.exists():
        print(f"{DOCS} not found: this needs ../shared beside the clone", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="newsdesk-summary-checks-") as tmp:
        work = Path(tmp)
        english = []
        with DOCS.open(encoding="utf-8") as handle:
            for line in handle:
                doc = json.loads(line)
                if doc["lang"] == "uk":  # the uk and ru documents share their English side
                    english.append(doc["reference_en"].replace("\n", "\\n"))
        if args.limit:
            english = english[: args.limit]
        data = work / "flores_en.tsv"
        data.write_text("".join(f"{text}\t\n" for text in english), encoding="utf-8")
        stack = LocalStack(
            {n: 0 for n in ("detector", "translator", "summarizer")},
            local_model_env(work / "models"),
            log_dir=work / "logs",
        )
        stack.start()
        try:
            return cli_main(
                [
                    "eval",
                    "summarization",
                    "--data",
                    str(data),
                    "--detector",
                    stack.address("detector"),
                    "--translator",
                    stack.address("translator"),
                    "--summarizer",
                    stack.address("summarizer"),
                ]
            )
        finally:
            stack.stop()


if __name__ == "__main__":
    raise SystemExit(main())
