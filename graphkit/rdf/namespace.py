"""The vocabularies of the RDF export, as closed rdflib namespaces.

Every term graphkit writes is declared here, in a :class:`~rdflib.namespace.DefinedNamespace`
with ``_fail = True``: a typo (``SEM.hasActr``) raises ``AttributeError`` at import or test time
instead of minting a term nobody else uses. The established vocabularies come first (SEM,
OWL-Time, PROV-O, schema.org, Dublin Core, SKOS, WGS84); :class:`GK` is graphkit's small ontology
for what they lack (shipped as ``graphkit/rdf/graphkit.ttl``).

Open namespaces (:data:`EVENT_TYPE`, :data:`RELATION`, :data:`ROLE`) hold one IRI per vocabulary
entry; their local names always go through :func:`graphkit.rdf.iri.encode`.

Examples:
    >>> str(SEM.Event)
    'http://semanticweb.cs.vu.nl/2009/11/sem/Event'
    >>> GK.notAProperty
    Traceback (most recent call last):
    ...
    AttributeError: term 'notAProperty' not in namespace 'https://graphkit.example.org/ns#'
"""

from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

__all__ = [
    "DCTERMS",
    "EVENT_TYPE",
    "GEO",
    "GK",
    "GK_NS",
    "OA",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "RELATION",
    "ROLE",
    "SDO",
    "SEM",
    "SKOS",
    "TIME",
    "WIKIDATA",
    "XSD",
]

#: graphkit's ontology namespace (classes and properties the standard vocabularies lack).
GK_NS = "https://graphkit.example.org/ns#"
#: Event types (shipped and knowledge-base extensions): ``gket:troop_deployment``.
EVENT_TYPE = Namespace("https://graphkit.example.org/ns/event-type/")
#: Relation types, used both as the direct actor-to-actor predicate and as the type concept.
RELATION = Namespace("https://graphkit.example.org/ns/relation/")
#: Role types of event participants (``gkrole:actor``, ``gkrole:target``, ``gkrole:reporter``).
ROLE = Namespace("https://graphkit.example.org/ns/role/")
#: Wikidata entities, for ``owl:sameAs``.
WIKIDATA = Namespace("http://www.wikidata.org/entity/")


class RDF(DefinedNamespace):
    """The RDF terms graphkit uses."""

    _fail = True
    _NS = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")

    type: URIRef
    value: URIRef
    Property: URIRef


class RDFS(DefinedNamespace):
    """The RDF Schema terms graphkit uses."""

    _fail = True
    _NS = Namespace("http://www.w3.org/2000/01/rdf-schema#")

    label: URIRef
    comment: URIRef
    subClassOf: URIRef
    subPropertyOf: URIRef
    domain: URIRef
    range: URIRef


class OWL(DefinedNamespace):
    """The OWL terms graphkit uses."""

    _fail = True
    _NS = Namespace("http://www.w3.org/2002/07/owl#")

    sameAs: URIRef
    SymmetricProperty: URIRef
    Ontology: URIRef
    Class: URIRef
    ObjectProperty: URIRef
    DatatypeProperty: URIRef


class XSD(DefinedNamespace):
    """The XML Schema datatypes graphkit writes."""

    _fail = True
    _NS = Namespace("http://www.w3.org/2001/XMLSchema#")

    string: URIRef
    boolean: URIRef
    integer: URIRef
    double: URIRef
    decimal: URIRef
    date: URIRef
    dateTime: URIRef
    gYear: URIRef
    gYearMonth: URIRef
    anyURI: URIRef
    dateTimeStamp: URIRef


class SEM(DefinedNamespace):
    """The Simple Event Model (van Hage et al. 2011)."""

    _fail = True
    _NS = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")

    Event: URIRef
    Actor: URIRef
    Place: URIRef
    Role: URIRef
    RoleType: URIRef
    EventType: URIRef
    hasActor: URIRef
    hasPlace: URIRef
    hasTime: URIRef
    eventType: URIRef
    roleType: URIRef
    hasEarliestBeginTimeStamp: URIRef
    hasLatestEndTimeStamp: URIRef


class TIME(DefinedNamespace):
    """OWL-Time (W3C 2017)."""

    _fail = True
    _NS = Namespace("http://www.w3.org/2006/time#")

    Instant: URIRef
    Interval: URIRef
    ProperInterval: URIRef
    hasBeginning: URIRef
    hasEnd: URIRef
    inside: URIRef
    inXSDgYear: URIRef
    inXSDgYearMonth: URIRef
    inXSDDate: URIRef
    inXSDDateTimeStamp: URIRef
    #: Deprecated by OWL-Time (2017); read in older exports, never written.
    inXSDDateTime: URIRef


class PROV(DefinedNamespace):
    """PROV-O, the provenance ontology."""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/prov#")

    Entity: URIRef
    Agent: URIRef
    Derivation: URIRef
    Attribution: URIRef
    wasDerivedFrom: URIRef
    wasAttributedTo: URIRef
    qualifiedDerivation: URIRef
    qualifiedAttribution: URIRef
    entity: URIRef
    agent: URIRef


