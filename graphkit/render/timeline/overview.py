"""Density at a glance: the range slider's miniature, and the overview of large figures.

The **miniature** is the number of events per time bin, drawn as a filled step line in a band
under the lanes, out of the plot's y range, and shown only in the range slider (whose y range is
fixed to that band): the slider shows where the events are, not a grey bar.

The **overview** replaces, in figures with more than ``overview_over`` events, the first screen's
wall of overlapping markers: per lane and per type family, a strip of cells coloured by how many
events fall in each time bin (a heatmap per family, on a log scale; hover a cell for its count and
its commonest types). The markers are in the figure but hidden; the page script swaps them in
when the view holds at most ``overview_over`` events (counted from the bins), and back out when
one zooms out. Its size does not grow with the number of events: lanes x families x bins cells.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING, Any

import numpy as np

from graphkit.render._describe import DAY_MS, ms_text
from graphkit.render._palette import FAMILIES
from graphkit.render.timeline.packing import EVENT_ROW, RELATION_ROW
from graphkit.render.timeline.traces import TypeStyle, tint

if TYPE_CHECKING:
    from graphkit.render.timeline.builder import Builder

__all__ = ["bins", "density_traces", "miniature_trace", "overview_meta"]

#: Candidate bin widths (days), shortest first.
BIN_DAYS = (1, 7, 14, 30, 61, 91, 182, 365, 730, 1826, 3652, 36525)
#: At most this many bins across the window.
MAX_BINS = 130


def bins(lo_ms: float, hi_ms: float, max_bins: int = MAX_BINS) -> tuple[float, int, float]:
    """Bin start, count and width (ms): the shortest candidate width with at most ``max_bins``.

    Examples:
        >>> start, n, width = bins(0, 365 * 86_400_000)
        >>> n, width / 86_400_000
        (53, 7.0)
    """
    span = max(hi_ms - lo_ms, DAY_MS)
    days = next((d for d in BIN_DAYS if span / (d * DAY_MS) <= max_bins), BIN_DAYS[-1])
    width = days * DAY_MS
    start = math.floor(lo_ms / width) * width
    return start, max(1, math.ceil((hi_ms - start) / width)), width


def _event_bins(b: Builder, start: float, n: int, width: float) -> np.ndarray:
    found: np.ndarray = np.clip(((b.event_lo_ms - start) // width).astype(np.int64), 0, n - 1)
    return found


def miniature_trace(b: Builder, total: float) -> dict[str, Any]:
    """Events per bin as a filled step line under the lanes, for the range slider only."""
    start, n, width = bins(b.lo_ms, b.hi_ms)
    counts = np.bincount(_event_bins(b, start, n, width), minlength=n).astype(np.float64)
    top = counts.max() or 1.0
    base, height = total + 1.7, 1.3
    ys = (base - height * np.sqrt(counts / top)).round(3).tolist()  # sqrt: a single event shows
    edges = [start + i * width for i in range(n + 1)]
    xs = [*edges[:-1], edges[-1], edges[-1], edges[0]]
    ys = [*ys, ys[-1], base, base]
    return {
        "type": "scatter",
        "x": [ms_text(x) for x in xs] if not b.webgl else [round(x) for x in xs],
        "y": ys,
        "mode": "lines",
        "line": {"shape": "hv", "width": 1, "color": "#6B7280"},
        "fill": "toself",
        "fillcolor": "rgba(107,114,128,0.35)",
        "hoverinfo": "skip",
        "showlegend": False,
        "name": "events per bin",
        "meta": {"kind": "miniature"},
    }


def density_traces(b: Builder, styles: dict[str, TypeStyle]) -> list[dict[str, Any]]:
    """The overview: per type family a heatmap, a strip of it in every lane.

    Event families take the lanes' event rows (events per bin); relation families their
    relation rows (relations in force in each bin).
    """
    start, n, width = bins(b.lo_ms, b.hi_ms)
    edges_x = [round(start + i * width) for i in range(n + 1)]
    days = [f"{ms_text(x)[:10]} – {ms_text(x + width - DAY_MS)[:10]}" for x in edges_x[:-1]]
    traces: list[dict[str, Any]] = []
    # events: one count per event, in the bin of its first day
    events = b.chosen.events
    lanes = np.asarray(b.event_lane, dtype=np.int64)
    where = _event_bins(b, start, n, width)
    kinds = [e.type for e in events]
    traces += _strips(b, styles, kinds, lanes, where, where, n, days, edges_x, relation=False)
    # relations: counted in every bin they are in force (cut at the window, as drawn)
    if b.relations:
        spans = b.relation_span_array[:, :2]
        lo = np.clip(((spans[:, 0] - start) // width).astype(np.int64), 0, n - 1)
        hi = np.clip(((spans[:, 1] - 1 - start) // width).astype(np.int64), 0, n - 1)
        kinds = [r.type for r in b.relations]
        rel_lanes = np.asarray(b.relation_lanes, dtype=np.int64)
        traces += _strips(b, styles, kinds, rel_lanes, lo, hi, n, days, edges_x, relation=True)
    return traces


def _strips(
    b: Builder,
    styles: dict[str, TypeStyle],
    kinds: list[str],
    lanes: np.ndarray,
    first: np.ndarray,
    last: np.ndarray,
    n: int,
    days: list[str],
    edges_x: list[int],
    *,
    relation: bool,
) -> list[dict[str, Any]]:
    """Heatmaps of items counted in the bins ``first..last`` of their lane, per family."""
    types = sorted(set(kinds), key=lambda k: styles[k].rank)
    kind_code = {k: i for i, k in enumerate(types)}
    families = sorted({styles[k].family for k in types}, key=lambda f: _rank(styles, f))
    family_code = {f: i for i, f in enumerate(families)}
    kind = np.array([kind_code[k] for k in kinds], dtype=np.int64)
    fams = np.array([family_code[styles[k].family] for k in types], dtype=np.int64)[kind]
    n_lanes = len(b.lanes)
    # counts per (family, lane, bin): +1 at the first bin, -1 after the last, summed along
    steps = np.zeros((len(families), n_lanes, n + 1), dtype=np.int64)
    np.add.at(steps, (fams, lanes, first), 1)
    np.add.at(steps, (fams, lanes, last + 1), -1)
    counts = np.cumsum(steps, axis=2)[:, :, :n]
    # the three commonest types of every cell (by their first bin), for its hover
    cell = (fams * n_lanes + lanes) * n + first
    pairs, pair_counts = np.unique(cell * len(types) + kind, return_counts=True)
    pair_cell, pair_kind = np.divmod(pairs, len(types))
    order = np.lexsort((-pair_counts, pair_cell))
    common: dict[int, list[str]] = defaultdict(list)
    for c, k, m in zip(
        pair_cell[order].tolist(), pair_kind[order].tolist(), pair_counts[order].tolist(),
        strict=True,
    ):  # fmt: skip
        if len(common[c]) < 3:
            common[c].append(f"{styles[types[k]].name} {m:,}")
    noun = "relation" if relation else "event"
    top = math.log10(int(counts.max()) + 1) or 1.0
    traces = []
    for f, family in enumerate(families):
        colour = next(s.colour for s in styles.values() if s.family == family)
        y_edges: list[float] = []
        z_rows: list[np.ndarray] = []
        text: list[list[str]] = []
        gap = np.full(n, np.nan)
        for lane, band in enumerate(b.bands):
            rows = band.relation_rows * RELATION_ROW if relation else band.event_rows * EVENT_ROW
            base_y = band.top + (band.event_rows * EVENT_ROW if relation else 0.0)
            share = rows / len(families)
            if y_edges:
                z_rows.append(gap)  # the space between this lane's strip and the last one's
                text.append([""] * n)
            y_edges.extend((base_y + f * share, base_y + (f + 1) * share))
            row = counts[f, lane]
            z_rows.append(np.where(row > 0, np.log10(row + 1), np.nan))
            base = (f * n_lanes + lane) * n
            words = " in force" if relation else ""
            text.append(
                [
                    f"<b>{c:,} {noun}{'s' if c != 1 else ''}{words}</b> · {band.label}<br>"
                    f"{days[i]}<br>" + ", ".join(common[base + i])
                    if c
                    else ""
                    for i, c in enumerate(row.tolist())
                ]
            )
        traces.append(
            {
                "type": "heatmap",
                "x": edges_x,
                "y": [round(v, 3) for v in y_edges],
                "z": np.vstack(z_rows).astype(np.float32),
                "zmin": 0,
                "zmax": top,
                "colorscale": [[0, tint(colour, 0.18)], [1, colour]],
                "showscale": False,
                "hoverongaps": False,
                "text": text,
                "hovertemplate": "%{text}<extra></extra>",
                "name": FAMILIES[family].label
                + (" (in force per bin)" if relation else " (events per bin)"),
                "showlegend": True,
                "legendgroup": "overview:" + family,
                "legendrank": FAMILIES[family].rank,
                "meta": {"kind": "overview", "family": family},
            }
        )
    return traces


def overview_meta(b: Builder) -> dict[str, Any]:
    """What the page script needs to count the events in view: the bins and their totals."""
    start, n, width = bins(b.lo_ms, b.hi_ms)
    counts = np.bincount(_event_bins(b, start, n, width), minlength=n)
    return {"start": round(start), "width": round(width), "counts": counts.tolist(),
            "detail_max": b.o.detail_max}  # fmt: skip


def _rank(styles: dict[str, TypeStyle], family: str) -> int:
    return min(s.rank for s in styles.values() if s.family == family)
