"""Giving freed memory back to the OS between bursts of work.

A model batch allocates and frees its working set (activations, decoder caches, beam
state) from several threads. glibc keeps freed pages in its per-thread arenas, so a
service's resident size would ratchet up to the sum of every arena's high-water mark
and stay there: two opus-mt int8 models measured 1,012 MiB after three batches against
500 MiB when the free pages are returned (bench/memory_profile.py). `malloc_trim(0)`
returns them (pages inside the heap too, since glibc 2.8); it took 12-21 ms here, so the
batcher calls it only when it goes idle, never between batches under load. Without
glibc (musl, macOS) this is a no-op.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache
from typing import Any


@cache
def _libc() -> Any | None:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        libc = ctypes.CDLL(name)
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


def release_free_memory() -> bool:
    """Return freed heap pages to the OS; True when glibc did."""
    libc = _libc()
    if libc is None:
        return False
    return bool(libc.malloc_trim(0))
