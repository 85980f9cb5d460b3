"""Write a knowledge base as RDF: an rdflib graph, or streamed N-Triples / Turtle text.

The streaming writers format the triples of :func:`graphkit.rdf._triples.item_triples` directly
as text, without building an rdflib graph (many times faster); :func:`to_rdf` builds the graph
from the same triples, so both hold exactly the same statements.

Examples:
    >>> import graphkit as gk
    >>> kb = gk.loads('''
    ... format_version: 1
    ... actors: [{id: "KOR NIS", name: "National Intelligence Service", kind: agency}]
    ... ''')
    >>> graph = to_rdf(kb)
    >>> len(graph) > 0
    True
    >>> print([line for line in ntriples_lines(kb) if "schema.org/name" in line][0][:56])
    <https://graphkit.example.org/kb/actor/KOR%20NIS> <https
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack
from typing import TYPE_CHECKING, TextIO

from graphkit._fs import atomic_open
from graphkit.errors import GraphkitError
from graphkit.kb import KnowledgeBase
from graphkit.rdf._triples import Obj, Triple, item_triples
from graphkit.rdf.iri import Minter, check_iri, effective_base
from graphkit.rdf.namespace import PREFIXES, RDF

RDF_TYPE = RDF.type

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node, URIRef

__all__ = [
    "RDF_FORMATS",
    "STREAMED_FORMATS",
    "RdfError",
    "iter_triples",
    "ntriples_lines",
    "serialize",
    "to_rdf",
    "write_jsonld",
    "write_ntriples",
    "write_rdf_files",
    "write_trig",
    "write_turtle",
]

#: Export format name -> (rdflib format name, file suffix).
RDF_FORMATS: dict[str, tuple[str, str]] = {
    "turtle": ("turtle", ".ttl"),
    "nt": ("nt", ".nt"),
    "json-ld": ("json-ld", ".jsonld"),
    "trig": ("trig", ".trig"),
    "xml": ("xml", ".rdf"),
}


class RdfError(GraphkitError, ValueError):
    """RDF that cannot be written or read back as a knowledge base (says where and what)."""


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _literal(lexical: str, datatype: str | None) -> str:
    """A literal's lexical form quoted, with its language tag; no datatype (callers add it)."""
    if "\\" in lexical or '"' in lexical or "\n" in lexical or "\r" in lexical:
        lexical = lexical.translate(_ESCAPES)  # rare: four scans in C beat a translate
    if datatype is not None and datatype[0] == "@":
        return f'"{lexical}"{datatype}'
    return f'"{lexical}"'


def _nt_object(obj: Obj) -> str:
    if isinstance(obj, str):
        return f"<{obj}>"
    lexical, datatype = obj
    text = _literal(lexical, datatype)
    if datatype is None or datatype[0] == "@":
        return text
    return f"{text}^^<{datatype}>"


def iter_triples(kb: KnowledgeBase, *, base: str | None = None) -> Iterator[list[Triple]]:
    """Yield the triples of ``kb`` as plain strings, one list per item (see ``_triples``).

    ``base`` defaults to the knowledge base's ``base:``, else :data:`DEFAULT_BASE` (as in every
    writer here).
    """
    return item_triples(kb, Minter(effective_base(base, kb.document.base)))


def ntriples_lines(kb: KnowledgeBase, *, base: str | None = None) -> Iterator[str]:
    """Yield the N-Triples lines of ``kb`` (without newline), in a deterministic order."""
    cache: dict[str, str] = {}
    for chunk in iter_triples(kb, base=base):
        yield from _nt_lines(chunk, cache)


def _nt_lines(chunk: list[Triple], cache: dict[str, str]) -> list[str]:
    """The N-Triples lines (without newline) of one item's triples; ``cache`` holds predicates."""
    lines: list[str] = []
    append = lines.append
    subject, head = None, ""
    for s, p, o in chunk:
        if s is not subject:
            subject, head = s, f"<{s}> "
        pred = cache.get(p)
        if pred is None:
            pred = cache[p] = f"<{p}> "
        append(f"{head}{pred}{_nt_object(o)} .")
    return lines


