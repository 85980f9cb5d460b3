"""Self-contained HTML pages for figures, and the rich HTML summary of a knowledge base.

A page embeds plotly.js (``cdn=False``, the default: it works offline, with no CDN and no web
fonts) or loads it from plotly's CDN (``cdn=True``). Pages with maps also inline the vendored
world topojson (see :mod:`graphkit.render.geo`), so coastlines draw offline too.

Clicking a marker opens its first source in a new tab: a small script listens to
``plotly_click`` and opens the point's ``customdata`` only if it is an ``http:``/``https:`` URL.
Large WebGL figures keep their hover labels and click URLs in JSON the page reads on the first
hover (:data:`LAZY_COLUMNS_JS`), so they do not delay the first paint.

Examples:
    >>> import plotly.graph_objects as go
    >>> page = to_html(go.Figure(go.Scatter(x=[1], y=[2])), title="<demo>")
    >>> "<title>&lt;demo&gt;</title>" in page, 'src="https://cdn.plot.ly' in page
    (True, False)
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import zlib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphkit._fs import atomic_write
from graphkit._gc import gc_paused
from graphkit.render._describe import RELIABILITY, Describer
from graphkit.render._figure import Column, is_plain, plain, typed_array
from graphkit.render._html import esc, join, script_safe

if TYPE_CHECKING:
    from graphkit.kb import KnowledgeBase

__all__ = [
    "CLICK_TO_OPEN_JS",
    "PLOT_CONFIG",
    "figure_div",
    "kb_html",
    "page",
    "page_script",
    "page_style",
    "to_html",
    "write_html",
]

#: Opens the clicked point's ``customdata`` in a new tab, only for http(s) URLs.
CLICK_TO_OPEN_JS = """
(function () {
  var gd = document.getElementById('{plot_id}');
  if (!gd || !gd.on) { return; }
  gd.on('plotly_click', function (ev) {
    var point = ev && ev.points && ev.points[0];
    if (!point) { return; }
    var value = point.customdata;
    if (Array.isArray(value)) { value = value[0]; }
    if (typeof value !== 'string' || !value) { return; }
    var url;
    try { url = new URL(value); } catch (e) { return; }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') { return; }
    window.open(url.href, '_blank', 'noopener,noreferrer');
  });
})();
"""

#: plotly.js configuration of every graphkit figure.
PLOT_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "responsive": True,
    "scrollZoom": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


@cache
def _asset(name: str) -> str:
    return (Path(str(resources.files("graphkit.render") / "assets")) / name).read_text("utf-8")


def page_style() -> str:
    """The pages' stylesheet (screen, narrow screens, print): ``assets/graphkit.css``."""
    return _asset("graphkit.css")


def page_script() -> str:
    """The pages' script (controls, labels, messages, linked views): ``assets/graphkit.js``."""
    return _asset("graphkit.js")


def has_geo(fig: Any) -> bool:
    """Whether the figure has map traces (which need the world topojson)."""
    return any(t.get("type") in ("scattergeo", "choropleth") for t in plain(fig)["data"])


def figure_div(
    fig: Any,
    div_id: str,
    *,
    click_to_open: bool = True,
    heading: int | None = 1,
    keep_state_in_url: bool = False,
) -> str:
    """The section of one figure (heading, controls, plot and script), without plotly.js.

    A graphkit figure's title, subtitle and counts (``layout.meta``) become an HTML heading of
    level ``heading`` (``None``: no heading) that wraps on narrow screens, instead of plotly's
    one-line title. The page script (:data:`PAGE_JS`) then adds the timeline's controls, hides
    overlapping labels after every zoom, and says when a view is empty;
    ``keep_state_in_url`` keeps a timeline's view and filters in the URL hash.

    WebGL draws at the screen's pixel ratio (plotly's default, 2, draws four times the pixels
    on ordinary screens, which software rendering pays for). In figures with at least
    :data:`LAZY_COLUMN_POINTS` hover labels, the hover labels and click URLs of WebGL traces are
    written after the figure as JSON the browser parses on the first hover (see
    :data:`LAZY_COLUMNS_JS`), not before the first paint. The figure JSON is made safe for the
    script element by :func:`graphkit.render._html.script_safe`.
    """
    with gc_paused():  # bulk allocation: see graphkit._gc
        return _figure_div(
            fig,
            div_id,
            click_to_open=click_to_open,
            heading=heading,
            keep_state_in_url=keep_state_in_url,
        )


