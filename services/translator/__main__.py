"""`python -m services.translator`: config → logging → load models → serve.

Serving never downloads: HF_HUB_OFFLINE is forced on and models load from
NEWSDESK_MODEL_DIR (fill it with `newsdesk models pull`).
"""

from __future__ import annotations

from services.common.serving.main import serve_main
from services.translator.config import TranslatorConfig


def main() -> int:
    """Run the translator until SIGTERM/SIGINT."""
    from services.translator.app import build

    return serve_main("translator", TranslatorConfig.from_env, build)


if __name__ == "__main__":
    raise SystemExit(main())
