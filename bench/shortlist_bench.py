"""The target-vocabulary shortlist (CTranslate2 `use_vmap`): decode time of the same
batches with and without it, in one run, on the transformer-big translator; the map's
size; and how much of a real English reference a shortlist leaves out.

    python bench/shortlist_bench.py            # transformer-big (random weights), int8, 2 threads
    python bench/shortlist_bench.py --quick    # tiny model, --top 3 --always 20: a smoke run
    python bench/shortlist_bench.py --parallel pairs.tsv --top 50 --always 500

The map is built as `newsdesk models shortlist --parallel` builds it
(services/common/models/shortlist.py) from a parallel corpus that is not the FLORES
devtest: by default the project's own uk/en sentences (services/common/models/corpus.py,
line by line; all of ../shared/eval/mt is FLORES devtest), or --parallel FILE. It is
written beside the bench model's conversion, into a temporary folder of links to the
conversion's files, so the shared conversion is never changed.

Decoding: the first --sentences Ukrainian sentences of FLORES-200 devtest, in batches
of --batch, greedy and beam 4, on one Translator (int8, --threads intra threads):
use_vmap off then on, alternating, --repeats times (the median is printed). Random
weights never emit the end token, so every row decodes exactly --steps tokens
(min_decoding_length = max_decoding_length) in both runs: the same number of steps.
CTranslate2 restricts a batch to the union of its sentences' shortlists, so the output
layer column shows that union's mean size beside the vocabulary's.

Coverage: for each FLORES devtest sentence pair, the share of its English reference's
target.spm pieces outside the shortlist of its own source sentence (and of sentences
with every piece inside). Random weights cannot show what a shortlist costs in BLEU;
this is the ceiling it puts on a real model: a piece outside cannot be written.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import MODEL_DIR, SHARED, bench_models

FLORES = SHARED / "eval" / "mt" / "flores200-devtest.uk-en.tsv"
DEVTEST = {FLORES, SHARED / "eval" / "mt" / "flores200-devtest.ru-en.tsv"}
DECODINGS = (("greedy", 1), ("beam 4", 4))


def flores_pairs() -> tuple[list[tuple[str, str]], str]:
    """FLORES devtest (uk, en) pairs, or the owned corpus's when ../shared is absent."""
    if FLORES.exists():
        lines = FLORES.read_text(encoding="utf-8").splitlines()[1:]
        pairs = [tuple(line.split("\t", 1)) for line in lines if "\t" in line]
        return [(uk, en) for uk, en in pairs], "FLORES-200 devtest uk-en"
    return owned_pairs(), "owned corpus (../shared absent: the map's own data)"


def owned_pairs() -> list[tuple[str, str]]:
    """The owned corpus's uk and en sentences, line by line (templates expanded alike)."""
    from services.common.models.corpus import sentences

    return list(zip(sentences("uk")[:-2], sentences("en")[:-2], strict=True))


def map_pairs(given: str | None) -> tuple[list[tuple[str, str]], str]:
    """The corpus the map is built from: --parallel FILE (never FLORES devtest) or owned."""
    if given is None:
        return owned_pairs(), "owned uk/en corpus (services/common/models/corpus.py)"
    from services.common.models.shortlist import read_parallel

    path = Path(given).expanduser().resolve()
    if path in {p.resolve() for p in DEVTEST}:
        raise SystemExit(f"{path} is FLORES devtest, which the coverage is measured on")
    return read_parallel(path), str(path)


def linked_conversion(conversion: Path, folder: Path) -> Path:
    """A folder of links to the conversion's files (a vmap.txt of its own goes beside)."""
    for item in conversion.iterdir():
        if item.name != "vmap.txt":
            (folder / item.name).symlink_to(item.resolve())
    return folder


def timed(translator: Any, batches: list[list[list[str]]], beam: int, steps: int, vmap: bool):
    """Seconds to decode every batch, and the tokens decoded."""
    start = time.perf_counter()
    tokens = 0
    for batch in batches:
        results = translator.translate_batch(
            batch,
            beam_size=beam,
            min_decoding_length=steps,
            max_decoding_length=steps,
            max_input_length=0,
            disable_unk=True,
            use_vmap=vmap,
        )
        tokens += sum(len(r.hypotheses[0]) for r in results)
    return time.perf_counter() - start, tokens


def coverage(vmap: Any, tokenizer: Any, pairs: list[tuple[str, str]]) -> tuple[float, float, int]:
    """(share of reference pieces outside their sentence's shortlist, share of
    sentences fully covered, reference pieces counted)."""
    outside = total = covered = 0
    for source, english in pairs:
        allowed = vmap.candidates(tokenizer.tokens(source))
        pieces = tokenizer.target_pieces(english)
        missed = sum(p not in allowed for p in pieces)
        outside += missed
        total += len(pieces)
        covered += missed == 0
    return outside / max(1, total), covered / max(1, len(pairs)), total