def _nt_text(chunk: list[Triple], cache: dict[str, str]) -> str:
    """The N-Triples lines of one item's triples, each ending in a newline."""
    lines = _nt_lines(chunk, cache)
    return "\n".join(lines) + "\n" if lines else ""


def write_ntriples(kb: KnowledgeBase, out: TextIO, *, base: str | None = None) -> int:
    """Stream ``kb`` as N-Triples to ``out``; return the number of triples written."""
    count = 0
    cache: dict[str, str] = {}
    for chunk in iter_triples(kb, base=base):
        out.write(_nt_text(chunk, cache))
        count += len(chunk)
    return count


_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


class _Abbreviator:
    """Writes an IRI as a prefixed name where Turtle allows it, else as ``<iri>``.

    The longest namespace that the IRI starts with wins, and the rest must be a simple local name
    (no ``/``, ``#``, ``:`` or ``.``). For namespaces that end in ``/``, ``#`` or ``:`` (all of
    graphkit's, and every base it accepts) the only candidate is the IRI up to its last such
    character: one dictionary lookup instead of a scan of every namespace.
    """

    def __init__(self, prefixes: dict[str, str]) -> None:
        # Longest namespace first, so kb: wins over a shorter namespace that also matches.
        self.prefixes = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))
        self.by_namespace: dict[str, str] = {}
        for prefix, namespace in self.prefixes:
            self.by_namespace.setdefault(namespace, prefix)
        self.scan = any(not ns.endswith(("/", "#", ":")) for _, ns in self.prefixes)
        self.cache: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        found = self.cache.get(iri)
        if found is not None:
            return found
        if self.scan:
            return self._scanned(iri)
        cut = max(iri.rfind("/"), iri.rfind("#"), iri.rfind(":")) + 1
        prefix = self.by_namespace.get(iri[:cut])
        if prefix is None or not _LOCAL.match(iri, cut):
            return f"<{iri}>"
        text = f"{prefix}:{iri[cut:]}"
        if len(self.cache) < 65536:
            self.cache[iri] = text
        return text

    def _scanned(self, iri: str) -> str:
        text = f"<{iri}>"
        for prefix, namespace in self.prefixes:
            if iri.startswith(namespace) and _LOCAL.match(iri[len(namespace) :]):
                text = f"{prefix}:{iri[len(namespace) :]}"
                break
        if len(self.cache) < 65536 or text[0] != "<":
            self.cache[iri] = text
        return text

    def obj(self, obj: Obj) -> str:
        if isinstance(obj, str):
            return self.iri(obj)
        lexical, datatype = obj
        text = _literal(lexical, datatype)
        if datatype is None or datatype[0] == "@":
            return text
        return f"{text}^^{self.iri(datatype)}"


def _turtle_header(prefixes: dict[str, str]) -> str:
    return "".join(f"@prefix {name}: <{ns}> .\n" for name, ns in prefixes.items()) + "\n"


def _turtle_text(chunk: list[Triple], abbreviate: _Abbreviator) -> str:
    """One item's triples as Turtle statements (subjects grouped with ``;``)."""
    lines: list[str] = []
    append = lines.append
    iri, obj = abbreviate.iri, abbreviate.obj
    subject: str | None = None
    for s, p, o in chunk:
        if s != subject:
            if subject is not None:
                append(" .\n")
            append(f"{iri(s)} {iri(p)} {obj(o)}")
            subject = s
        else:
            append(f" ;\n    {iri(p)} {obj(o)}")
    if subject is not None:
        append(" .\n\n")
    return "".join(lines)


def _turtle_chunks(kb: KnowledgeBase, base: str | None, prefixes: dict[str, str]) -> Iterator[str]:
    abbreviate = _Abbreviator(prefixes)
    yield _turtle_header(prefixes)
    for chunk in iter_triples(kb, base=base):
        yield _turtle_text(chunk, abbreviate)


def _turtle_prefixes(kb: KnowledgeBase, base: str | None) -> dict[str, str]:
    return {"kb": effective_base(base, kb.document.base), **PREFIXES}


