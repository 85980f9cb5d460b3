"""Query results as HTML tables, for Jupyter (``_repr_html_`` of paths, steps and neighbours).

The lists :func:`graphkit.paths`, :func:`graphkit.escalations` and :func:`graphkit.neighbours`
return display themselves with these functions, as the knowledge base does with
:func:`graphkit.render.html.kb_html`. Every string from the data passes through
:func:`graphkit.render._html.esc`. The functions take the result objects by shape (``hops``,
``evidence``...), so this module does not import :mod:`graphkit.query`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from graphkit.render._html import esc, join

__all__ = ["neighbours_html", "paths_html", "steps_html"]

#: Rows shown before "… and N more" (a notebook cell is no place for ten thousand rows).
MAX_ROWS = 200


def _table(title: str, head: Sequence[str], rows: list[str], total: int) -> str:
    more = f"<p>… and {total - len(rows):,} more</p>" if total > len(rows) else ""
    header = join([f"<th>{esc(h)}</th>" for h in head], "")
    return (
        f'<div class="graphkit-result"><strong>{esc(title)}</strong>'
        f'<table class="gk-table"><thead><tr>{header}</tr></thead>'
        f"<tbody>{join(rows, '')}</tbody></table>{more}</div>"
    )


def _evidence(items: Iterable[Any]) -> str:
    """Evidence as escaped lines: ``relation 'x': A allied_with B, 2024-06 [B1]``."""
    return join([esc(str(item)) for item in items], "<br>")


def paths_html(paths: Sequence[Any]) -> str:
    """A table of paths: actors, hops, confidence, since, and each hop's evidence.

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... actors: [{id: A, name: "<b>A</b>", kind: state}, {id: B, name: B, kind: state}]
        ... relations: [{id: r, type: allied_with, from: A, to: B, start: 2024}]
        ... ''')
        >>> html = paths_html(gk.paths(kb, "A", "B"))
        >>> "<td>A → B</td>" in html and "relation &#39;r&#39;" in html
        True
    """
    rows = []
    for number, path in enumerate(paths[:MAX_ROWS], start=1):
        hops = join(
            [
                f"<b>{esc(hop.source)} → {esc(hop.target)}</b> [{esc(str(hop.grade))}]<br>"
                + _evidence(hop.evidence)
                for hop in path.hops
            ],
            "<br>",
        )
        since = esc(str(path.since)) if path.since else "—"
        rows.append(
            f"<tr><td>{number}</td><td>{esc(' → '.join(path.nodes))}</td><td>{len(path)}</td>"
            f"<td>{esc(str(path.grade))}</td><td>{since}</td><td>{hops}</td></tr>"
        )
    head = ["#", "path", "hops", "confidence", "since", "evidence"]
    return _table(f"{len(paths):,} path{'s' if len(paths) != 1 else ''}", head, rows, len(paths))


def steps_html(steps: Sequence[Any]) -> str:
    """A table of escalation steps: when, kind, parties, change, size, grade, evidence.

    Examples:
        >>> steps_html([]).startswith('<div class="graphkit-result"><strong>0 escalation steps')
        True
    """
    rows = []
    for step in steps[:MAX_ROWS]:
        change = f"{step.before} → {step.after}" if step.before else step.after
        rows.append(
            f"<tr><td>{esc(step.when)}</td><td>{esc(step.kind)}</td>"
            f"<td>{esc(' / '.join(step.parties))}</td><td>{esc(change)}</td>"
            f"<td>{step.size:g} {esc(step.size_unit)}</td><td>{esc(str(step.grade))}</td>"
            f"<td>{esc(step.summary)}<br>{_evidence(step.evidence)}</td></tr>"
        )
    head = ["when", "kind", "parties", "change", "size", "grade", "summary and evidence"]
    title = f"{len(steps):,} escalation step{'s' if len(steps) != 1 else ''}"
    return _table(title, head, rows, len(steps))


def neighbours_html(neighbours: Sequence[Any]) -> str:
    """A table of neighbours: actor, name, direction, and the evidence of each link."""
    arrows = {"out": "→ (out)", "in": "← (in)", "both": "↔ (both)"}
    rows = [
        f"<tr><td>{esc(n.actor)}</td><td>{esc(n.name)}</td>"
        f"<td>{arrows.get(n.direction, esc(n.direction))}</td>"
        f"<td>{_evidence(n.evidence)}</td></tr>"
        for n in neighbours[:MAX_ROWS]
    ]
    title = f"{len(neighbours):,} neighbour{'s' if len(neighbours) != 1 else ''}"
    return _table(title, ["actor", "name", "direction", "links"], rows, len(neighbours))
