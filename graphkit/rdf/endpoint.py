"""Talk to a SPARQL server: Graph Store upload (``push``), queries and reading a KB back.

Plain HTTP with the standard library (``urllib``). Credentials never come from the command line:
``GRAPHKIT_ENDPOINT_TOKEN`` (a bearer token), else ``GRAPHKIT_ENDPOINT_USER`` /
``GRAPHKIT_ENDPOINT_PASSWORD``, else the ``~/.netrc`` entry of the endpoint's host; user and
password answer a Basic or Digest challenge.

Uploads stream N-Triples in one chunked request (``Transfer-Encoding: chunked``): the server
commits the whole graph or nothing, so a failed upload is never half-reported as a success.
"""

from __future__ import annotations

import base64
import json
import netrc
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode, urlsplit

from graphkit.errors import GraphkitError
from graphkit.kb import KnowledgeBase
from graphkit.rdf._triples import Triple
from graphkit.rdf.iri import DEFAULT_BASE, check_iri

if TYPE_CHECKING:
    from rdflib.term import Identifier

    from graphkit.rdf.sparql import QueryResult

__all__ = [
    "EndpointError",
    "PushResult",
    "graph_store_url",
    "load_endpoint",
    "push",
    "query_endpoint",
]

#: Environment variables read for credentials.
ENV_USER, ENV_PASSWORD, ENV_TOKEN = (
    "GRAPHKIT_ENDPOINT_USER",
    "GRAPHKIT_ENDPOINT_PASSWORD",
    "GRAPHKIT_ENDPOINT_TOKEN",
)
_TIMEOUT = 120.0


class EndpointError(GraphkitError):
    """A SPARQL endpoint that is unreachable, refuses a request or answers with an error.

    ``url`` is the address called; ``status`` the HTTP status (``None`` when no answer came).
    """

    def __init__(self, message: str, *, url: str, status: int | None = None) -> None:
        self.url = url
        self.status = status
        super().__init__(message)


@dataclass(frozen=True)
class _Credentials:
    user: str | None = None
    password: str | None = None
    token: str | None = None


def _credentials(url: str) -> _Credentials:
    token = os.environ.get(ENV_TOKEN)
    if token:
        return _Credentials(token=token)
    user, password = os.environ.get(ENV_USER), os.environ.get(ENV_PASSWORD)
    if user and password is not None:
        return _Credentials(user, password)
    host = urlsplit(url).hostname
    path = os.environ.get("NETRC") or os.path.join(os.path.expanduser("~"), ".netrc")
    if host and os.path.isfile(path):
        try:
            entry = netrc.netrc(path).authenticators(host)
        except (netrc.NetrcParseError, OSError) as exc:
            raise EndpointError(f"cannot read {path}: {exc}", url=url) from exc
        if entry is not None and entry[0]:
            return _Credentials(entry[0], entry[2] or "")
    return _Credentials()


@dataclass(frozen=True)
class _Response:
    status: int
    headers: Mapping[str, str]
    body: bytes


Body = bytes | Callable[[], Iterable[bytes]] | None


def _open(method: str, url: str, body: Body, headers: dict[str, str]) -> _Response:
    data: bytes | Iterable[bytes] | None = body() if callable(body) else body
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=_TIMEOUT) as response:  # noqa: S310
            return _Response(response.status, dict(response.headers.items()), response.read())
    except urllib.error.HTTPError as exc:
        payload = exc.read() if exc.fp is not None else b""
        exc.close()
        return _Response(exc.code, dict(exc.headers.items()), payload)
    except EndpointError:
        raise
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise EndpointError(f"cannot reach {url}: {reason}", url=url) from exc


def _challenge_answer(method: str, url: str, challenge: str, creds: _Credentials) -> str | None:
    scheme, _, params = challenge.partition(" ")
    if creds.user is None or creds.password is None:
        return None
    if scheme.lower() == "basic":
        pair = f"{creds.user}:{creds.password}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")
    if scheme.lower() == "digest":
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, url, creds.user, creds.password)
        handler = urllib.request.HTTPDigestAuthHandler(manager)
        fields = urllib.request.parse_keqv_list(
            [item for item in urllib.request.parse_http_list(params) if item]
        )
        answer = handler.get_authorization(urllib.request.Request(url, method=method), fields)
        return None if answer is None else "Digest " + answer
    return None


def _request(
    method: str,
    url: str,
    *,
    body: Body = None,
    headers: Mapping[str, str] | None = None,
    probe: bool = False,
) -> _Response:
    """Send a request with the configured credentials; raise EndpointError on an error status.

    With ``probe`` (streamed bodies), a HEAD request learns the authentication challenge first so
    the body is sent once.
    """
    creds = _credentials(url)
    sent = dict(headers or {})
    sent.setdefault("User-Agent", "graphkit")
    if creds.token:
        sent["Authorization"] = f"Bearer {creds.token}"
    elif creds.user is not None and probe:
        first = _open("HEAD", url, None, {"User-Agent": "graphkit"})
        challenge = first.headers.get("WWW-Authenticate")
        if first.status == 401 and challenge:
            answer = _challenge_answer(method, url, challenge, creds)
            if answer:
                sent["Authorization"] = answer
    response = _open(method, url, body, sent)
    challenge = response.headers.get("WWW-Authenticate")
    if response.status == 401 and challenge and "Authorization" not in sent:
        answer = _challenge_answer(method, url, challenge, creds)
        if answer:
            sent["Authorization"] = answer
            response = _open(method, url, body, sent)
    if response.status >= 400:
        detail = response.body.decode("utf-8", "replace").strip()[:500]
        hint = ""
        if response.status in (401, 403):
            hint = f" (set {ENV_TOKEN}, or {ENV_USER} and {ENV_PASSWORD}, or a ~/.netrc entry)"
        raise EndpointError(
            f"{method} {url} failed: HTTP {response.status}"
            + (f": {detail}" if detail else "")
            + hint,
            url=url,
            status=response.status,
        )
    return response


