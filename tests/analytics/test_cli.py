"""``reviewdesk analyze`` and ``check-reply`` over JSON lines."""

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from reviewdesk.cli.analytics import register


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def _lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_analyze_reads_stdin_and_answers_each_line_in_order() -> None:
    stdin = "\n".join(
        [
            json.dumps({"id": 1, "text": "Runs small, call me 0812-3456-7890", "rating": 2}),
            json.dumps({"id": 2, "text": "Barang bagus!", "known_names": ["Budi"]}),
        ]
    )
    result = CliRunner().invoke(_app(), ["analyze", "-"], input=stdin)
    assert result.exit_code == 0
    lines = _lines(result.stdout)
    assert [line["id"] for line in lines] == [1, 2]
    assert lines[0]["masked_text"] == "Runs small, call me [phone]"
    assert lines[1]["language"] == "id"


def test_bad_lines_give_error_lines_with_their_number() -> None:
    stdin = "\n".join(
        [
            "not json",
            json.dumps({"id": "a", "text": 5}),
            json.dumps({"id": "b", "text": "ok", "rating": 9}),
            "[1, 2]",
            "",
            json.dumps({"id": "c", "text": "Fine."}),
        ]
    )
    result = CliRunner().invoke(_app(), ["analyze", "-"], input=stdin)
    assert result.exit_code == 0
    lines = _lines(result.stdout)
    assert [line.get("line") for line in lines[:4]] == [1, 2, 3, 4]
    assert [line["error"]["code"] for line in lines[:4]] == [  # type: ignore[index]
        "invalid_json",
        "invalid_text",
        "invalid_rating",
        "invalid_record",
    ]
    assert lines[1]["id"] == "a"
    assert lines[4]["id"] == "c" and "sentiment" in lines[4]


def test_analyze_reads_a_file_with_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "reviews.jsonl"
    path.write_bytes(b'{"id": 1, "text": "good"}\n\xff\xfe garbage\n{"id": 3, "text": "bad"}\n')
    result = CliRunner().invoke(_app(), ["analyze", str(path)])
    lines = _lines(result.stdout)
    assert [line["id"] for line in lines] == [1, None, 3]
    assert lines[1]["error"]["code"] == "invalid_encoding"  # type: ignore[index]
    assert lines[1]["line"] == 2


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), ["analyze", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2
    assert "cannot read" in result.output


def test_check_reply_gives_verdicts_and_findings() -> None:
    stdin = "\n".join(
        [
            json.dumps({"id": 1, "reply": "We'll refund you if you delete this review."}),
            json.dumps(
                {"id": 2, "reply": "Sorry! A replacement is on its way.", "review_rating": 1}
            ),
            json.dumps({"id": 3}),
        ]
    )
    result = CliRunner().invoke(_app(), ["check-reply", "-"], input=stdin)
    assert result.exit_code == 0
    first, second, third = _lines(result.stdout)
    assert first["verdict"] == "block"
    finding = first["findings"][0]  # type: ignore[index]
    assert set(finding) == {"rule", "severity", "start", "end", "message", "suggestion"}
    assert second == {"id": 2, "verdict": "ok", "findings": []}
    assert third["error"]["code"] == "missing_reply"  # type: ignore[index]
    assert third["line"] == 3


def test_large_file_is_processed_in_batches(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    path.write_text(
        "".join(json.dumps({"id": i, "text": f"review number {i}"}) + "\n" for i in range(600))
    )
    result = CliRunner().invoke(_app(), ["analyze", str(path), "--no-progress"])
    assert [line["id"] for line in _lines(result.stdout)] == list(range(600))


def test_byte_order_mark_and_crlf_and_numeric_string_rating_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "excel.jsonl"
    path.write_bytes(
        b'\xef\xbb\xbf{"id": 1, "text": "Great", "rating": "5"}\r\n{"id": 2, "text": "Bad"}\r\n'
    )
    result = CliRunner().invoke(_app(), ["analyze", str(path)])
    lines = _lines(result.stdout)
    assert [line["id"] for line in lines] == [1, 2]
    assert lines[0]["sentiment"]["label"] == "positive"  # type: ignore[index]


def test_unexpected_failure_on_one_record_becomes_its_error_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reviewdesk.cli import analytics as cli_analytics

    real = cli_analytics._analyze_batch

    def failing(inputs: list[object]) -> list[dict[str, object]]:
        if any("boom" in getattr(i, "text", "") for i in inputs):
            raise RuntimeError("engine bug")
        return real(inputs)

    monkeypatch.setattr(cli_analytics, "_analyze_batch", failing)
    stdin = "\n".join(
        json.dumps({"id": i, "text": t}) for i, t in enumerate(["ok", "boom", "fine"])
    )
    result = CliRunner().invoke(_app(), ["analyze", "-"], input=stdin)
    assert result.exit_code == 0
    lines = _lines(result.stdout)
    assert [line["id"] for line in lines] == [0, 1, 2]
    assert lines[1]["error"] == {"code": "analysis_failed", "message": "RuntimeError: engine bug"}
    assert "sentiment" in lines[0] and "sentiment" in lines[2]
