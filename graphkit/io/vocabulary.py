"""The shipped vocabularies: event types (with published scale values) and relation types."""

from __future__ import annotations

from functools import cache
from importlib import resources

from pydantic import TypeAdapter

from graphkit.io.yaml import parse_yaml
from graphkit.model.vocab import EventType, RelationType, Vocabulary

__all__ = ["default_vocabulary"]


@cache
def default_vocabulary() -> Vocabulary:
    """Return the event and relation types shipped in ``graphkit/data/`` (read once).

    Examples:
        >>> vocabulary = default_vocabulary()
        >>> vocabulary.relation_types["at_war_with"].symmetric
        True
    """
    data = resources.files("graphkit") / "data"
    events = parse_yaml((data / "event_types.yaml").read_text(encoding="utf-8")).data
    relations = parse_yaml((data / "relation_types.yaml").read_text(encoding="utf-8")).data
    assert isinstance(events, dict) and isinstance(relations, dict)
    return Vocabulary(
        TypeAdapter(list[EventType]).validate_python(events["event_types"]),
        TypeAdapter(list[RelationType]).validate_python(relations["relation_types"]),
    )
