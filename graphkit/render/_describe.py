"""Shared wording, colours and hover text for every figure (all text escaped via ``_html``).

Everything returned as *markup* here is safe plotly text: data strings went through
:func:`graphkit.render._html.esc` or :func:`~graphkit.render._html.link`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from functools import cached_property
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from graphkit.model.common import SourceRef
from graphkit.model.dates import Bounds, PartialDate, Span
from graphkit.model.event import Event, Quantity
from graphkit.model.relation import Relation
from graphkit.render._figure import template
from graphkit.render._hovers import brief_hover
from graphkit.render._html import clip, esc, join, link, safe_url, wrap
from graphkit.render._palette import (
    FAMILIES,
    MUTED,
    SYMBOLS,
    TEXT,
    Family,
    event_family,
    relation_family,
)

if TYPE_CHECKING:
    from graphkit.kb import KnowledgeBase

__all__ = [
    "CREDIBILITY",
    "RELIABILITY",
    "Describer",
    "carry_hovers",
    "compact_number",
    "date_text",
    "figure_words",
    "message_annotation",
    "number",
    "quantity_text",
]

#: Admiralty information credibility grades.
CREDIBILITY = {
    1: "confirmed",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "cannot be judged",
}
#: Admiralty source reliability grades.
RELIABILITY = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "cannot be judged",
}

#: An item's type id (``attrgetter``: the set of a knowledge base's types in one C loop).
_type_of = attrgetter("type")
#: The day ordinal of 1970-01-01 (epoch milliseconds count from it).
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
DAY_MS = 86_400_000


def number(value: float) -> str:
    """Format a figure with thousands separators, as written (ints stay ints).

    Examples:
        >>> number(1500), number(2.5), number(700000000)
        ('1,500', '2.5', '700,000,000')
    """
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"
    return f"{int(value):,}"


def compact_number(value: float) -> str:
    """Format a figure shortly for labels: ``1,500``, ``10k``, ``4.6B``.

    Examples:
        >>> [compact_number(v) for v in (1500, 10000, 12500, 700000000, 4.6e9)]
        ['1,500', '10k', '12.5k', '700M', '4.6B']
    """
    for threshold, size, suffix in ((1e9, 1e9, "B"), (1e6, 1e6, "M"), (1e4, 1e3, "k")):
        if abs(value) >= threshold:
            return f"{value / size:.3g}{suffix}"
    return number(value)


def _day(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def _partial_text(when: PartialDate) -> str:
    if when.precision == "time":
        return f"{when} (exact time)"
    if when.precision == "day":
        return f"{when} (day)"
    return f"{when} ({when.precision} precision: {_day(when.lo)} … {_day(when.hi)})"


def date_text(when: PartialDate | Bounds | Span) -> str:
    """Describe an event date with its precision and extent (plain text, not escaped).

    Examples:
        >>> date_text(PartialDate.parse("2024-10"))
        '2024-10 (month precision: 2024-10-01 … 2024-10-31)'
        >>> date_text(Span(start=PartialDate.parse("2024-10-08")))
        'lasted from 2024-10-08 (day), ongoing'
    """
    if isinstance(when, PartialDate):
        return _partial_text(when)
    if isinstance(when, Bounds):
        return (
            f"one moment between {when.earliest} and {when.latest} "
            f"({_day(when.earliest.lo)} … {_day(when.latest.hi)})"
        )
    end = "ongoing" if when.end is None else f"to {_partial_text(when.end)}"
    return f"lasted from {_partial_text(when.start)}, {end}"


def figure_words(q: Quantity, fmt: Callable[[float], str] = number) -> str:
    """A quantity's figure as reported, without its unit (``fmt`` writes each number).

    A range stays a range, a bound says so, an increment has its ``+``.

    Examples:
        >>> figure_words(Quantity(min=48, max=100)), figure_words(Quantity(max=10000))
        ('48–100', 'up to 10,000')
        >>> figure_words(Quantity(value=75, min=48, unit="killed")), figure_words(Quantity(min=2))
        ('75 (48–?)', 'at least 2')
    """
    if q.value is not None:
        figure = fmt(q.value)
        if q.min is not None or q.max is not None:
            low = fmt(q.min) if q.min is not None else "?"
            high = fmt(q.max) if q.max is not None else "?"
            figure += f" ({low}–{high})"
    elif q.min is not None and q.max is not None:
        figure = f"{fmt(q.min)}–{fmt(q.max)}"
    elif q.max is not None:
        figure = f"up to {fmt(q.max)}"
    else:
        assert q.min is not None
        figure = f"at least {fmt(q.min)}"
    return "+" + figure if q.kind == "increment" else figure


#: The page's font stack (the system's own sans-serif).
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def figure_frame(heading: str, subtitle: str | None, counts: str, height: int) -> dict[str, Any]:
    """The layout the network and the map share: heading (escaped), subtitle, counts, fonts."""
    return {
        "template": template(),
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 80, "b": 10},
        "title": {
            "text": f"<b>{esc(heading)}</b>",
            "x": 0.01,
            "font": {"size": 17, "color": TEXT},
            "subtitle": {
                "text": join([esc(subtitle) if subtitle else "", esc(counts)]),
                "font": {"size": 12, "color": MUTED},
            },
        },
        "hoverlabel": {"align": "left", "bgcolor": "white", "font": {"size": 12, "color": TEXT}},
        "legend": {"itemsizing": "constant", "font": {"color": TEXT}, "tracegroupgap": 2},
        "font": {"family": FONT_FAMILY, "color": TEXT},
    }


def message_annotation(text: str) -> dict[str, Any]:
    """A figure's "nothing to show" message, in the middle of its plot (escaped, wrapped)."""
    return {
        "text": wrap(text, 40),
        "xref": "paper",
        "yref": "paper",
        "x": 0.5,
        "y": 0.5,
        "showarrow": False,
        "font": {"size": 15, "color": "#333333"},
        "bgcolor": "rgba(255,255,255,0.9)",
        "borderpad": 8,
    }


