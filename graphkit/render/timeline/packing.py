"""Rows inside a lane: every event and relation gets a place of its own (interval packing).

A lane is a band of rows: first the *event rows*, then the *relation rows*. Relations are packed
by their time interval (clipped to the drawn window, widened by their label when it sticks out):
greedy first fit in start order, which uses as many rows as the most relations that overlap at
one time, the least any packing can. Events are packed at a nominal scale (the first view drawn
:data:`NOMINAL_WIDTH_PX` wide): an event goes to the first row where its marker *and label* fit
after the previous occupant; failing that, to a row where its marker alone fits (its label then
shows only when zooming in leaves room); so events on the same day sit in rows of their own
instead of on top of each other.

Examples:
    >>> pack_intervals([(0, 10), (2, 5), (6, 12), (11, 20)])
    [0, 1, 1, 0]
    >>> pack_points([(0, 10, 100), (0, 10, 100), (50, 60, 150)], label_rows=2, max_rows=4)
    [(0, True), (1, True), (2, False)]
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "EVENT_ROW",
    "LANE_GAP",
    "NOMINAL_WIDTH_PX",
    "RELATION_ROW",
    "Band",
    "bands",
    "label_side",
    "pack_intervals",
    "pack_points",
    "relation_label_place",
]

#: The plot width (px) the first view is packed for (a 1400 px wide window).
NOMINAL_WIDTH_PX = 1000.0
#: Height of an event row and of a relation row, in y units (an event row is 21 px tall).
EVENT_ROW = 1.0
RELATION_ROW = 0.78
#: Space under the last row of a lane.
LANE_GAP = 0.3
#: Pixels between a marker's right edge and the next item in its row.
GAP_PX = 6.0


def relation_label_place(
    lo: float, hi: float, words: float, width: float = NOMINAL_WIDTH_PX
) -> tuple[str, bool, float, float]:
    """Where a bar's label goes, at the nominal scale (px): beside the bar, never across its start.

    Returns the text position, whether the label is anchored at the bar's start (else at its
    end), and the interval the bar and its label take in their row. Rightwards from the start
    when the label fits before the plot's right edge; else leftwards, ending where the bar
    starts, when it fits after the left edge; else leftwards from the bar's end, over the bar.

    Examples:
        >>> relation_label_place(100, 300, 150)
        ('middle right', True, 100, 300)
        >>> relation_label_place(900, 990, 150)
        ('middle left', True, 750, 990)
        >>> relation_label_place(100, 990, 950)
        ('middle left', False, 40, 990)
    """
    if lo + words <= width:
        return "middle right", True, lo, max(hi, lo + words)
    if lo - words >= 0:
        return "middle left", True, lo - words, hi
    return "middle left", False, min(lo, hi - words), hi


def label_side(
    x: float, radius: float, words: float, left: float, right: float,
    width: float = NOMINAL_WIDTH_PX,
) -> str:  # fmt: skip
    """Which side of its marker an event's label goes (``middle right`` or ``middle left``).

    ``left``/``right`` are where the event's drawing ends (its hatched extent or duration bar):
    a label goes where it fits inside the plot and does not lie on that drawing, rightwards
    first; where no side is free, rightwards if it fits, else leftwards.

    Examples:
        >>> label_side(500, 5, 100, 495, 505)
        'middle right'
        >>> label_side(500, 5, 100, 495, 700)  # a duration bar to the right
        'middle left'
        >>> label_side(950, 5, 100, 945, 955)
        'middle left'
    """
    fits_right = x + radius + words <= width
    fits_left = x - radius - words >= 0
    if fits_right and right <= x + radius + 1:
        return "middle right"
    if fits_left and left >= x - radius - 1:
        return "middle left"
    return "middle right" if fits_right else "middle left"


def pack_intervals(intervals: Sequence[tuple[float, float]]) -> list[int]:
    """Rows for intervals ``(start, end)``: no two in one row overlap; the fewest rows.

    Greedy in start order, each interval in the lowest free row. An interval that starts exactly
    where another ends shares its row.
    """
    order = sorted(range(len(intervals)), key=lambda i: (intervals[i][0], intervals[i][1], i))
    rows = [0] * len(intervals)
    busy: list[tuple[float, int]] = []  # (end, row) of the rows in use
    free: list[int] = []  # rows free again, lowest first
    used = 0
    for i in order:
        start, end = intervals[i]
        while busy and busy[0][0] <= start:
            heapq.heappush(free, heapq.heappop(busy)[1])
        if free:
            row = heapq.heappop(free)
        else:
            row = used
            used += 1
        rows[i] = row
        heapq.heappush(busy, (end, row))
    return rows


def pack_points(
    items: Sequence[tuple[float, float, float] | tuple[float, float, float, float]],
    *,
    label_rows: int,
    max_rows: int,
) -> list[tuple[int, bool]]:
    """Rows for markers with labels, in the order given (time order).

    Each item is ``(left, marker_right, label_right)`` in pixels at the nominal scale, or
    ``(left, marker_right, label_right, marker_left)`` when a label written leftwards makes
    ``left`` the label's left edge (a marker without its label needs room from ``marker_left``
    only). Returns ``(row, label fits)`` per item: the first of the first ``label_rows`` rows
    where marker and label fit, else the first of ``max_rows`` rows where the marker fits (label
    hidden at first), else one where it lies on no other marker (over as little of an earlier
    label as can be: the page leaves that label out; a marker hidden under another could not be
    hovered), else the row whose last marker ends first (the marker may overlap there).

    Examples:
        >>> pack_points([(0, 10, 300), (20, 30, 300), (25, 35, 60)], label_rows=1, max_rows=2)
        [(0, True), (1, False), (0, False)]
    """
    ends: list[float] = []  # right edge of each row's last occupant (marker or label)
    marks: list[float] = []  # right edge of each row's last marker
    placed: list[tuple[int, bool]] = []
    for item in items:
        left, marker_right, label_right = item[:3]
        marker_left = item[3] if len(item) > 3 else left
        row = _first_free(ends, left, label_rows)
        fits = row is not None
        if row is None:
            row = _first_free(ends, marker_left, max_rows)
        if row is None:  # on no marker, over as little of an earlier label as can be
            clear = [r for r in range(len(marks)) if marks[r] + GAP_PX <= marker_left]
            row = min(clear, key=lambda r: (ends[r], r)) if clear else None
        if row is None:
            row = min(range(len(marks)), key=lambda r: (marks[r], r))
        _occupy(ends, row, label_right if fits else marker_right)
        _occupy(marks, row, marker_right)
        placed.append((row, fits))
    return placed


def _first_free(ends: list[float], left: float, limit: int) -> int | None:
    for row in range(min(len(ends), limit)):
        if ends[row] + GAP_PX <= left:
            return row
    return len(ends) if len(ends) < limit else None


def _occupy(ends: list[float], row: int, right: float) -> None:
    if row == len(ends):
        ends.append(right)
    else:
        ends[row] = max(ends[row], right)


@dataclass(frozen=True)
class Band:
    """One lane's rows: where its event rows and relation rows sit on the y axis."""

    label: str
    top: float
    event_rows: int
    relation_rows: int

    @property
    def bottom(self) -> float:
        """The y where the next lane starts."""
        return self.top + self.event_rows * EVENT_ROW + self.relation_rows * RELATION_ROW + LANE_GAP

    @property
    def label_y(self) -> float:
        """Where the lane's name is written: beside its first row."""
        if self.event_rows:
            return self.event_y(0)
        return self.relation_y(0)

    def event_y(self, row: int) -> float:
        """The y of event row ``row``."""
        return self.top + (row + 0.5) * EVENT_ROW

    def relation_y(self, row: int) -> float:
        """The y of relation row ``row``."""
        return self.top + self.event_rows * EVENT_ROW + (row + 0.5) * RELATION_ROW


def bands(
    lanes: Sequence[str], event_rows: Sequence[int], relation_rows: Sequence[int]
) -> list[Band]:
    """Stack the lanes' bands from the top (every lane has at least one row)."""
    out: list[Band] = []
    top = 0.0
    for label, events, relations in zip(lanes, event_rows, relation_rows, strict=True):
        band = Band(label, top, events if events or relations else 1, relations)
        out.append(band)
        top = band.bottom
    return out
