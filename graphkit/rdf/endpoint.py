"""Talk to a SPARQL server: Graph Store upload (``push``), queries and reading a KB back.

Plain HTTP with the standard library (``urllib``). Credentials never come from the command line:
``GRAPHKIT_ENDPOINT_TOKEN`` (a bearer token), else ``GRAPHKIT_ENDPOINT_USER`` /
``GRAPHKIT_ENDPOINT_PASSWORD``, else the ``~/.netrc`` entry of the endpoint's host; user and
password answer a Basic or Digest challenge.

Uploads send N-Triples in batches, one request each (:func:`push`): memory stays bounded and an
interrupted upload resumes (:mod:`graphkit.rdf._batches`).
"""

from __future__ import annotations

import base64
import json
import netrc
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode, urlsplit

from graphkit.errors import GraphkitError
from graphkit.kb import KnowledgeBase
from graphkit.rdf._triples import Triple
from graphkit.rdf.iri import check_iri

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


#: Triples per request of :func:`push` (about 1.5 MB of N-Triples). Oxigraph commits a request
#: as one transaction, whose cost grows faster than its size: at 10,000 events, batches of
#: 10,000-20,000 triples loaded in about 40 s, of 50,000 in 65-80 s, of 500,000 in 85 s.
DEFAULT_BATCH_SIZE = 10_000


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
) -> PushResult:
    """Upload ``kb`` to a SPARQL 1.1 Graph Store endpoint in batches of ``batch_size`` triples.

    Each batch is one request: POST adds; with ``replace`` the first batch is a PUT (the graph
    is replaced) and the others add to it. Memory holds about three batches, whatever the size
    of ``kb``. IRIs are minted from ids and there are no blank nodes, so a batch sent twice adds
    nothing: pushing the same knowledge base twice leaves the server as after the first push,
    and an interrupted push completes when run again. With ``checkpoint`` (a file) the rerun
    skips the batches the server acknowledged (:mod:`graphkit.rdf._batches` says how).
    ``progress(items_done, triples_done)`` is called after each batch.

    Raises:
        EndpointError: If the server is unreachable or answers with an error. The batches
            before the failing one are in the store (and in the checkpoint).
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
            response = _request(
                "PUT" if replace and batch.index == 0 else "POST",
                url,
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
