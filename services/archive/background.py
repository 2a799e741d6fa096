"""Background for an article: bullets from the related earlier items the archive holds.

The store ranks the archive's earlier items for the article (BM25 × recency × a boost
for the article's names) and has already left out the article itself, its
near-duplicates and anything dated after it. Of its picks, an item is related when

- its evidence — its distinctive key terms (the article's key terms it holds, less
  GENERIC_TERMS, the words every story of a Ukraine/Russia desk shares, and less the
  words of the names it shares; "signs"/"signed" count once) plus NAME_WEIGHT per
  distinctive name it shares (less GENERIC_NAMES; a name counts as shared when the
  store matched it with the article's names, or when the article's text writes it
  out: "Bank of Russia", or "Kakhovka HPP" as "the Kakhovka dam") — reaches
  MIN_EVIDENCE_WITH_NAMES where names can be compared (the caller gave the article's
  names, or the item has stored names): a distinctive name and a distinctive word, two
  names, or five words; where neither side has names, MIN_SHARED_TERMS words;
- its score is at least MIN_SCORE and at least RELATIVE_SCORE × the best related item's
  (an item far behind the best is about something else).

One bullet per item, best first, never the same sentence twice. The thresholds were
tuned on the DEV clusters of tests/archive_cases.py only (bench/archive_quality_bench.py
reports them and the held-out TEST clusters; tests/unit/test_archive_quality.py holds
the TEST floors).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from services.archive.bullets import Bullet, bullet
from services.archive.store import Related

if TYPE_CHECKING:
    from services.archive.stores import Store

MIN_SHARED_TERMS = 3
MIN_EVIDENCE_WITH_NAMES = 5
NAME_WEIGHT = 4
MIN_SCORE = 0.0
RELATIVE_SCORE = 0.03
# Words nearly every story of the desk holds: they say nothing about which story.
GENERIC_TERMS = frozenset(
    """ukraine ukraine's ukrainian ukrainians russia russia's russian russians kyiv
    kyiv's moscow moscow's kremlin president president's volodymyr zelensky
    zelensky's vladimir putin putin's minister ministry government official officials
    war military forces troops army country region regions new one two three first
    second last largest million billion per among without left leaves near week day
    days month people said says spokesman state national""".split()
)
# Names nearly every story of the desk holds (compared case-insensitively).
GENERIC_NAMES = frozenset({"volodymyr zelensky", "zelensky", "vladimir putin", "putin"})
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]*")
_WORD = re.compile(r"\w+")
# The longest name (in words) looked up whole, and how many of an item's names are.
NAME_WORDS = 6
MAX_NAMES_CHECKED = 64
# Items asked of the store per bullet: some are not related enough, have no complete
# sentence or repeat one.
_OVERFETCH = 3

NO_RELATED = "NO_RELATED_ITEMS"
FEW_RELATED = "FEW_RELATED_ITEMS"


@dataclass(frozen=True)
class Background:
    """Bullets for one article, and why there are fewer than asked for."""

    bullets: tuple[Bullet, ...]
    shortfall: str = ""
    shortfall_detail: str = ""


class ArticleWords:
    """An article's words, read once for every pick it is compared with: its casefolded
    word runs up to NAME_WORDS long (a name is found with one set lookup, however long
    the article and however many names the items hold) and its capitalised words."""

    def __init__(self, text: str) -> None:
        words = [w.casefold() for w in _WORD.findall(text)]
        self.runs = {
            " ".join(words[i : i + n])
            for n in range(1, NAME_WORDS + 1)
            for i in range(len(words) - n + 1)
        }
        self.capitalised = {w.casefold() for w in _CAPITALISED.findall(text)}

    def writes(self, name: str) -> bool:
        """Whether the article writes the name out (word for word, any case)."""
        return " ".join(w.casefold() for w in _WORD.findall(name)) in self.runs


def shared_names(pick: Related, text: str | ArticleWords) -> tuple[str, ...]:
    """The names an item shares with the article: those the store matched with the
    article's names, and the item's own names written out in the article's text (the
    first MAX_NAMES_CHECKED of them)."""
    article = text if isinstance(text, ArticleWords) else ArticleWords(text)
    found = list(pick.shared_entities)
    for name in pick.item.entities[:MAX_NAMES_CHECKED]:
        cleaned = " ".join(name.split())
        if len(cleaned) < 3 or any(cleaned.casefold() == f.casefold() for f in found):
            continue
        if article.writes(cleaned):
            found.append(cleaned)
            continue
        # "Kakhovka HPP" in an article that writes "the Kakhovka dam": every longer
        # word of the name, capitalised in the article.
        long = [w.casefold() for w in cleaned.split() if len(w) >= 4]
        if long and all(w in article.capitalised for w in long):
            found.append(cleaned)
    return tuple(found)


def evidence(pick: Related, text: str | ArticleWords = "") -> int:
    """How much an item shares with the article beyond what every story shares: its
    distinctive key terms, plus NAME_WEIGHT for each distinctive name."""
    held = shared_names(pick, text)
    names = [n for n in held if n.casefold() not in GENERIC_NAMES]
    in_names = {w.casefold() for n in held for w in n.replace("'", " ").split()}
    terms = {stem(t) for t in pick.shared_terms if t not in GENERIC_TERMS and t not in in_names}
    return len(terms) + NAME_WEIGHT * len(names)


def is_related(pick: Related, text: str | ArticleWords, *, named: bool) -> bool:
    """Whether a pick clears the evidence and score thresholds (`named`: the caller
    gave the article's names)."""
    needed = MIN_EVIDENCE_WITH_NAMES if named or pick.item.entities else MIN_SHARED_TERMS
    return pick.score >= MIN_SCORE and evidence(pick, text) >= needed


def stem(term: str) -> str:
    """A term's crude stem, so that "signs" and "signed", "mobilization" and
    "mobilisation" count once."""
    word = term.casefold().replace("’", "'").removesuffix("'s").replace("iz", "is")
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def background(
    store: Store,
    text: str,
    published: date,
    count: int,
    *,
    entities: Sequence[str] = (),
    exclude: int | None = None,
) -> Background:
    """Up to `count` bullets from related items dated on or before `published`."""
    picks = store.related(
        text, published, limit=count * _OVERFETCH, exclude=exclude, entities=entities
    )
    named = any(n.strip() for n in entities)
    article = ArticleWords(text)
    related = [p for p in picks if is_related(p, article, named=named)]
    if related:
        cut = RELATIVE_SCORE * max(p.score for p in related)
        related = [p for p in related if p.score >= cut]
    bullets: list[Bullet] = []
    seen: set[str] = set()
    for pick in related:
        made = bullet(pick)
        if made is None or made.text in seen:
            continue
        seen.add(made.text)
        bullets.append(made)
        if len(bullets) == count:
            break
    if not bullets:
        return Background(
            (),
            NO_RELATED,
            "the archive holds nothing related to this article dated on or before "
            f"{published.isoformat()}",
        )
    if len(bullets) < count:
        return Background(
            tuple(bullets),
            FEW_RELATED,
            f"the archive holds {len(bullets)} related item(s) for {count} bullets",
        )
    return Background(tuple(bullets))
