"""Validate plain data into a :class:`~graphkit.model.Document`, leaner on large files.

The item sections are validated a chunk at a time, each chunk of plain dicts replaced in
place by its models, so the dicts of a chunk are freed before the next one is built and their
memory is reused: holding all the plain data and all the models at once would add a third to the
peak memory of a large load. The document is validated last, around the models (pydantic passes
model instances through), so the result is the one ``Document.model_validate`` gives.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from graphkit.model.actor import Actor
from graphkit.model.document import Document
from graphkit.model.event import Event
from graphkit.model.relation import Relation
from graphkit.model.source import Source

__all__ = ["validate_document"]


def validate_document(data: dict[str, Any]) -> Document:
    """Validate ``data`` (which may be modified in place) into a Document.

    Raises:
        pydantic.ValidationError: Exactly as ``Document.model_validate(data)`` would.
    """
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
