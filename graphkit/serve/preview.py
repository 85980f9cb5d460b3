"""The state of a live preview: the last good knowledge base, the current errors, the pages.

A :class:`Preview` reads its paths with a :class:`~graphkit.io.loader.FileCache` (so a reload
parses only the files whose bytes changed), keeps the last knowledge base that loaded without
error, and the diagnostics of the latest failed reload. Pages are built by the renderers of
:mod:`graphkit.render` on first request and kept until the next good reload; each page is
built with plotly.js linked and rewritten for serving by :func:`linked_to_server` (plotly.js
as one cached script, the live client injected; :func:`servable` for a page with plotly.js
inline). Listeners wait for the next reload with :meth:`Preview.wait`.

Nothing here prints: :meth:`Preview.reload` returns a :class:`Reload` the caller reports.

Examples:
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> kb_file = folder / "kb.yaml"
    >>> _ = kb_file.write_text("{format_version: 1, actors: [{id: A, name: Arcadia, kind: state}]}")
    >>> preview = Preview([kb_file])
    >>> preview.reload().ok, preview.revision
    (True, 1)
    >>> _ = kb_file.write_text("{format_version: 1, actors: [{id: A, name: Arcadia, kind: stat}]}")
    >>> outcome = preview.reload()
    >>> outcome.ok, preview.revision, [d.hint for d in outcome.errors]
    (False, 1, ["did you mean 'state'?"])
"""

from __future__ import annotations

import gc
import hashlib
import os
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from graphkit._fs import read_regular
from graphkit.errors import Diagnostic, LoadError
from graphkit.io.loader import FileCache, read_files
from graphkit.kb import KnowledgeBase

__all__ = ["PAGES", "Preview", "Reload", "servable"]

#: The pages a preview serves, in the order of its navigation bar.
PAGES = ("report", "timeline", "network", "map")

#: Errors shown in the page at most (the terminal lists them all).
MAX_SHOWN_ERRORS = 50
#: Lines of the file shown before and after an error's line.
CONTEXT_LINES = 2
#: Longest excerpt line sent to the page (a minified file can have one enormous line).
MAX_LINE_CHARS = 240

#: Where the page's scripts are served (see :mod:`graphkit.serve.server`).
ASSET_PREFIX = "/_gk/"
_PLOTLY_BANNER = "/**\n* plotly.js v"


@dataclass(frozen=True)
class Reload:
    """What one reload found: the diagnostics (none when it succeeded) and what it read."""

    errors: tuple[Diagnostic, ...]
    parsed: tuple[str, ...]
    reused: tuple[str, ...]
    seconds: float
    kb: KnowledgeBase | None = None

    @property
    def ok(self) -> bool:
        """Whether the files loaded without error."""
        return not self.errors


@dataclass
class _Pages:
    """The pages of one good revision, built on demand (one lock: a page is built once)."""

    kb: KnowledgeBase
    revision: int
    lock: threading.Lock = field(default_factory=threading.Lock)
    built: dict[str, bytes] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    #: When each page was ready (epoch milliseconds; benchmarks compare it with the browser's).
    built_at: dict[str, float] = field(default_factory=dict)
    parts: dict[str, Any] = field(default_factory=dict)
    #: Pages asked for by a reader in this revision, with the clock of the latest request.
    requested: dict[str, float] = field(default_factory=dict)

    def part(self, name: str, build: Callable[[], Any]) -> Any:
        """A figure or index shared by several pages of this revision (lock held)."""
        if name not in self.parts:
            self.parts[name] = build()
        return self.parts[name]


