"""The default at full speed (issue 27): every goal in one run, transformer-big at beam 4
(and greedy), the base shape beside it, today's settings beside the new defaults.

    python bench/full_speed_bench.py                      # big + base, goals and levers
    python bench/full_speed_bench.py --shape big --no-levers
    python bench/full_speed_bench.py --size tiny --quick  # a smoke run (about a minute)

Per shape and configuration, one translator process is started for the run, so its
first traffic is a first burst:
- 16 concurrent one-sentence calls right after start, warm (--repeat times, each
  followed by the same 16 sentences in one call: medians) and after --idle seconds
  (--idle-repeat times), against the one call (goal ≤ 1.2×);
- one sentence alone, then the same sentence right after a 16-sentence call that its
  client cancels after --drop-after seconds (--idle-repeat times, medians; goal ≤ 1.5×
  alone at beam 4); at beam > 1 the --long longest sentences in one call, the load
  that makes the memory peak;
- the process's peak resident memory (VmHWM) over all of it (goal ≤ 800 MiB big,
  ≤ 584 MiB base), and 16-concurrent throughput per core.
"today" is the service with this issue's switches off (no warm-up, no byte budget, no
length grouping: NEWSDESK_TRANSLATOR_WARM_UP / _MAX_BATCH_MIB / _GROUP_LENGTHS); the
levers (workers × threads, int8_float32, the vocabulary shortlist) run the
16-concurrent case at beam 4 each on top of the defaults, side by side.

Models: random-weight MarianMT (CTranslate2) in NEWSDESK_BENCH_MODEL_DIR, built once.
Random weights never emit the end token: every row runs to its bound (a worst case).
Inputs: FLORES-200 devtest uk sentences of at most --max-tokens bench tokens (the bench
models' 2,000-piece tokenizer cuts FLORES about 3× finer than opus-mt's, so an
unfiltered beam-4 burst on transformer-big takes minutes); owned text without ../shared.
The cache is off and the gate only flags, as in every bench.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import MODEL_DIR, rss_mib
from bench.first_burst_bench import batch_stats
from bench.serving_bench import Inputs, Service, translate_call, translator_env

GOAL_BURST = 1.2
GOAL_DROP = 1.5
GOAL_PEAK_MIB = {"big": 800.0, "full": 584.0}
# The settings before this issue (one worker with every thread, no warm-up, no byte
# budget, batches by arrival) and the new defaults (the registry's: nothing set).
TODAY = {
    "NEWSDESK_TRANSLATOR_WORKERS": "1",
    "NEWSDESK_TRANSLATOR_WARM_UP": "false",
    "NEWSDESK_TRANSLATOR_MAX_BATCH_MIB": "0",
    "NEWSDESK_TRANSLATOR_GROUP_LENGTHS": "false",
}
DEFAULTS = {"NEWSDESK_TRANSLATOR_WORKERS": "", "NEWSDESK_TRANSLATOR_THREADS": ""}


def peak_mib(pid: int) -> float:
    """The process's peak resident size (VmHWM) in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class Outcome:
    """One service run: named wall times, batches formed, the peak, errors."""

    label: str
    samples: dict[str, list[float]] = field(default_factory=dict)
    batches: dict[str, str] = field(default_factory=dict)
    peak_mib: float = float("nan")
    rest_mib: float = float("nan")
    errors: int = 0

    @property
    def times(self) -> dict[str, float]:
        """The median of each measured pass's samples."""
        return {name: statistics.median(values) for name, values in self.samples.items()}

    def ratio(self, name: str, base: str) -> float:
        return self.times[name] / self.times[base]


async def _timed(
    out: Outcome, name: str, calls: list[Any], port: int, *, expect_errors: bool = False
) -> None:
    before = batch_stats(port)
    started = time.perf_counter()
    results = await asyncio.gather(*(c() for c in calls), return_exceptions=True)
    took = time.perf_counter() - started
    out.samples.setdefault(name, []).append(took)
    out.batches[name] = batch_stats(port).minus(before).describe()
    if not expect_errors:
        out.errors += sum(isinstance(r, BaseException) for r in results)
    print(f"  {name}: {took:.2f} s, {out.batches[name]}", file=sys.stderr, flush=True)


