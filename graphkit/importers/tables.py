"""Exports for graph tools and spreadsheets: GraphML, GEXF and flat CSV tables.

The actor network (:attr:`KnowledgeBase.graph`) is written with networkx's writers after every
attribute has been flattened to a string, number or boolean (GraphML and GEXF hold nothing
else). A relation of a symmetric type is one edge with ``symmetric=true`` (the graph's mirrored
``reverse`` edge is not written twice). Attributes are listed in docs/importers.md.

The CSV tables (``actors``, ``events``, ``relations``) have one row per item, lists joined with
``"; "`` and quantities as JSON; any text cell that a spreadsheet would run as a formula (it
starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return) is prefixed with ``'``.

>>> import graphkit as gk
>>> kb = gk.loads('''
... format_version: 1
... actors: [{id: A, name: Alpha, kind: state}, {id: B, name: "=Beta", kind: state}]
... relations: [{id: r, type: allied_with, from: A, to: B, start: 2024-10}]
... ''')
>>> print(actors_csv(kb).splitlines()[2])
B,'=Beta,state,,,,,,,,,,
>>> g = network(kb)
>>> edge = g.edges["A", "B", "r"]
>>> sorted(g.edges(keys=True)), edge["symmetric"], edge["date_start"]
([('A', 'B', 'r')], True, '2024-10')
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from graphkit.kb import KnowledgeBase
from graphkit.model.common import Provenance, SourceRef
from graphkit.model.dates import DAY_MAX, DAY_MIN, Extent

__all__ = [
    "ACTOR_COLUMNS",
    "EVENT_COLUMNS",
    "RELATION_COLUMNS",
    "actors_csv",
    "csv_zip",
    "events_csv",
    "network",
    "relations_csv",
    "to_gexf",
    "to_graphml",
]

_PROVENANCE = ["dataset", "record", "machine_coded", "reviewed"]
ACTOR_COLUMNS = [
    "id",
    "name",
    "kind",
    "country",
    "wikidata",
    "part_of",
    "aliases",
    "description",
    "sources",
    *_PROVENANCE,
]
RELATION_COLUMNS = [
    "id",
    "type",
    "from",
    "to",
    "start",
    "end",
    "credibility",
    "sources",
    "started_by",
    "ended_by",
    "summary",
    *_PROVENANCE,
]
EVENT_COLUMNS = [
    "id",
    "type",
    "date",
    "first_day",
    "last_day",
    "actor",
    "target",
    "participants",
    "location",
    "lat",
    "lon",
    "country",
    "quantities",
    "summary",
    "sources",
    "credibility",
    "tags",
    *_PROVENANCE,
]
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def network(kb: KnowledgeBase) -> Any:
    """Return the actor network as a ``networkx.MultiDiGraph`` with flat attributes only.

    Nodes: ``label`` (the name), ``kind``, and ``country``, ``wikidata``, ``part_of``,
    ``aliases`` (``"; "``-joined), ``dataset`` when set. Edges, keyed by item id: ``label``
    (the type), ``kind`` (``relation`` or ``event``), ``type``, ``date_start``/``date_end``
    (dates as written: a relation's start/end, an event's date in ``date_start``),
    ``first_day``/``last_day`` (ISO days of the extent, left out when open), ``credibility``,
    ``reliability`` (the best of the item's sources, left out when it cites none) and
    ``symmetric``.
    """
    import networkx as nx

    graph = nx.MultiDiGraph()
    for actor in kb.actors:
        attrs: dict[str, Any] = {"label": actor.name, "kind": actor.kind}
        for name in ("country", "wikidata", "part_of"):
            if getattr(actor, name) is not None:
                attrs[name] = getattr(actor, name)
        if actor.aliases:
            attrs["aliases"] = "; ".join(actor.aliases)
        if actor.provenance is not None:
            attrs["dataset"] = actor.provenance.dataset
        graph.add_node(actor.id, **attrs)
    for source, target, key, data in kb.graph.edges(keys=True, data=True):
        if data.get("reverse"):
            continue
        item = data["item"]
        edge: dict[str, Any] = {
            "label": data["type"],
            "kind": data["kind"],
            "type": data["type"],
            "symmetric": bool(kb.graph.has_edge(target, source, key)) and source != target,
        }
        if data["kind"] == "relation":
            if item.start is not None:
                edge["date_start"] = str(item.start)
            if item.end is not None:
                edge["date_end"] = str(item.end)
        else:
            edge["date_start"] = _date_text(item.date)
        edge.update(_days(data["extent"]))
        if data.get("credibility") is not None:
            edge["credibility"] = int(data["credibility"])
        if data.get("reliability") is not None:
            edge["reliability"] = str(data["reliability"])
        graph.add_edge(source, target, key=key, id=key, **edge)
    return graph


def to_graphml(kb: KnowledgeBase, options: dict[str, object] | None = None) -> str:
    """Return the actor network as GraphML text (for yEd, Gephi, Cytoscape)."""
    import networkx as nx

    return "\n".join(nx.generate_graphml(network(kb))) + "\n"


def to_gexf(kb: KnowledgeBase, options: dict[str, object] | None = None) -> str:
    """Return the actor network as GEXF 1.2 text (for Gephi)."""
    import networkx as nx

    text = "\n".join(nx.generate_gexf(network(kb), version="1.2draft")) + "\n"
    # networkx stamps today's date into <meta>: drop it so the same input gives the same bytes.
    return re.sub(r' lastmodifieddate="[^"]*"', "", text, count=1)


def actors_csv(kb: KnowledgeBase, options: dict[str, object] | None = None) -> str:
    """Return one CSV row per actor (columns :data:`ACTOR_COLUMNS`)."""
    rows = (
        [
            a.id,
            a.name,
            a.kind,
            a.country,
            a.wikidata,
            a.part_of,
            _join(a.aliases),
            a.description,
            _refs(a.sources),
            *_prov(a.provenance),
        ]
        for a in kb.actors
    )
    return _csv(ACTOR_COLUMNS, rows)


def relations_csv(kb: KnowledgeBase, options: dict[str, object] | None = None) -> str:
    """Return one CSV row per relation (columns :data:`RELATION_COLUMNS`)."""
    rows = (
        [
            r.id,
            r.type,
            r.from_,
            r.to,
            r.start,
            r.end,
            r.credibility,
            _refs(r.sources),
            r.started_by,
            r.ended_by,
            r.summary,
            *_prov(r.provenance),
        ]
        for r in kb.relations
    )
    return _csv(RELATION_COLUMNS, rows)


def events_csv(kb: KnowledgeBase, options: dict[str, object] | None = None) -> str:
    """Return one CSV row per event (columns :data:`EVENT_COLUMNS`)."""

    def row(e: Any) -> list[Any]:
        days = _days(e.extent)
        loc = e.location
        quantities = [q.model_dump(mode="json", exclude_defaults=True) for q in e.quantities]
        return [
            e.id,
            e.type,
            _date_text(e.date),
            days.get("first_day"),
            days.get("last_day"),
            e.actor,
            e.target,
            _join(f"{p.actor}:{p.role}" for p in e.participants),
            loc.name if loc else None,
            loc.lat if loc else None,
            loc.lon if loc else None,
            loc.country if loc else None,
            json.dumps(quantities, ensure_ascii=False) if quantities else None,
            e.summary,
            _refs(e.sources),
            e.credibility,
            _join(e.tags),
            *_prov(e.provenance),
        ]

    return _csv(EVENT_COLUMNS, (row(e) for e in kb.events))


def csv_zip(kb: KnowledgeBase, options: dict[str, object] | None = None) -> bytes:
    """Return a zip of ``actors.csv``, ``events.csv`` and ``relations.csv`` (same bytes per run)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (
            ("actors.csv", actors_csv(kb)),
            ("events.csv", events_csv(kb)),
            ("relations.csv", relations_csv(kb)),
        ):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


def _date_text(when: Any) -> str:
    data = when.model_dump(mode="json") if hasattr(when, "model_dump") else str(when)
    if isinstance(data, dict):
        return "; ".join(f"{k}: {v}" for k, v in data.items() if v is not None)
    return str(data)


def _days(extent: Extent) -> dict[str, str]:
    out: dict[str, str] = {}
    if extent.lo > DAY_MIN:
        out["first_day"] = date.fromordinal(extent.lo).isoformat()
    if extent.hi < DAY_MAX and extent.hi <= date.max.toordinal():
        out["last_day"] = date.fromordinal(extent.hi).isoformat()
    return out


def _join(values: Iterable[str]) -> str:
    return "; ".join(values)


def _refs(refs: Sequence[SourceRef]) -> str:
    return _join(
        ref.source + (f" (according to {ref.according_to})" if ref.according_to else "")
        for ref in refs
    )


def _prov(provenance: Provenance | None) -> list[Any]:
    if provenance is None:
        return [None, None, None, None]
    return [
        provenance.dataset,
        provenance.record,
        provenance.machine_coded,
        provenance.reviewed,
    ]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def _csv(columns: list[str], rows: Iterable[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue()