def _header(layout: dict[str, Any], level: int | None) -> str:
    """The HTML heading of a graphkit figure (escaped), taking the place of plotly's title."""
    meta = layout.get("meta") or {}
    if level is None or not isinstance(meta, dict) or "title" not in meta:
        return ""
    title = layout.pop("title", None)
    margin = layout.setdefault("margin", {})
    top = int(meta.get("axis_top", 12))
    if isinstance(margin, dict) and isinstance(layout.get("height"), int | float):
        layout["height"] = int(layout["height"]) - max(int(margin.get("t", 0)) - top, 0)
        margin["t"] = top
    del title
    tag = f"h{max(1, min(level, 6))}"
    parts = [f"<{tag}>{esc(meta['title'])}</{tag}>"]
    if meta.get("subtitle"):
        parts.append(f'<p class="gk-sub">{esc(meta["subtitle"])}</p>')
    if meta.get("counts"):
        parts.append(f'<p class="gk-counts">{esc(meta["counts"])}</p>')
    return '<header class="gk-head">' + "".join(parts) + "</header>"


def _figure_div(
    fig: Any, div_id: str, *, click_to_open: bool, heading: int | None, keep_state_in_url: bool
) -> str:
    # A graphkit Figure's JSON is made once and reused by every page showing it (the build
    # writes the timeline to timeline.html and into report.html).
    key = f"div:{heading is not None}:{LAZY_COLUMN_POINTS}:{DEFLATE_COLUMNS_OVER}"
    parts = fig.cache.get(key) if is_plain(fig) else None
    if parts is None:
        parts = _figure_parts(fig, heading)
        if is_plain(fig):
            fig.cache[key] = parts
    header, data_js, layout_js, height, kind, lazy, shared, deflate = parts
    header = _retag(header, heading)
    plot_id = json.dumps(div_id)
    ident = esc(div_id)
    then = ".then(function () {"
    if click_to_open:
        then += CLICK_TO_OPEN_JS.replace("{plot_id}", div_id)
    options = _json({"hash": keep_state_in_url})
    then += f"if (window.graphkit) {{ return window.graphkit.mount({plot_id}, {options}); }}}})"
    tables = ""
    if lazy:  # deflated tables are inflated once the figure is drawn (or on first hover)
        then = then.replace(
            ".then(function () {",
            f".then(function () {{setTimeout(window.graphkitColumns[{plot_id}].ready, 0);",
            1,
        )
        data_js = (
            f"graphkitLazyColumns({plot_id}, {data_js}, "
            f"{_json({str(i): {'n': n, 'keys': keys} for i, (n, keys, _) in lazy.items()})})"
        )
        tables = "".join(
            _table_element(f"{ident}-columns-{i}", cols, deflate)
            for i, (_, _, cols) in lazy.items()
        )
        if shared is not None:
            tables += _table_element(f"{ident}-hovers", shared, deflate)
    return (
        f'<section class="gk-view" data-graphkit="{esc(kind)}" id="{ident}-view">{header}'
        f'<div class="gk-controls" id="{ident}-controls" hidden></div>'
        f'<div class="gk-message" id="{ident}-message" role="status" hidden></div>'
        f'<p class="gk-status" id="{ident}-status" aria-live="polite"></p>'
        f'<div class="gk-plot" style="height:{height};">'
        f'<div id="{ident}" class="plotly-graph-div" style="height:100%; width:100%;">'
        '</div>\n<script type="text/javascript">\n'
        "window.PLOTLYENV = window.PLOTLYENV || {};\n"
        + (LAZY_COLUMNS_JS if lazy else "")
        + f"if (document.getElementById({plot_id})) {{\n"
        f"  Plotly.newPlot({plot_id}, {data_js}, "
        f"{layout_js}, Object.assign({_json(PLOT_CONFIG)}, "
        "{plotGlPixelRatio: Math.max(1, Math.min(4, window.devicePixelRatio || 1))}))"
        f"{then};\n}}\n</script>{tables}</div></section>"
    )


