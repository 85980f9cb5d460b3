"""Figure commands: timeline, graph (actor network), map and report.

Each writes one self-contained HTML file (plotly.js embedded; ``--cdn`` loads it from the CDN
instead), optionally a static ``--png``/``--svg`` next to it, and ``--open`` shows it in the
default browser. The escalation panel and table appear when :mod:`graphkit.query.escalation` is
available (``render`` takes the index as an argument; the CLI computes it).
"""

from __future__ import annotations

import webbrowser
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from graphkit.cli._app import Files, app, err, load_kb

if TYPE_CHECKING:
    from graphkit.kb import KnowledgeBase

Output = Annotated[
    Path,
    typer.Option("-o", "--output", help="HTML file to write (atomically).", readable=False),
]
Actors = Annotated[
    list[str] | None,
    typer.Option("--actor", "-a", help="Only items involving this actor (repeatable)."),
]
Types = Annotated[
    list[str] | None,
    typer.Option("--type", "-t", help="Only events or relations of this type (repeatable)."),
]
Since = Annotated[str | None, typer.Option("--since", help="Only items on or after this date.")]
Until = Annotated[str | None, typer.Option("--until", help="Only items on or before this date.")]
Open = Annotated[bool, typer.Option("--open", help="Open the file in the default browser.")]
Cdn = Annotated[bool, typer.Option("--cdn", help="Load plotly.js from its CDN (smaller file).")]
Png = Annotated[bool, typer.Option("--png", help="Also write a PNG next to the HTML (kaleido).")]
Svg = Annotated[bool, typer.Option("--svg", help="Also write an SVG next to the HTML (kaleido).")]
Title = Annotated[
    str | None, typer.Option("--title", help="Heading of the page (and its browser title).")
]
Subtitle = Annotated[str | None, typer.Option("--subtitle", help="A line under the heading.")]


class LanesChoice(StrEnum):
    """How the timeline's lanes are chosen."""

    auto = "auto"
    actor = "actor"
    group = "group"


def _missing(exc: ImportError) -> bool:
    """Whether ``exc`` says the escalation module is absent (not broken)."""
    return isinstance(exc, ModuleNotFoundError) and (exc.name or "").startswith("graphkit.query")


def escalation_for(
    kb: KnowledgeBase,
    actors: list[str] | None = None,
    since: str | None = None,
    until: str | None = None,
) -> Any:
    """The weekly escalation index for the timeline panel, or ``None`` without the module."""
    try:
        from graphkit.query.escalation import escalation_index
    except ImportError as exc:
        if not _missing(exc):
            raise
        return None
    actor = actors[0] if actors and len(actors) == 1 else None
    return escalation_index(kb, actor=actor, since=since, until=until, freq="week")


def escalation_report_parts(kb: KnowledgeBase) -> tuple[Any, Any]:
    """The weekly escalation index and the steps for the report, from one scan.

    ``(None, None)`` without the module.
    """
    try:
        from graphkit.query.escalation import escalation_scan
    except ImportError as exc:
        if not _missing(exc):
            raise
        return None, None
    scan = escalation_scan(kb)
    return scan.index(freq="week"), scan.steps()


def _write(fig: Any, output: Path, *, cdn: bool, png: bool, svg: bool) -> None:
    from graphkit.render.export import write_image
    from graphkit.render.html import write_html

    write_html(fig, output, cdn=cdn)
    err(f"wrote {output}")
    for wanted, suffix in ((png, ".png"), (svg, ".svg")):
        if wanted:
            image = output.with_suffix(suffix)
            write_image(fig, image)
            err(f"wrote {image}")


def _open(path: Path) -> None:
    webbrowser.open(path.resolve().as_uri())


@app.command()
def timeline(
    files: Files,
    output: Output = Path("timeline.html"),
    actor: Actors = None,
    event_type: Types = None,
    since: Since = None,
    until: Until = None,
    open_file: Open = False,
    cdn: Cdn = False,
    png: Png = False,
    svg: Svg = False,
    no_escalation: Annotated[
        bool, typer.Option("--no-escalation", help="Leave out the escalation index panel.")
    ] = False,
    title: Title = None,
    subtitle: Subtitle = None,
    lanes: Annotated[
        LanesChoice,
        typer.Option(
            "--lanes",
            help="A lane per actor, per actor group (part_of), or auto (groups above 12).",
        ),
    ] = LanesChoice.auto,
) -> None:
    """Write an interactive timeline: lanes per actor, events, relations, escalation index."""
    from graphkit.render.timeline import timeline as build

    kb = load_kb(files)
    index = None if no_escalation else escalation_for(kb, actor, since, until)
    fig = build(
        kb,
        actor,
        event_type,
        since,
        until,
        escalation=index,
        title=title,
        subtitle=subtitle,
        lanes=lanes.value,
    )
    _write(fig, output, cdn=cdn, png=png, svg=svg)
    if open_file:
        _open(output)


@app.command()
def graph(
    files: Files,
    output: Output = Path("network.html"),
    at: Annotated[
        str | None, typer.Option("--at", help="Links that held or happened on this date.")
    ] = None,
    max_nodes: Annotated[int, typer.Option("--max-nodes", help="Most connected actors.")] = 150,
    open_file: Open = False,
    cdn: Cdn = False,
    png: Png = False,
    svg: Svg = False,
    title: Title = None,
    subtitle: Subtitle = None,
) -> None:
    """Write the actor network at a date (node size: degree centrality; hover: evidence)."""
    from graphkit.render.network import network

    fig = network(load_kb(files), at=at, max_nodes=max_nodes, title=title, subtitle=subtitle)
    _write(fig, output, cdn=cdn, png=png, svg=svg)
    if open_file:
        _open(output)


@app.command("map")
def map_command(
    files: Files,
    output: Output = Path("map.html"),
    actor: Actors = None,
    event_type: Types = None,
    since: Since = None,
    until: Until = None,
    open_file: Open = False,
    cdn: Cdn = False,
    png: Png = False,
    svg: Svg = False,
    title: Title = None,
    subtitle: Subtitle = None,
) -> None:
    """Write a map of the events with coordinates, zoomed to them (works offline)."""
    from graphkit.render.geo import event_map

    fig = event_map(load_kb(files), actor, event_type, since, until, title=title, subtitle=subtitle)
    _write(fig, output, cdn=cdn, png=png, svg=svg)
    if open_file:
        _open(output)


@app.command()
def report(
    files: Files,
    output: Output = Path("report.html"),
    at: Annotated[str | None, typer.Option("--at", help="Date of the network.")] = None,
    open_file: Open = False,
    cdn: Cdn = False,
    title: Title = None,
    subtitle: Subtitle = None,
) -> None:
    """Write one self-contained report: counts, timeline, network, map, escalations."""
    from graphkit._fs import atomic_write
    from graphkit.render.report import report as build

    kb = load_kb(files)
    index, steps = escalation_report_parts(kb)
    page = build(
        kb,
        escalation=index,
        steps=steps,
        at=at,
        cdn=cdn,
        title=title,
        subtitle=subtitle,
    )
    atomic_write(output, page)
    err(f"wrote {output}")
    if open_file:
        _open(output)
