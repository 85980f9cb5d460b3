r"""SPARQL over a knowledge base or a remote endpoint, with typed parameters (never spliced).

Parameters arrive as ``name=value`` strings (``--bind``) and become RDF terms with
:func:`parse_binding`; locally they go to rdflib as ``initBindings``, remotely as a ``VALUES``
block inserted at the start of the query's ``WHERE`` group, written from the terms' escaped N3
form. The query text itself is never built from user input.

Examples:
    >>> parse_binding("actor=actor:KOR NIS")
    ('actor', rdflib.term.URIRef('https://graphkit.example.org/kb/actor/KOR%20NIS'))
    >>> parse_binding("day=2024-10-23")
    ('day', rdflib.term.Literal('2024-10-23', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#date')))
    >>> print(parse_binding('name="}; DROP ALL #')[1].n3())
    "\"}; DROP ALL #"
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from graphkit.errors import GraphkitError
from graphkit.rdf.iri import DEFAULT_BASE, Minter, check_iri
from graphkit.rdf.iri import term as type_name
from graphkit.rdf.namespace import EVENT_TYPE, PREFIXES, RELATION, XSD

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Identifier

__all__ = [
    "QueryResult",
    "SparqlError",
    "format_result",
    "inject_values",
    "parse_binding",
    "query_form",
    "query_graph",
    "unbound_variables",
    "unknown_iris",
    "with_prefixes",
]

QueryForm = Literal["select", "ask", "construct", "describe"]


class SparqlError(GraphkitError, ValueError):
    """A query that does not parse, a bad ``--bind`` value, or a result that cannot be shown."""


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_INTEGER = re.compile(r"[+-]?\d+\Z")
_DECIMAL = re.compile(r"[+-]?\d*\.\d+\Z")
_TYPED = re.compile(r"(?s)(.*)\^\^xsd:([A-Za-z]+)\Z")
_ITEM_KINDS = ("source", "actor", "relation", "event")


def parse_binding(text: str, *, base: str = DEFAULT_BASE) -> tuple[str, Identifier]:
    """Turn ``name=value`` into a variable name and an RDF term.

    Values: ``actor:ID`` / ``event:ID`` / ``source:ID`` / ``relation:ID`` (the item's IRI under
    ``base``), ``event-type:ID``, ``relation-type:ID``, ``<IRI>``, ``VALUE^^xsd:TYPE`` (a typed
    literal, checked), ``"text"`` (a string), a bare ``YYYY-MM-DD`` (``xsd:date``), integer
    (``xsd:integer``) or decimal (``xsd:decimal``); anything else is a plain string.

    Raises:
        SparqlError: For a missing ``=``, a bad variable name, an illegal IRI or an ill-typed
            literal.
    """
    from rdflib import Literal as RdfLiteral
    from rdflib import URIRef

    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not _NAME.match(name):
        raise SparqlError(f"--bind {text!r}: expected NAME=VALUE with NAME a SPARQL variable name")
    kind, colon, rest = value.partition(":")
    if colon and kind in _ITEM_KINDS:
        return name, URIRef(Minter(base).item(kind, rest))
    if colon and kind == "event-type":
        return name, URIRef(str(EVENT_TYPE) + type_name(rest))
    if colon and kind == "relation-type":
        return name, URIRef(str(RELATION) + type_name(rest))
    if value.startswith("<") and value.endswith(">"):
        try:
            return name, URIRef(check_iri(value[1:-1]))
        except ValueError as exc:
            raise SparqlError(f"--bind {name}: {exc}") from exc
    typed = _TYPED.match(value)
    if typed:
        lexical, datatype = typed.groups()
        if datatype not in XSD.__annotations__:
            raise SparqlError(
                f"--bind {name}: unsupported datatype xsd:{datatype} "
                f"(expected one of {', '.join('xsd:' + t for t in XSD.__annotations__)})"
            )
        if datatype == "date" and not _is_date(lexical):
            raise SparqlError(f"--bind {name}: {lexical!r} is not a valid xsd:date")
        literal = RdfLiteral(lexical, datatype=URIRef(str(XSD._NS) + datatype))
        if literal.ill_typed:
            raise SparqlError(f"--bind {name}: {lexical!r} is not a valid xsd:{datatype}")
        return name, literal
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return name, RdfLiteral(value[1:-1])
    if _DATE.match(value):
        if not _is_date(value):
            raise SparqlError(f"--bind {name}: {value!r} is not a valid date")
        return name, RdfLiteral(value, datatype=URIRef(str(XSD.date)))
    if _INTEGER.match(value):
        return name, RdfLiteral(value, datatype=URIRef(str(XSD.integer)))
    if _DECIMAL.match(value):
        return name, RdfLiteral(value, datatype=URIRef(str(XSD.decimal)))
    return name, RdfLiteral(value)


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return _DATE.match(text) is not None


def query_form(query: str) -> QueryForm:
    """Parse ``query`` and return its form (``select``, ``ask``, ``construct``, ``describe``).

    Raises:
        SparqlError: If it is not a SPARQL 1.1 query (updates are refused), with the parser's
            message.
    """
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parsed = parseQuery(with_prefixes(query))
    except Exception as exc:  # pyparsing raises ParseException and friends
        raise SparqlError(f"the query does not parse: {exc}") from exc
    name = str(parsed[1].name)
    forms: dict[str, QueryForm] = {
        "SelectQuery": "select",
        "AskQuery": "ask",
        "ConstructQuery": "construct",
        "DescribeQuery": "describe",
    }
    if name not in forms:
        raise SparqlError(f"unsupported query form {name}")
    return forms[name]


_DECLARED = re.compile(r"(?im)^\s*PREFIX\s+([A-Za-z][\w.-]*)?\s*:")


def with_prefixes(query: str) -> str:
    """Return ``query`` with ``PREFIX`` lines for export prefixes it uses but does not declare."""
    declared = {m.group(1) or "" for m in _DECLARED.finditer(query)}
    missing = [
        f"PREFIX {name}: <{namespace}>"
        for name, namespace in PREFIXES.items()
        if name not in declared and re.search(rf"(?<![\w<]){re.escape(name)}:", query)
    ]
    return "\n".join([*missing, query]) if missing else query


# Tokens that may hold braces or the word WHERE without being syntax: strings, IRIs, comments.
_TOKENS = re.compile(
    r"""'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\""""
    r"""|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>"{}|^`\\\x00-\x20]*>|\#[^\n]*"""
    r"""|(?P<open>\{)|(?P<close>\})|(?P<word>[A-Za-z_]\w*)""",
    re.DOTALL,
)


