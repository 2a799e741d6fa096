"""The translation cache: a byte-bounded LRU of finished segment translations.

News desks re-run the same wire copy many times a day; a sentence already translated
by the same model the same way costs nothing the second time. A key is everything
the output depends on: the model (id, revision), the engine and compute type, the
generation settings (beams, length bounds), the glossary version (terms are masked
before the model, so a new glossary means new model input) and the segment's text
as sent to the model. The value is the final output of that segment — after the
plausibility gate's retry — with its gate reasons, so a hit reproduces the first
answer exactly. House style is applied after the cache, per request.

Bounded in bytes (keys and values, UTF-8, plus a fixed overhead per entry); the least
recently used entries go first. Thread-safe. Hits and misses are Prometheus counters.
Pure Python apart from the metrics.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from prometheus_client import Counter, Gauge

from services.common.engine import GenerationSpec

LOOKUPS = Counter(
    "newsdesk_translation_cache_lookups_total",
    "Translation cache lookups by result (hit or miss).",
    ["result"],
)
BYTES = Gauge("newsdesk_translation_cache_bytes", "Bytes held by the translation cache.")
ENTRIES = Gauge("newsdesk_translation_cache_entries", "Segments held by the translation cache.")
# Python object overhead per entry, roughly (tuple, strings, node in the ordered dict).
ENTRY_OVERHEAD = 200


@dataclass(frozen=True)
class CacheKey:
    """What a segment's translation depends on."""

    model: str  # id@revision
    engine: str  # engine and compute type, e.g. "ctranslate2-int8"
    spec: GenerationSpec
    glossary: str  # version of the term glossary the text was masked with ("" if none)
    text: str  # the segment as sent to the model

    def size(self) -> int:
        """Bytes this key accounts for."""
        return len(self.text.encode()) + len(self.model) + len(self.engine) + len(self.glossary)


@dataclass(frozen=True)
class CachedSegment:
    """A finished segment: the model's output (after any retry) and its gate reasons."""

    output: str
    reasons: tuple[str, ...]
    fallback: bool
    terms: tuple[int, int, int] = (0, 0, 0)  # protected terms restored, dropped, invented

    def size(self) -> int:
        """Bytes this value accounts for."""
        return len(self.output.encode()) + sum(len(r) for r in self.reasons)


class TranslationCache:
    """A byte-bounded LRU; `max_bytes` 0 keeps nothing."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[CacheKey, CachedSegment] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    @property
    def bytes(self) -> int:
        """Bytes held now."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: CacheKey) -> CachedSegment | None:
        """The cached segment, or None (counted as a hit or a miss)."""
        with self._lock:
            value = self._entries.get(key)
            if value is None:
                self.misses += 1
                LOOKUPS.labels("miss").inc()
                return None
            self._entries.move_to_end(key)
            self.hits += 1
        LOOKUPS.labels("hit").inc()
        return value

    def put(self, key: CacheKey, value: CachedSegment) -> None:
        """Keep a finished segment, evicting the least recently used past the bound."""
        size = key.size() + value.size() + ENTRY_OVERHEAD
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= key.size() + old.size() + ENTRY_OVERHEAD
            self._entries[key] = value
            self._bytes += size
            while self._bytes > self.max_bytes:
                evicted, gone = self._entries.popitem(last=False)
                self._bytes -= evicted.size() + gone.size() + ENTRY_OVERHEAD
            BYTES.set(self._bytes)
            ENTRIES.set(len(self._entries))
