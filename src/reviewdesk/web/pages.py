"""Server-rendered pages (Jinja2), working without JavaScript."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"
router = APIRouter(include_in_schema=False)


def mount_static(app: FastAPI) -> None:
    """Serve the pages' own CSS and JS."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
