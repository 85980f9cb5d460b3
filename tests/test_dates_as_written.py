"""Dates print as written: a partial date is never shown as its first day (format.md).

Every human-readable output (escalations, the index, paths and their ``since``, diff,
neighbours, lint, the report's tables, the command line) is rendered for both shipped datasets,
and none may show ``2024-10-01`` where the data wrote ``2024-10`` (unless the data also wrote
that very day). The JSON keeps both the written form and the day bounds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import graphkit as gk
from graphkit.cli import main
from graphkit.errors import NoPathError
from graphkit.model.dates import Bounds, PartialDate, Span
from graphkit.query.diff import diff
from graphkit.query.escalation import escalation_index, escalations
from graphkit.query.neighbours import neighbours

from .conftest import FLAGSHIP, ROOT

RED_SEA = ROOT / "examples" / "data" / "red_sea_2023_2024.yaml"


def written_dates(kb: gk.KnowledgeBase) -> list[PartialDate]:
    found: list[PartialDate] = []

    def add(when: object) -> None:
        if isinstance(when, PartialDate):
            found.append(when)
        elif isinstance(when, Bounds):
            found.extend((when.earliest, when.latest))
        elif isinstance(when, Span):
            found.extend(d for d in (when.start, when.end) if d is not None)

    for event in kb.events:
        add(event.date)
        for alternative in event.alternative_dates:
            add(alternative.date)
        for quantity in event.quantities:
            add(quantity.as_of)
            add(quantity.by)
    for relation in kb.relations:
        add(relation.start)
        add(relation.end)
    for source in kb.sources:
        add(source.published)
    return found


def forbidden(kb: gk.KnowledgeBase) -> set[str]:
    """First days of partial dates that the data never wrote as days."""
    dates = written_dates(kb)
    days = {str(d) for d in dates if d.precision in ("day", "time")}
    days |= {d.first.isoformat() for d in dates if d.precision == "time"}
    return {d.first.isoformat() for d in dates if d.precision in ("year", "month")} - days


def table_text(html: str) -> str:
    return " ".join(re.findall(r"<table.*?</table>", html, flags=re.S))


def outputs(kb: gk.KnowledgeBase, path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    found: dict[str, str] = {"escalations": str(escalations(kb))}
    index = escalation_index(kb, freq="month")
    found["index"] = "\n".join(index.label(p) for p in index.points)
    roots = sorted({a.id for a in kb.actors})
    texts = []
    for source in roots[:8]:
        for target in roots[-8:]:
            if source == target:
                continue
            try:
                texts.append(str(gk.paths(kb, source, target, k=3, temporal=True)))
            except NoPathError:
                continue
    found["paths"] = "\n".join(texts)
    found["neighbours"] = "\n".join(
        str(n) for actor in roots for n in neighbours(kb, actor, at="2024-10-20")
    )
    found["diff"] = str(diff(kb, "2023", "2025"))
    found["report tables"] = table_text(gk.report(kb, steps=escalations(kb)))
    capsys.readouterr()
    for command in (
        ["info", str(path)],
        ["lint", str(path)],
        ["escalations", str(path)],
        ["escalations", str(path), "--index", "--freq", "month"],
        ["diff", str(path), "2023", "2025"],
    ):
        main(command)
        captured = capsys.readouterr()
        found[" ".join(command[:1] + command[2:])] = captured.out + captured.err
    return found


@pytest.mark.parametrize("path", [FLAGSHIP, RED_SEA], ids=["flagship", "red_sea"])
def test_no_partial_date_prints_as_its_first_day(path, capsys):
    kb = gk.load(path)
    banned = forbidden(kb)
    assert banned  # both datasets write month and year dates
    for name, text in outputs(kb, path, capsys).items():
        assert text, name
        shown = sorted(day for day in banned if day in text)
        assert not shown, f"{name} prints {shown} (partial dates shown as their first day)"


def test_json_keeps_the_written_date_and_its_days(capsys):
    kb = gk.loads(
        """format_version: 1
actors: [{id: A, name: A, kind: state}, {id: B, name: B, kind: state}, {id: C, name: C, kind: state}]
relations:
  - {id: ab, type: allied_with, from: A, to: B, start: 2024-06}
  - {id: bc, type: at_war_with, from: B, to: C, start: 2022}
events:
  - {id: e, type: attack, date: 2024-10, actor: B, target: C}
"""
    )
    widening, ladder = json.loads(escalations(kb).to_json())
    written = [(s["when"], s["day"], s["earliest"], s["latest"]) for s in (widening, ladder)]
    assert written == [
        ("2024-06", "2024-06-01", "2024-06-01", "2024-06-30"),
        ("2024-10", "2024-10-01", "2024-10-01", "2024-10-31"),
    ]
    assert str(escalations(kb)).splitlines()[0].startswith("2024-06 widening:")
    path = json.loads(gk.paths(kb, "A", "C").to_json())[0]
    assert (path["since"], path["since_when"]) == ("2024-06-01", "2024-06")
    summary = kb.summary()
    assert (summary["first_date"], summary["first_day"]) == ("2022", "2022-01-01")
    assert (summary["last_date"], summary["last_day"]) == ("2024-10", "2024-10-31")
    index = json.loads(escalation_index(kb, freq="month").to_json())
    assert (index["points"][0]["label"], index["points"][0]["start"]) == ("2024-10", "2024-10-01")


def test_an_undated_relation_is_possible_on_every_day_and_certain_on_none():
    kb = gk.loads(
        """format_version: 1
actors: [{id: A, name: A, kind: state}, {id: B, name: B, kind: state}]
relations:
  - {id: undated, type: allied_with, from: A, to: B}
  - {id: ended, type: supports, from: A, to: B, end: 2020}
  - {id: dated, type: cooperates_with, from: A, to: B, start: 2024}
"""
    )
    for day in ("1900-01-01", "2024-10-20"):
        view = kb.at(day)
        assert view.status(kb.relations["undated"]).name == "POSSIBLE"
        assert view.relations.ids() >= ["undated"]
        assert "undated" not in kb.at(day, certain=True).relations.ids()
    assert kb.at("2019-06-01").status(kb.relations["ended"]).name == "POSSIBLE"
    assert kb.at("2021-06-01").status(kb.relations["ended"]).name == "NONE"
    # a start is what makes a relation certain: from the last day of its start on
    assert kb.at("2025-03-01").status(kb.relations["dated"]).name == "CERTAIN"
    assert kb.at("2024-06-01").status(kb.relations["dated"]).name == "POSSIBLE"
