"""Validate plain data into a :class:`~graphkit.model.Document`, faster and leaner on large files.

The model parses every date with :meth:`PartialDate.parse` (a Python call, a ``calendar`` lookup
and two ordinals per date). A knowledge base repeats the same few thousand dates, so
:func:`validate_document` first replaces each date string that parses with the (immutable)
:class:`PartialDate` of a cached parse, which the model's validator returns as it is. Strings that
do not parse are left alone for the model to report, so errors are unchanged.

The item sections are then validated a chunk at a time, each chunk of plain dicts replaced in
place by its models, so the dicts of a chunk are freed before the next one is built and their
memory is reused: holding all the plain data and all the models at once would add a third to the
peak memory of a large load. The document is validated last, around the models (pydantic passes
model instances through), so the result is the one ``Document.model_validate`` gives.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import TypeAdapter

from graphkit.model.actor import Actor
from graphkit.model.dates import PartialDate
from graphkit.model.document import Document
from graphkit.model.event import Event
from graphkit.model.relation import Relation
from graphkit.model.source import Source

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
    for section, model in _ITEM_MODELS.items():
        items = data.get(section)
        if type(items) is list and len(items) > _CHUNK:
            _validate_in_place(items, model)
    return Document.model_validate(data)


#: Items validated per chunk: large enough that the per-call cost vanishes, small enough that
#: a chunk's dicts are a sliver of the whole.
_CHUNK = 4096
_ITEM_MODELS: dict[str, type[Any]] = {
    "sources": Source,
    "actors": Actor,
    "relations": Relation,
    "events": Event,
}


_ADAPTERS: dict[type[Any], TypeAdapter[list[Any]]] = {}


def _list_adapter(model: type[Any]) -> TypeAdapter[list[Any]]:
    adapter = _ADAPTERS.get(model)
    if adapter is None:
        adapter = _ADAPTERS[model] = TypeAdapter(list[model])  # type: ignore[valid-type]
    return adapter


def _validate_in_place(items: list[Any], model: type[Any]) -> None:
    """Replace the dicts of ``items`` by validated models, a chunk at a time.

    Raises:
        pydantic.ValidationError: On the first invalid chunk (its locations are chunk-relative:
            callers that report errors validate the whole document instead).
    """
    adapter = _list_adapter(model)
    for start in range(0, len(items), _CHUNK):
        items[start : start + _CHUNK] = adapter.validate_python(items[start : start + _CHUNK])


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
