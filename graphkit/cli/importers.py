"""Interoperability commands: import, promote, merge; STIX, GraphML, GEXF and CSV export formats."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from graphkit._fs import atomic_write
from graphkit.cli._app import EXIT_INVALID, JsonFlag, app, err, out, write_or_print
from graphkit.cli._exporters import Exporter, register_exporter
from graphkit.importers import (
    ActorMap,
    ImporterError,
    ImportResult,
    Progress,
    actors_csv,
    concatenate,
    csv_zip,
    events_csv,
    import_acled,
    import_gdelt,
    import_stix,
    merge,
    read_document,
    relations_csv,
    sources_csv,
    to_gexf,
    to_graphml,
    to_stix,
)
from graphkit.io.dump import dump_yaml
from graphkit.kb import KnowledgeBase
from graphkit.model.document import SECTIONS


def _stix(kb: KnowledgeBase, options: dict[str, object]) -> str:
    """STIX with versions: the previous bundle is the output file, the time the inputs' mtime."""
    from graphkit.importers.stix import newest_mtime

    inputs = options.get("inputs")
    paths = [str(p) for p in inputs] if isinstance(inputs, list) else []
    stix_options: dict[str, object] = {"previous": options.get("output")}
    now = newest_mtime(paths)
    if now is not None:
        stix_options["now"] = now
    return to_stix(kb, stix_options)


for _exporter in (
    Exporter("stix", ".json", _stix, "STIX 2.1 bundle (identities, relationships, reports)"),
    Exporter("graphml", ".graphml", to_graphml, "actor network as GraphML (yEd, Gephi)"),
    Exporter("gexf", ".gexf", to_gexf, "actor network as GEXF 1.2 (Gephi)"),
    Exporter(
        "gexf-1.3",
        ".gexf",
        lambda kb, options: to_gexf(kb, {"version": "1.3"}),
        "actor network as GEXF 1.3 (Gephi 0.9+)",
    ),
    Exporter("csv", ".zip", csv_zip, "zip of sources, actors, events and relations CSV tables"),
    Exporter("csv-sources", ".csv", sources_csv, "one CSV row per source"),
    Exporter("csv-actors", ".csv", actors_csv, "one CSV row per actor"),
    Exporter("csv-events", ".csv", events_csv, "one CSV row per event"),
    Exporter("csv-relations", ".csv", relations_csv, "one CSV row per relation"),
):
    register_exporter(_exporter)


class Kind(StrEnum):
    """What an input file holds."""

    gdelt = "gdelt"
    acled = "acled"
    stix = "stix"


class OnErrorChoice(StrEnum):
    """What to do with a malformed row."""

    skip = "skip"
    fail = "fail"


@contextmanager
def _progress(enabled: bool) -> Iterator[Progress | None]:
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("importing", total=None)

        def update(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        yield update


@app.command("import")
def import_command(
    kind: Annotated[Kind, typer.Argument(help="Input format: gdelt, acled or stix.")],
    files: Annotated[list[Path], typer.Argument(help="Input files (one import).", readable=False)],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write the YAML here (atomically).", readable=False),
    ] = None,
    actors: Annotated[
        Path | None,
        typer.Option(
            "--actors",
            help="YAML map of dataset codes/names to curated actor ids.",
            readable=False,
        ),
    ] = None,
    kb_files: Annotated[
        list[Path] | None,
        typer.Option(
            "--kb",
            help="Curated knowledge base: records already in it are left out, mapped actor ids "
            "are checked, and the output is validated together with it.",
            readable=False,
        ),
    ] = None,
    on_error: Annotated[
        OnErrorChoice, typer.Option("--on-error", help="Malformed rows: skip (report) or fail.")
    ] = OnErrorChoice.skip,
    show_progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Progress bar on a terminal.")
    ] = True,
    json_output: JsonFlag = False,
) -> None:
    """Import GDELT, ACLED or STIX files as machine-coded facts into a graphkit YAML file.

    Malformed rows are listed on stderr with file:line and counted at the end; with
    --on-error fail the first one stops the import (exit 1). Importing the same files again
    gives the same output.
    """
    actor_map = ActorMap.load(actors) if actors is not None else ActorMap()
    curated = [read_document(p) for p in kb_files or []]
    known = {i.id for d in curated for s in SECTIONS for i in getattr(d, s)}
    with _progress(show_progress and not json_output) as progress:
        result: ImportResult
        if kind is Kind.gdelt:
            result = import_gdelt(
                files,
                on_error=on_error.value,
                actor_map=actor_map,
                known_ids=known,
                progress=progress,
            )
        elif kind is Kind.acled:
            result = import_acled(
                files,
                on_error=on_error.value,
                actor_map=actor_map,
                known_ids=known,
                progress=progress,
            )
        else:
            result = import_stix(files, actor_map=actor_map, known_ids=known)
    missing = sorted(result.external_actors - known)
    if curated:
        if missing:
            raise ImporterError(
                f"actor map points at ids not in the curated knowledge base: {', '.join(missing)}"
            )
        KnowledgeBase.from_document(concatenate([*curated, result.document]))
    elif result.external_actors:
        err(
            "note: the output refers to curated actors "
            f"{', '.join(sorted(result.external_actors))}; load it together with the curated "
            "file (or pass --kb to check)"
        )
    else:
        KnowledgeBase.from_document(result.document)
    for problem in result.problems:
        err(f"{problem}")
    text = dump_yaml(
        result.document,
        header=f"Imported by graphkit from {kind.value}: {', '.join(str(f) for f in files)}\n"
        "Machine-coded facts: review them, then 'graphkit promote' the ones to keep.",
    )
    summary = result.summary()
    if output is None and not json_output:
        out(text)
    elif output is not None:
        atomic_write(output, text)
    err(
        f"{summary['rows']} rows read: {summary['events']} events, {summary['relations']} "
        f"relations, {summary['actors']} actors, {summary['sources']} sources; "
        f"{summary['skipped']} malformed rows skipped, {summary['duplicates']} duplicate records, "
        f"{summary['already_curated']} already curated"
        + (f"; wrote {output}" if output is not None else "")
    )
    if json_output:
        out(json.dumps(summary, indent=2, ensure_ascii=False))


