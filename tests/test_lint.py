"""graphkit lint: findings with places and codes; exit 0 unless --strict."""

import json

import graphkit as gk
from graphkit.cli import main
from graphkit.lint import lint

KB = """format_version: 1
sources:
  - {id: s1, title: Wire, reliability: B, url: "https://example.org/a", published: 2024-01-02}
  - {id: s2, title: Unused, reliability: C, url: "https://example.org/b", published: 2024-01-03}
actors:
  - {id: A, name: A, kind: state}
  - {id: B, name: B, kind: state}
  - {id: Z, name: Lonely, kind: state}
relations:
  - {id: war, type: at_war_with, from: A, to: B, start: 2022, sources: [s1], credibility: 2}
  - {id: pact, type: allied_with, from: A, to: B, start: 2020, ended_by: e3, sources: [s1], credibility: 2}
events:
  - {id: e1, type: attack, date: 2024-01-01, actor: A, target: B, sources: [s1], credibility: 2,
     quantities: [{value: 3}]}
  - {id: e2, type: attack, date: 2024-01-01, actor: B, target: A, credibility: 2, sources: [s1]}
  - {id: e3, type: ceasefire, date: 2024-03, actor: A, target: B}
"""


def test_findings_have_places_and_codes(write_yaml):
    path = write_yaml("kb.yaml", KB)
    findings = lint(gk.load(path))
    assert [(f.line, f.code) for f in findings] == [
        (4, "source-unused"),
        (8, "actor-unused"),
        (10, "relation-not-ended"),
        (11, "relation-not-ended"),
        (13, "quantity-no-unit"),
        (15, "duplicate-event"),
        (16, "fact-no-credibility"),
        (16, "fact-no-source"),
    ]
    messages = {f.code: f.message for f in findings}
    assert messages["duplicate-event"] == (
        "event 'e2' looks like a duplicate of 'e1' (same type, actors and date)"
    )
    assert "event 'e3' (ceasefire) ended it on 2024-03" in str(findings[2])
    assert all(f.file == str(path) for f in findings)


def test_cli_exit_code_depends_on_strict(write_yaml, capsys):
    path = write_yaml("kb.yaml", KB)
    assert main(["lint", str(path)]) == 0
    assert capsys.readouterr().err.strip() == "8 findings"
    assert main(["lint", str(path), "--strict", "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload[0] == {
        "file": str(path),
        "line": 4,
        "column": 5,
        "code": "source-unused",
        "message": "source 's2' is cited by no fact",
    }


def test_flagship_is_lint_clean(flagship):
    assert [str(f) for f in lint(flagship)] == []
