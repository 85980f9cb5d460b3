"""The text of ``kb.ttl`` + ``kb.nt`` judged by other parsers (pyoxigraph, rdflib).

``graphkit build`` writes both files with one formatter (:class:`TurtleAndNTriples`), tuned for
speed: these tests parse what it writes with third-party parsers and compare with the triples of
the generator (:func:`graphkit.rdf.iter_triples`) taken as terms, never through text, on the
flagship data, on a file of hostile strings, and on random literals.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import graphkit as gk
from graphkit.rdf import iter_triples, ntriples_lines, serialize, to_rdf, write_rdf_files
from graphkit.rdf._text import Turtle, TurtleAndNTriples
from graphkit.rdf._triples import Triple

ROOT = Path(__file__).resolve().parents[2]

#: Strings a curator can write that a careless writer breaks: quotes, backslashes (before a
#: quote, at the end, before "n" and "u0041"), line breaks, U+2028, angle brackets, "^^", "@",
#: astral and right-to-left characters, triple quotes.
HOSTILE = r"""
format_version: 1
sources:
  - {id: "s \"1\" <x>", title: "Title \"quoted\", back\\slash\\, <angle> & '>' ^^ @en",
     reliability: B, publisher: "pub \"P\" \\", url: "https://example.org/a?b=1&c=%222%22",
     published: 2024-10, notes: "trailing backslash \\"}
actors:
  - {id: "A\\\"<>", name: "Ar\"cadia \\n (no newline) \\u0041 \U0001F600 \u202E RTL é北",
     kind: state, aliases: ["a\"b", "\"\"\"", "'''", "\\", "a>b"]}
  - {id: "B>", name: ">B<", kind: state}
events:
  - {id: "e\"1\"", type: meeting, date: 2024-10-23, actor: "A\\\"<>", target: "B>",
     title: "\"Quoted\" title",
     summary: "says \"hi\"\nthen \\ leaves\n\nend \u2028 line separator\t\"\"\"",
     quote: {text: "« Nous » \"dit-il\" \\o/\n", language: fr,
             translation: "\"We\" \\o/", translation_language: en},
     tags: ["t\"ag", "t\\ag", "t>ag"],
     location: {name: "Place \"X\" <y>", lat: 1.5, lon: -2.25, country: RUS},
     quantities: [{value: 3000, kind: total, unit: "sol\"diers\\", text: "about \"3,000\""}],
     sources: [{source: "s \"1\" <x>", excerpt: "the \"words\"\\ said\n", note: "n\\o\"te",
                according_to: "B>"}],
     notes: "\\\"\\\"\\"}
"""


def _ox_term(value: str | tuple[str, str | None]) -> pyoxigraph.NamedNode | pyoxigraph.Literal:
    if isinstance(value, str):
        return pyoxigraph.NamedNode(value)
    lexical, datatype = value
    if datatype is None:
        return pyoxigraph.Literal(lexical)
    if datatype[0] == "@":
        return pyoxigraph.Literal(lexical, language=datatype[1:])
    return pyoxigraph.Literal(lexical, datatype=pyoxigraph.NamedNode(datatype))


def _generated(kb: gk.KnowledgeBase, base: str | None) -> set[object]:
    """The generator's triples as pyoxigraph terms (no text in between)."""
    return {
        pyoxigraph.Triple(pyoxigraph.NamedNode(s), pyoxigraph.NamedNode(p), _ox_term(o))
        for chunk in iter_triples(kb, base=base)
        for s, p, o in chunk
    }


def _triples(quads: object) -> set[object]:
    """pyoxigraph's quads (all in the default graph) as triples."""
    return {quad.triple for quad in quads}  # type: ignore[attr-defined]


def _ox_parse(path: Path, fmt: pyoxigraph.RdfFormat) -> set[object]:
    return _triples(pyoxigraph.parse(path=str(path), format=fmt))


@pytest.fixture(scope="module")
def hostile() -> gk.KnowledgeBase:
    return gk.loads(HOSTILE, name="hostile.yaml")


@pytest.fixture(scope="module")
def flagship_kb() -> gk.KnowledgeBase:
    return gk.load(ROOT / "data" / "events.yaml")


