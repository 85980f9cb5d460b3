"""Event and relation types: controlled, documented, extensible without code changes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Literal

from pydantic import Field

from graphkit.model.common import Id, Line, Model, Text

__all__ = ["EventType", "QuadClass", "RelationType"]

QuadClass = Literal[
    "verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"
]


class EventType(Model):
    """An event type with its place on published intensity scales.

    ``goldstein`` is the Goldstein conflict–cooperation score (−10 … +10) of ``cameo``, the
    closest CAMEO code; ``hostility`` the Correlates of War militarized-dispute hostility level
    (1 none, 2 threat to use force, 3 display of force, 4 use of force, 5 war);
    ``material_support`` marks types that escalate a conflict when directed at a belligerent;
    ``lowers_to`` marks de-escalating acts (CAMEO 08 "Yield"): after one, the dyad's current MID
    hostility level is at most this (a ceasefire ends the use of force: 3).
    """

    id: Id
    label: Line | None = None
    description: Text | None = None
    cameo: Annotated[str, Field(pattern=r"^[0-9]{2,4}$")] | None = None
    cameo_name: Line | None = None
    goldstein: Annotated[float, Field(ge=-10, le=10)] = 0.0
    goldstein_alternatives: dict[str, float] = Field(default_factory=dict)
    quad_class: QuadClass | None = None
    plover: Line | None = None
    hostility: Annotated[int, Field(ge=1, le=5)] = 1
    material_support: bool = False
    lowers_to: Annotated[int, Field(ge=1, le=4)] | None = None
    note: Text | None = None


class RelationType(Model):
    """A relation type: ``symmetric`` ones hold both ways; ``war`` ones name a conflict.

    ``supportive`` marks alignment (alliance, support, arms supply, forces deployed with a
    partner): a new supportive relation with a belligerent widens its conflict.
    """

    id: Id
    label: Line | None = None
    description: Text | None = None
    symmetric: bool = False
    hostile: bool = False
    war: bool = False
    supportive: bool = False


class Vocabulary:
    """The event and relation types in force: the shipped ones plus a knowledge base's own.

    A knowledge base's type with the same id as a shipped one replaces it (an override).
    """

    def __init__(
        self,
        event_types: Iterable[EventType] = (),
        relation_types: Iterable[RelationType] = (),
    ) -> None:
        self.event_types: dict[str, EventType] = {t.id: t for t in event_types}
        self.relation_types: dict[str, RelationType] = {t.id: t for t in relation_types}

    def extended(
        self, event_types: list[EventType], relation_types: list[RelationType]
    ) -> Vocabulary:
        """Return a new vocabulary with ``event_types`` and ``relation_types`` added or replaced."""
        return Vocabulary(
            [*self.event_types.values(), *event_types],
            [*self.relation_types.values(), *relation_types],
        )

    def is_symmetric(self, relation_type: str) -> bool:
        """Whether relations of this type hold both ways (unknown types: no)."""
        found = self.relation_types.get(relation_type)
        return found is not None and found.symmetric
