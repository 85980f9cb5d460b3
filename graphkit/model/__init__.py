"""The graphkit data model: pydantic v2 classes with no I/O and no graph, RDF or plotting code."""

from graphkit.model.actor import Actor, ActorKind
from graphkit.model.checks import Problem, check_document
from graphkit.model.common import Credibility, Provenance, Reliability, SourceRef
from graphkit.model.dates import Bounds, Extent, Overlap, PartialDate, Span, When, window
from graphkit.model.document import FORMAT_VERSION, SECTIONS, Document
from graphkit.model.event import AlternativeDate, Event, Location, Participant, Quantity, Quote
from graphkit.model.relation import Relation
from graphkit.model.source import Source, SourceKind
from graphkit.model.vocab import EventType, QuadClass, RelationType, Vocabulary

__all__ = [
    "FORMAT_VERSION",
    "SECTIONS",
    "Actor",
    "ActorKind",
    "AlternativeDate",
    "Bounds",
    "Credibility",
    "Document",
    "Event",
    "EventType",
    "Extent",
    "Location",
    "Overlap",
    "PartialDate",
    "Participant",
    "Problem",
    "Provenance",
    "QuadClass",
    "Quantity",
    "Quote",
    "Relation",
    "RelationType",
    "Reliability",
    "Source",
    "SourceKind",
    "SourceRef",
    "Span",
    "Vocabulary",
    "When",
    "check_document",
    "window",
]
