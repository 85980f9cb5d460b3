"""The command line as users run it: exit codes, stdout for data, stderr for diagnostics."""

import json
import subprocess
import sys

import pytest

from graphkit.cli import main

from .conftest import FLAGSHIP, ROOT


def run(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "graphkit", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_validate_flagship_exits_0_and_keeps_stdout_clean():
    result = run("validate", FLAGSHIP)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("ok: ")


def test_broken_copy_of_flagship_exits_1_with_located_messages(tmp_path):
    text = FLAGSHIP.read_text(encoding="utf-8")
    broken = text.replace("reliability: B", "reliability: Q", 1).replace(
        "type: troop_deployment", "type: troop_deploymen", 1
    )
    assert broken != text
    path = tmp_path / "events.yaml"
    path.write_text(broken, encoding="utf-8")
    result = run("validate", path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert any("reliability 'Q' is not one of" in line for line in lines)
    assert any(
        "unknown event type 'troop_deploymen' (did you mean 'troop_deployment'?)" in line
        for line in lines
    )
    for line in lines[:-1]:
        file, line_no, column, _ = line.split(":", 3)
        assert file == str(path) and int(line_no) > 0 and int(column) > 0
    assert lines[-1] == "2 errors"


def test_validate_json_reports_structured_errors(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("format_version: 1\nactors:\n  - {id: A, name: A, kind: nation}\n")
    result = run("validate", "--json", path)
    assert result.returncode == 1
    payload = json.loads(result.stdout)
    assert payload["valid"] is False
    assert payload["errors"][0]["line"] == 3 and payload["errors"][0]["code"] == "bad-choice"


def test_info_prints_counts_and_date_range(flagship):
    result = run("info", "--json", FLAGSHIP)
    assert result.returncode == 0
    summary = json.loads(result.stdout)
    assert summary["events"] == len(flagship.events)
    assert summary["first_date"] <= "2022-02-24" and summary["last_date"] >= "2025-01-01"
    text = run("info", FLAGSHIP).stdout
    assert f"events:     {len(flagship.events)}" in text


def test_unknown_command_is_a_usage_error():
    assert run("frobnicate").returncode == 2


def test_missing_file_exits_1_without_traceback(tmp_path):
    result = run("info", tmp_path / "nope.yaml")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "no such file or directory" in result.stderr


def test_schema_output_is_written_atomically(tmp_path):
    target = tmp_path / "schema.json"
    assert main(["schema", "-o", str(target)]) == 0
    schema = json.loads(target.read_text())
    assert schema["properties"]["format_version"]["const"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["schema.json"]


def test_schema_to_unwritable_place_leaves_no_partial_file(tmp_path, capsys):
    target = tmp_path / "missing-dir" / "schema.json"
    assert main(["schema", "-o", str(target)]) == 1
    assert not target.exists()
    assert capsys.readouterr().err.startswith(f"error: cannot write {target}: ")


@pytest.mark.parametrize("args", [["--version"], ["validate", "--help"]])
def test_help_and_version(args):
    assert run(*args).returncode == 0


def test_sparql_bind_of_a_variable_the_query_lacks_is_a_usage_error(capsys):
    query = str(ROOT / "examples" / "queries" / "relations-valid-at.rq")
    assert main(["sparql", "@" + query, str(FLAGSHIP), "--bind", "date=2024-10-20"]) == 2
    assert "the query has no variable ?date" in capsys.readouterr().err


def test_main_job_script_runs_graphkit_build_on_the_flagship():
    """The README's first command, minus the set-up: one ``graphkit build`` (tests/test_build.py)."""
    script = (ROOT / "scripts" / "run").read_text()
    assert "files=(data/events.yaml)" in script
    assert 'exec graphkit build "${files[@]}" -o out' in script


def test_the_cli_default_base_is_the_rdf_default_base():
    from graphkit.cli._app import DEFAULT_BASE
    from graphkit.rdf import DEFAULT_BASE as RDF_DEFAULT_BASE

    assert DEFAULT_BASE == RDF_DEFAULT_BASE
