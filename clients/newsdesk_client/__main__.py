"""`python -m newsdesk_client`: the `newsdesk` command line."""

from newsdesk_client.cli.main import main

raise SystemExit(main())
