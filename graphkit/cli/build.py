"""The main job: ``graphkit build FILES -o DIR`` loads once and writes what an analyst opens.

One process, one load (the separate commands would each load the files again):

1. load and validate (every problem located, exit 1), print the summary, write ``summary.json``;
2. ``kb.ttl`` and ``kb.nt`` (:func:`graphkit.rdf.write_rdf_files`, one pass over the triples),
   then ``lint.txt`` (:mod:`graphkit.lint`);
3. ``escalations.txt`` (:func:`graphkit.escalations`, each step with its evidence);
4. ``paths.txt``: the paths (k shortest, up to 4 hops) between the most central actors;
5. ``timeline.html`` and ``report.html`` (summary, the same timeline, network, map, escalations).

With ``--jobs 2`` (the default where ``fork`` exists) step 2 runs in a forked worker while the
parent does steps 3-5 (the two take about as long): the worker shares the loaded knowledge base
copy-on-write (the loader froze it in the garbage collector, so neither side's collections touch
its pages). If either side fails, the other is stopped and the exit code is non-zero. Timings of
each step go to stderr.

The files are written into a hidden staging folder inside the output folder and moved into place
(one rename each) only when all are written (:func:`graphkit._transaction.staged_folder`): a
build that fails (a full disk) or is killed leaves the previous outputs whole; one stopped while
moving leaves :data:`INCOMPLETE` in the folder.
"""

from __future__ import annotations

import ctypes
import json
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from graphkit._fs import atomic_write
from graphkit._transaction import staged_folder
from graphkit.cli._app import (
    DEFAULT_BASE,
    EXIT_INTERNAL,
    EXIT_INVALID,
    BaseOption,
    Files,
    app,
    err,
    load_kb,
    out,
    rdf_base,
)
from graphkit.cli.core import print_load_error, summary_text
from graphkit.errors import GraphkitError, LoadError, NoPathError

if TYPE_CHECKING:
    from multiprocessing.context import ForkProcess

    from graphkit.kb import KnowledgeBase

__all__ = ["INCOMPLETE", "build", "central_paths_text"]

#: The file a build leaves in its folder while it moves its new files in (and if it is stopped
#: then): the folder mixes two builds.
INCOMPLETE = "BUILD-INCOMPLETE.txt"


