"""RDF commands: export (every registered format), sparql, push; ``validate --rdf`` support."""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from graphkit.cli._app import (
    DEFAULT_BASE,
    EXIT_INVALID,
    EXIT_USAGE,
    BaseOption,
    Files,
    app,
    err,
    load_kb,
    out,
    rdf_base,
    write_or_print,
)
from graphkit.cli._exporters import Exporter, exporters, register_exporter
from graphkit.kb import RDF_SUFFIXES, KnowledgeBase

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["export", "push", "sparql", "validate_rdf"]


#: The default of --timeout (``graphkit.rdf.endpoint.DEFAULT_TIMEOUT``, repeated so the CLI
#: starts without importing the HTTP layer).
DEFAULT_TIMEOUT = 600.0
#: The default of push --batch-size (``graphkit.rdf.endpoint.DEFAULT_BATCH_SIZE``, repeated
#: for the same reason; a test checks the two agree).
DEFAULT_BATCH_SIZE = 100_000
Timeout = Annotated[
    float,
    typer.Option(
        "--timeout",
        min=0.001,
        help="Seconds the whole exchange with the server may take, however slowly it answers.",
    ),
]


def _rdf_options(kb: KnowledgeBase, options: dict[str, object]) -> tuple[str, str | None]:
    """The base IRI (--base, else the file's ``base:``, else the default) and --graph."""
    base, graph = options.get("base"), options.get("graph")
    return rdf_base(str(base) if base else None, kb), (str(graph) if graph else None)


def _rdf_writer(fmt: str) -> Callable[[KnowledgeBase, dict[str, object]], str]:
    def write(kb: KnowledgeBase, options: dict[str, object]) -> str:
        from graphkit.rdf import serialize

        base, graph = _rdf_options(kb, options)
        return serialize(kb, fmt, base=base, graph=graph)

    return write


def _rdf_stream(fmt: str) -> Callable[[KnowledgeBase, dict[str, object], TextIO], None]:
    def stream(kb: KnowledgeBase, options: dict[str, object], out: TextIO) -> None:
        from graphkit.rdf import write_rdf

        base, graph = _rdf_options(kb, options)
        write_rdf(kb, fmt, out, base=base, graph=graph)

    return stream


def _yaml_writer(kb: KnowledgeBase, options: dict[str, object]) -> str:
    from graphkit.io.dump import dump_yaml

    return dump_yaml(kb.document)


for _name, _suffix, _help in (
    ("turtle", ".ttl", "RDF Turtle (SEM, OWL-Time, PROV-O, schema.org; docs/rdf.md)"),
    ("nt", ".nt", "RDF N-Triples"),
    ("nq", ".nq", "RDF N-Quads (the knowledge base in the named graph <base>, or --graph)"),
    ("json-ld", ".jsonld", "RDF JSON-LD"),
    ("trig", ".trig", "RDF TriG (the knowledge base in the named graph <base>, or --graph)"),
    ("xml", ".rdf", "RDF/XML"),
):
    register_exporter(
        Exporter(_name, _suffix, _rdf_writer(_name), _help, stream=_rdf_stream(_name))
    )
register_exporter(Exporter("yaml", ".yaml", _yaml_writer, "graphkit YAML (docs/format.md)"))