def write_turtle(kb: KnowledgeBase, out: TextIO, *, base: str | None = None) -> None:
    """Stream ``kb`` as Turtle to ``out`` (prefixed names where safe, full IRIs otherwise)."""
    for text in _turtle_chunks(kb, base, _turtle_prefixes(kb, base)):
        out.write(text)


#: Formats :func:`write_rdf_files` streams (the others need the whole graph at once).
STREAMED_FORMATS = ("turtle", "nt")


def write_rdf_files(
    kb: KnowledgeBase,
    targets: Mapping[str, str | os.PathLike[str]],
    *,
    base: str | None = None,
) -> int:
    """Write ``kb`` to several files at once (format -> path), generating its triples once.

    Each file is written atomically (a temporary file renamed at the end), so a failure leaves
    no half-written output. Formats: :data:`STREAMED_FORMATS`. Returns the number of triples.

    Raises:
        RdfError: For a format that is not streamed.
        OutputError: If a file cannot be written.

    Examples:
        >>> import graphkit as gk, tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> kb = gk.load("data/events.yaml")
        >>> count = write_rdf_files(kb, {"turtle": folder / "kb.ttl", "nt": folder / "kb.nt"})
        >>> len((folder / "kb.nt").read_text().splitlines()) == count
        True
    """
    unknown = [name for name in targets if name not in STREAMED_FORMATS]
    if unknown:
        raise RdfError(
            f"cannot stream RDF format {unknown[0]!r} (expected {', '.join(STREAMED_FORMATS)})"
        )
    prefixes = _turtle_prefixes(kb, base)
    abbreviate = _Abbreviator(prefixes)
    cache: dict[str, str] = {}
    count = 0
    with ExitStack() as stack:
        handles = {name: stack.enter_context(atomic_open(path)) for name, path in targets.items()}
        turtle, nt = handles.get("turtle"), handles.get("nt")
        if turtle is not None:
            turtle.write(_turtle_header(prefixes))
        for chunk in iter_triples(kb, base=base):
            count += len(chunk)
            if turtle is not None:
                turtle.write(_turtle_text(chunk, abbreviate))
            if nt is not None:
                nt.write(_nt_text(chunk, cache))
    return count


def write_trig(
    kb: KnowledgeBase, out: TextIO, *, base: str | None = None, graph: str | None = None
) -> None:
    """Stream ``kb`` as TriG to ``out``, in the named graph ``graph`` (default: ``base``)."""
    prefixes = _turtle_prefixes(kb, base)
    name = (
        check_iri(graph, what="graph IRI")
        if graph is not None
        else effective_base(base, kb.document.base)
    )
    chunks = _turtle_chunks(kb, base, prefixes)
    out.write(next(chunks))
    out.write(f"<{name}> {{\n")
    for text in chunks:
        out.write(text)
    out.write("}\n")


def write_jsonld(kb: KnowledgeBase, out: TextIO, *, base: str | None = None) -> None:
    """Stream ``kb`` as JSON-LD to ``out``: one ``@graph`` of node objects.

    Every typed literal is ``{"@value": "lexical", "@type": ...}`` with a string value, so numbers
    and dates keep their exact lexical form (rdflib writes native JSON numbers, which lose it).
    """
    context = _turtle_prefixes(kb, base)
    abbreviate = _Abbreviator(PREFIXES)
    type_key = str(RDF_TYPE)
    out.write('{\n"@context": ' + json.dumps(context, indent=1) + ',\n"@graph": [')
    first = True
    for chunk in iter_triples(kb, base=base):
        nodes: dict[str, dict[str, list[object]]] = {}
        for s, p, o in chunk:
            node = nodes.setdefault(s, {})
            if p == type_key and isinstance(o, str):
                node.setdefault("@type", []).append(abbreviate.iri(o))
                continue
            key = abbreviate.iri(p)
            key = p if key[0] == "<" else key
            if isinstance(o, str):
                value: object = {"@id": o}
            elif o[1] is None:
                value = o[0]
            elif o[1][0] == "@":
                value = {"@value": o[0], "@language": o[1][1:]}
            else:
                typed = abbreviate.iri(o[1])
                value = {"@value": o[0], "@type": o[1] if typed[0] == "<" else typed}
            node.setdefault(key, []).append(value)
        for s, props in nodes.items():
            out.write(
                ("\n" if first else ",\n") + json.dumps({"@id": s, **props}, ensure_ascii=False)
            )
            first = False
    out.write("\n]\n}\n")


