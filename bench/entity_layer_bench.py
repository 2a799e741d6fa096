"""The entity layer's cost on the translator: the serving benchmark's greedy workloads on
the base (opus-mt) shape, run on a translator with the layer off and on, side by side in
one run (alternating, so drift hits both), plus the layer's own CPU time in-process.

    python bench/entity_layer_bench.py                 # opus-mt base shape, 2 rounds
    python bench/entity_layer_bench.py --size tiny     # a smoke run (seconds)

Workloads: 16 concurrent one-sentence calls (FLORES-200 devtest uk from
../shared/eval/mt, else the owned corpus), and documents one call each: FLORES documents
and this project's hand-made Ukrainian news sentences with names (tests/entity_cases.py),
four to a document. Both translators run greedy
with the translation cache off and the gate in `flag` mode: random weights do not copy
placeholders, so in `retry` mode every masked name would send its piece to the model a
second time, a cost a trained model (which copies them) does not have; what is measured
is detection, masking, restoring and the target spans, and the model's work on the
masked text. The goal (issue 25): the layer adds at most 10% to the translator's time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import bench_models
from bench.serving_bench import Inputs, Service, load, translate_call, translator_env

MODES = ("off", "glossary")


def news_documents() -> list[str]:
    """The hand-made Ukrainian news sentences with names (tests/entity_cases.py: Ukrainian
    politicians, officials, places and organisations; FLORES is international news and
    few of its names have an established spelling), four to a document."""
    from tests.entity_cases import CASES

    texts = [c.text for c in CASES if c.language == "uk"]
    return [" ".join(texts[i : i + 4]) for i in range(0, len(texts), 4)]


async def workloads(spec: str, mode: str, sentences, documents, args) -> dict[str, float]:
    """Wall seconds of each workload on a translator with NAMES=`mode`, and the names it
    masked."""
    import grpc

    from newsdesk.translation.v1 import translation_pb2, translation_pb2_grpc

    env = translator_env(
        spec,
        1,
        args.threads,
        args.engine,
        NEWSDESK_TRANSLATOR_NAMES=mode,
        NEWSDESK_TRANSLATOR_PLAUSIBILITY="flag",
        NEWSDESK_TRANSLATOR_CACHE_MB="0",
    )
    with Service("translator", env) as svc:
        async with grpc.aio.insecure_channel(svc.address) as channel:
            stub = translation_pb2_grpc.TranslationServiceStub(channel)
            await translate_call(stub, ["Доброго ранку, Києве."])()
            c16 = await load(
                f"names={mode}: 16 concurrent 1-sentence calls",
                [translate_call(stub, [s]) for s in sentences],
                16,
                svc.pid,
            )
            started = time.perf_counter()
            masked = 0
            for text in documents:
                reply = await stub.Translate(
                    translation_pb2.TranslateRequest(contents=[text], source_language_code="uk"),
                    timeout=3600,
                )
                masked += reply.translations[0].segments.names_protected
            docs_s = time.perf_counter() - started
    return {"c16": c16.wall_s, "docs": docs_s, "masked": float(masked)}


def layer_cpu(documents: list[str]) -> tuple[float, int, int]:
    """The layer alone in-process: seconds to find, mask and place the names of every
    document (the analysers loaded first), the entities found and those masked."""
    from services.translator.names import in_text, names_from_env, piece_names
    from services.translator.terms import mask

    policy = names_from_env({}, "NEWSDESK_TRANSLATOR_")
    assert policy is not None
    policy.find("Зеленський у Києві.", "uk", ())
    found = masked = 0
    started = time.perf_counter()
    for text in documents:
        entities = policy.find(text, "uk", ())
        protected = [policy.protects(e) for e in entities]
        names = piece_names(entities, protected, (0, len(text)), text, text)
        mask(text, "uk", None, names)
        in_text(entities, protected, [e.how for e in entities], (0, len(text)), text)
        found += len(entities)
        masked += sum(protected)
    return time.perf_counter() - started, found, masked


async def main_async(args: argparse.Namespace) -> int:
    local, _ = bench_models(args.size, args.engine)
    spec = str(local.spec)
    inputs = Inputs()
    sentences = inputs.take(16)
    documents = [inputs.documents[i % len(inputs.documents)] for i in range(args.documents)]
    documents += news_documents()
    print(
        f"models: {local.spec} ({args.size}, random weights); engine {args.engine}; greedy; "
        f"inputs: {inputs.source}; {len(documents)} documents, "
        f"{sum(map(len, documents))} characters; cpus {os.cpu_count()}",
        flush=True,
    )
    totals = {mode: {"c16": 0.0, "docs": 0.0, "masked": 0.0} for mode in MODES}
    for n in range(args.rounds):
        for mode in MODES if n % 2 == 0 else MODES[::-1]:
            got = await workloads(spec, mode, sentences, documents, args)
            for key, value in got.items():
                totals[mode][key] += value
            print(f"round {n + 1}, names={mode}: {got}", file=sys.stderr, flush=True)
    cpu_s, found, masked = layer_cpu(documents)
    off, on = totals["off"], totals["glossary"]
    print()
    print("| workload (sum of rounds) | layer off s | layer on s | on / off | goal |")
    print("|---|---|---|---|---|")
    for key, label in (
        ("c16", "16 concurrent 1-sentence calls"),
        ("docs", "documents, 1 call each"),
    ):
        ratio = on[key] / off[key]
        print(
            f"| {label} | {off[key]:.2f} | {on[key]:.2f} | {ratio:.3f} | "
            f"<= 1.10 {'yes' if ratio <= 1.10 else 'no'} |"
        )
    per_doc = 1000 * cpu_s / len(documents)
    model_doc = 1000 * off["docs"] / (args.rounds * len(documents))
    print(
        f"\nnames masked per round (documents): {on['masked'] / args.rounds:.0f}; the layer "
        f"alone in-process: {found} entities found, {masked} masked, {per_doc:.1f} ms a "
        f"document = {per_doc / model_doc:.1%} of the translator's {model_doc:.0f} ms a "
        "document with the layer off"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["tiny", "full"], default="full")
    parser.add_argument("--threads", type=int, default=2, help="engine threads per service")
    parser.add_argument("--engine", choices=["ctranslate2", "transformers"], default="ctranslate2")
    parser.add_argument("--documents", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    raise SystemExit(main())