@app.command()
def export(
    files: Files,
    format: Annotated[  # noqa: A002 - the option is called --format
        str,
        typer.Option(
            "--format",
            "-f",
            help="Output format: turtle, json-ld, nt, nq, xml, trig, yaml or any other registered "
            "exporter (an unknown name lists them all).",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Write to this file (atomically); with --split, a folder.",
            readable=False,
        ),
    ] = None,
    base: BaseOption = None,
    graph: Annotated[
        str | None,
        typer.Option("--graph", help="Named graph IRI of nq and trig output (default: the base)."),
    ] = None,
    split: Annotated[
        int | None,
        typer.Option(
            "--split",
            min=1,
            metavar="N",
            help="nt or nq only: write files of about N triples each (part-00001.nt, ...) into "
            "the folder -o, for a bulk loader to take in parallel.",
        ),
    ] = None,
    excel: Annotated[
        bool,
        typer.Option(
            "--excel",
            help="CSV formats: a UTF-8 byte-order mark and CR LF line ends, for spreadsheets.",
        ),
    ] = False,
) -> None:
    """Write a knowledge base (YAML or RDF files) in another format, to stdout or -o FILE.

    RDF formats are written an item at a time (constant memory, whatever the size).
    """
    registry = exporters()
    exporter = registry.get(format)
    if exporter is None:
        names = ", ".join(sorted(registry))
        err(f"error: unknown format {format!r} (available: {names})")
        raise typer.Exit(EXIT_USAGE)
    if excel and not format.startswith("csv"):
        err(f"error: --excel applies to the csv formats, not {format!r}")
        raise typer.Exit(EXIT_USAGE)
    from graphkit.rdf.iri import check_base, check_iri

    if base is not None:
        check_base(base)
    if graph is not None:
        check_iri(graph, what="graph IRI")
    if split is not None:
        _export_split(files, format, output, split, base, graph)
        return
    options: dict[str, object] = {
        "base": base,
        "graph": graph,
        "output": output,
        "inputs": files,
        "excel": excel,
    }
    if exporter.stream is not None:
        kb = load_kb(files)
        if output is None:
            try:
                exporter.stream(kb, options, sys.stdout)
            except BrokenPipeError:
                raise  # the reader went away (| head): the command ends quietly
            except OSError as exc:  # a full disk behind stdout: say so, exit 1
                from graphkit.errors import OutputError

                raise OutputError(
                    f"cannot write to standard output: {exc.strerror or exc}"
                ) from exc
            return
        from graphkit._fs import atomic_open

        with atomic_open(output) as handle:
            exporter.stream(kb, options, handle)
        err(f"wrote {output}")
        return
    content = exporter.write(load_kb(files), options)
    write_or_print(content, output)


def _export_split(
    files: list[Path], fmt: str, folder: Path | None, size: int, base: str | None, graph: str | None
) -> None:
    from graphkit.rdf.export import SPLIT_FORMATS, write_split

    if fmt not in SPLIT_FORMATS:
        err(f"error: --split writes {' or '.join(SPLIT_FORMATS)}, not {fmt!r}")
        raise typer.Exit(EXIT_USAGE)
    if folder is None:
        err("error: --split needs -o FOLDER (the files go there)")
        raise typer.Exit(EXIT_USAGE)
    kb = load_kb(files)
    paths = write_split(kb, folder, size, format=fmt, base=rdf_base(base, kb), graph=graph)
    plural = "s" if len(paths) != 1 else ""
    err(f"wrote {len(paths)} file{plural} of about {size:,} triples each to {folder}")


