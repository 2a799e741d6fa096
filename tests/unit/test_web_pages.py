"""The article of a web page: extracted with its paragraphs, boilerplate gone; fetched
only from http(s), public addresses unless allowed, bounded in size and redirects."""

from __future__ import annotations

import http.server
import threading

import pytest

pytest.importorskip("trafilatura", reason="reading web pages needs the web extra")

from newsdesk_client import web
from tests.web_pages import (
    BOILERPLATE,
    PARAGRAPHS_RU,
    PARAGRAPHS_UK,
    TITLE_RU,
    TITLE_UK,
    page,
)


@pytest.mark.parametrize("template", [0, 1, 2])
def test_the_article_without_boilerplate(template) -> None:
    got = web.extract(page(template, TITLE_UK, PARAGRAPHS_UK), "https://example.com.ua/n/1")
    assert got.text.split("\n\n") == list(PARAGRAPHS_UK)
    for junk in BOILERPLATE:
        assert junk not in got.text
    assert got.title == TITLE_UK
    assert got.date == "2024-03-30" and got.site == "example.com.ua"


def test_a_russian_page() -> None:
    got = web.extract(page(0, TITLE_RU, PARAGRAPHS_RU, "ru"))
    assert got.text.split("\n\n") == list(PARAGRAPHS_RU) and got.title == TITLE_RU


def test_a_page_without_an_article() -> None:
    with pytest.raises(web.PageError, match="no article text"):
        web.extract("<html><body><nav><a href='/'>Home</a></nav></body></html>")


@pytest.fixture
def site():
    """A local HTTP server on loopback: /page, /big, /moved (→ /page), /loop, /json."""
    pages = {"/page": page(1, TITLE_UK, PARAGRAPHS_UK).encode()}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/moved":
                self.send_response(302)
                self.send_header("Location", "/page")
                self.end_headers()
            elif self.path == "/loop":
                self.send_response(301)
                self.send_header("Location", "/loop")
                self.end_headers()
            elif self.path == "/json":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")
            elif self.path == "/big":
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(b"<p>" + b"x" * (web.MAX_BYTES + 10) + b"</p>")
            elif self.path in pages:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(pages[self.path])
            else:
                self.send_response(404)
                self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_fetch_from_loopback_only_when_allowed(site) -> None:
    with pytest.raises(web.PageError, match="private, loopback or reserved"):
        web.fetch(f"{site}/page")
    got = web.fetch(f"{site}/moved", allow_private=True)
    assert got.text.split("\n\n") == list(PARAGRAPHS_UK)
    assert got.url == f"{site}/page"


@pytest.mark.parametrize(
    ("path", "why"),
    [("/loop", "redirects"), ("/json", "not a web page"), ("/big", "bytes"), ("/none", "404")],
)
def test_fetch_refusals(site, path, why) -> None:
    with pytest.raises(web.PageError, match=why):
        web.fetch(f"{site}{path}", allow_private=True)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x", "gopher://x"])
def test_only_http(url) -> None:
    with pytest.raises(web.PageError, match="only http and https"):
        web.fetch(url)


def test_private_addresses_refused() -> None:
    for url in ("http://10.0.0.1/", "http://169.254.169.254/latest", "http://[::1]/"):
        with pytest.raises(web.PageError, match="private, loopback or reserved"):
            web.check_url(url)