async def run_service(
    args: argparse.Namespace,
    label: str,
    spec: str,
    beams: int,
    texts: tuple[list[str], list[str], list[str]],
    extra: dict[str, str],
    *,
    full: bool,
) -> Outcome:
    """Start a translator with `extra`, run the sequence (the whole one when `full`,
    else a warm-up burst and the measured 16-concurrent case) and stop it."""
    import grpc

    from newsdesk.translation.v1 import translation_pb2_grpc
    from services.tools.local import free_port

    sixteen, probe, longest = texts
    port = free_port()
    env = translator_env(
        spec, beams, args.threads, NEWSDESK_TRANSLATOR_METRICS_PORT=str(port), **extra
    )
    for name in [k for k, v in extra.items() if v == ""]:
        del env[name]  # the service's own default
    out = Outcome(label)
    print(f"{label}: beam {beams}", file=sys.stderr, flush=True)
    with Service("translator", env) as svc:
        out.rest_mib = rss_mib(svc.pid)
        async with grpc.aio.insecure_channel(svc.address) as channel:
            stub = translation_pb2_grpc.TranslationServiceStub(channel)

            def burst() -> list[Any]:
                return [translate_call(stub, [t]) for t in sixteen]

            one = [translate_call(stub, sixteen)]
            if full:
                await _timed(out, "first burst", burst(), port)
            else:
                await _timed(out, "warm-up burst", burst(), port)
            for _ in range(args.repeat):  # interleaved: the machine's drift hits both
                await _timed(out, "warm burst", burst(), port)
                await _timed(out, "one call", one, port)
            if full:
                for _ in range(args.idle_repeat):
                    await asyncio.sleep(args.idle)
                    await _timed(out, "burst after idle", burst(), port)
                alone = [translate_call(stub, probe)]
                for _ in range(args.idle_repeat):
                    await _timed(out, "alone", alone, port)
                    await _drop(stub, sixteen, args.drop_after)
                    await _timed(out, "after a dropped call", alone, port)
                await _timed(out, "alone", alone, port)
                if longest and beams > 1:
                    # The worst load for memory: the longest sentences in one beam call.
                    long_call = [translate_call(stub, longest)]
                    await _timed(out, "longest sentences in one call", long_call, port)
            out.peak_mib = peak_mib(svc.pid)
    return out


async def _drop(stub: Any, sixteen: list[str], after_s: float) -> None:
    """A 16-sentence call its client cancels after `after_s` (no deadline: the server
    cannot foresee it)."""
    from newsdesk.translation.v1 import translation_pb2

    call = stub.Translate(
        translation_pb2.TranslateRequest(contents=sixteen, source_language_code="uk")
    )
    await asyncio.sleep(after_s)
    call.cancel()


def pick_sentences(
    inputs: Inputs, spec: str, max_tokens: int, long: int
) -> tuple[list[str], list[str], list[str]]:
    """16 sentences and a probe, each at most max_tokens source tokens of the model;
    and the `long` longest of the first 100 sentences (the memory peak's load)."""
    from services.common.engines.base import EngineSettings, load_engine
    from services.common.models.store import ModelSpec

    engine = load_engine(EngineSettings(threads=1), MODEL_DIR, ModelSpec.parse(spec))
    chosen = [s for s in inputs.sentences if engine.count_tokens(s) <= max_tokens]
    if len(chosen) < 17:
        raise SystemExit(f"fewer than 17 sentences of at most {max_tokens} tokens")
    longest = sorted(inputs.sentences[:100], key=engine.count_tokens)[-long:] if long else []
    return chosen[:16], chosen[16:17], longest


def goal_rows(shape: str, outs: list[tuple[str, int, Outcome]]) -> list[str]:
    """The goal table's rows of one shape."""
    rows = []
    for label, beams, o in outs:
        cores = 2
        row = (
            f"| {shape} | {label} | {beams} | {o.ratio('first burst', 'one call'):.2f}x "
            f"| {o.ratio('warm burst', 'one call'):.2f}x "
            f"| {o.ratio('burst after idle', 'one call'):.2f}x "
            f"| {o.times['alone']:.2f} | {o.ratio('after a dropped call', 'alone'):.2f}x "
            f"| {o.rest_mib:.0f} | {o.times.get('longest sentences in one call', float('nan')):.2f} "
            f"| {o.peak_mib:.0f} | {16 / o.times['warm burst'] / cores:.3f} "
            f"| {o.errors} |"
        )
        rows.append(row)
    return rows


