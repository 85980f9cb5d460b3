"""Network, map, report, static export, Jupyter summary and the CLI commands."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import graphkit as gk
from graphkit.cli import main
from graphkit.render import event_map, kb_html, network, report, to_html
from graphkit.render._describe import Describer
from graphkit.render.geo import TOPOJSON_NAME, geo_assets_script, world_topojson

ROOT = Path(__file__).resolve().parents[2]


def test_network_at_a_date_keeps_what_held(small_kb: gk.KnowledgeBase) -> None:
    before = network(small_kb, at="2023-01-01")
    after = network(small_kb, at="2024-10-20")
    names = lambda fig: {t.name for t in fig.data if (t.meta or {}).get("kind") == "edge"}  # noqa: E731
    assert names(before) == {"at war with"}
    assert names(after) == {"allied with", "at war with", "events"}
    nodes = [t for t in after.data if t.name == "actors"][0]
    sizes = dict(zip(nodes.hovertext, nodes.marker.size, strict=True))
    russia = next(size for text, size in sizes.items() if text.startswith("<b>Russia"))
    assert russia == max(sizes.values())  # Russia has the most links: largest node
    # the layout does not depend on the date: positions are stable
    assert [t for t in before.data if t.name == "actors"][0].x == nodes.x
    evidence = [t for t in after.data if (t.meta or {}).get("kind") == "evidence"]
    text = " ".join(h for t in evidence for h in t.hovertext)
    assert "<i>treaty</i>" in text and "2024-06 – 2025" in text and "grade B" in text
    assert "treaty" in [i for t in evidence for i in t.ids]


def test_map_places_events_with_coordinates(small_kb: gk.KnowledgeBase) -> None:
    fig = event_map(small_kb)
    assert [(t.type, t.name, t.lat, t.lon) for t in fig.data] == [
        ("scattergeo", "Arms transfer", (42.2,), (130.3,)),
        ("scattergeo", "Troop deployment", (43.1,), (131.9,)),
    ]
    # one size: 3,000 soldiers and no figure are not compared by area
    assert {t.marker.size[0] for t in fig.data} == {10}
    assert "2 without are not on the map" in fig.layout.title.subtitle.text
    assert fig.layout.geo.resolution == 110 and fig.layout.geo.showcoastlines
    # zoomed to the events (Najin and Vladivostok), not the world
    lon, lat = fig.layout.geo.lonaxis.range, fig.layout.geo.lataxis.range
    assert lon[0] < 130.3 and lon[1] > 131.9 and lon[1] - lon[0] < 40
    assert lat[0] < 42.2 and lat[1] > 43.1 and lat[1] - lat[0] < 30


def test_map_legend_is_grouped_by_family(flagship: gk.KnowledgeBase) -> None:
    fig = event_map(flagship)
    events = sorted(
        (t for t in fig.data if (t.meta or {}).get("kind") == "event"), key=lambda t: t.legendrank
    )
    headings = [t.legendgrouptitle.text for t in events if t.legendgrouptitle.text]
    assert headings[:3] == ["Use of force", "Verbal conflict", "Material cooperation"]
    assert len(headings) == len(set(headings))  # each family named once, over its first type
    family = None
    for trace in events:  # the types of one family follow one another
        family = trace.legendgrouptitle.text or family
        assert family is not None
    cluster = next(t for t in fig.data if (t.meta or {}).get("kind") == "cluster")
    assert cluster.legendrank > max(t.legendrank for t in events)


def test_map_spreads_events_at_one_place(crowded_kb: gk.KnowledgeBase) -> None:
    fig = event_map(crowded_kb)
    points = [
        (i, la, lo)
        for t in fig.data
        if (t.meta or {}).get("kind") == "event"
        for i, la, lo in zip(t.ids, t.lat, t.lon, strict=True)
    ]
    assert sorted(i for i, _, _ in points) == ["e0", "e1", "e2", "e3", "e4"]
    assert len({(la, lo) for _, la, lo in points}) == 5  # five places of their own
    assert all(abs(la - 12.8) < 1.5 and abs(lo - 43.3) < 1.5 for _, la, lo in points)
    spokes = [t for t in fig.data if (t.meta or {}).get("kind") == "spokes"]
    assert len(spokes) == 1 and spokes[0].lat.count(12.8) == 5  # each joined to the place
    hover = [h for t in fig.data if t.hovertext for h in t.hovertext]
    assert all("one of 5 events at this place" in h for h in hover)


def test_map_without_coordinates_says_so(small_kb: gk.KnowledgeBase) -> None:
    fig = event_map(small_kb, types=["statement", "attack"])  # neither has coordinates
    assert fig.layout.meta["empty"].startswith("No event has coordinates")
    assert "No event has coordinates" in fig.layout.annotations[0].text
    assert [t.type for t in fig.data] == ["scattergeo"]  # a map, not numbered axes


def test_network_links_are_apart_with_arrows(crowded_kb: gk.KnowledgeBase) -> None:
    fig = network(crowded_kb)
    evidence = [t for t in fig.data if (t.meta or {}).get("kind") == "evidence"]
    ids = [i for t in evidence for i in t.ids]
    assert sorted(i for i in ids if i.startswith("r")) == [f"r{i}" for i in range(10)]
    assert "A->B" in ids  # the five events from Alpha to Beta: one link
    points = {(x, y) for t in evidence for x, y in zip(t.x, t.y, strict=True)}
    assert len(points) == len(ids)  # every link has a hover point of its own
    arrows = [t for t in evidence if not t.meta["symmetric"]]
    assert arrows and all(t.marker.symbol == "triangle-up" for t in arrows)
    angles = {a for t in arrows for a in t.marker.angle}
    assert len(angles) > 1  # pointing along their links
    events = next(t for t in evidence if t.meta["type"] == "event")
    assert "5 events" in events.hovertext[0]


def test_network_names_do_not_overlap(flagship: gk.KnowledgeBase) -> None:
    fig = network(flagship)
    nodes = next(t for t in fig.data if (t.meta or {}).get("kind") == "node")
    named = [text for text in nodes.text if text]
    assert len(named) >= 0.8 * len(nodes.text)  # most are named; the rest on hover
    assert "North Korea" in named and "Russia" in named
    unlinked = network(flagship, at="1950-01-01")
    grey = next(t for t in unlinked.data if (t.meta or {}).get("kind") == "node")
    assert any(c == "#B8BEC8" for c in grey.marker.color)
    assert any(text for text in grey.text)  # unlinked actors are still named


def test_network_with_no_link_says_so(small_kb: gk.KnowledgeBase) -> None:
    fig = network(small_kb, at="1900-01-01")
    assert "no relation or event links two actors on 1900-01-01" in fig.layout.meta["empty"]


def test_topojson_is_inlined_before_plotly(small_kb: gk.KnowledgeBase) -> None:
    assert set(world_topojson()["objects"]) >= {"coastlines", "land", "countries"}
    page = to_html(event_map(small_kb))
    assets = page.index(f'window.PlotlyGeoAssets.topojson["{TOPOJSON_NAME}"]')
    assert assets < page.index("plotly.js v")
    assert "</script>" not in geo_assets_script()[8:-9]


def test_pages_work_offline_and_cdn_is_opt_in(small_kb: gk.KnowledgeBase) -> None:
    page = to_html(network(small_kb))
    assert page.count("plotly.js v") == 1
    assert not re.search(r"""<(script|link)[^>]+(src|href)=["']https?:""", page)
    assert "fonts.googleapis" not in page
    cdn = to_html(network(small_kb), cdn=True)
    assert re.search(
        r'<script charset="utf-8" src="https://cdn\.plot\.ly/plotly-[\d.]+\.min\.js"', cdn
    )
    assert len(cdn) < len(page) / 4


