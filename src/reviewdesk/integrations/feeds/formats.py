"""The export formats and their media types (kept apart: the CLI names them at startup)."""

from __future__ import annotations

from enum import StrEnum


class ExportFormat(StrEnum):
    """The export formats (formats.md "Exports")."""

    GOOGLE = "google"  # Google product review feed 2.4, XML
    META = "meta"  # Meta product review feed, CSV
    CSV = "csv"  # the seller's own export
    JSONL = "jsonl"  # the seller's own export, JSON lines


MEDIA_TYPES = {
    ExportFormat.GOOGLE: "application/xml",
    ExportFormat.META: "text/csv",
    ExportFormat.CSV: "text/csv",
    ExportFormat.JSONL: "application/x-ndjson",
}
