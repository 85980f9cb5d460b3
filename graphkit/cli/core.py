"""Core commands: validate, info, schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from graphkit.cli._app import (
    EXIT_INVALID,
    Files,
    JsonFlag,
    app,
    err,
    load_kb,
    out,
    write_or_print,
)
from graphkit.errors import LoadError


@app.command()
def validate(
    files: Files,
    json_output: JsonFlag = False,
    rdf: Annotated[
        bool, typer.Option("--rdf", help="Check RDF files against the SHACL shapes (docs/rdf.md).")
    ] = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Curation rules at level warning are errors (a fact without a source, a source "
            "without a date...; docs/errors.md), as 'strict: true' in a file's header does.",
        ),
    ] = False,
    inference: Annotated[
        str,
        typer.Option(
            "--inference",
            help="With --rdf: none, or rdfs (RDFS entailment over SEM and graphkit.ttl first).",
        ),
    ] = "none",
) -> None:
    """Check files; print every problem as file:line:col: message; exit 1 on any error."""
    if rdf:
        from graphkit.cli.rdf import validate_rdf

        return validate_rdf(files, json_output, inference=inference)
    try:
        kb = load_kb(files, strict=True if strict else None)
    except LoadError as exc:
        if json_output:
            out(
                json.dumps(
                    {"valid": False, "errors": [d.to_dict() for d in exc.diagnostics]},
                    indent=2,
                    ensure_ascii=False,
                )
            )
        print_load_error(exc)
        raise typer.Exit(EXIT_INVALID) from None
    summary = kb.summary()
    if json_output:
        out(json.dumps({"valid": True, "errors": [], "summary": summary}, indent=2))
    err(
        f"ok: {summary['events']} events, {summary['relations']} relations, "
        f"{summary['actors']} actors, {summary['sources']} sources"
    )


def print_load_error(exc: LoadError) -> None:
    """Print every located problem of a failed load to stderr, then their count."""
    for diagnostic in exc.diagnostics:
        err(str(diagnostic))
    count = len(exc.diagnostics)
    err(f"{count} error{'s' if count != 1 else ''}")


@app.command()
def info(files: Files, json_output: JsonFlag = False) -> None:
    """Print counts and the date range of a knowledge base."""
    summary = load_kb(files).summary()
    if json_output:
        out(json.dumps(summary, indent=2, ensure_ascii=False))
        return
    out(summary_text(summary))


def summary_text(summary: dict[str, Any]) -> str:
    """The text ``graphkit info`` prints for :meth:`KnowledgeBase.summary`."""
    lines = [
        f"files:      {', '.join(summary['files'])}",
        f"sources:    {summary['sources']}",
        f"actors:     {summary['actors']}",
        f"relations:  {summary['relations']}",
        f"events:     {summary['events']}",
        f"date range: {summary['first_date']} .. {summary['last_date']}",
        "event types: "
        + ", ".join(f"{name} {count}" for name, count in summary["event_types"].items()),
    ]
    return "\n".join(lines)


@app.command()
def schema(
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write to this file (atomically).", readable=False),
    ] = None,
) -> None:
    """Print the JSON Schema of the YAML format (for editors)."""
    from graphkit.io.schema import json_schema_text

    write_or_print(json_schema_text(), output)


@app.command("lint")
def lint_command(
    files: Files,
    json_output: JsonFlag = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Report warnings as errors, as 'strict: true' in a file's header does for "
            "that file.",
        ),
    ] = False,
) -> None:
    """Flag what a careful analyst would fix before sharing (missing dates, unused actors...).

    Each finding has a level: error, warning or info (docs/errors.md). Exit 1 when any finding
    is an error: with --strict (or in a file whose header says 'strict: true') every warning is
    one; info findings never are.
    """
    from graphkit.lint import LEVELS, lint, to_json

    findings = lint(load_kb(files, strict=False), strict=True if strict else None)
    if json_output:
        out(to_json(findings))
    else:
        for finding in findings:
            out(str(finding))
    counts = {level: sum(f.level == level for f in findings) for level in LEVELS}
    by_level = ", ".join(
        f"{n} {level}{'s' if n != 1 and level != 'info' else ''}"
        for level, n in counts.items()
        if n
    )
    err(
        f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"
        + (f": {by_level}" if by_level else "")
    )
    if counts["error"]:
        raise typer.Exit(EXIT_INVALID)