class Preview:
    """The live state of ``graphkit serve``: see the module docstring.

    Args:
        paths: YAML files and directories, as given to :func:`graphkit.load`.
        title: The name shown in page titles (default: the file or folder names).
        prebuild: After a good reload, build in a background thread the pages readers asked
            for in the previous revision (most recent first), so that the build starts when the
            files are validated rather than when the page, told of the change, asks for it.
            Pages nobody asked for are still built only on request.
    """

    def __init__(
        self,
        paths: Sequence[str | os.PathLike[str]],
        *,
        title: str | None = None,
        prebuild: bool = False,
    ):
        self.paths = tuple(Path(p) for p in paths)
        self.title = title or ", ".join(p.name or str(p) for p in self.paths)
        self.prebuild = prebuild
        #: Changes between two server runs, so a page knows a restarted server's revisions.
        self.session = secrets.token_hex(6)
        #: The last good revision (0: none yet) and the count of reloads tried.
        self.revision = 0
        self.attempt = 0
        self.last: Reload | None = None
        self._cache = FileCache()
        self._pages: _Pages | None = None
        self._changed = threading.Condition()
        self._reload_lock = threading.Lock()
        self._plotly: tuple[str, bytes] | None = None
        #: The thread building the pages of the latest revision ahead of requests, if any.
        self.builder: threading.Thread | None = None
        self._released = 0
        #: Set by :meth:`close`: waiters return at once.
        self.closed = False

    # ---------------------------------------------------------------- reloading

    def reload(self) -> Reload:
        """Read the files again; on success the knowledge base becomes the new revision.

        Files whose bytes did not change are not parsed again. Listeners waiting in
        :meth:`wait` wake up whatever the outcome, as soon as the files are validated: pages
        are built afterwards (see ``prebuild``) or on request.
        """
        from graphkit.render._describe import carry_hovers

        with self._reload_lock:
            start = time.perf_counter()
            kb: KnowledgeBase | None = None
            try:
                kb = KnowledgeBase(read_files(self.paths, cache=self._cache))
                errors: tuple[Diagnostic, ...] = ()
            except LoadError as exc:
                errors = exc.diagnostics
            outcome = Reload(
                errors,
                tuple(self._cache.parsed),
                tuple(self._cache.reused),
                time.perf_counter() - start,
                kb,
            )
            wanted: list[str] = []
            with self._changed:
                self.attempt += 1
                self.last = outcome
                if kb is not None:
                    previous = self._pages
                    # the hovers of events the save did not change are not written again
                    carry_hovers(previous.kb if previous is not None else None, kb)
                    if previous is not None:
                        seen = previous.requested
                        wanted = sorted(seen, key=seen.__getitem__, reverse=True)
                    self.revision += 1
                    self._pages = _Pages(kb, self.revision)
                self._changed.notify_all()
            pages = self._pages
            if self.prebuild and wanted and pages is not None and kb is not None:
                self.builder = threading.Thread(
                    target=self._prebuild, args=(pages, wanted), name="graphkit-build", daemon=True
                )
                self.builder.start()
            return outcome

    def _prebuild(self, pages: _Pages, names: list[str]) -> None:
        """Build ``names`` for ``pages`` until a newer revision or :meth:`close` makes it moot.

        A page that fails to build is left unbuilt: the reader's request builds it again and
        the server reports the error there.
        """
        for name in names:
            if self.closed or self._pages is not pages:
                return
            try:
                self._build(pages, name)
            except Exception:  # noqa: BLE001 - reported when the page is requested
                return

    def wait(self, seen: int, timeout: float) -> int:
        """Wait for a reload after attempt ``seen``, :meth:`close` or ``timeout`` seconds.

        Returns the latest attempt.
        """
        with self._changed:
            self._changed.wait_for(lambda: self.attempt != seen or self.closed, timeout=timeout)
            return self.attempt

    def close(self) -> None:
        """Release every waiter, now and later (the server is stopping)."""
        with self._changed:
            self.closed = True
            self._changed.notify_all()

    @property
    def kb(self) -> KnowledgeBase | None:
        """The last knowledge base that loaded without error, if any."""
        pages = self._pages
        return pages.kb if pages is not None else None

    # ---------------------------------------------------------------- state for the page

    def state(self) -> dict[str, Any]:
        """The state pushed to pages: revision, errors (with file excerpts), counts, timings."""
        last = self.last
        pages = self._pages
        errors = last.errors if last is not None else ()
        state: dict[str, Any] = {
            "session": self.session,
            "revision": self.revision,
            "attempt": self.attempt,
            "ok": last is not None and last.ok,
            "title": self.title,
            "pages": list(PAGES),
            "error_count": len(errors),
            "errors": _with_excerpts(errors[:MAX_SHOWN_ERRORS]),
            "parsed": list(last.parsed) if last is not None else [],
            "reused": len(last.reused) if last is not None else 0,
            "reload_ms": round(last.seconds * 1000, 1) if last is not None else None,
            "render_ms": {k: round(v * 1000, 1) for k, v in dict(pages.timings).items()}
            if pages is not None
            else {},
            "built_at": dict(pages.built_at) if pages is not None else {},
        }
        if pages is not None:
            kb = pages.kb
            state["counts"] = {
                "events": len(kb.events),
                "relations": len(kb.relations),
                "actors": len(kb.actors),
                "sources": len(kb.sources),
            }
        return state

    # ---------------------------------------------------------------- pages

    def page(self, name: str) -> tuple[int, bytes] | None:
        """The page ``name`` of the last good revision, built on first request, and its revision.

        ``None`` when no revision loaded yet. Raises ``KeyError`` for a name not in
        :data:`PAGES`.
        """
        if name not in PAGES:
            raise KeyError(name)
        pages = self._pages
        if pages is None:
            return None
        pages.requested[name] = time.monotonic()
        return pages.revision, self._build(pages, name)

    def page_stream(self, name: str) -> tuple[int, bytes, Callable[[], bytes]] | None:
        """The page ``name`` in two parts, for a page not built yet: send ``head`` at once.

        Returns ``(revision, head, rest)``: ``head`` opens the document and loads plotly.js and
        the live client, so that the browser fetches and runs them while the page is built;
        ``rest()`` builds the page (or waits for the build under way) and returns the remainder
        of the document (the built page without those two scripts). ``None`` when the page is
        built already, no revision loaded yet, or plotly.js is not known yet (first build):
        then :meth:`page` serves it whole. Raises ``KeyError`` for a name not in
        :data:`PAGES`.
        """
        if name not in PAGES:
            raise KeyError(name)
        pages = self._pages
        plotly = self._plotly
        if pages is None or plotly is None or name in pages.built:
            return None
        pages.requested[name] = time.monotonic()
        tags = _script_tags(plotly[0], pages.revision)
        head = f'<!DOCTYPE html>\n<html><head><meta charset="utf-8">\n{tags}\n'.encode()

        def rest() -> bytes:
            html = self._build(pages, name)
            loaded = tags.encode("utf-8")
            if loaded not in html:  # a page without inline plotly.js: only the live client
                loaded = _live_tag(pages.revision).encode("utf-8")
            return html.replace(loaded, b"", 1)

        return pages.revision, head, rest

    def _build(self, pages: _Pages, name: str) -> bytes:
        """The page ``name`` of ``pages``, built once (a second caller waits for the first)."""
        with pages.lock:
            if name not in pages.built:
                start = time.perf_counter()
                # built to load plotly.js from its CDN, whose tag becomes the server's: not
                # 4.6 MB of plotly.js copied into the page and cut out again (40-60 ms a page)
                linked = linked_to_server(_BUILDERS[name](pages, self.title, True), pages.revision)
                if linked is not None:
                    html = linked
                    if self._plotly is None:
                        self._plotly = _plotly_source()
                else:  # a renderer that writes plotly.js some other way: inline, cut out
                    html, plotly = servable(
                        _BUILDERS[name](pages, self.title, False), pages.revision
                    )
                    if plotly is not None and self._plotly is None:
                        self._plotly = (_digest(plotly), plotly.encode("utf-8"))
                pages.built[name] = html.encode("utf-8")
                pages.timings[name] = time.perf_counter() - start
                pages.built_at[name] = time.time() * 1000
            return pages.built[name]

    def release_memory(self) -> None:
        """Free what earlier revisions left behind, once per reload.

        See :func:`release_free_memory`. The server calls it after sending a page, while the
        browser draws it: off the path from a save to the updated page.
        """
        with self._changed:
            if self._released == self.attempt:
                return
            self._released = self.attempt
        release_free_memory()

    def plotly_script(self) -> tuple[str, bytes] | None:
        """plotly.js as taken from the first page built (digest, bytes), or ``None`` before."""
        return self._plotly


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """The C library's ``malloc_trim`` (glibc), or ``None`` where it has none (macOS, musl)."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError, TypeError):
        return None
    return trim


def release_free_memory() -> None:
    """Collect garbage cycles and give the allocator's free memory back (glibc; elsewhere GC only).

    Each revision leaves megabytes behind: the previous pages, plotly's figure objects (full of
    reference cycles, which only Python's rare full collections free once the heap is large)
    and the strings of the build. glibc then keeps the freed memory in the arenas of the
    threads that used it (each request has its own thread). Without this the server's resident
    memory grew with every reload (145 -> 368 MB over 20 reloads of 1,000 events) while its
    live objects stayed the same. A full collection takes tens to hundreds of milliseconds on
    a large knowledge base, hence :meth:`Preview.release_memory` runs it off the update path.
    """
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def plotly_path(digest: str) -> str:
    """The URL path of plotly.js (its digest in the name: cached for good by the browser)."""
    return f"{ASSET_PREFIX}plotly-{digest}.js"


_SCRIPT_OPEN = re.compile(r"<script\b[^>]*>\s*\Z")
#: The tag of a page that loads plotly.js from plotly's CDN (``cdn=True`` of the renderers).
_CDN_SCRIPT = re.compile(r'<script\b[^>]*\bsrc="https://cdn\.plot\.ly/[^"]*"[^>]*>\s*</script>')


@cache
def _plotly_source() -> tuple[str, bytes]:
    """plotly.js as the renderers embed it: (digest, UTF-8 bytes)."""
    from plotly.offline import get_plotlyjs

    source = get_plotlyjs()
    return _digest(source), source.encode("utf-8")


def linked_to_server(html: str, revision: int) -> str | None:
    """A page written with ``cdn=True``, loading plotly.js and the live client from the server.

    ``None`` when the page has no plotly CDN tag, or more than one: then it is built inline and
    rewritten by :func:`servable`.

    Examples:
        >>> page = '<head><script charset="utf-8" src="https://cdn.plot.ly/plotly-3.min.js" '
        >>> page += 'integrity="sha256-x" crossorigin="anonymous"></script></head>'
        >>> served = linked_to_server(page, 2)
        >>> "cdn.plot.ly" in served, served.count('src="/_gk/plotly-')
        (False, 1)
        >>> 'data-revision="2"' in served
        True
        >>> linked_to_server("<head></head>", 2) is None
        True
    """
    found = _CDN_SCRIPT.search(html)
    if found is None or _CDN_SCRIPT.search(html, found.end()) is not None:
        return None
    tags = _script_tags(_plotly_source()[0], revision)
    return html[: found.start()] + tags + html[found.end() :]


def _live_tag(revision: int) -> str:
    return f'<script src="{ASSET_PREFIX}live.js" data-revision="{int(revision)}"></script>'


def _script_tags(digest: str, revision: int) -> str:
    """What replaces a page's inline plotly.js: the cached script, then the live client."""
    return f'<script src="{plotly_path(digest)}"></script>\n{_live_tag(revision)}'


