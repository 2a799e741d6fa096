"""A target-vocabulary shortlist for the ctranslate2 engine: build `vmap.txt`, find it.

CTranslate2 reads `vmap.txt` from the model folder when a Translator is built
(src/models/sequence_to_sequence.cc) and, with `translate_batch(use_vmap=True)`,
restricts the output layer to the union, over every source sentence of the batch (not
per sentence), of the targets its n-grams map to. The format (src/vocabulary_map.cc):
one rule a line, `SOURCE<TAB>TARGET TARGET ...`; SOURCE is an n-gram of source tokens
joined by single spaces, as given to translate_batch (sentencepiece pieces); the
TARGETs are target-vocabulary tokens separated by single spaces, and one outside the
vocabulary silently becomes `<unk>`, so only vocabulary tokens are written. A rule
with an empty SOURCE lists tokens that are always candidates; CTranslate2 adds
`<unk>`, the vocabulary's bos and eos, and the batch's target prefix itself. We write
one-piece rules only, and never an empty file (CTranslate2 reads the one-piece table
of every map it loads).

What is mapped: for each source piece s, its K target pieces t of highest Dice
coefficient, dice(s, t) = 2·c(s, t) / (c(s) + c(t)), where c counts sentence pairs (a
piece once per pair): c(s, t) the pairs holding both, c(s) and c(t) those holding
each. Dice needs no word alignment and, unlike p(t|s), does not rank the commonest
English pieces ("▁the", ",") first for every source piece; those are always
candidates instead: the N most frequent target pieces of the corpus (by occurrences)
and the model's special tokens (end, unknown, decoder start, forced prefix). Ties:
more co-occurrences first, then the token. Pairs come from a parallel corpus
(`source<TAB>english`, the English through target.spm) or from the model's own greedy
outputs on source text. Tokenized with the conversion's own files, exactly as the
engine tokenizes (services/common/engines/ct2.py's SentencePiece).

A shortlist is lossy by design: an English token no piece of the batch maps to cannot
be written. It is off unless NEWSDESK_TRANSLATOR_SHORTLIST turns it on.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import os
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from services.common.models.store import CONVERTED_META, ModelNotFound, ModelSpec

if TYPE_CHECKING:
    from services.common.engines.base import GenerationSpec

VMAP_FILE = "vmap.txt"
# A first line naming the columns is a header, not a pair.
_HEADERS = {("source", "reference"), ("source", "english"), ("source", "target")}


class ShortlistError(ValueError):
    """The input cannot make a shortlist: unreadable, empty, or a bad line (named)."""


class ShortlistNotFound(ModelNotFound):
    """The shortlist is on and the conversion has no vmap.txt."""


def shortlist_command(spec: ModelSpec, model_dir: Path | None, quantization: str) -> str:
    """The command that writes a missing shortlist (named in errors)."""
    where = f" --model-dir {model_dir}" if model_dir is not None else ""
    return (
        f"newsdesk models shortlist {spec}{where} --quantization {quantization} "
        "--parallel PAIRS.tsv"
    )


def require_shortlist(conversion: Path, command: str) -> Path:
    """The conversion's vmap.txt; ShortlistNotFound names `command` when it is absent."""
    path = conversion / VMAP_FILE
    if not path.is_file():
        raise ShortlistNotFound(
            "the target-vocabulary shortlist is on (NEWSDESK_TRANSLATOR_SHORTLIST) but "
            f"{conversion} has no {VMAP_FILE}. Write it with `{command}` (or --monolingual "
            "TEXT), or turn the shortlist off"
        )
    return path


def shortlist_tag(path: Path) -> str:
    """What a shortlist adds to the model identity: `+vmap-` and 8 hex digits of the
    map's SHA-256, so outputs over two different maps never share a cache key."""
    return "+vmap-" + hashlib.sha256(path.read_bytes()).hexdigest()[:8]


