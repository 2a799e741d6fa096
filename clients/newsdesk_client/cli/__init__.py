"""The `newsdesk` command line (the library never imports this package)."""

from newsdesk_client.cli.main import main

__all__ = ["main"]
