"""Dates as analysts write them: partial dates, uncertain moments and durations.

A :class:`PartialDate` is written ``2024``, ``2024-10``, ``2024-10-23`` or as a timestamp with a
time zone, ``2024-10-23T14:30:00+09:00``. It keeps its precision end to end and *covers* the closed
range of days from its first to its last day: ``2024-10`` covers 1 to 31 October, inclusive, also
when it is the end of an interval. It is never silently turned into its first day.

An event's ``date`` is one of three shapes (see :data:`When`):

* a :class:`PartialDate`: one moment, somewhere in the date's extent;
* :class:`Bounds` ``{earliest, latest}``: one moment, unknown, between the bounds;
* :class:`Span` ``{start, end}``: something that *lasted* from start to end (end optional: ongoing).

Overlap rules. Every shape reduces to an :class:`Extent` of day ordinals. Against a query window
``[a, b]`` of days (both ends inclusive):

* a moment (date or bounds) *possibly* falls in the window when its extent intersects it, and
  *certainly* when its whole extent lies inside it;
* a duration *possibly* holds in the window when ``[first day of start, last day of end]``
  intersects it, and *certainly* when ``[last day of start, first day of end]`` (the days on
  which it held whatever the exact ends were) intersects it, or when its whole extent lies inside
  the window.

So an event dated ``2024-10`` possibly happened on 2024-10-20, and a relation that started in
``2024`` certainly holds on any day of 2025.

Examples:
    >>> d = PartialDate.parse("2024-10")
    >>> d.precision, str(d.first), str(d.last)
    ('month', '2024-10-01', '2024-10-31')
    >>> PartialDate.parse("2024-10").extent.overlap(*window("2024-10-20"))
    <Overlap.POSSIBLE: 1>
    >>> Span(start=PartialDate.parse("2024")).extent.overlap(*window("2025-03-01"))
    <Overlap.CERTAIN: 2>
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from enum import IntEnum
from functools import lru_cache
from typing import Annotated, Any, Literal, NamedTuple, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    Tag,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from graphkit.errors import InvalidDateError

__all__ = [
    "iso_suggestions",
    "DAY_MAX",
    "DAY_MIN",
    "Bounds",
    "Extent",
    "Overlap",
    "PartialDate",
    "Precision",
    "Span",
    "When",
    "window",
]

Precision = Literal["year", "month", "day", "time"]

#: Ordinal used for an open start ("since ever") and an open end ("still ongoing").
DAY_MIN = 0
DAY_MAX = date.max.toordinal() + 1

_DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_PRECISION_RANK = {"year": 0, "month": 1, "day": 2, "time": 3}


class Overlap(IntEnum):
    """How an item relates to a query window: not at all, possibly, or certainly."""

    NONE = 0
    POSSIBLE = 1
    CERTAIN = 2


class Extent(NamedTuple):
    """Day ordinals bounding an item in time.

    ``lo``/``hi`` bound every day the item may touch; for a duration, ``sure_lo``/``sure_hi``
    bound the days on which it certainly held (empty when ``sure_lo > sure_hi``). For a moment,
    ``lasting`` is false and the sure range is unused.
    """

    lo: int
    hi: int
    sure_lo: int
    sure_hi: int
    lasting: bool

    def overlap(self, a: int, b: int) -> Overlap:
        """Classify this extent against the inclusive window of day ordinals ``[a, b]``."""
        if self.lo > b or self.hi < a:
            return Overlap.NONE
        if a <= self.lo and self.hi <= b:
            return Overlap.CERTAIN
        if (
            self.lasting
            and self.sure_lo <= self.sure_hi
            and self.sure_lo <= b
            and self.sure_hi >= a
        ):
            return Overlap.CERTAIN
        return Overlap.POSSIBLE


class PartialDate:
    """A calendar date at year, month, day or time precision.

    Equality is on what was written (precision and fields). The natural order (``<``) sorts by
    first day, then last day, then precision, which is a total order for sorting only; use
    :meth:`certainly_before` for the "happened before" question.

    Examples:
        >>> PartialDate.parse("2024-10").certainly_before(PartialDate.parse("2024-11-01"))
        True
        >>> PartialDate.parse("2024").certainly_before(PartialDate.parse("2024-11-01"))
        False
    """

    __slots__ = ("_extent", "_text", "first", "last", "lo", "hi", "precision", "timestamp")

    first: date
    last: date
    lo: int
    hi: int
    precision: Precision
    timestamp: datetime | None

    def __init__(
        self,
        year: int,
        month: int | None = None,
        day: int | None = None,
        *,
        timestamp: datetime | None = None,
    ) -> None:
        if timestamp is not None:
            if timestamp.tzinfo is None:
                raise InvalidDateError(
                    "a timestamp needs a time zone, e.g. 2024-10-23T14:30:00+09:00"
                )
            self.first = self.last = timestamp.date()
            self.precision = "time"
            self._text = timestamp.isoformat()
        elif month is None:
            if day is not None:
                raise InvalidDateError("a day needs a month")
            self.first, self.last = _checked(year, 1, 1), _checked(year, 12, 31)
            self.precision = "year"
            self._text = f"{year:04d}"
        elif day is None:
            self.first = _checked(year, month, 1)
            self.last = date(year, month, calendar.monthrange(year, month)[1])
            self.precision = "month"
            self._text = f"{year:04d}-{month:02d}"
        else:
            self.first = self.last = _checked(year, month, day)
            self.precision = "day"
            self._text = f"{year:04d}-{month:02d}-{day:02d}"
        self.timestamp = timestamp
        self.lo = lo = self.first.toordinal()
        self.hi = hi = self.last.toordinal()
        # Made once: a knowledge base shares one PartialDate per distinct date among its items.
        self._extent = Extent(lo, hi, lo, hi, False)

    @classmethod
    def parse(cls, value: object) -> PartialDate:
        """Parse ``2024``, ``2024-10``, ``2024-10-23``, a zoned timestamp, or a date object.

        Raises:
            ValueError: With a message that says what is expected.
        """
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, datetime):
            return cls(value.year, timestamp=value)
        if isinstance(value, date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, int) and not isinstance(value, bool):
            if 1 <= value <= 9999:
                return cls(value)
            raise InvalidDateError(f"year {value} is out of range 1..9999")
        if not isinstance(value, str):
            raise InvalidDateError(
                f"expected a date such as 2024, 2024-10 or 2024-10-23, got {_type_name(value)}"
            )
        text = value.strip()
        match = _DATE_RE.fullmatch(text)
        if match:
            year, month, day = match.groups()
            return cls(int(year), _int_or_none(month), _int_or_none(day))
        if "T" in text:
            try:
                stamp = datetime.fromisoformat(text)
            except ValueError:
                pass
            else:
                return cls(stamp.year, timestamp=stamp)
        fixes = iso_suggestions(text)
        if len(fixes) == 1:
            raise InvalidDateError(f"{value!r} is not a date; write {fixes[0]} (year first)")
        if fixes:
            raise InvalidDateError(
                f"{value!r} is not a date; write {fixes[0]} if the day comes first, "
                f"{fixes[1]} if the month does (year first)"
            )
        raise InvalidDateError(
            f"{value!r} is not a date (expected YYYY, YYYY-MM, YYYY-MM-DD "
            "or YYYY-MM-DDTHH:MM:SS+HH:MM)"
        )

    @property
    def extent(self) -> Extent:
        """The extent of one moment somewhere within this date."""
        return self._extent

    def certainly_before(self, other: PartialDate) -> bool:
        """Whether every day of this date comes before every day of ``other``."""
        return self.hi < other.lo

    def overlaps(self, other: PartialDate) -> bool:
        """Whether the two dates share at least one day (inclusive at their precision)."""
        return self.lo <= other.hi and other.lo <= self.hi

    def _key(self) -> tuple[int, int, int, str]:
        return (self.lo, self.hi, _PRECISION_RANK[self.precision], self._text)

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"PartialDate({self._text!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PartialDate):
            return self._text == other._text
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._text)

    def __lt__(self, other: PartialDate) -> bool:
        return self._key() < other._key()

    def __le__(self, other: PartialDate) -> bool:
        return self._key() <= other._key()

    def __gt__(self, other: PartialDate) -> bool:
        return self._key() > other._key()

    def __ge__(self, other: PartialDate) -> bool:
        return self._key() >= other._key()

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            _validate,
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "anyOf": [
                {
                    "type": "string",
                    "pattern": r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
                    r"(Z|[+-]\d{2}:\d{2}))?)?)?$",
                },
                {"type": "integer", "minimum": 1, "maximum": 9999},
            ],
            "description": "A date at year, month or day precision, or a zoned timestamp.",
            "examples": ["2024", "2024-10", "2024-10-23", "2024-10-23T14:30:00+09:00"],
        }


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan", "janvier", "janv"),
            ("february", "feb", "février", "fevrier", "févr", "fevr"),
            ("march", "mar", "mars"),
            ("april", "apr", "avril", "avr"),
            ("may", "mai"),
            ("june", "jun", "juin"),
            ("july", "jul", "juillet", "juil"),
            ("august", "aug", "août", "aout"),
            ("september", "sep", "sept", "septembre"),
            ("october", "oct", "octobre"),
            ("november", "nov", "novembre"),
            ("december", "dec", "décembre", "decembre", "déc"),
        ),
        start=1,
    )
    for name in names
}
_SEP = r"\s*[/.\-]\s*"
_NUMERIC_DMY = re.compile(rf"(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{4}})")
_NUMERIC_YMD = re.compile(rf"(\d{{4}}){_SEP}(\d{{1,2}})(?:{_SEP}(\d{{1,2}}))?")
_NUMERIC_MY = re.compile(rf"(\d{{1,2}}){_SEP}(\d{{4}})")
_WORDY = re.compile(
    r"(?:(?P<d1>\d{1,2})(?:st|nd|rd|th|er)?\s+(?P<m1>[^\W\d_]+)\.?,?\s+(?P<y1>\d{4}))"
    r"|(?:(?P<m2>[^\W\d_]+)\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{4}))"
    r"|(?:(?P<m3>[^\W\d_]+)\.?,?\s+(?P<y3>\d{4}))"
)


def iso_suggestions(text: str) -> list[str]:
    """The dates ``text`` may mean, written the way graphkit reads them (year first).

    Day-first and month-first numeric dates are both offered when either could be meant (the
    day first, as most of the world writes them); month names in English or French are read.

    Examples:
        >>> iso_suggestions("27/02/2014"), iso_suggestions("02/27/2014")
        (['2014-02-27'], ['2014-02-27'])
        >>> iso_suggestions("03.04.2014"), iso_suggestions("2014-2-7")
        (['2014-04-03', '2014-03-04'], ['2014-02-07'])
        >>> iso_suggestions("23 October 2024"), iso_suggestions("Oct 2024"), iso_suggestions("soon")
        (['2024-10-23'], ['2024-10'], [])
    """
    text = text.strip()
    candidates: list[tuple[int, int | None, int | None]] = []
    if found := _NUMERIC_DMY.fullmatch(text):
        first, second, y4 = (int(g) for g in found.groups())
        candidates = [(y4, second, first), (y4, first, second)]
    elif found := _NUMERIC_YMD.fullmatch(text):
        y, m, d = found.groups()
        candidates = [(int(y), int(m), int(d) if d else None)]
    elif found := _NUMERIC_MY.fullmatch(text):
        candidates = [(int(found.group(2)), int(found.group(1)), None)]
    elif found := _WORDY.fullmatch(text):
        groups = {k: v for k, v in found.groupdict().items() if v is not None}
        named = _MONTHS.get((groups.get("m1") or groups.get("m2") or groups["m3"]).casefold())
        d = groups.get("d1") or groups.get("d2")
        y = groups.get("y1") or groups.get("y2") or groups["y3"]
        if named is not None:
            candidates = [(int(y), named, int(d) if d else None)]
    written: list[str] = []
    for year, month, day in candidates:
        try:
            fixed = str(PartialDate(year, month, day))
        except InvalidDateError:
            continue
        if fixed not in written and fixed != text:
            written.append(fixed)
    return written


def _validate(value: object) -> PartialDate:
    """The model's validator: :meth:`PartialDate.parse`, with text parsed once per distinct value.

    A knowledge base repeats the same few thousand dates; a PartialDate is immutable, so one
    parse serves them all (a failed parse raises each time: errors are not cached).
    """
    if type(value) is str or type(value) is int:
        return _parse_cached(value)
    return PartialDate.parse(value)


@lru_cache(maxsize=65536)
def _parse_cached(value: str | int) -> PartialDate:
    return PartialDate.parse(value)


def _checked(year: int, month: int, day: int) -> date:
    if not 1 <= year <= 9999:
        raise InvalidDateError(f"year {year} is out of range 1..9999")
    if not 1 <= month <= 12:
        raise InvalidDateError(f"month {month:02d} is not a month (01..12)")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise InvalidDateError(f"{year:04d}-{month:02d} has no day {day:02d} (it has {last} days)")
    return date(year, month, day)


def _int_or_none(text: str | None) -> int | None:
    return None if text is None else int(text)


def _type_name(value: object) -> str:
    return {bool: "a boolean", float: "a number", list: "a list", dict: "a mapping"}.get(
        type(value), type(value).__name__
    )


class _DateModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bounds(_DateModel):
    """One moment at an unknown time between ``earliest`` and ``latest`` (both inclusive)."""

    earliest: PartialDate
    latest: PartialDate

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.latest.hi < self.earliest.lo:
            raise InvalidDateError(f"latest {self.latest} is before earliest {self.earliest}")
        return self

    @property
    def extent(self) -> Extent:
        """The extent of the moment: from the first day of earliest to the last day of latest."""
        return Extent(self.earliest.lo, self.latest.hi, self.earliest.lo, self.latest.hi, False)

    def __str__(self) -> str:
        return f"between {self.earliest} and {self.latest}"


class Span(_DateModel):
    """Something that lasted from ``start`` to ``end`` (no end: ongoing or unknown)."""

    start: PartialDate
    end: PartialDate | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end is not None and self.end.hi < self.start.lo:
            raise InvalidDateError(f"end {self.end} is before start {self.start}")
        return self

    @property
    def extent(self) -> Extent:
        """Possible days ``[start.first, end.last]``; sure days ``[start.last, end.first]``."""
        if self.end is None:
            return Extent(self.start.lo, DAY_MAX, self.start.hi, DAY_MAX, True)
        return Extent(self.start.lo, self.end.hi, self.start.hi, self.end.lo, True)

    def __str__(self) -> str:
        return f"{self.start} to {self.end if self.end is not None else 'ongoing'}"


def _when_tag(value: Any) -> str:
    kind = type(value)
    if kind is str or kind is int:  # nearly every date: no isinstance walk
        return "date"
    if isinstance(value, dict):
        if "start" in value or "end" in value:
            return "span"
        return "bounds"
    if isinstance(value, Span):
        return "span"
    if isinstance(value, Bounds):
        return "bounds"
    return "date"


#: An event's date: a partial date, bounds of an uncertain moment, or a duration.
When = Annotated[
    Annotated[PartialDate, Tag("date")]
    | Annotated[Bounds, Tag("bounds")]
    | Annotated[Span, Tag("span")],
    Discriminator(_when_tag),
]


def window(start: object, end: object | None = None) -> tuple[int, int]:
    """Return the inclusive day-ordinal window from ``start`` to ``end`` (default: ``start``).

    Each end keeps its precision: ``window("2024-10")`` is all of October.

    Examples:
        >>> a, b = window("2024-10")
        >>> date.fromordinal(a), date.fromordinal(b)
        (datetime.date(2024, 10, 1), datetime.date(2024, 10, 31))
    """
    first = PartialDate.parse(start)
    last = first if end is None else PartialDate.parse(end)
    if last.hi < first.lo:
        raise InvalidDateError(f"window end {last} is before its start {first}")
    return first.lo, last.hi
