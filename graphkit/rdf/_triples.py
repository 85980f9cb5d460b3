"""The one place that decides which triples a knowledge base becomes.

:func:`item_triples` yields, item by item, lists of plain-string triples: an IRI is a ``str``, a
literal a ``(lexical, datatype)`` tuple where ``datatype`` is ``None`` for a plain string, ``"@xx"``
for a language tag, or a datatype IRI. Every writer (rdflib graph, streaming N-Triples/Turtle,
pyoxigraph, GSP upload) consumes these, so they all produce the same triples.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from graphkit.kb import KnowledgeBase
from graphkit.model.actor import Actor
from graphkit.model.common import Provenance, SourceRef
from graphkit.model.dates import DAY_MAX, DAY_MIN, Bounds, PartialDate, Span
from graphkit.model.event import Event, Quantity
from graphkit.model.relation import Relation
from graphkit.model.source import Source
from graphkit.model.vocab import EventType, RelationType
from graphkit.rdf.iri import Minter, encode
from graphkit.rdf.namespace import (
    DCTERMS,
    EVENT_TYPE,
    GEO,
    GK,
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

__all__ = ["Lit", "Obj", "Triple", "date_literal", "item_triples", "number_literal"]

Lit = tuple[str, str | None]
Obj = str | Lit
Triple = tuple[str, str, Obj]

# Plain strings for speed: str(URIRef) once, not per triple.
_TYPE = str(RDF.type)
_VALUE = str(RDF.value)
_POS = str(GK.position)
_ID = str(DCTERMS.identifier)
_INT = str(XSD.integer)
_DOUBLE = str(XSD.double)
_BOOL = str(XSD.boolean)
_DATE = str(XSD.date)
_TRUE: Lit = ("true", _BOOL)
_FALSE: Lit = ("false", _BOOL)
_DATATYPE = {
    "year": str(XSD.gYear),
    "month": str(XSD.gYearMonth),
    "day": _DATE,
    "time": str(XSD.dateTime),
}
_IN_XSD = {
    "year": str(TIME.inXSDgYear),
    "month": str(TIME.inXSDgYearMonth),
    "day": str(TIME.inXSDDate),
    "time": str(TIME.inXSDDateTime),
}
_EVENT_TYPE_NS = str(EVENT_TYPE)
_RELATION_NS = str(RELATION)
_ROLE_NS = str(ROLE)
_WIKIDATA_NS = str(WIKIDATA)


def number_literal(value: int | float) -> Lit:
    """An ``xsd:integer`` for an int, an ``xsd:double`` (shortest repr) for a float.

    Examples:
        >>> number_literal(3000), number_literal(0.5)
        (('3000', 'http://www.w3.org/2001/XMLSchema#integer'), ('0.5', 'http://www.w3.org/2001/XMLSchema#double'))
    """
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, int):
        return (str(value), _INT)
    return (repr(float(value)), _DOUBLE)


def bool_literal(value: bool) -> Lit:
    """``"true"^^xsd:boolean`` or ``"false"^^xsd:boolean``."""
    return _TRUE if value else _FALSE


def date_literal(value: PartialDate) -> Lit:
    """A partial date at its precision (``xsd:gYear``, ``gYearMonth``, ``date``, ``dateTime``).

    Examples:
        >>> date_literal(PartialDate.parse("2024-10"))
        ('2024-10', 'http://www.w3.org/2001/XMLSchema#gYearMonth')
    """
    return (str(value), _DATATYPE[value.precision])


def _day(ordinal: int) -> Lit:
    return (date.fromordinal(ordinal).isoformat(), _DATE)


def _plain(value: object) -> Lit:
    if isinstance(value, bool):
        return bool_literal(value)
    if isinstance(value, (int, float)):
        return number_literal(value)
    return (str(value), None)


class _Writer:
    def __init__(self, kb: KnowledgeBase, minter: Minter) -> None:
        self.kb = kb
        self.m = minter
        self.out: list[Triple] = []

    def take(self) -> list[Triple]:
        out, self.out = self.out, []
        return list(dict.fromkeys(out))  # drop repeats (same source cited twice, ...)

    # -- building blocks ------------------------------------------------------------------
    def lit(self, s: str, p: str, value: str | None) -> None:
        if value is not None:
            self.out.append((s, p, (value, None)))

    def instant(self, node: str, value: PartialDate) -> None:
        add = self.out.append
        add((node, _TYPE, str(TIME.Instant)))
        add((node, _IN_XSD[value.precision], date_literal(value)))

    def when(self, node: str, value: PartialDate | Bounds | Span) -> None:
        add = self.out.append
        if isinstance(value, PartialDate):
            self.instant(node, value)
        elif isinstance(value, Bounds):
            add((node, _TYPE, str(TIME.Instant)))
            window = node + "/bounds"
            add((window, _TYPE, str(TIME.ProperInterval)))
            add((window, str(TIME.inside), node))
            add((window, str(TIME.hasBeginning), node + "/earliest"))
            add((window, str(TIME.hasEnd), node + "/latest"))
            self.instant(node + "/earliest", value.earliest)
            self.instant(node + "/latest", value.latest)
        else:
            add((node, _TYPE, str(TIME.ProperInterval)))
            add((node, str(TIME.hasBeginning), node + "/start"))
            self.instant(node + "/start", value.start)
            if value.end is not None:
                add((node, str(TIME.hasEnd), node + "/end"))
                self.instant(node + "/end", value.end)

    def extent(self, s: str, lo: int, hi: int) -> None:
        # Derived day bounds (SEM time stamps) so date-window queries are a FILTER away.
        if lo > DAY_MIN:
            self.out.append((s, str(SEM.hasEarliestBeginTimeStamp), _day(lo)))
        if hi < DAY_MAX:
            self.out.append((s, str(SEM.hasLatestEndTimeStamp), _day(hi)))

    def refs(self, s: str, refs: list[SourceRef]) -> None:
        add = self.out.append
        for index, ref in enumerate(refs):
            source = self.m.source(ref.source)
            node = f"{s}/source/{index}"
            add((s, str(PROV.wasDerivedFrom), source))
            add((s, str(PROV.qualifiedDerivation), node))
            add((node, _TYPE, str(PROV.Derivation)))
            add((node, _TYPE, str(GK.SourceReference)))
            add((node, str(PROV.entity), source))
            add((node, _POS, (str(index), _INT)))
            self.lit(node, str(SKOS.note), ref.note)
            if ref.according_to is not None:
                agent = self.m.actor(ref.according_to)
                attribution = node + "/attribution"
                add((node, str(GK.accordingTo), agent))
                add((s, str(PROV.wasAttributedTo), agent))
                add((s, str(PROV.qualifiedAttribution), attribution))
                add((attribution, _TYPE, str(PROV.Attribution)))
                add((attribution, str(PROV.agent), agent))
                add((attribution, str(GK.reportedIn), source))
                add((attribution, str(GK.citation), node))

    def credibility(self, s: str, value: int | None) -> None:
        if value is not None:
            self.out.append((s, str(GK.credibility), (str(value), _INT)))

    def provenance(self, s: str, value: Provenance | None) -> None:
        if value is None:
            return
        add = self.out.append
        node = s + "/provenance"
        add((s, str(GK.provenance), node))
        add((node, _TYPE, str(GK.Provenance)))
        add((node, str(GK.dataset), (value.dataset, None)))
        add((node, str(GK.record), (value.record, None)))
        add((node, str(GK.machineCoded), bool_literal(value.machine_coded)))
        add((node, str(GK.reviewed), bool_literal(value.reviewed)))
        for key, field in value.fields.items():
            field_node = f"{node}/field/{encode(key)}"
            add((node, str(GK.field), field_node))
            add((field_node, _TYPE, str(GK.ProvenanceField)))
            add((field_node, str(GK.fieldName), (key, None)))
            if field is not None:
                add((field_node, _VALUE, _plain(field)))

    def ordered(self, s: str, p: str, kind: str, values: list[str]) -> None:
        add = self.out.append
        for index, value in enumerate(values):
            node = f"{s}/{kind}/{index}"
            add((s, p, node))
            add((node, _TYPE, str(GK.ListItem)))
            add((node, _POS, (str(index), _INT)))
            add((node, _VALUE, (value, None)))

    # -- items ----------------------------------------------------------------------------
    def source(self, item: Source) -> None:
        s = self.m.source(item.id)
        add = self.out.append
        add((s, _TYPE, str(PROV.Entity)))
        add((s, _TYPE, str(SDO.CreativeWork)))
        add((s, _ID, (item.id, None)))
        add((s, str(DCTERMS.title), (item.title, None)))
        self.lit(s, str(SDO.publisher), item.publisher)
        self.lit(s, str(SDO.author), item.author)
        if item.url is not None:
            add((s, str(SDO.url), (item.url, str(XSD.anyURI))))
        self.lit(s, str(DCTERMS.language), item.language)
        if item.published is not None:
            add((s, str(DCTERMS.issued), date_literal(item.published)))
        if item.accessed is not None:
            add((s, str(GK.accessed), date_literal(item.accessed)))
        add((s, str(GK.reliability), (item.reliability, None)))
        self.lit(s, str(GK.sourceKind), item.kind)
        self.lit(s, str(SKOS.editorialNote), item.notes)
        self.provenance(s, item.provenance)

    def actor(self, item: Actor) -> None:
        s = self.m.actor(item.id)
        add = self.out.append
        add((s, _TYPE, str(SEM.Actor)))
        add((s, _TYPE, str(PROV.Agent)))
        add((s, _ID, (item.id, None)))
        add((s, str(SDO.name), (item.name, None)))
        add((s, str(GK.actorKind), (item.kind, None)))
        for alias in item.aliases:
            add((s, str(SDO.alternateName), (alias, None)))
        self.ordered(s, str(GK.alias), "alias", item.aliases)
        self.lit(s, str(GK.country), item.country)
        if item.wikidata is not None:
            add((s, str(OWL.sameAs), _WIKIDATA_NS + item.wikidata))
        if item.part_of is not None:
            add((s, str(GK.partOf), self.m.actor(item.part_of)))
        self.lit(s, str(SDO.description), item.description)
        self.refs(s, item.sources)
        self.provenance(s, item.provenance)

    def relation(self, item: Relation) -> None:
        s = self.m.relation(item.id)
        add = self.out.append
        predicate = _RELATION_NS + encode(item.type)
        a, b = self.m.actor(item.from_), self.m.actor(item.to)
        add((a, predicate, b))
        if self.kb.vocabulary.is_symmetric(item.type):
            add((b, predicate, a))
        add((s, _TYPE, str(GK.Relation)))
        add((s, _TYPE, str(PROV.Entity)))
        add((s, _ID, (item.id, None)))
        add((s, str(GK.relationType), predicate))
        add((s, str(GK.fromActor), a))
        add((s, str(GK.toActor), b))
        if item.start is not None or item.end is not None:
            node = s + "/validity"
            add((s, str(GK.validDuring), node))
            add((node, _TYPE, str(TIME.Interval)))
            if item.start is not None:
                add((node, str(TIME.hasBeginning), node + "/start"))
                self.instant(node + "/start", item.start)
            if item.end is not None:
                add((node, str(TIME.hasEnd), node + "/end"))
                self.instant(node + "/end", item.end)
        extent = item.extent
        self.extent(s, extent.lo, extent.hi)
        if item.started_by is not None:
            add((s, str(GK.startedBy), self.m.event(item.started_by)))
        if item.ended_by is not None:
            add((s, str(GK.endedBy), self.m.event(item.ended_by)))
        self.lit(s, str(SDO.description), item.summary)
        self.lit(s, str(SKOS.editorialNote), item.notes)
        self.credibility(s, item.credibility)
        self.refs(s, item.sources)
        self.provenance(s, item.provenance)

    def event(self, item: Event) -> None:
        s = self.m.event(item.id)
        add = self.out.append
        add((s, _TYPE, str(SEM.Event)))
        add((s, _TYPE, str(PROV.Entity)))
        add((s, _ID, (item.id, None)))
        add((s, str(SEM.eventType), _EVENT_TYPE_NS + encode(item.type)))
        add((s, str(SEM.hasTime), s + "/time"))
        self.when(s + "/time", item.date)
        extent = item.extent
        self.extent(s, extent.lo, extent.hi)
        for slot, actor_id in (("actor", item.actor), ("target", item.target)):
            if actor_id is None:
                continue
            actor = self.m.actor(actor_id)
            role = f"{s}/role/{slot}"
            add((s, str(GK.actor) if slot == "actor" else str(GK.target), actor))
            add((s, str(SEM.hasActor), role))
            add((role, _TYPE, str(SEM.Role)))
            add((role, _VALUE, actor))
            add((role, str(SEM.roleType), _ROLE_NS + slot))
        for index, participant in enumerate(item.participants):
            role = f"{s}/participant/{index}"
            add((s, str(SEM.hasActor), role))
            add((role, _TYPE, str(SEM.Role)))
            add((role, _TYPE, str(GK.Participation)))
            add((role, _VALUE, self.m.actor(participant.actor)))
            add((role, str(SEM.roleType), _ROLE_NS + encode(participant.role)))
            add((role, _POS, (str(index), _INT)))
        for actor_id in item.actor_ids:
            add((s, str(GK.involves), self.m.actor(actor_id)))
        if item.location is not None:
            place = s + "/location"
            location = item.location
            add((s, str(SEM.hasPlace), place))
            add((place, _TYPE, str(SEM.Place)))
            add((place, _TYPE, str(SDO.Place)))
            self.lit(place, str(SDO.name), location.name)
            if location.lat is not None and location.lon is not None:
                add((place, str(GEO.lat), number_literal(location.lat)))
                add((place, str(GEO.long), number_literal(location.lon)))
            self.lit(place, str(GK.country), location.country)
        for index, quantity in enumerate(item.quantities):
            self.quantity(s, index, quantity)
        self.lit(s, str(SDO.description), item.summary)
        if item.quote is not None:
            quote = item.quote
            node = s + "/quote"
            add((s, str(GK.quote), node))
            add((node, _TYPE, str(GK.Quote)))
            lang = "@" + quote.language if quote.language else None
            add((node, _VALUE, (quote.text, lang)))
            self.lit(node, str(DCTERMS.language), quote.language)
            if quote.translation is not None:
                tlang = "@" + quote.translation_language if quote.translation_language else None
                add((node, str(GK.translation), (quote.translation, tlang)))
            self.lit(node, str(GK.translationLanguage), quote.translation_language)
            if quote.speaker is not None:
                add((node, str(GK.speaker), self.m.actor(quote.speaker)))
        self.credibility(s, item.credibility)
        self.refs(s, item.sources)
        for index, alternative in enumerate(item.alternative_dates):
            node = f"{s}/alternative-date/{index}"
            add((s, str(GK.alternativeDate), node))
            add((node, _TYPE, str(GK.AlternativeDate)))
            add((node, _POS, (str(index), _INT)))
            add((node, str(SEM.hasTime), node + "/time"))
            self.when(node + "/time", alternative.date)
            self.credibility(node, alternative.credibility)
            self.lit(node, str(SKOS.note), alternative.note)
            self.refs(node, alternative.sources)
        for tag in item.tags:
            add((s, str(SDO.keywords), (tag, None)))
        self.ordered(s, str(GK.tag), "tag", item.tags)
        self.lit(s, str(SKOS.editorialNote), item.notes)
        self.provenance(s, item.provenance)

    def quantity(self, event: str, index: int, item: Quantity) -> None:
        add = self.out.append
        q = f"{event}/quantity/{index}"
        add((event, str(GK.quantity), q))
        add((q, _TYPE, str(GK.Quantity)))
        add((q, _TYPE, str(SDO.QuantitativeValue)))
        add((q, _POS, (str(index), _INT)))
        for p, figure in (
            (SDO.value, item.value),
            (SDO.minValue, item.min),
            (SDO.maxValue, item.max),
        ):
            if figure is not None:
                add((q, str(p), number_literal(figure)))
        self.lit(q, str(SDO.unitText), item.unit)
        add((q, str(GK.quantityKind), (item.kind, None)))
        add((q, str(GK.estimate), bool_literal(item.estimate)))
        add((q, str(GK.planned), bool_literal(item.planned)))
        if item.by is not None:
            add((q, str(GK.by), date_literal(item.by)))
        if item.as_of is not None:
            add((q, str(GK.asOf), date_literal(item.as_of)))
        self.lit(q, str(GK.measure), item.measure)
        self.lit(q, str(GK.text), item.text)
        self.credibility(q, item.credibility)
        self.refs(q, item.sources)

    def event_type(self, item: EventType) -> None:
        s = _EVENT_TYPE_NS + encode(item.id)
        add = self.out.append
        add((s, _TYPE, str(GK.EventType)))
        add((s, _TYPE, str(SEM.EventType)))
        add((s, _TYPE, str(SKOS.Concept)))
        add((s, _ID, (item.id, None)))
        self.lit(s, str(SKOS.prefLabel), item.label)
        self.lit(s, str(SKOS.definition), item.description)
        self.lit(s, str(GK.cameo), item.cameo)
        self.lit(s, str(GK.cameoName), item.cameo_name)
        add((s, str(GK.goldstein), number_literal(item.goldstein)))
        for key, value in item.goldstein_alternatives.items():
            node = f"{s}/goldstein/{encode(key)}"
            add((s, str(GK.goldsteinAlternative), node))
            add((node, _TYPE, str(GK.GoldsteinAlternative)))
            add((node, str(GK.fieldName), (key, None)))
            add((node, _VALUE, number_literal(value)))
        self.lit(s, str(GK.quadClass), item.quad_class)
        self.lit(s, str(GK.plover), item.plover)
        add((s, str(GK.hostility), (str(item.hostility), _INT)))
        add((s, str(GK.materialSupport), bool_literal(item.material_support)))
        self.lit(s, str(SKOS.note), item.note)

    def relation_type(self, item: RelationType) -> None:
        s = _RELATION_NS + encode(item.id)
        add = self.out.append
        add((s, _TYPE, str(GK.RelationType)))
        add((s, _TYPE, str(SKOS.Concept)))
        add((s, _ID, (item.id, None)))
        self.lit(s, str(SKOS.prefLabel), item.label)
        self.lit(s, str(SKOS.definition), item.description)
        add((s, str(GK.symmetric), bool_literal(item.symmetric)))
        add((s, str(GK.hostile), bool_literal(item.hostile)))
        add((s, str(GK.war), bool_literal(item.war)))
        add((s, str(GK.supportive), bool_literal(item.supportive)))


def item_triples(kb: KnowledgeBase, minter: Minter) -> Iterator[list[Triple]]:
    """Yield the triples of ``kb``, one list per item (knowledge-base node first).

    The order is deterministic (document order); the set of triples is what every writer emits.
    """
    writer = _Writer(kb, minter)
    doc = kb.document
    node = minter.base
    writer.out.append((node, _TYPE, str(GK.KnowledgeBase)))
    writer.out.append((node, str(GK.formatVersion), (str(doc.format_version), _INT)))
    for event_type in doc.event_types:
        writer.event_type(event_type)
    for relation_type in doc.relation_types:
        writer.relation_type(relation_type)
    yield writer.take()
    for source in doc.sources:
        writer.source(source)
        yield writer.take()
    for actor in doc.actors:
        writer.actor(actor)
        yield writer.take()
    for relation in doc.relations:
        writer.relation(relation)
        yield writer.take()
    for event in doc.events:
        writer.event(event)
        yield writer.take()
