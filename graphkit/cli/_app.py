"""The ``graphkit`` command line: the typer app, shared helpers and the entry point.

Data goes to stdout, diagnostics and progress to stderr, so ``graphkit export ... > out.nt`` stays
clean. Exit codes: 0 success; 1 invalid input or no result; 2 wrong usage; 3 internal error
(rerun with ``GRAPHKIT_DEBUG=1`` for the traceback).
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from graphkit import __version__
from graphkit._fs import atomic_write
from graphkit.errors import GraphkitError
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
#: The default base IRI (``graphkit.rdf.DEFAULT_BASE``, repeated so the CLI starts without rdflib).
DEFAULT_BASE = "https://graphkit.example.org/kb/"
BaseOption = Annotated[
    str | None,
    typer.Option(
        "--base",
        help="Base IRI of minted item IRIs (ends with /, # or :; default: the file's `base:`, "
        f"else {DEFAULT_BASE}).",
    ),
]


def rdf_base(base: str | None, kb: KnowledgeBase) -> str:
    """The base IRI of an RDF output: --base, else the file's ``base:``, else the default.

    Says on stderr when the default (example) base is used: two knowledge bases exported with
    it into one store would merge silently.
    """
    chosen = base or kb.document.base
    if chosen is None:
        err(default_base_note())
        return DEFAULT_BASE
    return chosen


def default_base_note() -> str:
    """The note printed when RDF is written under the default base."""
    return (
        f"note: RDF IRIs use the example base {DEFAULT_BASE} (set your own with --base or "
        "'base:' in the file; knowledge bases exported with one base merge in a store)"
    )


def err(text: str) -> None:
    """Print a diagnostic or progress line to stderr."""
    print(text, file=sys.stderr)


def out(text: str) -> None:
    """Write data to stdout, ending with a newline."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def load_kb(files: list[Path], *, strict: bool | None = None) -> KnowledgeBase:
    """Load the knowledge base every command reads, with :func:`graphkit.load`.

    YAML files, directories and RDF exports (by suffix); ``strict`` as in :func:`graphkit.load`.
    """
    return load(files, strict=strict)


def write_or_print(text: str, output: Path | None) -> None:
    """Write ``text`` atomically to ``output``, or to stdout when no output is given."""
    if output is None:
        out(text)
    else:
        atomic_write(output, text)
        err(f"wrote {output}")


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", help="Show the version and exit.", is_eager=True)
    ] = False,
) -> None:
    if version:
        out(f"graphkit {__version__}")
        raise typer.Exit(EXIT_OK)
    if ctx.invoked_subcommand is None:
        out(ctx.get_help())
        raise typer.Exit(EXIT_USAGE)


#: Garbage-collector thresholds while a command runs. A command is a batch job that allocates
#: millions of short-lived objects around a large knowledge base (which the loader freezes); with
#: the default thresholds (700, 10, 10) collections take about half the time of building, say,
#: the evidence of 67,000 escalation steps. Collecting in larger batches keeps memory bounded.
GC_THRESHOLDS = (100_000, 50, 100)


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code (usage errors are typer's, exit 2)."""
    thresholds = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        return _main(argv)
    finally:
        gc.set_threshold(*thresholds)


def _main(argv: list[str] | None) -> int:
    try:
        app(args=argv, prog_name="graphkit")
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_INVALID)
    except GraphkitError as exc:
        diagnostics = getattr(exc, "diagnostics", None)
        if diagnostics:
            for diagnostic in diagnostics:
                err(str(diagnostic))
        else:
            err(f"error: {exc}")
        return EXIT_INVALID
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        if os.environ.get("GRAPHKIT_DEBUG"):
            raise
        err(
            f"internal error: {type(exc).__name__}: {exc} (rerun with GRAPHKIT_DEBUG=1 for details)"
        )
        return EXIT_INTERNAL
    return EXIT_OK


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
