"""The HTTP server of ``graphkit serve``: the standard library's, with server-sent events.

Routes (exact paths; anything else is 404, and nothing is read from the file system but the
knowledge base and graphkit's own assets):

* ``/`` — the preview shell: navigation, status, the error overlay, and the current page in a
  frame;
* ``/view/report``, ``/view/timeline``, ``/view/network``, ``/view/map`` — the pages of the last
  good revision, built by :mod:`graphkit.render` (see :mod:`graphkit.serve.preview`);
* ``/_gk/events`` — a server-sent event stream: the state (revision, errors) now and after every
  reload; ``/_gk/state`` — the same state once, as JSON;
* ``/_gk/shell.js``, ``/_gk/shell.css``, ``/_gk/live.js``, ``/_gk/plotly-DIGEST.js`` — scripts.

Safety: the server binds 127.0.0.1 unless told otherwise; it answers only requests whose
``Host`` header names the address it is bound to (a DNS-rebinding page gets 403); only GET and
HEAD are allowed; pages carry a Content-Security-Policy that lets them load nothing from another
origin. Data from the knowledge base reaches pages only through the renderers' escaping, and the
error overlay is built with DOM text nodes (``textContent``), never markup.
"""

from __future__ import annotations

import ipaddress
import json
import os
import signal
import socket
import threading
from collections.abc import Callable, Sequence
from functools import cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

from graphkit.errors import GraphkitError
from graphkit.io.loader import expand_paths
from graphkit.render._html import esc
from graphkit.serve.preview import ASSET_PREFIX, PAGES, Preview, Reload, plotly_path
from graphkit.serve.watch import Watcher, require_watchfiles, wait_written

__all__ = ["LOOPBACK", "LiveServer", "ServeError", "is_loopback"]

#: The default address: this machine only.
LOOPBACK = "127.0.0.1"
#: Seconds between keep-alive comments on an idle event stream.
KEEPALIVE_SECONDS = 15.0

_VIEW_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'self'; base-uri 'none'; "
    "form-action 'none'; object-src 'none'"
)
_SHELL_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'none'"
)
_ASSETS = {
    "shell.js": "text/javascript; charset=utf-8",
    "shell.css": "text/css; charset=utf-8",
    "live.js": "text/javascript; charset=utf-8",
}