def graph_store_url(endpoint: str, graph: str | None) -> str:
    """The Graph Store Protocol URL of ``graph`` (``?graph=...``) or the default graph.

    Examples:
        >>> graph_store_url("http://localhost:7878/store", "https://ex.org/g 1".replace(" ", "%20"))
        'http://localhost:7878/store?graph=https%3A%2F%2Fex.org%2Fg%25201'
        >>> graph_store_url("http://localhost:7878/store", None)
        'http://localhost:7878/store?default'
    """
    _check_endpoint(endpoint)
    joiner = "&" if "?" in endpoint else "?"
    if graph is None:
        return f"{endpoint}{joiner}default"
    check_iri(graph, what="graph IRI")
    return f"{endpoint}{joiner}graph={quote(graph, safe='')}"


def _check_endpoint(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise EndpointError(f"endpoint {url!r} is not an http(s) URL", url=url)
    return url


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
    from graphkit.rdf._text import NTriples

    formatter = NTriples()
    lines: list[str] = []
    items = pending = 0
    for chunk in chunks:
        items += 1
        lines.append(formatter.text(chunk))
        pending += len(chunk)
        if pending >= chunk_triples:
            counter[0] += pending
            yield "".join(lines).encode("utf-8")
            lines.clear()
            pending = 0
            if progress is not None:
                progress(items, counter[0])
    if lines:
        counter[0] += pending
        yield "".join(lines).encode("utf-8")
    if progress is not None:
        progress(items, counter[0])


def push(
    kb: KnowledgeBase,
    endpoint: str,
    *,
    graph: str | None = None,
    replace: bool = False,
    base: str = DEFAULT_BASE,
    progress: Callable[[int, int], None] | None = None,
    chunk_triples: int = 20_000,
) -> PushResult:
    """Upload ``kb`` to a SPARQL 1.1 Graph Store endpoint (POST adds, PUT with ``replace``).

    IRIs are minted from ids and there are no blank nodes, so pushing the same knowledge base
    twice adds nothing. ``progress(items_done, triples_sent)`` is called as chunks go out.

    Raises:
        EndpointError: If the server is unreachable or answers with an error; nothing is
            reported as uploaded then.

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

    response = _request(
        "PUT" if replace else "POST",
        url,
        body=body,
        headers={"Content-Type": "application/n-triples"},
        probe=True,
    )
    return PushResult(counter[0], time.perf_counter() - started, url, response.status)


def query_endpoint(
    endpoint: str, query: str, bindings: Mapping[str, Identifier] | None = None
) -> QueryResult:
    """Run ``query`` on a SPARQL endpoint (SPARQL 1.1 Protocol, POST form).

    Bindings go in as a ``VALUES`` block (:func:`graphkit.rdf.sparql.inject_values`).

    Raises:
        SparqlError: If the query does not parse.
        EndpointError: If the endpoint fails.
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

    _check_endpoint(endpoint)
    form = query_form(query)
    text = inject_values(with_prefixes(query), dict(bindings or {}))
    accept = (
        "application/sparql-results+json" if form in ("select", "ask") else "application/n-triples"
    )
    response = _request(
        "POST",
        endpoint,
        body=urlencode({"query": text}).encode("utf-8"),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": accept,
        },
    )
    if form in ("select", "ask"):
        try:
            data = json.loads(response.body)
        except ValueError as exc:
            raise SparqlError(f"{endpoint} did not return JSON results: {exc}") from exc
        return result_from_json(data)
    graph = Graph()
    graph.parse(data=response.body.decode("utf-8"), format="nt")
    return QueryResult(form, graph=graph)


def _fetch_triples(url: str, graph: str | None, protocol: str) -> list[Triple]:
    from graphkit.rdf.read import parse_ntriples

    if protocol == "gsp":
        target = graph_store_url(url, graph)
        response = _request("GET", target, headers={"Accept": "application/n-triples"})
    elif protocol == "sparql":
        _check_endpoint(url)
        pattern = "?s ?p ?o" if graph is None else f"GRAPH <{check_iri(graph)}> {{ ?s ?p ?o }}"
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {pattern} }}"
        target = url
        response = _request(
            "POST",
            url,
            body=urlencode({"query": query}).encode("utf-8"),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/n-triples",
            },
        )
    else:
        raise ValueError(f"protocol must be 'sparql' or 'gsp', not {protocol!r}")
    try:
        return parse_ntriples(response.body)
    except ValueError as exc:
        raise EndpointError(f"{target}: {exc}", url=target) from exc


def load_endpoint(url: str, graph: str | None = None, *, protocol: str = "sparql") -> KnowledgeBase:
    """Read a knowledge base back from a server.

    ``protocol="sparql"`` (default): ``url`` is a query endpoint and a ``CONSTRUCT`` fetches the
    default graph or ``graph``; ``protocol="gsp"``: ``url`` is a Graph Store endpoint and a GET
    fetches the graph.

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

    triples = _fetch_triples(url, graph, protocol)
    return KnowledgeBase.from_document(document_from_triples(triples))
