"""The newsdesk Python client: detect → translate → summarize as one call.

from newsdesk_client import NewsdeskClient
with NewsdeskClient() as client:
    brief = client.brief(open("article.txt").read())
    print(brief.to_text())
"""

from newsdesk_client.aio import AsyncNewsdeskClient
from newsdesk_client.config import ClientConfig
from newsdesk_client.errors import NewsdeskError
from newsdesk_client.sync import NewsdeskClient
from newsdesk_client.types import (
    Brief,
    BriefOutcome,
    Detection,
    ModelInfo,
    Summary,
    Translation,
)

__all__ = [
    "AsyncNewsdeskClient",
    "Brief",
    "BriefOutcome",
    "ClientConfig",
    "Detection",
    "ModelInfo",
    "NewsdeskClient",
    "NewsdeskError",
    "Summary",
    "Translation",
]
