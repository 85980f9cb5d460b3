r"""Check RDF against the shipped SHACL shapes (``graphkit/rdf/shapes.ttl``) with pyshacl.

Examples:
    >>> import graphkit as gk
    >>> from graphkit.rdf.export import to_rdf
    >>> kb = gk.loads('''
    ... format_version: 1
    ... sources: [{id: s, title: T, reliability: B}]
    ... ''')
    >>> validate_graph(to_rdf(kb))
    []
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from graphkit.rdf.export import RdfError
from graphkit.rdf.namespace import PREFIXES

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "INFERENCE",
    "Inference",
    "Violation",
    "load_graph",
    "ontology_graph",
    "shapes_graph",
    "validate_file",
    "validate_graph",
]

#: ``inference`` values: none, or RDFS entailment over SEM and graphkit's ontology.
INFERENCE = ("none", "rdfs")
Inference = Literal["none", "rdfs"]


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL result: the focus node, the property path, the message and the offending value.

    ``str(violation)`` reads ``kb:event/e1 sem:hasTime: an event needs ... (value: ...)``.
    """

    focus: str
    path: str | None
    message: str
    value: str | None = None
    severity: str = "Violation"

    def __str__(self) -> str:
        where = self.focus if self.path is None else f"{self.focus} {self.path}"
        text = f"{where}: {self.message}"
        return f"{text} (value: {self.value})" if self.value is not None else text

    def to_dict(self) -> dict[str, str | None]:
        """Return the violation as a JSON-ready mapping."""
        return {
            "focus": self.focus,
            "path": self.path,
            "message": self.message,
            "value": self.value,
            "severity": self.severity,
        }


@cache
def _shapes_text() -> str:
    return (resources.files("graphkit.rdf") / "shapes.ttl").read_text(encoding="utf-8")


def shapes_graph() -> Graph:
    """Return a fresh rdflib graph of the shipped shapes."""
    from rdflib import Graph

    return Graph().parse(data=_shapes_text(), format="turtle")


@cache
def _ontology_texts() -> tuple[str, str]:
    package = resources.files("graphkit.rdf")
    return (
        (package / "ontologies" / "sem.rdf").read_text(encoding="utf-8"),
        (package / "graphkit.ttl").read_text(encoding="utf-8"),
    )


def ontology_graph() -> Graph:
    """Return the ontologies RDFS inference runs over: SEM (vendored) and ``graphkit.ttl``."""
    from rdflib import Graph

    sem, own = _ontology_texts()
    graph = Graph()
    graph.parse(data=sem, format="xml")
    graph.parse(data=own, format="turtle")
    return graph


def load_graph(path: str | os.PathLike[str]) -> Graph:
    """Parse an RDF file (format from its suffix) into an rdflib graph, named graphs merged.

    Raises:
        RdfError: If the file cannot be parsed.
    """
    from rdflib import Graph, URIRef

    from graphkit.rdf.export import _to_node
    from graphkit.rdf.read import read_triples

    graph = Graph()
    cache: dict[str, object] = {}
    for s, p, o in read_triples(Path(path)):
        graph.add((URIRef(s), URIRef(p), _to_node(o, cache)))  # type: ignore[arg-type]
    return graph


def _short(node: object, prefixes: dict[str, str]) -> str:
    from rdflib import BNode, Literal, URIRef
    from rdflib.paths import Path as RdfPath

    if isinstance(node, URIRef):
        text = str(node)
        if text == prefixes.get("kb"):
            return "kb:"
        for prefix, namespace in sorted(prefixes.items(), key=lambda kv: -len(kv[1])):
            if text.startswith(namespace) and len(text) > len(namespace):
                return f"{prefix}:{text[len(namespace) :]}"
        return f"<{text}>"
    if isinstance(node, Literal):
        return json.dumps(str(node), ensure_ascii=False)
    if isinstance(node, (BNode, RdfPath)):
        return str(node)
    return str(node)


def _order(violation: Violation) -> tuple[str, str, str, str, str]:
    return (
        violation.focus,
        violation.path or "",
        violation.message,
        violation.value or "",
        violation.severity,
    )


def validate_graph(
    graph: Graph, *, base: str | None = None, inference: Inference = "none"
) -> list[Violation]:
    """Return the SHACL results of ``graph`` (empty when it conforms), sorted.

    Results have a ``severity``: ``Violation`` (broken data) or ``Warning`` (allowed but
    worth a look, such as a fact without a source). IRIs in the results are shortened with the
    export prefixes (``kb:`` for ``base``). ``inference="rdfs"`` first adds what RDFS entails
    from the data with the SEM ontology and ``graphkit.ttl`` (the graph itself is not changed).

    Raises:
        ValueError: For an unknown ``inference``.
    """
    if inference not in INFERENCE:
        raise ValueError(f"unknown inference {inference!r} (expected {', '.join(INFERENCE)})")
    import pyshacl
    from rdflib import Graph, URIRef
    from rdflib.namespace import SH

    from graphkit.rdf.iri import DEFAULT_BASE

    conforms, results, _ = pyshacl.validate(
        graph,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph() if inference == "rdfs" else None,
        inference=inference,
        advanced=False,
        inplace=False,
    )
    if conforms:
        return []
    assert isinstance(results, Graph)
    prefixes = {"kb": base or DEFAULT_BASE, **PREFIXES}
    violations: list[Violation] = []
    for result in results.subjects(URIRef(str(SH.resultSeverity)), None):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        value = results.value(result, SH.value)
        severity = results.value(result, SH.resultSeverity)
        violations.append(
            Violation(
                focus=_short(focus, prefixes),
                path=None if path is None else _short(path, prefixes),
                message=str(message) if message is not None else "does not conform",
                value=None if value is None else _short(value, prefixes),
                severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            )
        )
    # Two results can differ only in a value that one of them lacks: order them without
    # comparing None with text.
    return sorted(set(violations), key=_order)


def validate_file(
    path: str | os.PathLike[str], *, base: str | None = None, inference: Inference = "none"
) -> list[Violation]:
    """Validate an RDF file against the shapes (see :func:`validate_graph`).

    Raises:
        RdfError: If the file cannot be parsed.
    """
    if not Path(path).is_file():
        raise RdfError(f"{path}: no such file")
    return validate_graph(load_graph(path), base=base, inference=inference)
