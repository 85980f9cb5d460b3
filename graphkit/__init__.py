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
    "KnowledgeBaseView",
    "Path",
    "conflicts",
    "diff",
    "ego_network",
    "escalation_index",
    "escalations",
    "most_central",
    "neighbours",
    "paths",
    "DEFAULT_BASE",
    "EndpointError",
    "RdfError",
    "from_rdf",
    "load_endpoint",
    "push",
    "to_rdf",
    "lint",
    "event_map",
    "network",
    "report",
    "timeline",
    "write_html",
    "write_image",
    "ImporterError",
    "import_acled",
    "import_gdelt",
    "import_stix",
    "merge",
    "promote",
    "to_stix",
]

# Names resolved on first use, so ``import graphkit`` stays fast (networkx, rdflib and plotly
# load only when a query, an export or a figure needs them), as pydantic does.
_LAZY = {
    "KnowledgeBaseView": "graphkit.kb",
    "paths": "graphkit.query.paths",
    "Path": "graphkit.query.paths",
    "escalations": "graphkit.query.escalation",
    "escalation_index": "graphkit.query.escalation",
    "conflicts": "graphkit.query.escalation",
    "neighbours": "graphkit.query.neighbours",
    "ego_network": "graphkit.query.neighbours",
    "most_central": "graphkit.query.neighbours",
    "diff": "graphkit.query.diff",
    "to_rdf": "graphkit.rdf",
    "from_rdf": "graphkit.rdf",
    "load_endpoint": "graphkit.rdf",
    "push": "graphkit.rdf",
    "EndpointError": "graphkit.rdf",
    "RdfError": "graphkit.rdf",
    "DEFAULT_BASE": "graphkit.rdf",
    "lint": "graphkit.lint",
    "timeline": "graphkit.render",
    "network": "graphkit.render",
    "event_map": "graphkit.render",
    "report": "graphkit.render",
    "write_html": "graphkit.render",
    "write_image": "graphkit.render",
    "import_gdelt": "graphkit.importers",
    "import_acled": "graphkit.importers",
    "import_stix": "graphkit.importers",
    "to_stix": "graphkit.importers",
    "merge": "graphkit.importers",
    "promote": "graphkit.importers",
    "ImporterError": "graphkit.importers",
}

if TYPE_CHECKING:  # pragma: no cover
    from graphkit.importers import (
        ImporterError,
        import_acled,
        import_gdelt,
        import_stix,
        merge,
        promote,
        to_stix,
    )
    from graphkit.kb import KnowledgeBaseView
    from graphkit.lint import lint
    from graphkit.query.diff import diff
    from graphkit.query.escalation import conflicts, escalation_index, escalations
    from graphkit.query.neighbours import ego_network, most_central, neighbours
    from graphkit.query.paths import Path, paths
    from graphkit.rdf import (
        DEFAULT_BASE,
        EndpointError,
        RdfError,
        from_rdf,
        load_endpoint,
        push,
        to_rdf,
    )
    from graphkit.render import event_map, network, report, timeline, write_html, write_image


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'graphkit' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
