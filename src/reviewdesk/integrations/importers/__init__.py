"""Review import files from other platforms, read into normalised rows (no I/O beyond the file).

``read_import(path_or_stream, source, mapping)`` opens a file of any supported source and
returns an ``ImportFile``: its columns, the unknown ones, and ``rows()`` yielding
``ImportedRow`` or ``RowProblem`` lazily. Skipping, matching, deduplication and storage
are the import service's.
"""

from reviewdesk.integrations.importers.limits import DEFAULT_LIMITS, ImportLimits
from reviewdesk.integrations.importers.reader import ImportFile, ImportResult, read_import
from reviewdesk.integrations.importers.records import ImportedRow, ImportFileError, RowProblem
from reviewdesk.integrations.importers.sources import SOURCES, TARGETS, source_spec

__all__ = [
    "DEFAULT_LIMITS",
    "SOURCES",
    "TARGETS",
    "ImportFile",
    "ImportFileError",
    "ImportLimits",
    "ImportResult",
    "ImportedRow",
    "RowProblem",
    "read_import",
    "source_spec",
]