def test_report_includes_plotly_once_and_every_view(small_kb: gk.KnowledgeBase) -> None:
    from types import SimpleNamespace as S

    steps = [S(kind="ladder", when="2024-10", parties=("<x>", "B"), summary="<b>worse</b>")]
    page = report(small_kb, steps=steps)
    assert page.count("plotly.js v") == 1
    assert page.count('class="plotly-graph-div"') == 3
    assert "PlotlyGeoAssets" in page
    assert "&lt;b&gt;worse&lt;/b&gt;" in page and "<b>worse" not in page
    assert "<h2>Actor network on 2025</h2>" in page  # the last date as written (issue 20)


def test_kb_html_is_escaped(hostile_kb: gk.KnowledgeBase) -> None:
    html = kb_html(hostile_kb)
    assert "<img" not in html and "<a href" not in html
    assert "&lt;img src=x onerror=&#34;window.__pwned=&#39;actor&#39;&#34;&gt;Alpha" in html


def test_hostile_strings_never_reach_figures_as_markup(hostile_kb: gk.KnowledgeBase) -> None:
    from graphkit.render import timeline

    for fig in (timeline(hostile_kb), network(hostile_kb), event_map(hostile_kb)):
        figure = json.loads(fig.to_json())
        # layout.meta is data for the page script, which writes it with textContent only: plain
        meta = figure["layout"].pop("meta")
        assert meta["graphkit"] in ("timeline", "network", "map")
        text = "\n".join(_strings(figure))
        for tag in ("<script", "<img", "<svg", "<iframe", "<b onmouseover", '<a href="javascript'):
            assert tag not in text, tag
        hrefs = re.findall(r'href="([^"]*)"', text)
        assert hrefs
        assert all(h == "https://example.org/%22%3E%3Cimg/src=x/onerror=window.__pwned=%27url%27%3E"
                   for h in hrefs)  # fmt: skip


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _run(*args: str) -> int:
    return main([*args])


