"""Results a reader can read: diff lists its events, neighbours print, tables in Jupyter,
centrality in 0..1, and a no-path message that says when an undirected path exists."""

from __future__ import annotations

import html.parser
import json
from pathlib import Path

import pytest

import graphkit as gk
from graphkit.cli import main

KB = """format_version: 1
sources: [{id: s, title: "Wire <b>bold</b>", reliability: B, published: 2024-01-01}]
actors:
  - {id: A, name: Arcadia, kind: state}
  - {id: B, name: "<script>alert(1)</script>", kind: state}
  - {id: C, name: Calvadia, kind: state}
relations:
  - {id: ab, type: supports, from: A, to: B, start: 2024-03, sources: [s], credibility: 2}
  - {id: cb, type: supports, from: C, to: B, start: 2023, sources: [s], credibility: 2}
events:
  - {id: before, type: meeting, date: 2024-01, actor: A, target: C, sources: [s]}
  - {id: inside, type: meeting, date: 2024-02-10, actor: A, target: C, sources: [s]}
  - {id: on-edge, type: meeting, date: 2024-03, actor: C, target: A, sources: [s]}
  - {id: lasting, type: military_exercise, date: {start: 2023-12, end: 2024-02-20}, actor: A,
     sources: [s]}
  - {id: late, type: meeting, date: 2024-02-20, actor: C, target: A, sources: [s]}
"""


@pytest.fixture(scope="module")
def kb() -> gk.KnowledgeBase:
    return gk.loads(KB)


def test_diff_lists_only_events_strictly_between_in_date_order(kb):
    result = gk.diff(kb, "2024-01-31", "2024-03-15")
    # 'before' (January) is on the first date, 'on-edge' (March) may fall on the second,
    # 'lasting' started before the first date: none of them is in between.
    assert [e.id for e in result.events] == ["inside", "late"]
    text = str(result)
    assert "  events in between: 2\n    event 'inside': A meeting C, 2024-02-10" in text
    assert text.rstrip().endswith("event 'late': C meeting A, 2024-02-20 [B?]")
    assert [e["id"] for e in json.loads(result.to_json())["events"]] == ["inside", "late"]


def test_diff_cli_prints_the_events(tmp_path, capsys):
    path = tmp_path / "kb.yaml"
    path.write_text(KB, encoding="utf-8")
    assert main(["diff", str(path), "2024-01-31", "2024-03-15"]) == 0
    assert "event 'inside': A meeting C, 2024-02-10" in capsys.readouterr().out


def test_print_neighbours_is_readable(kb):
    found = gk.neighbours(kb, "B")
    assert str(found) == (
        "<- A (Arcadia)\n"
        "    relation 'ab': A supports B, 2024-03 to ongoing [B2]\n"
        "<- C (Calvadia)\n"
        "    relation 'cb': C supports B, 2023 to ongoing [B2]"
    )
    assert repr(found) == "[<Neighbour <- A (1 link)>, <Neighbour <- C (1 link)>]"
    assert json.loads(found.to_json())[0]["actor"] == "A"


class _Text(html.parser.HTMLParser):
    """Collects the tags and the text of an HTML fragment (and fails on a script tag)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parsed(fragment: str) -> _Text:
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return parser


def test_results_display_as_escaped_tables_in_jupyter(kb):
    neighbours = _parsed(gk.neighbours(kb, "A")._repr_html_())
    assert "script" not in neighbours.tags and "table" in neighbours.tags
    assert "<script>alert(1)</script>" in "".join(neighbours.text)  # shown as text
    paths = _parsed(gk.paths(kb, "A", "C", undirected=True, k=2)._repr_html_())
    assert "table" in paths.tags and "script" not in paths.tags
    assert any("A → B → C" in t or "A → C" in t for t in paths.text)
    steps = gk.escalations(kb)
    table = _parsed(steps._repr_html_())
    assert "table" in table.tags and "script" not in table.tags
    assert f"{len(steps)} escalation step" in "".join(table.text)


def test_centrality_stays_within_0_and_1(flagship):
    for measure in ("degree", "betweenness", "closeness"):
        ranked = gk.most_central(flagship, n=50, measure=measure)
        assert all(0 <= score <= 1 for _, score in ranked), measure
    # PRK has more links (in and out) than there are other actors: on the multigraph itself
    # networkx gives it more than 1
    assert flagship.graph.degree("PRK") > len(flagship.actors) - 1


def test_central_cli_says_what_the_score_is(capsys):
    flagship = Path(__file__).resolve().parents[2] / "data" / "events.yaml"
    assert main(["central", str(flagship), "-n", "2"]) == 0
    captured = capsys.readouterr()
    assert "share of the other actors linked to it" in captured.err
    assert captured.out.splitlines()[0].split()[1:] == ["PRK", "North", "Korea"]


def test_no_path_suggests_undirected_when_one_exists(kb, tmp_path, capsys):
    with pytest.raises(gk.NoPathError) as caught:
        gk.paths(kb, "B", "C")
    assert caught.value.undirected_nodes == ("B", "C")
    assert "(undirected=True, --undirected)" in str(caught.value)
    path = tmp_path / "kb.yaml"
    path.write_text(KB, encoding="utf-8")
    assert main(["path", str(path), "B", "C"]) == 1
    assert "--undirected" in capsys.readouterr().err
    lonely = gk.loads(KB.replace("actors:\n", "actors:\n  - {id: Z, name: Z, kind: state}\n"))
    with pytest.raises(gk.NoPathError) as caught:
        gk.paths(lonely, "A", "Z")
    assert caught.value.undirected_nodes is None and "undirected" not in str(caught.value)