def quantity_text(quantity: Quantity) -> str:
    """Describe a quantity in words (plain text, not escaped).

    Examples:
        >>> quantity_text(Quantity(max=10000, unit="soldiers", planned=True,
        ...                        by=PartialDate.parse("2024-12")))
        'up to 10,000 soldiers, planned by 2024-12'
        >>> quantity_text(Quantity(value=1500, unit="soldiers", kind="increment", estimate=True))
        '+1,500 soldiers (increment, estimate)'
    """
    q = quantity
    figure = figure_words(q, number)
    text = f"{figure} {q.unit}" if q.unit else figure
    notes = [
        word for word, on in (("increment", q.kind == "increment"), ("estimate", q.estimate)) if on
    ]
    if notes:
        text += f" ({', '.join(notes)})"
    if q.planned:
        text += ", planned" + (f" by {q.by}" if q.by is not None else "")
    if q.as_of is not None:
        text += f", as of {q.as_of}"
    if q.text:
        text += f" — “{q.text}”"
    return text


def ordinal_ms(ordinal: int) -> int:
    """Milliseconds since 1970-01-01 at the start of the day ``ordinal``."""
    return (ordinal - EPOCH_ORDINAL) * DAY_MS


def ms_text(ms: float) -> str:
    """Format epoch milliseconds as plotly date text (``YYYY-MM-DD HH:MM:SS``, UTC)."""
    moment = datetime(1970, 1, 1) + timedelta(milliseconds=ms)
    if moment.hour == moment.minute == moment.second == 0:
        return moment.date().isoformat()
    return moment.strftime("%Y-%m-%d %H:%M:%S")


class _HoverMemo:
    """Event hovers written for one knowledge base, and those of the revision before it.

    ``previous`` (event id -> (event, hover)) holds the hovers of the knowledge base this one
    replaced, when both had the same sources, actor names and vocabulary (all a hover reads
    besides its event): an equal event there gets its hover back without writing it again.
    """

    def __init__(self, previous: dict[str, tuple[Event, str]]) -> None:
        self.previous = previous
        self.current: dict[str, tuple[Event, str]] = {}


#: The attribute of a knowledge base that holds its memo (see :func:`carry_hovers`): it lives
#: and dies with its knowledge base, and is found by every copy of this module (pytest's
#: doctest collection imports the package's modules a second time).
_MEMO = "_graphkit_event_hovers"


def _hover_context(kb: KnowledgeBase) -> tuple[Any, ...]:
    """What an event's hover reads besides the event: sources, actors' names, type labels."""
    vocab = kb.vocabulary
    return (
        {s.id: s for s in kb.sources},
        {a.id: a.name for a in kb.actors},
        vocab.event_types,
        vocab.relation_types,
    )