def servable(html: str, revision: int) -> tuple[str, str | None]:
    r"""Rewrite a self-contained page for the preview server; return it and plotly.js.

    The inline plotly.js (4.6 MB, the same in every page) becomes ``<script src>`` of one URL
    the browser caches, and the live client (``live.js``) is loaded right after it, before any
    figure is drawn (it restores the reader's zoom and filters as the figures are created).
    A page without inline plotly.js gets the live client at the end of its head.

    Examples:
        >>> page = "<html><head><script type='text/javascript'>/**\n* plotly.js v9</script>"
        >>> served, source = servable(page + "</head><body></body></html>", 3)
        >>> source
        '/**\n* plotly.js v9'
        >>> "plotly.js v9" in served, 'data-revision="3"' in served
        (False, True)
    """
    live = _live_tag(revision)
    at = html.find(_PLOTLY_BANNER)
    if at >= 0:
        opening = _SCRIPT_OPEN.search(html, 0, at)
        end = html.find("</script>", at)
        if opening is not None and end >= 0:
            source = html[at:end]
            tags = _script_tags(_digest(source), revision)
            return html[: opening.start()] + tags + html[end + len("</script>") :], source
    head_end = html.find("</head>")
    if head_end < 0:
        return live + html, None
    return html[:head_end] + live + "\n" + html[head_end:], None


