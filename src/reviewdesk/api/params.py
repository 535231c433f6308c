"""Parameter types shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from reviewdesk.db.base import MAX_ID

RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="A reviewdesk id")]