def _read_query(text: str) -> str:
    if text.startswith("@"):
        from graphkit._fs import read_regular
        from graphkit.rdf.sparql import SparqlError

        path = Path(text[1:])
        try:
            return read_regular(path).decode("utf-8")
        except OSError as exc:
            raise SparqlError(f"cannot read query file {path}: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise SparqlError(f"query file {path} is not UTF-8 text ({exc.reason})") from exc
    return text


@app.command()
def sparql(
    query: Annotated[str, typer.Argument(help="A SPARQL query, or @FILE to read it from a file.")],
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="YAML or RDF files to query (not with --endpoint).", readable=False),
    ] = None,
    endpoint: Annotated[
        str | None, typer.Option("--endpoint", help="SPARQL query endpoint URL to query instead.")
    ] = None,
    result_format: Annotated[
        str, typer.Option("--format", help="table, csv or json (SPARQL JSON results).")
    ] = "table",
    bind: Annotated[
        list[str] | None,
        typer.Option(
            "--bind",
            help="NAME=VALUE parameter (repeatable): actor:ID, event:ID, <IRI>, 2024-10-01, 42, "
            "VALUE^^xsd:TYPE or text. Bound as terms, never spliced into the query.",
        ),
    ] = None,
    base: BaseOption = None,
    timeout: Timeout = DEFAULT_TIMEOUT,
) -> None:
    """Run a SPARQL query on local files (YAML or RDF) or a remote endpoint.

    A variable the query uses (in a FILTER, an expression, the result) that nothing binds, and a
    bound IRI that no triple of the local data mentions, are reported on stderr as warnings:
    they are the usual reasons for "(0 rows)".
    """
    from graphkit.rdf.sparql import (
        format_result,
        parse_binding,
        query_graph,
        unbound_variables,
        unknown_iris,
    )

    if result_format not in ("table", "csv", "json"):
        err(f"error: unknown --format {result_format!r} (expected table, csv or json)")
        raise typer.Exit(EXIT_USAGE)
    if (endpoint is None) == (not files):
        err("error: give FILE... to query local files, or --endpoint URL (not both)")
        raise typer.Exit(EXIT_USAGE)
    text = _read_query(query)
    yaml_files = [f for f in files or [] if f.suffix.lower() not in RDF_SUFFIXES or f.is_dir()]
    kb = load_kb(yaml_files) if yaml_files else None
    if base is None:
        base = kb.document.base if kb is not None and kb.document.base else DEFAULT_BASE
    bindings = dict(parse_binding(b, base=base) for b in bind or [])
    for name in bindings:
        if not re.search(rf"[?$]{re.escape(str(name))}\b", text):
            err(f"error: --bind {name}: the query has no variable ?{name}")
            raise typer.Exit(EXIT_USAGE)
    for name in unbound_variables(text, bindings):
        err(
            f"warning: ?{name} is used by the query but nothing binds it (a comparison with "
            f"an unbound variable is never true); give it a value with --bind {name}=VALUE"
        )
    if endpoint is not None:
        from graphkit.rdf.endpoint import query_endpoint

        result = query_endpoint(endpoint, text, bindings, timeout=timeout)
    else:
        graph = _local_graph(files or [], base, kb)
        for name, iri, hint in unknown_iris(graph, bindings):
            more = f" ({hint})" if hint else ""
            err(f"warning: --bind {name}: <{iri}> names nothing in the data{more}")
        result = query_graph(graph, text, bindings)
    out(format_result(result, result_format))
    if result.form == "select" and not result.rows:
        err("no rows")


def _local_graph(files: list[Path], base: str, kb: KnowledgeBase | None) -> Graph:
    """RDF files are queried as written; YAML files (``kb``) are exported first under ``base``."""
    from rdflib import Graph, URIRef

    from graphkit.rdf import to_rdf
    from graphkit.rdf.export import _to_node
    from graphkit.rdf.read import RDF_SUFFIXES, read_triples

    rdf = [f for f in files if f.suffix.lower() in RDF_SUFFIXES and not f.is_dir()]
    graph = to_rdf(kb, base=base) if kb is not None else Graph()
    cache: dict[str, object] = {}
    for path in rdf:
        for s, p, o in read_triples(path):
            graph.add((URIRef(s), URIRef(p), _to_node(o, cache)))  # type: ignore[arg-type]
    return graph