def _with_excerpts(errors: Iterable[Diagnostic]) -> list[dict[str, Any]]:
    """Diagnostics as JSON-ready dicts, each with the lines of its file around it."""
    lines_of: dict[str, list[str] | None] = {}
    shown: list[dict[str, Any]] = []
    for diagnostic in errors:
        entry = diagnostic.to_dict()
        entry["location"] = f"{diagnostic.file}:{diagnostic.line}:{diagnostic.column}"
        if diagnostic.file not in lines_of:
            lines_of[diagnostic.file] = _lines(diagnostic.file)
        lines = lines_of[diagnostic.file]
        excerpt: list[dict[str, Any]] = []
        if lines is not None and diagnostic.line >= 1:
            first = max(1, diagnostic.line - CONTEXT_LINES)
            last = min(len(lines), diagnostic.line + CONTEXT_LINES)
            excerpt = [
                {"line": n, "text": lines[n - 1][:MAX_LINE_CHARS]} for n in range(first, last + 1)
            ]
        entry["excerpt"] = excerpt
        shown.append(entry)
    return shown


def _lines(file: str) -> list[str] | None:
    try:
        # Never a FIFO or a device (a diagnostic may name one: it was not read).
        return read_regular(file).decode("utf-8", errors="replace").splitlines()
    except OSError:
        return None


