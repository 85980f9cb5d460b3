"""Write a knowledge base as RDF/XML, streamed, in a form every XML parser accepts.

rdflib's RDF/XML serializer writes an element name such as ``<gkr:soutient_%C3%A0>`` for a
predicate whose IRI does not end in an XML name, and copies characters XML 1.0 cannot hold
(U+FFFF, U+FFFE, lone surrogates) into the file: expat then rejects it. This writer

* writes each predicate as ``prefix:local`` when a bound namespace leaves an XML name, else as
  ``<p:LOCAL xmlns:p="NAMESPACE">`` split before the longest XML-name suffix of the IRI (every
  predicate graphkit mints has one: relation-type names come from :func:`graphkit.rdf.iri.term`),
  and refuses, with :class:`~graphkit.rdf.export.RdfError`, a predicate that has none;
* escapes ``& < > "`` and writes carriage returns, tabs and newlines in attributes as character
  references, so an XML parser gives back the exact literal;
* refuses, naming the subject and the predicate, a literal with a character XML 1.0 cannot
  hold: no escape can carry it (``&#xFFFF;`` is not allowed either), and dropping or replacing
  it would change the data. Turtle, N-Triples, TriG and JSON-LD carry every character.

Examples:
    >>> import graphkit as gk, io
    >>> kb = gk.loads('''
    ... format_version: 1
    ... relation_types: [{id: "soutient à", label: soutient}]
    ... actors: [{id: A, name: "A & B", kind: state}, {id: B, name: B, kind: state}]
    ... relations: [{id: r, type: "soutient à", from: A, to: B}]
    ... ''')
    >>> out = io.StringIO()
    >>> write_rdfxml(kb, out)
    >>> namespace = "https://graphkit.example.org/ns/relation/soutient%20%C3%"
    >>> f'<p:A0_ xmlns:p="{namespace}" ' in out.getvalue()
    True
    >>> "<schema:name>A &amp; B</schema:name>" in out.getvalue()
    True
"""

from __future__ import annotations

import re
from typing import TextIO

from graphkit._xml import XML_ILLEGAL, escape_attribute, escape_text, illegal_character
from graphkit.kb import KnowledgeBase
from graphkit.rdf._triples import Triple
from graphkit.rdf.export import RdfError, iter_triples
from graphkit.rdf.namespace import PREFIXES

__all__ = ["write_rdfxml"]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
_NAME_SUFFIX = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


_attr = escape_attribute


class _Elements:
    """Predicate IRI -> (start tag text without ``>``, end tag), cached."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))
        self.cache: dict[str, tuple[str, str]] = {}

    def tags(self, predicate: str) -> tuple[str, str]:
        found = self.cache.get(predicate)
        if found is not None:
            return found
        for prefix, namespace in self.prefixes:
            if predicate.startswith(namespace) and _NAME.match(predicate, len(namespace)):
                name = f"{prefix}:{predicate[len(namespace) :]}"
                found = (f"<{name}", f"</{name}>")
                break
        else:
            suffix = _NAME_SUFFIX.search(predicate)
            if suffix is None or suffix.start() == 0:
                raise RdfError(
                    f"RDF/XML cannot write the predicate <{predicate}>: its IRI does not end in "
                    "an XML name; use turtle, nt, json-ld or trig"
                )
            namespace, local = predicate[: suffix.start()], suffix.group()
            found = (f'<p:{local} xmlns:p="{_attr(namespace)}"', f"</p:{local}>")
        self.cache[predicate] = found
        return found


def _illegal(subject: str, predicate: str, text: str) -> RdfError:
    return RdfError(
        f"RDF/XML cannot hold {illegal_character(text)} (a character XML 1.0 does not allow) in "
        f"<{subject}> <{predicate}>; remove it from the data or export as turtle, nt, json-ld "
        "or trig, which carry it"
    )


def _chunk_text(chunk: list[Triple], elements: _Elements) -> str:
    parts: list[str] = []
    append = parts.append
    subject: str | None = None
    for s, p, o in chunk:
        if s != subject:
            if subject is not None:
                append("  </rdf:Description>\n")
            if XML_ILLEGAL.search(s):
                raise _illegal(s, p, s)
            append(f'  <rdf:Description rdf:about="{_attr(s)}">\n')
            subject = s
        start, end = elements.tags(p)
        if isinstance(o, str):
            if XML_ILLEGAL.search(o):
                raise _illegal(s, p, o)
            append(f'    {start} rdf:resource="{_attr(o)}"/>\n')
            continue
        lexical, datatype = o
        if XML_ILLEGAL.search(lexical):
            raise _illegal(s, p, lexical)
        if datatype is None:
            append(f"    {start}>{escape_text(lexical)}{end}\n")
        elif datatype[0] == "@":
            append(f'    {start} xml:lang="{_attr(datatype[1:])}">{escape_text(lexical)}{end}\n')
        else:
            append(f'    {start} rdf:datatype="{_attr(datatype)}">{escape_text(lexical)}{end}\n')
    if subject is not None:
        append("  </rdf:Description>\n")
    return "".join(parts)


def write_rdfxml(kb: KnowledgeBase, out: TextIO, *, base: str | None = None) -> None:
    """Stream ``kb`` as RDF/XML to ``out`` (see the module documentation).

    Raises:
        RdfError: For a literal with a character XML 1.0 cannot hold, naming where it is. Text
            written to ``out`` before the error is incomplete: write to a temporary file.
    """
    prefixes = {"rdf": _RDF, **{k: v for k, v in PREFIXES.items() if k != "rdf"}}
    elements = _Elements(prefixes)
    declarations = "".join(f'\n    xmlns:{name}="{_attr(ns)}"' for name, ns in prefixes.items())
    out.write(f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{declarations}>\n')
    for chunk in iter_triples(kb, base=base):
        out.write(_chunk_text(chunk, elements))
    out.write("</rdf:RDF>\n")
