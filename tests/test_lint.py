"""graphkit lint: findings with places, codes and levels; strict mode; the rules' docs."""

import ast
import json
import re
from pathlib import Path

import pytest

import graphkit as gk
from graphkit.cli import main
from graphkit.lint import RULES, lint

ROOT = Path(__file__).resolve().parents[1]

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
    captured = capsys.readouterr()
    assert captured.err.strip() == "8 findings: 6 warnings, 2 info"
    assert f"{path}:4:5: info: source-unused: source 's2' is cited by no fact" in captured.out
    assert f"{path}:16:5: warning: fact-no-source: event 'e3' cites no source" in captured.out
    assert main(["lint", str(path), "--strict", "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.err.strip() == "8 findings: 6 errors, 2 info"
    payload = json.loads(captured.out)
    assert payload[0] == {
        "file": str(path),
        "line": 4,
        "column": 5,
        "level": "info",
        "code": "source-unused",
        "message": "source 's2' is cited by no fact",
    }
    assert {f["code"]: f["level"] for f in payload}["fact-no-source"] == "error"


def test_strict_lint_passes_when_only_info_findings_remain(write_yaml, capsys):
    """The rule: `lint --strict` exits 1 on warnings (errors under strict), never on info."""
    path = write_yaml(
        "kb.yaml",
        """format_version: 1
sources: [{id: s, title: T, reliability: F, published: 2024}]
actors: [{id: A, name: A, kind: state}, {id: Z, name: Z, kind: state}]
events: [{id: e, type: statement, date: 2024, actor: A, sources: [s], credibility: 3}]
""",
    )
    assert main(["lint", str(path), "--strict"]) == 0
    assert capsys.readouterr().err.strip() == "3 findings: 3 info"


def test_flagship_is_lint_clean(flagship):
    assert [str(f) for f in lint(flagship)] == []


STRICT_GAPS = """format_version: 1
strict: true
sources: [{id: s, title: T, reliability: B, url: "https://example.org/s"}]
actors: [{id: A, name: A, kind: state}]
events:
  - {id: e, type: statement, date: 2024, actor: A, credibility: 2}
  - {id: f, type: statement, date: 2023, actor: A, sources: [s], credibility: 2}
"""


def test_strict_header_makes_warnings_load_errors(write_yaml):
    path = write_yaml("kb.yaml", STRICT_GAPS)
    with pytest.raises(gk.LoadError) as caught:
        gk.load(path)
    assert [(d.line, d.code) for d in caught.value.diagnostics] == [
        (3, "source-no-date"),
        (6, "fact-no-source"),
    ]
    assert str(caught.value.diagnostics[1]) == (
        f"{path}:6:5: event 'e' cites no source (strict: fact-no-source)"
    )
    kb = gk.load(path, strict=False)  # the findings stay available to lint
    assert kb.strict_files == {str(path)} and len(kb.events) == 2
    assert [(f.code, f.level) for f in lint(kb) if f.level != "info"] == [
        ("source-no-date", "error"),
        ("fact-no-source", "error"),
    ]
    assert [f.level for f in lint(kb, strict=False) if f.level != "info"] == ["warning"] * 2


def test_strict_header_applies_to_its_own_file_only(write_yaml, tmp_path):
    strict = write_yaml(
        "a/strict.yaml",
        "format_version: 1\nstrict: true\nactors: [{id: A, name: A, kind: state}]\n",
    )
    write_yaml(
        "a/loose.yaml",
        "format_version: 1\nevents: [{id: e, type: statement, date: 2024, actor: A}]\n",
    )
    kb = gk.load(tmp_path / "a")  # the gaps are in the loose file: warnings, not errors
    assert {f.level for f in lint(kb)} == {"warning"}
    with pytest.raises(gk.LoadError):
        gk.load(tmp_path / "a", strict=True)
    strict.write_text(
        strict.read_text() + "sources: [{id: s, title: T, reliability: B}]\n", encoding="utf-8"
    )
    with pytest.raises(gk.LoadError) as caught:
        gk.load(tmp_path / "a")
    assert [(d.file, d.code) for d in caught.value.diagnostics] == [(str(strict), "source-no-date")]


def test_validate_strict_and_the_header(write_yaml, capsys):
    loose = write_yaml("loose.yaml", STRICT_GAPS.replace("strict: true\n", ""))
    assert main(["validate", str(loose)]) == 0
    capsys.readouterr()
    assert main(["validate", "--strict", str(loose)]) == 1
    err = capsys.readouterr().err
    assert "cites no source (strict: fact-no-source)" in err
    assert err.strip().endswith("2 errors")
    assert main(["validate", "--strict", "--json", str(loose)]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert [e["code"] for e in payload["errors"]] == ["source-no-date", "fact-no-source"]
    strict = write_yaml("strict.yaml", STRICT_GAPS)
    assert main(["validate", str(strict)]) == 1  # the header alone is enough
    assert main(["lint", str(strict)]) == 1  # lint still lists everything, at its level
    assert "error: fact-no-source" in capsys.readouterr().out


def test_strict_survives_a_save(tmp_path):
    kb = gk.loads(STRICT_GAPS, strict=False)
    assert kb.document.strict and kb.to_yaml().splitlines()[1] == "strict: true"
    assert gk.loads(kb.to_yaml(), strict=False).document.strict
    assert kb == gk.loads(STRICT_GAPS.replace("strict: true\n", ""))  # not a fact
    with pytest.raises(gk.LoadError):
        gk.KnowledgeBase.from_document(kb.document).add()  # a strict document, checked again


def test_according_to_missing(write_yaml):
    text = """format_version: 1
sources: [{id: s, title: T, reliability: B, published: 2024}]
actors: [{id: A, name: A, kind: state}, {id: B, name: B, kind: agency}]
events:
  - {id: said, type: statement, date: 2024, actor: A, sources: [s], credibility: 2,
     summary: "A moved troops, according to B."}
  - {id: ok, type: statement, date: 2023, actor: A, sources: [{source: s, according_to: B}],
     credibility: 2, summary: "A moved troops, According to B."}
"""
    findings = [f for f in lint(gk.load(write_yaml("kb.yaml", text))) if f.level != "info"]
    assert [(f.line, f.code, f.level) for f in findings] == [(5, "according-to-missing", "warning")]


def _reported_codes() -> set[str]:
    """Every code the linter can report, read from the source of ``graphkit/lint.py`` (literal
    codes passed to ``report``) and of ``graphkit/io/copies.py`` (the codes its checks yield)."""
    codes = set()
    passed_on = 0
    for node in ast.walk(ast.parse((ROOT / "graphkit" / "lint.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "report":
            code = node.args[1]
            if isinstance(code, ast.Constant):
                codes.add(code.value)
            else:
                passed_on += 1
    assert passed_on == 1, "only the copy checks' codes are passed on from elsewhere"
    copies = ast.parse((ROOT / "graphkit" / "io" / "copies.py").read_text(encoding="utf-8"))
    for node in ast.walk(copies):
        if isinstance(node, ast.Yield) and isinstance(node.value, ast.Tuple):
            code = node.value.elts[1]
            assert isinstance(code, ast.Constant), "copy check codes are literals"
            codes.add(code.value)
    return codes


def test_every_code_the_linter_can_emit_is_a_documented_rule():
    reported = _reported_codes()
    assert reported == set(RULES), "a rule is reported but not registered, or never reported"
    errors_md = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    for rule in RULES.values():
        row = re.search(rf"^\| `{re.escape(rule.code)}` \| (\w+) \|(.*)\|(.*)\|$", errors_md, re.M)
        assert row, f"lint code {rule.code!r} is not in docs/errors.md"
        assert row.group(1) == rule.level
        assert row.group(2).strip() and row.group(3).strip(), f"{rule.code}: meaning and fix"


_CASES = {"i": ["i", "I", "\u0130", "\u0131"]}  # re's IGNORECASE also matches İ and ı with i


def test_according_to_in_any_case_is_found(write_yaml) -> None:
    """The summary check finds the phrase in any case, including the non-ASCII letters that
    Python's case-insensitive matching takes for i (lint looks for "ccord" first)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from graphkit.lint import _ACCORDING_TO, _says_according_to

    letters = st.tuples(
        *(st.sampled_from(_CASES.get(c, [c.lower(), c.upper()])) for c in "according to")
    ).map("".join)

    @settings(max_examples=200, deadline=None)
    @given(st.text(max_size=5), letters, st.text(max_size=5))
    def prefilter_keeps_every_match(before: str, phrase: str, after: str) -> None:
        summary = f"{before} {phrase} {after}"
        assert _ACCORDING_TO.search(summary)
        assert _says_according_to(summary)

    prefilter_keeps_every_match()
    path = write_yaml(
        "kb.yaml",
        """format_version: 1
sources: [{id: s, title: T, reliability: B, published: 2024, url: "https://ex.org"}]
actors: [{id: A, name: A, kind: state}, {id: B, name: B, kind: state}]
events:
  - {id: e, type: statement, date: 2024, actor: A, target: B, credibility: 2,
     sources: [{source: s}], summary: "A moved troops, ACCORD\u0131NG TO B."}
""",
    )
    findings = [f for f in lint(gk.load(path)) if f.level != "info"]
    assert [f.code for f in findings] == ["according-to-missing"]