def test_cli_commands_write_html(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(ROOT / "data" / "events.yaml")
    out = tmp_path / "t.html"
    assert _run("timeline", data, "-o", str(out), "--actor", "PRK", "--since", "2024-10") == 0
    assert "plotly.js v" in out.read_text()
    assert _run("graph", data, "--at", "2024-11-01", "-o", str(tmp_path / "n.html")) == 0
    assert _run("map", data, "-o", str(tmp_path / "m.html"), "--cdn") == 0
    assert _run("report", data, "-o", str(tmp_path / "r.html")) == 0
    assert {p.name for p in tmp_path.iterdir()} == {"t.html", "n.html", "m.html", "r.html"}
    assert "wrote" in capsys.readouterr().err
    assert _run("timeline", data, "--actor", "Narnia", "-o", str(tmp_path / "x.html")) == 1
    assert _run("timeline", data, "--since", "2024-13", "-o", str(tmp_path / "x.html")) == 1
    assert not (tmp_path / "x.html").exists()


@pytest.mark.parametrize("command", ["timeline", "graph", "map", "report", "build"])
def test_every_html_command_takes_a_title_and_a_subtitle(
    command: str, tmp_path: Path, write_yaml: Any
) -> None:
    from .conftest import SMALL

    data = str(write_yaml("small.yaml", SMALL))
    out = tmp_path / ("out" if command == "build" else "page.html")
    title, subtitle = "Crisis <b>brief</b>", "Draft & unverified"
    args = [command, data, "-o", str(out), "--title", title, "--subtitle", subtitle]
    assert _run(*args, *(["-j", "1", "--paths", "0"] if command == "build" else [])) == 0
    pages = [out / "report.html", out / "timeline.html"] if command == "build" else [out]
    for page in pages:
        text = page.read_text("utf-8")
        assert "Crisis &lt;b&gt;brief&lt;/b&gt;" in text and "Draft &amp; unverified" in text
        assert title not in text  # as data (JSON for the page script) it cannot close a tag


def test_cli_timeline_has_the_escalation_panel_when_available(tmp_path: Path) -> None:
    pytest.importorskip("graphkit.query.escalation", reason="graphkit.query.escalation not there")
    out = tmp_path / "t.html"
    assert _run("timeline", str(ROOT / "data" / "events.yaml"), "-o", str(out)) == 0
    figure = re.search(
        r'Plotly\.newPlot\(\s*"graphkit-figure",\s*(\[.*?\]),\s*\{', out.read_text(), re.S
    )
    assert figure is not None
    traces = json.loads(figure.group(1))
    assert traces[-1]["meta"] == {"kind": "escalation"} and traces[-1]["yaxis"] == "y2"


def _lazy_tables(page: str) -> dict[int, dict[str, list[object]]]:
    found = re.findall(
        r'<script type="application/json" id="graphkit-figure-columns-(\d+)">(.*?)</script>',
        page,
        re.S,
    )
    return {int(i): json.loads(text) for i, text in found}


def test_large_webgl_figures_load_hover_labels_lazily(monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks.generate import generate
    from graphkit.model import Document
    from graphkit.render import html as render_html
    from graphkit.render import timeline
    from graphkit.render._html import script_safe

    kb = gk.KnowledgeBase.from_document(Document.model_validate(generate(2500, 3)))
    fig = timeline(kb)
    monkeypatch.setattr(render_html, "DEFLATE_COLUMNS_OVER", 10**9)  # JSON tables, to read here
    monkeypatch.setattr(render_html, "LAZY_COLUMN_POINTS", 10**9)
    assert "graphkitLazyColumns" not in to_html(fig)  # below the threshold: inline
    monkeypatch.setattr(render_html, "LAZY_COLUMN_POINTS", 1000)
    page = to_html(fig)
    tables = _lazy_tables(page)
    lazy = {i for i, t in enumerate(fig.data) if t.type == "scattergl" and t.hovertext}
    assert set(tables) == lazy
    for i in lazy:  # the same labels and URLs as the figure, in order
        assert tables[i]["hovertext"] == list(fig.data[i].hovertext)
        assert tables[i]["customdata"] == list(fig.data[i].customdata)
    plot = page[
        page.index("Plotly.newPlot(") : page.index("</script>", page.index("Plotly.newPlot("))
    ]
    assert 'Plotly.newPlot("graphkit-figure", graphkitLazyColumns(' in plot
    first_label = script_safe(json.dumps(fig.data[min(lazy)].hovertext[0], ensure_ascii=False))
    assert first_label in page and first_label not in plot and '"hovertext":[' not in plot


def _brief_hovers(column: dict[str, Any], shared: dict[str, list[Any]]) -> list[str]:
    """What the page's builder (LAZY_COLUMNS_JS) makes of a compact brief hover column."""
    b = column["brief"]
    out = []
    for i, summary in enumerate(b["s"]):
        t = b["t"] if isinstance(b["t"], int) else b["t"][i]
        r = b["r"][i]
        out.append(
            f"<b>{summary}</b><br>{shared['types'][t]} · {b['i'][i]} · "
            f"{shared['dates'][b['d'][i]]}" + (shared["sources"][r] if r >= 0 else "")
        )
    return out


def test_brief_hovers_are_compact_columns_with_shared_tables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from benchmarks.generate import generate
    from graphkit.model import Document
    from graphkit.render import html as render_html
    from graphkit.render import timeline

    kb = gk.KnowledgeBase.from_document(Document.model_validate(generate(2500, 3)))
    monkeypatch.setattr(render_html, "LAZY_COLUMN_POINTS", 1000)
    monkeypatch.setattr(render_html, "DEFLATE_COLUMNS_OVER", 10**9)  # JSON tables, to read here
    full, brief = to_html(timeline(kb)), to_html(timeline(kb, brief_hover_over=1000))
    fig = timeline(kb, brief_hover_over=1000)
    tables = _lazy_tables(brief)
    found = re.search(r'id="graphkit-figure-hovers">(.*?)</script>', brief, re.S)
    assert found is not None and "graphkit-figure-hovers" not in full
    shared = json.loads(found.group(1))
    compact = [i for i, t in tables.items() if isinstance(t["hovertext"], dict)]
    assert compact
    for i in compact:  # the page builds the same labels and URLs as Python's
        assert _brief_hovers(tables[i]["hovertext"], shared) == list(fig.data[i].hovertext)
        urls = [shared["urls"][u] if u >= 0 else None for u in tables[i]["customdata"]["url"]]
        assert urls == list(fig.data[i].customdata)
        d = Describer(kb)
        assert list(fig.data[i].hovertext)[:3] == [
            d.event_hover(kb.events[h.split(" · ")[1]], brief=True)
            for h in list(fig.data[i].hovertext)[:3]
        ]
    assert len(brief) < 0.8 * len(full)


def test_lazy_columns_stay_escaped_and_inert(
    hostile_kb: gk.KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graphkit.render import html as render_html
    from graphkit.render import timeline

    monkeypatch.setattr(render_html, "LAZY_COLUMN_POINTS", 1)
    page = to_html(timeline(hostile_kb, webgl=True))
    tables = _lazy_tables(page)
    assert tables
    text = "\n".join(_strings(list(tables.values())))
    for tag in ("<script", "<img", "<svg", "<iframe", '<a href="javascript'):
        assert tag not in text, tag
    # nothing in the data can end the JSON elements early
    assert page.count("</script>") == page.count("<script")


def test_map_groups_events_above_the_marker_limit() -> None:
    from benchmarks.generate import generate
    from graphkit.model import Document

    kb = gk.KnowledgeBase.from_document(Document.model_validate(generate(2500, 3)))
    every = event_map(kb)
    located = sum(1 for e in kb.events if e.location is not None and e.location.lat is not None)
    drawn = [t for t in every.data if (t.meta or {}).get("kind") in ("event", "ring")]
    assert sum(len(t.lat) for t in drawn) == located  # every event has a marker of its own
    grouped = event_map(kb, max_markers=150)
    markers = sum(len(t.lat) for t in grouped.data)
    assert 0 < markers <= 150 < located
    assert f"{located:,} events with coordinates" in grouped.layout.title.subtitle.text
    assert "grouped by type and place" in grouped.layout.title.subtitle.text
    counted = [t for t in grouped.data if any(t.text or ())]
    assert counted and all(str(x).replace(",", "").rstrip("k").replace(".", "").isdigit()
                           for t in counted for x in t.text if x)  # fmt: skip
    assert {t.name for t in grouped.data} >= {
        t.name for t in every.data if (t.meta or {}).get("kind") == "event"
    }
    hovers = [h for t in grouped.data for h in t.hovertext]
    counts = [int(h.split(" events:")[0][3:].replace(",", "")) for h in hovers if " events: " in h]
    assert sum(counts) + (len(hovers) - len(counts)) == located  # every event in one group
    assert all(-90 <= y <= 90 for t in grouped.data for y in t.lat)


def test_grouped_map_hover_is_escaped(write_yaml: object) -> None:
    kb = gk.loads(
        """
format_version: 1
actors: [{id: A, name: Alpha, kind: state}]
events:
  - {id: a, type: attack, date: 2024-10-01, actor: A, summary: "<img src=x onerror=alert(1)>",
     location: {name: "<script>alert(2)</script>", lat: 10, lon: 20}}
  - {id: b, type: attack, date: 2024-10-02, actor: A, summary: "<b>bold</b>",
     location: {name: "<script>alert(2)</script>", lat: 10, lon: 20}}
"""
    )
    fig = event_map(kb, max_markers=1)
    (hover,) = fig.data[0].hovertext
    assert "2 events: Attack" in hover and "&lt;script&gt;alert(2)&lt;/script&gt;" in hover
    assert "<img" not in hover and "<script" not in hover and "<b>bold" not in hover
    assert fig.data[0].customdata == (None,)


def test_large_lazy_tables_are_deflated(monkeypatch: pytest.MonkeyPatch) -> None:
    import base64
    import zlib

    from benchmarks.generate import generate
    from graphkit.model import Document
    from graphkit.render import html as render_html
    from graphkit.render import timeline

    kb = gk.KnowledgeBase.from_document(Document.model_validate(generate(2500, 3)))
    fig = timeline(kb, brief_hover_over=1000)
    monkeypatch.setattr(render_html, "LAZY_COLUMN_POINTS", 1000)
    monkeypatch.setattr(render_html, "DEFLATE_COLUMNS_OVER", 10**9)
    plain_page = to_html(fig)
    monkeypatch.setattr(render_html, "DEFLATE_COLUMNS_OVER", 0)
    packed_page = to_html(fig)
    found = re.findall(
        r'<script type="application/octet-stream" id="(graphkit-figure-[a-z0-9-]+)" '
        r"data-deflate>([A-Za-z0-9+/=]*)</script>",
        packed_page,
    )
    tables = dict(_lazy_tables(plain_page))
    assert len(found) == len(tables) + 1  # every column table, and the shared tables
    for element_id, payload in found:
        text = zlib.decompress(base64.b64decode(payload), wbits=-15).decode("utf-8")
        if element_id.startswith("graphkit-figure-columns-"):
            assert json.loads(text) == tables[int(element_id.rsplit("-", 1)[1])]
    packed = sum(len(payload) for _, payload in found)
    assert packed < 0.6 * sum(len(json.dumps(t, ensure_ascii=False)) for t in tables.values())
