"""Figures as plain data: what plotly.js draws, without building plotly.py's graph objects.

graphkit's figures are built as the dicts and lists plotly.js reads (``{"data": [...],
"layout": {...}}``). Building ``plotly.graph_objects`` from them validates every property and
copies every value, then ``to_dict`` copies them again: for a page that was most of its cost.
:class:`Figure` keeps the plain data and turns into a ``go.Figure`` only when Python code asks for
one (``fig.data``, ``fig.layout``, ``fig.update_layout(...)``, ``fig.show()``: any attribute of a
``go.Figure`` is there), built with validation (``skip_invalid=False``), so a mistake in a trace
still raises when it is looked at. Pages (:mod:`graphkit.render.html`) read the plain data
directly (:func:`plain`), or the ``go.Figure`` once it exists (it may have been changed).

Examples:
    >>> fig = Figure([{"type": "scatter", "x": [1], "y": [2], "name": "a"}], {"height": 300})
    >>> plain(fig)["data"][0]["name"], fig.data[0].name, fig.layout.height
    ('a', 'a', 300)
    >>> fig.update_layout(height=400) is not None, plain(fig)["layout"]["height"]
    (True, 400)
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

__all__ = ["Column", "Figure", "is_plain", "plain", "template", "trace", "typed_array"]


class Column(Sequence[Any]):
    """A per-point column kept compact (see :mod:`graphkit.render._hovers`).

    To Python it is the sequence of its values; a page writes :meth:`compact` and the tables
    the figure's columns share (:meth:`shared`), and builds the values in the browser.
    """

    def compact(self) -> dict[str, Any]:
        """The column's own data, as the page reads it."""
        raise NotImplementedError

    def shared(self) -> dict[str, list[Any]]:
        """The tables this column's values index into (the same object for a whole figure)."""
        raise NotImplementedError


def _expanded(trace: dict[str, Any]) -> dict[str, Any]:
    if not any(isinstance(v, Column) for v in trace.values()):
        return trace
    return {k: list(v) if isinstance(v, Column) else v for k, v in trace.items()}


class Figure:
    """A plotly figure held as plain data, a ``plotly.graph_objects.Figure`` on demand."""

    __slots__ = ("_data", "_figure", "_layout", "cache")

    def __init__(self, data: list[dict[str, Any]], layout: dict[str, Any]) -> None:
        self._data = data
        self._layout = layout
        self._figure: Any = None
        #: Serialised parts, reused by every page that shows this figure (see ``html.py``).
        self.cache: dict[str, Any] = {}

    def graph_object(self) -> Any:
        """The ``plotly.graph_objects.Figure`` of this figure (built once, validated)."""
        if self._figure is None:
            import plotly.graph_objects as go

            data = [_expanded(t) for t in self._data]
            self._figure = go.Figure({"data": data, "layout": self._layout}, skip_invalid=False)
            self.cache.clear()  # the graph object may be changed: pages read it from now on
        return self._figure

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in Figure.__slots__:
            raise AttributeError(name)
        return getattr(self.graph_object(), name)

    def __repr__(self) -> str:
        return f"graphkit Figure ({len(self._data)} traces)"

    def _repr_html_(self) -> Any:
        return self.graph_object()._repr_html_()

    def to_dict(self) -> dict[str, Any]:
        """The figure as ``plotly.graph_objects.Figure.to_dict`` returns it."""
        return self.graph_object().to_dict()  # type: ignore[no-any-return]

    def to_plotly_json(self) -> dict[str, Any]:
        """The figure's data and layout (as ``go.Figure.to_plotly_json``)."""
        return self.graph_object().to_plotly_json()  # type: ignore[no-any-return]


def plain(fig: Any) -> dict[str, Any]:
    """The data and layout of a figure, as plain dicts, without copying when it can.

    A :class:`Figure` not yet turned into a graph object gives its own data (read it, do not
    change it); anything else (a ``go.Figure``, or a :class:`Figure` whose graph object exists and
    may have been changed) gives ``to_dict()``.
    """
    if isinstance(fig, Figure) and fig._figure is None:
        return {"data": fig._data, "layout": fig._layout}
    figure = fig.graph_object() if isinstance(fig, Figure) else fig
    return figure.to_dict()  # type: ignore[no-any-return]


def is_plain(fig: Any) -> bool:
    """Whether ``fig`` is a :class:`Figure` still held as plain data (its cache is valid)."""
    return isinstance(fig, Figure) and fig._figure is None


def trace(kind: str, **props: Any) -> dict[str, Any]:
    """A trace of type ``kind`` (``scatter``, ``scattergeo``...) as the dict plotly.js reads."""
    return {"type": kind, **props}


@cache
def _template() -> dict[str, Any]:
    import plotly.io as pio

    return pio.templates["plotly_white"].to_plotly_json()  # type: ignore[no-any-return]


def template() -> dict[str, Any]:
    """The ``plotly_white`` template as a dict, as a ``go.Figure`` writes it (do not change it)."""
    return _template()


def typed_array(value: Any) -> Any:
    """A numpy array as plotly.js's typed array spec (as ``go.Figure.to_dict`` writes it).

    Used as orjson's ``default``: numpy scalars become numbers, arrays plotly cannot type
    (64-bit integers out of 32-bit range, objects) become lists, a :class:`Column` its values.
    """
    import numpy as np
    from _plotly_utils.utils import to_typed_array_spec  # type: ignore[import-untyped]

    if isinstance(value, Column):
        return list(value)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        spec = to_typed_array_spec(value)
        return spec.tolist() if isinstance(spec, np.ndarray) else spec
    raise TypeError(f"cannot serialise {type(value).__name__}")
