"""Talk to a SPARQL server: Graph Store upload (``push``), queries and reading a KB back.

Plain HTTP with the standard library, through :mod:`graphkit.rdf._http`: credentials never come
from the command line (``GRAPHKIT_ENDPOINT_TOKEN``, a bearer token, else
``GRAPHKIT_ENDPOINT_USER`` / ``GRAPHKIT_ENDPOINT_PASSWORD``, else the ``~/.netrc`` entry of the
endpoint's host; user and password answer a Basic or Digest challenge) and are sent only to the
endpoint's origin; an upload or a query never follows a redirect; every operation ends within
``timeout`` seconds (:data:`DEFAULT_TIMEOUT`), however slowly the server answers.

Uploads stream N-Triples in one chunked request (``Transfer-Encoding: chunked``): the server
commits the whole graph or nothing, so a failed upload is never half-reported as a success.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from graphkit.kb import KnowledgeBase
from graphkit.rdf._http import (
    DEFAULT_TIMEOUT,
    ENV_PASSWORD,
    ENV_TOKEN,
    ENV_USER,
    Deadline,
    EndpointError,
    Response,
    check_endpoint,
    deadline,
    request,
)
from graphkit.rdf._triples import Triple
from graphkit.rdf.iri import check_iri

if TYPE_CHECKING:
    from rdflib.term import Identifier

    from graphkit.rdf.sparql import QueryResult

__all__ = [
    "DEFAULT_TIMEOUT",
    "ENV_PASSWORD",
    "ENV_TOKEN",
    "ENV_USER",
    "EndpointError",
    "PushResult",
    "graph_store_url",
    "load_endpoint",
    "push",
    "query_endpoint",
]


def graph_store_url(endpoint: str, graph: str | None) -> str:
    """The Graph Store Protocol URL of ``graph`` (``?graph=...``) or the default graph.

    Examples:
        >>> graph_store_url("http://localhost:7878/store", "https://ex.org/g 1".replace(" ", "%20"))
        'http://localhost:7878/store?graph=https%3A%2F%2Fex.org%2Fg%25201'
        >>> graph_store_url("http://localhost:7878/store", None)
        'http://localhost:7878/store?default'
    """
    check_endpoint(endpoint)
    joiner = "&" if "?" in endpoint else "?"
    if graph is None:
        return f"{endpoint}{joiner}default"
    check_iri(graph, what="graph IRI")
    return f"{endpoint}{joiner}graph={quote(graph, safe='')}"


@dataclass(frozen=True)
class PushResult:
    """What an upload did: triples sent, seconds taken, the URL and the HTTP status."""

    triples: int
    seconds: float
    url: str
    status: int

    @property
    def rate(self) -> float:
        """Triples per second."""
        return self.triples / self.seconds if self.seconds > 0 else float(self.triples)


def _ntriples_chunks(
    chunks: Iterable[list[Triple]],
    counter: list[int],
    progress: Callable[[int, int], None] | None,
    chunk_triples: int,
) -> Iterator[bytes]:
    from graphkit.rdf.export import _nt_object

    lines: list[str] = []
    items = 0
    for chunk in chunks:
        items += 1
        for s, p, o in chunk:
            lines.append(f"<{s}> <{p}> {_nt_object(o)} .\n")
        if len(lines) >= chunk_triples:
            counter[0] += len(lines)
            yield "".join(lines).encode("utf-8")
            lines.clear()
            if progress is not None:
                progress(items, counter[0])
    if lines:
        counter[0] += len(lines)
        yield "".join(lines).encode("utf-8")
    if progress is not None:
        progress(items, counter[0])


def push(
    kb: KnowledgeBase,
    endpoint: str,
    *,
    graph: str | None = None,
    replace: bool = False,
    base: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    chunk_triples: int = 20_000,
    timeout: float = DEFAULT_TIMEOUT,
) -> PushResult:
    """Upload ``kb`` to a SPARQL 1.1 Graph Store endpoint (POST adds, PUT with ``replace``).

    IRIs are minted from ids and there are no blank nodes, so pushing the same knowledge base
    twice adds nothing. ``progress(items_done, triples_sent)`` is called as chunks go out. The
    whole upload must end within ``timeout`` seconds.

    Raises:
        EndpointError: If the server is unreachable, answers with an error or a redirect, or
            does not finish in time; nothing is reported as uploaded then.

    Examples:
        Against a running server (here Oxigraph's Graph Store endpoint, not started by the
        doctests):

        >>> import graphkit as gk
        >>> kb = gk.loads("{format_version: 1, actors: [{id: A, name: Arcadia, kind: state}]}")
        >>> result = gk.push(kb, "http://localhost:7878/store")  # doctest: +SKIP
        >>> result.triples, result.status  # doctest: +SKIP
        (7, 204)

        The endpoint is checked before anything is sent:

        >>> gk.push(kb, "localhost:7878/store")
        Traceback (most recent call last):
        ...
        graphkit.rdf.endpoint.EndpointError: endpoint 'localhost:7878/store' is not an http(s) URL
    """
    from graphkit.rdf.export import iter_triples

    url = graph_store_url(endpoint, graph)
    counter = [0]
    started = time.perf_counter()

    def body() -> Iterable[bytes]:
        counter[0] = 0
        return _ntriples_chunks(iter_triples(kb, base=base), counter, progress, chunk_triples)

    with deadline(timeout) as limit:
        response = request(
            "PUT" if replace else "POST",
            url,
            limit=limit,
            body=body,
            headers={"Content-Type": "application/n-triples"},
            probe=True,
        )
    return PushResult(counter[0], time.perf_counter() - started, url, response.status)


def query_endpoint(
    endpoint: str,
    query: str,
    bindings: Mapping[str, Identifier] | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
) -> QueryResult:
    """Run ``query`` on a SPARQL endpoint (SPARQL 1.1 Protocol, POST form) within ``timeout`` s.

    Bindings go in as a ``VALUES`` block (:func:`graphkit.rdf.sparql.inject_values`).

    Raises:
        SparqlError: If the query does not parse.
        EndpointError: If the endpoint fails, redirects or does not answer in time.
    """
    from rdflib import Graph

    from graphkit.rdf.sparql import (
        QueryResult,
        SparqlError,
        inject_values,
        query_form,
        result_from_json,
        with_prefixes,
    )

    check_endpoint(endpoint)
    form = query_form(query)
    text = inject_values(with_prefixes(query), dict(bindings or {}))
    accept = (
        "application/sparql-results+json" if form in ("select", "ask") else "application/n-triples"
    )
    with deadline(timeout) as limit:
        response = _post_query(endpoint, text, accept, limit)
    if form in ("select", "ask"):
        try:
            data = json.loads(response.body)
        except ValueError as exc:
            raise SparqlError(f"{endpoint} did not return JSON results: {exc}") from exc
        return result_from_json(data)
    graph = Graph()
    graph.parse(data=response.body.decode("utf-8"), format="nt")
    return QueryResult(form, graph=graph)


def _post_query(endpoint: str, query: str, accept: str, limit: Deadline) -> Response:
    """Send ``query`` with the SPARQL 1.1 Protocol (POST, form-encoded)."""
    return request(
        "POST",
        endpoint,
        limit=limit,
        body=urlencode({"query": query}).encode("utf-8"),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
    )


def _fetch_triples(url: str, graph: str | None, protocol: str, timeout: float) -> list[Triple]:
    from graphkit.rdf.read import parse_ntriples

    if protocol not in ("sparql", "gsp"):
        raise ValueError(f"protocol must be 'sparql' or 'gsp', not {protocol!r}")
    with deadline(timeout) as limit:
        if protocol == "gsp":
            target = graph_store_url(url, graph)
            accept = {"Accept": "application/n-triples"}
            response = request("GET", target, limit=limit, headers=accept)
        else:
            check_endpoint(url)
            pattern = "?s ?p ?o" if graph is None else f"GRAPH <{check_iri(graph)}> {{ ?s ?p ?o }}"
            query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {pattern} }}"
            target = url
            response = _post_query(url, query, "application/n-triples", limit)
    try:
        return parse_ntriples(response.body)
    except ValueError as exc:
        raise EndpointError(f"{target}: {exc}", url=target) from exc


def load_endpoint(
    url: str,
    graph: str | None = None,
    *,
    protocol: str = "sparql",
    timeout: float = DEFAULT_TIMEOUT,
) -> KnowledgeBase:
    """Read a knowledge base back from a server, within ``timeout`` seconds.

    ``protocol="sparql"`` (default): ``url`` is a query endpoint and a ``CONSTRUCT`` fetches the
    default graph or ``graph``; ``protocol="gsp"``: ``url`` is a Graph Store endpoint and a GET
    fetches the graph (following redirects; credentials go only to the endpoint's origin).

    Raises:
        EndpointError: If the server fails.
        RdfError: If the triples do not describe a valid knowledge base.

    Examples:
        After ``gk.push(kb, "http://localhost:7878/store")`` to a running Oxigraph server (not
        started by the doctests), the knowledge base reads back unchanged:

        >>> import graphkit as gk
        >>> kb = gk.loads("{format_version: 1, actors: [{id: A, name: Arcadia, kind: state}]}")
        >>> gk.load_endpoint("http://localhost:7878/query") == kb  # doctest: +SKIP
        True
        >>> gk.load_endpoint("http://localhost:7878/store", protocol="gsp") == kb  # doctest: +SKIP
        True
        >>> gk.load_endpoint("http://localhost:7878/query", protocol="ftp")
        Traceback (most recent call last):
        ...
        ValueError: protocol must be 'sparql' or 'gsp', not 'ftp'
    """
    from graphkit.rdf.read import document_from_triples

    triples = _fetch_triples(url, graph, protocol, timeout)
    return KnowledgeBase.from_document(document_from_triples(triples))
