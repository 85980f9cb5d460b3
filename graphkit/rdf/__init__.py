"""RDF export and import on standard vocabularies (the only package that imports rdflib).

* :func:`to_rdf` / :func:`serialize` / :func:`write_rdf` (streamed, every format) /
  :func:`write_rdf_files` (Turtle and N-Triples in one pass) / :func:`write_rdfxml` /
  :func:`write_split` (numbered N-Triples or N-Quads files for bulk loaders): export;
* :func:`from_rdf`: read an export back (files or rdflib graphs);
* see ``docs/rdf.md`` for the vocabularies, the IRI scheme and the n-ary patterns.
"""

from graphkit.rdf.endpoint import EndpointError, PushResult, load_endpoint, push, query_endpoint
from graphkit.rdf.export import (
    RDF_FORMATS,
    STREAMED_FORMATS,
    RdfError,
    iter_triples,
    ntriples_lines,
    serialize,
    to_rdf,
    write_jsonld,
    write_nquads,
    write_ntriples,
    write_rdf,
    write_rdf_files,
    write_split,
    write_trig,
    write_turtle,
)
from graphkit.rdf.iri import DEFAULT_BASE, InvalidIriError, Minter, decode, encode, term, term_id
from graphkit.rdf.rdfxml import write_rdfxml
from graphkit.rdf.read import RDF_SUFFIXES, from_rdf, load_files, read_triples
from graphkit.rdf.shacl import Violation, validate_file, validate_graph
from graphkit.rdf.sparql import QueryResult, SparqlError, parse_binding, query_graph

__all__ = [
    "EndpointError",
    "PushResult",
    "QueryResult",
    "SparqlError",
    "Violation",
    "load_endpoint",
    "load_files",
    "parse_binding",
    "push",
    "query_endpoint",
    "query_graph",
    "validate_file",
    "validate_graph",
    "DEFAULT_BASE",
    "RDF_FORMATS",
    "RDF_SUFFIXES",
    "STREAMED_FORMATS",
    "InvalidIriError",
    "Minter",
    "RdfError",
    "decode",
    "encode",
    "from_rdf",
    "iter_triples",
    "ntriples_lines",
    "read_triples",
    "serialize",
    "term",
    "term_id",
    "to_rdf",
    "write_jsonld",
    "write_nquads",
    "write_ntriples",
    "write_rdf",
    "write_rdf_files",
    "write_rdfxml",
    "write_split",
    "write_trig",
    "write_turtle",
]