class ServeError(GraphkitError):
    """The preview server cannot start (address in use, bad host, no such file)."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (127.0.0.0/8, ::1 or localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _is_wildcard(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def _split_host_header(value: str) -> tuple[str, int | None]:
    """``'[::1]:8000'`` -> ``('::1', 8000)``; a missing or bad port gives ``None``."""
    value = value.strip().lower()
    if value.startswith("["):
        name, _, rest = value[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    else:
        name, _, port = value.rpartition(":") if ":" in value else (value, "", "")
    return name, int(port) if port.isdigit() else None


def host_checker(host: str, port: int) -> Callable[[str | None], bool]:
    """A predicate on ``Host`` headers: the bound address and port, nothing else.

    Bound to a loopback address, ``localhost``, ``127.0.0.1`` and ``[::1]`` are accepted; bound
    to a named address, that name; bound to a wildcard (``0.0.0.0``, ``::``), any IP literal and
    this machine's host names. A page served from another name (DNS rebinding) is refused.

    Examples:
        >>> check = host_checker("127.0.0.1", 8000)
        >>> check("127.0.0.1:8000"), check("localhost:8000"), check("[::1]:8000")
        (True, True, True)
        >>> check("evil.example:8000"), check("127.0.0.1:8001"), check(None)
        (False, False, False)
    """
    bound = host.strip("[]").lower()
    if is_loopback(bound):
        names = {"localhost", "127.0.0.1", "::1", bound}
    elif _is_wildcard(bound):
        names = {"localhost", socket.gethostname().lower(), socket.getfqdn().lower()}
    else:
        names = {bound}

    def allowed(header: str | None) -> bool:
        if not header:
            return False
        name, given_port = _split_host_header(header)
        if given_port is None:
            given_port = 80
        if given_port != port:
            return False
        if name in names:
            return True
        if _is_wildcard(bound):
            try:
                ipaddress.ip_address(name)
            except ValueError:
                return False
            return True
        return False

    return allowed


@cache
def _asset(name: str) -> bytes:
    return files("graphkit.serve").joinpath("assets", name).read_bytes()


def _shell_html(title: str) -> bytes:
    template = _asset("shell.html").decode("utf-8")
    return template.replace("{{title}}", esc(title)).encode("utf-8")


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], live: LiveServer) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.live = live
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "graphkit-serve"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        """Stay quiet: the terminal shows reloads and errors, not every request."""

    # ------------------------------------------------------------------ dispatch

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        """Answer a GET request."""
        self._dispatch(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        """Answer a HEAD request (headers only)."""
        self._dispatch(send_body=False)

    def _refuse_method(self) -> None:
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, b"method not allowed\n", "text/plain", allow=True)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse_method  # noqa: N815

    def _dispatch(self, *, send_body: bool) -> None:
        live = self.server.live
        if not live.host_allowed(self.headers.get("Host")):
            self._send(
                HTTPStatus.FORBIDDEN,
                b"graphkit serve: this host name is not allowed (use the address it printed)\n",
                "text/plain",
            )
            return
        path = urlsplit(self.path).path
        preview = live.preview
        if path == "/":
            body = _shell_html(preview.title)
            self._send(
                HTTPStatus.OK, body, "text/html; charset=utf-8", csp=_SHELL_CSP, send_body=send_body
            )
        elif path.startswith("/view/") and path[len("/view/") :] in PAGES:
            self._view(path[len("/view/") :], send_body)
        elif path == f"{ASSET_PREFIX}events" and send_body:
            self._events()
        elif path == f"{ASSET_PREFIX}state":
            body = json.dumps(preview.state()).encode("utf-8")
            self._send(HTTPStatus.OK, body, "application/json", send_body=send_body)
        elif path.startswith(ASSET_PREFIX) and path[len(ASSET_PREFIX) :] in _ASSETS:
            name = path[len(ASSET_PREFIX) :]
            self._send(HTTPStatus.OK, _asset(name), _ASSETS[name], send_body=send_body)
        elif (plotly := preview.plotly_script()) is not None and path == plotly_path(plotly[0]):
            self._send(
                HTTPStatus.OK,
                plotly[1],
                "text/javascript; charset=utf-8",
                cache="public, max-age=31536000, immutable",
                send_body=send_body,
            )
        elif path == "/favicon.ico":
            self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon", send_body=send_body)
        else:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain", send_body=send_body)

    def _view(self, name: str, send_body: bool) -> None:
        live = self.server.live
        streamed = live.preview.page_stream(name) if send_body and live.stream else None
        if streamed is not None:
            self._stream_view(name, *streamed)
            return
        try:
            built = self.server.live.preview.page(name)
        except Exception as exc:  # a renderer bug must not kill the server: say it in the page
            self.server.live.report(f"internal error while drawing the {name} page: {exc!r}")
            body = (
                f"<!DOCTYPE html><meta charset='utf-8'><title>error</title>"
                f"<p>graphkit could not draw this page: {esc(repr(exc))}</p>"
            ).encode()
            self._send(
                HTTPStatus.INTERNAL_SERVER_ERROR,
                body,
                "text/html; charset=utf-8",
                csp=_VIEW_CSP,
                send_body=send_body,
            )
            return
        if built is None:
            body = (
                b"<!DOCTYPE html><meta charset='utf-8'><title>no valid version yet</title>"
                b"<p>The knowledge base has not loaded without errors yet.</p>"
            )
            self._send(
                HTTPStatus.SERVICE_UNAVAILABLE,
                body,
                "text/html; charset=utf-8",
                csp=_VIEW_CSP,
                send_body=send_body,
            )
            return
        revision, body = built
        self._send(
            HTTPStatus.OK,
            body,
            "text/html; charset=utf-8",
            csp=_VIEW_CSP,
            extra={"X-Graphkit-Revision": str(revision)},
            send_body=send_body,
        )
        del built, body
        self.server.live.preview.release_memory()  # while the browser draws the page

    def _stream_view(
        self, name: str, revision: int, head: bytes, rest: Callable[[], bytes]
    ) -> None:
        """Send a page not built yet in chunks: its head (plotly.js, live client) at once.

        The browser then loads and runs plotly.js (megabytes of script) while the server
        builds the figures, instead of after.
        """
        try:
            self.send_response(HTTPStatus.OK)
            self._common_headers("no-store")
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Security-Policy", _VIEW_CSP)
            self.send_header("X-Frame-Options", "SAMEORIGIN")
            self.send_header("X-Graphkit-Revision", str(revision))
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self._chunk(head)
            self.wfile.flush()
            try:
                body = rest()
            except Exception as exc:  # a renderer bug must not kill the server: say it in the page
                self.server.live.report(f"internal error while drawing the {name} page: {exc!r}")
                body = f"<p>graphkit could not draw this page: {esc(repr(exc))}</p>".encode()
            self._chunk(body)
            self._chunk(b"")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True
            return
        self.server.live.preview.release_memory()  # while the browser draws the page

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode("ascii") + data + b"\r\n")

    def _events(self) -> None:
        """Stream the state as server-sent events until the client leaves or the server stops."""
        live = self.server.live
        self.send_response(HTTPStatus.OK)
        self._common_headers("no-store")
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        seen = -1
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while not live.stopping and not live.preview.closed:
                attempt = live.preview.attempt
                if attempt != seen:
                    seen = attempt
                    data = json.dumps(live.preview.state(), separators=(",", ":"))
                    self.wfile.write(f"event: state\ndata: {data}\n\n".encode())
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
                live.preview.wait(seen, KEEPALIVE_SECONDS)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
            return

    # ------------------------------------------------------------------ responses

    def _common_headers(self, cache_control: str) -> None:
        self.send_header("Cache-Control", cache_control)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")

    def _send(
        self,
        status: HTTPStatus,
        body: bytes,
        content_type: str,
        *,
        csp: str | None = None,
        cache: str = "no-store",
        extra: dict[str, str] | None = None,
        allow: bool = False,
        send_body: bool = True,
    ) -> None:
        try:
            self.send_response(status)
            self._common_headers(cache)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if csp is not None:
                self.send_header("Content-Security-Policy", csp)
                self.send_header("X-Frame-Options", "SAMEORIGIN")
            if allow:
                self.send_header("Allow", "GET, HEAD")
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if send_body and body:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True


class LiveServer:
    """Serve a live preview of a knowledge base: pages that update when its files are saved.

    Construction checks the optional dependencies, reads the files once and binds the address
    (``port=0`` picks a free port; :attr:`url` says which). :meth:`start` starts serving and
    watching in background threads, :meth:`stop` stops both and releases the port;
    :meth:`serve_until_signalled` does both around waiting for Ctrl-C or SIGTERM.

    Args:
        paths: YAML files and folders (merged into one knowledge base).
        host: Address to bind (default :data:`LOOPBACK`: this machine only).
        port: Port to bind (0: any free port).
        report: Called with each line for the terminal (reloads, errors); nothing is printed
            otherwise.
        prebuild: Build the pages readers have open as soon as a save validates, before they
            ask (see :class:`~graphkit.serve.preview.Preview`); ``False`` builds on request
            only (the benchmark's baseline).
        stream: Send a page that is not built yet in two parts, plotly.js first (see
            :meth:`~graphkit.serve.preview.Preview.page_stream`); ``False`` sends pages whole.

    Raises:
        MissingDependencyError: If watchfiles is not installed (the message says what to run).
        ServeError: If a path does not exist or the address cannot be bound.
    """

    def __init__(
        self,
        paths: Sequence[str | os.PathLike[str]],
        *,
        host: str = LOOPBACK,
        port: int = 8000,
        report: Callable[[str], None] | None = None,
        prebuild: bool = True,
        stream: bool = True,
    ) -> None:
        require_watchfiles()
        self.stream = stream
        try:
            expand_paths(paths)
        except GraphkitError as exc:
            raise ServeError(str(exc).split("\n", 1)[-1]) from exc
        self.report: Callable[[str], None] = report or (lambda _line: None)
        self.preview = Preview(paths, prebuild=prebuild)
        self.stopping = False
        self._stopped = threading.Event()
        self._threads: list[threading.Thread] = []
        self.report_reload(self.preview.reload(), first=True)
        try:
            self.httpd = _HTTPServer((host.strip("[]"), port), self)
        except OSError as exc:
            hint = " (pass --port N, or --port 0 for any free port)" if port else ""
            raise ServeError(
                f"cannot listen on {host}:{port}: {exc.strerror or exc}{hint}"
            ) from exc
        self.host = host.strip("[]")
        self.port = int(self.httpd.server_address[1])
        self.host_allowed = host_checker(self.host, self.port)
        self.watcher = Watcher(paths, self._on_change)

    @property
    def url(self) -> str:
        """The address to open in a browser."""
        shown = LOOPBACK if _is_wildcard(self.host) else self.host
        if ":" in shown:
            shown = f"[{shown}]"
        return f"http://{shown}:{self.port}/"

    @property
    def exposed(self) -> bool:
        """Whether other machines can reach the server (bound to a non-loopback address)."""
        return not is_loopback(self.host)

    def start(self) -> None:
        """Serve and watch in background threads."""
        thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.2}, name="graphkit-http"
        )
        thread.daemon = True
        thread.start()
        self._threads.append(thread)
        self.watcher.start()

    def stop(self) -> None:
        """Stop watching and serving, close the event streams and release the port."""
        if self.stopping:
            return
        self.stopping = True
        self.watcher.stop()
        self.preview.close()
        if self._threads:  # serve_forever runs: end it (shutdown would wait for it forever)
            self.httpd.shutdown()
        self.httpd.server_close()
        for thread in self._threads:
            thread.join(5.0)
        self._stopped.set()

    def serve_until_signalled(self) -> None:
        """Start, wait for SIGINT (Ctrl-C) or SIGTERM, then stop cleanly.

        Must run in the main thread (signal handlers live there).
        """
        requested = threading.Event()

        def on_signal(_signum: int, _frame: FrameType | None) -> None:
            requested.set()

        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            self.start()
            while not requested.wait(0.2):
                pass
            for sig in previous:  # a second Ctrl-C while stopping is ignored, not a traceback
                signal.signal(sig, signal.SIG_IGN)
            self.stop()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    # ------------------------------------------------------------------ reloads

    def _on_change(self, paths: set[str]) -> None:
        names = sorted(_shown(p) for p in paths)
        self.report(f"changed: {', '.join(names)}")
        wait_written(sorted(paths))
        self.report_reload(self.preview.reload())

    def report_reload(self, outcome: Reload, *, first: bool = False) -> None:
        """Tell the terminal what a reload found (the same errors the page shows)."""
        if outcome.ok and outcome.kb is not None:
            kb = outcome.kb
            unchanged = f"; {len(outcome.reused)} unchanged" if outcome.reused else ""
            self.report(
                f"{'loaded' if first else 'reloaded'} in {outcome.seconds * 1000:.0f} ms: "
                f"{len(kb.events):,} events, {len(kb.relations):,} relations, "
                f"{len(kb.actors):,} actors (parsed {len(outcome.parsed)} file"
                f"{'s' if len(outcome.parsed) != 1 else ''}{unchanged})"
            )
            return
        for diagnostic in outcome.errors:
            self.report(str(diagnostic))
        count = len(outcome.errors)
        keep = (
            "the page shows them over the last good version"
            if self.preview.revision
            else "the page shows them until the files load"
        )
        self.report(f"{count} error{'s' if count != 1 else ''}: {keep}")


def _shown(path: str) -> str:
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return path
