"""HTTP for the SPARQL endpoints: credentials stay with their origin, a deadline bounds it all.

The one place graphkit talks HTTP (``urllib``, no redirect followed for it):

* **Credentials** come from the environment or ``~/.netrc`` (:func:`credentials`) and are sent
  only to the *origin* of the URL the user gave (scheme, host and port). They answer a Basic or
  Digest challenge, or go as a bearer token.
* **Redirects**: a request that changes data (``POST``, ``PUT``) never follows one: any 3xx is an
  error naming where the server points, so an upload is never reported as done when it was not.
  A ``GET`` (reading a graph back) follows up to :data:`MAX_REDIRECTS`; a hop to another origin
  goes without credentials.
* **Deadline**: every exchange of one operation (a probe, the request, an answer to a challenge,
  redirects) must end within ``timeout`` seconds of wall-clock time. A watchdog shuts the sockets
  down when it passes, so a server that sends one byte every few seconds cannot hold graphkit.
* **Server text** echoed in errors (a body, a ``Location``) is stripped of terminal escape
  sequences and hidden characters (:func:`graphkit._controls.strip_controls`).
"""

from __future__ import annotations

import base64
import http.client
import netrc
import os
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from graphkit._controls import strip_controls
from graphkit.errors import GraphkitError

__all__ = [
    "DEFAULT_TIMEOUT",
    "ENV_PASSWORD",
    "ENV_TOKEN",
    "ENV_USER",
    "MAX_REDIRECTS",
    "Body",
    "Deadline",
    "EndpointError",
    "Response",
    "check_endpoint",
    "deadline",
    "request",
]

#: Environment variables read for credentials.
ENV_USER, ENV_PASSWORD, ENV_TOKEN = (
    "GRAPHKIT_ENDPOINT_USER",
    "GRAPHKIT_ENDPOINT_PASSWORD",
    "GRAPHKIT_ENDPOINT_TOKEN",
)
#: Seconds an operation (an upload, a query, reading a graph back) may take in all (--timeout).
DEFAULT_TIMEOUT = 600.0
#: Redirects a GET follows at most.
MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_SAFE = frozenset({"GET", "HEAD"})


class EndpointError(GraphkitError):
    """A SPARQL endpoint that is unreachable, refuses a request or answers with an error.

    ``url`` is the address called; ``status`` the HTTP status (``None`` when no answer came).
    """

    def __init__(self, message: str, *, url: str, status: int | None = None) -> None:
        self.url = url
        self.status = status
        super().__init__(message)


EndpointError.__module__ = "graphkit.rdf.endpoint"  # where users import it from


