"""``read_import``: one door to every import format, streaming and resumable.

Day/month order of numeric dates (``03/05/2024``) is decided once per file: the first
``ImportLimits.date_sample_rows`` rows' date cells are examined; a date whose first part
is above 12 proves day-first, one whose second part is above 12 proves month-first. When
the file proves one order, that order is used; when it proves none (or both), the
caller's ``day_first`` decides, else the source's habit (month-first for the US-based
apps and the generic reader, day-first for REVIEWS.io, Okendo, Trustpilot). The decision
and its reason are in ``ImportFile.notes``. A date that is unambiguous on its own is
always read the only way it can be.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator, Mapping
from datetime import UTC, tzinfo
from typing import BinaryIO, Protocol

from reviewdesk.integrations.importers.google_feed import FEED_FIELDS, GoogleFeed
from reviewdesk.integrations.importers.limits import DEFAULT_LIMITS, ImportLimits
from reviewdesk.integrations.importers.records import ImportedRow, ImportFileError, RowProblem
from reviewdesk.integrations.importers.rows import RowContext
from reviewdesk.integrations.importers.sources import (
    ColumnLayout,
    SourceSpec,
    resolve_columns,
    source_spec,
)
from reviewdesk.integrations.importers.tabular import CsvTable, JsonLinesTable, Record, convert
from reviewdesk.integrations.importers.textfile import ByteSource, TextFormat, sniff_format
from reviewdesk.integrations.importers.values import DateOrder, numeric_date_evidence

ImportResult = ImportedRow | RowProblem


class _Tabular(Protocol):
    @property
    def columns(self) -> tuple[str, ...]: ...

    @property
    def delimiter(self) -> str | None: ...

    def records(self, start_after: int = 0) -> Iterator[Record]: ...

    def count(self) -> int: ...


class ImportFile:
    """An opened import file: its columns, and its rows read lazily, as often as needed."""

    def __init__(
        self,
        *,
        spec: SourceSpec,
        source: ByteSource,
        table: _Tabular | GoogleFeed,
        layout: ColumnLayout,
        context: RowContext,
        encoding: str | None,
        notes: tuple[str, ...],
        limits: ImportLimits,
    ) -> None:
        self.source = spec.key
        self.source_label = spec.label
        self.columns = layout.columns
        self.unknown_columns = layout.unknown_columns
        self.column_map: Mapping[str, str] = dict(layout.header_of)
        self.encoding = encoding
        self.delimiter = table.delimiter
        self.date_order: DateOrder = context.date_order
        self.notes = notes
        self.size_bytes = source.size
        self._source, self._table, self._context, self._limits = source, table, context, limits
        self._total: int | None = None
        self._total_known = False

    @property
    def total_rows(self) -> int | None:
        """The number of the last row when cheaply known (files up to the counting limit)."""
        if not self._total_known:
            self._total_known = True
            if self.size_bytes <= self._limits.count_rows_up_to_bytes:
                self._total = self.count_rows()
        return self._total

    def count_rows(self) -> int | None:
        """Count the rows in one streamed pass (None for a Google feed)."""
        return self._table.count()

    def rows(self, start_after: int = 0) -> Iterator[ImportResult]:
        """Each row after ``start_after`` as an ``ImportedRow`` or a ``RowProblem``, lazily.

        Raises ``ImportFileError`` when the file cannot be read any further.
        """
        if isinstance(self._table, GoogleFeed):
            return self._table.rows(start_after, self._context)
        return convert(self._table.records(start_after), self._context)

    def resume_after(self, row_number: int) -> Iterator[ImportResult]:
        """The rows after ``row_number``, for an import interrupted after that row."""
        return self.rows(start_after=row_number)

    def __iter__(self) -> Iterator[ImportResult]:
        return self.rows()


def read_import(
    path_or_stream: str | os.PathLike[str] | BinaryIO,
    source: str,
    mapping: Mapping[str, str] | None = None,
    *,
    limits: ImportLimits = DEFAULT_LIMITS,
    day_first: bool | None = None,
    timezone: tzinfo = UTC,
) -> ImportFile:
    """Open an import file of ``source`` (``judgeme``, ``yotpo``, ... ``csv``, ``jsonl``).

    Checks size, type, encoding, header and required columns before any row is read;
    ``mapping`` (target field -> header) overrides the source's aliases. Dates without a
    zone are taken in ``timezone``.
    """
    spec = source_spec(source)
    byte_source = ByteSource(path_or_stream, limits.max_file_bytes)
    if spec.key == "google":
        if mapping:
            raise ImportFileError("mapping_not_supported", "a Google feed takes no mapping")
        with byte_source.open() as handle:
            sniff_format(handle, scan_encoding=False)
        feed = GoogleFeed(byte_source, limits)
        layout = ColumnLayout(feed.columns, dict(FEED_FIELDS), ())
        context = RowContext(spec, layout.header_of, "mdy", timezone)
        return ImportFile(
            spec=spec,
            source=byte_source,
            table=feed,
            layout=layout,
            context=context,
            encoding=None,
            notes=(),
            limits=limits,
        )
    with byte_source.open() as handle:
        text_format = sniff_format(handle)
    table = _open_table(byte_source, text_format, limits, source)
    layout = resolve_columns(table.columns, spec, mapping)
    order, order_note = _decide_date_order(table, layout, spec, day_first, limits)
    notes = tuple(n for n in (text_format.note, *layout.notes, order_note) if n)
    return ImportFile(
        spec=spec,
        source=byte_source,
        table=table,
        layout=layout,
        context=RowContext(spec, layout.header_of, order, timezone),
        encoding=text_format.encoding,
        notes=notes,
        limits=limits,
    )


def _open_table(
    source: ByteSource, text_format: TextFormat, limits: ImportLimits, name: str
) -> _Tabular:
    wanted = name.strip().casefold()
    if wanted in {"jsonl", "json lines", "jsonlines", "ndjson"}:
        return JsonLinesTable(source, text_format, limits)
    if wanted in {"generic", "json"}:
        first = _first_character(source, text_format)
        if first == "[":
            raise ImportFileError(
                "unsupported_json",
                "a JSON array cannot be streamed: give one object per line (JSON lines)",
            )
        if first == "{":
            return JsonLinesTable(source, text_format, limits)
    return CsvTable(source, text_format, limits)


def _first_character(source: ByteSource, text_format: TextFormat) -> str:
    with source.open() as handle:
        handle.seek(text_format.data_start)
        head = handle.read(4096)
    text = head.decode(text_format.encoding, errors="ignore").lstrip()
    return text[:1]


def _decide_date_order(
    table: _Tabular,
    layout: ColumnLayout,
    spec: SourceSpec,
    day_first: bool | None,
    limits: ImportLimits,
) -> tuple[DateOrder, str | None]:
    headers = [layout.header_of[t] for t in ("created_at", "reply_at") if t in layout.header_of]
    proofs: set[DateOrder] = set()
    ambiguous = False
    if headers:
        for _row, record in itertools.islice(table.records(), limits.date_sample_rows):
            if isinstance(record, RowProblem):
                continue
            for header in headers:
                proof = numeric_date_evidence(record.get(header, ""))
                if proof == "ambiguous":
                    ambiguous = True
                elif proof:
                    proofs.add(proof)
            if len(proofs) == 2:
                break
    if len(proofs) == 1:
        (order,) = proofs
        name = "day/month" if order == "dmy" else "month/day"
        return order, f"numeric dates read as {name}: the file's own dates prove it"
    fallback: DateOrder = "dmy" if (spec.day_first if day_first is None else day_first) else "mdy"
    if not ambiguous and not proofs:
        return fallback, None
    name = "day/month" if fallback == "dmy" else "month/day"
    why = "the file has dates of both orders" if proofs else "no date in the file tells the order"
    who = "as asked" if day_first is not None else f"the default for {spec.label}"
    return fallback, f"numeric dates read as {name}, {who}: {why}"
