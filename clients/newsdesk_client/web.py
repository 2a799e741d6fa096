"""Web pages as articles: the article extracted from a page's HTML, and a page fetched
by URL — carefully.

Extraction: trafilatura (`extract(..., output_format="json", with_metadata=True,
favor_precision=True)`): the main text with its paragraphs, the title, date and author;
menus, share buttons, "Read also" boxes, related links, comments, scripts removed. The
title, when the text opens with it, is taken off the text (it is the page's headline,
kept as metadata, not a sentence of the article).

Fetching (urllib3, the client trafilatura itself uses): http and https only; every
address the host resolves to must be a public one — never loopback, private,
link-local or reserved — unless `allow_private` (checked again at every redirect, at
most MAX_REDIRECTS); a connect and a read timeout; at most MAX_BYTES read; an HTML
content type; a User-Agent naming newsdesk. Needs the `web` extra.
"""

from __future__ import annotations

import ipaddress
import json
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

MAX_BYTES = 5 * 2**20
MAX_REDIRECTS = 5
CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 20.0
USER_AGENT = "newsdesk/0.1 (news briefing client; +https://github.com/newsdesk)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
# Fewer letters than this is a menu or a notice, not an article.
MIN_LETTERS = 40


class PageError(ValueError):
    """A page that cannot be fetched or has no article in it; the message says why."""


@dataclass(frozen=True)
class Page:
    """An article extracted from a page."""

    text: str
    title: str = ""
    date: str = ""  # YYYY-MM-DD, when the page says
    author: str = ""
    url: str = ""
    site: str = ""  # the host name

    def to_dict(self) -> dict[str, str]:
        """A JSON-friendly dict (the brief's `page` metadata)."""
        return {
            "title": self.title,
            "date": self.date,
            "author": self.author,
            "url": self.url,
            "site": self.site,
        }


def _trafilatura() -> Any:
    try:
        import trafilatura
    except ImportError:
        raise PageError(
            "reading web pages needs the web extra: pip install 'newsdesk[web]'"
        ) from None
    return trafilatura


def extract(html: str | bytes, url: str = "") -> Page:
    """The article of a page's HTML; PageError when the page holds none."""
    raw = _trafilatura().extract(
        html,
        url=url or None,
        output_format="json",
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
    )
    if not raw:
        raise PageError(f"{url or 'the page'}: no article text found in it")
    data = json.loads(raw)
    title = " ".join(str(data.get("title") or "").split())
    lines = [line.strip() for line in str(data.get("text") or "").splitlines()]
    lines = [line for line in lines if line]
    if lines and title and " ".join(lines[0].split()) == title:
        lines = lines[1:]
    if sum(ch.isalpha() for line in lines for ch in line) < MIN_LETTERS:
        raise PageError(f"{url or 'the page'}: no article text found in it")
    return Page(
        text="\n\n".join(lines),
        title=title,
        date=str(data.get("date") or "")[:10],
        author=str(data.get("author") or ""),
        url=url,
        site=str(data.get("hostname") or urlsplit(url).hostname or ""),
    )


def check_url(url: str, allow_private: bool = False) -> None:
    """PageError unless `url` is http(s) to a host whose every address is public (or
    `allow_private`)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise PageError(f"{url}: only http and https URLs are fetched")
    host = parts.hostname
    if not host:
        raise PageError(f"{url}: no host")
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise PageError(f"{url}: {host} does not resolve ({exc})") from None
    if allow_private:
        return
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global:
            raise PageError(
                f"{url}: {host} is a private, loopback or reserved address ({address}); "
                "pass --allow-private-urls to fetch it"
            )


def fetch(url: str, allow_private: bool = False, max_bytes: int = MAX_BYTES) -> Page:
    """The article of the page at `url` (see the module docstring for the rules)."""
    import urllib3

    http = urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=CONNECT_TIMEOUT_S, read=READ_TIMEOUT_S),
        retries=False,
        headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml"},
    )
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        check_url(current, allow_private)
        try:
            response = http.request("GET", current, redirect=False, preload_content=False)
        except urllib3.exceptions.HTTPError as exc:
            raise PageError(f"{current}: {exc}") from None
        try:
            if response.status in (301, 302, 303, 307, 308):
                location = response.headers.get("Location", "")
                if not location:
                    raise PageError(f"{current}: a redirect without a Location")
                current = urljoin(current, location)
                continue
            if response.status != 200:
                raise PageError(f"{current}: HTTP {response.status}")
            kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if kind not in HTML_TYPES:
                raise PageError(f"{current}: not a web page ({kind or 'no content type'})")
            body = bytearray()
            for chunk in response.stream(65536):
                body += chunk
                if len(body) > max_bytes:
                    raise PageError(f"{current}: over {max_bytes} bytes; not read")
        except urllib3.exceptions.HTTPError as exc:
            raise PageError(f"{current}: {exc}") from None
        finally:
            response.release_conn()
        return extract(bytes(body), current)
    raise PageError(f"{url}: more than {MAX_REDIRECTS} redirects")
