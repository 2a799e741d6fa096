"""Deadlines under overload: 200 callers with 5 s deadlines against one translator.

    python bench/deadline_bench.py                     # full-size opus-mt shape, int8
    python bench/deadline_bench.py --size tiny         # a quick run

Each of 200 callers sends one-sentence Translate calls in a loop for `--seconds` (8),
every call with a 5 s deadline, the load generator on the same machine. An admitted
call that then runs out its deadline is work the model did for nobody; the admission
rule (services/common/batching/admission.py) refuses up front, with RetryInfo, a call whose
deadline the measured drain cannot meet. Prints, per outcome, how many calls ended
that way: served, refused (by reason) and admitted-but-expired, and the share of
admitted calls that expired. The translation cache is off (every sentence is new
anyway) and the gate only flags (no retries of random-weight noise).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import bench_models
from bench.serving_bench import Inputs, Service, translator_env


async def run(address: str, sentences: list[str], callers: int, seconds: float, deadline: float):
    import grpc
    from google.rpc import error_details_pb2
    from grpc_status import rpc_status

    from newsdesk.translation.v1 import translation_pb2, translation_pb2_grpc

    outcomes: Counter[str] = Counter()
    served_latency: list[float] = []
    next_sentence = iter(range(10**9))
    stop_at = time.monotonic() + seconds

    async with grpc.aio.insecure_channel(address) as channel:
        stub = translation_pb2_grpc.TranslationServiceStub(channel)

        async def caller() -> None:
            while time.monotonic() < stop_at:
                text = sentences[next(next_sentence) % len(sentences)]
                request = translation_pb2.TranslateRequest(
                    contents=[text], source_language_code="uk"
                )
                started = time.monotonic()
                try:
                    await stub.Translate(request, timeout=deadline)
                    outcomes["served"] += 1
                    served_latency.append(time.monotonic() - started)
                except grpc.aio.AioRpcError as err:
                    reason = ""
                    status = rpc_status.from_call(err)
                    for detail in status.details if status is not None else ():
                        info = error_details_pb2.ErrorInfo()
                        if detail.Unpack(info):
                            reason = info.reason
                    if err.code() == grpc.StatusCode.DEADLINE_EXCEEDED:
                        outcomes["admitted, deadline exceeded"] += 1
                    else:
                        outcomes[f"refused {err.code().name} {reason}".strip()] += 1
                        await asyncio.sleep(0.2)  # a polite client backs off a little

        await asyncio.gather(*(caller() for _ in range(callers)))
    return outcomes, served_latency


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["tiny", "full"], default="full")
    parser.add_argument("--callers", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--deadline", type=float, default=5.0)
    args = parser.parse_args()
    marian, _ = bench_models(args.size)
    env = translator_env(
        str(marian.spec),
        4,
        0,
        NEWSDESK_TRANSLATOR_CACHE_MB="0",
        NEWSDESK_TRANSLATOR_PLAUSIBILITY="flag",
    )
    inputs = Inputs()
    with Service("translator", env) as service:
        # Warm up (and measure the drain rate) with a few calls first.
        warm = inputs.take(8)
        asyncio.run(run(service.address, warm, 4, 2.0, 60.0))
        outcomes, latency = asyncio.run(
            run(service.address, inputs.take(4000), args.callers, args.seconds, args.deadline)
        )
    admitted = outcomes["served"] + outcomes["admitted, deadline exceeded"]
    total = sum(outcomes.values())
    print(
        f"{args.callers} callers, {args.deadline:.0f} s deadlines, {args.seconds:.0f} s, "
        f"{args.size} model, {inputs.source}:"
    )
    for name, count in sorted(outcomes.items()):
        print(f"  {name:45s} {count:6d}")
    expired = outcomes["admitted, deadline exceeded"]
    share = expired / admitted if admitted else 0.0
    print(f"  calls {total}, admitted {admitted}, admitted that expired {expired} ({share:.1%})")
    if latency:
        latency.sort()
        print(
            f"  served latency p50 {latency[len(latency) // 2]:.2f} s, "
            f"p99 {latency[int(len(latency) * 0.99)]:.2f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