_Tables = dict[int, tuple[int, list[str], str]]
_Parts = tuple[str, str, str, str, str, _Tables, str | None, bool]


def _figure_parts(fig: Any, heading: int | None) -> _Parts:
    """The serialised parts of a figure's section: heading, data, layout, height, kind, lazy."""
    figure = plain(fig)
    # copies of what is changed below: the figure's own dicts stay as they are
    data = list(figure.get("data", []))
    layout = dict(figure.get("layout", {}))
    if isinstance(layout.get("margin"), dict):
        layout["margin"] = dict(layout["margin"])
    header = _header(layout, 1 if heading is not None else None)
    lazy, shared = _lazy_columns(data)
    height = f"{int(layout.get('height') or 600)}px"
    kind = str((layout.get("meta") or {}).get("graphkit", "figure"))
    data_js, layout_js = _json(data), _json(layout)
    tables = {i: (n, list(cols), _json(cols)) for i, (n, cols) in lazy.items()}
    shared_text = None if shared is None else _json(shared)
    if sum(len(c) for _, _, c in tables.values()) > DEFLATE_COLUMNS_OVER:  # the page inflates
        tables = {i: (n, keys, _deflated(c)) for i, (n, keys, c) in tables.items()}
        shared_text = None if shared_text is None else _deflated(shared_text)
        return header, data_js, layout_js, height, kind, tables, shared_text, True
    return header, data_js, layout_js, height, kind, tables, shared_text, False


def _deflated(text: str) -> str:
    """``text`` deflated (raw, as ``DecompressionStream('deflate-raw')`` reads), in base64."""
    packer = zlib.compressobj(COLUMNS_DEFLATE_LEVEL, zlib.DEFLATED, -15)
    return base64.b64encode(packer.compress(text.encode("utf-8")) + packer.flush()).decode()


def _table_element(element_id: str, payload: str, deflated: bool) -> str:
    """A lazy table's script element: JSON, or deflated base64 (``data-deflate``)."""
    if not deflated:
        return f'<script type="application/json" id="{element_id}">{payload}</script>'
    return (
        f'<script type="application/octet-stream" id="{element_id}" data-deflate>{payload}</script>'
    )


def _retag(header: str, level: int | None) -> str:
    """The heading made by :func:`_header` at level 1, at ``level``."""
    if level is None or not header or level == 1:
        return header
    tag = f"h{max(1, min(level, 6))}"
    return header.replace("<h1>", f"<{tag}>", 1).replace("</h1>", f"</{tag}>", 1)


#: Figures with at least this many hover labels in WebGL traces load them lazily.
LAZY_COLUMN_POINTS = 5_000
#: Lazy tables of more characters than this are deflated (zlib level ``COLUMNS_DEFLATE_LEVEL``,
#: the fastest: 100,000 brief hovers shrink about 3x) and inflated by the page once the figure is
#: drawn (or when a label is first read), so they do not delay the first paint.
DEFLATE_COLUMNS_OVER = 2_000_000
COLUMNS_DEFLATE_LEVEL = 1
#: The per-point columns of WebGL traces read only on hover or click, so they can load lazily.
_LAZY_KEYS = ("hovertext", "customdata")