def inject_values(query: str, bindings: Mapping[str, Identifier]) -> str:
    r"""Insert ``VALUES (?a ?b) { (t1 t2) }`` at the start of the query's ``WHERE`` group.

    The terms are written with their escaped N3 form (IRIs checked first), so a bound value can
    never change the query's structure. Without bindings the query is returned as is.

    Raises:
        SparqlError: If the WHERE group cannot be found (``CONSTRUCT WHERE`` short form).

    Examples:
        >>> from rdflib import Literal
        >>> print(inject_values("SELECT ?e WHERE { ?e ?p ?v }", {"v": Literal('x" } ; DROP')}))
        SELECT ?e WHERE { VALUES (?v) { ("x\" } ; DROP") } ?e ?p ?v }
    """
    if not bindings:
        return query
    from rdflib import URIRef

    terms = []
    for name, term in bindings.items():
        if not _NAME.match(name):
            raise SparqlError(f"bad variable name {name!r}")
        if isinstance(term, URIRef):
            check_iri(str(term))
        terms.append(term.n3())
    block = (
        " VALUES (" + " ".join(f"?{name}" for name in bindings) + ") { (" + " ".join(terms) + ") }"
    )
    form = query_form(query)
    depth = 0
    seen_where = False
    groups = 0
    for match in _TOKENS.finditer(query):
        if match.group("word") and depth == 0 and match.group("word").upper() == "WHERE":
            seen_where = True
        elif match.group("open"):
            if depth == 0:
                groups += 1
                if seen_where or form != "construct" or groups == 2:
                    if form == "construct" and seen_where and groups == 1:
                        raise SparqlError(
                            "--bind needs the full CONSTRUCT { ... } WHERE { ... } form"
                        )
                    at = match.end()
                    return query[:at] + block + query[at:]
            depth += 1
        elif match.group("close"):
            depth -= 1
    raise SparqlError("cannot find the WHERE group of the query to bind values")


@dataclass
class QueryResult:
    """The answer to a query: rows of a SELECT, the boolean of an ASK, or a graph (N-Triples)."""

    form: QueryForm
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Identifier | None]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    def values(self) -> list[tuple[str | None, ...]]:
        """The rows as tuples of plain strings (lexical forms and IRIs), for tests and scripts."""
        return [
            tuple(None if row.get(v) is None else str(row[v]) for v in self.variables)
            for row in self.rows
        ]


