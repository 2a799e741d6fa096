"""The translation cache of model generations: keys, byte bound, LRU order."""

from __future__ import annotations

from services.common.engines.base import Generated, GenerationSpec
from services.translator.cache import ENTRY_OVERHEAD, CacheKey, TranslationCache, value_size

SPEC = GenerationSpec(max_new_tokens=64, num_beams=4)


def key(text: str, **kw) -> CacheKey:
    fields = {"model": "m@1", "engine": "ctranslate2-int8", "spec": SPEC}
    fields.update(kw)
    return CacheKey(text=text, **fields)


def test_hit_after_put_and_every_part_of_the_key_counts() -> None:
    cache = TranslationCache(1 << 20)
    value = Generated("The government decided.", 5, 4)
    cache.put(key("Уряд вирішив."), value)
    assert cache.get(key("Уряд вирішив.")) == value
    for other in (
        key("Уряд вирішив!"),
        key("Уряд вирішив.", model="m@2"),
        key("Уряд вирішив.", engine="transformers-float32"),
        key("Уряд вирішив.", spec=GenerationSpec(max_new_tokens=64, num_beams=1)),
        key("ZQ1 вирішив."),  # a masked text is its own key: terms are restored per request
    ):
        assert cache.get(other) is None
    assert (cache.hits, cache.misses) == (1, 5)


def test_bounded_in_bytes_least_recently_used_first() -> None:
    one = Generated("x" * 100, 50, 50)
    size = key("a" * 100).size() + value_size(one) + ENTRY_OVERHEAD
    cache = TranslationCache(3 * size)
    for text in ("a", "b", "c"):
        cache.put(key(text * 100), one)
    assert cache.get(key("a" * 100)) is not None  # a is now the most recent
    cache.put(key("d" * 100), one)  # evicts b, the least recently used
    assert cache.get(key("b" * 100)) is None
    assert all(cache.get(key(t * 100)) is not None for t in "acd")
    assert cache.bytes <= 3 * size and len(cache) == 3


def test_zero_bytes_keeps_nothing() -> None:
    cache = TranslationCache(0)
    cache.put(key("a"), Generated("b", 1, 1))
    assert cache.get(key("a")) is None and len(cache) == 0