#: ``graphkitLazyColumns(divId, data, lazy)`` gives the traces listed in ``lazy`` (index: number
#: of points and column names) columns that read ``<script type="application/json"
#: id="{divId}-columns-{index}">`` on first use. They are arrays to plotly (a Proxy of an array),
#: which reads WebGL hover labels and click data only for the point under the mouse. Brief event
#: hovers and their URLs are compact columns (:mod:`graphkit.render._hovers`): the label is
#: joined from the event's parts and the tables in ``id="{divId}-hovers"`` when it is read.
LAZY_COLUMNS_JS = """window.graphkitLazyColumns = window.graphkitLazyColumns ||
function (divId, data, lazy) {
  // Large tables are deflated and base64-encoded (data-deflate): inflated once, after the
  // first paint; a label read before that is empty.
  var inflated = {};
  var inflating = null;
  function inflate() {
    if (inflating === null && document.readyState === 'loading') {
      // the tables follow this script: wait until the parser has read them whole
      inflating = new Promise(function (resolve) {
        document.addEventListener('DOMContentLoaded', resolve);
      }).then(function () { inflating = null; return inflate(); });
    }
    if (inflating === null) {
      var ids = Object.keys(lazy).map(function (i) { return divId + '-columns-' + i; });
      ids.push(divId + '-hovers');
      inflating = Promise.all(ids.map(function (id) {
        var element = document.getElementById(id);
        if (!element || !element.hasAttribute('data-deflate')) { return null; }
        var bytes = Uint8Array.from(atob(element.textContent), function (c) {
          return c.charCodeAt(0);
        });
        // streams only (no Blob or Response: pages that block requests can block those)
        var stream = new DecompressionStream('deflate-raw');
        var writer = stream.writable.getWriter();
        writer.write(bytes);
        writer.close();
        var reader = stream.readable.getReader();
        var decoder = new TextDecoder();
        var parts = [];
        function read() {
          return reader.read().then(function (chunk) {
            if (chunk.done) {
              parts.push(decoder.decode());
              inflated[id] = JSON.parse(parts.join(''));
              return null;
            }
            parts.push(decoder.decode(chunk.value, {stream: true}));
            return read();
          });
        }
        return read();
      }));
    }
    return inflating;
  }
  function parsed(id) {
    var element = document.getElementById(id);
    if (!element) { return null; }
    if (element.hasAttribute('data-deflate')) { inflate(); return inflated[id] || null; }
    return JSON.parse(element.textContent);
  }
  var tables = {};
  function table(index) {
    if (!(index in tables)) {
      var found = parsed(divId + '-columns-' + index);
      if (!found) { return null; }
      tables[index] = found;
    }
    return tables[index];
  }
  var shared = null;
  function sharedTables() {
    if (shared === null) { shared = parsed(divId + '-hovers'); }
    return shared || {};
  }
  window.graphkitColumns = window.graphkitColumns || {};
  window.graphkitColumns[divId] = {ready: function () { return inflate(); }};
  // A compact column's value: every part is markup escaped in Python, joined here with fixed
  // markup only (graphkit/render/_hovers.py writes the same strings for Python).
  function value(col, i) {
    if (Array.isArray(col)) { return col[i]; }
    var h = sharedTables();
    if (!h.urls) { return undefined; }
    if (col.url) {
      var u = col.url[i];
      return u === undefined ? undefined : (u >= 0 ? h.urls[u] : null);
    }
    var b = col.brief;
    if (!b || i >= b.s.length) { return undefined; }
    var t = typeof b.t === 'number' ? b.t : b.t[i];
    var r = b.r[i];
    return '<b>' + b.s[i] + '</b><br>' + h.types[t] + ' \u00b7 ' + b.i[i] + ' \u00b7 ' +
      h.dates[b.d[i]] + (r >= 0 ? h.sources[r] : '');
  }
  function column(index, key, n) {
    return new Proxy(new Array(n), {
      get: function (target, prop, receiver) {
        if (typeof prop === 'string' && /^[0-9]+$/.test(prop)) {
          var columns = table(index);
          return columns ? value(columns[key], +prop) : undefined;
        }
        return Reflect.get(target, prop, receiver);
      }
    });
  }
  Object.keys(lazy).forEach(function (index) {
    lazy[index].keys.forEach(function (key) {
      data[+index][key] = column(index, key, lazy[index].n);
    });
  });
  return data;
};
"""


