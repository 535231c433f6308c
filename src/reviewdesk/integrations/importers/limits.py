"""The limits an import file is read within (each a parameter of ``read_import``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ImportLimits:
    """Bounds that keep a hostile file from costing more than a clear error.

    ``max_field_chars`` is capped in effect by the ``csv`` module's process-wide
    ``csv.field_size_limit()`` (131,072 characters unless someone raised it): reviewdesk
    never changes that global.
    """

    max_file_bytes: int = 2 * 1024**3
    max_columns: int = 500
    max_field_chars: int = 128 * 1024
    max_line_bytes: int = 1024 * 1024
    date_sample_rows: int = 5_000
    count_rows_up_to_bytes: int = 64 * 1024**2


DEFAULT_LIMITS = ImportLimits()
