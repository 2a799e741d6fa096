"""The translation cache: a byte-bounded LRU of model generations.

News desks re-run the same wire copy many times a day; a sentence already translated
by the same model the same way costs nothing the second time. What is cached is what
the model produced for exactly the text it was given (protected terms already masked
as placeholders), never a finished segment: restoring the terms, the plausibility
gate, the retry decision, the term accounting and house style all run again per
request on the cached generation, exactly as on a fresh one. So two sentences that
differ only in their protected term (ЗСУ, СБУ, a request's own extra term) share the
model's work but each gets its own rendering, and a hit answers exactly as the first
time. A key is everything a generation depends on: the model (id, revision), the
engine and compute type, the generation settings (beams, length bounds) and the text
as sent to the model; a retry (other beams, or unmasked text) is its own key.

Bounded in bytes (keys and values, UTF-8, plus a fixed overhead per entry); the least
recently used entries go first. Thread-safe. Hits and misses are Prometheus counters.
Pure Python apart from the metrics.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

from prometheus_client import Counter, Gauge

from services.common.batching.queue import Job
from services.common.engines.base import Generated, GenerationSpec

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
    """What a generation depends on."""

    model: str  # id@revision
    engine: str  # engine and compute type, e.g. "ctranslate2-int8"
    spec: GenerationSpec
    text: str  # the text exactly as sent to the model (terms masked)

    def size(self) -> int:
        """Bytes this key accounts for."""
        return len(self.text.encode()) + len(self.model) + len(self.engine)


def value_size(value: Generated) -> int:
    """Bytes a cached generation accounts for."""
    return len(value.text.encode())


class TranslationCache:
    """A byte-bounded LRU; `max_bytes` 0 keeps nothing."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[CacheKey, Generated] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    @property
    def bytes(self) -> int:
        """Bytes held now."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: CacheKey) -> Generated | None:
        """The cached generation, or None (counted as a hit or a miss)."""
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

    def put(self, key: CacheKey, value: Generated) -> None:
        """Keep a generation, evicting the least recently used past the bound."""
        size = key.size() + value_size(value) + ENTRY_OVERHEAD
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= key.size() + value_size(old) + ENTRY_OVERHEAD
            self._entries[key] = value
            self._bytes += size
            while self._bytes > self.max_bytes:
                evicted, gone = self._entries.popitem(last=False)
                self._bytes -= evicted.size() + value_size(gone) + ENTRY_OVERHEAD
            BYTES.set(self._bytes)
            ENTRIES.set(len(self._entries))


class JobCache:
    """The cache as the request path uses it: looked up and filled by model job, each
    key completed with its model's engine and compute type. Without a cache, every
    lookup misses and nothing is kept."""

    def __init__(self, cache: TranslationCache | None, engines: Mapping[str, str]) -> None:
        self.cache = cache
        self.engines = dict(engines)  # model key → engine and compute type

    def _key(self, job: Job) -> CacheKey:
        return CacheKey(job.model, self.engines.get(job.model, ""), job.spec, job.text)

    def get(self, job: Job) -> Generated | None:
        """The cached generation of exactly this job (None: a miss, or no cache)."""
        return None if self.cache is None else self.cache.get(self._key(job))

    def put(self, job: Job, result: Generated) -> None:
        """Keep what the model generated for this job."""
        if self.cache is not None:
            self.cache.put(self._key(job), result)