_Lazy = dict[int, tuple[int, dict[str, Any]]]


def _lazy_columns(data: list[dict[str, Any]]) -> tuple[_Lazy, dict[str, list[Any]] | None]:
    """Take the lazy columns out of large figures' WebGL traces: index -> (points, columns).

    Compact columns (:class:`graphkit.render._figure.Column`) are written compact, with the
    tables they share (returned second). The traces that lose columns are replaced in ``data``
    (a list of the figure's own traces) by copies, so the figure itself is not changed.
    """
    points = sum(
        len(t["hovertext"])
        for t in data
        if t.get("type") == "scattergl" and isinstance(t.get("hovertext"), list | Column)
    )
    if points < LAZY_COLUMN_POINTS:
        return {}, None
    lazy: _Lazy = {}
    shared = None
    for i, trace in enumerate(data):
        if trace.get("type") != "scattergl":
            continue
        columns: dict[str, Any] = {}
        for k in _LAZY_KEYS:
            column = trace.get(k)
            if isinstance(column, Column):
                columns[k] = column.compact()
                shared = column.shared()
            elif isinstance(column, list):
                columns[k] = column
        if columns:
            data[i] = {k: v for k, v in trace.items() if k not in columns}
            lazy[i] = (max(len(trace[k]) for k in columns), columns)
    return lazy, shared


