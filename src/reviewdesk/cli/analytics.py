"""``reviewdesk analyze`` and ``reviewdesk check-reply``: the text engine over JSON lines.

Each input line is one JSON object; each output line answers it, in order. A line that
cannot be used produces ``{"line": N, "id": ..., "error": {"code", "message"}}`` and the
run goes on. ``-`` reads standard input. Large files show a progress bar on stderr.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from typing import IO, Annotated, Any

import typer

from reviewdesk.errors import InvalidInput, ReviewdeskError

BATCH = 256
PROGRESS_MIN_BYTES = 1_000_000
_MISSING = object()


def _records(stream: IO[bytes]) -> Iterator[tuple[int, int, dict[str, Any] | InvalidInput]]:
    """(line number, bytes read, object or the reason the line is unusable)."""
    for number, raw in enumerate(stream, start=1):
        size = len(raw)
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8").lstrip("\ufeff")
        except UnicodeDecodeError:
            yield number, size, InvalidInput("invalid_encoding", "line is not valid UTF-8")
            continue
        try:
            value = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            msg = getattr(exc, "msg", "too deeply nested")
            yield number, size, InvalidInput("invalid_json", f"line is not JSON: {msg}")
            continue
        if not isinstance(value, dict):
            yield number, size, InvalidInput("invalid_record", "line must be a JSON object")
            continue
        yield number, size, value


def _string_list(record: dict[str, Any], key: str) -> tuple[str, ...]:
    value = record.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f"invalid_{key}", f"{key} must be a list of strings")
    return tuple(value)


def _rating(record: dict[str, Any], key: str) -> int | None:
    value = record.get(key)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidInput("invalid_rating", f"{key} must be an integer 1-5, got {value!r}")
    return value


def _text(record: dict[str, Any], key: str, required: bool = True) -> str | None:
    value = record.get(key, _MISSING)
    if value is _MISSING or value is None:
        if required:
            raise InvalidInput(f"missing_{key}", f'"{key}" is required')
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"invalid_{key}", f'"{key}" must be a string')
    return value


def _review_input(record: dict[str, Any]) -> Any:
    from reviewdesk.analytics import ReviewInput

    text = _text(record, "text")
    assert text is not None
    return ReviewInput(
        text=text,
        id=record.get("id"),
        rating=_rating(record, "rating"),
        known_names=_string_list(record, "known_names"),
        custom_keywords=_string_list(record, "custom_keywords"),
    )


def _reply_input(record: dict[str, Any]) -> Any:
    from reviewdesk.analytics import ReplyInput

    reply = _text(record, "reply")
    assert reply is not None
    return ReplyInput(
        reply=reply,
        id=record.get("id"),
        review_text=_text(record, "review_text", required=False),
        review_rating=_rating(record, "review_rating"),
        known_names=_string_list(record, "known_names"),
    )


def _error_line(number: int, record_id: Any, error: ReviewdeskError) -> dict[str, Any]:
    return {
        "line": number,
        "id": record_id,
        "error": {"code": error.code, "message": error.detail},
    }


def _run(
    file: str,
    parse: Callable[[dict[str, Any]], Any],
    process: Callable[[list[Any]], list[dict[str, Any]]],
    show_progress: bool,
) -> int:
    """Stream ``file`` through ``process`` in batches; return the number of bad lines."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    if file == "-":
        stream: IO[bytes] = sys.stdin.buffer
        total = None
    else:
        try:
            stream = open(file, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            typer.echo(f"error: cannot read {file}: {exc.strerror}", err=True)
            raise typer.Exit(code=2) from exc
        total = os.fstat(stream.fileno()).st_size
    out = sys.stdout
    errors = 0
    pending: list[tuple[int, Any, Any]] = []  # (line, id, parsed input or error)

    def flush() -> None:
        inputs = [p[2] for p in pending if not isinstance(p[2], ReviewdeskError)]
        try:
            results = iter(process(inputs)) if inputs else iter(())
        except Exception:  # one bad record must not sink the batch
            # Fall back to one at a time so that only the culprit gets an error line.
            results = iter(_one_by_one(process, inputs))
        for number, record_id, item in pending:
            if isinstance(item, ReviewdeskError):
                line = _error_line(number, record_id, item)
            else:
                result = next(results)
                if isinstance(result, ReviewdeskError):
                    line = _error_line(number, record_id, result)
                else:
                    line = result
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        out.flush()
        pending.clear()

    progress = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
        disable=not (show_progress and total is not None and total >= PROGRESS_MIN_BYTES),
    )
    try:
        with progress:
            task = progress.add_task("analysing", total=total)
            for number, size, record in _records(stream):
                progress.advance(task, size)
                if isinstance(record, ReviewdeskError):
                    errors += 1
                    pending.append((number, None, record))
                else:
                    try:
                        pending.append((number, record.get("id"), parse(record)))
                    except ReviewdeskError as exc:
                        errors += 1
                        pending.append((number, record.get("id"), exc))
                if len(pending) >= BATCH:
                    flush()
            flush()
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    return errors


def _one_by_one(
    process: Callable[[list[Any]], list[dict[str, Any]]], inputs: list[Any]
) -> list[Any]:
    out: list[Any] = []
    for item in inputs:
        try:
            out.extend(process([item]))
        except ReviewdeskError as exc:
            out.append(exc)
        except Exception as exc:  # reported on the line, never a crash
            out.append(ReviewdeskError("analysis_failed", f"{type(exc).__name__}: {exc}"))
    return out


def _analyze_batch(inputs: list[Any]) -> list[dict[str, Any]]:
    from reviewdesk.analytics import analyze

    return [result.to_json() for result in analyze(inputs)]


def _check_batch(inputs: list[Any]) -> list[dict[str, Any]]:
    from reviewdesk.analytics import check_reply

    return [check_reply(item).to_json() for item in inputs]


FileArg = Annotated[str, typer.Argument(help="JSON lines file, or - for standard input.")]
ProgressOpt = Annotated[
    bool, typer.Option("--progress/--no-progress", help="Progress bar on stderr (large files).")
]


def register(app: typer.Typer) -> None:
    """Add ``analyze`` and ``check-reply`` to the ``reviewdesk`` CLI."""

    @app.command("analyze")
    def analyze_command(file: FileArg, progress: ProgressOpt = True) -> None:
        """Analyse reviews: one JSON line in ({"id", "text", "rating", "known_names"}),
        one JSON line out (language, sentiment, categories, aspects, keywords,
        personal_data, masked_text, flags, deceptive_score)."""
        errors = _run(file, _review_input, _analyze_batch, progress)
        if errors:
            typer.echo(f"{errors} line(s) could not be analysed", err=True)

    @app.command("check-reply")
    def check_reply_command(file: FileArg, progress: ProgressOpt = True) -> None:
        """Check seller replies: one JSON line in ({"id", "reply", "review_text",
        "review_rating", "known_names"}), one JSON line out (verdict ok/warn/block and
        findings with rule, severity, start, end, message, suggestion)."""
        errors = _run(file, _reply_input, _check_batch, progress)
        if errors:
            typer.echo(f"{errors} line(s) could not be checked", err=True)