# -------------------------------------------------------------------- page builders
# Each calls the renderers of graphkit.render; figures and indexes shared by two pages of a
# revision are built once (one escalation scan gives the index and the steps; the report
# reuses the timeline page's figure).


def _escalation_scan(pages: _Pages) -> Any:
    from graphkit.query.escalation import escalation_scan

    return pages.part("scan", lambda: escalation_scan(pages.kb))


def _escalation_index(pages: _Pages) -> Any:
    return pages.part("index", lambda: _escalation_scan(pages).index(freq="week"))


def _timeline_figure(pages: _Pages) -> Any:
    from graphkit.render.timeline import timeline

    index = _escalation_index(pages)
    return pages.part("timeline", lambda: timeline(pages.kb, escalation=index))


def _report_page(pages: _Pages, title: str, cdn: bool) -> str:
    from graphkit.render.report import report

    return report(
        pages.kb,
        escalation=_escalation_index(pages),
        steps=_escalation_scan(pages).steps(),
        timeline_figure=_timeline_figure(pages),
        title=f"{title}: report",
        cdn=cdn,
    )


def _timeline_page(pages: _Pages, title: str, cdn: bool) -> str:
    from graphkit.render.html import to_html

    return to_html(_timeline_figure(pages), cdn=cdn, title=f"{title}: timeline")


def _network_page(pages: _Pages, title: str, cdn: bool) -> str:
    from graphkit.render.html import to_html
    from graphkit.render.network import network

    return to_html(network(pages.kb), cdn=cdn, title=f"{title}: network")


def _map_page(pages: _Pages, title: str, cdn: bool) -> str:
    from graphkit.render.geo import event_map
    from graphkit.render.html import to_html

    return to_html(event_map(pages.kb), cdn=cdn, title=f"{title}: map")


#: Page builders: (pages, title, cdn) -> HTML; ``cdn`` as the renderers' (plotly.js linked).
_BUILDERS: dict[str, Callable[[_Pages, str, bool], str]] = {
    "report": _report_page,
    "timeline": _timeline_page,
    "network": _network_page,
    "map": _map_page,
}
