"""Bare source ids share one validated SourceRef; what a load gives and reports is unchanged."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

import graphkit as gk
from graphkit.errors import LoadError
from graphkit.model import Document
from graphkit.model.common import SourceRef

_KB = """\
format_version: 1
sources:
  - {id: s1, title: One, reliability: B}
  - {id: s2, title: Two, reliability: C}
actors:
  - {id: A, name: A, kind: state, sources: [s1]}
  - {id: B, name: B, kind: state}
relations:
  - {id: r, type: supports, from: A, to: B, sources: [s1, {source: s2, according_to: B}]}
events:
  - {id: e1, type: statement, date: 2024, actor: A, sources: [s1, s2]}
  - {id: e2, type: statement, date: 2024, actor: B, sources: [s2, {source: s1, note: n}],
     quantities: [{value: 3, sources: [s1]}]}
"""


def test_bare_ids_share_one_model_equal_to_an_unshared_one() -> None:
    kb = gk.loads(_KB)
    refs = [
        *kb.document.actors[0].sources,
        *kb.document.relations[0].sources,
        *(ref for event in kb.document.events for ref in event.sources),
        *kb.document.events[1].quantities[0].sources,
    ]
    bare_s1 = [ref for ref in refs if ref == SourceRef(source="s1")]
    assert len(bare_s1) == 4 and len({id(ref) for ref in bare_s1}) == 1
    assert bare_s1[0].model_fields_set == {"source"}
    # the references written as mappings are models of their own, as before
    assert kb.document.relations[0].sources[1] == SourceRef(source="s2", according_to="B")
    assert kb.document.events[1].sources[1].note == "n"
    dumped = Document.model_validate(kb.document.model_dump(by_alias=True))
    assert dumped.same_facts(kb.document)


def test_a_shared_reference_cannot_be_changed() -> None:
    kb = gk.loads(_KB)
    ref = kb.document.events[0].sources[0]
    with pytest.raises(ValidationError, match="frozen"):
        ref.note = "changed for one event only?"
    assert kb.document.actors[0].sources[0].note is None


@pytest.mark.parametrize("bad", ["s1 ", "", "a\u202eb"])
def test_an_invalid_bare_id_is_reported_as_before(bad: str) -> None:
    """A bad id is never cached: each citation is reported where it is written."""
    written = json.dumps(bad)  # a YAML double-quoted scalar
    text = _KB.replace("sources: [s1, s2]}", f"sources: [s1, {written}]}}").replace(
        "quantities: [{value: 3, sources: [s1]}]",
        f"quantities: [{{value: 3, sources: [{written}]}}]",
    )
    with pytest.raises(LoadError) as raised:
        gk.loads(text)
    found = [(d.line, d.column, d.code, d.message) for d in raised.value.diagnostics]
    assert found == [  # as before the sharing (compared with main's loader)
        (11, 67, "bad-value", f"event 'e1': sources[1].source {bad!r} is not a valid id"),
        (
            13,
            40,
            "bad-value",
            f"event 'e2': quantities[0].sources[0].source {bad!r} is not a valid id",
        ),
    ]


def test_sharing_is_scoped_to_one_load() -> None:
    """Nothing is cached in the process: each load shares its own models, and frees them."""
    from graphkit.model import common

    first, second = gk.loads(_KB), gk.loads(_KB)
    assert common._SHARED_REFS.get() is None
    ref_1 = first.document.events[0].sources[0]
    ref_2 = second.document.events[0].sources[0]
    assert ref_1 == ref_2 and ref_1 is not ref_2
    assert first.document.actors[0].sources[0] is ref_1  # shared within its load


def test_outside_a_load_each_reference_is_a_model_of_its_own() -> None:
    doc = Document.model_validate(
        {
            "format_version": 1,
            "sources": [{"id": "s1", "title": "One", "reliability": "B"}],
            "actors": [
                {"id": "A", "name": "A", "kind": "state", "sources": ["s1"]},
                {"id": "B", "name": "B", "kind": "state", "sources": ["s1"]},
            ],
        }
    )
    a, b = (actor.sources[0] for actor in doc.actors)
    assert a == b == SourceRef(source="s1") and a is not b


def test_a_scope_inside_another_uses_the_outer_one() -> None:
    from graphkit.model.common import _SHARED_REFS, sharing_source_refs

    with sharing_source_refs():
        outer = _SHARED_REFS.get()
        with sharing_source_refs():
            assert _SHARED_REFS.get() is outer
        assert _SHARED_REFS.get() is outer
    assert _SHARED_REFS.get() is None
