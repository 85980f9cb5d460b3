"""Actors: states, alliances, agencies, armed forces, people and groups."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from graphkit.model.common import Id, Line, Model, Provenance, SourceRefs, Text

__all__ = ["Actor", "ActorKind"]

ActorKind = Literal[
    "state",
    "international_organization",
    "alliance",
    "government",
    "agency",
    "armed_force",
    "armed_unit",
    "person",
    "non_state_group",
    "company",
    "other",
]


class Actor(Model):
    """Someone who acts or is acted upon.

    ``id`` is short and stable: it is used in references and in IRIs. ``country`` is an
    ISO 3166-1 alpha-3 code, ``wikidata`` a QID, ``part_of`` the id of a parent or affiliation
    (South Korea's intelligence service is ``part_of: KOR``).
    """

    id: Id
    name: Line
    kind: ActorKind
    aliases: list[Line] = Field(default_factory=list)
    country: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    wikidata: Annotated[str, Field(pattern=r"^Q[1-9][0-9]*$")] | None = None
    part_of: Id | None = None
    description: Text | None = None
    sources: SourceRefs = Field(default_factory=list)
    provenance: Provenance | None = None