def carry_hovers(previous: KnowledgeBase | None, current: KnowledgeBase) -> bool:
    """Let ``current``'s figures reuse the event hovers written for ``previous`` (a live reload).

    A save usually changes a few items of many: the hovers of the unchanged events (equal
    models, with the same sources, actor names and vocabulary) are taken from ``previous``'s
    figures instead of being written again (a third of the timeline's build at 10,000 events).
    The output is the same. Returns whether ``previous``'s hovers are reused (not when a
    source, an actor's name or a type changed: then every hover is written again). Only the
    last revision's hovers are kept.

    Examples:
        >>> import graphkit as gk
        >>> text = '''
        ... format_version: 1
        ... actors: [{id: A, name: Arcadia, kind: state}]
        ... events: [{id: e, type: statement, date: 2024-10, actor: A, summary: "%s"}]
        ... '''
        >>> old = gk.loads(text % "Talks")
        >>> carry_hovers(None, old)
        False
        >>> hover = Describer(old).event_hover(old.events["e"])
        >>> new = gk.loads(text % "Talks")
        >>> carry_hovers(old, new), Describer(new).event_hover(new.events["e"]) == hover
        (True, True)
    """
    memo = getattr(previous, _MEMO, None) if previous is not None else None
    kept: dict[str, tuple[Event, str]] = {}
    if (
        memo is not None
        and previous is not None
        and _hover_context(previous) == _hover_context(current)
    ):
        kept = memo.current
    setattr(current, _MEMO, _HoverMemo(kept))
    return memo is not None and kept is memo.current


