"""The archive at scale: related() and search() latency, insert throughput and bytes
per item with N stored items, on SQLite and on PostgreSQL; and a soak of 8 writer and
8 reader threads that checks nothing is lost or corrupt.

    python bench/archive_scale_bench.py                  # 100,000 items, both stores
    python bench/archive_scale_bench.py --soak 60        # the same, then a 60 s soak
    python bench/archive_scale_bench.py --quick          # smoke: 2,000 items, 3 s soak
    python bench/archive_scale_bench.py --store sqlite --items 20000

Items are synthetic English news (deterministic, --seed): 150-400 words each, the
content words drawn from a Zipf-like vocabulary (about 600 real news words, then
made-up words for the long tail, 40,000 in all) among English function words, mixed
with the words and names of one of 3,000 stories (people, places, organisations; story
sizes Zipf-like too), the names it mentions as the item's entities. Archive items are
dated over five years in the order they are stored; query articles are made the same
way (other seeds), dated at random over the same years (so later items must be left
out), with their entities; search queries are a name, a name and a word, or three
words of one story.

Per store: the items are loaded in batches (add_many, --batch per transaction), then
--single more through add() one at a time (the service's path); PostgreSQL is then
ANALYZEd (as autovacuum would after a load: its term statistics come from there).
related() and search() over --queries articles and queries: p50 / p95 / max after 5
warm-up calls. Bytes per item: SQLite, the file and its WAL after PRAGMA
wal_checkpoint(TRUNCATE); PostgreSQL, pg_total_relation_size('items') (table, TOAST,
indexes). Quality, over the first --agreement queries: `agreement` is the share of the
unbudgeted ranking's picks (every key term, no cap: max_postings unbounded) that the
fast path returned too; `same story` the share of the slots (3 related, 10 search)
held by items of the query's own story, fast and unbudgeted side by side.

--soak S: 8 writer threads add() and 8 reader threads call related(), search() and
get() (of a just-written id) for S seconds on the loaded store; then every id a writer
got back must read back with its text, the count must match, and on SQLite PRAGMA
integrity_check and FTS5's integrity-check must say ok. --quick soaks 3 s.
"""

from __future__ import annotations

