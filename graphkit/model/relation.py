"""Relations: alliances, wars, memberships and support that hold over a period."""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from graphkit.model.common import Credibility, Id, Model, Provenance, SourceRefs, Text
from graphkit.model.dates import DAY_MAX, DAY_MIN, Extent, PartialDate

__all__ = ["Relation"]


class Relation(Model):
    """A typed, time-bounded link from one actor to another.

    The validity interval runs from ``start`` to ``end``, both inclusive at their precision;
    no ``start`` means "since before the record" (possibly held on any day before its end,
    certainly on none), no ``end`` means "ongoing or unknown".
    Symmetric types (``allied_with``, ``at_war_with``) hold both ways.
    """

    id: Id
    type: Id
    from_: Id = Field(alias="from")
    to: Id
    start: PartialDate | None = None
    end: PartialDate | None = None
    sources: SourceRefs = Field(default_factory=list)
    credibility: Credibility | None = None
    started_by: Id | None = None
    ended_by: Id | None = None
    summary: Text | None = None
    notes: Text | None = None
    provenance: Provenance | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.start is not None and self.end is not None and self.end.hi < self.start.lo:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    @property
    def extent(self) -> Extent:
        """The validity interval as day ordinals (see :mod:`graphkit.model.dates`).

        Without a start, a relation possibly holds on every day up to its end and certainly on
        none: nothing says it held in 1900, nor on any given day (docs/queries.md).
        """
        lo, sure_lo = (DAY_MIN, DAY_MAX) if self.start is None else (self.start.lo, self.start.hi)
        hi, sure_hi = (DAY_MAX, DAY_MAX) if self.end is None else (self.end.hi, self.end.lo)
        return Extent(lo, hi, sure_lo, sure_hi, True)
