"""`python -m services.summarizer`: config → logging → load the model → serve.

Serving never downloads: HF_HUB_OFFLINE is forced on and the model loads from
NEWSDESK_MODEL_DIR (fill it with `newsdesk models pull`).
"""

from __future__ import annotations

from services.common.serving.main import serve_main
from services.summarizer.config import SummarizerConfig


def main() -> int:
    """Run the summarizer until SIGTERM/SIGINT."""
    from services.summarizer.app import build

    return serve_main("summarizer", SummarizerConfig.from_env, build)


if __name__ == "__main__":
    raise SystemExit(main())
