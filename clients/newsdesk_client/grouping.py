"""The same story told twice: near-duplicate articles grouped before any model work.

Each text's words (lower case, letters and digits) are cut into overlapping shingles
of SHINGLE words; datasketch's MinHash (NUM_PERM permutations) estimates the Jaccard
similarity of two texts' shingle sets, and its LSH index finds the candidate pairs in
about linear time. Texts whose estimated similarity reaches the threshold are one
group (transitively); each group is briefed once, from its longest text (the fullest
telling). A Ukrainian and a Russian telling of one story share no shingles: they are
not grouped (that would need their English, after the model work this saves).

Needs the `group` extra (datasketch, which brings numpy and scipy: ~60 MB, so the
client-only install does without it: grouping is then unavailable, never silent).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

SHINGLE = 5
NUM_PERM = 128
# Estimated Jaccard similarity of word shingles from which two texts are one story
# (bench/grouping_bench.py, DEV half: 0.35 has the best F1, 0.980, precision 0.990; 0.4
# F1 0.977, precision 0.992 — two stories merged hide one, so the stricter 0.4).
THRESHOLD = 0.4
_WORD = re.compile(r"\w+")
# A line found in this many texts of a batch is boilerplate there (see group_texts).
BOILERPLATE_TEXTS = 3
# datasketch's LSH needs at least two bands: thresholds above this it cannot index.
MAX_THRESHOLD = 0.95


class GroupingUnavailable(RuntimeError):
    """datasketch is not installed (the `group` extra)."""


@dataclass(frozen=True)
class Group:
    """Indexes of texts telling one story: `lead` is briefed, `members` holds all of
    them (lead included), in input order."""

    lead: int
    members: tuple[int, ...]


def _datasketch() -> Any:
    try:
        import datasketch
    except ImportError:
        raise GroupingUnavailable(
            "grouping duplicate stories needs the group extra: pip install 'newsdesk[group]' "
            "(or pass --no-group)"
        ) from None
    return datasketch


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """The text's word shingles (a text shorter than `size` words is one shingle)."""
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def _without_boilerplate(texts: Sequence[str]) -> list[str]:
    """The texts without the lines many of them share (a channel's sign-off, a site's
    footer): a line found in BOILERPLATE_TEXTS texts or more is left out of a text,
    unless that would leave the text empty (a story told several times keeps its own
    words)."""
    keys = [[" ".join(_WORD.findall(line.lower())) for line in t.splitlines()] for t in texts]
    seen: dict[str, int] = {}
    for lines in keys:
        for line in set(lines):
            if line:
                seen[line] = seen.get(line, 0) + 1
    out = []
    for text, lines in zip(texts, keys, strict=True):
        kept = [
            raw
            for raw, key in zip(text.splitlines(), lines, strict=True)
            if key and seen[key] < BOILERPLATE_TEXTS
        ]
        out.append("\n".join(kept) if kept else text)
    return out


def group_texts(texts: Sequence[str], threshold: float = THRESHOLD) -> list[Group]:
    """The groups of `texts` (every text in exactly one; a story told once is a group of
    one), in order of their first member. Lines most of a batch shares (a channel's
    footer) are left out first; identical texts are compared once."""
    if not 0.0 < threshold <= MAX_THRESHOLD:
        raise ValueError(f"threshold {threshold} is not in (0, {MAX_THRESHOLD}]")
    ds = _datasketch()
    lsh = ds.MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    cleaned = _without_boilerplate(texts)
    sets = [shingles(text) for text in cleaned]
    hashes: list[Any] = []
    first_of: dict[frozenset[str], int] = {}
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(a: int, b: int) -> None:
        a, b = root(a), root(b)
        if a != b:
            parent[max(a, b)] = min(a, b)

    for index, found in enumerate(sets):
        m = ds.MinHash(num_perm=NUM_PERM)
        m.update_batch([s.encode("utf-8") for s in found])
        hashes.append(m)
        if not found:
            continue
        key = frozenset(found)
        if key in first_of:  # the same words again: one group, no LSH work
            join(first_of[key], index)
            continue
        first_of[key] = index
        lsh.insert(index, m)
    for index in first_of.values():
        for other in lsh.query(hashes[index]):
            if root(other) != root(index) and hashes[index].jaccard(hashes[other]) >= threshold:
                join(index, other)
    members: dict[int, list[int]] = {}
    for index in range(len(texts)):
        members.setdefault(root(index), []).append(index)
    return [
        Group(max(group, key=lambda i: (len(texts[i]), -i)), tuple(group))
        for _, group in sorted(members.items())
    ]
