"""The ``reviewdesk`` command line (Typer + Rich)."""

from reviewdesk.cli.main import app, main

__all__ = ["app", "main"]
