"""The `newsdesk` command line (main.py; the library never imports this package).

Its modules share one helper module (common.py) and import no other's private names;
the commands that run or build services are plugins from services/tools (main.py).
"""
