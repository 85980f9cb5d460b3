"""GraphML, GEXF and CSV exports read back by networkx and the csv module."""

from __future__ import annotations

import csv
import io
import zipfile

import networkx as nx

import graphkit as gk
from graphkit.cli._exporters import exporters
from graphkit.importers import actors_csv, csv_zip, events_csv, relations_csv, to_gexf, to_graphml
from graphkit.importers.tables import ACTOR_COLUMNS, EVENT_COLUMNS, RELATION_COLUMNS


def _expected_edges(kb: gk.KnowledgeBase) -> int:
    relations = len(kb.relations)
    events = sum(1 for e in kb.events if e.actor and e.target and e.actor != e.target)
    return relations + events


def test_graphml_reads_back_with_flat_attributes(flagship):
    graph = nx.read_graphml(io.StringIO(to_graphml(flagship)), force_multigraph=True)
    assert graph.number_of_nodes() == len(flagship.actors)
    assert graph.number_of_edges() == _expected_edges(flagship)
    assert graph.nodes["PRK"]["label"] == "North Korea" and graph.nodes["PRK"]["kind"] == "state"
    for _, _, data in graph.edges(data=True):
        assert data["kind"] in ("relation", "event")
        assert all(isinstance(v, (str, int, float, bool)) for v in data.values())
    war = next(r for r in flagship.relations if r.type == "at_war_with")
    edge = next(d for _, _, d in graph.edges(data=True) if d["id"] == war.id)
    assert edge["symmetric"] is True and edge["date_start"] == str(war.start)
    best = min(flagship.sources[ref.source].reliability for ref in war.sources)
    assert edge["reliability"] == best and edge["credibility"] == war.credibility


def test_gexf_reads_back_and_is_deterministic(flagship):
    text = to_gexf(flagship)
    assert text == to_gexf(flagship) and "lastmodifieddate" not in text
    graph = nx.read_gexf(io.StringIO(text))
    assert graph.number_of_nodes() == len(flagship.actors)
    # a relation of a symmetric type is one "mutual" edge, which networkx reads as two
    symmetric = sum(1 for r in flagship.relations if flagship.vocabulary.is_symmetric(r.type))
    assert graph.number_of_edges() == _expected_edges(flagship) + symmetric


def test_csv_tables_have_one_row_per_item(flagship):
    for text, columns, items in (
        (actors_csv(flagship), ACTOR_COLUMNS, flagship.actors),
        (events_csv(flagship), EVENT_COLUMNS, flagship.events),
        (relations_csv(flagship), RELATION_COLUMNS, flagship.relations),
    ):
        rows = list(csv.DictReader(io.StringIO(text)))
        assert list(rows[0]) == columns
        assert [r["id"] for r in rows] == items.ids()
    events = {r["id"]: r for r in csv.DictReader(io.StringIO(events_csv(flagship)))}
    nis = events["nis-3000-total"] if "nis-3000-total" in events else next(iter(events.values()))
    assert nis["first_day"] <= nis["last_day"]


def test_csv_neutralises_spreadsheet_formulas():
    kb = gk.loads(
        "format_version: 1\n"
        "actors: [{id: A, name: '=HYPERLINK(\"http://x\")', kind: state, aliases: ['@x']}]\n"
    )
    row = next(csv.DictReader(io.StringIO(actors_csv(kb))))
    assert row["name"].startswith("'=") and row["aliases"] == "'@x"


def test_csv_zip_holds_the_three_tables(flagship):
    data = csv_zip(flagship)
    assert data == csv_zip(flagship)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["sources.csv", "actors.csv", "events.csv", "relations.csv"]
        assert archive.read("events.csv").decode() == events_csv(flagship)


def test_formats_are_registered_for_graphkit_export(flagship):
    found = exporters()
    for name in ("stix", "graphml", "gexf", "csv", "csv-actors", "csv-events", "csv-relations"):
        assert name in found
    assert found["graphml"].write(flagship, {}) == to_graphml(flagship)
    assert found["csv"].suffix == ".zip"
