"""Benchmark RDF export: graphkit's streaming writers, a plain f-string writer, rdflib, pyoxigraph.

For each size, a synthetic knowledge base from :func:`benchmarks.generate.generate` is loaded, then
exported in several ways, each producing the same N-Triples:

* ``graphkit``: :func:`graphkit.rdf.write_ntriples` streamed to a file (``/dev/null``: what is
  timed is making the text and encoding it, not the disk);
* ``fstring``: the baseline a user would write, one f-string per triple of
  :func:`graphkit.rdf.iter_triples` written to the same kind of file;
* ``turtle``: :func:`graphkit.rdf.write_turtle` streamed the same way (Turtle, not N-Triples);
* ``files``: ``kb.ttl`` + ``kb.nt`` as ``graphkit build`` writes them (the templates of
  ``graphkit/rdf/_templates.py``), both streamed the same way;
* ``files_reference``: the same two texts by the reference formatter (``TurtleAndNTriples`` over
  ``item_triples``), the baseline of ``files``;
* ``rdflib``: ``Graph.add`` of every triple, then ``Graph.serialize(format="nt")`` (in memory);
* ``pyoxigraph``: the same triples as pyoxigraph terms, then ``pyoxigraph.serialize`` (in memory).

The streaming writers hold one item's text at a time: ``benchmarks.run`` reports the memory a
stage adds above its setup (the loaded knowledge base), which stays flat as the size grows.

Usage (from the repository root)::

    python -m benchmarks.rdf_export --events 10000 100000
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from benchmarks.generate import generate

__all__ = ["bench_rdf_export", "main"]


def _kb(n_events: int, seed: int) -> Any:
    import graphkit as gk
    from graphkit.model import Document

    return gk.KnowledgeBase.from_document(Document.model_validate(generate(n_events, seed)))


def _sink() -> TextIO:
    """A text file like the ones graphkit writes (UTF-8, 1 MB buffer) that discards its data."""
    return open(os.devnull, "w", encoding="utf-8", newline="\n", buffering=1 << 20)  # noqa: SIM115


def _graphkit(kb: Any) -> int:
    from graphkit.rdf import write_ntriples

    with _sink() as out:
        return write_ntriples(kb, out)


def _turtle(kb: Any) -> int:
    from graphkit.rdf import write_turtle

    with _sink() as out:
        return write_turtle(kb, out)


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _fstring(kb: Any) -> int:
    """N-Triples as anyone would write them: an f-string and a write per triple."""
    from graphkit.rdf import iter_triples

    count = 0
    with _sink() as out:
        write = out.write
        for chunk in iter_triples(kb):
            for s, p, o in chunk:
                if isinstance(o, str):
                    write(f"<{s}> <{p}> <{o}> .\n")
                    continue
                lexical, datatype = o
                lexical = lexical.translate(_ESCAPES)
                if datatype is None:
                    write(f'<{s}> <{p}> "{lexical}" .\n')
                elif datatype.startswith("@"):
                    write(f'<{s}> <{p}> "{lexical}"{datatype} .\n')
                else:
                    write(f'<{s}> <{p}> "{lexical}"^^<{datatype}> .\n')
            count += len(chunk)
    return count


def _rdflib(kb: Any) -> int:
    from rdflib import Graph, Literal, URIRef

    from graphkit.rdf import iter_triples

    graph = Graph()
    for chunk in iter_triples(kb):
        for s, p, o in chunk:
            if isinstance(o, str):
                obj: Any = URIRef(o)
            elif o[1] is None:
                obj = Literal(o[0])
            elif o[1][0] == "@":
                obj = Literal(o[0], lang=o[1][1:])
            else:
                obj = Literal(o[0], datatype=URIRef(o[1]))
            graph.add((URIRef(s), URIRef(p), obj))
    graph.serialize(format="nt")
    return len(graph)


def _pyoxigraph(kb: Any) -> int:
    import pyoxigraph as ox

    from graphkit.rdf import iter_triples

    triples = []
    for chunk in iter_triples(kb):
        for s, p, o in chunk:
            if isinstance(o, str):
                obj: Any = ox.NamedNode(o)
            elif o[1] is None:
                obj = ox.Literal(o[0])
            elif o[1][0] == "@":
                obj = ox.Literal(o[0], language=o[1][1:])
            else:
                obj = ox.Literal(o[0], datatype=ox.NamedNode(o[1]))
            triples.append(ox.Triple(ox.NamedNode(s), ox.NamedNode(p), obj))
    ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    return len(triples)


def _files(kb: Any) -> int:
    """kb.ttl + kb.nt as ``graphkit build`` writes them: the templates of ``_templates.py``."""
    from graphkit.rdf._templates import item_texts
    from graphkit.rdf.export import _turtle as turtle_of
    from graphkit.rdf.iri import Minter, effective_base

    base = effective_base(None, kb.document.base)
    turtle = turtle_of(base)
    count = 0
    with _sink() as ttl, _sink() as nt:
        ttl.write(turtle.header())
        for turtle_text, nt_text, triples in item_texts(kb, Minter(base), turtle):
            ttl.write(turtle_text)
            nt.write(nt_text)
            count += triples
    return count


def _files_reference(kb: Any) -> int:
    """The same two texts by the reference: ``TurtleAndNTriples`` over ``item_triples``."""
    from graphkit.rdf import iter_triples
    from graphkit.rdf._text import TurtleAndNTriples
    from graphkit.rdf.export import _turtle as turtle_of
    from graphkit.rdf.iri import effective_base

    base = effective_base(None, kb.document.base)
    turtle = turtle_of(base)
    both = TurtleAndNTriples(turtle)
    count = 0
    with _sink() as ttl, _sink() as nt:
        ttl.write(turtle.header())
        for chunk in iter_triples(kb, base=base):
            turtle_text, nt_text = both.texts(chunk)
            ttl.write(turtle_text)
            nt.write(nt_text)
            count += len(chunk)
    return count


WRITERS: dict[str, Callable[[Any], int]] = {
    "graphkit": _graphkit,
    "fstring": _fstring,
    "turtle": _turtle,
    "files": _files,
    "files_reference": _files_reference,
    "rdflib": _rdflib,
    "pyoxigraph": _pyoxigraph,
}


def bench_rdf_export(
    sizes: Sequence[int] = (10_000,),
    *,
    seed: int = 1,
    writers: Sequence[str] = ("graphkit", "fstring", "turtle", "rdflib", "pyoxigraph"),
) -> list[dict[str, Any]]:
    """Time each writer on each size; return rows with triples, seconds and triples/second."""
    rows: list[dict[str, Any]] = []
    for size in sizes:
        kb = _kb(size, seed)
        for name in writers:
            try:
                writer = WRITERS[name]
            except KeyError:
                raise ValueError(
                    f"unknown writer {name!r} (expected {', '.join(WRITERS)})"
                ) from None
            started = time.perf_counter()
            try:
                triples = writer(kb)
            except ImportError as exc:
                rows.append({"events": size, "writer": name, "skipped": str(exc)})
                continue
            seconds = time.perf_counter() - started
            rows.append(
                {
                    "events": size,
                    "writer": name,
                    "triples": triples,
                    "seconds": round(seconds, 3),
                    "triples_per_second": round(triples / seconds) if seconds else None,
                }
            )
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point: print one line per size and writer."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.rdf_export")
    parser.add_argument("--events", type=int, nargs="+", default=[10_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--writers", nargs="+", default=list(WRITERS))
    args = parser.parse_args(argv)
    for row in bench_rdf_export(args.events, seed=args.seed, writers=args.writers):
        if "skipped" in row:
            print(f"{row['events']:>7} events  {row['writer']:<10} skipped: {row['skipped']}")
        else:
            print(
                f"{row['events']:>7} events  {row['writer']:<10} {row['triples']:>9,} triples "
                f"{row['seconds']:>8.2f} s  {row['triples_per_second']:>10,} triples/s"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
