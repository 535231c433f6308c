"""``python -m reviewdesk``: the command line."""

from reviewdesk.cli.main import main

main()
