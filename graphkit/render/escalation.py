"""The escalation index panel and table, written against a structural interface.

:mod:`graphkit.render` does not import :mod:`graphkit.query` (the layer contract keeps the two
packages independent); callers that have an index pass it in::

    from graphkit.query.escalation import escalation_index   # where it exists
    fig = timeline(kb, escalation=escalation_index(kb, freq="week"))

Anything with ``.points``, each point with ``.start``/``.end`` (dates), ``.value`` (a number)
and ``.events`` (event ids), fits :class:`EscalationIndexLike`. Steps for the report table
(:class:`EscalationStepLike`) need ``.kind`` and, optionally, ``.when``/``.day``, ``.parties``,
``.before``/``.after``, ``.summary``, ``.grade`` and ``.evidence`` (items with an ``.id``).

Examples:
    >>> from dataclasses import dataclass, field
    >>> from datetime import date
    >>> @dataclass
    ... class Point:
    ...     start: date
    ...     end: date
    ...     value: float
    ...     events: list[str] = field(default_factory=list)
    >>> @dataclass
    ... class Index:
    ...     points: list[Point]
    >>> trace = escalation_trace(Index([Point(date(2024, 10, 7), date(2024, 10, 13), 2.5, ["e1"])]))
    >>> trace.x, trace.y
    (('2024-10-07', '2024-10-14'), (2.5, 2.5))
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any, Protocol, runtime_checkable

import plotly.graph_objects as go

from graphkit.render._html import esc, join, script_json, wrap

__all__ = [
    "EscalationIndexLike",
    "EscalationStepLike",
    "IndexPointLike",
    "TABLE_LIMIT",
    "escalation_table_html",
    "significant",
    "escalation_series",
    "escalation_trace",
]


@runtime_checkable
class IndexPointLike(Protocol):
    """One period of an escalation index."""

    @property
    def start(self) -> date:
        """First day of the period."""

    @property
    def end(self) -> date:
        """Last day of the period (inclusive)."""

    @property
    def value(self) -> float:
        """The index value for the period."""

    @property
    def events(self) -> Sequence[str]:
        """Ids of the events that count in the period."""


@runtime_checkable
class EscalationIndexLike(Protocol):
    """An escalation index: periods in time order."""

    @property
    def points(self) -> Sequence[IndexPointLike]:
        """The periods."""


class EscalationStepLike(Protocol):
    """One step of an escalation ladder, for the report table."""

    @property
    def kind(self) -> str:
        """What kind of step (escalation, de-escalation, ...)."""

    @property
    def summary(self) -> str:
        """What got worse, in words."""


def escalation_trace(
    index: EscalationIndexLike,
    *,
    summary: Callable[[str], str | None] | None = None,
    colour: str = "#B22222",
) -> Any:
    """A step-line trace of the index (x: period starts, plus the day after the last period).

    ``summary`` maps an event id to its summary, shown (escaped) for the first events of a
    period in the hover label. A ``go.Scatter``; figures use :func:`escalation_series`, the
    same trace as a plain dict.
    """
    return go.Scatter(escalation_series(index, summary=summary, colour=colour))


def escalation_series(
    index: EscalationIndexLike,
    *,
    summary: Callable[[str], str | None] | None = None,
    colour: str = "#B22222",
) -> dict[str, Any]:
    """The trace of :func:`escalation_trace` as the plain dict plotly.js reads."""
    points = list(index.points)
    xs: list[str] = [p.start.isoformat() for p in points]
    ys: list[float] = [float(p.value) for p in points]
    hover: list[str] = []
    for p in points:
        ids = list(p.events)
        lines = [
            f"<b>escalation index {float(p.value):.3g}</b>",
            f"{p.start.isoformat()} … {p.end.isoformat()}",
            f"{len(ids)} event{'s' if len(ids) != 1 else ''}",
        ]
        if float(p.value) < 0:  # de-escalating events count below zero
            lines.insert(1, "easing outweighs hostility")
        for event_id in ids[:5]:
            text = summary(event_id) if summary is not None else None
            lines.append("• " + (wrap(text, 70, max_lines=1) if text else esc(event_id)))
        if len(ids) > 5:
            lines.append(f"… and {len(ids) - 5} more")
        hover.append(join(lines))
    if points:
        xs.append((points[-1].end + timedelta(days=1)).isoformat())
        ys.append(ys[-1])
        hover.append(hover[-1])
    return {
        "type": "scatter",
        "x": xs,
        "y": ys,
        "mode": "lines",
        "line": {"shape": "hv", "color": colour, "width": 1.5},
        "fill": "tozeroy",
        "fillcolor": "rgba(178,34,34,0.18)",
        "name": "escalation index",
        "hovertext": hover,
        "hoverinfo": "text",
        "showlegend": False,
        "meta": {"kind": "escalation"},
    }


def _field(step: Any, *names: str) -> Any:
    for name in names:
        value = getattr(step, name, None)
        if value is not None and value != "":
            return value
    return None


#: Rows the report's escalation table shows at most (see :func:`escalation_table_html`).
TABLE_LIMIT = 500
# Which steps a capped table keeps first: a new party in a war matters more than a new alliance.
_KIND_RANK = {"new_party": 0, "ladder": 1, "de_escalation": 2, "quantity_growth": 3, "widening": 4}


def significant(steps: Sequence[Any], limit: int) -> list[Any]:
    """The ``limit`` most significant steps, in their given (time) order.

    Significance: new parties, then ladder steps, de-escalations, quantity growth and widening;
    within a kind the larger ``size`` first (levels gained, growth ratio); ties keep time order.

    Examples:
        >>> from types import SimpleNamespace as S
        >>> steps = [S(kind="widening", size=1.0), S(kind="ladder", size=2.0),
        ...          S(kind="ladder", size=1.0), S(kind="new_party", size=4.0)]
        >>> [(s.kind, s.size) for s in significant(steps, 2)]
        [('ladder', 2.0), ('new_party', 4.0)]
    """
    if len(steps) <= limit:
        return list(steps)
    ranked = sorted(
        range(len(steps)),
        key=lambda i: (
            _KIND_RANK.get(_field(steps[i], "kind") or "", len(_KIND_RANK)),
            -float(_field(steps[i], "size") or 0.0),
            i,
        ),
    )
    return [steps[i] for i in sorted(ranked[:limit])]


def escalation_table_html(steps: Sequence[Any], *, limit: int | None = TABLE_LIMIT) -> str:
    """An HTML table (escaped) of escalation steps, the most significant ``limit`` of them.

    Columns: date (``when``, else ``day``/``date``), kind, parties, change (``before`` →
    ``after``), summary, grade and the ids of the evidence (``evidence``, else ``events``).
    Each cell names its column (``data-label``): on a phone the stylesheet lays every row out as a
    card, so no column is out of sight. De-escalation rows (kind ``de_escalation``) have the class
    ``gk-down``, keyed above the table. A
    machine-coded knowledge base can have tens of thousands of steps: beyond ``limit`` (``None``:
    no limit) the table keeps the :func:`significant` ones, in time order, and says so above it.

    Examples:
        >>> from types import SimpleNamespace as S
        >>> html = escalation_table_html([S(kind="ladder", when="2024-10", summary="<b>x</b>")])
        >>> '<td data-label="date">2024-10</td><td data-label="kind">ladder</td>' in html
        True
        >>> "&lt;b&gt;x&lt;/b&gt;" in html
        True
        >>> linked = escalation_table_html([S(kind="ladder", events=["e1"])])
        >>> 'data-events="[&#34;e1&#34;]"' in linked
        True
        >>> many = [S(kind="widening", when=str(2000 + i)) for i in range(3)]
        >>> table = escalation_table_html(many, limit=2)
        >>> table.count("<td ") // 7, "The 2 most significant of 3 steps" in table
        (2, True)
    """
    columns = ("date", "kind", "parties", "change", "summary", "grade", "evidence")
    shown = steps if limit is None else significant(steps, limit)
    rows = []
    for step in shown:
        before, after = _field(step, "before"), _field(step, "after")
        change = f"{before} → {after}" if before is not None else (after or "")
        parties = _field(step, "parties") or ()
        evidence = _field(step, "evidence", "events") or ()
        if isinstance(parties, str):
            parties = (parties,)
        cells = [
            esc(_field(step, "when", "day", "date") or ""),
            esc(_field(step, "kind") or ""),
            esc(" / ".join(str(p) for p in parties)),
            esc(change),
            esc(_field(step, "summary", "description") or ""),
            esc(_field(step, "grade") or ""),
            esc(", ".join(str(getattr(e, "id", e)) for e in evidence)),
        ]
        ids = [str(getattr(e, "id", e)) for e in evidence]
        # A step down (ceasefire, lifted measure, ended relation) is marked as one; the report's
        # script highlights a step's events on the timeline (ids as JSON, escaped).
        classes = ["gk-down"] if _field(step, "kind") == "de_escalation" else []
        link = ""
        if ids:
            classes.insert(0, "gk-step")
            link = f' tabindex="0" data-events="{esc(script_json(ids))}"'
        attrs = (f' class="{" ".join(classes)}"' if classes else "") + link
        # each cell names its column: a phone lays a row out as a card (graphkit.css)
        rows.append(
            f"<tr{attrs}>"
            + "".join(
                f'<td data-label="{name}">{cell}</td>'
                for name, cell in zip(columns, cells, strict=True)
            )
            + "</tr>"
        )
    head = "".join(f"<th>{name}</th>" for name in columns)
    note = ""
    if len(shown) < len(steps):
        note = (
            f'<p class="gk-note">The {len(shown):,} most significant of {len(steps):,} steps '
            "(new parties, then ladder steps, de-escalations, growth and widening, the largest "
            "first), in time "
            "order; <code>graphkit escalations</code> lists them all.</p>"
        )
    if any(_field(step, "kind") == "de_escalation" for step in shown):
        key = '<span class="gk-down-key"></span>'
        note += f'<p class="gk-note">{key} de-escalation: a step down</p>'
    return (
        f'{note}<table class="gk-table gk-steps"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
