"""A hostile SPARQL server: redirects, slow answers, escape sequences (#14 items 1-3).

Two real HTTP servers run in this process, bound to 127.0.0.1 and 127.0.0.2 (two loopback
addresses: two origins), started by the fixture and stopped through their handles.
"""

from __future__ import annotations

import http.server
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import graphkit as gk
from graphkit.cli import main
from graphkit.rdf import serialize
from graphkit.rdf.endpoint import EndpointError, load_endpoint, push, query_endpoint

pytestmark = [pytest.mark.adversarial, pytest.mark.server]

KB_TEXT = "format_version: 1\nactors: [{id: A, name: Arcadia, kind: state}]\n"
SECRET = "s3cr3t-token"
REDIRECTS = [301, 302, 303, 307, 308]
HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
EVIL = "\x1b]52;c;ZXZpbA==\x07\x1b[2J\x1b[31mdenied\u202e \x9b1mfor you\x1b[0m"
#: What a header can carry (Latin-1): C0 and C1 escape sequences.
EVIL_HEADER = "\x1b]52;c;ZXZpbA==\x07\x1b[2J\x9b31mdenied\x1b[0m"


@dataclass
class Server:
    """A running test server: its address, what it was sent, how to stop it."""

    httpd: http.server.ThreadingHTTPServer
    thread: threading.Thread
    log: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    other: str = ""  # the root URL of the other server

    @property
    def root(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def authorizations(self) -> list[str]:
        return [h["authorization"] for _, _, h in self.log if "authorization" in h]


class Handler(http.server.BaseHTTPRequestHandler):
    """Answers by path: redirects, challenges, a store, slow and hostile answers."""

    server: http.server.ThreadingHTTPServer
    protocol_version = "HTTP/1.0"

    def log_message(self, *args: object) -> None:  # quiet
        pass

    @property
    def state(self) -> Server:
        return self.server.state  # type: ignore[attr-defined, no-any-return]

    def _drain(self) -> None:
        """Read the request body (chunked or with a length), as a well-behaved server does."""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                self.rfile.read(size + 2)
                if size == 0:
                    break
        elif self.headers.get("Content-Length"):
            self.rfile.read(int(self.headers["Content-Length"]))

    def _answer(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _route(self) -> None:
        self.state.log.append(
            (self.command, self.path, {k.lower(): v for k, v in self.headers.items()})
        )
        parts = urlsplit(self.path)
        step = parts.path.strip("/").split("/")
        query = f"?{parts.query}" if parts.query else ""
        if step[0] == "noread":
            self.state.stopping.wait(30)  # never reads the upload
            return
        if self.command in ("POST", "PUT"):
            self._drain()
        if step[0] in ("redirect", "basic", "digest"):  # /ROUTE/CODE/other|same[/PATH]
            if step[0] != "redirect" and "Authorization" not in self.headers:
                challenge = (
                    'Basic realm="kb"'
                    if step[0] == "basic"
                    else 'Digest realm="kb", nonce="abc123", qop="auth", algorithm=MD5'
                )
                self._answer(401, WWW_Authenticate=challenge)
                return
            origin = self.state.other if step[2] == "other" else ""
            target = step[3] if len(step) > 3 else "store"
            self._answer(int(step[1]), Location=f"{origin}/{target}{query}")
        elif step[0] == "loop":
            self._answer(302, Location="/loop")
        elif step[0] == "to-file":
            self._answer(302, Location="file:///etc/passwd")
        elif step[0] == "store":
            if self.command == "GET":
                body = serialize(gk.loads(KB_TEXT), "nt").encode("utf-8")
                self._answer(200, body, Content_Type="application/n-triples")
            else:
                self._answer(204)
        elif step[0] == "status":  # /status/CODE
            self._answer(int(step[1]))
        elif step[0] == "locked":
            self._answer(401, WWW_Authenticate='Basic realm="other"')
        elif step[0] == "evil":
            self._answer(500, EVIL.encode("utf-8"))
        elif step[0] == "evil-redirect":
            self._answer(302, Location=f"{self.state.other}/x{EVIL_HEADER}")
        elif step[0] == "trickle":  # a status line and headers, then one byte at a time
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
            self._trickle(b"x" * 100000)
        elif step[0] == "trickle-head":  # even the status line comes a byte at a time
            self._trickle(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        else:
            self._answer(404)

    def _trickle(self, data: bytes) -> None:
        for byte in data:
            if self.state.stopping.wait(0.05):
                return
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:
                return

    do_GET = do_POST = do_PUT = do_HEAD = _route  # noqa: N815


def _start(host: str) -> Server:
    httpd = http.server.ThreadingHTTPServer((host, 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    server = Server(httpd, thread)
    httpd.state = server  # type: ignore[attr-defined]
    thread.start()
    return server


@pytest.fixture
def servers() -> Iterator[tuple[Server, Server]]:
    """Two servers, on 127.0.0.1 (the endpoint) and 127.0.0.2 (another origin)."""
    try:
        first = _start("127.0.0.1")
        second = _start("127.0.0.2")
    except OSError as exc:  # pragma: no cover - a system without 127.0.0.2 on loopback
        pytest.skip(f"cannot listen on two loopback addresses: {exc}")
    first.other, second.other = second.root, first.root
    try:
        yield first, second
    finally:
        for server in (first, second):
            server.stopping.set()
            server.httpd.shutdown()
            server.httpd.server_close()
            server.thread.join(10)


@pytest.fixture
def kb_file(tmp_path: Path) -> Path:
    path = tmp_path / "kb.yaml"
    path.write_text(KB_TEXT, encoding="utf-8")
    return path


@pytest.fixture(params=["token", "basic", "digest", "netrc"])
def credentials(request, monkeypatch, tmp_path) -> str:
    """Each way of giving credentials; returns the route that makes the server ask for them."""
    for name in ("GRAPHKIT_ENDPOINT_TOKEN", "GRAPHKIT_ENDPOINT_USER", "GRAPHKIT_ENDPOINT_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))
    if request.param == "token":
        monkeypatch.setenv("GRAPHKIT_ENDPOINT_TOKEN", SECRET)
        return "redirect"
    if request.param == "netrc":
        netrc = tmp_path / "netrc"
        netrc.write_text(f"machine 127.0.0.1 login analyst password {SECRET}\n", encoding="utf-8")
        netrc.chmod(0o600)
        monkeypatch.setenv("NETRC", str(netrc))
        return "basic"
    monkeypatch.setenv("GRAPHKIT_ENDPOINT_USER", "analyst")
    monkeypatch.setenv("GRAPHKIT_ENDPOINT_PASSWORD", SECRET)
    return request.param


# ---- 1, 2. redirects: credentials stay home, an upload redirected is a failure ---------------


@pytest.mark.parametrize("code", REDIRECTS)
@pytest.mark.parametrize("replace", [False, True], ids=["post", "put"])
def test_a_redirected_upload_fails_and_nothing_reaches_the_other_origin(
    servers, credentials, kb_file, code, replace, capsys
):
    home, other = servers
    endpoint = f"{home.root}/{credentials}/{code}/other"
    args = ["push", str(kb_file), "--endpoint", endpoint] + (["--replace"] if replace else [])
    assert main(args) == 1
    printed = capsys.readouterr()
    assert f"HTTP {code}, a redirect to {other.root}/store" in printed.err
    assert "nothing was stored" in printed.err
    assert "added to" not in printed.err and "replaced" not in printed.err
    assert home.authorizations(), "the endpoint's own origin gets the credentials"
    assert other.log == []  # not a request, let alone a credential


@pytest.mark.parametrize("code", REDIRECTS)
def test_a_redirected_query_fails_and_nothing_reaches_the_other_origin(
    servers, credentials, code, capsys
):
    home, other = servers
    query = "SELECT * WHERE { ?s ?p ?o }"
    assert main(["sparql", query, "--endpoint", f"{home.root}/{credentials}/{code}/other"]) == 1
    assert f"HTTP {code}, a redirect" in capsys.readouterr().err
    assert other.log == []


@pytest.mark.parametrize("code", REDIRECTS)
def test_reading_back_follows_a_redirect_without_credentials(servers, credentials, code):
    home, other = servers
    kb = load_endpoint(f"{home.root}/{credentials}/{code}/other", protocol="gsp")
    assert kb.actors["A"].name == "Arcadia"
    assert home.authorizations(), "the endpoint's own origin gets the credentials"
    assert [method for method, _, _ in other.log] == ["GET"]
    assert all("authorization" not in headers for _, _, headers in other.log)
    assert SECRET not in str(other.log)


def test_another_origin_asking_for_credentials_gets_none(servers, monkeypatch):
    home, other = servers
    monkeypatch.setenv("GRAPHKIT_ENDPOINT_TOKEN", SECRET)
    with pytest.raises(EndpointError, match="credentials are sent only to the endpoint's"):
        load_endpoint(f"{home.root}/redirect/302/other/locked", protocol="gsp")
    assert home.authorizations() == [f"Bearer {SECRET}"]
    assert other.log and other.authorizations() == []


def test_a_redirect_within_the_origin_keeps_the_credentials(servers, monkeypatch):
    home, other = servers
    monkeypatch.setenv("GRAPHKIT_ENDPOINT_TOKEN", SECRET)
    kb = load_endpoint(f"{home.root}/redirect/307/same", protocol="gsp")
    assert kb.actors["A"].name == "Arcadia"
    assert home.authorizations() == [f"Bearer {SECRET}"] * 2
    with pytest.raises(EndpointError, match="HTTP 307, a redirect"):
        push(gk.loads(KB_TEXT), f"{home.root}/redirect/307/same")
    assert other.log == []


@pytest.mark.parametrize("code", [300, 304, 305, 306, 399])
def test_any_other_3xx_is_a_failed_upload(servers, kb_file, code, capsys):
    home, _ = servers
    assert main(["push", str(kb_file), "--endpoint", f"{home.root}/status/{code}"]) == 1
    assert f"HTTP {code}" in capsys.readouterr().err


def test_a_redirect_loop_or_one_off_the_web_is_refused(servers):
    home, _ = servers
    with pytest.raises(EndpointError, match="too many redirects"):
        load_endpoint(f"{home.root}/loop", protocol="gsp")
    assert len(home.log) == 6  # the request and 5 redirects followed
    with pytest.raises(EndpointError, match="not http"):
        load_endpoint(f"{home.root}/to-file", protocol="gsp")


# ---- 3. a deadline no slow server defeats; nothing raw reaches the terminal -----------------


@pytest.mark.parametrize("route", ["trickle", "trickle-head", "noread"])
def test_a_slow_server_cannot_hold_push(servers, tmp_path, flagship, route, capsys):
    home, _ = servers
    path = tmp_path / "kb.yaml"
    path.write_text(flagship.to_yaml(), encoding="utf-8")
    started = time.monotonic()
    assert main(["push", str(path), "--endpoint", f"{home.root}/{route}", "--timeout", "0.5"]) == 1
    assert time.monotonic() - started < 10
    assert "no complete answer within 0.5 s" in capsys.readouterr().err


def test_a_slow_server_cannot_hold_a_query_or_a_read(servers, capsys):
    home, _ = servers
    started = time.monotonic()
    assert main(["sparql", "ASK {}", "--endpoint", f"{home.root}/trickle", "--timeout", "0.5"]) == 1
    assert "no complete answer within 0.5 s" in capsys.readouterr().err
    with pytest.raises(EndpointError, match="within 0.5 s"):
        load_endpoint(f"{home.root}/trickle", protocol="gsp", timeout=0.5)
    with pytest.raises(EndpointError, match="within 0.5 s"):
        query_endpoint(f"{home.root}/trickle-head", "ASK {}", timeout=0.5)
    assert time.monotonic() - started < 10


def test_server_text_is_echoed_without_escape_sequences(servers, kb_file, capsys):
    home, _ = servers
    assert main(["push", str(kb_file), "--endpoint", f"{home.root}/evil"]) == 1
    err = capsys.readouterr().err
    assert "HTTP 500" in err and "denied" in err and "for you" in err
    assert not HIDDEN.search(err), repr(err)
    assert "\\u" not in err  # stripped, not merely made visible
    assert main(["push", str(kb_file), "--endpoint", f"{home.root}/evil-redirect"]) == 1
    err = capsys.readouterr().err
    assert "HTTP 302, a redirect" in err and not HIDDEN.search(err), repr(err)
    with pytest.raises(EndpointError) as caught:
        push(gk.loads(KB_TEXT), f"{home.root}/evil")
    assert not HIDDEN.search(str(caught.value))