@app.command("promote")
def promote_command(
    imported: Annotated[
        Path, typer.Argument(help="The imported (machine-coded) YAML file.", readable=False)
    ],
    ids: Annotated[list[str], typer.Argument(help="Ids of the records to promote.")],
    into: Annotated[
        Path, typer.Option("--into", help="The curated YAML file to add them to.", readable=False)
    ],
    json_output: JsonFlag = False,
) -> None:
    """Move reviewed records (and the actors/sources they need) into a curated file.

    The chosen records get provenance.reviewed: true and leave the imported file. Both files are
    validated before either is written, and written as one change: an interrupted promote is
    finished by running it again. Concurrent promotes wait for each other.
    """
    from graphkit.importers.promotion import promote_files

    def waiting(folder: Path) -> None:
        err(f"waiting for another graphkit promote that is writing in {folder}")

    result = promote_files(imported, into, ids, waiting=waiting)
    report = {
        "promoted": result.promoted,
        "brought_along": result.brought,
        "already_curated": result.already,
        "cleared_from_imported": result.cleared,
    }
    err(
        f"promoted {len(result.promoted)} record(s) into {into}"
        + (f", with {', '.join(result.brought)}" if result.brought else "")
        + (f"; already there: {', '.join(result.already)}" if result.already else "")
        + (
            f"; removed from {imported} (already curated): {', '.join(result.cleared)}"
            if result.cleared
            else ""
        )
    )
    if json_output:
        out(json.dumps(report, indent=2))


@app.command("merge")
def merge_command(
    files: Annotated[
        list[Path], typer.Argument(help="Knowledge base files, base first.", readable=False)
    ],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write the merged YAML here.", readable=False),
    ] = None,
    json_output: JsonFlag = False,
) -> None:
    """Merge knowledge bases, keeping every conflicting claim and reporting each one.

    Same id and content: kept once. Same event with other quantities: quantities appended with
    their sources. Other clashes: the later item is kept as ID~2 with a note. Exit 0 when the
    merged result is valid (conflicts are reported on stderr and in --json).
    """
    if len(files) < 2:
        err("error: merge needs at least two files")
        raise typer.Exit(EXIT_INVALID)
    documents = [read_document(f) for f in files]
    result = merge(documents, [str(f) for f in files])
    KnowledgeBase.from_document(result.document)
    for note in result.notes:
        err(str(note))
    counts = result.counts()
    err(
        "merged "
        + ", ".join(str(f) for f in files)
        + (": " + ", ".join(f"{n} {c}" for c, n in sorted(counts.items())) if counts else "")
    )
    text = dump_yaml(result.document, header=f"Merged by graphkit from {len(files)} files")
    if json_output:
        if output is not None:
            atomic_write(output, text)
        out(json.dumps({"counts": counts, "notes": [n.to_dict() for n in result.notes]}, indent=2))
    else:
        write_or_print(text, output)


__all__ = ["import_command", "merge_command", "promote_command"]