import argparse
import functools
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Content words of English news, most frequent first (roughly); the vocabulary's head.
COMMON = """
government president minister country people police state military war forces troops
officials security public report law court police city region party election vote
leader army border attack killed new first last two three million billion percent
week month day time world national international foreign economic economy energy gas
oil prices market bank money budget tax company companies workers jobs plan talks
deal agreement support aid help weapons missile missiles drone drones strike strikes
defence defense ministry office parliament council committee members group groups
investigation case charges trial prison sanctions decision policy power water food
children women men family families home homes school schools hospital health doctors
crisis conflict peace ceasefire negotiations meeting summit visit statement interview
news media journalists television press freedom rights human protest protests
rally crowd capital village villages town towns area areas district province east
west north south eastern western northern southern central local regional federal
service services system infrastructure railway road roads bridge airport port ships
navy sea air force aircraft jets fighter pilots soldiers officers commander general
intelligence spy agents arrested detained released prisoners exchange hostages civilians
victims casualties wounded injured dead death toll fire shelling artillery rockets
tanks vehicles equipment supplies ammunition production factory plant plants nuclear
reactor station electricity grid heating winter summer spring autumn cold weather
snow flooding flood storm damage repair reconstruction cost costs funding fund funds
donors loan loans debt inflation growth recession exports imports trade grain wheat
harvest farmers land fields shipping corridor route routes transit pipeline supply
demand shortage shortages queues refugees migrants displaced shelter camps border
crossing checkpoint visa citizens citizenship passport language culture church
religious history museum memorial anniversary ceremony celebration holiday festival
sport football match team players coach championship olympic games athletes medal
science research university students teachers education study data figures survey
poll polls voters campaign candidates candidate opposition coalition majority seats
reform reforms corruption bribery fraud money laundering assets property estate
businessman oligarch oligarchs billionaire owner shares stock investors investment
technology internet online cyber hackers hacking websites platform social network
networks video footage photos images evidence documents records files leaked
official spokesman spokeswoman adviser aide deputy head chief director chairman
prime mayor governor ambassador envoy diplomats diplomatic embassy consulate relations
allies alliance partners partner neighbours neighbour region territory territories
occupied occupation annexation referendum independence sovereignty integrity
offensive counteroffensive frontline front line positions trenches defences assault
advance retreat withdrawal surrounded encircled liberated captured recaptured control
mobilisation conscription recruits volunteers training exercises drills manoeuvres
deployment battalion brigade regiment division units unit operation operations
mission peacekeepers monitors observers inspectors watchdog organisation agency
emergency rescue rescuers firefighters ambulance evacuation evacuated residents
apartment building buildings block blocks basement shelter sirens alert warning
curfew martial decree order orders rule rules regulation regulations ban banned
court ruling judges judge prosecutor prosecutors lawyer lawyers sentence sentenced
appeal verdict jailed fine fined penalty compensation damages lawsuit claim claims
""".split()
# Function words that make the text read as English (the store's stopwords, mostly).
FUNCTION = """the the the the of of of to to to and and and a a in in in that is for on
with as was at by from it be has have are were an this which its their after said not
will but more than who been also had they he she his her would could about into over
there what when where while these those other some such only over up out during before
against between under until because both each""".split()
FIRST = """Oleksandr Olena Andriy Iryna Dmytro Natalia Serhiy Yulia Mykola Oksana Viktor
Tetiana Ivan Maria Petro Anna Vasyl Kateryna Yuriy Svitlana Roman Alina Taras Halyna
Bohdan Larysa Denys Marina Artem Ludmila Ruslan Vitaliy Pavlo Inna Anton Olga Maksym
Daria Yevhen Sofia Volodymyr Alexei Sergei Vladimir Mikhail Nikolai Igor Boris Elena
Tatiana Anastasia John Mary James Sarah Michael Emma David Anne Peter Claire""".split()
LAST = """Kovalenko Shevchenko Bondarenko Tkachenko Kravchenko Boyko Kovalchuk Oliynyk
Lysenko Marchenko Moroz Petrenko Savchenko Rudenko Klymenko Pavlenko Levchenko Karpenko
Melnyk Polishchuk Ivanov Smirnov Kuznetsov Popov Vasiliev Petrov Sokolov Mikhailov
Novikov Fedorov Morozov Volkov Alekseev Lebedev Semenov Egorov Pavlov Kozlov Stepanov
Nikolaev Orlov Andreev Makarov Nikitin Zakharov Zaitsev Soloviev Borisov Yakovlev
Grigoriev Romanov Vorobiev Sergeev Khomchak Zaluzhny Syrsky Budanov Reznikov Kuleba
Smith Johnson Brown Taylor Wilson Davies Evans Thomas Roberts Walker""".split()
PLACES = """Kyiv Kharkiv Odesa Lviv Dnipro Zaporizhzhia Mykolaiv Kherson Donetsk Luhansk
Mariupol Bakhmut Avdiivka Kramatorsk Sloviansk Sumy Chernihiv Poltava Vinnytsia Rivne
Lutsk Uzhhorod Ternopil Chernivtsi Zhytomyr Bucha Irpin Izium Kupiansk Pokrovsk Moscow
Belgorod Kursk Bryansk Rostov Crimea Sevastopol Donbas Minsk Warsaw Brussels Berlin
Vilnius Riga Tallinn Chisinau Budapest Bucharest Ankara Istanbul Geneva Vienna""".split()
ORGS = """NATO EU UN IAEA OSCE IMF Ukrenergo Naftogaz Gazprom Rosatom Europol Interpol
Verkhovna Rada Duma Kremlin Pentagon SBU FSB Bundestag Sejm""".split()
GLOBAL_NAMES = ("Volodymyr Zelensky", "Vladimir Putin", "NATO", "European Union")
START, YEARS = date(2021, 1, 1), 5
VOCABULARY = 40_000
STORIES = 3_000