def query_graph(
    graph: Graph, query: str, bindings: Mapping[str, Identifier] | None = None
) -> QueryResult:
    """Run ``query`` on an rdflib graph with ``bindings`` as ``initBindings``.

    The export prefixes (``gk:``, ``sem:``, ``time:``...) are predeclared.

    Raises:
        SparqlError: If the query does not parse or fails.
    """
    from rdflib import Namespace

    form = query_form(query)
    try:
        result = graph.query(
            query,
            initNs={name: Namespace(ns) for name, ns in PREFIXES.items()},
            initBindings=dict(bindings or {}),
        )
    except Exception as exc:  # rdflib raises many exception types while evaluating
        raise SparqlError(f"query failed: {exc}") from exc
    if form == "ask":
        return QueryResult(form, boolean=bool(result.askAnswer))
    if form in ("construct", "describe"):
        return QueryResult(form, graph=result.graph)
    variables = [str(v) for v in (result.vars or [])]
    rows = [{name: row[i] for i, name in enumerate(variables)} for row in result]  # type: ignore[index]
    return QueryResult(form, variables, rows)  # type: ignore[arg-type]


def result_from_json(data: Mapping[str, Any]) -> QueryResult:
    """Build a result from the SPARQL 1.1 Query Results JSON format.

    Raises:
        SparqlError: If the document is not such a result.
    """
    from rdflib import BNode, URIRef
    from rdflib import Literal as RdfLiteral

    if "boolean" in data:
        return QueryResult("ask", boolean=bool(data["boolean"]))
    try:
        variables = [str(v) for v in data["head"]["vars"]]
        bindings = data["results"]["bindings"]
    except (KeyError, TypeError) as exc:
        raise SparqlError("the endpoint did not return SPARQL JSON results") from exc
    rows: list[dict[str, Identifier | None]] = []
    for binding in bindings:
        row: dict[str, Identifier | None] = {}
        for name in variables:
            cell = binding.get(name)
            if cell is None:
                row[name] = None
            elif cell["type"] == "uri":
                row[name] = URIRef(cell["value"])
            elif cell["type"] == "bnode":
                row[name] = BNode(cell["value"])
            else:
                datatype = cell.get("datatype")
                row[name] = RdfLiteral(
                    cell["value"],
                    lang=cell.get("xml:lang"),
                    datatype=URIRef(datatype) if datatype else None,
                )
        rows.append(row)
    return QueryResult("select", variables, rows)


