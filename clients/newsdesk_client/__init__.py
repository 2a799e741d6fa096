"""The newsdesk Python client: detect → translate → summarize as one call.

from newsdesk_client import NewsdeskClient
with NewsdeskClient() as client:
    brief = client.brief(open("article.txt").read())
    print(brief.to_text())

Every type a call returns or takes is importable from here (tests/unit/
test_public_names.py checks that each one the README names is).
"""

from newsdesk_client.aio import AsyncNewsdeskClient
from newsdesk_client.archive import (
    ArchiveInfo,
    ArchiveItem,
    AsyncArchive,
    Background,
    BackgroundBullet,
    RelatedItem,
)
from newsdesk_client.chain import Brief, BriefOutcome, BulletProvenance, Filing, SourceSentence
from newsdesk_client.config import ClientConfig
from newsdesk_client.errors import NewsdeskError
from newsdesk_client.sync import NewsdeskClient, SyncArchive
from newsdesk_client.types import (
    AlignedSentence,
    BulletSource,
    Chunking,
    Detection,
    FactCheck,
    LanguageCandidate,
    LanguagePair,
    Limits,
    ModelInfo,
    NamedEntity,
    Outcome,
    SegmentCounts,
    SegmentFlag,
    ServiceInfo,
    Span,
    StyleReport,
    Summary,
    SummaryOutcome,
    TranslatedParagraph,
    Translation,
    TranslationOutcome,
)
from newsdesk_client.wire import SummarizeOptions, TranslateOptions

__all__ = [
    "AlignedSentence",
    "ArchiveInfo",
    "ArchiveItem",
    "AsyncArchive",
    "AsyncNewsdeskClient",
    "Background",
    "BackgroundBullet",
    "Brief",
    "BriefOutcome",
    "BulletProvenance",
    "BulletSource",
    "Chunking",
    "ClientConfig",
    "Detection",
    "FactCheck",
    "Filing",
    "LanguageCandidate",
    "LanguagePair",
    "Limits",
    "ModelInfo",
    "NamedEntity",
    "NewsdeskClient",
    "NewsdeskError",
    "Outcome",
    "RelatedItem",
    "SegmentCounts",
    "SegmentFlag",
    "ServiceInfo",
    "SourceSentence",
    "Span",
    "StyleReport",
    "SummarizeOptions",
    "Summary",
    "SummaryOutcome",
    "SyncArchive",
    "TranslateOptions",
    "TranslatedParagraph",
    "Translation",
    "TranslationOutcome",
]
