"""No "None" (or "null") in any human-readable output, on both shipped datasets.

Every escalation step of ``data/events.yaml`` and ``examples/data/`` is rendered, then every text
output of the command line on both (the data commands, over every actor where they take one).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import graphkit as gk
from graphkit.cli import main

ROOT = Path(__file__).resolve().parents[1]
DATASETS = {"flagship": ROOT / "data" / "events.yaml", "red sea": ROOT / "examples" / "data"}
NONE = re.compile(r"\bNone\b")


@pytest.fixture(scope="module", params=sorted(DATASETS))
def dataset(request) -> tuple[Path, gk.KnowledgeBase]:
    path = DATASETS[request.param]
    return path, gk.load(path)


def _assert_readable(text: str, what: str) -> None:
    found = NONE.search(text)
    assert found is None, f"{what}: {text[max(0, found.start() - 80) : found.end() + 40]!r}"


def test_every_escalation_step_reads_without_none(dataset):
    _, kb = dataset
    steps = gk.escalations(kb)
    assert len(steps) > 5
    for step in steps:
        _assert_readable(str(step), f"step {step.kind} {step.day}")
        for evidence in step.evidence:
            _assert_readable(str(evidence), f"evidence {evidence.id}")
    _assert_readable(str(steps), "all steps")
    for actor in kb.actors:
        _assert_readable(str(gk.escalations(kb, actor=actor.id)), f"steps of {actor.id}")


def test_neighbours_diff_and_paths_read_without_none(dataset):
    _, kb = dataset
    for actor in kb.actors:
        for neighbour in gk.neighbours(kb, actor.id):
            _assert_readable(str(neighbour), f"neighbour of {actor.id}")
    first, last = kb.date_range()
    _assert_readable(str(gk.diff(kb, str(first), str(last))), "diff")
    ranked = [a for a, _ in gk.most_central(kb, n=4)]
    for source in ranked:
        for target in ranked:
            if source != target:
                try:
                    found = gk.paths(kb, source, target, k=2, undirected=True)
                except gk.NoPathError:
                    continue
                _assert_readable(str(found), f"paths {source} -> {target}")


def _commands(path: Path, kb: gk.KnowledgeBase) -> list[list[str]]:
    first, last = (str(d) for d in kb.date_range())
    actors = [a.id for a in kb.actors]
    central = [a for a, _ in gk.most_central(kb, n=2)]
    file = str(path)
    commands = [
        ["validate", file],
        ["info", file],
        ["lint", file],
        ["escalations", file],
        ["escalations", file, "--index", "--freq", "month"],
        ["diff", file, first, last],
        ["central", file],
        ["central", file, "--measure", "betweenness"],
        ["path", file, central[0], central[1], "--undirected", "--k", "2"],
        ["path", file, central[0], central[1], "--temporal"],
        [
            "sparql",
            "@" + str(ROOT / "examples" / "queries" / "actor-relations.rq"),
            file,
            "--bind",
            f"actor=actor:{central[0]}",
        ],
    ]
    commands += [["neighbours", file, actor] for actor in actors]
    # every actor's steps are read through the library above; the command line for a few
    commands += [["escalations", file, "--actor", actor] for actor in central]
    return commands


def test_every_cli_text_output_reads_without_none(dataset, capsys):
    path, kb = dataset
    for command in _commands(path, kb):
        main(command)
        captured = capsys.readouterr()
        _assert_readable(captured.out + captured.err, " ".join(command[:1] + command[2:]))


def test_build_outputs_read_without_none(dataset, tmp_path):
    path, _ = dataset
    assert main(["build", str(path), "-o", str(tmp_path), "--jobs", "1"]) == 0
    for name in ("lint.txt", "escalations.txt", "paths.txt"):
        _assert_readable((tmp_path / name).read_text(encoding="utf-8"), name)


def test_an_event_without_target_reads_without_none():
    kb = gk.loads(
        "format_version: 1\nactors: [{id: A, name: A, kind: state}]\n"
        "events: [{id: e, type: casualties, date: 2025-04, actor: A}]\n"
    )
    from graphkit.query.evidence import evidence_for

    text = str(evidence_for(kb, kb.events["e"]))
    assert text.startswith("event 'e': A casualties, 2025-04")


def test_figures_and_report_read_without_none(dataset):
    """Hover texts and labels of the timeline, network and map, and the report's own text."""
    import json

    _, kb = dataset
    for name, figure in (
        ("timeline", gk.timeline(kb)),
        ("network", gk.network(kb)),
        ("map", gk.event_map(kb)),
    ):
        _assert_readable(json.dumps(figure.to_plotly_json(), default=str), name)
    page = re.sub(r"<script\b.*?</script>", "", gk.report(kb), flags=re.S)
    _assert_readable(page, "report")
