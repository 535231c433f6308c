"""CSV and JSON-lines files, read one record at a time.

CSV: the delimiter is the one of ``,`` ``;`` tab ``|`` found most often, outside quotes,
in the header line (comma when none is); quotes are ``"`` doubled inside fields, so
quoted newlines and CRLF line ends work. ``row_number`` counts CSV records after the
header, blank ones included, so it is the spreadsheet row minus one whatever newlines
the quoted cells hold. Whole-file refusals met while reading: ``too_many_columns``,
``field_too_large``, ``invalid_csv``. Row problems: ``invalid_utf8`` (with the byte
offset), ``nul_byte``, ``extra_cells``, plus those of ``rows.build_row``.

JSON lines: one object per line (nested objects flattened to ``parent.child`` keys,
lists of scalars joined by newlines); ``row_number`` is the line number. A line that is
not JSON, not an object, too deep, or too large is a ``RowProblem`` naming the line.
"""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Iterator, Mapping
from typing import Any

from reviewdesk.integrations.importers.limits import ImportLimits
from reviewdesk.integrations.importers.records import ImportedRow, ImportFileError, RowProblem
from reviewdesk.integrations.importers.rows import RowContext, build_row
from reviewdesk.integrations.importers.textfile import ByteSource, LineReader, TextFormat

Record = tuple[int, Mapping[str, str] | RowProblem]
_DELIMITERS = (",", ";", "\t", "|")
_SNIPPET = 80


