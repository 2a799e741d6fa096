"""Article extraction from news pages: trafilatura (what `newsdesk brief page.html`
uses) beside readability-lxml + jusText, on the pages the tests make (three site
templates × uk and ru articles, with menus, share buttons, "Read also" boxes, asides,
cookie banners, scripts and comments; tests/web_pages.py).

    python bench/web_extract_bench.py

Per extractor: the article's paragraphs recovered whole, boilerplate strings leaked, the
title and date found, and the time a page. readability-lxml is optional (pip install
readability-lxml); without it only trafilatura is measured.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.web_pages import BOILERPLATE, PARAGRAPHS_RU, PARAGRAPHS_UK, TITLE_RU, TITLE_UK, page

PAGES = [
    (template, title, paragraphs, lang)
    for template in (0, 1, 2)
    for title, paragraphs, lang in (
        (TITLE_UK, PARAGRAPHS_UK, "uk"),
        (TITLE_RU, PARAGRAPHS_RU, "ru"),
    )
]


def with_trafilatura(html: str) -> tuple[str, str, str]:
    """(text, title, date) by newsdesk's own extraction."""
    from newsdesk_client.web import extract

    got = extract(html, "https://example.com.ua/news/1")
    return got.text, got.title, got.date


def with_readability(html: str) -> tuple[str, str, str]:
    """(text, title, date) by readability-lxml's main content, its paragraphs kept by
    jusText's boilerplate classifier (Ukrainian stop list; no date extraction)."""
    import justext
    from readability import Document

    doc = Document(html)
    stop = justext.get_stoplist("Ukrainian")
    paragraphs = justext.justext(doc.summary(html_partial=True).encode(), stop)
    text = "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)
    return text, doc.short_title(), ""


def with_readability_alone(html: str) -> tuple[str, str, str]:
    """(text, title, date) by readability-lxml's main content, each block's text."""
    import lxml.html
    from readability import Document

    doc = Document(html)
    tree = lxml.html.fromstring(doc.summary(html_partial=True))
    blocks = [" ".join(el.text_content().split()) for el in tree.iter("p", "h1", "h2", "li")]
    return "\n\n".join(b for b in blocks if b), doc.short_title(), ""


def main() -> int:
    extractors = {"trafilatura 2.3.1 (newsdesk)": with_trafilatura}
    try:
        import justext  # noqa: F401
        import readability  # noqa: F401

        extractors["readability-lxml"] = with_readability_alone
        extractors["readability-lxml + jusText"] = with_readability
    except ImportError:
        print("readability-lxml not installed: trafilatura alone", file=sys.stderr)
    print(f"{len(PAGES)} pages (3 templates × uk, ru)\n")
    print("| extractor | paragraphs recovered | boilerplate leaked | titles | dates | ms/page |")
    print("|---|---|---|---|---|---|")
    for name, run in extractors.items():
        recovered = total = leaked = titles = dates = 0
        started = time.perf_counter()
        for template, title, paragraphs, lang in PAGES:
            html = page(template, title, paragraphs, lang)
            try:
                text, got_title, got_date = run(html)
            except Exception as exc:  # an extractor that finds nothing counts as zero
                print(f"{name}: template {template} {lang}: {exc}", file=sys.stderr)
                text, got_title, got_date = "", "", ""
            total += len(paragraphs)
            recovered += sum(p in text for p in paragraphs)
            leaked += sum(junk in text for junk in BOILERPLATE)
            titles += got_title.strip() == title
            dates += got_date == "2024-03-30"
        ms = 1000 * (time.perf_counter() - started) / len(PAGES)
        print(
            f"| {name} | {recovered}/{total} | {leaked} | {titles}/{len(PAGES)} | "
            f"{dates}/{len(PAGES)} | {ms:.1f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
