"""Exports for graph tools and spreadsheets: GraphML, GEXF and flat CSV tables.

The actor network (:attr:`KnowledgeBase.graph`) is written with networkx's writers after every
attribute has been flattened to a string, number or boolean (GraphML and GEXF hold nothing
else). A relation of a symmetric type is one edge with ``symmetric=true`` (the graph's mirrored
``reverse`` edge is not written twice). Attributes are listed in docs/importers.md.

The CSV tables (``sources``, ``actors``, ``events``, ``relations``) have one row per item, lists
joined with ``"; "`` and quantities as JSON. Cells are written as they are, ids included, except
a cell a spreadsheet would run as a formula: one starting with ``=`` or ``@``, with ``+`` or
``-`` unless it is a plain number (``-5`` stays ``-5``), or with a tab or carriage return gets a
leading ``'`` (quoting does not help: spreadsheets evaluate quoted fields too). With
``options["excel"]`` the text starts with a UTF-8 byte-order mark and lines end with CR LF, so
spreadsheet programs read the accents.

>>> import graphkit as gk
>>> kb = gk.loads('''
... format_version: 1
... actors: [{id: A, name: Alpha, kind: state}, {id: B, name: "=Beta", kind: state}]
... relations: [{id: r, type: allied_with, from: A, to: B, start: 2024-10}]
... ''')
>>> print(actors_csv(kb).splitlines()[2])
B,'=Beta,state,,,,,,,,,,
>>> [_cell(v) for v in ("-5", "-5+3", "@x", "+1e3", "a=b")]
['-5', "'-5+3", "'@x", '+1e3', 'a=b']
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

from graphkit._xml import escape_attribute, illegal_character
from graphkit.importers._base import ImporterError
from graphkit.kb import KnowledgeBase
from graphkit.model.common import Provenance, SourceRef
from graphkit.model.dates import DAY_MAX, DAY_MIN, Extent

__all__ = [
    "ACTOR_COLUMNS",
    "EVENT_COLUMNS",
    "GEXF_VERSIONS",
    "RELATION_COLUMNS",
    "SOURCE_COLUMNS",
    "actors_csv",
    "csv_zip",
    "events_csv",
    "network",
    "nmtoken",
    "nmtoken_id",
    "relations_csv",
    "sources_csv",
    "to_gexf",
    "to_graphml",
]

_PROVENANCE = ["dataset", "record", "machine_coded", "reviewed"]
SOURCE_COLUMNS = [
    "id",
    "title",
    "publisher",
    "author",
    "url",
    "language",
    "published",
    "accessed",
    "reliability",
    "kind",
    "notes",
    *_PROVENANCE,
]
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
_FORMULA = ("=", "@", "\t", "\r")
_SIGNED = ("+", "-")
_NUMBER = re.compile(r"[+-](?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\Z")


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


_NMTOKEN_KEEP = re.compile(r"[A-Za-z0-9.:-]|_(?!x)")
_NMTOKEN_ESCAPE = re.compile(r"_x([0-9A-F]{4,6})_")


def nmtoken(item_id: str) -> str:
    """Return ``item_id`` as an XML ``NMTOKEN`` (GraphML ids), reversibly.

    ASCII letters, digits, ``. : -`` and ``_`` stay; every other character ``c`` becomes
    ``_xHHHH_`` (its code point in hex), and so does a ``_`` followed by ``x`` (the scheme of
    .NET's ``XmlConvert.EncodeName``). :func:`nmtoken_id` inverts it.

    Examples:
        >>> nmtoken("KOR NIS"), nmtoken("kpa-deployed_in"), nmtoken("é_x")
        ('KOR_x0020_NIS', 'kpa-deployed_in', '_x00E9__x005F_x')
        >>> nmtoken_id(nmtoken("a b/é_x北"))
        'a b/é_x北'
    """
    out: list[str] = []
    for index, char in enumerate(item_id):
        if _NMTOKEN_KEEP.match(item_id, index):
            out.append(char)
        else:
            out.append(f"_x{ord(char):04X}_")
    return "".join(out)


def nmtoken_id(token: str) -> str:
    """Invert :func:`nmtoken`."""
    return _NMTOKEN_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), token)


class _XmlWriter:
    """Collects the lines of a GraphML or GEXF file; refuses text XML 1.0 cannot hold."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.lines: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>']

    def attr(self, value: object, where: str) -> str:
        text = _xml_value(value)
        bad = illegal_character(text)
        if bad is not None:
            raise ImporterError(
                f"{self.what} cannot hold {bad} (a character XML 1.0 does not allow) in {where}: "
                "remove it from the data, or export as csv, stix or RDF turtle/nt, which carry it"
            )
        return escape_attribute(text)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _xml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _xml_type(values: list[Any], kinds: dict[type, str]) -> str:
    types = {type(v) for v in values}
    if types == {bool}:
        return kinds[bool]
    if types <= {int}:
        return kinds[int]
    if types <= {int, float}:
        return kinds[float]
    return kinds[str]


def _attribute_names(items: Iterable[dict[str, Any]], skip: tuple[str, ...]) -> list[str]:
    names: dict[str, None] = {}
    for attrs in items:
        for name in attrs:
            if name not in skip:
                names.setdefault(name)
    return list(names)


def to_graphml(kb: KnowledgeBase, options: dict[str, object] | None = None) -> str:
    """Return the actor network as GraphML 1.0 text (for yEd, Gephi, Cytoscape).

    Node and edge ids are :func:`nmtoken` forms of the graphkit ids (GraphML ids are XML
    NMTOKENs: ``KOR NIS`` is ``KOR_x0020_NIS``); every node and edge also has the id as
    written in its ``id`` data. The file validates against the GraphML 1.0 schema.

    Raises:
        ImporterError: For text with a character XML 1.0 cannot hold (U+FFFF, ...).
    """
    graph = network(kb)
    nodes = [(node, {"id": node, **data}) for node, data in graph.nodes(data=True)]
    edges = [(u, v, data) for u, v, data in graph.edges(data=True)]
    kinds = {bool: "boolean", int: "int", float: "double", str: "string"}
    keys: list[tuple[str, str, str]] = []  # (key id, for, name)
    out = _XmlWriter("GraphML")
    add = out.lines.append
    add(
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'
    )
    for domain, items in (("node", [a for _, a in nodes]), ("edge", [d for *_, d in edges])):
        for name in _attribute_names(items, ()):
            key = f"{domain[0]}{len([k for k in keys if k[1] == domain])}"
            keys.append((key, domain, name))
            kind = _xml_type([a[name] for a in items if name in a], kinds)
            add(f'  <key id="{key}" for="{domain}" attr.name="{name}" attr.type="{kind}"/>')
    add('  <graph id="G" edgedefault="directed">')
    node_keys = [(k, n) for k, d, n in keys if d == "node"]
    edge_keys = [(k, n) for k, d, n in keys if d == "edge"]
    for node, attrs in nodes:
        add(f'    <node id="{out.attr(nmtoken(node), f"actor {node!r}")}">')
        for key, name in node_keys:
            if name in attrs:
                value = out.attr(attrs[name], f"actor {node!r} {name}")
                add(f'      <data key="{key}">{value}</data>')
        add("    </node>")
    for source, target, data in edges:
        where = f"{data['kind']} {data['id']!r}"
        add(
            f'    <edge id="{out.attr(nmtoken(data["id"]), where)}" '
            f'source="{nmtoken(source)}" target="{nmtoken(target)}">'
        )
        for key, name in edge_keys:
            if name in data:
                add(f'      <data key="{key}">{out.attr(data[name], f"{where} {name}")}</data>')
        add("    </edge>")
    add("  </graph>")
    add("</graphml>")
    return out.text()


#: GEXF versions :func:`to_gexf` writes: namespace and version attribute.
GEXF_VERSIONS = {"1.2": "http://www.gexf.net/1.2draft", "1.3": "http://gexf.net/1.3"}


def to_gexf(kb: KnowledgeBase, options: dict[str, object] | None = None) -> str:
    """Return the actor network as GEXF text (for Gephi): version 1.2 (default) or 1.3.

    ``options["version"]`` picks the version. Edges are ``directed``, or ``mutual`` for a
    relation of a symmetric type; the relation or event type is the edge attribute ``type``.
    No modification date is written, so the same input gives the same bytes. The file validates
    against the GEXF schema of its version.

    Raises:
        ImporterError: For text with a character XML 1.0 cannot hold, or an unknown version.
    """
    version = str((options or {}).get("version", "1.2"))
    namespace = GEXF_VERSIONS.get(version)
    if namespace is None:
        raise ImporterError(f"unknown GEXF version {version!r} (expected 1.2 or 1.3)")
    graph = network(kb)
    nodes = list(graph.nodes(data=True))
    edges = list(graph.edges(data=True))
    kinds = {bool: "boolean", int: "long", float: "double", str: "string"}
    out = _XmlWriter("GEXF")
    add = out.lines.append
    add(f'<gexf xmlns="{namespace}" version="{version}">')
    add("  <meta>")
    add("    <creator>graphkit</creator>")
    add("  </meta>")
    add('  <graph defaultedgetype="directed" mode="static">')
    node_names = _attribute_names((a for _, a in nodes), ("label",))
    edge_names = _attribute_names((d for *_, d in edges), ("label", "id"))
    for domain, names, items in (
        ("node", node_names, [a for _, a in nodes]),
        ("edge", edge_names, [d for *_, d in edges]),
    ):
        add(f'    <attributes class="{domain}" mode="static">')
        for index, name in enumerate(names):
            kind = _xml_type([a[name] for a in items if name in a], kinds)
            add(f'      <attribute id="{index}" title="{name}" type="{kind}"/>')
        add("    </attributes>")
    add("    <nodes>")
    for node, attrs in nodes:
        where = f"actor {node!r}"
        add(
            f'      <node id="{out.attr(node, where)}" '
            f'label="{out.attr(attrs.get("label", node), where + " name")}">'
        )
        _attvalues(out, node_names, attrs, where)
        add("      </node>")
    add("    </nodes>")
    add("    <edges>")
    for source, target, data in edges:
        where = f"{data['kind']} {data['id']!r}"
        kind = "mutual" if data.get("symmetric") else "directed"
        add(
            f'      <edge id="{out.attr(data["id"], where)}" source="{out.attr(source, where)}" '
            f'target="{out.attr(target, where)}" type="{kind}" '
            f'label="{out.attr(data["label"], where)}">'
        )
        _attvalues(out, edge_names, data, where)
        add("      </edge>")
    add("    </edges>")
    add("  </graph>")
    add("</gexf>")
    return out.text()


def _attvalues(out: _XmlWriter, names: list[str], attrs: dict[str, Any], where: str) -> None:
    add = out.lines.append
    add("        <attvalues>")
    for index, name in enumerate(names):
        if name in attrs:
            value = out.attr(attrs[name], f"{where} {name}")
            add(f'          <attvalue for="{index}" value="{value}"/>')
    add("        </attvalues>")


def sources_csv(kb: KnowledgeBase, options: dict[str, object] | None = None) -> str:
    """Return one CSV row per source (columns :data:`SOURCE_COLUMNS`)."""
    rows = (
        [
            s.id,
            s.title,
            s.publisher,
            s.author,
            s.url,
            s.language,
            s.published,
            s.accessed,
            s.reliability,
            s.kind,
            s.notes,
            *_prov(s.provenance),
        ]
        for s in kb.sources
    )
    return _csv(SOURCE_COLUMNS, rows, options)


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
    return _csv(ACTOR_COLUMNS, rows, options)


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
    return _csv(RELATION_COLUMNS, rows, options)


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

    return _csv(EVENT_COLUMNS, (row(e) for e in kb.events), options)


def csv_zip(kb: KnowledgeBase, options: dict[str, object] | None = None) -> bytes:
    """Return a zip of ``sources.csv``, ``actors.csv``, ``events.csv`` and ``relations.csv``.

    The same knowledge base gives the same bytes (fixed timestamps in the zip).
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (
            ("sources.csv", sources_csv(kb, options)),
            ("actors.csv", actors_csv(kb, options)),
            ("events.csv", events_csv(kb, options)),
            ("relations.csv", relations_csv(kb, options)),
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
    if text.startswith(_FORMULA) or (text.startswith(_SIGNED) and not _NUMBER.match(text)):
        return "'" + text
    return text


def _csv(
    columns: list[str], rows: Iterable[list[Any]], options: dict[str, object] | None = None
) -> str:
    excel = bool((options or {}).get("excel"))
    buffer = io.StringIO()
    if excel:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n" if excel else "\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue()