def _cell(term: Identifier | None, short: bool) -> str:
    from rdflib import URIRef

    if term is None:
        return ""
    if short and isinstance(term, URIRef):
        text = str(term)
        prefixes = {"kb": DEFAULT_BASE, **PREFIXES}
        for name, namespace in sorted(prefixes.items(), key=lambda kv: -len(kv[1])):
            if text.startswith(namespace):
                return f"{name}:{text[len(namespace) :]}"
    return str(term)


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Render a result as ``table`` (aligned text), ``csv`` or ``json`` (SPARQL JSON results).

    ASK prints ``true``/``false``; CONSTRUCT and DESCRIBE print Turtle whatever ``fmt`` says.

    Raises:
        SparqlError: For an unknown format.
    """
    if fmt not in ("table", "csv", "json"):
        raise SparqlError(f"unknown result format {fmt!r} (expected table, csv or json)")
    if result.form == "ask":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result.boolean)})
        return "true" if result.boolean else "false"
    if result.graph is not None:
        text = result.graph.serialize(format="turtle")
        return text if isinstance(text, str) else text.decode("utf-8")
    if fmt == "json":
        return json.dumps(
            {
                "head": {"vars": result.variables},
                "results": {"bindings": [_json_row(row) for row in result.rows]},
            },
            ensure_ascii=False,
            indent=1,
        )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow([_cell(row.get(v), False) for v in result.variables])
        return buffer.getvalue()
    return _table(
        result.variables,
        [[_cell(row.get(v), True) for v in result.variables] for row in result.rows],
    )


def _json_row(row: Mapping[str, Identifier | None]) -> dict[str, dict[str, str]]:
    from rdflib import BNode, URIRef
    from rdflib import Literal as RdfLiteral

    out: dict[str, dict[str, str]] = {}
    for name, term in row.items():
        if term is None:
            continue
        if isinstance(term, URIRef):
            out[name] = {"type": "uri", "value": str(term)}
        elif isinstance(term, BNode):
            out[name] = {"type": "bnode", "value": str(term)}
        elif isinstance(term, RdfLiteral):
            cell = {"type": "literal", "value": str(term)}
            if term.language:
                cell["xml:lang"] = term.language
            elif term.datatype is not None:
                cell["datatype"] = str(term.datatype)
            out[name] = cell
    return out


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    cells = [list(header), *[[c.replace("\n", " ") for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def unbound_variables(query: str, bindings: Mapping[str, object] | None = None) -> list[str]:
    """The variables ``query`` uses (in a filter, an expression, the result) that nothing binds.

    Neither a triple pattern, a ``BIND``, a ``VALUES`` block, a ``GRAPH ?g`` nor one of
    ``bindings`` gives them a value, so every comparison with them fails: usually a forgotten
    ``--bind``. A query that does not parse gives ``[]`` (running it reports the syntax error).

    Examples:
        >>> q = "SELECT ?r WHERE { ?r ?p ?start FILTER (?start <= ?day) }"
        >>> unbound_variables(q), unbound_variables(q, {"day": "2024-10-01"})
        (['day'], [])
    """
    from rdflib import Namespace
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    try:
        prepared = prepareQuery(
            query, initNs={name: Namespace(ns) for name, ns in PREFIXES.items()}
        )
    except Exception:  # rdflib raises many exception types for a bad query
        return []
    used: set[str] = set()
    bound: set[str] = set(bindings or ())

    def walk(node: object) -> None:
        if isinstance(node, Variable):
            used.add(str(node))
        elif isinstance(node, CompValue):
            if node.name in ("BGP", "TriplesBlock"):  # TriplesBlock: inside (NOT) EXISTS
                bound.update(_variables(node.get("triples")))
            elif node.name == "Extend" or node.name.startswith("Aggregate_"):
                bound.add(str(node.get("var") or node.get("res")))
            elif node.name == "values":
                rows = node.get("res") or []
                for row in [rows] if isinstance(rows, Mapping) else rows:
                    bound.update(str(v) for v in row)
            elif node.name == "Graph" and isinstance(node.get("term"), Variable):
                bound.add(str(node.get("term")))
            for value in node.values():
                walk(value)
        elif isinstance(node, Mapping):
            for key, value in node.items():
                walk(key)
                walk(value)
        elif isinstance(node, (list, tuple, set, frozenset)):
            for item in node:
                walk(item)

    walk(prepared.algebra)
    return sorted(v for v in used - bound if not v.startswith("__agg_"))


def _variables(node: object) -> set[str]:
    """Every variable in a nested structure of terms (the triples of a pattern)."""
    from rdflib.term import Variable

    if isinstance(node, Variable):
        return {str(node)}
    if isinstance(node, (list, tuple)):
        return set().union(*(_variables(item) for item in node))
    return set()


def unknown_iris(graph: Graph, bindings: Mapping[str, Identifier]) -> list[tuple[str, str, str]]:
    """The bound IRIs that no triple of ``graph`` mentions: ``(name, iri, hint)``.

    The hint names close ids of the same kind (``actor:PRK`` for ``actor:PRKK``), or is empty.

    Examples:
        >>> from rdflib import Graph, URIRef
        >>> g = Graph()
        >>> g.add((URIRef("https://x.org/kb/actor/PRK"), URIRef("https://x.org/p"), URIRef("https://x.org/o")))
        <Graph identifier=... (<class 'rdflib.graph.Graph'>)>
        >>> unknown_iris(g, {"who": URIRef("https://x.org/kb/actor/PRKK")})
        [('who', 'https://x.org/kb/actor/PRKK', "did you mean 'PRK'?")]
    """
    from rdflib import URIRef

    from graphkit.errors import suggest

    found = []
    for name, term in bindings.items():
        if not isinstance(term, URIRef) or _mentioned(graph, term):
            continue
        folder, _, last = str(term).rpartition("/")
        near = {
            str(node).rpartition("/")[2]
            for node in graph.subjects(unique=True)
            if isinstance(node, URIRef) and str(node).rpartition("/")[0] == folder
        }
        found.append((name, str(term), suggest(last, near) or ""))
    return found


def _mentioned(graph: Graph, term: Identifier) -> bool:
    return any(
        True
        for pattern in ((term, None, None), (None, None, term), (None, term, None))
        for _ in graph.triples(pattern)
    )