def sized_map(conversion: Path, base: Any, per_piece: int, seed: int = 27) -> Any:
    """A map of realistic size for the speed figure: every source piece of the
    conversion's source.spm gets `per_piece` target pieces (a seeded sample of the
    vocabulary) besides `base`'s always-candidates. Its content is arbitrary (random
    weights cannot judge a map's quality); what it sets is the output layer's size: a
    batch's union of its sentences' lists, as CTranslate2 takes it. Lexical shortlists
    as Bergamot ships them keep ~50 candidates per source word plus ~100 frequent words,
    a union of a few thousand per batch; per_piece 16 gives that here."""
    import random

    import sentencepiece as spm

    from services.common.models.shortlist import VocabularyMap, conversion_vocabulary

    source = spm.SentencePieceProcessor(model_file=str(conversion / "source.spm"))
    vocabulary = sorted(conversion_vocabulary(conversion) - set(base.always))
    rules = {}
    for i in range(source.get_piece_size()):
        piece = source.id_to_piece(i)
        if piece and not any(c in piece for c in " \t\r\n") and not source.is_control(i):
            rules[piece] = tuple(random.Random(f"{seed}:{piece}").sample(vocabulary, per_piece))
    return VocabularyMap(rules, base.always, base.pairs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny model, a smoke run")
    parser.add_argument("--threads", type=int, default=2, help="intra threads (2)")
    parser.add_argument("--sentences", type=int, default=16, help="FLORES sentences (16)")
    parser.add_argument("--batch", type=int, default=16, help="sentences per batch (16)")
    parser.add_argument("--steps", type=int, default=64, help="tokens decoded per row (64)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per mode (3)")
    parser.add_argument("--parallel", help="source<TAB>english corpus for the map")
    parser.add_argument("--top", type=int, help="targets per source piece (the CLI's default)")
    parser.add_argument("--always", type=int, help="always-candidates (the CLI's default)")
    parser.add_argument(
        "--sized",
        type=int,
        default=16,
        metavar="N",
        help="time a map of realistic size: N sampled targets per source piece (0: the "
        "corpus map; see sized_map)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sentences, args.batch, args.steps, args.repeats = 4, 4, 8, 1

    import ctranslate2

    from services.common.engines.ct2 import SentencePiece
    from services.common.models.shortlist import (
        VMAP_FILE,
        conversion_vocabulary,
        from_parallel,
        write_shortlist,
    )
    from services.common.models.store import locate_converted
    from services.tools.shortlist import SHORTLIST_ALWAYS, SHORTLIST_TOP

    # The tiny model's English side has under 100 pieces: the CLI's defaults would make
    # every one an always-candidate and leave no source entries to exercise.
    top = args.top or (3 if args.quick else SHORTLIST_TOP)
    always = args.always if args.always is not None else 20 if args.quick else SHORTLIST_ALWAYS
    size = "tiny" if args.quick else "big"
    marian, _ = bench_models(size)
    conversion = locate_converted(MODEL_DIR, marian.spec, "int8").path
    corpus, corpus_name = map_pairs(args.parallel)
    corpus_map = from_parallel(conversion, corpus, top, always)
    vmap = sized_map(conversion, corpus_map, args.sized) if args.sized else corpus_map
    tokenizer = SentencePiece(conversion, "</s>")
    test_pairs, test_name = flores_pairs()
    sources = [uk for uk, _ in test_pairs[: args.sentences]]
    batches = [
        [tokenizer.tokens(s) for s in sources[i : i + args.batch]]
        for i in range(0, len(sources), args.batch)
    ]
    vocabulary = len(conversion_vocabulary(conversion))
    union = statistics.mean(len(vmap.candidates(t for row in b for t in row)) for b in batches)
    with tempfile.TemporaryDirectory(prefix="shortlist-bench-") as tmp:
        folder = linked_conversion(conversion, Path(tmp))
        written = write_shortlist(folder, vmap)
        kib = written.stat().st_size / 1024
        translator = ctranslate2.Translator(
            str(folder), device="cpu", compute_type="int8", intra_threads=args.threads
        )
        print(
            f"### shortlist decode: {marian.spec} (random weights), {translator.compute_type}, "
            f"{args.threads} threads; {len(sources)} sentences of {test_name} in batches of "
            f"{args.batch}; {args.steps} tokens per row; median of {args.repeats}",
            flush=True,
        )
        print(
            "| decoding | full vocabulary (s) | shortlist (s) | speedup | tokens | output layer |"
        )
        print("|---|---|---|---|---|---|")
        for name, beam in DECODINGS:
            for vm in (False, True):  # warm-up: first-call allocations stay out of the figures
                timed(translator, batches[:1], beam, min(4, args.steps), vm)
            seconds: dict[bool, list[float]] = {False: [], True: []}
            tokens: dict[bool, int] = {}
            for _ in range(args.repeats):
                for vm in (False, True):
                    took, tokens[vm] = timed(translator, batches, beam, args.steps, vm)
                    seconds[vm].append(took)
            full, short = (statistics.median(seconds[vm]) for vm in (False, True))
            print(
                f"| {name} | {full:.3f} | {short:.3f} | {full / short:.2f}x | "
                f"{tokens[False]} / {tokens[True]} | {vocabulary} → {union:.0f} |",
                flush=True,
            )
    timed_map = f"sized ({args.sized} sampled targets per source piece)" if args.sized else ""
    print(f"map timed ({VMAP_FILE}, {kib:.0f} KiB): {timed_map or corpus_name}: {vmap.summary()}")
    print(f"map from {corpus_name}: {corpus_map.summary()}")
    checked = test_pairs if not args.quick else test_pairs[:40]
    share, full_rows, pieces = coverage(corpus_map, tokenizer, checked)
    print(
        f"coverage: {share:.1%} of {test_name} English reference pieces fall outside their "
        f"sentence's shortlist ({pieces} pieces, {len(checked)} sentences); "
        f"{full_rows:.1%} of sentences fully covered"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
