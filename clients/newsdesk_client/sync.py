"""NewsdeskClient: the synchronous client, over the async client on a private loop.

One implementation of the calls (aio.py) and of the chain (chain.py) serves both. The sync client runs its own
event loop on a background thread and submits every call to it
(`asyncio.run_coroutine_threadsafe`), so it works

- from plain scripts;
- inside a running event loop: a Jupyter notebook, an async web handler (the caller's
  thread blocks on the result; its loop is never re-entered);
- from several threads at once: one client, one set of channels, calls in flight
  together.

Close it (`with NewsdeskClient() as client:` or `client.close()`) to close the channels
and stop the thread; the thread is a daemon, so a forgotten client never keeps a
process alive.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Coroutine, Iterator, Sequence
from concurrent.futures import Future
from types import TracebackType
from typing import Any, TypeVar

from newsdesk_client.aio import AsyncNewsdeskClient
from newsdesk_client.archive import ArchiveInfo, ArchiveItem, Background, RelatedItem
from newsdesk_client.chain import Brief, BriefOutcome
from newsdesk_client.config import ClientConfig
from newsdesk_client.types import (
    Detection,
    LanguagePair,
    ServiceInfo,
    Summary,
    SummaryOutcome,
    TranslatedParagraph,
    Translation,
    TranslationOutcome,
)

T = TypeVar("T")


class NewsdeskClient:
    """The synchronous client. Use as `with NewsdeskClient() as client:`."""

    def __init__(self, config: ClientConfig | None = None, **addresses: str | None) -> None:
        self._loop = asyncio.new_event_loop()
        self._closed = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="newsdesk-client-loop", daemon=True
        )
        self._thread.start()
        try:
            self._client = self._run(self._make(config, addresses))
        except BaseException:
            self._stop_loop()
            raise

    @staticmethod
    async def _make(
        config: ClientConfig | None, addresses: dict[str, str | None]
    ) -> AsyncNewsdeskClient:
        return AsyncNewsdeskClient(config, **addresses)

    def _submit(self, coro: Coroutine[Any, Any, T]) -> Future[T]:
        with self._lock:
            if self._closed:
                coro.close()
                raise RuntimeError("this NewsdeskClient is closed")
            return asyncio.run_coroutine_threadsafe(coro, self._loop)

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        if threading.current_thread() is self._thread:
            coro.close()
            raise RuntimeError("a NewsdeskClient call from its own loop would deadlock")
        future = self._submit(coro)
        try:
            return future.result()
        except BaseException:
            future.cancel()  # KeyboardInterrupt while waiting: cancel the call too
            raise

    def _iterate(self, agen: AsyncIterator[T]) -> Iterator[T]:
        try:
            while True:
                try:
                    yield self._run(_anext(agen))
                except StopAsyncIteration:
                    return
        finally:
            if not self._closed:
                self._run(_aclose(agen))

    @property
    def config(self) -> ClientConfig:
        """The client's configuration."""
        return self._client.config

    def __enter__(self) -> NewsdeskClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the channels and stop the loop thread (idempotent)."""
        if self._closed:
            return
        try:
            self._run(self._client.close())
        finally:
            self._stop_loop()

    def _stop_loop(self) -> None:
        with self._lock:
            self._closed = True
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        if not self._thread.is_alive():
            self._loop.close()

    def detect(self, text: str, **kw: Any) -> Detection:
        """The language of one text."""
        return self._run(self._client.detect(text, **kw))

    def detect_many(self, texts: Sequence[str], **kw: Any) -> list[Detection]:
        """The language of each text."""
        return self._run(self._client.detect_many(texts, **kw))

    def translate(self, text: str, **kw: Any) -> Translation:
        """The English translation of one document."""
        return self._run(self._client.translate(text, **kw))

    def translate_many(self, texts: Sequence[str], **kw: Any) -> list[Translation]:
        """English translations of documents."""
        return self._run(self._client.translate_many(texts, **kw))

    def translate_each(self, texts: Sequence[str], **kw: Any) -> list[TranslationOutcome]:
        """Translations per document, a failed one carrying its error."""
        return self._run(self._client.translate_each(texts, **kw))

    def translate_stream(self, text: str, **kw: Any) -> Iterator[TranslatedParagraph]:
        """The paragraphs of one document's translation, as they arrive."""
        return self._iterate(self._client.translate_stream(text, **kw))

    def summarize(self, text: str, **kw: Any) -> Summary:
        """Headline, summary and bullets of an English text."""
        return self._run(self._client.summarize(text, **kw))

    def summarize_many(self, texts: Sequence[str], **kw: Any) -> list[SummaryOutcome]:
        """Summaries in input order with per-item errors."""
        return self._run(self._client.summarize_many(texts, **kw))

    def brief(self, text: str, **kw: Any) -> Brief:
        """detect → translate → summarize."""
        return self._run(self._client.brief(text, **kw))

    def brief_page(self, page: str | bytes, **kw: Any) -> tuple[Any, Brief]:
        """The brief of a web page (its HTML, or "" with url=... to fetch it)."""
        return self._run(self._client.brief_page(page, **kw))

    def brief_many(self, texts: Sequence[str], **kw: Any) -> list[BriefOutcome]:
        """Briefs in input order with per-item errors."""
        return self._run(self._client.brief_many(texts, **kw))

    def info(self, service: str) -> ServiceInfo:
        """What one service ("detector", "translator", "summarizer") serves."""
        return self._run(self._client.info(service))

    def language_pairs(self) -> list[LanguagePair]:
        """The translator's source → target pairs."""
        return self._run(self._client.language_pairs())

    @property
    def archive(self) -> SyncArchive:
        """The archive's calls (NewsdeskError FAILED_PRECONDITION without an address)."""
        self._client.archive  # noqa: B018 - raises when no archive is configured
        return SyncArchive(self)


class SyncArchive:
    """The archive's calls on the synchronous client (see archive.AsyncArchive)."""

    def __init__(self, client: NewsdeskClient) -> None:
        self._client = client
        self._archive = client._client.archive

    def add(self, items: Sequence[ArchiveItem], **kw: Any) -> list[ArchiveItem]:
        """Store items; the stored ones in order."""
        return self._client._run(self._archive.add(items, **kw))

    def get(self, item_id: int) -> ArchiveItem:
        """One item."""
        return self._client._run(self._archive.get(item_id))

    def delete(self, item_id: int) -> None:
        """Delete one item."""
        self._client._run(self._archive.delete(item_id))

    def list_items(self, start_date: str = "", end_date: str = "", **kw: Any) -> list[ArchiveItem]:
        """Items published in a date range, newest first."""
        return self._client._run(self._archive.list_items(start_date, end_date, **kw))

    def search(self, query: str, **kw: Any) -> list[RelatedItem]:
        """Items matching words, best first."""
        return self._client._run(self._archive.search(query, **kw))

    def related(self, english_text: str, **kw: Any) -> list[RelatedItem]:
        """Earlier items related to an article."""
        return self._client._run(self._archive.related(english_text, **kw))

    def background(self, english_text: str, **kw: Any) -> Background:
        """Background bullets for an article."""
        return self._client._run(self._archive.background(english_text, **kw))

    def info(self) -> ArchiveInfo:
        """The archive's storage, item count and retention."""
        return self._client._run(self._archive.info())


async def _anext(agen: AsyncIterator[T]) -> T:
    return await agen.__anext__()


async def _aclose(agen: AsyncIterator[Any]) -> None:
    aclose = getattr(agen, "aclose", None)
    if aclose is not None:
        await aclose()
