"""Read an RDF export back into a knowledge base (the inverse of :mod:`graphkit.rdf.export`).

The reader looks only at the triples graphkit writes for its own facts (identifiers, n-ary nodes
with ``gk:position``, typed literals); derived triples (the direct ``gkr:`` actor-to-actor
predicates, SEM time stamps, ``prov:wasDerivedFrom`` shortcuts) are ignored. Ids come from
``dcterms:identifier``, so the base IRI of the export does not matter.

Examples:
    >>> import graphkit as gk
    >>> from graphkit.rdf.export import to_rdf
    >>> kb = gk.loads('''
    ... format_version: 1
    ... actors: [{id: "A/1", name: A, kind: state, aliases: [b, a]}]
    ... ''')
    >>> from_rdf(to_rdf(kb)) == kb
    True
"""

from __future__ import annotations

import os
import stat
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from graphkit._fs import file_kind
from graphkit.kb import KnowledgeBase
from graphkit.model.document import Document
from graphkit.rdf._triples import Lit, Obj, Triple
from graphkit.rdf.export import RdfError
from graphkit.rdf.iri import InvalidIriError, last_segment, term_id
from graphkit.rdf.namespace import (
    DCTERMS,
    EVENT_TYPE,
    GEO,
    GK,
    OA,
    OWL,
    PROV,
    RDF,
    RELATION,
    ROLE,
    SDO,
    SEM,
    SKOS,
    TIME,
    WIKIDATA,
    XSD,
)

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "RDF_SUFFIXES",
    "document_from_triples",
    "from_rdf",
    "load_files",
    "parse_ntriples",
    "read_triples",
]

#: File suffixes read as RDF, with their format (every other file is read as YAML).
RDF_SUFFIXES: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".json-ld": "json-ld",
    ".trig": "trig",
    ".rdf": "xml",
    ".xml": "xml",
}

_STRING = str(XSD.string)
_INTEGERS = {
    str(XSD.integer),
    "http://www.w3.org/2001/XMLSchema#int",
    "http://www.w3.org/2001/XMLSchema#long",
}
_FLOATS = {str(XSD.double), str(XSD.decimal), "http://www.w3.org/2001/XMLSchema#float"}
_BOOL = str(XSD.boolean)
_TYPE = str(RDF.type)
# time:inXSDDateTime is what exports before OWL-Time's deprecation was heeded wrote.
_IN_XSD = (
    TIME.inXSDDateTimeStamp,
    TIME.inXSDDateTime,
    TIME.inXSDDate,
    TIME.inXSDgYearMonth,
    TIME.inXSDgYear,
)


