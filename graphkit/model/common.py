"""Building blocks shared by every model: ids, text, grades and source references."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_serializer,
)

from graphkit._controls import ID_FORBIDDEN

__all__ = [
    "CONTROL_CHARS_PATTERN",
    "SharedFieldsSet",
    "ID_PATTERN",
    "Credibility",
    "Id",
    "Line",
    "Model",
    "Provenance",
    "Reliability",
    "SourceRef",
    "SourceRefs",
    "TAG_PATTERN",
    "Text",
    "sharing_source_refs",
]

#: Text may hold newlines and tabs, but no other C0 control characters. (C1 controls and
#: bidirectional overrides are kept as written and shown as visible codes on output.)
CONTROL_CHARS_PATTERN = r"^[^\x00-\x08\x0b-\x1f\x7f]*$"
#: A one-line string: no control characters at all.
LINE_PATTERN = r"^[^\x00-\x1f\x7f]*$"
#: Ids: non-empty, one line, no leading or trailing whitespace, and none of the characters a
#: reader cannot see but a terminal or browser obeys (C0, DEL, C1, bidi controls, line and
#: paragraph separators: :data:`graphkit._controls.ID_FORBIDDEN`).
ID_PATTERN = rf"^[^\s{ID_FORBIDDEN}](?:[^{ID_FORBIDDEN}]*[^\s{ID_FORBIDDEN}])?$"
#: Tags: one word of the characters allowed in ids.
TAG_PATTERN = rf"^[^\s{ID_FORBIDDEN}]+$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Line = Annotated[str, StringConstraints(pattern=LINE_PATTERN, min_length=1)]
Text = Annotated[str, StringConstraints(pattern=CONTROL_CHARS_PATTERN, min_length=1)]

#: NATO/Admiralty source reliability: A completely reliable, B usually reliable, C fairly
#: reliable, D not usually reliable, E unreliable, F reliability cannot be judged.
Reliability = Literal["A", "B", "C", "D", "E", "F"]

#: Admiralty information credibility: 1 confirmed by other sources, 2 probably true,
#: 3 possibly true, 4 doubtful, 5 improbable, 6 truth cannot be judged.
Credibility = Annotated[int, Field(ge=1, le=6)]


class SharedFieldsSet(set[str]):
    """A ``model_fields_set`` shared by models with the same fields set (copied on write).

    pydantic gives every model instance its own set of the fields that were set, a third of the
    memory of a loaded knowledge base (some 1,500 bytes per event);
    :func:`graphkit.io.validate.share_fields_sets` makes the models of a load share one set per
    distinct set of fields. :meth:`Model.__setattr__` gives a model its own copy before an
    assignment adds to it, so ``model_fields_set`` answers as it would without sharing.
    """


class Model(BaseModel):
    """Base of every graphkit model: unknown keys are errors and types are not coerced."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        populate_by_name=True,
        serialize_by_alias=True,
        validate_by_alias=True,
        validate_by_name=True,
        allow_inf_nan=False,
    )

    def __setattr__(self, name: str, value: Any) -> None:
        """Assign as pydantic does, on a fields set of this model's own (see SharedFieldsSet)."""
        if type(self.__pydantic_fields_set__) is SharedFieldsSet:
            object.__setattr__(self, "__pydantic_fields_set__", set(self.__pydantic_fields_set__))
        super().__setattr__(name, value)


def _ref_from_str(value: Any) -> Any:
    """A bare source id as ``{source: ID}``; a valid one, during a load, as its shared model.

    Most references are bare ids, each written thousands of times: within
    :func:`sharing_source_refs` (a load) each distinct id is validated once and every item that
    cites it shares its (immutable) :class:`SourceRef`, instead of one model per reference (a
    fifth of the nested models of a knowledge base, 0.4 KB each). An invalid id goes on as the
    mapping, so pydantic reports it exactly as it would without the sharing.
    """
    if type(value) is str:  # nearly every reference: one dict lookup
        shared = _SHARED_REFS.get()
        if shared is None:
            return {"source": value}
        ref = shared.get(value)
        if ref is not None:
            return ref
        try:
            ref = SourceRef.model_validate({"source": value})
        except ValidationError:
            return {"source": value}
        shared[value] = ref
        return ref
    return {"source": value} if isinstance(value, str) else value


@contextmanager
def sharing_source_refs() -> Iterator[None]:
    """Within this block, bare source ids that are valid share one :class:`SourceRef` per id.

    The models live as long as the block (one load), not in a cache of the process; a block
    inside another uses the outer one's. Each thread and task has its own (a context variable).
    """
    if _SHARED_REFS.get() is not None:
        yield
        return
    token = _SHARED_REFS.set({})
    try:
        yield
    finally:
        _SHARED_REFS.reset(token)


class SourceRef(Model):
    """A pointer to a source, optionally naming who made the claim, where, and in which words.

    Written as a bare source id, or as ``{source: ID, according_to: ACTOR, note: ...}`` when the
    outlet reports another party's claim ("according to South Korean intelligence").
    ``excerpt`` holds the words of the source that support the claim, verbatim; when the source
    keeps a local ``copy``, ``graphkit lint`` checks that they occur in it (see
    :mod:`graphkit.excerpts`).
    """

    source: Id
    according_to: Id | None = None
    note: Text | None = None
    excerpt: Text | None = None

    # Frozen: the models of bare source ids are shared by every item that cites them.
    model_config = ConfigDict(**Model.model_config, frozen=True)

    @model_serializer(mode="wrap")
    def _compact(self, handler: Any) -> Any:
        if self.according_to is None and self.note is None and self.excerpt is None:
            return self.source
        return handler(self)


class Provenance(Model):
    """Where a machine-coded fact came from: a dataset and its record id.

    Imported facts (GDELT, ACLED, STIX) carry this and are never merged silently with curated
    facts; ``graphkit promote`` marks a record ``reviewed`` when an analyst takes it into a
    curated file. ``fields`` keeps selected raw values of the record (a CAMEO code, a Goldstein
    score) as they were in the dataset.
    """

    dataset: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_.-]*$")]
    record: Line
    machine_coded: bool = True
    reviewed: bool = False
    fields: dict[str, str | int | float | bool | None] = Field(default_factory=dict)


#: The shared reference of each valid bare source id of the current load (see
#: :func:`sharing_source_refs`); ``None`` outside a load.
_SHARED_REFS: ContextVar[dict[str, SourceRef] | None] = ContextVar(
    "graphkit_shared_source_refs", default=None
)

SourceRefs = list[
    Annotated[SourceRef, BeforeValidator(_ref_from_str, json_schema_input_type=str | SourceRef)]
]
