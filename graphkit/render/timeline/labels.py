"""Marker labels and sizes: figures written beside their markers, and collision avoidance."""

from __future__ import annotations

import html
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from graphkit.model.event import Quantity
from graphkit.render._describe import compact_number
from graphkit.render._html import esc
from graphkit.render.timeline.traces import Points

__all__ = ["declutter", "figure_label", "figure_size", "quantity_size"]

#: The share of the first view's width one label character takes (10 px text, ~800 px plot).
LABEL_CHAR_SHARE = 6 / 800


def quantity_size(quantities: Sequence[Quantity]) -> float:
    """Marker diameter (px) for the largest reported figure: 9 without one, at most 28."""
    return figure_size(max((abs(q.central) for q in quantities if not q.planned), default=None))


def figure_size(largest: float | None) -> float:
    """Marker diameter (px) for a figure (9 without one, at most 28)."""
    return 9.0 if largest is None else min(28.0, 9.0 + 2.2 * math.log10(largest + 1))


def figure_label(quantities: Sequence[Quantity]) -> str:
    """The reported figures of one unit, shortly (``+1,500 · 3,000 soldiers``), escaped."""
    reported = [q for q in quantities if not q.planned]
    if not reported:
        return ""
    unit = reported[0].unit
    same = [q for q in reported if q.unit == unit][:3]
    text = " · ".join(
        ("+" if q.kind == "increment" else "") + compact_number(q.central) for q in same
    )
    return esc(f"{text} {unit}" if unit else text)


def declutter(view: tuple[float, float], rows: Iterable[Iterable[Mapping[str, Points]]]) -> None:
    """Drop labels that would overlap in the first view; hover still shows them.

    ``rows`` are groups of point tables whose labels share a row of text: the first group's
    labels sit above their marker, the next group's below (a plan's label below lane ``y`` and
    an event's label of lane ``y + 1`` share a row). The labels of the largest markers are
    placed first; a label that would overlap an already placed one (at about
    ``LABEL_CHAR_SHARE`` of the view per character) is left out.
    """
    per_char = (view[1] - view[0]) * LABEL_CHAR_SHARE
    candidates: list[tuple[float, float, int, float, Points, int]] = []
    for side, tables in enumerate(rows):
        for points in (p for table in tables for p in table.values()):
            for i, text in enumerate(points.text):
                if text:
                    candidates.append((-points.size[i], points.y[i], side, points.x[i], points, i))
    placed: dict[float, list[tuple[float, float]]] = defaultdict(list)
    for _, lane, side, x, points, i in sorted(candidates, key=lambda c: c[:4]):
        half = len(html.unescape(points.text[i])) * per_char / 2 + per_char
        spans = placed[lane + side]
        if any(lo < x + half and x - half < hi for lo, hi in spans):
            points.text[i] = ""
        else:
            spans.append((x - half, x + half))
