"""`python -m services.archive`: config → logging → open the store → serve."""

from __future__ import annotations

from services.archive.config import ArchiveConfig
from services.common.serving.main import serve_main


def main() -> int:
    """Run the archive service until SIGTERM/SIGINT."""
    from services.archive.app import build

    return serve_main("archive", ArchiveConfig.from_env, build)


if __name__ == "__main__":
    raise SystemExit(main())
