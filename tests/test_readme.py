"""The README stays true: every setting is documented, the commands it names exist."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewdesk.cli import app
from reviewdesk.config import Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_every_setting_is_documented() -> None:
    missing = [
        name for name in Settings.model_fields if f"`REVIEWDESK_{name.upper()}`" not in README
    ]
    assert missing == []


def test_the_two_commands_and_ci_exist() -> None:
    for script in ("scripts/demo", "scripts/test"):
        assert f"./{script}" in README
        assert (ROOT / script).stat().st_mode & 0o111
    assert "./scripts/test" in (ROOT / ".ci/run").read_text()


def test_every_command_is_documented() -> None:
    names = {
        command.name or command.callback.__name__
        for command in app.registered_commands
        if command.callback is not None
    }
    names |= {group.name for group in app.registered_groups if group.name}
    missing = [name for name in names if f"reviewdesk {name}" not in README]
    assert missing == []


def test_the_library_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    code = re.search(r"```python\n(.*?)```", README, re.S)
    assert code is not None
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    exec(compile(code.group(1), "README.md", "exec"), namespace)  # noqa: S102 - our own README
    summary = namespace["public"].product_summary(  # type: ignore[attr-defined]
        namespace["platform"], "batik-house", "linen-shirt"
    )
    assert summary.gtins == ["00036000291452"] and summary.rating.count == 0
    namespace["platform"].close()  # type: ignore[attr-defined]