@dataclass(frozen=True)
class VocabularyMap:
    """Source piece → its candidate target pieces, and the always-candidates."""

    rules: Mapping[str, tuple[str, ...]]
    always: tuple[str, ...]
    pairs: int = 0  # sentence pairs counted

    def candidates(self, source_tokens: Iterable[str]) -> set[str]:
        """The shortlist of these source tokens as the map gives it (CTranslate2 adds
        `<unk>`, bos, eos and the target prefix)."""
        found = set(self.always)
        for token in source_tokens:
            found.update(self.rules.get(token, ()))
        return found

    @property
    def mean_targets(self) -> float:
        """Targets per source entry, on average."""
        return sum(map(len, self.rules.values())) / len(self.rules) if self.rules else 0.0

    def summary(self) -> str:
        """Its sizes, in words."""
        return (
            f"{len(self.rules)} source entries, {self.mean_targets:.1f} targets per entry "
            f"(mean), {len(self.always)} always-candidates, from {self.pairs} sentences"
        )

    def text(self) -> str:
        """The vmap.txt text: the always-line first, then one line per source piece."""
        lines = ["\t" + " ".join(self.always)]
        lines += [f"{s}\t{' '.join(self.rules[s])}" for s in sorted(self.rules)]
        return "\n".join(lines) + "\n"

    @classmethod
    def parse(cls, text: str) -> VocabularyMap:
        """A map read back from vmap.txt text (one-piece and always rules)."""
        rules: dict[str, tuple[str, ...]] = {}
        always: tuple[str, ...] = ()
        for line in text.splitlines():
            source, _, targets = line.partition("\t")
            if source:
                rules[source] = tuple(targets.split())
            else:
                always += tuple(targets.split())
        return cls(rules, always)


class Cooccurrence:
    """Sentence-level counts of source and target pieces; see the module docstring."""

    def __init__(self) -> None:
        self.pairs = 0
        self.source: Counter[str] = Counter()
        self.target: Counter[str] = Counter()
        self.occurrences: Counter[str] = Counter()
        self.joint: defaultdict[str, Counter[str]] = defaultdict(Counter)

    def add(self, source: Iterable[str], target: Sequence[str]) -> None:
        """Count one sentence pair."""
        self.pairs += 1
        self.occurrences.update(target)
        pieces, targets = set(source), set(target)
        self.source.update(pieces)
        self.target.update(targets)
        for piece in pieces:
            self.joint[piece].update(targets)

    def shortlist(
        self, top: int, always: int, specials: Sequence[str], vocabulary: Collection[str]
    ) -> VocabularyMap:
        """The top-K targets per source piece (Dice) and the always-candidates."""
        if not self.pairs:
            raise ShortlistError("no sentences to count: the corpus is empty")
        frequent = sorted(self.occurrences.items(), key=lambda kv: (-kv[1], kv[0]))
        common = [t for t, _ in frequent if t in vocabulary][:always]
        fixed = dict.fromkeys([*(t for t in specials if t in vocabulary), *common])
        rules: dict[str, tuple[str, ...]] = {}
        for piece, joint in self.joint.items():
            # A special source token (</s>) is in every input: a rule for it would be
            # an always-line in disguise. A key may hold no separator of the format.
            if piece in specials or not piece or any(c in piece for c in " \t\r\n"):
                continue
            scored = heapq.nsmallest(
                top,
                (
                    (-2 * n / (self.source[piece] + self.target[t]), -n, t)
                    for t, n in joint.items()
                    if t in vocabulary and t not in fixed
                ),
            )
            if scored:
                rules[piece] = tuple(t for _, _, t in scored)
        return VocabularyMap(rules, tuple(fixed), self.pairs)


def conversion_vocabulary(conversion: Path) -> set[str]:
    """The target vocabulary of a CTranslate2 conversion."""
    for name in ("target_vocabulary.json", "shared_vocabulary.json"):
        if (conversion / name).is_file():
            return set(json.loads((conversion / name).read_text("utf-8")))
    raise ShortlistError(f"{conversion} holds no CTranslate2 vocabulary")


