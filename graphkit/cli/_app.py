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
from graphkit._controls import neutralise
from graphkit._fs import atomic_write
from graphkit.errors import GraphkitError, OutputError
from graphkit.kb import KnowledgeBase, load

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

app = typer.Typer(
    name="graphkit",
    help="Typed, temporal knowledge graphs of geopolitical events from curated YAML.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: ``readable=False`` on every path: graphkit's readers report a path they cannot read with its
#: reason and exit 1 (typer's own check is a usage error, exit 2, without either).
Files = Annotated[
    list[Path],
    typer.Argument(
        help="YAML files or directories (merged into one knowledge base).", readable=False
    ),
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
    """Print a diagnostic or progress line to stderr (hidden characters made visible)."""
    print(neutralise(text), file=sys.stderr)


def out(text: str) -> None:
    r"""Write text for a reader to stdout, ending with a newline.

    Characters a terminal obeys but a reader cannot see (C0/C1 controls, bidi overrides) are
    written as ``\uXXXX`` (:func:`graphkit._controls.neutralise`): inside JSON strings that is
    the same value. Exported files go through :func:`write_or_print` unchanged.
    """
    _write_stdout(neutralise(text))


#: Texts at least this long skip the text layer of stdout (see :func:`_write_stdout`).
_DIRECT = 1 << 16


def _write_stdout(text: str | bytes, *, data: bool = False) -> None:
    """Write ``text`` (and a final newline) or ``bytes`` (as they are) to stdout.

    Every failure is an :class:`OutputError`. Long output is encoded and written to the file
    descriptor in a loop, each short write followed by the rest: CPython's text layer can drop
    the end of a long write that a full disk took only in part, and report success. ``data`` (an
    export) is UTF-8 whatever the terminal's encoding.
    """
    if isinstance(text, str) and not text.endswith("\n"):
        text += "\n"
    stream = sys.stdout
    try:
        fd = stream.fileno() if len(text) >= _DIRECT or isinstance(text, bytes) else None
    except (AttributeError, OSError, ValueError):  # a captured stream (tests): no descriptor
        fd = None
    try:
        if fd is None:
            if isinstance(text, bytes):
                stream.buffer.write(text)
            else:
                stream.write(text)
            return
        stream.flush()
        if isinstance(text, str):
            encoding = "utf-8" if data else (stream.encoding or "utf-8")
            text = text.encode(encoding, "strict" if data else "backslashreplace")
        view = memoryview(text)
        while view:
            view = view[os.write(fd, view) :]
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from exc


def load_kb(files: list[Path], *, strict: bool | None = None) -> KnowledgeBase:
    """Load the knowledge base every command reads, with :func:`graphkit.load`.

    YAML files, directories and RDF exports (by suffix); ``strict`` as in :func:`graphkit.load`.
    """
    return load(files, strict=strict)


def write_or_print(text: str | bytes, output: Path | None) -> None:
    """Write ``text`` atomically to ``output``, or to stdout (as it is) when no output is given."""
    if output is None:
        _write_stdout(text, data=True)
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
        status = code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_INVALID)
        return _flushed(status)
    except GraphkitError as exc:
        diagnostics = getattr(exc, "diagnostics", None)
        if diagnostics:
            for diagnostic in diagnostics:
                err(str(diagnostic))
        else:
            err(f"error: {exc}")
        return _flushed(EXIT_INVALID)
    except BrokenPipeError:
        return _reader_gone()
    except Exception as exc:
        if os.environ.get("GRAPHKIT_DEBUG"):
            raise
        err(
            f"internal error: {type(exc).__name__}: {exc} (rerun with GRAPHKIT_DEBUG=1 for details)"
        )
        return _flushed(EXIT_INTERNAL)
    return _flushed(EXIT_OK)


def _flushed(status: int) -> int:
    """Flush stdout: data that could not be written (a full disk) makes the command fail.

    Output is buffered, so a full disk is often found only here; exit 1 with the reason rather
    than 0 with a truncated file.
    """
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        return _reader_gone()
    except OSError as exc:
        err(f"error: cannot write to standard output: {exc.strerror or exc}")
        _drop_stdout()
        return max(status, EXIT_INVALID)
    return status


def _reader_gone() -> int:
    """The reader of a pipe went away (``graphkit export ... | head``): stop quietly.

    Exit 1 (as click does for the same error): not everything was delivered. No message: the
    reader chose to stop.
    """
    _drop_stdout()
    return EXIT_INVALID


def _drop_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush has nothing left to fail on."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # pragma: no cover - no real stdout (tests)
        pass


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
