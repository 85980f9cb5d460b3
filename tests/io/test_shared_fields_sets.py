"""A large load shares fields sets between items; model_fields_set still answers per model."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_items_share_fields_sets_and_assignment_copies_first() -> None:
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import generate
    from graphkit.io.validate import validate_document
    from graphkit.model.common import SharedFieldsSet

    data = generate(5000, 3)  # more than one chunk of 4,096 items per section
    written = {e["id"]: set(e) for e in data["events"]}
    document = validate_document(data)
    events = document.events
    assert all(type(e.model_fields_set) is SharedFieldsSet for e in events)
    assert len({id(e.model_fields_set) for e in events}) < len(events) / 20
    for event in events:  # what pydantic would say without sharing
        assert event.model_fields_set == written[event.id]
    first, second = [e for e in events if e.model_fields_set is events[0].model_fields_set][:2]
    assert "notes" not in first.model_fields_set
    first.notes = "checked again"
    assert "notes" in first.model_fields_set
    assert "notes" not in second.model_fields_set  # the shared set was not touched
    copy = second.model_copy(update={"notes": "x"})
    assert "notes" in copy.model_fields_set and "notes" not in second.model_fields_set
