"""Translating now, without a server: a DocumentTranslator's plan for documents whose
language is decided, driven by run_sync (the engines called directly, batched by the
translator's own bounds). For the unit tests of the request path."""

from __future__ import annotations

from collections.abc import Sequence

from services.common.batching.plan import run_sync
from services.common.text.language import LanguageDecision
from services.translator.options import TranslateOptions
from services.translator.pipeline import DocumentTranslator
from services.translator.results import DocumentResult


def translate_documents(
    translator: DocumentTranslator,
    documents: Sequence[tuple[str, LanguageDecision]],
    options: TranslateOptions | None = None,
) -> list[DocumentResult]:
    """Translate `documents` now, in one request's model batches."""
    return run_sync(
        translator.plan_documents(documents, options or TranslateOptions()),
        translator.models(),
        max_tokens=translator.max_batch_tokens,
        max_items=translator.max_batch_segments,
    )


def translate_document(
    translator: DocumentTranslator,
    text: str,
    decision: LanguageDecision,
    options: TranslateOptions | None = None,
) -> DocumentResult:
    """Translate one whole document now; paragraph breaks survive."""
    return translate_documents(translator, [(text, decision)], options)[0]