@pytest.mark.parametrize(
    "base", [None, "https://example.org/kb#", "urn:graphkit:kb:", "https://ex.org/a/b/"]
)
def test_build_files_parse_to_the_generated_triples_on_hostile_strings(
    hostile: gk.KnowledgeBase, base: str | None, tmp_path: Path
) -> None:
    """pyoxigraph reads kb.nt and kb.ttl back as exactly the generator's triples, and rdflib
    reads them as the graph of :func:`to_rdf` (the same triples as rdflib terms)."""
    from rdflib import Graph

    files = {"turtle": tmp_path / "kb.ttl", "nt": tmp_path / "kb.nt"}
    count = write_rdf_files(hostile, files, base=base)
    expected = _generated(hostile, base)
    assert len(expected) == count  # no triple repeats in this file
    assert _ox_parse(files["nt"], pyoxigraph.RdfFormat.N_TRIPLES) == expected
    assert _ox_parse(files["turtle"], pyoxigraph.RdfFormat.TURTLE) == expected
    graph = set(to_rdf(hostile, base=base))
    assert set(Graph().parse(files["nt"], format="nt")) == graph
    assert set(Graph().parse(files["turtle"], format="turtle")) == graph
    # the hostile strings made it through, as literals, unchanged
    text = files["nt"].read_text(encoding="utf-8")
    assert r'"says \"hi\"\nthen \\ leaves\n\nend ' + "\u2028" in text
    assert r'"\\\"\\\"\\"' in text


def test_build_files_parse_to_the_generated_triples_on_the_flagship(
    flagship_kb: gk.KnowledgeBase, tmp_path: Path
) -> None:
    files = {"turtle": tmp_path / "kb.ttl", "nt": tmp_path / "kb.nt"}
    write_rdf_files(flagship_kb, files)
    expected = _generated(flagship_kb, None)
    assert _ox_parse(files["nt"], pyoxigraph.RdfFormat.N_TRIPLES) == expected
    assert _ox_parse(files["turtle"], pyoxigraph.RdfFormat.TURTLE) == expected


def test_ntriples_lines_end_at_newlines_only(hostile: gk.KnowledgeBase) -> None:
    """A literal with U+2028 is one line (``str.splitlines`` cut it in two)."""
    lines = list(ntriples_lines(hostile))
    assert "".join(line + "\n" for line in lines) == serialize(hostile, "nt")
    assert all(line.endswith(" .") for line in lines)


_LEXICAL = st.text(
    st.characters(exclude_categories=["Cs"]) | st.sampled_from('"\\\n\r\t<>^@\u2028\x85'),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(
    literals=st.lists(
        st.tuples(_LEXICAL, st.sampled_from([None, "@fr", "@en-GB", "integer", "anyURI"])),
        min_size=1,
        max_size=6,
    )
)
def test_any_literal_reads_back_as_itself(literals: list[tuple[str, str | None]]) -> None:
    """Escaping: every string (quotes, backslashes, CR, LF, controls, U+2028, astral) is read back
    by pyoxigraph from both texts as the literal it was."""
    xsd = "http://www.w3.org/2001/XMLSchema#"
    base = "https://ex.org/kb/"
    chunk: list[Triple] = [
        (
            f"{base}item/{index // 2}",
            "https://schema.org/name",
            (lexical, kind if kind is None or kind[0] == "@" else xsd + kind),
        )
        for index, (lexical, kind) in enumerate(literals)
    ]
    turtle = Turtle({"schema": "https://schema.org/", "xsd": xsd}, base=base)
    ttl, nt = TurtleAndNTriples(turtle).texts(chunk)
    expected = {
        pyoxigraph.Triple(pyoxigraph.NamedNode(s), pyoxigraph.NamedNode(p), _ox_term(o))
        for s, p, o in chunk
    }
    parsed_nt = _triples(pyoxigraph.parse(nt.encode(), format=pyoxigraph.RdfFormat.N_TRIPLES))
    parsed_ttl = _triples(
        pyoxigraph.parse((turtle.header() + ttl).encode(), format=pyoxigraph.RdfFormat.TURTLE)
    )
    assert parsed_nt == expected
    assert parsed_ttl == expected
