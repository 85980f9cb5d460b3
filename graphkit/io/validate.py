"""Validate plain data into a :class:`~graphkit.model.Document`, faster on large files.

The model parses every date with :meth:`PartialDate.parse` (a Python call, a ``calendar`` lookup
and two ordinals per date). A knowledge base repeats the same few thousand dates, so
:func:`validate_document` first replaces each date string that parses with the (immutable)
:class:`PartialDate` of a cached parse, which the model's validator returns as it is. Strings that
do not parse are left alone for the model to report, so errors are unchanged.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from graphkit.model.dates import PartialDate
from graphkit.model.document import Document

__all__ = ["prepare_dates", "validate_document"]

# Fields holding one PartialDate, per section; events' ``date`` may also be bounds or a span.
_ITEM_DATES = {
    "sources": ("published", "accessed"),
    "relations": ("start", "end"),
}
_WHEN_KEYS = ("earliest", "latest", "start", "end")
_QUANTITY_DATES = ("by", "as_of")


def validate_document(data: dict[str, Any]) -> Document:
    """Validate ``data`` (which may be modified in place) into a Document.

    Raises:
        pydantic.ValidationError: Exactly as ``Document.model_validate(data)`` would.
    """
    prepare_dates(data)
    return Document.model_validate(data)


@lru_cache(maxsize=65536)
def _parsed(value: str | int) -> PartialDate | None:
    try:
        return PartialDate.parse(value)
    except ValueError:
        return None


def _date(value: object) -> object:
    if (type(value) is str or type(value) is int) and value is not None:
        parsed = _parsed(value)
        if parsed is not None:
            return parsed
    return value


def _when(value: object) -> object:
    if type(value) is dict:
        for key in _WHEN_KEYS:
            if key in value:
                value[key] = _date(value[key])
        return value
    return _date(value)


def prepare_dates(data: dict[str, Any]) -> None:
    """Replace parseable date strings at the model's date fields by cached PartialDates."""
    for section, fields in _ITEM_DATES.items():
        items = data.get(section)
        if type(items) is not list:
            continue
        for item in items:
            if type(item) is dict:
                for key in fields:
                    if key in item:
                        item[key] = _date(item[key])
    events = data.get("events")
    if type(events) is not list:
        return
    for event in events:
        if type(event) is not dict:
            continue
        if "date" in event:
            event["date"] = _when(event["date"])
        for alternative in _dicts(event.get("alternative_dates")):
            if "date" in alternative:
                alternative["date"] = _when(alternative["date"])
        for quantity in _dicts(event.get("quantities")):
            for key in _QUANTITY_DATES:
                if key in quantity:
                    quantity[key] = _date(quantity[key])


def _dicts(value: object) -> list[dict[str, Any]]:
    if type(value) is not list:
        return []
    return [item for item in value if type(item) is dict]
