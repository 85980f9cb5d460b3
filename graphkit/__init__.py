"""graphkit: typed, temporal knowledge graphs of geopolitical events from curated YAML.

>>> import graphkit as gk
>>> kb = gk.load("data/events.yaml")        # doctest: +SKIP
>>> kb.actor("north korea").id              # doctest: +SKIP
'PRK'

Heavy modules (networkx graph building, rdflib, plotly) load only when used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphkit._version import __version__
from graphkit.errors import (
    Diagnostic,
    GraphkitError,
    GraphkitWarning,
    InvalidDateError,
    LoadError,
    NoPathError,
    UnknownActorError,
    UnknownIdError,
)
from graphkit.kb import KnowledgeBase, load, loads
from graphkit.model import (
    Actor,
    AlternativeDate,
    Bounds,
    Document,
    Event,
    EventType,
    Location,
    PartialDate,
    Participant,
    Quantity,
    Quote,
    Relation,
    RelationType,
    Source,
    SourceRef,
    Span,
)

__all__ = [
    "Actor",
    "AlternativeDate",
    "Bounds",
    "Diagnostic",
    "Document",
    "Event",
    "EventType",
    "GraphkitError",
    "GraphkitWarning",
    "InvalidDateError",
    "KnowledgeBase",
    "LoadError",
    "Location",
    "NoPathError",
    "PartialDate",
    "Participant",
    "Quantity",
    "Quote",
    "Relation",
    "RelationType",
    "Source",
    "SourceRef",
    "Span",
    "UnknownActorError",
    "UnknownIdError",
    "__version__",
    "load",
    "loads",
]

if TYPE_CHECKING:  # pragma: no cover
    pass


def __getattr__(name: str) -> Any:  # pragma: no cover - filled in as lazy modules land
    raise AttributeError(f"module 'graphkit' has no attribute {name!r}")
