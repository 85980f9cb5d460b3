"""Events: dated happenings with actors, places, quantities, quotes and sources."""

from __future__ import annotations

import math
from typing import Annotated, Literal, Self

from pydantic import Field, PlainValidator, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from graphkit.model.common import (
    TAG_PATTERN,
    Credibility,
    Id,
    Line,
    Model,
    Provenance,
    SourceRefs,
    Text,
)
from graphkit.model.dates import Extent, PartialDate, When

__all__ = [
    "MAX_FIGURE",
    "AlternativeDate",
    "Event",
    "Location",
    "Participant",
    "Quantity",
    "Quote",
]


#: The largest magnitude of a figure: 2**53 - 1, the largest integer that a double, JSON readers
#: and JavaScript (the HTML views) hold exactly. Larger figures are refused at validation.
MAX_FIGURE = 2**53 - 1


def _number(value: object) -> int | float:
    if (type(value) is int or type(value) is float) and -MAX_FIGURE <= value <= MAX_FIGURE:
        return value  # nearly every figure (NaN fails the comparison and goes on below)
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise ValueError(f"expected a number, got {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError(
            "out_of_range", "{figure} is not a finite number", {"figure": value}
        )
    if not -MAX_FIGURE <= value <= MAX_FIGURE:
        raise PydanticCustomError("out_of_range", _TOO_LARGE, {"figure": _size(value)})
    return value


_TOO_LARGE = (
    "{figure} is beyond ±9,007,199,254,740,991 (2^53 - 1), the largest figure graphkit keeps"
)


def _size(value: int | float) -> str:
    """A figure in words short enough for a message (a 400-digit number is not printed)."""
    return f"a {len(str(abs(value)))}-digit number" if isinstance(value, int) else f"{value:g}"


#: An integer or a float, as written (3000 stays 3000, not 3000.0); booleans and text are errors.
Number = Annotated[int | float, PlainValidator(_number), WithJsonSchema({"type": "number"})]


class Participant(Model):
    """Another actor involved in an event, with its role (``reporter``, ``host``, ...)."""

    actor: Id
    role: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")] = "participant"


class Location(Model):
    """Where an event happened: a name, coordinates (WGS 84), a country, or all three."""

    name: Line | None = None
    lat: Number | None = None
    lon: Number | None = None
    country: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        if self.lat is not None and not -90 <= self.lat <= 90:
            raise ValueError(f"lat {self.lat} is outside -90..90")
        if self.lon is not None and not -180 <= self.lon <= 180:
            raise ValueError(f"lon {self.lon} is outside -180..180")
        if self.name is None and self.lat is None and self.country is None:
            raise ValueError("a location needs a name, coordinates or a country")
        return self


class Quantity(Model):
    """A number reported about an event: soldiers sent, people killed, shells delivered.

    ``value`` is an exact or central figure; ``min``/``max`` are bounds ("up to 10,000" is
    ``max: 10000``; "several thousand" is ``min: 2000`` with its words in ``text``). ``kind``
    says whether the number is a ``total`` or an ``increment``; ``planned`` marks an intention
    rather than a reported fact, ``estimate`` an estimate. A figure that comes from other sources
    than its event carries its own ``sources`` and ``credibility``: competing figures live side by
    side, each with its evidence.
    """

    value: Number | None = None
    min: Number | None = None
    max: Number | None = None
    unit: Line | None = None
    kind: Literal["total", "increment"] = "total"
    estimate: bool = False
    planned: bool = False
    by: PartialDate | None = None
    as_of: PartialDate | None = None
    measure: Line | None = None
    text: Line | None = None
    sources: SourceRefs = Field(default_factory=list)
    credibility: Credibility | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.value is None and self.min is None and self.max is None:
            raise ValueError("a quantity needs a value, a min or a max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        if self.value is not None:
            if self.min is not None and self.value < self.min:
                raise ValueError(f"value {self.value} is below min {self.min}")
            if self.max is not None and self.value > self.max:
                raise ValueError(f"value {self.value} is above max {self.max}")
        return self

    @property
    def central(self) -> Number:
        """The figure to compare: the value, else the maximum, else the minimum."""
        for figure in (self.value, self.max, self.min):
            if figure is not None:
                return figure
        raise AssertionError("unreachable: validated quantities have a figure")

    @property
    def what(self) -> str:
        """What is counted: ``measure``, else ``unit``, else an empty string."""
        return self.measure or self.unit or ""


class Quote(Model):
    """Words as spoken, in their original language, with an optional translation."""

    text: Text
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] | None = None
    translation: Text | None = None
    translation_language: (
        Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] | None
    ) = None
    speaker: Id | None = None


class AlternativeDate(Model):
    """A competing date claim for an event, with its own sources."""

    date: When
    sources: SourceRefs = Field(default_factory=list)
    credibility: Credibility | None = None
    note: Text | None = None


class Event(Model):
    """Something that happened: who did what to whom, when, where, how many, and on whose word.

    ``type`` is an event type of the vocabulary; ``date`` a partial date, bounds or a duration
    (see :mod:`graphkit.model.dates`); ``actor`` the main actor and ``target`` the target or
    recipient; ``credibility`` the Admiralty information grade 1–6; ``title`` a short headline
    (timelines write it beside the marker; without one they shorten ``summary``).
    """

    id: Id
    type: Id
    date: When
    actor: Id | None = None
    target: Id | None = None
    participants: list[Participant] = Field(default_factory=list)
    location: Location | None = None
    quantities: list[Quantity] = Field(default_factory=list)
    title: Line | None = None
    summary: Text | None = None
    quote: Quote | None = None
    sources: SourceRefs = Field(default_factory=list)
    credibility: Credibility | None = None
    alternative_dates: list[AlternativeDate] = Field(default_factory=list)
    provenance: Provenance | None = None
    tags: list[Annotated[str, Field(pattern=TAG_PATTERN)]] = Field(default_factory=list)
    notes: Text | None = None

    @property
    def extent(self) -> Extent:
        """When the event happened or lasted, as day ordinals."""
        return self.date.extent

    @property
    def actor_ids(self) -> list[str]:
        """Every actor the event involves: actor, target, then participants, without repeats."""
        ids: list[str] = []
        for actor_id in (self.actor, self.target, *(p.actor for p in self.participants)):
            if actor_id is not None and actor_id not in ids:
                ids.append(actor_id)
        return ids
