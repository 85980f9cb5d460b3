"""Query commands: path, escalations, neighbours, diff, central.

Every command has ``--json`` with a stable shape (documented in ``docs/queries.md``); no result
is a clear message on stderr and exit code 1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from graphkit.cli._app import EXIT_INVALID, JsonFlag, app, err, load_kb, out
from graphkit.errors import NoPathError

KbFile = Annotated[
    Path,
    typer.Argument(help="Knowledge base file (YAML or RDF) or directory.", readable=False),
]
At = Annotated[str | None, typer.Option("--at", help="Only what held on this date.")]
KnownAt = Annotated[
    str | None,
    typer.Option("--known-at", help="Only claims whose sources were published by this date."),
]


@app.command()
def path(
    file: KbFile,
    source: Annotated[str, typer.Argument(help="From actor: id, name or alias.")],
    target: Annotated[str, typer.Argument(help="To actor: id, name or alias.")],
    at: At = None,
    via: Annotated[
        list[str] | None, typer.Option("--via", help="Only these relation/event types.")
    ] = None,
    max_hops: Annotated[int, typer.Option("--max-hops", min=1, help="Longest path.")] = 4,
    k: Annotated[int | None, typer.Option("--k", min=1, help="How many paths.")] = None,
    temporal: Annotated[
        bool, typer.Option("--temporal", help="Only time-respecting paths.")
    ] = False,
    undirected: Annotated[
        bool, typer.Option("--undirected", help="Walk edges against their direction.")
    ] = False,
    min_reliability: Annotated[
        str | None, typer.Option("--min-reliability", help="Source grade A..E.")
    ] = None,
    min_credibility: Annotated[
        int | None, typer.Option("--min-credibility", help="Information grade 1..5.")
    ] = None,
    known_at: KnownAt = None,
    json_output: JsonFlag = False,
) -> None:
    """Explain how one actor is connected to another, with evidence and confidence."""
    from graphkit.query.paths import paths

    kb = load_kb([file])
    try:
        found = paths(
            kb,
            source,
            target,
            at=at,
            via=via or None,
            max_hops=max_hops,
            k=k,
            temporal=temporal,
            undirected=undirected,
            min_reliability=min_reliability,
            min_credibility=min_credibility,
            known_at=known_at,
        )
    except NoPathError as exc:
        if json_output:
            out("[]")
        err(f"no path: {exc}")
        raise typer.Exit(EXIT_INVALID) from None
    out(found.to_json() if json_output else str(found))


@app.command()
def escalations(
    file: KbFile,
    actor: Annotated[
        str | None, typer.Option("--actor", help="Steps involving this actor.")
    ] = None,
    dyad: Annotated[
        tuple[str, str] | None, typer.Option("--dyad", help="Steps between two actors.")
    ] = None,
    conflict: Annotated[
        str | None, typer.Option("--conflict", help="A war relation id naming the conflict.")
    ] = None,
    since: Annotated[str | None, typer.Option("--since", help="From this date.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Until this date.")] = None,
    known_at: KnownAt = None,
    index: Annotated[
        bool, typer.Option("--index", help="Print the escalation index instead of the steps.")
    ] = False,
    freq: Annotated[str, typer.Option("--freq", help="Index bins: day, week or month.")] = "week",
    json_output: JsonFlag = False,
) -> None:
    """List escalation steps (or the escalation index) with their evidence."""
    from graphkit.query.escalation import escalation_index
    from graphkit.query.escalation import escalations as find

    kb = load_kb([file])
    if index:
        if freq not in ("day", "week", "month"):
            raise typer.BadParameter("must be day, week or month", param_hint="--freq")
        series = escalation_index(
            kb,
            actor=actor,
            dyad=dyad,
            conflict=conflict,
            since=since,
            until=until,
            known_at=known_at,
            freq=freq,  # type: ignore[arg-type]
        )
        if json_output:
            out(series.to_json())
            return
        out(f"escalation index, {series.scope}, per {series.freq}")
        for point in series.points:
            out(
                f"{point.start}  {point.value:8.2f}  rolling {point.rolling:8.2f}  "
                f"{len(point.events)} events"
            )
        return
    steps = find(
        kb, actor=actor, dyad=dyad, conflict=conflict, since=since, until=until, known_at=known_at
    )
    if json_output:
        out(steps.to_json())
    elif steps:
        out(str(steps))
    if not steps:
        err("no escalation steps match")
        raise typer.Exit(EXIT_INVALID)


@app.command()
def neighbours(
    file: KbFile,
    actor: Annotated[str, typer.Argument(help="Actor: id, name or alias.")],
    at: At = None,
    json_output: JsonFlag = False,
) -> None:
    """List the actors linked to an actor, with the evidence of each link."""
    from graphkit.query.neighbours import neighbours as find
    from graphkit.query.neighbours import to_json

    found = find(load_kb([file]), actor, at=at)
    if json_output:
        out(to_json(found))
    else:
        for neighbour in found:
            out(str(neighbour))
    if not found:
        err(f"{actor!r} has no neighbours" + (f" at {at}" if at else ""))
        raise typer.Exit(EXIT_INVALID)


@app.command()
def diff(
    file: KbFile,
    first: Annotated[str, typer.Argument(help="The earlier date.")],
    second: Annotated[str, typer.Argument(help="The later date.")],
    json_output: JsonFlag = False,
) -> None:
    """Show which relations began, ended or changed between two dates."""
    from graphkit.query.diff import diff as compare

    result = compare(load_kb([file]), first, second)
    out(result.to_json() if json_output else str(result))


@app.command()
def central(
    file: KbFile,
    at: At = None,
    n: Annotated[int, typer.Option("-n", min=1, help="How many actors.")] = 10,
    measure: Annotated[
        str, typer.Option("--measure", help="degree, betweenness or closeness.")
    ] = "degree",
    json_output: JsonFlag = False,
) -> None:
    """List the most central actors (networkx centrality on the actor graph)."""
    from graphkit.query.neighbours import most_central

    if measure not in ("degree", "betweenness", "closeness"):
        raise typer.BadParameter("must be degree, betweenness or closeness", param_hint="--measure")
    kb = load_kb([file])
    ranked = most_central(kb, n=n, at=at, measure=measure)  # type: ignore[arg-type]
    if json_output:
        out(json.dumps([{"actor": a, "score": s} for a, s in ranked], indent=2))
        return
    err(f"{measure} centrality (0..1) on the simple undirected actor graph: {_MEANING[measure]}")
    for actor, score in ranked:
        out(f"{score:8.4f}  {actor}  {kb.actors[actor].name}")


_MEANING = {
    "degree": "the share of the other actors linked to it (parallel links counted once)",
    "betweenness": "the share of shortest paths between other actors that pass through it",
    "closeness": "the inverse of its mean distance to the actors it can reach",
}