@contextmanager
def _step(name: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    err(f"  {name:<18} {time.perf_counter() - start:6.2f} s")


def central_paths_text(kb: KnowledgeBase, n: int, *, k: int = 3, max_hops: int = 4) -> str:
    """The ``k`` shortest paths between each ordered pair of the ``n`` most central actors.

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.load("data/events.yaml")
        >>> text = central_paths_text(kb, 2, k=1)
        >>> text.startswith("# paths between the 2 most central actors")
        True
    """
    from graphkit.query.neighbours import most_central
    from graphkit.query.paths import paths

    actors = [actor for actor, _ in most_central(kb, n=n)]
    lines = [
        f"# paths between the {len(actors)} most central actors (by degree): "
        f"{', '.join(actors)}; k={k}, at most {max_hops} hops",
        "",
    ]
    for source in actors:
        for target in actors:
            if source == target:
                continue
            lines.append(f"## {source} -> {target}")
            try:
                lines.append(str(paths(kb, source, target, k=k, max_hops=max_hops)))
            except NoPathError as exc:
                lines.append(f"no path: {exc}")
            lines.append("")
    return "\n".join(lines)


def _rdf_files(kb: KnowledgeBase, folder: Path, base: str) -> None:
    from graphkit.rdf import write_rdf_files

    count = write_rdf_files(kb, {"turtle": folder / "kb.ttl", "nt": folder / "kb.nt"}, base=base)
    err(f"wrote kb.ttl and kb.nt ({count:,} triples)")


def _lint_file(kb: KnowledgeBase, folder: Path) -> int:
    from graphkit.lint import lint

    findings = lint(kb)
    atomic_write(folder / "lint.txt", "".join(f"{f}\n" for f in findings))
    return len(findings)


def _second_lane(kb: KnowledgeBase, folder: Path, base: str) -> int:
    """The outputs of the second process: ``kb.ttl`` + ``kb.nt``, then ``lint.txt``.

    Neither is needed by the other outputs; lint goes here to balance the two processes (the
    RDF files take about as long as the parent's steps without it). Returns the lint count.
    """
    with _step("kb.ttl + kb.nt"):
        _rdf_files(kb, folder, base)
    with _step("lint"):
        return _lint_file(kb, folder)


def _worker(job: Callable[[], int], conn: Connection, parent: int) -> None:
    """Run ``job`` in the forked process; send its result or the error text, then exit."""
    # terminate() from the parent: unwind, so atomic writers remove their temporary files.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(EXIT_INTERNAL))
    _die_with(parent)
    try:
        result = job()
    except GraphkitError as exc:
        conn.send(("failed", f"error: {exc}"))
        sys.exit(EXIT_INVALID)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which exits non-zero
        conn.send(("failed", f"internal error: {type(exc).__name__}: {exc}"))
        sys.exit(EXIT_INTERNAL)
    conn.send(("done", result))


#: ``prctl`` option: the signal a process gets when its parent dies (Linux).
_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """Stop this worker (SIGTERM, so it unwinds) when the build that forked it dies.

    A build killed with ``kill -9`` would otherwise leave its worker writing the RDF files into
    a staging folder no one will use (and holding it, so the next build cannot remove it).
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    if os.getppid() != parent:  # the parent died before the request was made
        sys.exit(EXIT_INTERNAL)


class _Background:
    """A job in a forked process (or inline when ``jobs`` is 1 or fork is unavailable)."""

    def __init__(self, job: Callable[[], int], *, jobs: int) -> None:
        self.job = job
        self.process: ForkProcess | None = None
        self.conn: Connection | None = None
        if jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            self.conn, child = context.Pipe(duplex=False)
            sys.stdout.flush()
            sys.stderr.flush()
            self.process = context.Process(
                target=_worker, args=(job, child, os.getpid()), daemon=True
            )
            self.process.start()
            child.close()

    def finish(self) -> int:
        """Wait for the job (or run it now) and return its result; raise if it failed."""
        if self.process is None:
            return self.job()
        assert self.conn is not None
        try:
            status, value = self.conn.recv()
        except EOFError:  # the worker died without a word (killed, out of memory)
            status, value = "failed", None
        self.process.join()
        code = self.process.exitcode
        if status != "done" or code != 0:
            err(value or f"internal error: the RDF worker exited with code {code}")
            raise typer.Exit(EXIT_INVALID if code == EXIT_INVALID else EXIT_INTERNAL)
        return int(value)

    def stop(self) -> None:
        """Stop the worker (the parent failed); its temporary files are removed."""
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()


def _run(
    kb: KnowledgeBase,
    folder: Path,
    *,
    n_paths: int,
    cdn: bool,
    rdf_note: str,
    title: str | None = None,
    subtitle: str | None = None,
) -> int:
    """Steps 3-5 (module docstring), in the parent process; returns the escalation steps."""
    from graphkit.query.escalation import escalation_scan
    from graphkit.render.html import write_html
    from graphkit.render.report import report
    from graphkit.render.timeline import timeline

    with _step("graph"):
        kb.graph  # noqa: B018 - built once here, used by the steps below
    with _step("escalations"):
        scan = escalation_scan(kb)  # one scan: the index below reuses what the steps computed
        steps = scan.steps()
        atomic_write(folder / "escalations.txt", f"{steps}\n" if steps else "")
    if n_paths > 1:
        with _step("paths"):
            atomic_write(folder / "paths.txt", central_paths_text(kb, n_paths) + "\n")
    with _step("escalation index"):
        index = scan.index(freq="week")
    with _step("timeline.html"):
        figure = timeline(kb, escalation=index, title=title, subtitle=subtitle)
        write_html(figure, folder / "timeline.html", cdn=cdn)
    with _step("report.html"):
        page = report(
            kb,
            escalation=index,
            steps=steps,
            cdn=cdn,
            timeline_figure=figure,
            title=title,
            subtitle=subtitle,
            notes=[rdf_note],
        )
        atomic_write(folder / "report.html", page)
    return len(steps)


@app.command()
def build(
    files: Files,
    output: Annotated[
        Path,
        typer.Option(
            "-o", "--output", help="Folder for the outputs (created if needed).", readable=False
        ),
    ] = Path("out"),
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", min=1, help="Processes: 2 writes the RDF files in parallel; 1 in line."
        ),
    ] = 2,
    n_paths: Annotated[
        int,
        typer.Option("--paths", min=0, help="Paths among this many most central actors (0: none)."),
    ] = 5,
    base: BaseOption = None,
    cdn: Annotated[
        bool, typer.Option("--cdn", help="Load plotly.js from its CDN (smaller HTML files).")
    ] = False,
    title: Annotated[
        str | None, typer.Option("--title", help="Heading of the timeline and the report.")
    ] = None,
    subtitle: Annotated[
        str | None, typer.Option("--subtitle", help="A line under the heading.")
    ] = None,
) -> None:
    """Run the main job: validate, summarise, lint, escalations, paths, report, timeline, RDF."""
    from graphkit.rdf.iri import check_base

    if base is not None:
        check_base(base)
    started = time.perf_counter()
    try:
        with _step("load"):
            kb = load_kb(files)
    except LoadError as exc:
        print_load_error(exc)
        raise typer.Exit(EXIT_INVALID) from None
    summary = kb.summary()
    out(summary_text(summary))
    chosen = rdf_base(base, kb)
    rdf_note = f"RDF (kb.ttl, kb.nt) under the base IRI {chosen}" + (
        " (the example default: set your own with --base or 'base:' in the file)"
        if chosen == DEFAULT_BASE and not (base or kb.document.base)
        else ""
    )
    note = (
        f"graphkit build was moving new files into this folder ({time.strftime('%Y-%m-%d %H:%M')})"
        " and was stopped: it mixes files of two builds. Run graphkit build again.\n"
    )
    with staged_folder(output, INCOMPLETE, note) as stage:
        summary_json = json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
        atomic_write(stage / "summary.json", summary_json)
        background = _Background(lambda: _second_lane(kb, stage, chosen), jobs=jobs)
        try:
            n_steps = _run(
                kb,
                stage,
                n_paths=n_paths,
                cdn=cdn,
                rdf_note=rdf_note,
                title=title,
                subtitle=subtitle,
            )
        except BaseException:
            background.stop()
            raise
        findings = background.finish()
    err(
        f"{findings} lint finding{'s' if findings != 1 else ''}, "
        f"{n_steps} escalation step{'s' if n_steps != 1 else ''}"
    )
    err(f"done in {time.perf_counter() - started:.1f} s: open {output / 'report.html'}")
