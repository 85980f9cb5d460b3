"""Brief event hovers as compact columns, written out in full by the page.

A figure of a hundred thousand events spent most of its file on hover labels: one HTML string per
event, repeating its type label, its date and its first source's title and grade. Here a brief
hover (:meth:`graphkit.render._describe.Describer.event_hover` with ``brief=True``) is kept as
its parts: the summary and id of the event (its own), and indices into tables the figure's events
share (dates as written, type labels, source lines, click URLs). Every part is markup already
escaped in Python (:mod:`graphkit.render._html`); the page's builder
(:data:`graphkit.render.html.LAZY_COLUMNS_JS`) only joins them with fixed markup, so it adds
nothing a data file could control. Python sees the same strings: a :class:`BriefHovers` column
is a sequence of the full hover strings (:meth:`BriefHovers.__getitem__` joins them as the page
does).

Examples:
    >>> import graphkit as gk
    >>> from graphkit.render._describe import Describer
    >>> kb = gk.loads('''
    ... format_version: 1
    ... sources: [{id: s, title: "<b>Report</b>", url: "https://e.org/x", reliability: B}]
    ... actors: [{id: A, name: Alpha, kind: state}]
    ... events: [{id: e, type: statement, date: 2024-10, actor: A, summary: "x & y", sources: [s]}]
    ... ''')
    >>> d = Describer(kb)
    >>> tables = HoverTables(d)
    >>> hovers, urls = BriefHovers(tables), Urls(tables)
    >>> hovers.append(kb.events["e"]); urls.append(kb.events["e"].sources)
    >>> hovers[0] == d.event_hover(kb.events["e"], brief=True), urls[0]
    (True, 'https://e.org/x')
    >>> hovers[0]
    '<b>x &amp; y</b><br>Statement · e · 2024-10<br>&lt;b&gt;Report&lt;/b&gt; (B)'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, overload

from graphkit.render._figure import Column
from graphkit.render._html import clip, esc

if TYPE_CHECKING:
    from graphkit.model.common import SourceRef
    from graphkit.model.event import Event
    from graphkit.render._describe import Describer

__all__ = ["BriefColumns", "BriefHovers", "HoverTables", "Urls", "brief_hover"]


def brief_hover(summary: str, type_label: str, ident: str, date: str, source: str) -> str:
    """The brief hover from its escaped parts (the page's builder writes the same)."""
    return f"<b>{summary}</b><br>{type_label} · {ident} · {date}{source}"


class _Table:
    """Distinct values in first-seen order, each with its index."""

    def __init__(self) -> None:
        self.values: list[Any] = []
        self.index: dict[Any, int] = {}

    def code(self, value: Any) -> int:
        found = self.index.get(value)
        if found is None:
            found = self.index[value] = len(self.values)
            self.values.append(value)
        return found


class HoverTables:
    """What the brief hovers and click URLs of one figure share: dates, types, sources, URLs."""

    def __init__(self, describer: Describer) -> None:
        self.d = describer
        self.dates = _Table()
        self.types = _Table()
        self.sources = _Table()
        self.urls = _Table()
        self._type_code: dict[str, int] = {}

    def source(self, event: Event) -> int:
        """The index of the event's brief source line (``-1``: none)."""
        line = self.d.brief_source(event)
        return self.sources.code(line) if line else -1

    def type_code(self, type_id: str) -> int:
        """The index of a type's label."""
        code = self._type_code.get(type_id)
        if code is None:
            code = self._type_code[type_id] = self.types.code(self.d.type_label(type_id))
        return code

    def columns(self, events: Sequence[Event]) -> BriefColumns:
        """Every event's brief hover parts and click URL, in one pass (codes as first seen).

        The same values as :meth:`BriefHovers.append` and :meth:`Urls.append` event by event:
        each table codes its values in the order of ``events``.
        """
        d = self.d
        dates = self.dates.code
        date_codes: dict[int, int] = {}  # date objects repeat (shared by the loader): one esc each
        type_codes: dict[str, int] = {}
        # per first source: its brief line's code, and its URL's code when it has a safe URL
        # (else the event's first URL is another source's: looked up for the event)
        firsts: dict[str, tuple[int, int | None]] = {}
        urls = self.urls.code
        cols = BriefColumns()
        for event in events:
            cols.summary.append(clip(event.summary or event.id, 90))
            cols.ident.append(esc(event.id))
            when = event.date
            code = date_codes.get(id(when))
            if code is None:
                code = date_codes[id(when)] = dates(esc(when))
            cols.date.append(code)
            kind = event.type
            code = type_codes.get(kind)
            if code is None:
                code = type_codes[kind] = self.type_code(kind)
            cols.type.append(code)
            refs = event.sources
            if refs:
                first = refs[0].source
                known = firsts.get(first)
                if known is None:
                    own = d.first_url(refs[:1])
                    known = firsts[first] = (
                        self.source(event),
                        None if own is None else urls(own),
                    )
                cols.source.append(known[0])
                if known[1] is not None:
                    cols.url.append(known[1])
                else:
                    url = d.first_url(refs)
                    cols.url.append(-1 if url is None else urls(url))
            else:
                cols.source.append(-1)
                cols.url.append(-1)
        return cols

    def shared(self) -> dict[str, list[Any]]:
        """The tables as the page reads them."""
        return {
            "dates": self.dates.values,
            "types": self.types.values,
            "sources": self.sources.values,
            "urls": self.urls.values,
        }


class BriefColumns:
    """The brief hover parts and URL codes of a list of events (see :meth:`HoverTables.columns`)."""

    __slots__ = ("date", "ident", "source", "summary", "type", "url")

    def __init__(self) -> None:
        self.summary: list[str] = []
        self.ident: list[str] = []
        self.date: list[int] = []
        self.type: list[int] = []
        self.source: list[int] = []
        self.url: list[int] = []


class BriefHovers(Column):
    """The brief hovers of one trace: per event its summary, id, and indices into the tables."""

    def __init__(self, tables: HoverTables) -> None:
        self.tables = tables
        self.summary: list[str] = []
        self.ident: list[str] = []
        self.date: list[int] = []
        self.type: list[int] = []
        self.source: list[int] = []

    def append(self, event: Event) -> None:
        """Add an event's brief hover."""
        t = self.tables
        self.summary.append(clip(event.summary or event.id, 90))
        self.ident.append(esc(event.id))
        self.date.append(t.dates.code(esc(event.date)))
        self.type.append(t.type_code(event.type))
        self.source.append(t.source(event))

    def take(self, cols: BriefColumns, indices: Sequence[int]) -> None:
        """Add the hovers of the events at ``indices`` of ``cols`` (as :meth:`append` would)."""
        summary, ident, date, kind, source = (
            cols.summary, cols.ident, cols.date, cols.type, cols.source
        )  # fmt: skip
        self.summary += [summary[i] for i in indices]
        self.ident += [ident[i] for i in indices]
        self.date += [date[i] for i in indices]
        self.type += [kind[i] for i in indices]
        self.source += [source[i] for i in indices]

    def __len__(self) -> int:
        return len(self.summary)

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        t = self.tables
        source = self.source[i]
        return brief_hover(
            self.summary[i],
            t.types.values[self.type[i]],
            self.ident[i],
            t.dates.values[self.date[i]],
            t.sources.values[source] if source >= 0 else "",
        )

    def compact(self) -> dict[str, Any]:
        """The columns as the page reads them (a type shared by all is written once)."""
        types: Any = self.type
        if types and all(k == types[0] for k in types):
            types = types[0]
        return {
            "brief": {
                "s": self.summary,
                "i": self.ident,
                "d": self.date,
                "t": types,
                "r": self.source,
            }
        }

    def shared(self) -> dict[str, list[Any]]:
        return self.tables.shared()


class Urls(Column):
    """The click URLs of one trace, as indices into the figure's table of URLs."""

    def __init__(self, tables: HoverTables) -> None:
        self.tables = tables
        self.codes: list[int] = []

    def append(self, refs: Iterable[SourceRef]) -> None:
        """Add the first safe URL of an item's sources (or none)."""
        url = self.tables.d.first_url(refs)
        self.codes.append(-1 if url is None else self.tables.urls.code(url))

    def take(self, cols: BriefColumns, indices: Sequence[int]) -> None:
        """Add the URLs of the events at ``indices`` of ``cols`` (as :meth:`append` would)."""
        url = cols.url
        self.codes += [url[i] for i in indices]

    def __len__(self) -> int:
        return len(self.codes)

    @overload
    def __getitem__(self, i: int) -> str | None: ...
    @overload
    def __getitem__(self, i: slice) -> list[str | None]: ...
    def __getitem__(self, i: int | slice) -> str | None | list[str | None]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        code = self.codes[i]
        return self.tables.urls.values[code] if code >= 0 else None

    def compact(self) -> dict[str, Any]:
        return {"url": self.codes}

    def shared(self) -> dict[str, list[Any]]:
        return self.tables.shared()
