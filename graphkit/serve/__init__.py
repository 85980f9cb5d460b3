"""``graphkit serve``: a live preview of a knowledge base in the browser.

A local web server (:class:`LiveServer`, the standard library's ``http.server`` with
server-sent events) shows the report, timeline, network and map of a knowledge base, built by
:mod:`graphkit.render`; a watcher (watchfiles) reloads the files when they are saved, and the
open pages update in place (the figures redrawn with ``Plotly.react``), keeping the reader's
zoom and filters. When a save breaks
the files, the pages show the located errors over the last good version, and the terminal lists
them.

The layers: :mod:`~graphkit.serve.preview` (state and pages), :mod:`~graphkit.serve.watch`
(file watching), :mod:`~graphkit.serve.server` (HTTP); the browser side is in ``assets/``
(``shell.js`` for the frame and overlay, ``live.js`` inside each page). Needs the ``serve``
extra (``pip install 'graphkit[serve]'``).
"""

from __future__ import annotations

from graphkit.serve.preview import PAGES, Preview, Reload
from graphkit.serve.server import LOOPBACK, LiveServer, ServeError, is_loopback
from graphkit.serve.watch import MissingDependencyError, Watcher

__all__ = [
    "LOOPBACK",
    "PAGES",
    "LiveServer",
    "MissingDependencyError",
    "Preview",
    "Reload",
    "ServeError",
    "Watcher",
    "is_loopback",
]
