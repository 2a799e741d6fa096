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
# (bench/grouping_bench.py, DEV half: 0.35 has the best F1, 0.978, with precision 0.990;
# 0.4 the same F1 with precision 1.000 — two stories merged hide one, so 0.4).
THRESHOLD = 0.4
_WORD = re.compile(r"\w+")


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


def group_texts(texts: Sequence[str], threshold: float = THRESHOLD) -> list[Group]:
    """The groups of `texts` (every text in exactly one; a story told once is a group of
    one), in order of their first member."""
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold {threshold} is not in (0, 1)")
    ds = _datasketch()
    lsh = ds.MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    hashes = []
    for index, text in enumerate(texts):
        m = ds.MinHash(num_perm=NUM_PERM)
        m.update_batch([s.encode("utf-8") for s in shingles(text)])
        hashes.append(m)
        if shingles(text):
            lsh.insert(index, m)
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for index, m in enumerate(hashes):
        if not shingles(texts[index]):
            continue
        for other in lsh.query(m):
            if other != index and m.jaccard(hashes[other]) >= threshold:
                a, b = root(index), root(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    members: dict[int, list[int]] = {}
    for index in range(len(texts)):
        members.setdefault(root(index), []).append(index)
    return [
        Group(max(group, key=lambda i: (len(texts[i]), -i)), tuple(group))
        for _, group in sorted(members.items())
    ]
