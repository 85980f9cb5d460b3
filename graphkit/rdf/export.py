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
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from graphkit._fs import atomic_open, replaced_folder
from graphkit.errors import GraphkitError
from graphkit.kb import KnowledgeBase
from graphkit.rdf._templates import item_texts
from graphkit.rdf._text import NTriples, Turtle
from graphkit.rdf._triples import Obj, Triple, item_count, item_triples
from graphkit.rdf.iri import Minter, check_iri, effective_base
from graphkit.rdf.namespace import PREFIXES, RDF

RDF_TYPE = RDF.type

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node, URIRef

__all__ = [
    "RDF_FORMATS",
    "STREAMED_FORMATS",
    "SPLIT_FORMATS",
    "RdfError",
    "item_count",
    "iter_triples",
    "ntriples_lines",
    "serialize",
    "to_rdf",
    "write_jsonld",
    "write_nquads",
    "write_ntriples",
    "write_rdf",
    "write_rdf_files",
    "write_split",
    "write_trig",
    "write_turtle",
]

#: Export format name -> (rdflib format name, file suffix).
RDF_FORMATS: dict[str, tuple[str, str]] = {
    "turtle": ("turtle", ".ttl"),
    "nt": ("nt", ".nt"),
    "nq": ("nquads", ".nq"),
    "json-ld": ("json-ld", ".jsonld"),
    "trig": ("trig", ".trig"),
    "xml": ("xml", ".rdf"),
}


class RdfError(GraphkitError, ValueError):
    """RDF that cannot be written or read back as a knowledge base (says where and what)."""


def iter_triples(kb: KnowledgeBase, *, base: str | None = None) -> Iterator[list[Triple]]:
    """Yield the triples of ``kb`` as plain strings, one list per item (see ``_triples``).

    ``base`` defaults to the knowledge base's ``base:``, else :data:`DEFAULT_BASE` (as in every
    writer here).
    """
    return item_triples(kb, Minter(effective_base(base, kb.document.base)))


def ntriples_lines(kb: KnowledgeBase, *, base: str | None = None) -> Iterator[str]:
    r"""Yield the N-Triples lines of ``kb`` (without newline), in a deterministic order.

    Lines end at ``\n`` only: a literal may hold U+2028, U+0085 or a form feed, which
    ``str.splitlines`` would take for line ends.
    """
    lines = NTriples()
    for chunk in iter_triples(kb, base=base):
        text = lines.text(chunk)
        if text:
            yield from text[:-1].split("\n")


def write_ntriples(
    kb: KnowledgeBase, out: TextIO, *, base: str | None = None, graph: str | None = None
) -> int:
    """Stream ``kb`` as N-Triples to ``out`` (N-Quads in ``graph`` if given); return the count.

    Memory holds one item's text at a time, whatever the size of ``kb``.
    """
    count = 0
    lines = NTriples(check_iri(graph, what="graph IRI") if graph is not None else None)
    write, text = out.write, lines.text
    for chunk in iter_triples(kb, base=base):
        write(text(chunk))
        count += len(chunk)
    return count


def write_nquads(
    kb: KnowledgeBase, out: TextIO, *, base: str | None = None, graph: str | None = None
) -> int:
    """Stream ``kb`` as N-Quads to ``out``, in the named graph ``graph`` (default: ``base``)."""
    base = effective_base(base, kb.document.base)
    return write_ntriples(kb, out, base=base, graph=graph if graph is not None else base)


def _turtle(base: str) -> Turtle:
    return Turtle({"kb": Minter(base).base, **PREFIXES}, base=base)


def _turtle_chunks(kb: KnowledgeBase, base: str) -> Iterator[str]:
    turtle = _turtle(base)
    yield turtle.header()
    text = turtle.text
    for chunk in iter_triples(kb, base=base):
        yield text(chunk)


def write_turtle(kb: KnowledgeBase, out: TextIO, *, base: str | None = None) -> int:
    """Stream ``kb`` as Turtle to ``out``, one block per subject as the triples come.

    Vocabulary terms are prefixed names, the knowledge base's own IRIs relative to ``@base``
    (see :class:`graphkit.rdf._text.Turtle`). Memory holds one item's text at a time, whatever
    the size of ``kb``. Returns the number of triples written.
    """
    base = effective_base(base, kb.document.base)
    turtle = _turtle(base)
    write, text = out.write, turtle.text
    write(turtle.header())
    count = 0
    for chunk in iter_triples(kb, base=base):
        write(text(chunk))
        count += len(chunk)
    return count


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
    base = effective_base(base, kb.document.base)
    turtle_text, nt_text = _turtle(base), NTriples()
    count = 0
    with ExitStack() as stack:
        handles = {name: stack.enter_context(atomic_open(path)) for name, path in targets.items()}
        turtle, nt = handles.get("turtle"), handles.get("nt")
        if turtle is not None:
            turtle.write(turtle_text.header())
        if turtle is not None and nt is not None:
            # Both files from the model's templates (the same text as TurtleAndNTriples).
            write_turtle_text, write_nt_text = turtle.write, nt.write
            for turtle_chunk, nt_chunk, triples in item_texts(kb, Minter(base), turtle_text):
                write_turtle_text(turtle_chunk)
                write_nt_text(nt_chunk)
                count += triples
            return count
        for chunk in iter_triples(kb, base=base):
            count += len(chunk)
            if turtle is not None:
                turtle.write(turtle_text.text(chunk))
            elif nt is not None:
                nt.write(nt_text.text(chunk))
    return count