def sniff_delimiter(header_line: str) -> str:
    """The delimiter used most often outside quotes in the header line (comma on a tie)."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(_DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def cells_by_target(raw: Mapping[str, str], header_of: Mapping[str, str]) -> dict[str, str]:
    """The cells of one record keyed by target field."""
    return {target: raw[header] for target, header in header_of.items() if header in raw}


def convert(records: Iterator[Record], context: RowContext) -> Iterator[ImportedRow | RowProblem]:
    """Records of a tabular file as rows or problems."""
    for row_number, record in records:
        if isinstance(record, RowProblem):
            yield record
        else:
            yield build_row(row_number, cells_by_target(record, context.header_of), record, context)


class CsvTable:
    """A delimited text file with a header line."""

    def __init__(self, source: ByteSource, text_format: TextFormat, limits: ImportLimits):
        self._source, self._format, self._limits = source, text_format, limits
        with source.open() as handle:
            lines = iter(LineReader(handle, text_format, limits.max_line_bytes))
            first = next(lines, "")
            self.delimiter = sniff_delimiter(first)
            reader = csv.reader(itertools.chain([first], lines), delimiter=self.delimiter)
            try:
                header = next(reader, [])
            except csv.Error as error:
                raise _csv_error(error, 0) from None
        if len(header) > limits.max_columns:
            raise _too_many_columns(len(header), limits.max_columns, 0)
        if not any(cell.strip() for cell in header):
            raise ImportFileError("missing_header", "the first line holds no column names")
        self.columns = tuple(cell.replace("\ufeff", "").strip() for cell in header)
        seen: dict[str, int] = {}
        keys = []
        for column in self.columns:
            seen[column] = seen.get(column, 0) + 1
            keys.append(column if seen[column] == 1 else f"{column} ({seen[column]})")
        self._raw_keys = tuple(keys)

    def _reader(self, lines: LineReader) -> Iterator[list[str]]:
        reader = csv.reader(lines, delimiter=self.delimiter)
        row_number = -1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise _csv_error(error, row_number + 1) from None
            row_number += 1
            if len(cells) > self._limits.max_columns:
                raise _too_many_columns(len(cells), self._limits.max_columns, row_number)
            yield cells

    def records(self, start_after: int = 0) -> Iterator[Record]:
        """(row_number, cells by header) of each data record, or its problem."""
        width = len(self.columns)
        with self._source.open() as handle:
            lines = LineReader(handle, self._format, self._limits.max_line_bytes)
            for row_number, cells in enumerate(self._reader(lines)):
                invalid, nul = lines.take_invalid(), lines.take_nul()
                if row_number <= start_after or not cells:
                    continue
                if max(map(len, cells)) > self._limits.max_field_chars:
                    too_large = next(
                        i
                        for i, cell in enumerate(cells)
                        if len(cell) > self._limits.max_field_chars
                    )
                    column = self.columns[too_large] if too_large < width else None
                    raise ImportFileError(
                        "field_too_large",
                        f"row {row_number}, {column or 'an extra cell'}: a field is longer than "
                        f"{self._limits.max_field_chars} characters",
                        row_number=row_number,
                        column=column,
                    )
                yield row_number, self._record(row_number, cells, invalid, nul)

    def _record(
        self, row_number: int, cells: list[str], invalid: int | None, nul: bool
    ) -> Mapping[str, str] | RowProblem:
        if invalid is not None:
            return RowProblem(
                row_number,
                None,
                "invalid_utf8",
                f"row {row_number}: the byte at offset {invalid} is not valid UTF-8",
            )
        width = len(self.columns)
        extra = [cell for cell in cells[width:] if cell.strip()]
        if extra:
            return RowProblem(
                row_number,
                None,
                "extra_cells",
                f"row {row_number}: {len(cells)} cells for {width} columns (a quote or a "
                "delimiter out of place?)",
            )
        for index, cell in enumerate(cells[:width] if nul else ()):
            if "\x00" in cell:
                column = self.columns[index]
                return RowProblem(
                    row_number, column, "nul_byte", f"row {row_number}, {column}: a NUL byte"
                )
        cells = cells[:width] + [""] * (width - len(cells))
        return dict(zip(self._raw_keys, cells, strict=True))

    def count(self) -> int:
        """The number of the last record (blank records included), in one streamed pass."""
        with self._source.open() as handle:
            lines = LineReader(handle, self._format, self._limits.max_line_bytes)
            return sum(1 for _cells in self._reader(lines)) - 1


def _csv_error(error: csv.Error, row_number: int) -> ImportFileError:
    if "field larger than field limit" in str(error):
        return ImportFileError(
            "field_too_large",
            f"row {row_number}: a field is longer than {csv.field_size_limit()} characters",
            row_number=row_number,
        )
    return ImportFileError(
        "invalid_csv", f"row {row_number}: unreadable CSV ({error})", row_number=row_number
    )


def _too_many_columns(count: int, limit: int, row_number: int) -> ImportFileError:
    where = "the header" if row_number == 0 else f"row {row_number}"
    return ImportFileError(
        "too_many_columns",
        f"{where} has {count} columns; at most {limit} are read",
        row_number=row_number,
        limit=limit,
    )


class JsonLinesTable:
    """One JSON object per line; the columns are the keys seen in the first lines."""

    delimiter = None

    def __init__(self, source: ByteSource, text_format: TextFormat, limits: ImportLimits):
        self._source, self._format, self._limits = source, text_format, limits
        keys: dict[str, None] = {}
        for _line_number, record in itertools.islice(self.records(), limits.date_sample_rows):
            if not isinstance(record, RowProblem):
                keys.update(dict.fromkeys(record))
                if len(keys) > limits.max_columns:
                    raise _too_many_columns(len(keys), limits.max_columns, _line_number)
        self.columns = tuple(keys)

    def records(self, start_after: int = 0) -> Iterator[Record]:
        """(line number, flattened object) of each non-blank line, or its problem."""
        with self._source.open() as handle:
            lines = LineReader(handle, self._format, self._limits.max_line_bytes)
            for line_number, line in enumerate(lines, start=1):
                invalid = lines.take_invalid()
                if line_number <= start_after or not line.strip():
                    continue
                if invalid is not None:
                    yield (
                        line_number,
                        RowProblem(
                            line_number,
                            None,
                            "invalid_utf8",
                            f"line {line_number}: the byte at offset {invalid} is not valid UTF-8",
                        ),
                    )
                    continue
                yield line_number, self._parse(line_number, line)

    def _parse(self, line_number: int, line: str) -> Mapping[str, str] | RowProblem:
        snippet = line.strip()[:_SNIPPET]
        try:
            value = json.loads(line)
        except (ValueError, RecursionError) as error:
            message = f"line {line_number} is not JSON ({error}): {snippet}"
            return RowProblem(line_number, None, "invalid_json", message)
        if not isinstance(value, dict):
            message = f"line {line_number} is not a JSON object: {snippet}"
            return RowProblem(line_number, None, "not_an_object", message)
        flat: dict[str, str] = {}
        try:
            _flatten(value, "", flat, depth=0)
        except RecursionError:
            message = f"line {line_number}: the object is nested too deeply: {snippet}"
            return RowProblem(line_number, None, "invalid_json", message)
        if len(flat) > self._limits.max_columns:
            message = f"line {line_number} has {len(flat)} keys; at most {self._limits.max_columns}"
            return RowProblem(line_number, None, "too_many_columns", message)
        for key, text in flat.items():
            if len(text) > self._limits.max_field_chars:
                message = f"line {line_number}, {key}: longer than {self._limits.max_field_chars}"
                return RowProblem(line_number, key, "field_too_large", message)
            if "\x00" in text:
                return RowProblem(line_number, key, "nul_byte", f"line {line_number}, {key}: NUL")
        return flat

    def count(self) -> int:
        """The number of the last line, in one streamed pass."""
        with self._source.open() as handle:
            lines = LineReader(handle, self._format, self._limits.max_line_bytes)
            return sum(1 for _line in lines)


_MAX_DEPTH = 8


def _flatten(value: Mapping[str, Any], prefix: str, into: dict[str, str], depth: int) -> None:
    if depth > _MAX_DEPTH:
        raise RecursionError("too deep")
    for key, item in value.items():
        name = f"{prefix}{key}"
        if isinstance(item, dict):
            _flatten(item, name + ".", into, depth + 1)
        elif isinstance(item, list):
            if all(not isinstance(part, dict | list) for part in item):
                into[name] = "\n".join(_scalar(part) for part in item)
            else:
                into[name] = json.dumps(item, ensure_ascii=False)
        else:
            into[name] = _scalar(item)


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
