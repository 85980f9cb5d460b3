"""The one place that decides which triples a knowledge base becomes.

:func:`item_triples` yields, item by item, lists of plain-string triples: an IRI is a ``str``, a
literal a ``(lexical, datatype)`` tuple where ``datatype`` is ``None`` for a plain string, ``"@xx"``
for a language tag, or a datatype IRI. Every writer (rdflib graph, streaming N-Triples/Turtle,
pyoxigraph, GSP upload) consumes these, so they all produce the same triples.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from graphkit.kb import KnowledgeBase
from graphkit.model.actor import Actor
from graphkit.model.common import Provenance, SourceRef
from graphkit.model.dates import DAY_MAX, DAY_MIN, Bounds, PartialDate, Span
from graphkit.model.event import Event, Quantity
from graphkit.model.relation import Relation
from graphkit.model.source import Source
from graphkit.model.vocab import EventType, RelationType
from graphkit.rdf.iri import Minter, encode, term
from graphkit.rdf.namespace import (
    DCTERMS,
    EVENT_TYPE,
    GEO,
    GK,
    OA,
    OWL,
    PROV,
    RDF,
    RDFS,
    RELATION,
    ROLE,
    SDO,
    SEM,
    SKOS,
    TIME,
    WIKIDATA,
    XSD,
)

__all__ = [
    "Lit",
    "Obj",
    "Triple",
    "date_literal",
    "item_triples",
    "number_literal",
    "when_text",
]

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
    "time": str(TIME.inXSDDateTimeStamp),
}
# time:inXSDDateTimeStamp's range is xsd:dateTimeStamp (a dateTime with its offset, which every
# graphkit timestamp has); elsewhere a timestamp is an xsd:dateTime.
_INSTANT_DATATYPE = {**_DATATYPE, "time": str(XSD.dateTimeStamp)}
_LABEL = str(RDFS.label)
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


class _Terms:
    """A namespace's terms as plain ``str`` IRIs, each resolved once.

    ``GK.credibility`` on an rdflib ``DefinedNamespace`` checks the name and builds a new
    ``URIRef`` on every access (about a microsecond); a 100,000-event export names terms some ten
    million times, so the writer reads them from here instead. Every declared term is an instance
    attribute from the start: a class without ``__getattr__`` lets CPython specialise the reads
    (twice as fast as a lazy ``__getattr__`` cache).
    """

    def __init__(self, namespace: Any) -> None:
        for name in namespace.__annotations__:
            if not name.startswith("_"):
                setattr(self, name, str(getattr(namespace, name)))

    if TYPE_CHECKING:

        def __getattr__(self, name: str) -> str: ...


_DCTERMS = _Terms(DCTERMS)
_GEO = _Terms(GEO)
_GK = _Terms(GK)
_OA = _Terms(OA)
_OWL = _Terms(OWL)
_PROV = _Terms(PROV)
_RDF = _Terms(RDF)
_SDO = _Terms(SDO)
_SEM = _Terms(SEM)
_SKOS = _Terms(SKOS)
_TIME = _Terms(TIME)
_XSD = _Terms(XSD)


def when_text(value: PartialDate | Bounds | Span) -> str:
    """A date as people read it in a label: ``2024-10``, ``between 2024-10 and 2024-11``, ``2024–``.

    Examples:
        >>> when_text(Span.model_validate({"start": "2024-10", "end": "2025"}))
        '2024-10–2025'
    """
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, Bounds):
        return f"between {value.earliest} and {value.latest}"
    return f"{value.start}–{value.end if value.end is not None else ''}"


class _Writer:
    def __init__(self, kb: KnowledgeBase, minter: Minter) -> None:
        self.kb = kb
        self.m = minter
        self.out: list[Triple] = []
        vocabulary = kb.vocabulary
        self.event_labels = {t.id: t.label or t.id for t in vocabulary.event_types.values()}
        self.relation_labels = {t.id: t.label or t.id for t in vocabulary.relation_types.values()}
        self.names = {actor.id: actor.name for actor in kb.document.actors}
        self.roles: dict[str, str] = {}
        self.types: dict[str, str] = {}  # event or relation type IRI by namespace + id

    def take(self) -> list[Triple]:
        """The triples of the item just written (no repeats: each method drops its own)."""
        out, self.out = self.out, []
        return out

    def take_deduplicated(self) -> list[Triple]:
        """The triples written since the last take, repeats dropped (the vocabulary chunks).

        Items do not go through this: hashing every triple of an item (every label and node
        IRI) was a third of the time to generate them; the few places an item can repeat a
        triple (a source cited twice, a tag or alias written twice, a symmetric relation of an
        actor with itself) skip the repeat where they write it, which keeps the same first
        occurrences in the same order (``tests/rdf/test_export.py``).
        """
        out, self.out = self.out, []
        return list(dict.fromkeys(out))

    # -- building blocks ------------------------------------------------------------------
    def lit(self, s: str, p: str, value: str | None) -> None:
        if value is not None:
            self.out.append((s, p, (value, None)))

    def instant(self, node: str, value: PartialDate) -> None:
        add = self.out.append
        add((node, _TYPE, _TIME.Instant))
        precision = value.precision
        add((node, _IN_XSD[precision], (str(value), _INSTANT_DATATYPE[precision])))

    def when(self, node: str, value: PartialDate | Bounds | Span) -> None:
        add = self.out.append
        if isinstance(value, PartialDate):
            self.instant(node, value)
        elif isinstance(value, Bounds):
            add((node, _TYPE, _TIME.Instant))
            window = node + "/bounds"
            add((window, _TYPE, _TIME.ProperInterval))
            add((window, _TIME.inside, node))
            add((window, _TIME.hasBeginning, node + "/earliest"))
            add((window, _TIME.hasEnd, node + "/latest"))
            self.instant(node + "/earliest", value.earliest)
            self.instant(node + "/latest", value.latest)
        else:
            add((node, _TYPE, _TIME.ProperInterval))
            add((node, _TIME.hasBeginning, node + "/start"))
            self.instant(node + "/start", value.start)
            if value.end is not None:
                add((node, _TIME.hasEnd, node + "/end"))
                self.instant(node + "/end", value.end)

    def extent(self, s: str, lo: int, hi: int) -> None:
        # Derived day bounds (SEM time stamps) so date-window queries are a FILTER away.
        if lo > DAY_MIN:
            self.out.append((s, _SEM.hasEarliestBeginTimeStamp, _day(lo)))
        if hi < DAY_MAX:
            self.out.append((s, _SEM.hasLatestEndTimeStamp, _day(hi)))

    def refs(self, s: str, refs: list[SourceRef]) -> None:
        add = self.out.append
        derived: set[str] = set()  # a source cited twice, an agent named twice: one triple
        attributed: set[str] = set()
        for index, ref in enumerate(refs):
            source = self.m.source(ref.source)
            node = f"{s}/source/{index}"
            if source not in derived:
                derived.add(source)
                add((s, _PROV.wasDerivedFrom, source))
            add((s, _PROV.qualifiedDerivation, node))
            add((node, _TYPE, _PROV.Derivation))
            add((node, _TYPE, _GK.SourceReference))
            add((node, _PROV.entity, source))
            add((node, _POS, (str(index), _INT)))
            self.lit(node, _SKOS.note, ref.note)
            if ref.excerpt is not None:
                # The words behind the claim: the reference is also a Web Annotation
                # SpecificResource, the part of the source its TextQuoteSelector selects.
                selector = node + "/excerpt"
                language = self.kb.sources.get(ref.source)
                lang = "@" + language.language if language and language.language else None
                add((node, _TYPE, _OA.SpecificResource))
                add((node, _OA.hasSource, source))
                add((node, _OA.hasSelector, selector))
                add((selector, _TYPE, _OA.TextQuoteSelector))
                add((selector, _OA.exact, (ref.excerpt, lang)))
            if ref.according_to is not None:
                agent = self.m.actor(ref.according_to)
                attribution = node + "/attribution"
                add((node, _GK.accordingTo, agent))
                if agent not in attributed:
                    attributed.add(agent)
                    add((s, _PROV.wasAttributedTo, agent))
                add((s, _PROV.qualifiedAttribution, attribution))
                add((attribution, _TYPE, _PROV.Attribution))
                add((attribution, _PROV.agent, agent))
                add((attribution, _GK.reportedIn, source))
                add((attribution, _GK.citation, node))

    def credibility(self, s: str, value: int | None) -> None:
        if value is not None:
            self.out.append((s, _GK.credibility, (str(value), _INT)))

    def provenance(self, s: str, value: Provenance | None) -> None:
        if value is None:
            return
        add = self.out.append
        node = s + "/provenance"
        add((s, _GK.provenance, node))
        add((node, _TYPE, _GK.Provenance))
        add((node, _GK.dataset, (value.dataset, None)))
        add((node, _GK.record, (value.record, None)))
        add((node, _GK.machineCoded, bool_literal(value.machine_coded)))
        add((node, _GK.reviewed, bool_literal(value.reviewed)))
        for key, field in value.fields.items():
            field_node = f"{node}/field/{encode(key)}"
            add((node, _GK.field, field_node))
            add((field_node, _TYPE, _GK.ProvenanceField))
            add((field_node, _GK.fieldName, (key, None)))
            if field is not None:
                add((field_node, _VALUE, _plain(field)))

    def ordered(self, s: str, p: str, kind: str, values: list[str]) -> None:
        add = self.out.append
        for index, value in enumerate(values):
            node = f"{s}/{kind}/{index}"
            add((s, p, node))
            add((node, _TYPE, _GK.ListItem))
            add((node, _POS, (str(index), _INT)))
            add((node, _VALUE, (value, None)))

    # -- items ----------------------------------------------------------------------------
    def source(self, item: Source) -> None:
        s = self.m.source(item.id)
        add = self.out.append
        add((s, _TYPE, _PROV.Entity))
        add((s, _TYPE, _SDO.CreativeWork))
        add((s, _ID, (item.id, None)))
        add((s, _DCTERMS.title, (item.title, None)))
        add((s, _LABEL, (item.title, None)))
        self.lit(s, _SDO.publisher, item.publisher)
        self.lit(s, _SDO.author, item.author)
        if item.url is not None:
            add((s, _SDO.url, (item.url, _XSD.anyURI)))
        self.lit(s, _GK.localCopy, item.local_copy)
        self.lit(s, _GK.localCopySha256, item.sha256)
        self.lit(s, _DCTERMS.language, item.language)
        if item.published is not None:
            add((s, _DCTERMS.issued, date_literal(item.published)))
        if item.accessed is not None:
            add((s, _GK.accessed, date_literal(item.accessed)))
        add((s, _GK.reliability, (item.reliability, None)))
        self.lit(s, _GK.sourceKind, item.kind)
        self.lit(s, _SKOS.editorialNote, item.notes)
        self.provenance(s, item.provenance)

    def actor(self, item: Actor) -> None:
        s = self.m.actor(item.id)
        add = self.out.append
        add((s, _TYPE, _SEM.Actor))
        add((s, _TYPE, _PROV.Agent))
        add((s, _ID, (item.id, None)))
        add((s, _SDO.name, (item.name, None)))
        add((s, _LABEL, (item.name, None)))
        add((s, _GK.actorKind, (item.kind, None)))
        for alias in dict.fromkeys(item.aliases):  # an alias written twice: one triple
            add((s, _SDO.alternateName, (alias, None)))
        self.ordered(s, _GK.alias, "alias", item.aliases)
        self.lit(s, _GK.country, item.country)
        if item.wikidata is not None:
            add((s, _OWL.sameAs, _WIKIDATA_NS + item.wikidata))
        if item.part_of is not None:
            add((s, _GK.partOf, self.m.actor(item.part_of)))
        self.lit(s, _SDO.description, item.description)
        self.refs(s, item.sources)
        self.provenance(s, item.provenance)

    def relation(self, item: Relation) -> None:
        s = self.m.relation(item.id)
        add = self.out.append
        predicate = self.type_iri(_RELATION_NS, item.type)
        a, b = self.m.actor(item.from_), self.m.actor(item.to)
        add((a, predicate, b))
        if b != a and self.kb.vocabulary.is_symmetric(item.type):
            add((b, predicate, a))
        add((s, _TYPE, _GK.Relation))
        add((s, _TYPE, _PROV.Entity))
        add((s, _ID, (item.id, None)))
        names = self.names
        kind = self.relation_labels.get(item.type, item.type)
        label = f"{names[item.from_]} {kind} {names[item.to]}"
        add((s, _LABEL, (label, None)))
        add((s, _GK.relationType, predicate))
        add((s, _GK.fromActor, a))
        add((s, _GK.toActor, b))
        if item.start is not None or item.end is not None:
            node = s + "/validity"
            add((s, _GK.validDuring, node))
            add((node, _TYPE, _TIME.Interval))
            if item.start is not None:
                add((node, _TIME.hasBeginning, node + "/start"))
                self.instant(node + "/start", item.start)
            if item.end is not None:
                add((node, _TIME.hasEnd, node + "/end"))
                self.instant(node + "/end", item.end)
        extent = item.extent
        self.extent(s, extent.lo, extent.hi)
        if item.started_by is not None:
            add((s, _GK.startedBy, self.m.event(item.started_by)))
        if item.ended_by is not None:
            add((s, _GK.endedBy, self.m.event(item.ended_by)))
        self.lit(s, _SDO.description, item.summary)
        self.lit(s, _SKOS.editorialNote, item.notes)
        self.credibility(s, item.credibility)
        self.refs(s, item.sources)
        self.provenance(s, item.provenance)

    def event(self, item: Event) -> None:
        s = self.m.event(item.id)
        add = self.out.append
        add((s, _TYPE, _SEM.Event))
        add((s, _TYPE, _PROV.Entity))
        add((s, _ID, (item.id, None)))
        add((s, _LABEL, (self.event_label(item), None)))
        add((s, _SEM.eventType, self.type_iri(_EVENT_TYPE_NS, item.type)))
        add((s, _SEM.hasTime, s + "/time"))
        self.when(s + "/time", item.date)
        extent = item.extent
        self.extent(s, extent.lo, extent.hi)
        for slot, actor_id in (("actor", item.actor), ("target", item.target)):
            if actor_id is None:
                continue
            actor = self.m.actor(actor_id)
            role = f"{s}/role/{slot}"
            add((s, _GK.actor if slot == "actor" else _GK.target, actor))
            add((s, _SEM.hasActor, role))
            add((role, _TYPE, _SEM.Role))
            add((role, _VALUE, actor))
            add((role, _SEM.roleType, self.role_type(slot)))
        for index, participant in enumerate(item.participants):
            role = f"{s}/participant/{index}"
            add((s, _SEM.hasActor, role))
            add((role, _TYPE, _SEM.Role))
            add((role, _TYPE, _GK.Participation))
            add((role, _VALUE, self.m.actor(participant.actor)))
            add((role, _SEM.roleType, self.role_type(participant.role)))
            add((role, _POS, (str(index), _INT)))
        for actor_id in item.actor_ids:
            add((s, _GK.involves, self.m.actor(actor_id)))
        if item.location is not None:
            place = s + "/location"
            location = item.location
            add((s, _SEM.hasPlace, place))
            add((place, _TYPE, _SEM.Place))
            add((place, _TYPE, _SDO.Place))
            self.lit(place, _SDO.name, location.name)
            if location.lat is not None and location.lon is not None:
                add((place, _GEO.lat, number_literal(location.lat)))
                add((place, _GEO.long, number_literal(location.lon)))
            self.lit(place, _GK.country, location.country)
        for index, quantity in enumerate(item.quantities):
            self.quantity(s, index, quantity)
        self.lit(s, _SDO.name, item.title)
        self.lit(s, _SDO.description, item.summary)
        if item.quote is not None:
            quote = item.quote
            node = s + "/quote"
            add((s, _GK.quote, node))
            add((node, _TYPE, _GK.Quote))
            lang = "@" + quote.language if quote.language else None
            add((node, _VALUE, (quote.text, lang)))
            self.lit(node, _DCTERMS.language, quote.language)
            if quote.translation is not None:
                tlang = "@" + quote.translation_language if quote.translation_language else None
                add((node, _GK.translation, (quote.translation, tlang)))
            self.lit(node, _GK.translationLanguage, quote.translation_language)
            if quote.speaker is not None:
                add((node, _GK.speaker, self.m.actor(quote.speaker)))
        self.credibility(s, item.credibility)
        self.refs(s, item.sources)
        for index, alternative in enumerate(item.alternative_dates):
            node = f"{s}/alternative-date/{index}"
            add((s, _GK.alternativeDate, node))
            add((node, _TYPE, _GK.AlternativeDate))
            add((node, _TYPE, _PROV.Entity))
            add((node, _POS, (str(index), _INT)))
            add((node, _SEM.hasTime, node + "/time"))
            self.when(node + "/time", alternative.date)
            self.credibility(node, alternative.credibility)
            self.lit(node, _SKOS.note, alternative.note)
            self.refs(node, alternative.sources)
        for tag in dict.fromkeys(item.tags):  # a tag written twice: one triple
            add((s, _SDO.keywords, (tag, None)))
        self.ordered(s, _GK.tag, "tag", item.tags)
        self.lit(s, _SKOS.editorialNote, item.notes)
        self.provenance(s, item.provenance)

    def event_label(self, item: Event) -> str:
        label = f"{self.event_labels.get(item.type, item.type)} ({when_text(item.date)})"
        if item.actor is None and item.target is None:
            return label
        names = self.names
        who = names[item.actor] if item.actor is not None else "?"
        if item.target is not None:
            who += f" → {names[item.target]}"
        return f"{label}: {who}"

    def role_type(self, word: str) -> str:
        """The IRI of a role word; its ``sem:RoleType`` triples the first time it is used."""
        iri = self.roles.get(word)
        if iri is None:
            iri = self.roles[word] = _ROLE_NS + term(word)
            self.out.append((iri, _TYPE, _SEM.RoleType))
            self.out.append((iri, _LABEL, (word, None)))
        return iri

    def type_iri(self, namespace: str, type_id: str) -> str:
        key = namespace + type_id
        iri = self.types.get(key)
        if iri is None:
            iri = self.types[key] = namespace + term(type_id)
        return iri

    def quantity(self, event: str, index: int, item: Quantity) -> None:
        add = self.out.append
        q = f"{event}/quantity/{index}"
        add((event, _GK.quantity, q))
        add((q, _TYPE, _GK.Quantity))
        add((q, _TYPE, _SDO.QuantitativeValue))
        add((q, _POS, (str(index), _INT)))
        for p, figure in (
            (_SDO.value, item.value),
            (_SDO.minValue, item.min),
            (_SDO.maxValue, item.max),
        ):
            if figure is not None:
                add((q, p, number_literal(figure)))
        self.lit(q, _SDO.unitText, item.unit)
        add((q, _GK.quantityKind, (item.kind, None)))
        add((q, _GK.estimate, bool_literal(item.estimate)))
        add((q, _GK.planned, bool_literal(item.planned)))
        if item.by is not None:
            add((q, _GK.by, date_literal(item.by)))
        if item.as_of is not None:
            add((q, _GK.asOf, date_literal(item.as_of)))
        self.lit(q, _GK.measure, item.measure)
        self.lit(q, _GK.text, item.text)
        self.credibility(q, item.credibility)
        self.refs(q, item.sources)

    def event_type(self, item: EventType, *, shipped: bool = False) -> None:
        """A type concept in the ``gket:`` scheme: ``gk:EventType`` when the KB declares it."""
        s = _EVENT_TYPE_NS + term(item.id)
        add = self.out.append
        if not shipped:
            add((s, _TYPE, _GK.EventType))
        add((s, _TYPE, _SEM.EventType))
        add((s, _TYPE, _SKOS.Concept))
        add((s, _SKOS.inScheme, _EVENT_TYPE_NS))
        add((s, _SKOS.topConceptOf, _EVENT_TYPE_NS))
        add((_EVENT_TYPE_NS, _SKOS.hasTopConcept, s))
        add((s, _ID, (item.id, None)))
        add((s, _LABEL, (item.label or item.id, None)))
        self.lit(s, _SKOS.prefLabel, item.label)
        self.lit(s, _SKOS.definition, item.description)
        self.lit(s, _GK.cameo, item.cameo)
        self.lit(s, _GK.cameoName, item.cameo_name)
        add((s, _GK.goldstein, number_literal(item.goldstein)))
        for key, value in item.goldstein_alternatives.items():
            node = f"{s}/goldstein/{encode(key)}"
            add((s, _GK.goldsteinAlternative, node))
            add((node, _TYPE, _GK.GoldsteinAlternative))
            add((node, _GK.fieldName, (key, None)))
            add((node, _VALUE, number_literal(value)))
        self.lit(s, _GK.quadClass, item.quad_class)
        self.lit(s, _GK.plover, item.plover)
        add((s, _GK.hostility, (str(item.hostility), _INT)))
        add((s, _GK.materialSupport, bool_literal(item.material_support)))
        if item.lowers_to is not None:
            add((s, _GK.lowersTo, (str(item.lowers_to), _INT)))
        self.lit(s, _SKOS.note, item.note)

    def relation_type(self, item: RelationType, *, shipped: bool = False) -> None:
        """A type concept in the ``gkr:`` scheme, also the direct predicate (``rdf:Property``)."""
        s = _RELATION_NS + term(item.id)
        add = self.out.append
        if not shipped:
            add((s, _TYPE, _GK.RelationType))
        add((s, _TYPE, _SKOS.Concept))
        add((s, _TYPE, _RDF.Property))
        if item.symmetric:
            add((s, _TYPE, _OWL.SymmetricProperty))
        add((s, _SKOS.inScheme, _RELATION_NS))
        add((s, _SKOS.topConceptOf, _RELATION_NS))
        add((_RELATION_NS, _SKOS.hasTopConcept, s))
        add((s, _ID, (item.id, None)))
        add((s, _LABEL, (item.label or item.id, None)))
        self.lit(s, _SKOS.prefLabel, item.label)
        self.lit(s, _SKOS.definition, item.description)
        add((s, _GK.symmetric, bool_literal(item.symmetric)))
        add((s, _GK.hostile, bool_literal(item.hostile)))
        add((s, _GK.war, bool_literal(item.war)))
        add((s, _GK.supportive, bool_literal(item.supportive)))


def _vocabulary_chunk(kb: KnowledgeBase, writer: _Writer) -> list[Triple]:
    """The shipped event and relation types the KB uses (and does not override), as SKOS.

    Generated from ``graphkit/data/*.yaml`` (labels, definitions, CAMEO codes, Goldstein scores,
    QuadClass, PLOVER, hostility; symmetric/hostile/war/supportive), so generic RDF browsers
    show type names and the export carries the scale its escalation scores rest on. Only the
    types the knowledge base uses are described, so a small export stays small.
    """
    from graphkit.io.vocabulary import default_vocabulary

    add = writer.out.append
    for scheme, title in (
        (_EVENT_TYPE_NS, "graphkit event types"),
        (_RELATION_NS, "graphkit relation types"),
    ):
        add((scheme, _TYPE, _SKOS.ConceptScheme))
        add((scheme, _LABEL, (title, None)))
        add((scheme, _SKOS.prefLabel, (title, None)))
    doc = kb.document
    own_events = {t.id for t in doc.event_types}
    own_relations = {t.id for t in doc.relation_types}
    used_events = {e.type for e in doc.events}
    used_relations = {r.type for r in doc.relations}
    shipped = default_vocabulary()
    for event_type in shipped.event_types.values():
        if event_type.id in used_events and event_type.id not in own_events:
            writer.event_type(event_type, shipped=True)
    for relation_type in shipped.relation_types.values():
        if relation_type.id in used_relations and relation_type.id not in own_relations:
            writer.relation_type(relation_type, shipped=True)
    return writer.take_deduplicated()


def item_count(kb: KnowledgeBase) -> int:
    """The number of lists :func:`item_triples` yields for ``kb`` (progress of a push)."""
    doc = kb.document
    return 2 + len(doc.sources) + len(doc.actors) + len(doc.relations) + len(doc.events)


def leading_chunks(kb: KnowledgeBase, writer: _Writer) -> Iterator[list[Triple]]:
    """The first two items of :func:`item_triples`: the knowledge-base node, the vocabulary."""
    doc = kb.document
    node = writer.m.base
    writer.out.append((node, _TYPE, _GK.KnowledgeBase))
    writer.out.append((node, _GK.formatVersion, (str(doc.format_version), _INT)))
    if doc.base is not None:
        writer.out.append((node, _GK.base, (doc.base, _XSD.anyURI)))
    for event_type in doc.event_types:
        writer.event_type(event_type)
    for relation_type in doc.relation_types:
        writer.relation_type(relation_type)
    yield writer.take_deduplicated()
    yield _vocabulary_chunk(kb, writer)


def item_triples(kb: KnowledgeBase, minter: Minter) -> Iterator[list[Triple]]:
    """Yield the triples of ``kb``, one list per item (knowledge-base node first).

    Items: the knowledge-base node with its types, the vocabulary, then each source, actor,
    relation and event (:func:`item_count` of them).

    The order is deterministic (document order); the set of triples is what every writer emits.
    """
    writer = _Writer(kb, minter)
    doc = kb.document
    yield from leading_chunks(kb, writer)
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