def write_trig(
    kb: KnowledgeBase, out: TextIO, *, base: str | None = None, graph: str | None = None
) -> None:
    """Stream ``kb`` as TriG to ``out``, in the named graph ``graph`` (default: ``base``)."""
    base = effective_base(base, kb.document.base)
    name = check_iri(graph, what="graph IRI") if graph is not None else base
    chunks = _turtle_chunks(kb, base)
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
    context = {"kb": effective_base(base, kb.document.base), **PREFIXES}
    abbreviate = Turtle(PREFIXES)
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


def write_rdf(
    kb: KnowledgeBase,
    format: str,  # noqa: A002
    out: TextIO,
    *,
    base: str | None = None,
    graph: str | None = None,
) -> None:
    """Write ``kb`` to ``out`` in one of :data:`RDF_FORMATS`, streaming where the format allows.

    Every format is written an item at a time by graphkit's own streaming writers (RDF/XML by
    :mod:`graphkit.rdf.rdfxml`), so memory does not grow with ``kb``. ``graph`` names the graph
    of N-Quads and TriG (default: the base IRI).

    Raises:
        RdfError: For an unknown format, or RDF/XML that cannot hold a character of the data.
    """
    if format not in RDF_FORMATS:
        raise RdfError(f"unknown RDF format {format!r} (expected {', '.join(RDF_FORMATS)})")
    if format == "nt":
        write_ntriples(kb, out, base=base)
    elif format == "nq":
        write_nquads(kb, out, base=base, graph=graph)
    elif format == "turtle":
        write_turtle(kb, out, base=base)
    elif format == "trig":
        write_trig(kb, out, base=base, graph=graph)
    elif format == "json-ld":
        write_jsonld(kb, out, base=base)
    else:
        from graphkit.rdf.rdfxml import write_rdfxml  # it imports this module

        write_rdfxml(kb, out, base=base)


def serialize(
    kb: KnowledgeBase,
    format: str,  # noqa: A002
    *,
    base: str | None = None,
    graph: str | None = None,
) -> str:
    """Return ``kb`` as RDF text in one of :data:`RDF_FORMATS` (see :func:`write_rdf`).

    Raises:
        RdfError: For an unknown format, or RDF/XML that cannot hold a character of the data.
    """
    buffer = io.StringIO()
    write_rdf(kb, format, buffer, base=base, graph=graph)
    return buffer.getvalue()


#: Formats :func:`write_split` can cut into files (one statement per line).
SPLIT_FORMATS = ("nt", "nq")


def write_split(
    kb: KnowledgeBase,
    folder: str | os.PathLike[str],
    triples_per_file: int,
    *,
    format: str = "nt",  # noqa: A002
    base: str | None = None,
    graph: str | None = None,
) -> list[Path]:
    """Write ``kb`` as numbered N-Triples / N-Quads files in ``folder`` (``part-00001.nt``, ...).

    Each file holds ``triples_per_file`` triples, rounded up to the end of an item (an item's
    statements stay in one file), so a bulk loader can take the files in parallel
    (``oxigraph load --file folder/*.nt``). The files are written into a new folder beside
    ``folder`` that replaces it at the end: a failure leaves ``folder`` as it was, never a
    partial set. Returns the paths written.

    Raises:
        RdfError: For another format, or ``triples_per_file`` below 1.
        OutputError: If the files cannot be written.

    Examples:
        >>> import graphkit as gk, tempfile, pathlib
        >>> kb = gk.load("data/events.yaml")
        >>> folder = pathlib.Path(tempfile.mkdtemp()) / "parts"
        >>> parts = write_split(kb, folder, 2000)
        >>> [p.name for p in parts[:2]]
        ['part-00001.nt', 'part-00002.nt']
        >>> "".join(p.read_text() for p in parts) == serialize(kb, "nt")
        True
    """
    if format not in SPLIT_FORMATS:
        raise RdfError(f"cannot split {format!r} into files (expected {', '.join(SPLIT_FORMATS)})")
    if triples_per_file < 1:
        raise RdfError(f"triples per file must be at least 1, not {triples_per_file}")
    if format == "nq":
        base = effective_base(base, kb.document.base)
        graph = check_iri(graph, what="graph IRI") if graph is not None else base
    lines = NTriples(graph if format == "nq" else None)
    target = Path(folder)
    names: list[str] = []
    with replaced_folder(target) as stage:
        out: TextIO | None = None
        in_file = 0
        try:
            for chunk in iter_triples(kb, base=base):
                if out is None:
                    names.append(f"part-{len(names) + 1:05d}.{format}")
                    out = (stage / names[-1]).open("w", encoding="utf-8", newline="\n")
                out.write(lines.text(chunk))
                in_file += len(chunk)
                if in_file >= triples_per_file:
                    out.close()
                    out, in_file = None, 0
        finally:
            if out is not None:
                out.close()
    return [target / name for name in names]
