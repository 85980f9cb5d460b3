"""YAML mistakes in plain language, with the fix, and every error of a file in one load."""

from __future__ import annotations

import pytest

import graphkit as gk
from graphkit.cli import main
from graphkit.model.dates import PartialDate, iso_suggestions

HEAD = """format_version: 1
sources:
  - {id: s1, title: Wire, reliability: B, published: 2024-10-23}
actors:
  - {id: RUS, name: Russia, kind: state}
  - {id: PRK, name: North Korea, kind: state, aliases: [DPRK]}
  - {id: USA, name: United States, kind: state}
events:
"""


def errors(text: str, monkeypatch: pytest.MonkeyPatch | None = None) -> list[gk.Diagnostic]:
    with pytest.raises(gk.LoadError) as caught:
        gk.loads(text, name="kb.yaml")
    return list(caught.value.diagnostics)


@pytest.fixture(params=["fast", "precise"])
def reader(request, monkeypatch):
    """Run a test with the fast path allowed (it declines, the precise path reports) and off."""
    if request.param == "precise":
        monkeypatch.setenv("GRAPHKIT_FAST", "0")
    return request.param


def test_tab_indentation(reader):
    text = HEAD + "  - id: e1\n\ttype: statement\n    date: 2024\n"
    [error] = errors(text)
    assert (error.line, error.column, error.code) == (10, 1, "yaml-syntax")
    assert error.message == "tabs cannot indent YAML; use spaces"
    assert "cannot start any token" not in str(error)


def test_unquoted_colon_shows_the_fixed_line(reader):
    broken = "    summary: Austin said: they are there  # from the wire"
    text = HEAD + f"  - id: e1\n    type: statement\n    date: 2024\n    actor: USA\n{broken}\n"
    [error] = errors(text)
    assert (error.line, error.column) == (13, 25)
    assert error.message == "a colon followed by a space inside an unquoted value; quote the value"
    assert error.hint == 'write: summary: "Austin said: they are there" # from the wire'
    fixed = text.replace(broken, "    " + error.hint.removeprefix("write: "))
    assert gk.loads(fixed).events["e1"].summary == "Austin said: they are there"


def test_unquoted_colon_in_a_flow_mapping(reader):
    line = "  - {id: e1, type: statement, summary: He said: no, date: 2024, actor: USA}"
    [error] = errors(HEAD + line + "\n")
    assert (
        error.hint
        == 'write: - {id: e1, type: statement, summary: "He said: no", date: 2024, actor: USA}'
    )
    fixed = HEAD + "  " + error.hint.removeprefix("write: ") + "\n"
    assert gk.loads(fixed).events["e1"].summary == "He said: no"


def test_a_deeper_key_is_an_indentation_problem_not_a_colon_one(reader):
    [error] = errors(HEAD + "  - id: e1\n      type: statement\n")
    assert error.message == "this key is indented deeper than the keys it belongs with"


def test_unclosed_quote_points_at_its_start(reader):
    text = HEAD + '  - id: e1\n    type: statement\n    summary: "never closed\n    date: 2024\n'
    [error] = errors(text)
    assert (error.line, error.column) == (11, 14)
    assert error.message == "this quoted value is never closed"


def test_an_actor_name_where_the_id_belongs_is_named_first(reader):
    text = HEAD + "  - {id: e1, type: statement, date: 2024, actor: Russia, target: dprk}\n"
    first, second = errors(text)
    assert first.code == "unknown-reference"
    assert first.hint == "'Russia' is the name of RUS; write its id"
    assert second.hint == "'dprk' is an alias of PRK; write its id"
    assert "USA" not in str(first)


@pytest.mark.parametrize(
    ("written", "fixes"),
    [
        ("27/02/2014", ["2014-02-27"]),
        ("02/27/2014", ["2014-02-27"]),
        ("03/04/2014", ["2014-04-03", "2014-03-04"]),
        ("27.02.2014", ["2014-02-27"]),
        ("2014/02/27", ["2014-02-27"]),
        ("2014-2-7", ["2014-02-07"]),
        ("10/2024", ["2024-10"]),
        ("23 October 2024", ["2024-10-23"]),
        ("October 23, 2024", ["2024-10-23"]),
        ("23 février 2024", ["2024-02-23"]),
        ("Oct 2024", ["2024-10"]),
        ("31/02/2014", []),
        ("someday", []),
    ],
)
def test_date_suggestions(written, fixes):
    assert iso_suggestions(written) == fixes
    for fix in fixes:
        assert str(PartialDate.parse(fix)) == fix


def test_a_day_first_date_suggests_the_iso_form(reader):
    text = HEAD + "  - {id: e1, type: statement, date: 27/02/2014, actor: RUS}\n"
    [error] = errors(text)
    assert (
        error.message
        == "event 'e1': date: '27/02/2014' is not a date; write 2014-02-27 (year first)"
    )


SIX = (
    HEAD
    + """  - id: e1
    type: statement
    date: 2024-10-23
    actor: USA
    summary: Austin said: they are there
  - id: e2
    type: troop_deployment
\tdate: 2024-10
    actor: PRK
  - id: e3
    type: statement
    date: 27/02/2014
    sources: [s1]
  - id: e4
    type: statment
    date: 2024
    actor: DPRK
  - id: e5
    type: statement
    date: 2024
    actor: PRK
    summary: "unclosed
  - id: e6
    type: statement
    date: 2024
    actor: RUS
    target: Russia
  - id: e7
    type: statement
    date: 2024
    actor: USA
    participants: [{actor: e2}]
"""
)


def test_every_error_of_a_file_after_a_syntax_error(reader):
    found = errors(SIX)
    assert [(d.line, d.code) for d in found] == [
        (13, "yaml-syntax"),  # the colon
        (16, "yaml-syntax"),  # the tab
        (20, "bad-value"),  # 27/02/2014
        (23, "unknown-type"),
        (25, "unknown-reference"),  # DPRK
        (30, "yaml-syntax"),  # the unclosed quote
        (35, "unknown-reference"),  # Russia
        (40, "unknown-reference"),  # e2 is an event, not an actor
    ]
    assert found[-1].hint == "'e2' is an event, not an actor"
    # e1, e2 and e5 were skipped: references to them are not reported as unknown as well
    assert not any("'e1'" in d.message or "'e5'" in d.message for d in found)


def test_a_broken_header_line_does_not_add_a_missing_version(reader):
    text = "format_version: 1: 2\nactors:\n  - {id: A, name: A, kind: stat}\n"
    assert [(d.line, d.code) for d in errors(text)] == [(1, "yaml-syntax"), (3, "bad-choice")]


def test_other_files_of_a_folder_are_still_checked(tmp_path, capsys):
    (tmp_path / "a.yaml").write_text("format_version: 1\nactors:\n\t- {id: A}\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text(
        "format_version: 1\nactors:\n  - {id: B, name: B, kind: stat}\n", encoding="utf-8"
    )
    assert main(["validate", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "a.yaml:3:1: tabs cannot indent YAML; use spaces" in err
    assert "b.yaml:3:28: actor 'B': kind 'stat' is not one of" in err


def test_the_number_of_errors_per_file_is_bounded():
    text = "format_version: 1\nactors:\n" + "".join(
        f"  - {{id: A{i}, name: x: y, kind: state}}\n" for i in range(40)
    )
    assert len(errors(text)) == 20
