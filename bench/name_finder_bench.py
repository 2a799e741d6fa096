"""The entity layer's name finder on FLORES-200 devtest (uk and ru, English references).

    python bench/name_finder_bench.py [--split dev|test|all] [--show N] [shared/eval/mt]

FLORES devtest is the only split in ../shared (read from NEWSDESK_SHARED_DIR, or
../shared beside the repository; the bench says so and stops when it is absent). It is
cut in two by sentence index: DEV = sentences 0–505, TEST = 506–1011. The finder's rules
(services/common/text/entities.py) were tuned looking at DEV only; TEST is the figure.

Per language, over the sentences whose English reference has a capitalised word that is
not sentence-initial (the ones with a name to find, "named"):

* found: named sentences where the finder found at least one entity;
* all right: named sentences with at least one entity, every entity's rendering in the
  reference (whole words, case-insensitive; the reference first put in house style, so
  Kiev counts as Kyiv; a person also counts by the surname alone);
* entity precision: entities (in all sentences of the split) whose rendering is in the
  reference;
* common-word false positives: entities not in the reference whose text the dictionary
  also reads as a common word (a word made into a name); the other misses are names
  spelled otherwise than the reference (FLORES is mostly foreign names in Cyrillic:
  Галіфаксі → Halifaksi, not Halifax);
* reference-name coverage: capitalised non-initial reference words that some rendering
  of the sentence holds.

Evidence rows give the precision per rule (glossary, tags, no-plural nouns, unknown words).
ms/sentence includes loading the analysers and filling the parse cache (first language).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import SHARED
from services.common.text.entities import Entity, _word, find_entities
from services.common.text.glossary import DEFAULT_HOUSE_STYLE, Glossary

SPLITS = {"dev": (0, 506), "test": (506, 1012), "all": (0, 1012)}
_REF_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def load(folder: Path, language: str) -> list[tuple[str, str]]:
    """(source, reference) pairs of one FLORES devtest TSV (one header line)."""
    lines = (folder / f"flores200-devtest.{language}-en.tsv").read_text(encoding="utf-8")
    pairs = []
    for line in lines.splitlines()[1:]:
        source, reference = line.split("\t", 1)
        pairs.append((source, reference))
    return pairs


def reference_names(reference: str) -> list[str]:
    """Capitalised words of a reference that do not open a sentence (nor follow a
    colon or an opening quote)."""
    out = []
    for m in _REF_WORD.finditer(reference):
        word = m.group(0)
        if not word[0].isupper() or word == "I":
            continue
        before = reference[: m.start()].rstrip()
        if not before or before[-1] in '.!?:"“«(':
            continue
        out.append(word.strip("'’-"))
    return out


def plain(text: str) -> str:
    """Text without diacritics (Erdoğan → Erdogan) or the dots of abbreviations
    (U.S. → US): a rendering that differs only so is the reference's spelling."""
    text = re.sub(r"\b([A-Z])\.(?=[A-Z]\b|[A-Z]\.)", r"\1", text)
    text = re.sub(r"\b([A-Z]{2,})\.", r"\1", text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def contains(haystack: str, phrase: str) -> bool:
    """`phrase` as whole words in `haystack`, case-insensitive, ignoring diacritics and
    abbreviation dots."""
    haystack, phrase = plain(haystack), plain(phrase)
    pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, phrase.split())) + r"(?!\w)"
    return re.search(pattern, haystack, re.IGNORECASE) is not None


def in_reference(entity: Entity, reference: str) -> bool:
    """The entity's rendering (or a person's surname alone) is in the reference."""
    forms = {entity.english, *entity.renderings}
    if entity.kind == "person":
        forms |= {r.split()[-1] for r in forms if r.split()}
    return any(contains(reference, form) for form in forms if form)


def common_word(entity: Entity, source: str, language: str) -> bool:
    """Some word of the entity's text is also a common word: a dictionary reading as a
    common noun (one with a plural) or a function word (entities._Word.common)."""
    for start, end in entity.spans:
        for word in re.findall(r"[^\W\d_]+(?:['’ʼ-][^\W\d_]+)*", source[start:end]):
            if _word(language, word.lower().replace("’", "'").replace("ʼ", "'")).common:
                return True
    return False


def run(folder: Path, split: str, show: int) -> list[list[str]]:
    house = Glossary.from_tsv(DEFAULT_HOUSE_STYLE)
    lo, hi = SPLITS[split]
    rows = []
    for language in ("uk", "ru"):
        pairs = load(folder, language)[lo:hi]
        started = time.perf_counter()
        named = found = right = 0
        entities = in_ref = common = 0
        names_total = names_covered = 0
        by_evidence: Counter[str] = Counter()
        by_evidence_ok: Counter[str] = Counter()
        misses: list[str] = []
        for source, reference in pairs:
            styled = house.rewrite(reference).text
            found_here = find_entities(source, language)
            oks = []
            for e in found_here:
                ok = in_reference(e, styled)
                oks.append(ok)
                entities += 1
                in_ref += ok
                by_evidence[e.evidence] += 1
                by_evidence_ok[e.evidence] += ok
                if not ok:
                    is_common = common_word(e, source, language)
                    common += is_common
                    if len(misses) < show:
                        spans = "|".join(source[a:b] for a, b in e.spans)
                        tag = "COMMON" if is_common else "spelling"
                        misses.append(f"  {tag:8} {e.evidence:15} {spans} → {e.english}")
            ref_names = reference_names(styled)
            if ref_names:
                named += 1
                found += bool(found_here)
                right += bool(found_here) and all(oks)
                names_total += len(ref_names)
                renderings = " ".join(r for e in found_here for r in (e.english, *e.renderings))
                names_covered += sum(contains(renderings, n) for n in ref_names)
        seconds = time.perf_counter() - started
        rows.append(
            [
                language,
                split.upper(),
                str(len(pairs)),
                str(named),
                f"{found / max(named, 1):.3f}",
                f"{right / max(named, 1):.3f}",
                f"{in_ref / max(entities, 1):.3f} ({in_ref}/{entities})",
                str(common),
                f"{names_covered / max(names_total, 1):.3f}",
                f"{1000 * seconds / max(len(pairs), 1):.1f}",
            ]
        )
        evidence = ", ".join(f"{k} {by_evidence_ok[k]}/{v}" for k, v in by_evidence.most_common())
        print(f"{language} {split}: in reference by evidence: {evidence}")
        if misses:
            print("\n".join(misses))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=SHARED / "eval" / "mt")
    parser.add_argument("--split", choices=sorted(SPLITS), default="test")
    parser.add_argument("--show", type=int, default=0, help="print up to N misses a language")
    args = parser.parse_args()
    if not (args.folder / "flores200-devtest.uk-en.tsv").exists():
        print(f"{args.folder} has no FLORES devtest: ../shared is not beside this clone; skipped")
        return 0
    header = [
        "lang",
        "split",
        "sentences",
        "named",
        "found",
        "all right",
        "entity precision",
        "common-word FP",
        "ref-name coverage",
        "ms/sentence",
    ]
    rows = run(args.folder, args.split, args.show)
    print()
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"\ncommand: python bench/name_finder_bench.py --split {args.split}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
