"""Static PNG/SVG export through kaleido 1.x and the system's Chromium (never a download).

kaleido drives a local Chromium found through ``BROWSER_PATH`` or the ``PATH``; when neither is
set and Debian's ``/usr/bin/chromium`` exists, it is used. Maps read the vendored world topojson
from :func:`graphkit.render.geo.assets_dir` (a ``file://`` URL), and MathJax is switched off, so an
export needs no network.

Example (needs the ``export`` extra and Chromium)::

    from graphkit.render.export import write_image
    write_image(timeline(kb), "timeline.png")
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from graphkit._fs import atomic_write
from graphkit.errors import GraphkitError
from graphkit.render._figure import Figure

__all__ = ["ExportError", "ImageFormat", "chromium_path", "to_image", "write_image"]

ImageFormat = Literal["png", "svg"]

DEBIAN_CHROMIUM = "/usr/bin/chromium"


class ExportError(GraphkitError, RuntimeError):
    """A static image could not be made (no kaleido, no Chromium, or the browser failed)."""


def chromium_path() -> str | None:
    """The Chromium kaleido will use: ``BROWSER_PATH``, Debian's, or one on the ``PATH``."""
    explicit = os.environ.get("BROWSER_PATH")
    if explicit:
        return explicit
    if os.access(DEBIAN_CHROMIUM, os.X_OK):
        return DEBIAN_CHROMIUM
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@contextmanager
def _offline_kaleido() -> Iterator[Any]:
    import plotly.io as pio

    from graphkit.render.geo import assets_dir

    browser = chromium_path()
    if browser is None:
        raise ExportError(
            "static export needs Chromium: install it (Debian: apt-get install chromium) "
            "or set BROWSER_PATH to a Chromium or Chrome executable"
        )
    saved_env = os.environ.get("BROWSER_PATH")
    saved = (pio.defaults.topojson, pio.defaults.mathjax)
    os.environ["BROWSER_PATH"] = browser
    pio.defaults.topojson = assets_dir().as_uri() + "/"
    pio.defaults.mathjax = None
    try:
        yield pio
    finally:
        pio.defaults.topojson, pio.defaults.mathjax = saved
        if saved_env is None:
            os.environ.pop("BROWSER_PATH", None)
        else:
            os.environ["BROWSER_PATH"] = saved_env


def to_image(fig: Any, image_format: ImageFormat = "png", *, scale: float = 2.0) -> bytes:
    """Render ``fig`` to PNG or SVG bytes.

    Raises:
        ExportError: Without kaleido or Chromium, or when the export fails.
    """
    if importlib.util.find_spec("kaleido") is None:
        raise ExportError("static export needs kaleido: pip install 'graphkit-events[export]'")
    with _offline_kaleido() as pio:
        try:
            figure = fig.graph_object() if isinstance(fig, Figure) else fig
            data = pio.to_image(figure, format=image_format, scale=scale)
        except ExportError:
            raise
        except Exception as exc:
            raise ExportError(f"kaleido could not export the figure: {exc}") from exc
    return bytes(data)


def write_image(
    fig: Any, path: str | os.PathLike[str], image_format: ImageFormat | None = None
) -> Path:
    """Write ``fig`` as PNG or SVG (from ``image_format`` or the file suffix), atomically.

    Raises:
        ExportError: See :func:`to_image`; also for a suffix other than .png or .svg.

    Examples:
        With kaleido and Chromium installed (not run by the doctests, which must pass without
        a browser):

        >>> import graphkit as gk
        >>> kb = gk.loads("{format_version: 1, actors: [{id: A, name: Arcadia, kind: state}]}")
        >>> gk.write_image(gk.timeline(kb), "timeline.png")  # doctest: +SKIP
        PosixPath('timeline.png')

        The format is checked first, so this needs neither:

        >>> try:
        ...     gk.write_image(gk.timeline(kb), "timeline.jpg")
        ... except gk.GraphkitError as err:
        ...     print(err)
        timeline.jpg: static export writes .png or .svg, not 'jpg'
    """
    target = Path(path)
    fmt = image_format or target.suffix.lstrip(".").lower()
    if fmt not in ("png", "svg"):
        raise ExportError(f"{target}: static export writes .png or .svg, not {fmt!r}")
    data = to_image(fig, "png" if fmt == "png" else "svg")
    atomic_write(target, data)
    return target