class SDO(DefinedNamespace):
    """The schema.org terms graphkit uses."""

    _fail = True
    _NS = Namespace("https://schema.org/")

    CreativeWork: URIRef
    Place: URIRef
    QuantitativeValue: URIRef
    name: URIRef
    alternateName: URIRef
    description: URIRef
    publisher: URIRef
    author: URIRef
    url: URIRef
    value: URIRef
    minValue: URIRef
    maxValue: URIRef
    unitText: URIRef
    keywords: URIRef


class DCTERMS(DefinedNamespace):
    """The Dublin Core terms graphkit uses."""

    _fail = True
    _NS = Namespace("http://purl.org/dc/terms/")

    identifier: URIRef
    title: URIRef
    language: URIRef
    issued: URIRef


class SKOS(DefinedNamespace):
    """The SKOS terms graphkit uses (vocabulary entries and editorial notes)."""

    _fail = True
    _NS = Namespace("http://www.w3.org/2004/02/skos/core#")

    Concept: URIRef
    ConceptScheme: URIRef
    inScheme: URIRef
    topConceptOf: URIRef
    hasTopConcept: URIRef
    prefLabel: URIRef
    definition: URIRef
    note: URIRef
    editorialNote: URIRef


class GEO(DefinedNamespace):
    """W3C Basic Geo (WGS84 lat/long) vocabulary."""

    _fail = True
    _NS = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")

    lat: URIRef
    long: URIRef


class OA(DefinedNamespace):
    """The W3C Web Annotation terms graphkit uses: the words of a source behind a claim."""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/oa#")

    SpecificResource: URIRef
    TextQuoteSelector: URIRef
    hasSource: URIRef
    hasSelector: URIRef
    exact: URIRef


class GK(DefinedNamespace):
    """graphkit's own ontology: only what the standard vocabularies lack (see graphkit.ttl)."""

    _fail = True
    _NS = Namespace(GK_NS)

    # classes
    KnowledgeBase: URIRef
    Relation: URIRef
    Participation: URIRef
    Quantity: URIRef
    Quote: URIRef
    AlternativeDate: URIRef
    SourceReference: URIRef
    Provenance: URIRef
    ProvenanceField: URIRef
    EventType: URIRef
    RelationType: URIRef
    ListItem: URIRef
    GoldsteinAlternative: URIRef
    # knowledge base
    formatVersion: URIRef
    base: URIRef
    # order of list members
    position: URIRef
    # actors
    actorKind: URIRef
    alias: URIRef
    country: URIRef
    partOf: URIRef
    # sources
    reliability: URIRef
    sourceKind: URIRef
    accessed: URIRef
    localCopy: URIRef
    localCopySha256: URIRef
    # relations
    relationType: URIRef
    fromActor: URIRef
    toActor: URIRef
    validDuring: URIRef
    startedBy: URIRef
    endedBy: URIRef
    # events
    actor: URIRef
    target: URIRef
    involves: URIRef
    quantity: URIRef
    quote: URIRef
    alternativeDate: URIRef
    tag: URIRef
    speaker: URIRef
    translation: URIRef
    translationLanguage: URIRef
    # quantities
    quantityKind: URIRef
    estimate: URIRef
    planned: URIRef
    by: URIRef
    asOf: URIRef
    measure: URIRef
    text: URIRef
    # grades and evidence
    credibility: URIRef
    citation: URIRef
    accordingTo: URIRef
    reportedIn: URIRef
    # provenance of machine-coded facts
    provenance: URIRef
    dataset: URIRef
    record: URIRef
    machineCoded: URIRef
    reviewed: URIRef
    field: URIRef
    fieldName: URIRef
    # vocabulary extensions
    cameo: URIRef
    cameoName: URIRef
    goldstein: URIRef
    goldsteinAlternative: URIRef
    quadClass: URIRef
    plover: URIRef
    hostility: URIRef
    materialSupport: URIRef
    symmetric: URIRef
    hostile: URIRef
    war: URIRef
    supportive: URIRef


#: Prefixes bound in every serialisation (Turtle, TriG, JSON-LD context, SPARQL queries).
PREFIXES: dict[str, str] = {
    "gk": GK_NS,
    "gket": str(EVENT_TYPE),
    "gkr": str(RELATION),
    "gkrole": str(ROLE),
    "sem": str(SEM._NS),
    "time": str(TIME._NS),
    "prov": str(PROV._NS),
    "oa": str(OA._NS),
    "schema": str(SDO._NS),
    "dcterms": str(DCTERMS._NS),
    "skos": str(SKOS._NS),
    "geo": str(GEO._NS),
    "owl": str(OWL._NS),
    "rdf": str(RDF._NS),
    "rdfs": str(RDFS._NS),
    "xsd": str(XSD._NS),
    "wd": str(WIKIDATA),
}
