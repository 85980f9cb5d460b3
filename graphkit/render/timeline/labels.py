"""What is written beside markers and on bars: short titles and honest figures.

An event's label is its ``title``, else a short label derived from its ``summary`` (the first
sentence, else its first clause, else cut at a word), followed by its reported figures as they
were reported: a range stays a range (``48–100 killed``), a bound says so (``up to 10k``,
``at least 2,000``), an estimate says ``est.``, an increment has its ``+``. Planned figures are
labelled apart (``up to 10k planned by 2024-12``). A relation's label says what it is and with
whom (``member of NATO``), and when the bar is cut at the edge of the drawn window, since when
(``◀ since 1949``).

Which labels show is decided twice: :mod:`~graphkit.render.timeline.packing` gives every labelled
event room in the first view where it can, and the page's script hides, after every zoom, any
label that would overlap another label or a marker (the more important first: see
:func:`label_rank`). Text here is plain; the builder escapes it.

Examples:
    >>> from graphkit.model.event import Quantity
    >>> figure_text(Quantity(min=48, max=100, unit="killed"))
    '48–100 killed'
    >>> figure_text(Quantity(max=10000, unit="soldiers", planned=True))
    'up to 10k soldiers planned'
    >>> derived_title("Putin and Kim sign the treaty, which provides for mutual assistance.")
    'Putin and Kim sign the treaty'
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from graphkit.model.event import Event, Quantity
from graphkit.render._describe import compact_number, figure_words, number

__all__ = [
    "LABEL_CHARS",
    "derived_title",
    "event_label",
    "figure_text",
    "figures_text",
    "label_px",
    "label_rank",
]

#: Labels are cut to about this many characters (at a word).
LABEL_CHARS = 52
#: Average width of a character of the 11 px label font (px), for packing.
CHAR_PX = 6.3
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]”’\"'])[.!?](?=\s+[A-Z“‘\"'(])")
_CLAUSE = re.compile(r"[,;:]\s|\s[–—-]\s|\s\(")


def label_px(text: str) -> float:
    """About how wide a label is drawn (px)."""
    return len(text) * CHAR_PX + 4


def cut(text: str, width: int) -> str:
    """``text`` on at most ``width`` characters, cut at a word with ``…``.

    Examples:
        >>> cut("one two three", 9)
        'one two…'
    """
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    head = text[: width - 1]
    space = head.rfind(" ")
    if space > width // 2:
        head = head[:space]
    return head.rstrip(" ,;:–—-") + "…"


def derived_title(summary: str, width: int = LABEL_CHARS) -> str:
    """A short label from a summary: its first sentence, else first clause, else cut at a word."""
    text = " ".join(summary.split())
    end = _SENTENCE_END.search(text)
    if end is not None:
        text = text[: end.start()]
    text = text.rstrip(".")
    if len(text) <= width:
        return text
    clause = _CLAUSE.search(text, 16)
    if clause is not None and clause.start() <= width:
        return text[: clause.start()]
    return cut(text, width)


def figure_text(q: Quantity, *, compact: bool = True) -> str:
    """One figure as reported: its range, bound, estimate, increment and plan are said."""
    figure = figure_words(q, compact_number if compact else number)
    text = f"{figure} {q.unit}" if q.unit else figure
    if q.estimate:
        text += " est."
    if q.planned:
        text += " planned" + (f" by {q.by}" if q.by is not None else "")
    return text


def figures_text(quantities: Sequence[Quantity]) -> str:
    """The reported (not planned) figures of the first unit, at most two, joined with ``·``."""
    reported = [q for q in quantities if not q.planned]
    if not reported:
        return ""
    unit = reported[0].unit
    return " · ".join([figure_text(q) for q in reported if q.unit == unit][:2])


def event_label(event: Event, type_label: str) -> str:
    """The label beside an event's marker: title (or derived), then its reported figures."""
    figures = figures_text(event.quantities)
    if event.title:
        title = event.title
    elif event.summary:
        title = derived_title(event.summary)
    else:
        title = type_label
    if len(figures) > 22:  # the title comes first: one figure, a total if any (hover: all)
        reported = [q for q in event.quantities if not q.planned]
        best = next((q for q in reported if q.kind == "total"), reported[0])
        figures = figure_text(best) if len(figure_text(best)) <= 22 else ""
    if not figures:
        return cut(title, LABEL_CHARS)
    room = max(LABEL_CHARS - len(figures) - 3, 30)
    return f"{cut(title, room)} · {figures}"


def label_rank(event: Event) -> int:
    """Which labels win a collision: titled events, then events with figures, then the rest."""
    if event.title:
        return 0
    return 1 if any(not q.planned for q in event.quantities) else 2