def _to_node(value: Obj, cache: dict[str, URIRef]) -> Node:
    from rdflib import Literal, URIRef

    if isinstance(value, str):
        return URIRef(value)
    lexical, datatype = value
    if datatype is None:
        return Literal(lexical)
    if datatype[0] == "@":
        return Literal(lexical, lang=datatype[1:])
    dt = cache.get(datatype)
    if dt is None:
        dt = cache[datatype] = URIRef(datatype)
    return Literal(lexical, datatype=dt)


def _fill(graph: Graph, triples: Iterable[list[Triple]]) -> None:
    from rdflib import URIRef

    cache: dict[str, URIRef] = {}
    add = graph.add
    for chunk in triples:
        for s, p, o in chunk:
            pred = cache.get(p)
            if pred is None:
                pred = cache[p] = URIRef(p)
            add((URIRef(s), pred, _to_node(o, cache)))


def _bind(graph: Graph, base: str) -> None:
    graph.bind("kb", base, override=True, replace=True)
    for name, namespace in PREFIXES.items():
        graph.bind(name, namespace, override=True, replace=True)


def to_rdf(kb: KnowledgeBase, *, base: str | None = None) -> Graph:
    """Return ``kb`` as an rdflib graph on SEM, OWL-Time, PROV-O, schema.org and ``gk:``.

    Every node has an IRI minted from ids under ``base`` (see :mod:`graphkit.rdf.iri`): no blank
    nodes, so the same knowledge base always gives the same triples.

    Raises:
        InvalidIriError: If ``base`` is not an absolute IRI ending in ``/`` or ``#``.

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads("{format_version: 1, actors: [{id: A, name: Arcadia, kind: state}]}")
        >>> graph = gk.to_rdf(kb)
        >>> len(graph)
        14
        >>> from rdflib import URIRef
        >>> actor = URIRef("https://graphkit.example.org/kb/actor/A")
        >>> str(graph.value(actor, URIRef("https://schema.org/name")))
        'Arcadia'
        >>> len(gk.to_rdf(kb, base="https://example.org/kb#").serialize(format="turtle")) > 0
        True
    """
    from rdflib import Graph

    minter = Minter(effective_base(base, kb.document.base))
    graph = Graph()
    _bind(graph, minter.base)
    _fill(graph, item_triples(kb, minter))
    return graph


def serialize(kb: KnowledgeBase, format: str, *, base: str | None = None) -> str:  # noqa: A002
    """Return ``kb`` as RDF text in one of :data:`RDF_FORMATS`.

    Every format is written by graphkit's own streaming writers (RDF/XML by
    :mod:`graphkit.rdf.rdfxml`).

    Raises:
        RdfError: For an unknown format, or RDF/XML that cannot hold a character of the data.
    """
    if format not in RDF_FORMATS:
        raise RdfError(f"unknown RDF format {format!r} (expected {', '.join(RDF_FORMATS)})")
    if format == "nt":
        buffer = io.StringIO()
        write_ntriples(kb, buffer, base=base)
        return buffer.getvalue()
    if format == "turtle":
        buffer = io.StringIO()
        write_turtle(kb, buffer, base=base)
        return buffer.getvalue()
    if format == "trig":
        buffer = io.StringIO()
        write_trig(kb, buffer, base=base)
        return buffer.getvalue()
    if format == "json-ld":
        buffer = io.StringIO()
        write_jsonld(kb, buffer, base=base)
        return buffer.getvalue()
    from graphkit.rdf.rdfxml import write_rdfxml

    buffer = io.StringIO()
    write_rdfxml(kb, buffer, base=base)
    return buffer.getvalue()