class _Index:
    """Subject -> predicate -> objects, over plain-string terms."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        index: defaultdict[str, defaultdict[str, list[Obj]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for s, p, o in triples:
            index[s][p].append(o)
        self.index = index
        self.ids: dict[str, str] = {}
        for s, props in index.items():
            found = props.get(str(DCTERMS.identifier))
            if found and isinstance(found[0], tuple):
                self.ids[s] = found[0][0]

    def of_type(self, cls: str) -> list[str]:
        return sorted(s for s, props in self.index.items() if cls in props.get(_TYPE, ()))

    def objects(self, s: str, p: object) -> list[Obj]:
        props = self.index.get(s)
        return list(props.get(str(p), ())) if props is not None else []

    def one(self, s: str, p: object) -> Obj | None:
        found = self.objects(s, p)
        if len(found) > 1 and len(set(found)) > 1:
            raise RdfError(f"<{s}> has {len(found)} values for <{p}>, expected one")
        return found[0] if found else None

    def literal(self, s: str, p: object) -> Lit | None:
        found = self.one(s, p)
        if found is None:
            return None
        if isinstance(found, str):
            raise RdfError(f"<{s}> <{p}> should be a literal, got the IRI <{found}>")
        return found

    def text(self, s: str, p: object) -> str | None:
        found = self.literal(s, p)
        return None if found is None else found[0]

    def iri(self, s: str, p: object) -> str | None:
        found = self.one(s, p)
        if found is None:
            return None
        if not isinstance(found, str):
            raise RdfError(f"<{s}> <{p}> should be an IRI, got the literal {found[0]!r}")
        return found

    def ident(self, iri: str) -> str:
        found = self.ids.get(iri)
        if found is not None:
            return found
        try:
            return last_segment(iri)
        except InvalidIriError as exc:
            raise RdfError(f"<{iri}>: cannot read an id from this IRI: {exc}") from exc

    def ref(self, s: str, p: object) -> str | None:
        found = self.iri(s, p)
        return None if found is None else self.ident(found)

    def ordered(self, s: str, p: object) -> list[str]:
        nodes = [o for o in self.objects(s, p) if isinstance(o, str)]
        return sorted(set(nodes), key=lambda node: (self.position(node), node))

    def position(self, node: str) -> int:
        found = self.literal(node, GK.position)
        if found is None:
            raise RdfError(f"<{node}> has no gk:position")
        return int(found[0])


def _value(lit: Lit) -> Any:
    lexical, datatype = lit
    if datatype in _INTEGERS:
        return int(lexical)
    if datatype in _FLOATS:
        return float(lexical)
    if datatype == _BOOL:
        return lexical.strip() in ("true", "1")
    return lexical


def _put(data: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        data[key] = value


class _Reader:
    def __init__(self, index: _Index) -> None:
        self.x = index

    def num(self, s: str, p: object) -> Any:
        found = self.x.literal(s, p)
        return None if found is None else _value(found)

    def date(self, node: str) -> str:
        for prop in _IN_XSD:
            found = self.x.text(node, prop)
            if found is not None:
                return found
        raise RdfError(f"<{node}> has no time:inXSD* date")

    def when(self, node: str) -> Any:
        x = self.x
        if str(TIME.ProperInterval) in x.objects(node, RDF.type):
            start = x.iri(node, TIME.hasBeginning)
            if start is None:
                raise RdfError(f"<{node}>: a duration needs time:hasBeginning")
            span: dict[str, Any] = {"start": self.date(start)}
            end = x.iri(node, TIME.hasEnd)
            if end is not None:
                span["end"] = self.date(end)
            return span
        for prop in _IN_XSD:
            found = x.text(node, prop)
            if found is not None:
                return found
        windows = [s for s, props in x.index.items() if node in props.get(str(TIME.inside), ())]
        if len(windows) != 1:
            raise RdfError(f"<{node}>: no date, duration or bounding interval (time:inside)")
        earliest = x.iri(windows[0], TIME.hasBeginning)
        latest = x.iri(windows[0], TIME.hasEnd)
        if earliest is None or latest is None:
            raise RdfError(f"<{windows[0]}>: bounds need time:hasBeginning and time:hasEnd")
        return {"earliest": self.date(earliest), "latest": self.date(latest)}

    def refs(self, s: str) -> list[Any]:
        out: list[Any] = []
        for node in self.x.ordered(s, PROV.qualifiedDerivation):
            source = self.x.ref(node, PROV.entity)
            if source is None:
                raise RdfError(f"<{node}>: a source reference needs prov:entity")
            ref: dict[str, Any] = {"source": source}
            _put(ref, "according_to", self.x.ref(node, GK.accordingTo))
            _put(ref, "note", self.x.text(node, SKOS.note))
            selector = self.x.iri(node, OA.hasSelector)
            if selector is not None:
                _put(ref, "excerpt", self.x.text(selector, OA.exact))
            out.append(ref)
        return out

    def provenance(self, s: str) -> dict[str, Any] | None:
        node = self.x.iri(s, GK.provenance)
        if node is None:
            return None
        fields: dict[str, Any] = {}
        for field in sorted(o for o in self.x.objects(node, GK.field) if isinstance(o, str)):
            name = self.x.text(field, GK.fieldName)
            if name is None:
                raise RdfError(f"<{field}> has no gk:fieldName")
            fields[name] = self.num(field, RDF.value)
        data: dict[str, Any] = {
            "dataset": self.x.text(node, GK.dataset),
            "record": self.x.text(node, GK.record),
            "machine_coded": self.num(node, GK.machineCoded),
            "reviewed": self.num(node, GK.reviewed),
            "fields": fields,
        }
        return {k: v for k, v in data.items() if v is not None}

    def listed(self, s: str, p: object) -> list[str]:
        return [self.x.text(node, RDF.value) or "" for node in self.x.ordered(s, p)]

    def source(self, s: str) -> dict[str, Any]:
        x = self.x
        data: dict[str, Any] = {
            "id": x.text(s, DCTERMS.identifier),
            "title": x.text(s, DCTERMS.title),
        }
        _put(data, "publisher", x.text(s, SDO.publisher))
        _put(data, "author", x.text(s, SDO.author))
        _put(data, "url", x.text(s, SDO.url))
        _put(data, "copy", x.text(s, GK.localCopy))
        _put(data, "sha256", x.text(s, GK.localCopySha256))
        _put(data, "language", x.text(s, DCTERMS.language))
        _put(data, "published", x.text(s, DCTERMS.issued))
        _put(data, "accessed", x.text(s, GK.accessed))
        data["reliability"] = x.text(s, GK.reliability)
        _put(data, "kind", x.text(s, GK.sourceKind))
        _put(data, "notes", x.text(s, SKOS.editorialNote))
        _put(data, "provenance", self.provenance(s))
        return data

    def actor(self, s: str) -> dict[str, Any]:
        x = self.x
        data: dict[str, Any] = {
            "id": x.text(s, DCTERMS.identifier),
            "name": x.text(s, SDO.name),
            "kind": x.text(s, GK.actorKind),
            "aliases": self.listed(s, GK.alias),
        }
        _put(data, "country", x.text(s, GK.country))
        same = [o for o in x.objects(s, OWL.sameAs) if isinstance(o, str)]
        wikidata = [o[len(str(WIKIDATA)) :] for o in same if o.startswith(str(WIKIDATA))]
        if wikidata:
            data["wikidata"] = wikidata[0]
        _put(data, "part_of", x.ref(s, GK.partOf))
        _put(data, "description", x.text(s, SDO.description))
        data["sources"] = self.refs(s)
        _put(data, "provenance", self.provenance(s))
        return data

    def relation(self, s: str) -> dict[str, Any]:
        x = self.x
        data: dict[str, Any] = {
            "id": x.text(s, DCTERMS.identifier),
            "type": self.vocab_id(x.iri(s, GK.relationType), str(RELATION)),
            "from": x.ref(s, GK.fromActor),
            "to": x.ref(s, GK.toActor),
        }
        validity = x.iri(s, GK.validDuring)
        if validity is not None:
            start = x.iri(validity, TIME.hasBeginning)
            end = x.iri(validity, TIME.hasEnd)
            _put(data, "start", None if start is None else self.date(start))
            _put(data, "end", None if end is None else self.date(end))
        data["sources"] = self.refs(s)
        _put(data, "credibility", self.num(s, GK.credibility))
        _put(data, "started_by", x.ref(s, GK.startedBy))
        _put(data, "ended_by", x.ref(s, GK.endedBy))
        _put(data, "summary", x.text(s, SDO.description))
        _put(data, "notes", x.text(s, SKOS.editorialNote))
        _put(data, "provenance", self.provenance(s))
        return data

    def vocab_id(self, iri: str | None, namespace: str) -> str | None:
        if iri is None:
            return None
        if not iri.startswith(namespace):
            raise RdfError(f"<{iri}> is not in the namespace <{namespace}>")
        found = self.x.ids.get(iri)
        if found is not None:
            return found
        try:
            return term_id(iri[len(namespace) :])
        except InvalidIriError as exc:
            raise RdfError(f"<{iri}>: cannot read a type id from this IRI: {exc}") from exc

    def event(self, s: str) -> dict[str, Any]:
        x = self.x
        time_node = x.iri(s, SEM.hasTime)
        if time_node is None:
            raise RdfError(f"<{s}>: an event needs sem:hasTime")
        data: dict[str, Any] = {
            "id": x.text(s, DCTERMS.identifier),
            "type": self.vocab_id(x.iri(s, SEM.eventType), str(EVENT_TYPE)),
            "date": self.when(time_node),
        }
        participants: list[tuple[int, str, dict[str, Any]]] = []
        for role in x.objects(s, SEM.hasActor):
            if not isinstance(role, str):
                continue
            actor = x.ref(role, RDF.value)
            role_type = self.vocab_id(x.iri(role, SEM.roleType), str(ROLE))
            if str(GK.Participation) in x.objects(role, RDF.type):
                participants.append((x.position(role), role, {"actor": actor, "role": role_type}))
            elif role_type in ("actor", "target"):
                data[role_type] = actor
            else:
                raise RdfError(f"<{role}>: unknown role {role_type!r} without gk:Participation")
        data["participants"] = [p for _, _, p in sorted(participants, key=lambda t: t[:2])]
        place = x.iri(s, SEM.hasPlace)
        if place is not None:
            location: dict[str, Any] = {}
            _put(location, "name", x.text(place, SDO.name))
            _put(location, "lat", self.num(place, GEO.lat))
            _put(location, "lon", self.num(place, GEO.long))
            _put(location, "country", x.text(place, GK.country))
            data["location"] = location
        data["quantities"] = [self.quantity(q) for q in x.ordered(s, GK.quantity)]
        _put(data, "title", x.text(s, SDO.name))
        _put(data, "summary", x.text(s, SDO.description))
        quote = x.iri(s, GK.quote)
        if quote is not None:
            quoted: dict[str, Any] = {"text": x.text(quote, RDF.value)}
            _put(quoted, "language", x.text(quote, DCTERMS.language))
            _put(quoted, "translation", x.text(quote, GK.translation))
            _put(quoted, "translation_language", x.text(quote, GK.translationLanguage))
            _put(quoted, "speaker", x.ref(quote, GK.speaker))
            data["quote"] = quoted
        data["sources"] = self.refs(s)
        _put(data, "credibility", self.num(s, GK.credibility))
        alternatives = []
        for node in x.ordered(s, GK.alternativeDate):
            alt_time = x.iri(node, SEM.hasTime)
            if alt_time is None:
                raise RdfError(f"<{node}>: an alternative date needs sem:hasTime")
            alternative: dict[str, Any] = {"date": self.when(alt_time), "sources": self.refs(node)}
            _put(alternative, "credibility", self.num(node, GK.credibility))
            _put(alternative, "note", x.text(node, SKOS.note))
            alternatives.append(alternative)
        data["alternative_dates"] = alternatives
        _put(data, "provenance", self.provenance(s))
        data["tags"] = self.listed(s, GK.tag)
        _put(data, "notes", x.text(s, SKOS.editorialNote))
        return data

    def quantity(self, q: str) -> dict[str, Any]:
        x = self.x
        data: dict[str, Any] = {}
        _put(data, "value", self.num(q, SDO.value))
        _put(data, "min", self.num(q, SDO.minValue))
        _put(data, "max", self.num(q, SDO.maxValue))
        _put(data, "unit", x.text(q, SDO.unitText))
        _put(data, "kind", x.text(q, GK.quantityKind))
        _put(data, "estimate", self.num(q, GK.estimate))
        _put(data, "planned", self.num(q, GK.planned))
        _put(data, "by", x.text(q, GK.by))
        _put(data, "as_of", x.text(q, GK.asOf))
        _put(data, "measure", x.text(q, GK.measure))
        _put(data, "text", x.text(q, GK.text))
        data["sources"] = self.refs(q)
        _put(data, "credibility", self.num(q, GK.credibility))
        return data

    def event_type(self, s: str) -> dict[str, Any]:
        x = self.x
        data: dict[str, Any] = {"id": x.text(s, DCTERMS.identifier)}
        _put(data, "label", x.text(s, SKOS.prefLabel))
        _put(data, "description", x.text(s, SKOS.definition))
        _put(data, "cameo", x.text(s, GK.cameo))
        _put(data, "cameo_name", x.text(s, GK.cameoName))
        goldstein = self.num(s, GK.goldstein)
        _put(data, "goldstein", None if goldstein is None else float(goldstein))
        alternatives: dict[str, float] = {}
        for node in sorted(o for o in x.objects(s, GK.goldsteinAlternative) if isinstance(o, str)):
            name = x.text(node, GK.fieldName)
            value = self.num(node, RDF.value)
            if name is None or value is None:
                raise RdfError(
                    f"<{node}>: a Goldstein alternative needs gk:fieldName and rdf:value"
                )
            alternatives[name] = float(value)
        data["goldstein_alternatives"] = alternatives
        _put(data, "quad_class", x.text(s, GK.quadClass))
        _put(data, "plover", x.text(s, GK.plover))
        _put(data, "hostility", self.num(s, GK.hostility))
        _put(data, "material_support", self.num(s, GK.materialSupport))
        _put(data, "lowers_to", self.num(s, GK.lowersTo))
        _put(data, "note", x.text(s, SKOS.note))
        return data

    def relation_type(self, s: str) -> dict[str, Any]:
        x = self.x
        data: dict[str, Any] = {"id": x.text(s, DCTERMS.identifier)}
        _put(data, "label", x.text(s, SKOS.prefLabel))
        _put(data, "description", x.text(s, SKOS.definition))
        _put(data, "symmetric", self.num(s, GK.symmetric))
        _put(data, "hostile", self.num(s, GK.hostile))
        _put(data, "war", self.num(s, GK.war))
        _put(data, "supportive", self.num(s, GK.supportive))
        return data


_SECTIONS: tuple[tuple[str, object, str], ...] = (
    ("event_types", GK.EventType, "event_type"),
    ("relation_types", GK.RelationType, "relation_type"),
    ("sources", PROV.Entity, "source"),
    ("actors", SEM.Actor, "actor"),
    ("relations", GK.Relation, "relation"),
    ("events", SEM.Event, "event"),
)


def document_from_triples(triples: Iterable[Triple]) -> Document:
    """Build the :class:`~graphkit.model.Document` that the plain-string ``triples`` describe.

    Raises:
        RdfError: Naming the resource that is incomplete or invalid.
    """
    index = _Index(triples)
    reader = _Reader(index)
    data: dict[str, Any] = {"format_version": 1}
    bases = sorted(
        {
            lit[0]
            for s in index.of_type(str(GK.KnowledgeBase))
            for lit in index.objects(s, GK.base)
            if isinstance(lit, tuple)
        }
    )
    if len(bases) > 1:
        raise RdfError(f"the knowledge base declares several bases (gk:base): {bases}")
    if bases:
        data["base"] = bases[0]
    versions = {
        _value(lit)
        for lit in (
            o for props in index.index.values() for o in props.get(str(GK.formatVersion), ())
        )
        if isinstance(lit, tuple)
    }
    if versions - {1}:
        raise RdfError(f"unsupported gk:formatVersion {sorted(versions)} (this graphkit reads 1)")
    sources = set(index.of_type(str(SDO.CreativeWork)))
    for section, cls, method in _SECTIONS:
        build: Callable[[str], dict[str, Any]] = getattr(reader, method)
        subjects = index.of_type(str(cls))
        if section == "sources":
            subjects = [s for s in subjects if s in sources]
        items = []
        for subject in subjects:
            try:
                items.append(build(subject))
            except RdfError as exc:
                raise RdfError(f"{section[:-1].replace('_', ' ')} <{subject}>: {exc}") from exc
        data[section] = items
    try:
        return Document.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(step) for step in error['loc'])}: {error['msg']}"
            for error in exc.errors()[:10]
        )
        raise RdfError(f"the RDF does not describe a valid knowledge base: {problems}") from exc


def _from_rdflib(graph: Graph) -> Iterable[Triple]:
    from rdflib import BNode, Dataset, Literal, URIRef

    def term(node: object) -> Obj:
        if isinstance(node, URIRef):
            return str(node)
        if isinstance(node, Literal):
            if node.language:
                return (str(node), "@" + node.language)
            datatype = str(node.datatype) if node.datatype is not None else None
            return (str(node), None if datatype == _STRING else datatype)
        if isinstance(node, BNode):
            return "_:" + str(node)
        raise RdfError(f"unexpected RDF term {node!r}")

    if isinstance(graph, Dataset):
        quads = graph.quads((None, None, None, None))
        triples: Iterable[tuple[object, object, object]] = ((s, p, o) for s, p, o, _ in quads)
    else:
        triples = graph.triples((None, None, None))
    for s, p, o in triples:
        subject, predicate = term(s), term(p)
        assert isinstance(subject, str) and isinstance(predicate, str)
        yield (subject, predicate, term(o))


_OXIGRAPH_FORMATS = {
    "turtle": "TURTLE",
    "nt": "N_TRIPLES",
    "trig": "TRIG",
    "xml": "RDF_XML",
    "json-ld": "JSON_LD",
}


def read_triples(path: str | os.PathLike[str], format: str | None = None) -> list[Triple]:  # noqa: A002
    """Parse an RDF file into plain-string triples (pyoxigraph when installed, else rdflib).

    Named graphs of TriG files are merged. ``format`` defaults to the one of the suffix
    (:data:`RDF_SUFFIXES`).

    Raises:
        RdfError: If the file cannot be read or parsed (with the parser's message).
    """
    file = Path(path)
    fmt = format or RDF_SUFFIXES.get(file.suffix.lower())
    if fmt is None:
        raise RdfError(
            f"{file}: unknown RDF suffix {file.suffix!r} (expected {', '.join(RDF_SUFFIXES)})"
        )
    try:
        mode = file.stat().st_mode
    except OSError as exc:
        raise RdfError(f"{file}: cannot read: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(mode):
        raise RdfError(f"{file}: cannot read: not a regular file ({file_kind(mode)})")
    try:
        import pyoxigraph
    except ImportError:  # pragma: no cover - pyoxigraph is in the fast extra
        pyoxigraph = None  # type: ignore[assignment]
    if pyoxigraph is not None and fmt in _OXIGRAPH_FORMATS:
        rdf_format = getattr(pyoxigraph.RdfFormat, _OXIGRAPH_FORMATS[fmt])
        try:
            return [_ox_triple(q) for q in pyoxigraph.parse(path=str(file), format=rdf_format)]
        except (SyntaxError, ValueError, OSError) as exc:
            raise RdfError(f"{file}: cannot parse as {fmt}: {exc}") from exc
    from rdflib import Dataset, Graph

    graph = Dataset() if fmt == "trig" else Graph()
    try:
        with warnings.catch_warnings():  # rdflib 7.6 deprecates parts of its own Dataset API
            warnings.simplefilter("ignore", DeprecationWarning)
            graph.parse(data=file.read_text(encoding="utf-8"), format=fmt)
    except Exception as exc:  # rdflib raises many exception types for bad input
        raise RdfError(f"{file}: cannot parse as {fmt}: {exc}") from exc
    return list(_from_rdflib(graph))


def parse_ntriples(data: bytes) -> list[Triple]:
    """Parse N-Triples bytes into plain-string triples (pyoxigraph when installed, else rdflib).

    Raises:
        RdfError: With the parser's message.
    """
    try:
        import pyoxigraph
    except ImportError:  # pragma: no cover - pyoxigraph is in the fast extra
        from rdflib import Graph

        graph = Graph()
        try:
            graph.parse(data=data.decode("utf-8"), format="nt")
        except Exception as exc:  # rdflib raises many exception types for bad input
            raise RdfError(f"unreadable N-Triples: {exc}") from exc
        return list(_from_rdflib(graph))
    try:
        return [
            _ox_triple(t) for t in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES)
        ]
    except (SyntaxError, ValueError) as exc:
        raise RdfError(f"unreadable N-Triples: {exc}") from exc


def _ox_term(term: Any) -> Obj:
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return str(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return (str(term.value), "@" + str(term.language))
        datatype = str(term.datatype.value)
        return (str(term.value), None if datatype == _STRING else datatype)
    if isinstance(term, pyoxigraph.BlankNode):
        return "_:" + str(term.value)
    raise RdfError(f"unexpected RDF term {term!r}")


def _ox_triple(quad: Any) -> Triple:
    subject = _ox_term(quad.subject)
    predicate = _ox_term(quad.predicate)
    assert isinstance(subject, str) and isinstance(predicate, str)
    return (subject, predicate, _ox_term(quad.object))


def from_rdf(source: Graph | str | os.PathLike[str], *, format: str | None = None) -> KnowledgeBase:  # noqa: A002
    """Read a knowledge base from an rdflib graph/dataset or an RDF file written by graphkit.

    ``load -> to_rdf -> from_rdf`` gives a knowledge base equal to the original (same facts).

    Raises:
        RdfError: If the RDF is unreadable or does not describe a valid knowledge base.
        LoadError: If cross-item checks fail (unknown references, types).

    Examples:
        >>> import pathlib, tempfile
        >>> import graphkit as gk
        >>> kb = gk.loads("{format_version: 1, actors: [{id: A, name: Arcadia, kind: state}]}")
        >>> gk.from_rdf(gk.to_rdf(kb)) == kb
        True
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "kb.ttl"
        >>> _ = gk.to_rdf(kb).serialize(path, format="turtle")
        >>> gk.from_rdf(path).actor("arcadia").id
        'A'
    """
    if isinstance(source, (str, os.PathLike)):
        triples: Iterable[Triple] = read_triples(source, format)
    else:
        triples = _from_rdflib(source)
    return KnowledgeBase.from_document(document_from_triples(triples))


def load_files(paths: Iterable[str | os.PathLike[str]]) -> KnowledgeBase:
    """Load YAML files/directories and RDF files (by suffix, :data:`RDF_SUFFIXES`) into one KB.

    Raises:
        LoadError: For YAML problems or cross-item problems of the merged knowledge base.
        RdfError: For RDF that cannot be read.
    """
    from graphkit.kb import load

    rdf: list[Path] = []
    yaml: list[str | os.PathLike[str]] = []
    for path in paths:
        if Path(path).suffix.lower() in RDF_SUFFIXES and not Path(path).is_dir():
            rdf.append(Path(path))
        else:
            yaml.append(path)
    documents = [document_from_triples(read_triples(p)) for p in rdf]
    if yaml:
        documents.insert(0, load(yaml).document)
    if len(documents) == 1 and not yaml:
        return KnowledgeBase.from_document(documents[0])
    merged: dict[str, Any] = {}
    for document in documents:
        for name in ("event_types", "relation_types", "sources", "actors", "relations", "events"):
            merged.setdefault(name, []).extend(getattr(document, name))
    bases = [d.base for d in documents if d.base is not None]
    if len(set(bases)) > 1:
        raise RdfError(f"the files declare different bases: {sorted(set(bases))}")
    base = bases[0] if bases else None
    return KnowledgeBase.from_document(Document(format_version=1, base=base, **merged))
