"""The ``graphkit`` command line.

Data goes to stdout, diagnostics and progress to stderr, so ``graphkit export ... > out.nt`` stays
clean. Exit codes: 0 success; 1 invalid input or no result; 2 wrong usage; 3 internal error
(rerun with ``GRAPHKIT_DEBUG=1`` for the traceback).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from graphkit import __version__
from graphkit._fs import atomic_write
from graphkit.errors import GraphkitError, LoadError
from graphkit.kb import KnowledgeBase, load

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

app = typer.Typer(
    name="graphkit",
    help="Typed, temporal knowledge graphs of geopolitical events from curated YAML.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

Files = Annotated[
    list[Path], typer.Argument(help="YAML files or directories (merged into one knowledge base).")
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON to stdout.")]


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def _out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _load(files: list[Path]) -> KnowledgeBase:
    return load(files)


def _write_or_print(text: str, output: Path | None) -> None:
    if output is None:
        _out(text)
    else:
        atomic_write(output, text)
        _err(f"wrote {output}")


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", help="Show the version and exit.", is_eager=True)
    ] = False,
) -> None:
    if version:
        _out(f"graphkit {__version__}")
        raise typer.Exit(EXIT_OK)
    if ctx.invoked_subcommand is None:
        _out(ctx.get_help())
        raise typer.Exit(EXIT_USAGE)


@app.command()
def validate(files: Files, json_output: JsonFlag = False) -> None:
    """Check files; print every problem as file:line:col: message; exit 1 on any error."""
    try:
        kb = _load(files)
    except LoadError as exc:
        if json_output:
            _out(
                json.dumps(
                    {"valid": False, "errors": [d.to_dict() for d in exc.diagnostics]},
                    indent=2,
                    ensure_ascii=False,
                )
            )
        for diagnostic in exc.diagnostics:
            _err(str(diagnostic))
        count = len(exc.diagnostics)
        _err(f"{count} error{'s' if count != 1 else ''}")
        raise typer.Exit(EXIT_INVALID) from None
    summary = kb.summary()
    if json_output:
        _out(json.dumps({"valid": True, "errors": [], "summary": summary}, indent=2))
    _err(
        f"ok: {summary['events']} events, {summary['relations']} relations, "
        f"{summary['actors']} actors, {summary['sources']} sources"
    )


@app.command()
def info(files: Files, json_output: JsonFlag = False) -> None:
    """Print counts and the date range of a knowledge base."""
    summary = _load(files).summary()
    if json_output:
        _out(json.dumps(summary, indent=2, ensure_ascii=False))
        return
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
    _out("\n".join(lines))


@app.command()
def schema(
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file (atomically).")
    ] = None,
) -> None:
    """Print the JSON Schema of the YAML format (for editors)."""
    from graphkit.io.schema import json_schema_text

    _write_or_print(json_schema_text(), output)


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code (usage errors are typer's, exit 2)."""
    try:
        app(args=argv, prog_name="graphkit")
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_INVALID)
    except GraphkitError as exc:
        diagnostics = getattr(exc, "diagnostics", None)
        if diagnostics:
            for diagnostic in diagnostics:
                _err(str(diagnostic))
        else:
            _err(f"error: {exc}")
        return EXIT_INVALID
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        if os.environ.get("GRAPHKIT_DEBUG"):
            raise
        _err(
            f"internal error: {type(exc).__name__}: {exc} (rerun with GRAPHKIT_DEBUG=1 for details)"
        )
        return EXIT_INTERNAL
    return EXIT_OK


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
