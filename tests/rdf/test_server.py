"""Push, query and read back against a real Oxigraph server (``oxigraph serve``)."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import graphkit as gk
from graphkit.cli import main
from graphkit.rdf import from_rdf, to_rdf
from graphkit.rdf.endpoint import EndpointError, load_endpoint, push, query_endpoint
from graphkit.rdf.sparql import parse_binding, query_graph

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP = ROOT / "data" / "events.yaml"
GRAPH = "https://graphkit.example.org/graphs/flagship"


def test_push_query_and_read_back(oxigraph, flagship, capsys) -> None:
    assert main(["push", str(FLAGSHIP), "--endpoint", oxigraph.store, "--graph", GRAPH]) == 0
    assert "triples/s" in capsys.readouterr().err
    local = len(to_rdf(flagship))
    assert oxigraph.count(GRAPH) == local
    again = load_endpoint(oxigraph.query, GRAPH)
    assert again == flagship
    assert load_endpoint(oxigraph.store, GRAPH, protocol="gsp") == flagship


def test_push_twice_duplicates_nothing_and_replace_drops_stale_triples(
    oxigraph, flagship, write_yaml
) -> None:
    graph = GRAPH + "/twice"
    first = push(flagship, oxigraph.store, graph=graph)
    assert first.triples == len(to_rdf(flagship))
    push(flagship, oxigraph.store, graph=graph)
    assert oxigraph.count(graph) == first.triples
    small = gk.loads("format_version: 1\nsources: [{id: s, title: T, reliability: B}]")
    push(small, oxigraph.store, graph=graph)  # POST adds
    shared = len(set(to_rdf(flagship)) & set(to_rdf(small)))  # KB node and the type schemes
    assert shared == 8
    assert oxigraph.count(graph) == first.triples + len(to_rdf(small)) - shared
    path = write_yaml("small.yaml", small.to_yaml())
    assert (
        main(["push", str(path), "--endpoint", oxigraph.store, "--graph", graph, "--replace"]) == 0
    )
    assert oxigraph.count(graph) == len(to_rdf(small))
    assert (
        main(["push", str(path), "--endpoint", oxigraph.store, "--graph", graph, "--replace"]) == 0
    )
    assert oxigraph.count(graph) == len(to_rdf(small))
    assert load_endpoint(oxigraph.query, graph) == small


def test_default_graph_push_and_remote_query(oxigraph, flagship, capsys) -> None:
    push(flagship, oxigraph.store, replace=True)
    query = "SELECT ?e WHERE { ?e gk:involves ?actor } ORDER BY ?e"
    bindings = dict([parse_binding("actor=actor:KOR-NIS")])
    remote = query_endpoint(oxigraph.query, query, bindings)
    local = query_graph(to_rdf(flagship), query, bindings)
    assert remote.values() == local.values()
    assert len(remote.rows) >= 3
    capsys.readouterr()
    assert (
        main(
            [
                "sparql",
                query,
                "--endpoint",
                oxigraph.query,
                "--bind",
                "actor=actor:KOR-NIS",
                "--format",
                "csv",
            ]
        )
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "e" and len(lines) == len(local.rows) + 1


def test_hostile_values_reach_the_server_as_terms(oxigraph) -> None:
    kb = gk.loads(
        'format_version: 1\nactors: [{id: "x\\" } ; DROP ALL #", name: "a } b", kind: state}]'
    )
    graph = GRAPH + "/hostile"
    push(kb, oxigraph.store, graph=graph, replace=True)
    query = f"SELECT ?n WHERE {{ GRAPH <{graph}> {{ ?a schema:name ?n }} }}"
    result = query_endpoint(
        oxigraph.query, query, dict([parse_binding('a=actor:x" } ; DROP ALL #')])
    )
    assert result.values() == [("a } b",)]
    result = query_endpoint(oxigraph.query, query, dict([parse_binding('n="} ; DROP ALL #"')]))
    assert result.values() == []
    assert oxigraph.count(graph) == len(to_rdf(kb))
    assert load_endpoint(oxigraph.query, graph) == kb


def test_a_server_that_is_down_gives_a_clear_error(flagship, capsys, free_port) -> None:
    url = f"http://127.0.0.1:{free_port}/store"
    with pytest.raises(EndpointError) as info:
        push(flagship, url)
    assert info.value.url.startswith(url) and info.value.status is None
    assert "cannot reach" in str(info.value)
    assert main(["push", str(FLAGSHIP), "--endpoint", url]) == 1
    err = capsys.readouterr().err
    assert "cannot reach" in err and "triples/s" not in err


class _Handler(http.server.BaseHTTPRequestHandler):
    seen: list[dict[str, str]] = []
    status = 500

    def _answer(self) -> None:
        length = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding") == "chunked":
            while True:
                size = int(self.rfile.readline().strip(), 16)
                self.rfile.read(size + 2)
                if size == 0:
                    break
        elif length:
            self.rfile.read(int(length))
        type(self).seen.append(dict(self.headers.items()))
        auth = self.headers.get("Authorization")
        if type(self).status == 401 and auth is None:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="kb"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        code = 204 if type(self).status == 401 else type(self).status
        body = b"" if code == 204 else b"store is read-only"
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_POST = do_PUT = do_HEAD = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_server() -> Iterator[tuple[str, type[_Handler]]]:
    handler = type("Handler", (_Handler,), {"seen": [], "status": 500})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/store", handler
    finally:
        server.shutdown()
        server.server_close()


def test_a_server_error_is_reported_with_status_and_exit_1(fake_server, flagship, capsys) -> None:
    url, handler = fake_server
    with pytest.raises(EndpointError) as info:
        push(flagship, url)
    assert info.value.status == 500 and "store is read-only" in str(info.value)
    assert main(["push", str(FLAGSHIP), "--endpoint", url]) == 1
    err = capsys.readouterr().err
    assert "HTTP 500" in err and "triples/s" not in err


def test_credentials_come_from_the_environment(fake_server, flagship, monkeypatch) -> None:
    url, handler = fake_server
    handler.status = 401
    monkeypatch.setenv("HOME", "/nonexistent")
    monkeypatch.setenv("GRAPHKIT_ENDPOINT_USER", "analyst")
    monkeypatch.setenv("GRAPHKIT_ENDPOINT_PASSWORD", "s3cret")
    result = push(flagship, url)
    assert result.status == 204
    assert handler.seen[-1]["Authorization"] == "Basic YW5hbHlzdDpzM2NyZXQ="
    monkeypatch.setenv("GRAPHKIT_ENDPOINT_TOKEN", "tok-123")
    push(flagship, url)
    assert handler.seen[-1]["Authorization"] == "Bearer tok-123"


def test_netrc_credentials(fake_server, flagship, monkeypatch, tmp_path) -> None:
    url, handler = fake_server
    handler.status = 401
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine 127.0.0.1 login robot password pw\n")
    netrc.chmod(0o600)
    for name in ("GRAPHKIT_ENDPOINT_USER", "GRAPHKIT_ENDPOINT_PASSWORD", "GRAPHKIT_ENDPOINT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NETRC", str(netrc))
    push(flagship, url)
    assert handler.seen[-1]["Authorization"] == "Basic cm9ib3Q6cHc="


def test_missing_credentials_are_explained(fake_server, flagship, monkeypatch) -> None:
    url, handler = fake_server
    handler.status = 401
    for name in ("GRAPHKIT_ENDPOINT_USER", "GRAPHKIT_ENDPOINT_PASSWORD", "GRAPHKIT_ENDPOINT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NETRC", "/nonexistent/netrc")
    with pytest.raises(EndpointError) as info:
        push(flagship, url)
    assert info.value.status == 401 and "GRAPHKIT_ENDPOINT_TOKEN" in str(info.value)


def test_round_trip_through_rdf_file_and_server_agree(oxigraph, flagship, tmp_path) -> None:
    path = tmp_path / "kb.nt"
    assert main(["export", str(FLAGSHIP), "--format", "nt", "-o", str(path)]) == 0
    kb = from_rdf(path)
    graph = GRAPH + "/from-file"
    assert (
        main(["push", str(path), "--endpoint", oxigraph.store, "--graph", graph, "--replace"]) == 0
    )
    assert load_endpoint(oxigraph.query, graph) == kb == flagship