def check_endpoint(url: str) -> str:
    """Return ``url`` if it is an absolute http(s) URL.

    Raises:
        EndpointError: If it is not.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise EndpointError(f"endpoint {url!r} is not an http(s) URL", url=url)
    return url


def _origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port (the default one filled in) of ``url``."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port


def _shown(text: str, limit: int = 300) -> str:
    """Server text fit to echo: hidden characters and escape sequences gone, one line, short."""
    cleaned = " ".join(strip_controls(text).split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


# ---- credentials ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Credentials:
    user: str | None = None
    password: str | None = None
    token: str | None = None


_NONE = _Credentials()


def credentials(url: str) -> _Credentials:
    """The credentials for ``url``: a token, a user and password, or the netrc entry of its host.

    Raises:
        EndpointError: If the netrc file cannot be read.
    """
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
    return _NONE


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


# ---- the deadline ---------------------------------------------------------------------------


class Deadline:
    """A wall-clock limit for an operation: its sockets are shut down when it passes."""

    def __init__(self, seconds: float) -> None:
        if not seconds > 0:
            raise ValueError(f"timeout must be a positive number of seconds, not {seconds!r}")
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        """Seconds left (a little more than 0 when it has passed, so a socket call fails fast)."""
        return max(self.end - time.monotonic(), 0.001)

    def track(self, sock: socket.socket) -> None:
        """Shut ``sock`` down when the deadline passes (at once if it has)."""
        with self._lock:
            self._sockets.append(sock)
            if not self.expired:
                return
        _shutdown(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shutdown(sock)

    def stopped(self, exc: BaseException | None = None) -> bool:
        """Whether the deadline ended the exchange (``exc``: the error it ended with).

        Sockets time out with the time left, so a timeout is the deadline too.
        """
        reason = getattr(exc, "reason", exc)
        return self.expired or isinstance(reason, TimeoutError) or time.monotonic() >= self.end

    def cancel(self) -> None:
        """Stop the watchdog (the operation ended)."""
        self._timer.cancel()

    def error(self, method: str, url: str) -> EndpointError:
        """The error of an operation stopped by this deadline."""
        return EndpointError(
            f"{method} {url}: no complete answer within {self.seconds:g} s "
            "(give more time with --timeout SECONDS)",
            url=url,
        )


def _shutdown(sock: socket.socket) -> None:
    with suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


@contextmanager
def deadline(seconds: float) -> Iterator[Deadline]:
    """A :class:`Deadline` for the block; its watchdog stops when the block ends."""
    limit = Deadline(seconds)
    try:
        yield limit
    finally:
        limit.cancel()


class _Tracked:
    """A connection whose socket obeys a deadline (mixed into http.client's connections)."""

    sock: Any
    timeout: float | None

    def __init__(self, *args: Any, limit: Deadline, **kwargs: Any) -> None:
        self.limit = limit
        super().__init__(*args, **kwargs)

    def connect(self) -> None:
        self.timeout = self.limit.remaining()
        super().connect()  # type: ignore[misc]
        self.limit.track(self.sock)


class _HTTPConnection(_Tracked, http.client.HTTPConnection):
    pass


class _HTTPSConnection(_Tracked, http.client.HTTPSConnection):
    pass


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Never follow a redirect in urllib: :func:`request` decides (and keeps credentials home)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _opener(limit: Deadline) -> urllib.request.OpenerDirector:
    class HTTPHandler(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(_connection(_HTTPConnection, limit), req)

    class HTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            context = getattr(self, "_context", None)
            return self.do_open(_connection(_HTTPSConnection, limit), req, context=context)

    return urllib.request.build_opener(HTTPHandler(), HTTPSHandler(), _NoRedirect())


def _connection(kind: type[Any], limit: Deadline) -> Any:
    def make(*args: Any, **kwargs: Any) -> Any:
        return kind(*args, limit=limit, **kwargs)

    return make


# ---- requests -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Response:
    """An HTTP answer: status, headers and the whole body."""

    status: int
    headers: Mapping[str, str]
    body: bytes


Body = bytes | Callable[[], Iterable[bytes]] | None


def _open(method: str, url: str, body: Body, headers: dict[str, str], limit: Deadline) -> Response:
    data: bytes | Iterable[bytes] | None = body() if callable(body) else body
    request_ = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with _opener(limit).open(request_, timeout=limit.remaining()) as response:
            answer = Response(response.status, dict(response.headers.items()), response.read())
    except urllib.error.HTTPError as exc:
        try:
            payload = exc.read() if exc.fp is not None else b""
        except (OSError, http.client.HTTPException):
            payload = b""
        exc.close()
        answer = Response(exc.code, dict(exc.headers.items()), payload)
    except EndpointError:
        raise
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        if limit.stopped(exc):
            raise limit.error(method, url) from exc
        reason = getattr(exc, "reason", exc)
        raise EndpointError(f"cannot reach {url}: {_shown(str(reason))}", url=url) from exc
    if limit.expired:  # the body was cut short by the watchdog
        raise limit.error(method, url)
    return answer


def _send(
    method: str,
    url: str,
    body: Body,
    headers: Mapping[str, str],
    creds: _Credentials,
    probe: bool,
    limit: Deadline,
) -> Response:
    """One request with ``creds``: a token, or the answer to the server's challenge."""
    sent = dict(headers)
    sent.setdefault("User-Agent", "graphkit")
    if creds.token:
        sent["Authorization"] = f"Bearer {creds.token}"
    elif creds.user is not None and probe:
        first = _open("HEAD", url, None, {"User-Agent": "graphkit"}, limit)
        if first.status in _REDIRECTS:
            return first  # refused by the caller before the body is sent
        challenge = first.headers.get("WWW-Authenticate")
        if first.status == 401 and challenge:
            answer = _challenge_answer(method, url, challenge, creds)
            if answer:
                sent["Authorization"] = answer
    response = _open(method, url, body, sent, limit)
    challenge = response.headers.get("WWW-Authenticate")
    if response.status == 401 and challenge and "Authorization" not in sent:
        answer = _challenge_answer(method, url, challenge, creds)
        if answer:
            sent["Authorization"] = answer
            response = _open(method, url, body, sent, limit)
    return response


def request(
    method: str,
    url: str,
    *,
    limit: Deadline,
    body: Body = None,
    headers: Mapping[str, str] | None = None,
    probe: bool = False,
) -> Response:
    """Send a request with the configured credentials and return a 2xx answer.

    With ``probe`` (streamed bodies), a HEAD request learns the authentication challenge first
    so the body is sent once. Redirects and credentials: see the module docstring.

    Raises:
        EndpointError: On an error status, a redirect not followed, no answer, or the deadline.
    """
    home = _origin(url)
    creds = credentials(url)
    current = url
    for hop in range(MAX_REDIRECTS + 1):
        at_home = _origin(current) == home
        response = _send(
            method, current, body, headers or {}, creds if at_home else _NONE, probe, limit
        )
        if response.status not in _REDIRECTS:
            break
        location = response.headers.get("Location")
        if method not in _SAFE or not location or hop == MAX_REDIRECTS:
            raise _redirect_error(method, current, response.status, location)
        target = urljoin(current, location)
        if urlsplit(target).scheme not in ("http", "https"):
            raise _redirect_error(method, current, response.status, location)
        current = target
    if not 200 <= response.status < 300:
        raise _status_error(method, current, response, foreign=_origin(current) != home)
    return response


def _redirect_error(method: str, url: str, status: int, location: str | None) -> EndpointError:
    where = f" to {_shown(location, 200)}" if location else " without a Location"
    if method in _SAFE:
        why = "too many redirects, or one to a URL that is not http(s)"
    else:
        why = (
            f"graphkit does not follow redirects of a {method}: nothing was stored; "
            "if you trust the new address, give it as --endpoint"
        )
    return EndpointError(
        f"{method} {url}: the server answered HTTP {status}, a redirect{where} ({why})",
        url=url,
        status=status,
    )


def _status_error(method: str, url: str, response: Response, *, foreign: bool) -> EndpointError:
    detail = _shown(response.body.decode("utf-8", "replace"), 500)
    hint = ""
    if response.status in (401, 403):
        hint = (
            " (a redirect led to another origin: credentials are sent only to the endpoint's)"
            if foreign
            else f" (set {ENV_TOKEN}, or {ENV_USER} and {ENV_PASSWORD}, or a ~/.netrc entry)"
        )
    return EndpointError(
        f"{method} {url} failed: HTTP {response.status}" + (f": {detail}" if detail else "") + hint,
        url=url,
        status=response.status,
    )