@app.command()
def push(
    files: Files,
    endpoint: Annotated[
        str,
        typer.Option(
            "--endpoint",
            help="SPARQL 1.1 Graph Store endpoint URL (Oxigraph: http://HOST:7878/store).",
        ),
    ],
    graph: Annotated[
        str | None, typer.Option("--graph", help="Named graph IRI (default: the default graph).")
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help="Replace the graph (the first batch is a PUT) instead of adding."
        ),
    ] = False,
    batch_size: Annotated[
        int,
        typer.Option(
            "--batch-size", min=1, metavar="N", help="Triples per request (default 100,000)."
        ),
    ] = DEFAULT_BATCH_SIZE,
    checkpoint: Annotated[
        Path | None,
        typer.Option(
            "--checkpoint",
            metavar="FILE",
            help="Record acknowledged batches in FILE; a rerun after an interruption skips "
            "them (removed when the push completes).",
        ),
    ] = None,
    bulk: Annotated[
        bool,
        typer.Option(
            "--bulk",
            help="Oxigraph only: load each batch with its bulk loader (adds no_transaction to "
            "the URL), about twice as fast; a batch is then not atomic. For a first load into "
            "a server no one else writes to.",
        ),
    ] = False,
    base: BaseOption = None,
    timeout: Timeout = DEFAULT_TIMEOUT,
) -> None:
    """Upload a knowledge base to a SPARQL server in batches (credentials: environment, ~/.netrc).

    Credentials go only to the endpoint's origin; a redirect is refused (exit 1, nothing stored
    by that batch). Pushing twice adds nothing (every IRI is minted from ids), so an interrupted
    push is completed by running it again; with --checkpoint the rerun skips what was
    acknowledged. --timeout applies to each batch. Each batch is one transaction on the
    server; --bulk (Oxigraph) trades that for speed, keeping every other guarantee.
    """
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from graphkit.rdf.endpoint import push as push_kb
    from graphkit.rdf.export import item_count

    kb = load_kb(files)
    total = item_count(kb)
    console = Console(stderr=True)
    started = time.perf_counter()
    shown = [started]

    def report(items: int, triples: int) -> None:  # no terminal: a line every 5 s
        now = time.perf_counter()
        if now - shown[0] >= 5 or items == total:
            shown[0] = now
            rate = triples / (now - started) if now > started else 0.0
            err(
                f"pushed {items:,}/{total:,} items ({items / total:.0%}), {triples:,} triples, "
                f"{rate:,.0f} triples/s"
            )

    with Progress(
        TextColumn("uploading"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} items, {task.fields[triples]:,} triples"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task("push", total=total, triples=0)

        def advance(items: int, triples: int) -> None:
            if console.is_terminal:
                progress.update(task, completed=items, triples=triples)
            else:
                report(items, triples)

        result = push_kb(
            kb,
            endpoint,
            graph=graph,
            replace=replace,
            base=rdf_base(base, kb),
            progress=advance,
            batch_size=batch_size,
            checkpoint=checkpoint,
            timeout=timeout,
            bulk=bulk,
        )
    where = f"graph <{graph}>" if graph else "the default graph"
    verb = "replaced" if replace else "added to"
    resumed = (
        f"; {result.skipped:,} triples acknowledged before, per {checkpoint}, not sent again"
        if result.skipped
        else ""
    )
    err(
        f"{verb} {where} at {endpoint}: {result.triples:,} triples in {result.batches:,} "
        f"batch{'es' if result.batches != 1 else ''}, {result.seconds:.2f}s "
        f"({result.rate:,.0f} triples/s){resumed}"
    )


def validate_rdf(files: list[Path], json_output: bool = False, inference: str = "none") -> None:
    """Run ``graphkit validate --rdf FILE...``: check RDF files against the SHACL shapes.

    YAML files are exported to RDF first. Each result is printed to stderr as
    ``file: focus path: message (value: ...)`` (warnings prefixed ``warning:``); exit 1 on any
    violation (warnings alone exit 0).
    """
    from graphkit.rdf import to_rdf
    from graphkit.rdf.read import RDF_SUFFIXES
    from graphkit.rdf.shacl import INFERENCE, Inference, Violation, validate_file, validate_graph

    if inference not in INFERENCE:
        err(f"error: unknown --inference {inference!r} (expected {', '.join(INFERENCE)})")
        raise typer.Exit(EXIT_USAGE)
    mode: Inference = "rdfs" if inference == "rdfs" else "none"
    found: list[tuple[str, Violation]] = []
    for path in files:
        if path.suffix.lower() in RDF_SUFFIXES:
            violations = validate_file(path, inference=mode)
        else:
            violations = validate_graph(to_rdf(load_kb([path])), inference=mode)
        found.extend((str(path), v) for v in violations)
    errors = [(f, v) for f, v in found if v.severity != "Warning"]
    warnings = [(f, v) for f, v in found if v.severity == "Warning"]
    if json_output:
        out(
            json.dumps(
                {
                    "valid": not errors,
                    "violations": [{"file": f, **v.to_dict()} for f, v in found],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    for file, violation in errors:
        err(f"{file}: {violation}")
    for file, violation in warnings:
        err(f"{file}: warning: {violation}")
    if warnings:
        count = len(warnings)
        err(f"{count} SHACL warning{'s' if count != 1 else ''}")
    if errors:
        count = len(errors)
        err(f"{count} SHACL violation{'s' if count != 1 else ''}")
        raise typer.Exit(EXIT_INVALID)
    names = ", ".join(str(f) for f in files)
    err(f"ok: {names} conform{'s' if len(files) == 1 else ''} to the graphkit shapes")