def _made_up(rng: random.Random, used: set[str]) -> str:
    syllables = "ba be bi bo bu da de di do du ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo zo za ".split()
    while True:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        word += rng.choice(["", "n", "r", "s", "t", "l", "m", "k"])
        if word not in used:
            used.add(word)
            return word


@dataclass(frozen=True)
class Article:
    """One synthetic news item."""

    english: str
    headline: str
    published: date
    entities: tuple[str, ...]
    story: int = -1


@dataclass
class Corpus:
    """A deterministic generator of news-like items over one vocabulary and story set."""

    seed: int = 24
    vocabulary: list[str] = field(default_factory=list)
    cumulative: list[float] = field(default_factory=list)
    function_cumulative: list[float] = field(default_factory=list)
    stories: list[tuple[list[str], list[str]]] = field(default_factory=list)
    story_cumulative: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        rng = random.Random(self.seed)
        used = set(COMMON)
        head = list(dict.fromkeys(COMMON))
        self.vocabulary = head + [_made_up(rng, used) for _ in range(VOCABULARY - len(head))]
        # Zipf-Mandelbrot: weight 1 / (rank + 2.7)^1.05.
        total = 0.0
        for rank in range(len(self.vocabulary)):
            total += 1.0 / (rank + 2.7) ** 1.05
            self.cumulative.append(total)
        total = 0.0
        for rank in range(len(FUNCTION)):
            total += 1.0 / (rank + 1.0) ** 0.6
            self.function_cumulative.append(total)
        people = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(4_000)]
        others = PLACES + ORGS + [_made_up(rng, used).capitalize() for _ in range(2_000)]
        total = 0.0
        for rank in range(STORIES):
            # A story's own words: mid-frequency vocabulary (ranks 150-30,000, log-uniform).
            words = [
                self.vocabulary[int(math.exp(rng.uniform(math.log(150), math.log(30_000))))]
                for _ in range(12)
            ]
            names = [rng.choice(people) for _ in range(rng.randint(1, 2))]
            names += [rng.choice(others) for _ in range(rng.randint(1, 2))]
            self.stories.append((words, names))
            total += 1.0 / (rank + 10.0) ** 0.8
            self.story_cumulative.append(total)

    def article(self, index: int, *, stream: int = 0, published: date | None = None) -> Article:
        """Item `index` of a stream (0: the archive; others: query articles), dated
        `published` or at random over the years."""
        rng = random.Random(self.seed * 1_000_003 + stream * 10_000_019 + index)
        story = rng.choices(range(STORIES), cum_weights=self.story_cumulative)[0]
        story_words, story_names = self.stories[story]
        extra = [rng.choice(GLOBAL_NAMES)] if rng.random() < 0.15 else []
        length = rng.randint(150, 400)
        content = rng.choices(self.vocabulary, cum_weights=self.cumulative, k=length)
        function = rng.choices(FUNCTION, cum_weights=self.function_cumulative, k=length)
        sentences: list[str] = []
        mentioned: dict[str, None] = {}
        count = 0
        while count < length:
            sentence: list[str] = []
            for _ in range(min(rng.randint(8, 24), length - count)):
                roll = rng.random()
                name = rng.choice(story_names + extra)
                if roll < 0.42:
                    sentence.append(function[count % length])
                elif roll < 0.55:
                    sentence.append(rng.choice(story_words))
                elif roll < 0.60 and name.count(" ") < length - count:
                    mentioned[name] = None
                    sentence.append(name)
                else:
                    sentence.append(content[count % length])
                count += sentence[-1].count(" ") + 1
                if count >= length:
                    break
            sentence[0] = sentence[0][:1].upper() + sentence[0][1:]
            sentences.append(" ".join(sentence) + ".")
        headline_words = [*rng.sample(story_words, 4), rng.choice(story_names)]
        mentioned[headline_words[-1]] = None
        headline = " ".join(headline_words)
        if published is None:
            published = START + timedelta(days=rng.randrange(365 * YEARS))
        return Article(
            " ".join(sentences),
            headline[:1].upper() + headline[1:],
            published,
            tuple(mentioned),
            story,
        )


