"""`python -m services.detector`: config → logging → load the detector → serve."""

from __future__ import annotations

from services.common.serving.main import serve_main
from services.detector.config import DetectorConfig


def main() -> int:
    """Run the detector service until SIGTERM/SIGINT."""
    from services.detector.app import build

    return serve_main("detector", DetectorConfig.from_env, build)


if __name__ == "__main__":
    raise SystemExit(main())
