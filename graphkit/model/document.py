"""The root of a knowledge base file, and the rule for when two knowledge bases are equal."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from graphkit.model.actor import Actor
from graphkit.model.common import Model
from graphkit.model.event import Event
from graphkit.model.relation import Relation
from graphkit.model.source import Source
from graphkit.model.vocab import EventType, RelationType

__all__ = ["BASE_PATTERN", "FORMAT_VERSION", "SECTIONS", "Document"]

#: The format version this graphkit reads and writes.
FORMAT_VERSION = 1

#: A base IRI: absolute (a scheme), without characters an IRI cannot hold, ending in / # or :.
BASE_PATTERN = r'^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`\x00-\x1f\x7f-\x9f]*[/#:]$'

#: The sections of a document that hold items with ids, in the order they are written.
SECTIONS = ("sources", "actors", "relations", "events")


def _exact_version(value: object) -> object:
    """Refuse ``true`` and ``1.0``, which equal 1 in Python but are not the version 1."""
    if isinstance(value, (bool, float)):
        raise ValueError(f"format_version must be the integer {FORMAT_VERSION}, not {value!r}")
    return value


class Document(Model):
    """A whole knowledge base (or one file of it): sources, actors, relations and events.

    Two documents hold *the same facts* (:meth:`same_facts`) when they have the same format
    version and base IRI and, section by section, the same items by id; the order of items in a
    section carries no meaning, the order inside an item's lists (aliases, participants,
    quantities, sources) does.

    ``strict: true`` in a file's header makes the curation rules of ``graphkit lint`` at level
    *warning* errors when that file is loaded (a team's standard written into the file; see
    docs/errors.md). It is a directive about the file, not a fact: :meth:`same_facts` ignores it.
    """

    format_version: Annotated[Literal[1], BeforeValidator(_exact_version)]
    strict: bool = False
    #: The base IRI of the knowledge base's RDF (``base:`` in the file header): item IRIs are
    #: minted under it unless an export is given another (docs/rdf.md).
    base: Annotated[str, Field(pattern=BASE_PATTERN)] | None = None
    event_types: list[EventType] = Field(default_factory=list)
    relation_types: list[RelationType] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)

    def same_facts(self, other: Document) -> bool:
        """Whether ``other`` holds the same facts, whatever the order of items in each section."""
        if self.format_version != other.format_version or self.base != other.base:
            return False
        for name in ("event_types", "relation_types", *SECTIONS):
            mine = {item.id: item for item in getattr(self, name)}
            theirs = {item.id: item for item in getattr(other, name)}
            if mine != theirs:
                return False
        return True
