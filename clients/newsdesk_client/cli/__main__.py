"""`python -m newsdesk_client.cli`: the `newsdesk` command line."""

from newsdesk_client.cli.main import main

raise SystemExit(main())
