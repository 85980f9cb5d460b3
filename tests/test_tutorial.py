"""docs/tutorial.md tells the truth about its own example file: what validate prints for it, as
written and with the mistakes the tutorial asks for, and that its other commands run."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from graphkit.cli import main

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL = (ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8")


def _example_file() -> str:
    """The crisis.yaml the tutorial asks the reader to write (its first YAML block)."""
    found = re.search(r"Create `crisis.yaml`.*?```yaml\n(.*?)```", TUTORIAL, re.S)
    assert found, "the tutorial no longer shows crisis.yaml"
    return found.group(1)


def _section(title: str) -> str:
    return TUTORIAL.split(f"## {title}", 1)[1].split("\n## ", 1)[0]


@pytest.fixture
def crisis(tmp_path, monkeypatch) -> Path:
    """crisis.yaml in a copy of the layout the tutorial assumes (the clone's root)."""
    monkeypatch.chdir(ROOT)
    path = tmp_path / "crisis.yaml"
    path.write_text(_example_file(), encoding="utf-8")
    return path


def test_the_example_file_validates_as_the_tutorial_says(crisis, capsys):
    assert main(["validate", str(crisis)]) == 0
    said = re.search(r"It prints `(ok: [^`]*)`", _section("2. Validate")).group(1)
    assert capsys.readouterr().err.strip() == said


def test_the_quoted_errors_are_what_validate_prints_for_the_tutorials_mistakes(crisis, capsys):
    section = _section("2. Validate")
    edits = re.findall(r"`([^`]+)` →\s+`([^`]+)`", section)
    assert len(edits) == 3
    text = crisis.read_text(encoding="utf-8")
    for before, after in edits:
        assert text.count(before) == 1, before
        text = text.replace(before, after)
    crisis.write_text(text, encoding="utf-8")
    assert main(["validate", str(crisis)]) == 1
    printed = capsys.readouterr().err.replace(str(crisis), "crisis.yaml").strip()
    quoted = re.search(r"```\n(crisis\.yaml:.*?)```", section, re.S).group(1).strip()
    assert printed == quoted


def _commands() -> list[list[str]]:
    """Every `graphkit ...` line of the tutorial's shell blocks, without comments."""
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", TUTORIAL, re.S):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            # `graphkit serve` runs until Ctrl-C: tests/serve checks the tutorial's serve section
            if line.startswith("graphkit ") and not line.startswith("graphkit serve "):
                commands.append(shlex.split(line)[1:])
    return commands


def test_every_command_of_the_tutorial_runs_from_the_clone_root(crisis, tmp_path, capsys):
    commands = _commands()
    assert len(commands) >= 10
    for command in commands:
        args = [str(crisis) if a == "crisis.yaml" else a for a in command]
        args = [
            str(tmp_path / a) if a.endswith((".html", ".ttl")) or a == "back.yaml" else a
            for a in args
        ]
        code = main(args)
        captured = capsys.readouterr()
        assert code == 0, f"graphkit {' '.join(command)}: {captured.err}"
        assert "warning" not in captured.err, f"graphkit {' '.join(command)}: {captured.err}"


def test_the_sparql_example_binds_its_variable():
    sparql = [c for c in _commands() if c[0] == "sparql"]
    assert sparql and all("--bind" in c for c in sparql)


def test_the_python_example_runs(crisis, monkeypatch, capsys):
    code = re.search(r"```python\n(.*?)```", _section("3. Ask questions"), re.S).group(1)
    monkeypatch.chdir(crisis.parent)
    exec(compile(code, "tutorial.md", "exec"), {})
    printed = capsys.readouterr().out
    assert printed.startswith("North Korea\n") and "None" not in printed
    assert "<Neighbour" not in printed and "USA" in printed