def special_tokens(conversion: Path) -> list[str]:
    """End, unknown and decoder-start tokens (config.json) and the forced prefix."""
    config = json.loads((conversion / "config.json").read_text("utf-8"))
    meta = json.loads((conversion / CONVERTED_META).read_text("utf-8"))
    names = ("eos_token", "unk_token", "decoder_start_token", "bos_token")
    found = [config.get(n) for n in names] + [meta["generation"].get("forced_bos_token")]
    return list(dict.fromkeys(t for t in found if isinstance(t, str) and t))


def _tokenizer(conversion: Path) -> Any:
    meta = json.loads((conversion / CONVERTED_META).read_text("utf-8"))
    if meta.get("tokenizer") != "sentencepiece":
        raise ShortlistError(
            f"{conversion} is not a Marian (sentencepiece) conversion: the shortlist is "
            "for the translation models"
        )
    # Imported here: the engine module imports this one (require_shortlist).
    from services.common.engines.ct2 import SentencePiece

    return SentencePiece(conversion, meta["source_eos"])


def from_parallel(
    conversion: Path, pairs: Iterable[tuple[str, str]], top: int, always: int
) -> VocabularyMap:
    """The map of a parallel corpus of (source, English) sentence pairs."""
    tokenizer = _tokenizer(conversion)
    counts = Cooccurrence()
    for source, english in pairs:
        counts.add(tokenizer.tokens(source), tokenizer.target_pieces(english))
    specials = special_tokens(conversion)
    return counts.shortlist(top, always, specials, conversion_vocabulary(conversion))


class Translates(Protocol):
    """What from_outputs needs of an engine (CTranslate2Engine)."""

    max_source_tokens: int

    def count_tokens(self, text: str) -> int: ...

    def translate_tokens(
        self, inputs: list[str], spec: GenerationSpec
    ) -> list[tuple[list[str], list[str]]]: ...


def from_outputs(
    conversion: Path,
    engine: Translates,
    texts: Sequence[str],
    spec: GenerationSpec,
    top: int,
    always: int,
    batch: int = 16,
) -> tuple[VocabularyMap, int]:
    """The map of the model's own outputs on source `texts` (the engine over the same
    conversion, shortlist off), and how many texts were skipped as over its window."""
    fits = [t for t in texts if engine.count_tokens(t) <= engine.max_source_tokens]
    fits.sort(key=len)  # batches of like lengths pad less
    counts = Cooccurrence()
    for start in range(0, len(fits), batch):
        for source, output in engine.translate_tokens(fits[start : start + batch], spec):
            counts.add(source, output)
    specials = special_tokens(conversion)
    vmap = counts.shortlist(top, always, specials, conversion_vocabulary(conversion))
    return vmap, len(texts) - len(fits)


def write_shortlist(conversion: Path, vmap: VocabularyMap) -> Path:
    """Write vmap.txt into the conversion (atomically: a loading engine never sees half)."""
    path = conversion / VMAP_FILE
    partial = path.with_name(VMAP_FILE + ".partial")
    partial.write_text(vmap.text(), encoding="utf-8")
    os.replace(partial, path)
    return path


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ShortlistError(f"cannot read {path}: {exc}") from None


def read_parallel(path: Path) -> list[tuple[str, str]]:
    """(source, English) pairs of a `source<TAB>english` file; blank lines and a header
    line are skipped; a line without both sides is a ShortlistError naming it."""
    pairs: list[tuple[str, str]] = []
    for number, line in enumerate(_lines(path), 1):
        if not line.strip():
            continue
        source, tab, english = line.partition("\t")
        if not pairs and (source.strip().lower(), english.strip().lower()) in _HEADERS:
            continue
        if not tab or not source.strip() or not english.strip():
            raise ShortlistError(
                f"{path}:{number}: expected `source<TAB>english`, both sides non-empty"
            )
        pairs.append((source.strip(), english.strip()))
    if not pairs:
        raise ShortlistError(f"{path} holds no sentence pairs")
    return pairs


def read_monolingual(path: Path) -> list[str]:
    """The non-blank lines of a source-text file (one sentence or paragraph each)."""
    texts = [line.strip() for line in _lines(path) if line.strip()]
    if not texts:
        raise ShortlistError(f"{path} holds no text")
    return texts