def archive_article(corpus: Corpus, index: int, items: int) -> Article:
    """Archive item `index` of `items`: dated in insertion order over the years (the
    desk stores what it briefs as it goes)."""
    day = START + timedelta(days=index * 365 * YEARS // max(items, 1))
    return corpus.article(index, published=day)


def search_query(corpus: Corpus, index: int) -> str:
    """A search box query: a name; a name and a word; or three words of one story."""
    from services.archive.store import key_terms

    article = corpus.article(index, stream=2)
    terms = key_terms(article.english)
    names = list(article.entities) or terms[:1]
    kind = index % 3
    if kind == 0:
        return names[0]
    if kind == 1:
        return f"{names[-1]} {terms[min(3, len(terms) - 1)]}"
    return " ".join(terms[2:5])


def _values(article: Article) -> dict[str, Any]:
    return {
        "english": article.english,
        "published": article.published,
        "headline": article.headline,
        "source": "bench",
        "entities": article.entities,
    }


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


@dataclass
class Figures:
    """One store's results."""

    store: str
    items: int = 0
    load_s: float = 0.0
    load_per_s: float = 0.0
    add_per_s: float = 0.0
    bytes_per_item: float = 0.0
    related_ms: dict[str, float] = field(default_factory=dict)
    search_ms: dict[str, float] = field(default_factory=dict)
    # Quality on the first --agreement queries: the share of the unbudgeted ranking's
    # picks the fast path returned, and the share of slots (3 related, 10 search) held
    # by items of the query's own story, fast / unbudgeted.
    related_agreement: float = float("nan")
    related_story: tuple[float, float] = (float("nan"), float("nan"))
    search_agreement: float = float("nan")
    search_story: tuple[float, float] = (float("nan"), float("nan"))
    empty_related: int = 0
    soak: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _timed(calls: Sequence[Callable[[], Any]], warm: int = 5) -> tuple[list[float], list[Any]]:
    for call in calls[:warm]:
        call()
    times: list[float] = []
    results: list[Any] = []
    for call in calls:
        start = time.perf_counter()
        results.append(call())
        times.append((time.perf_counter() - start) * 1000)
    return times, results


def _summary(times: list[float]) -> dict[str, float]:
    return {
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "max": max(times),
        "n": float(len(times)),
    }


def _quality(
    store: Any,
    fast: list[list[Any]],
    again: Callable[[int], list[Any]],
    wanted: list[int],
    stories: dict[int, int],
    slots: int,
) -> tuple[float, tuple[float, float]]:
    """Agreement with the unbudgeted ranking (max_postings unbounded), and the share of
    `slots` held by the query's story, fast and unbudgeted."""
    budget = store.max_postings
    store.max_postings = 10**9
    try:
        full = [again(i) for i in range(len(fast))]
    finally:
        store.max_postings = budget
    shares = [
        len({p.item.id for p in f} & {p.item.id for p in u}) / len(u)
        for f, u in zip(fast, full, strict=True)
        if u
    ]

    def story(picks: list[list[Any]]) -> float:
        return statistics.fmean(
            sum(stories.get(p.item.id) == wanted[i] for p in found) / slots
            for i, found in enumerate(picks)
        )

    agreement = statistics.fmean(shares) if shares else float("nan")
    return agreement, (story(fast), story(full))


def measure(store: Any, corpus: Corpus, args: argparse.Namespace, figures: Figures) -> None:
    """Load, then time related(), search() and add() on one store."""
    started = time.perf_counter()
    loading = 0.0
    stories: dict[int, int] = {}
    for first in range(0, args.items, args.batch):
        articles = [
            archive_article(corpus, i, args.items)
            for i in range(first, min(args.items, first + args.batch))
        ]
        batch = [_values(a) for a in articles]
        begun = time.perf_counter()
        ids = store.add_many(batch)
        loading += time.perf_counter() - begun
        stories.update(zip(ids, (a.story for a in articles), strict=True))
        if first and first % (args.batch * 20) == 0:
            print(
                f"  {store.kind}: {first:,} items loaded, {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
                flush=True,
            )
    figures.load_s = loading
    figures.load_per_s = args.items / loading
    singles = [corpus.article(i, stream=4) for i in range(args.single)]
    begun = time.perf_counter()
    added = [store.add(**_values(a)) for a in singles]
    figures.add_per_s = args.single / (time.perf_counter() - begun)
    stories.update((item.id, a.story) for item, a in zip(added, singles, strict=True))
    figures.items = store.count()
    if figures.store == "postgresql":
        with store._pool.connection() as conn:
            conn.execute("ANALYZE items")  # what autovacuum does after a load
    articles = [corpus.article(i, stream=1) for i in range(args.queries)]
    related_calls = [
        functools.partial(store.related, a.english, a.published, entities=a.entities)
        for a in articles
    ]
    times, picks = _timed(related_calls)
    figures.related_ms = _summary(times)
    figures.empty_related = sum(1 for p in picks if not p)
    queries = [search_query(corpus, i) for i in range(args.queries)]
    search_calls = [functools.partial(store.search, q) for q in queries]
    times, hits = _timed(search_calls)
    figures.search_ms = _summary(times)
    n = min(args.agreement, len(articles))
    figures.related_agreement, figures.related_story = _quality(
        store, picks[:n], lambda i: related_calls[i](), [a.story for a in articles], stories, 3
    )
    wanted = [corpus.article(i, stream=2).story for i in range(n)]
    figures.search_agreement, figures.search_story = _quality(
        store, hits[:n], lambda i: search_calls[i](), wanted, stories, 10
    )


def soak(store: Any, corpus: Corpus, seconds: float, base: int) -> dict[str, Any]:
    """8 writer and 8 reader threads for `seconds`; then every written id is read back
    and the count checked."""
    before = store.count()
    stop = threading.Event()
    written: list[list[tuple[int, str]]] = [[] for _ in range(8)]
    errors: list[str] = []
    reads: list[float] = []
    lock = threading.Lock()

    def writer(w: int) -> None:
        k = 0
        while not stop.is_set():
            article = corpus.article(base + w * 1_000_000 + k, stream=5)
            k += 1
            try:
                item = store.add(**_values(article))
                written[w].append((item.id, article.english))
            except Exception as exc:
                with lock:
                    errors.append(f"write: {exc!r}")

    def reader(r: int) -> None:
        k = 0
        while not stop.is_set():
            article = corpus.article(r * 1_000_000 + k, stream=6)
            begun = time.perf_counter()
            try:
                if k % 3 == 2:
                    store.search(search_query(corpus, r * 1_000_000 + k))
                elif k % 3 == 1 and written[r % 8]:
                    item_id, english = written[r % 8][-1]
                    got = store.get(item_id)
                    if got is None or got.english != english:
                        raise AssertionError(f"item {item_id} read back wrong")
                else:
                    store.related(article.english, article.published, entities=article.entities)
                with lock:
                    reads.append((time.perf_counter() - begun) * 1000)
            except Exception as exc:
                with lock:
                    errors.append(f"read: {exc!r}")
            k += 1

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(8)]
    threads += [threading.Thread(target=reader, args=(r,)) for r in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    writes = [pair for pairs in written for pair in pairs]
    lost = 0
    for item_id, english in writes:
        got = store.get(item_id)
        if got is None or got.english != english:
            lost += 1
    after = store.count()
    return {
        "seconds": seconds,
        "writes": len(writes),
        "writes_per_s": len(writes) / seconds,
        "reads": len(reads),
        "reads_per_s": len(reads) / seconds,
        "read_p50_ms": percentile(reads, 50),
        "read_p95_ms": percentile(reads, 95),
        "errors": len(errors),
        "first_errors": errors[:3],
        "lost": lost + abs(after - before - len(writes)),
        "count_ok": after == before + len(writes),
        "duplicate_ids": len(writes) - len({i for i, _ in writes}),
    }


def sqlite_integrity(path: str) -> tuple[str, str]:
    """PRAGMA integrity_check, and FTS5's own check of the index against the rows."""
    import sqlite3

    db = sqlite3.connect(path)
    try:
        pragma = "; ".join(r[0] for r in db.execute("PRAGMA integrity_check").fetchall())
        try:
            db.execute("INSERT INTO items_text (items_text) VALUES ('integrity-check')")
            fts = "ok"
        except sqlite3.DatabaseError as exc:
            fts = str(exc)
        return pragma, fts
    finally:
        db.close()


def sqlite_bytes(path: str) -> tuple[int, int]:
    """The database file and its WAL after a truncating checkpoint; the WAL before."""
    import sqlite3

    wal = Path(path + "-wal")
    wal_before = wal.stat().st_size if wal.exists() else 0
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        db.close()
    size = Path(path).stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    return size, wal_before


def run_sqlite(corpus: Corpus, args: argparse.Namespace) -> Figures:
    from services.archive.store import SqliteStore

    figures = Figures("sqlite")
    folder = Path(tempfile.mkdtemp(prefix="archive-bench-", dir=args.tmp))
    path = str(folder / "archive.db")
    store = SqliteStore(path)
    try:
        measure(store, corpus, args, figures)
        size, _ = sqlite_bytes(path)
        figures.bytes_per_item = size / figures.items
        if args.soak:
            figures.soak = soak(store, corpus, args.soak, figures.items)
            figures.soak["connections"] = store.connections()
            _, figures.soak["wal_bytes"] = sqlite_bytes(path)
            begun = time.perf_counter()
            figures.soak["integrity"], figures.soak["fts_integrity"] = sqlite_integrity(path)
            figures.soak["integrity_s"] = time.perf_counter() - begun
    finally:
        store.close()
        shutil.rmtree(folder, ignore_errors=True)
    return figures


def run_postgres(corpus: Corpus, args: argparse.Namespace) -> Figures | None:
    try:
        from services.archive.pg import PostgresStore
        from tests.archive_pg import database, postgres_server
    except ImportError as exc:
        print(f"PostgreSQL: skipped ({exc})")
        return None
    import pytest

    figures = Figures("postgresql")
    try:
        with postgres_server() as admin, database(admin, "archive_bench") as url:
            store = PostgresStore(url, max_size=args.pool)
            try:
                measure(store, corpus, args, figures)
                with store._pool.connection() as conn:
                    row = conn.execute("SELECT pg_total_relation_size('items')").fetchone()
                    version = conn.execute("SHOW server_version").fetchone()
                figures.bytes_per_item = int(row[0]) / figures.items if row else 0.0
                figures.notes.append(f"PostgreSQL {version[0] if version else '?'}")
                if args.soak:
                    figures.soak = soak(store, corpus, args.soak, figures.items)
                    figures.soak["integrity"] = "count and ids checked"
            finally:
                store.close()
    except pytest.skip.Exception:
        print("PostgreSQL: skipped (not installed)")
        return None
    return figures


def report(results: list[Figures], args: argparse.Namespace, command: str) -> None:
    import sqlite3

    print(f"Command: {command}")
    print(
        f"Conditions: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, SQLite "
        f"{sqlite3.sqlite_version}; {args.items:,} items (seed {args.seed}), "
        f"{args.queries} queries, agreement over {args.agreement}"
    )
    for figures in results:
        for note in figures.notes:
            print(f"  {figures.store}: {note}")
    print()
    print(
        "| store | items | related p50 ms | related p95 ms | related max ms | search p50 ms "
        "| search p95 ms | search max ms | load items/s (batches) | add() items/s | bytes/item |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for f in results:
        r, s = f.related_ms, f.search_ms
        print(
            f"| {f.store} | {f.items:,} | {r['p50']:.1f} | {r['p95']:.1f} | {r['max']:.1f} "
            f"| {s['p50']:.1f} | {s['p95']:.1f} | {s['max']:.1f} | {f.load_per_s:,.0f} "
            f"| {f.add_per_s:,.0f} | {f.bytes_per_item:,.0f} |"
        )
    print()
    print(
        f"Quality over the first {args.agreement} queries: agreement = the share of the "
        "unbudgeted ranking's picks the fast path returned; same story = the share of the "
        "slots (3 related, 10 search) held by items of the query's own story."
    )
    print()
    print(
        "| store | related agreement | related same story: fast | unbudgeted "
        "| search agreement | search same story: fast | unbudgeted | related() with no pick |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for f in results:
        print(
            f"| {f.store} | {f.related_agreement:.3f} | {f.related_story[0]:.3f} "
            f"| {f.related_story[1]:.3f} | {f.search_agreement:.3f} | {f.search_story[0]:.3f} "
            f"| {f.search_story[1]:.3f} | {f.empty_related} of {int(f.related_ms['n'])} |"
        )
    soaked = [f for f in results if f.soak]
    if soaked:
        print()
        print(
            "| soak (8 writers + 8 readers) | s | writes | writes/s | reads | reads/s "
            "| read p50 ms | read p95 ms | errors | lost | count ok | integrity |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for f in soaked:
            k = f.soak
            integrity = k["integrity"] + (
                f", FTS {k['fts_integrity']}" if "fts_integrity" in k else ""
            )
            print(
                f"| {f.store} | {k['seconds']:.0f} | {k['writes']:,} | {k['writes_per_s']:,.0f} "
                f"| {k['reads']:,} | {k['reads_per_s']:,.0f} | {k['read_p50_ms']:.1f} "
                f"| {k['read_p95_ms']:.1f} | {k['errors']} | {k['lost']} | {k['count_ok']} "
                f"| {integrity} |"
            )
            if "wal_bytes" in k:
                print(
                    f"  {f.store}: {k['connections']} connections open after the soak; WAL "
                    f"{k['wal_bytes'] / 2**20:.1f} MiB before the checkpoint; the integrity "
                    f"checks took {k['integrity_s']:.1f} s"
                )
            for error in k["first_errors"]:
                print(f"  {f.store} error: {error}")
    goal = [f for f in results if f.store == "sqlite"]
    if goal and not args.quick:
        p95 = max(goal[0].related_ms["p95"], goal[0].search_ms["p95"])
        verdict = "met" if p95 < 50 else "NOT met"
        print(f"\nGoal: SQLite related()/search() p95 < 50 ms at {goal[0].items:,} items: "
              f"{p95:.1f} ms, {verdict}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100_000, help="items stored")
    parser.add_argument("--queries", type=int, default=200, help="related() and search() calls")
    parser.add_argument("--agreement", type=int, default=40, help="queries ranked unbudgeted too")
    parser.add_argument("--single", type=int, default=1_000, help="items added one at a time")
    parser.add_argument("--batch", type=int, default=1_000, help="items per add_many()")
    parser.add_argument("--soak", type=float, default=0.0, help="seconds of 8+8 threads (0: off)")
    parser.add_argument(
        "--store", choices=["both", "sqlite", "postgresql"], default="both", help="which stores"
    )
    parser.add_argument("--pool", type=int, default=4, help="PostgreSQL pool size")
    parser.add_argument("--seed", type=int, default=24)
    parser.add_argument("--tmp", default=None, help="folder for the SQLite file")
    parser.add_argument("--json", default=None, help="also write the figures here")
    parser.add_argument("--quick", action="store_true", help="2,000 items, 30 queries, 3 s soak")
    args = parser.parse_args(argv)
    if args.quick:
        defaults = {"items": 100_000, "queries": 200, "agreement": 40, "single": 1_000}
        quick = {"items": 2_000, "queries": 30, "agreement": 10, "single": 100}
        for name, value in quick.items():
            if getattr(args, name) == defaults[name]:
                setattr(args, name, value)
        if not args.soak:
            args.soak = 3.0
    command = "python bench/archive_scale_bench.py" + "".join(
        f" {a}" for a in (sys.argv[1:] if argv is None else argv)
    )
    corpus = Corpus(args.seed)
    results: list[Figures] = []
    if args.store in ("both", "sqlite"):
        results.append(run_sqlite(corpus, args))
    if args.store in ("both", "postgresql"):
        pg = run_postgres(corpus, args)
        if pg is not None:
            results.append(pg)
    report(results, args, command)
    if args.json:
        import json

        Path(args.json).write_text(
            json.dumps([f.__dict__ for f in results], indent=2, default=str), "utf-8"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
