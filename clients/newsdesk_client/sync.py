"""NewsdeskClient: the synchronous client, running the async client on its own loop.

One implementation of the chain (aio.py) serves both; the sync client owns a private
event loop, so it works from plain scripts and threads that have none.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Sequence
from types import TracebackType
from typing import Any, TypeVar

from newsdesk_client.aio import AsyncNewsdeskClient
from newsdesk_client.config import ClientConfig
from newsdesk_client.types import (
    Brief,
    BriefOutcome,
    Detection,
    Summary,
    Translation,
    TranslationOutcome,
)

T = TypeVar("T")


class NewsdeskClient:
    """The synchronous client. Use as `with NewsdeskClient() as client:`."""

    def __init__(self, config: ClientConfig | None = None, **addresses: str | None) -> None:
        self._loop = asyncio.new_event_loop()
        self._client = self._run(self._make(config, addresses))

    @staticmethod
    async def _make(
        config: ClientConfig | None, addresses: dict[str, str | None]
    ) -> AsyncNewsdeskClient:
        return AsyncNewsdeskClient(config, **addresses)

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self._loop.run_until_complete(coro)

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
        """Close the channels and the private loop."""
        if not self._loop.is_closed():
            self._run(self._client.close())
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

    def summarize(self, text: str, **kw: Any) -> Summary:
        """Headline, summary and bullets of an English text."""
        return self._run(self._client.summarize(text, **kw))

    def brief(self, text: str, **kw: Any) -> Brief:
        """detect → translate → summarize."""
        return self._run(self._client.brief(text, **kw))

    def brief_many(self, texts: Sequence[str], **kw: Any) -> list[BriefOutcome]:
        """Briefs in input order with per-item errors."""
        return self._run(self._client.brief_many(texts, **kw))