async def main_async(args: argparse.Namespace) -> int:
    from services.common.models.ct2_convert import convert
    from services.translator.build_local import build_marian

    inputs = Inputs()
    shapes = args.shape or (["tiny"] if args.size == "tiny" else ["big", "full"])
    print(
        f"inputs: {inputs.source}, at most {args.max_tokens} tokens; cpus {os.cpu_count()}; "
        f"threads {args.threads}; idle {args.idle:g} s; drop after {args.drop_after:g} s",
        flush=True,
    )
    goals: list[str] = []
    levers: list[str] = []
    for shape in shapes:
        local = build_marian(MODEL_DIR, shape)
        convert(local.spec, MODEL_DIR, quantization="int8")
        spec = str(local.spec)
        texts = pick_sentences(inputs, spec, args.max_tokens, args.long)
        outs: list[tuple[str, int, Outcome]] = []
        beam_list = [4] if args.quick else [4, 1]
        configs = [("today", TODAY), ("new defaults", DEFAULTS)]
        for beams in beam_list:
            for label, extra in configs:
                o = await run_service(args, label, spec, beams, texts, extra, full=True)
                outs.append((label, beams, o))
        goals += goal_rows(shape, outs)
        if not args.levers:
            continue
        base = next(o for label, b, o in outs if label == "new defaults" and b == 4)
        lever_list = [
            ("workers 1 × threads 2", {"NEWSDESK_TRANSLATOR_WORKERS": "1"}),
            ("int8_float32", {**DEFAULTS, "NEWSDESK_TRANSLATOR_COMPUTE_TYPE": "int8_float32"}),
            ("length grouping off", {**DEFAULTS, "NEWSDESK_TRANSLATOR_GROUP_LENGTHS": "false"}),
            ("byte budget off", {**DEFAULTS, "NEWSDESK_TRANSLATOR_MAX_BATCH_MIB": "0"}),
        ]
        if args.shortlist:
            _build_shortlist(local.spec)
            shortlist = {**DEFAULTS, "NEWSDESK_TRANSLATOR_SHORTLIST": "true"}
            lever_list.append(("vocabulary shortlist", shortlist))
        today = next(o for label, b, o in outs if label == "today" and b == 4)
        levers.append(_lever_row(shape, "today", today, today))
        levers.append(_lever_row(shape, "new defaults", base, today))
        for label, extra in lever_list:
            compute = extra.get("NEWSDESK_TRANSLATOR_COMPUTE_TYPE")
            if compute:
                convert(local.spec, MODEL_DIR, quantization=compute)
            o = await run_service(args, label, spec, 4, texts, extra, full=False)
            levers.append(_lever_row(shape, label, o, today))
    print("\n### Goals (16 concurrent one-sentence calls vs the same 16 in one call)\n")
    print(
        "| shape | settings | beams | first burst | warm | after idle | alone s "
        "| after a dropped call | RSS at start MiB | longest in one call s | peak MiB "
        "| sentences/s per core (warm) "
        "| errors |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(goals))
    print(
        f"\ngoals: bursts ≤ {GOAL_BURST}x; after a dropped call ≤ {GOAL_DROP}x alone (beam 4); "
        f"peak ≤ {GOAL_PEAK_MIB['big']:.0f} MiB big, ≤ {GOAL_PEAK_MIB['full']:.0f} MiB base; "
        "throughput per core ≥ 1.5x today's (beam 4, big)"
    )
    if levers:
        print("\n### Levers (beam 4, 16 concurrent calls, warm; each on top of the defaults)\n")
        print(
            "| shape | lever | warm burst s | sentences/s per core | vs today | vs one call | peak MiB |"
        )
        print("|---|---|---|---|---|---|---|")
        print("\n".join(levers))
    return 0


def _build_shortlist(spec: Any) -> None:
    """A vocabulary map of realistic size in the int8 conversion (16 sampled targets
    per source piece besides the always-candidates of the project's own parallel
    sentences: bench/shortlist_bench.py's sized_map); only its size matters here."""
    from bench.shortlist_bench import owned_pairs, sized_map
    from services.common.models.shortlist import from_parallel, write_shortlist
    from services.common.models.store import locate_converted

    conversion = locate_converted(MODEL_DIR, spec, "int8").path
    base = from_parallel(conversion, owned_pairs(), top=30, always=300)
    vmap = sized_map(conversion, base, 16)  # a realistic union size (shortlist_bench.py)
    print(f"shortlist: {write_shortlist(conversion, vmap)}", file=sys.stderr, flush=True)


def _lever_row(shape: str, label: str, o: Outcome, today: Outcome) -> str:
    per_core = 16 / o.times["warm burst"] / 2
    return (
        f"| {shape} | {label} | {o.times['warm burst']:.2f} | {per_core:.3f} "
        f"| {today.times['warm burst'] / o.times['warm burst']:.2f}x "
        f"| {o.ratio('warm burst', 'one call'):.2f}x | {o.peak_mib:.0f} |"
    )


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["tiny", "full"], default="full")
    parser.add_argument("--shape", action="append", choices=["tiny", "full", "big"])
    parser.add_argument("--idle", type=float, default=30.0, help="seconds idle before a burst")
    parser.add_argument(
        "--repeat", type=int, default=3, help="warm bursts and one calls, interleaved (median)"
    )
    parser.add_argument(
        "--idle-repeat", type=int, default=2, help="idle bursts and dropped calls (median)"
    )
    parser.add_argument("--drop-after", type=float, default=1.0, help="seconds before the cancel")
    parser.add_argument("--threads", type=int, default=2, help="engine threads (2 cores here)")
    parser.add_argument("--max-tokens", type=int, default=64, help="longest input, bench tokens")
    parser.add_argument(
        "--long", type=int, default=8, help="longest sentences in one beam call (the peak)"
    )
    parser.add_argument("--no-levers", dest="levers", action="store_false")
    parser.add_argument(
        "--shortlist", action="store_true", help="also the vocabulary shortlist lever"
    )
    parser.add_argument("--quick", action="store_true", help="beam 4 only, 3 s idle")
    args = parser.parse_args(argv)
    if args.quick and args.idle == 30.0:
        args.idle = 3.0
    if args.quick and args.drop_after == 1.0:
        args.drop_after = 0.05
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    raise SystemExit(main())
