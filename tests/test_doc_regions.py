"""The generated regions of docs/format.md, errors.md and tutorial.md match the code and the data."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from types import ModuleType

import pytest
from scripts_module import load_script

import graphkit as gk
from graphkit.io.schema import json_schema
from graphkit.io.vocabulary import default_vocabulary

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _docregions() -> ModuleType:
    return load_script("docregions")


@pytest.mark.parametrize("name", ["format.md", "errors.md", "tutorial.md"])
def test_generated_regions_are_up_to_date(name):
    text = (DOCS / name).read_text(encoding="utf-8")
    assert _docregions().render(name, text) == text, (
        f"docs/{name} is stale: run python scripts/docregions.py"
    )


def test_docregions_rewrites_a_stale_region_and_checks(tmp_path, capsys):
    docregions = _docregions()
    for name in ("format.md", "errors.md", "tutorial.md"):
        shutil.copy(DOCS / name, tmp_path / name)
    stale = (tmp_path / "format.md").read_text(encoding="utf-8")
    stale = stale.replace("| `troop_deployment` |", "| `troop_deploymnt` |")
    (tmp_path / "format.md").write_text(stale, encoding="utf-8")
    assert docregions.main(["--check"], docs=tmp_path) == 1
    assert "format.md is stale" in capsys.readouterr().err
    assert docregions.main([], docs=tmp_path) == 0
    assert docregions.main(["--check"], docs=tmp_path) == 0
    assert (tmp_path / "format.md").read_text(encoding="utf-8") == (DOCS / "format.md").read_text(
        encoding="utf-8"
    )
    (tmp_path / "errors.md").write_text("no markers\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="no region 'lint-rules'"):
        docregions.main(["--check"], docs=tmp_path)


def _table_rows(text: str, first_cell: str) -> dict[str, str]:
    return {m.group(1): m.group(0) for m in re.finditer(r"^\| `([a-z_]+)` \|.*$", text, re.M)}


def test_format_md_lists_every_shipped_type_with_its_scores():
    text = (DOCS / "format.md").read_text(encoding="utf-8")
    rows = _table_rows(text, "")
    vocabulary = default_vocabulary()
    for event_type in vocabulary.event_types.values():
        row = rows[event_type.id]
        assert f"| {event_type.cameo} " in row and f"| {event_type.hostility} |" in row
        assert event_type.description and event_type.description in row
    for relation_type in vocabulary.relation_types.values():
        row = rows[relation_type.id]
        assert ("both ways" in row) == relation_type.symmetric
    assert "| `troop_deployment` |" in text and "+7.4" in rows["troop_deployment"]
    assert "-7.2" in rows["show_of_force"]


def test_format_md_explains_troop_deployment_beside_its_hostile_counterparts():
    text = (DOCS / "format.md").read_text(encoding="utf-8")
    section = text.split("### Deployments", 1)[1].split("###", 1)[0]
    for word in ("troop_deployment", "consent", "show_of_force", "mobilization", "invasion"):
        assert word in section
    example = text.split("type: troop_deployment", 1)[1].split("\n", 1)[0]
    assert "Deployments" in example  # the comment points the writer there


def _properties(schema: dict) -> dict[str, set[str]]:
    found = {"Document": set(schema["properties"])}
    for name, definition in schema.get("$defs", {}).items():
        found[name] = set(definition.get("properties", {}))
    return found


def test_every_field_of_the_json_schema_is_in_format_md():
    """Each field is in the generated table and in a hand-written example or sentence."""
    text = (DOCS / "format.md").read_text(encoding="utf-8")
    generated = text.split("<!-- BEGIN generated fields", 1)[1].split("<!-- END generated fields")[
        0
    ]
    by_hand = text.replace(generated, "")
    for model, names in _properties(json_schema()).items():
        for name in names:
            assert f"`{name}`" in generated, f"{model}.{name} missing from the fields table"
            assert re.search(rf"(`{name}`|\b{name}:)", by_hand), f"{model}.{name} never explained"
    for name in ("accessed", "notes", "tags"):
        assert f"`{name}`" in by_hand
    assert "An actor's `sources`" in by_hand


def test_format_md_says_which_fields_are_required():
    text = (DOCS / "format.md").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| event |"))
    required = row.split("|")[2]
    assert "`id`" in required and "`type`" in required and "`date`" in required
    assert "`actor`" not in required
    row = next(line for line in text.splitlines() if line.startswith("| source |"))
    assert "`reliability`" in row.split("|")[2] and "`url`" not in row.split("|")[2]


def test_vocabulary_file_cites_the_reference_by_name_not_a_machine_path():
    for path in (ROOT / "graphkit" / "data").glob("*"):
        text = path.read_text(encoding="utf-8")
        assert "/work/" not in text and "shared/reference" not in text, path.name
    text = (ROOT / "graphkit" / "data" / "event_types.yaml").read_text(encoding="utf-8")
    assert "cameo_goldstein_quadclass.csv" in text and "LICENSES.md" in text


def test_strict_is_in_the_schema_and_the_docs():
    assert json_schema()["properties"]["strict"]["type"] == "boolean"
    assert gk.loads("format_version: 1\nstrict: true\n").document.strict
    assert json.loads(json.dumps(json_schema()))  # still plain JSON


def test_tutorial_serve_error_follows_the_flagship_lines(tmp_path, monkeypatch):
    """The tutorial quotes the flagship's line numbers from the data, not from memory."""
    docregions = _docregions()
    before = docregions.serve_error()
    (tmp_path / "data").mkdir()
    flagship = (ROOT / "data" / "events.yaml").read_text(encoding="utf-8")
    (tmp_path / "data" / "events.yaml").write_text("# one\n# two\n# three\n" + flagship)
    monkeypatch.setattr(docregions, "ROOT", tmp_path)
    after = docregions.serve_error()
    numbers = [int(n) for n in re.findall(r"events\.yaml:(\d+):11", before)]
    assert numbers and len(set(numbers)) == 1
    assert after == re.sub(r"\b\d{3,5}\b", lambda m: str(int(m.group()) + 3), before)
