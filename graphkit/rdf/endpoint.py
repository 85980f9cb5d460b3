"""Talk to a SPARQL server: Graph Store upload (``push``), queries and reading a KB back.

Plain HTTP with the standard library, through :mod:`graphkit.rdf._http`: credentials never come
from the command line (``GRAPHKIT_ENDPOINT_TOKEN``, a bearer token, else
``GRAPHKIT_ENDPOINT_USER`` / ``GRAPHKIT_ENDPOINT_PASSWORD``, else the ``~/.netrc`` entry of the
endpoint's host; user and password answer a Basic or Digest challenge) and are sent only to the
endpoint's origin; an upload or a query never follows a redirect; every operation ends within
``timeout`` seconds (:data:`DEFAULT_TIMEOUT`), however slowly the server answers.

Uploads send N-Triples in batches, one request each (:func:`push`): memory stays bounded and an
interrupted upload resumes (:mod:`graphkit.rdf._batches`).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping
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
    "OXIGRAPH_BULK",
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
    """What an upload did: the export's triples, seconds taken, the URL and the last HTTP status.

    ``batches`` requests were sent; ``skipped`` triples were not sent again because a checkpoint
    showed the server had acknowledged them (a resumed push).
    """

    triples: int
    seconds: float
    url: str
    status: int
    batches: int = 1
    skipped: int = 0

    @property
    def rate(self) -> float:
        """Triples sent per second."""
        sent = self.triples - self.skipped
        return sent / self.seconds if self.seconds > 0 else float(sent)


#: Triples per request of :func:`push` (about 15 MB of N-Triples). A request has a fixed cost on
#: the server (Oxigraph commits it, or with ``bulk`` writes and ingests its own sorted files):
#: at 10,000 events (745,897 triples) Oxigraph's CPU time for the whole push was about the same
#: for transactions of 2,000-250,000 triples (10-16 s), while the bulk loader's fell from 8.3 s
#: with batches of 10,000 triples to 4.7-5.1 s with batches of 100,000 (docs/performance.md,
#: "Why the transactional push is slower"). Memory stays bounded: about three batches here,
#: one transaction on the server.
DEFAULT_BATCH_SIZE = 100_000

#: The query parameter that makes Oxigraph load a Graph Store request with its bulk loader.
OXIGRAPH_BULK = "no_transaction"


def push(
    kb: KnowledgeBase,
    endpoint: str,
    *,
    graph: str | None = None,
    replace: bool = False,
    base: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    checkpoint: str | os.PathLike[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    bulk: bool = False,
) -> PushResult:
    """Upload ``kb`` to a SPARQL 1.1 Graph Store endpoint in batches of ``batch_size`` triples.

    Each batch is one request: POST adds; with ``replace`` the first batch is a PUT (the graph
    is replaced) and the others add to it. Memory holds about three batches, whatever the size
    of ``kb``. IRIs are minted from ids and there are no blank nodes, so a batch sent twice adds
    nothing: pushing the same knowledge base twice leaves the server as after the first push,
    and an interrupted push completes when run again. With ``checkpoint`` (a file) the rerun
    skips the batches the server acknowledged (:mod:`graphkit.rdf._batches` says how).
    ``progress(items_done, triples_done)`` is called after each batch. Each request must end
    within ``timeout`` seconds.

    ``bulk`` (Oxigraph only) adds ``no_transaction`` to the URL: Oxigraph then loads each batch
    with its bulk loader instead of a transaction, with 40% of the CPU time (1.6x ``oxigraph
    load``'s at 100,000 events, where the default is 3.9x). A batch is then not atomic: a
    batch interrupted on the server may be partly stored until it is sent again (every
    guarantee above still holds: resending adds nothing), and readers may see part of a batch.
    Use it for a first load into a server no one else writes to; other servers may reject or
    ignore the parameter.

    Raises:
        EndpointError: If the server is unreachable, answers with an error or a redirect, or
            does not answer a batch in time. The batches before the failing one are in the
            store (and in the checkpoint).
        ValueError: If ``batch_size`` is below 1.

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
    from graphkit.rdf._batches import Checkpoint, ntriples_batches, prefetched
    from graphkit.rdf.export import iter_triples

    url = graph_store_url(endpoint, graph)
    if bulk:
        url = f"{url}&{OXIGRAPH_BULK}"
    if batch_size < 1:
        raise ValueError(f"batch size must be at least 1, not {batch_size}")
    state = None
    if checkpoint is not None:
        key: dict[str, object] = {
            "url": url,
            "base": base,
            "batch_size": batch_size,
            "replace": replace,
        }
        state = Checkpoint(checkpoint, key)
    started = time.perf_counter()
    triples = skipped = requests = status = 0
    resuming = state is not None and bool(state.digests)
    batches = prefetched(ntriples_batches(iter_triples(kb, base=base), batch_size))
    try:
        for batch in batches:
            triples += batch.triples
            digest = batch.digest if state is not None else ""
            if resuming and state is not None:
                done = state.digests
                resuming = batch.index < len(done) and done[batch.index] == digest
                if resuming:
                    skipped += batch.triples
                    if progress is not None:
                        progress(batch.items, triples)
                    continue
            with deadline(timeout) as limit:
                response = request(
                    "PUT" if replace and batch.index == 0 else "POST",
                    url,
                    limit=limit,
                    body=batch.data,
                    headers={"Content-Type": "application/n-triples"},
                )
            status = response.status
            requests += 1
            if state is not None:
                state.acknowledged(batch.index, digest)
            if progress is not None:
                progress(batch.items, triples)
    finally:
        batches.close()
    if state is not None:
        state.finish()
    return PushResult(triples, time.perf_counter() - started, url, status, requests, skipped)


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