class Describer:
    """Names, colours and hover markup for the items of one knowledge base.

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... sources: [{id: s, title: "A <b>bold</b> claim", url: "https://e.org/x", reliability: B}]
        ... actors: [{id: A, name: "Alpha & Co", kind: state}]
        ... events: [{id: e, type: statement, date: 2024-10, actor: A, sources: [s]}]
        ... ''')
        >>> d = Describer(kb)
        >>> d.actor_name("A")
        'Alpha &amp; Co'
        >>> d.source_line(kb.events["e"].sources[0])
        '<a href="https://e.org/x" target="_blank">A &lt;b&gt;bold&lt;/b&gt; claim</a> · grade B'
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        # Sources, actors and types repeat across thousands of items: their markup is cached.
        self._lines: dict[tuple[str, str | None, str | None, str | None], str] = {}
        self._urls: dict[str, str | None] = {}
        self._names: dict[str, str] = {}
        self._types: dict[str, str] = {}
        self._brief_sources: dict[str, str] = {}
        #: Event hovers shared by this knowledge base's figures and, in a live preview, taken
        #: from the revision it replaced (:func:`carry_hovers`); None: not asked for.
        self._memo: _HoverMemo | None = getattr(kb, _MEMO, None)

    @cached_property
    def _styles(self) -> dict[str, tuple[str, str, str]]:
        """Type id to (family key, colour, marker symbol), stable for this knowledge base.

        Types of one family take its shades in label order; past the last shade they start
        again with the next marker symbol (see :mod:`graphkit.render._palette`).
        """
        vocab = self.kb.vocabulary
        members: dict[str, list[str]] = {}
        for t in sorted(set(map(_type_of, self.kb.events))):
            members.setdefault(event_family(vocab, t), []).append(t)
        relation_members: dict[str, list[str]] = {}
        for t in sorted(set(map(_type_of, self.kb.relations))):
            relation_members.setdefault(relation_family(vocab, t), []).append(t)
        styles: dict[str, tuple[str, str, str]] = {}
        for groups in (members, relation_members):
            for key, types in groups.items():
                shades = FAMILIES[key].shades
                types.sort(key=lambda t: self.type_label(t).casefold())
                for i, t in enumerate(types):
                    symbol = SYMBOLS[(i // len(shades)) % len(SYMBOLS)]
                    styles.setdefault(t, (key, shades[i % len(shades)], symbol))
        return styles

    def colour(self, type_id: str) -> str:
        """The colour of an event or relation type (its family's shade)."""
        style = self._styles.get(type_id)
        return style[1] if style is not None else FAMILIES["other"].shades[0]

    def symbol(self, type_id: str) -> str:
        """The marker symbol of an event type (circles, unless its family ran out of shades)."""
        style = self._styles.get(type_id)
        return style[2] if style is not None else "circle"

    def family(self, type_id: str) -> Family:
        """The family of an event or relation type (see :mod:`graphkit.render._palette`)."""
        style = self._styles.get(type_id)
        if style is not None:
            return FAMILIES[style[0]]
        vocab = self.kb.vocabulary
        if type_id in vocab.relation_types:
            return FAMILIES[relation_family(vocab, type_id)]
        return FAMILIES[event_family(vocab, type_id)]

    def type_label(self, type_id: str) -> str:
        """The escaped label of an event or relation type (vocabulary label, else the id)."""
        cached = self._types.get(type_id)
        if cached is None:
            cached = self._types[type_id] = self._type_label(type_id)
        return cached

    def _type_label(self, type_id: str) -> str:
        return esc(self.plain_type(type_id))

    def actor_name(self, actor_id: str | None) -> str:
        """The escaped name of an actor (its id when unknown)."""
        if actor_id is None:
            return ""
        cached = self._names.get(actor_id)
        if cached is None:
            actor = self.kb.actors.get(actor_id)
            cached = self._names[actor_id] = esc(actor.name if actor is not None else actor_id)
        return cached

    def plain_name(self, actor_id: str) -> str:
        """An actor's name as plain text (its id when unknown); escape it before it reaches HTML."""
        actor = self.kb.actors.get(actor_id)
        return actor.name if actor is not None else actor_id

    def plain_type(self, type_id: str) -> str:
        """A type's label as plain text; escape it before it reaches HTML."""
        vocab = self.kb.vocabulary
        found = vocab.event_types.get(type_id) or vocab.relation_types.get(type_id)
        label = found.label if found is not None and found.label else None
        return label or type_id.replace("_", " ")

    def source_line(self, ref: SourceRef) -> str:
        """One source as markup: linked title, outlet, grade, who it is according to, its words."""
        key = (ref.source, ref.according_to, ref.note, ref.excerpt)
        cached = self._lines.get(key)
        if cached is None:
            cached = self._lines[key] = self._source_line(ref)
        return cached

    def _source_line(self, ref: SourceRef) -> str:
        source = self.kb.sources.get(ref.source)
        if source is None:
            return esc(ref.source)
        parts = [esc(source.publisher)] if source.publisher else []
        parts.append(f"grade {esc(source.reliability)}")
        tail = " · ".join(parts)
        length = len(source.title) + len(source.publisher or "") + 12
        if ref.according_to:
            tail += f" (according to {self.actor_name(ref.according_to)})"
            length += len(ref.according_to) + 16
        if ref.note:
            tail += f" [{esc(ref.note)}]"
            length += len(ref.note) + 3
        # a long line goes on two: a hover label wider than the page is not drawn at all
        line = link(source.url, source.title) + ("<br>   " if length > 90 else " · ") + tail
        if ref.excerpt:
            # The words behind the claim, wrapped and cut so a hover stays readable.
            line += "<br>   “" + wrap(ref.excerpt, 76, max_lines=3) + "”"
        return line

    def first_url(self, refs: Iterable[SourceRef]) -> str | None:
        """The first safe http(s) URL among the sources, for click-to-open."""
        for ref in refs:
            if ref.source in self._urls:
                url = self._urls[ref.source]
            else:
                source = self.kb.sources.get(ref.source)
                url = self._urls[ref.source] = None if source is None else safe_url(source.url)
            if url is not None:
                return url
        return None

    def sources_block(self, refs: list[SourceRef], *, limit: int | None = None) -> str:
        """The sources as bulleted markup lines (at most ``limit``, with a count of the rest)."""
        if not refs:
            return "<i>no sources</i>"
        shown = refs if limit is None else refs[:limit]
        lines = ["• " + self.source_line(ref) for ref in shown]
        if len(refs) > len(shown):
            lines.append(f"… and {len(refs) - len(shown)} more")
        return "<br>".join(lines)

    def credibility(self, grade: int | None) -> str:
        """Credibility grade in words (markup)."""
        if grade is None:
            return ""
        return f"credibility {grade} ({CREDIBILITY.get(grade, '?')})"

    def figure_grade(self, quantity: Quantity, event: Event) -> str:
        """`` · grade C3`` (then a line ``own sources: …``) for a figure with its own grade.

        A figure is graded by its own sources and credibility, else its event's (see
        docs/queries.md, "Figures are claims"); a figure without either reads as its event.
        """
        if not quantity.sources and quantity.credibility is None:
            return ""
        refs = quantity.sources or event.sources
        grades = [s.reliability for r in refs if (s := self.kb.sources.get(r.source))]
        known = [g for g in grades if g in "ABCDE"]
        credibility = (
            quantity.credibility if quantity.credibility is not None else event.credibility
        )
        shown = credibility if credibility in range(1, 6) else "?"
        line = f" · grade {min(known) if known else '?'}{shown}"
        if quantity.sources:
            found = [self.kb.sources.get(r.source) for r in quantity.sources]
            titles = [s.title for s in found if s is not None]
            # a line of its own, wrapped: a hover label wider than the page is not drawn at all
            text = "; ".join(titles[:2]) + (" …" if len(titles) > 2 else "")
            line += "<br>  own sources: " + wrap(text, 80, max_lines=3)
        return line

    def event_hover(self, event: Event, *, brief: bool = False) -> str:
        """Hover markup for an event.

        ``brief`` (for very large figures) keeps one line of summary, the type, id and date, and
        the first source's title and grade, without a link (a click still opens it).
        """
        memo = self._memo
        if memo is None or brief:
            return self._event_hover(event, brief=brief)
        key = event.id
        hit = memo.current.get(key)
        if hit is not None and hit[0] is event:
            return hit[1]
        old = memo.previous.get(key)
        hover = old[1] if old is not None and old[0] == event else self._event_hover(event)
        memo.current[key] = (event, hover)
        return hover

    def _event_hover(self, event: Event, *, brief: bool = False) -> str:
        if brief:
            return brief_hover(
                clip(event.summary or event.id, 90),
                self.type_label(event.type),
                esc(event.id),
                esc(event.date),
                self.brief_source(event),
            )
        who = self.actor_name(event.actor) or "<i>no main actor</i>"
        if event.target:
            who += " → " + self.actor_name(event.target)
        parts = [
            f"<b>{wrap(event.summary or event.id, 80, max_lines=6)}</b>",
            f"{self.type_label(event.type)} · <i>{esc(event.id)}</i>",
            "date: " + esc(date_text(event.date)),
            "actors: " + who,
        ]
        if event.participants:
            parts.append(
                "with: "
                + ", ".join(
                    f"{self.actor_name(p.actor)} ({esc(p.role.replace('_', ' '))})"
                    for p in event.participants
                )
            )
        if event.location is not None and event.location.name:
            parts.append("where: " + esc(event.location.name))
        for q in event.quantities:
            line = ("planned: " if q.planned else "figure: ") + esc(quantity_text(q))
            parts.append(line + self.figure_grade(q, event))
        if event.quote is not None:
            parts.append("quote: “" + wrap(event.quote.text, 80, max_lines=3) + "”")
        parts.append(self.credibility(event.credibility))
        parts.append("sources:<br>" + self.sources_block(event.sources, limit=6))
        return join(parts)

    def brief_source(self, event: Event) -> str:
        """The brief hover's source line: ``<br>`` first source's title (grade), or nothing."""
        if not event.sources:
            return ""
        source_id = event.sources[0].source
        title = self._brief_sources.get(source_id)
        if title is None:
            source = self.kb.sources.get(source_id)
            title = ""
            if source is not None:
                title = f"<br>{clip(source.title, 70)} ({esc(source.reliability)})"
            self._brief_sources[source_id] = title
        return title

    def relation_hover(self, relation: Relation, *, brief: bool = False) -> str:
        """Hover markup for a relation: type, ends, validity interval, sources.

        ``brief`` (for very many relations) keeps the ends, type, id and validity only.
        """
        start = "since before the record" if relation.start is None else f"from {relation.start}"
        end = "ongoing" if relation.end is None else f"to {relation.end}"
        parts = [
            f"<b>{self.actor_name(relation.from_)} {self.type_label(relation.type)} "
            f"{self.actor_name(relation.to)}</b>",
            f"relation · <i>{esc(relation.id)}</i>",
            f"valid {esc(start)} {esc(end)}",
        ]
        if brief:
            return join(parts)
        if relation.summary:
            parts.append(wrap(relation.summary, 80, max_lines=4))
        parts.append(self.credibility(relation.credibility))
        parts.append("sources:<br>" + self.sources_block(relation.sources, limit=6))
        return join(parts)