def _json(value: Any) -> str:
    """Compact JSON of figure parts (orjson when installed), safe inside a script element."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson comes with the fast and dev extras
        from plotly.utils import PlotlyJSONEncoder

        text = json.dumps(value, cls=PlotlyJSONEncoder, separators=(",", ":"), ensure_ascii=False)
    else:
        try:
            # numpy arrays as plotly.js typed arrays, as go.Figure.to_dict writes them
            text = orjson.dumps(value, default=typed_array, option=orjson.OPT_NON_STR_KEYS).decode(
                "utf-8"
            )
        except TypeError:  # a type orjson does not know: plotly's encoder does
            from plotly.utils import PlotlyJSONEncoder

            text = json.dumps(
                value, cls=PlotlyJSONEncoder, separators=(",", ":"), ensure_ascii=False
            )
    return script_safe(text)


def _plotly_script(cdn: bool) -> str:
    from plotly.offline import get_plotlyjs, get_plotlyjs_version

    source = get_plotlyjs()
    if not cdn:
        return f'<script type="text/javascript">{source}</script>'
    digest = base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")
    url = f"https://cdn.plot.ly/plotly-{get_plotlyjs_version()}.min.js"
    return (
        f'<script charset="utf-8" src="{url}" integrity="sha256-{digest}" '
        'crossorigin="anonymous"></script>'
    )


def page(body: str, *, title: str, cdn: bool = False, geo: bool = False) -> str:
    """A complete HTML document: plotly.js once (inline or CDN), optional map data, ``body``.

    ``body`` is trusted markup (figure divs and escaped text); ``title`` is escaped here.
    """
    head = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        f"<style>{page_style()}</style>",
        "<script>window.PlotlyConfig = {MathJaxConfig: 'local'};</script>",
    ]
    if geo:
        from graphkit.render.geo import geo_assets_script

        head.append(geo_assets_script())
    head.append(_plotly_script(cdn))
    head.append(f"<script>{page_script()}</script>")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n'
        + "\n".join(head)
        + "\n</head>\n<body>\n"
        + body
        + "\n</body>\n</html>\n"
    )


def to_html(fig: Any, *, cdn: bool = False, title: str | None = None) -> str:
    """A self-contained HTML page showing ``fig`` (plotly.js inline unless ``cdn``).

    ``title`` is the page's ``<title>`` (default: the figure's own title, else "graphkit"). A
    timeline keeps its view and filters in the page's URL hash.
    """
    meta = plain(fig)["layout"].get("meta")
    meta = meta if isinstance(meta, dict) else {}
    heading = title or meta.get("title") or "graphkit"
    body = figure_div(fig, "graphkit-figure", keep_state_in_url=True)
    return page(body, title=heading, cdn=cdn, geo=has_geo(fig))


def write_html(
    fig: Any, path: str | os.PathLike[str], *, cdn: bool = False, title: str | None = None
) -> Path:
    """Write :func:`to_html` of ``fig`` atomically to ``path`` and return the path.

    Examples:
        >>> import pathlib, tempfile
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... actors: [{id: A, name: Arcadia, kind: state}]
        ... events: [{id: e, type: statement, date: 2024-10-02, actor: A}]
        ... ''')
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "timeline.html"
        >>> written = gk.write_html(gk.timeline(kb), target, title="Arcadia")
        >>> written == target, "<title>Arcadia</title>" in target.read_text(encoding="utf-8")
        (True, True)
    """
    target = Path(path)
    atomic_write(target, to_html(fig, cdn=cdn, title=title))
    return target


def kb_html(kb: KnowledgeBase, *, max_rows: int = 12, summary: dict[str, Any] | None = None) -> str:
    """An HTML summary of a knowledge base (escaped): counts, dates, types, busiest actors.

    Used by ``KnowledgeBase._repr_html_`` in Jupyter. ``summary``: ``kb.summary()`` if the
    caller has it already.

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... actors: [{id: A, name: "<script>alert(1)</script>", kind: state}]
        ... events: [{id: e, type: statement, date: 2024-10, actor: A}]
        ... ''')
        >>> html = kb_html(kb)
        >>> "<script>" in html, "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        (False, True)
    """
    summary = kb.summary() if summary is None else summary
    d = Describer(kb)
    files = ", ".join(esc(Path(f).name) for f in summary["files"]) or "<i>in memory</i>"
    dates = (
        f"{esc(summary['first_date'])} … {esc(summary['last_date'])}"
        if summary["first_date"]
        else "<i>undated</i>"
    )
    counts = "".join(
        f"<tr><th>{name}</th><td>{summary[key]:,}</td></tr>"
        for name, key in (
            ("events", "events"),
            ("relations", "relations"),
            ("actors", "actors"),
            ("sources", "sources"),
        )
    )
    types = ", ".join(
        f"{d.type_label(t)}&nbsp;{n:,}" for t, n in list(summary["event_types"].items())[:max_rows]
    )
    if len(summary["event_types"]) > max_rows:
        types += ", …"
    involvement: dict[str, int] = {}
    for event in kb.events:  # each actor once per event (``actor_ids``, without its list)
        if event.participants:
            for actor_id in event.actor_ids:
                involvement[actor_id] = involvement.get(actor_id, 0) + 1
            continue
        actor, target = event.actor, event.target
        if actor is not None:
            involvement[actor] = involvement.get(actor, 0) + 1
        if target is not None and target != actor:
            involvement[target] = involvement.get(target, 0) + 1
    busiest = sorted(involvement.items(), key=lambda kv: (-kv[1], kv[0]))[:max_rows]
    actors = ", ".join(f"{d.actor_name(a)}&nbsp;({n:,})" for a, n in busiest)
    grades: dict[str, int] = {}
    for source in kb.sources:
        grades[source.reliability] = grades.get(source.reliability, 0) + 1
    reliability = ", ".join(
        f'<span title="{RELIABILITY[g]}">{g}</span>&nbsp;{grades[g]:,}' for g in sorted(grades)
    )
    rows = join(
        [
            counts,
            f"<tr><th>dates</th><td>{dates}</td></tr>",
            f"<tr><th>event types</th><td>{types or '—'}</td></tr>",
            f"<tr><th>busiest actors</th><td>{actors or '—'}</td></tr>",
            f"<tr><th>source grades</th><td>{reliability or '—'}</td></tr>",
            f"<tr><th>files</th><td>{files}</td></tr>",
        ],
        "",
    )
    return (
        '<div class="graphkit-kb"><strong>graphkit KnowledgeBase</strong>'
        f'<table class="gk-table">{rows}</table></div>'
    )
