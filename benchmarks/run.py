"""Benchmark suite: each stage at each size, beside baselines measured in the same run.

Usage (from the repository root)::

    python -m benchmarks.run          # 1,000 / 10,000 / 100,000 / 1,000,000 events: the docs table
    python -m benchmarks.run --sizes 1000,10000,100000    # without the million (about 30 min)
    python -m benchmarks.run --sizes 1000,10000 --repeat 5
    python -m benchmarks.run --quick                    # 1,000 events, 2 repeats, forked (< 30 s)
    python -m benchmarks.run --quick --out /tmp/bench   # results and table under /tmp/bench

Every measurement runs in a fresh subprocess (``--worker``), so loads are cold (no warm caches,
no memo of an earlier repeat) and each has its own peak resident memory (``ru_maxrss``, which
includes the interpreter and the stage's setup, e.g. the loaded knowledge base for graph
stages), and, on Linux, the memory the timed call added above its setup (the peak is reset
before the call). ``--quick`` (a smoke run, as CI's test does) forks each measurement from
one process that has imported graphkit instead (``--fork``): still cold, without an
interpreter start and imports per cell. Each stage is timed ``--repeat`` times (once at a
million events and more: ``--once-from``); the table gives median, min and max. On a shared
machine, ``--min-free-gb`` waits for that much available memory before each measurement at a
million events.

Stages live in :data:`STAGES`, a registry of functions. A stage whose code is not there yet
(another package still being written, or ``benchmarks/rdf_export.py`` /
``benchmarks/timeline_bench.py`` missing) reports ``not available`` instead of failing. Such a
benchmark module provides ``bench(kb) -> object`` (or, like ``rdf_export.py``, a ``WRITERS`` dict
whose ``"graphkit"`` entry is used), called once per measurement.

Results go to ``<out>/<date>-<machine>.json``; a Markdown table goes to ``docs/performance.md``
between the ``benchmarks:start``/``benchmarks:end`` markers (the prose around them is kept), or
to ``<out>/performance.md`` with ``--out``, and a log-log plot of time against size to
``performance.html`` beside it. ``--report RESULTS.json`` rewrites the table and plot from saved
results without measuring.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import gc
import importlib
import importlib.util
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
RESULTS = ROOT / "benchmarks" / "results"
DOC = ROOT / "docs" / "performance.md"
SEED = 1
DEFAULT_SIZES = (1_000, 10_000, 100_000, 1_000_000)


class NotAvailable(Exception):
    """Raised by a stage whose code is not (yet) in the tree."""


@dataclass(frozen=True)
class Stage:
    """A measured operation: ``setup(yaml_path, json_path)`` returns the callable to time."""

    name: str
    group: str
    label: str
    setup: Callable[[Path, Path], Callable[[], object]]
    #: The graphkit stage(s) this stage is the baseline of (a ratio each).
    baseline_of: str | tuple[str, ...] | None = None
    #: Largest size measured (a stage that would take many minutes or tens of gigabytes above).
    max_size: int | None = None


def _load_kb(path: Path) -> Any:
    import graphkit as gk

    return gk.load(path)


def _setup_gk_load(yaml_path: Path, json_path: Path) -> Callable[[], object]:
    import graphkit as gk

    return lambda: gk.load(yaml_path)


def _setup_gk_load_json(yaml_path: Path, json_path: Path) -> Callable[[], object]:
    import graphkit as gk

    return lambda: gk.load(json_path)


def _setup_precise_load(yaml_path: Path, json_path: Path) -> Callable[[], object]:
    import graphkit as gk

    os.environ["GRAPHKIT_FAST"] = "0"
    return lambda: gk.load(yaml_path)


def _setup_pyyaml(yaml_path: Path, json_path: Path) -> Callable[[], object]:
    import yaml

    from graphkit.model.document import Document

    def run() -> object:
        text = yaml_path.read_text(encoding="utf-8")
        return Document.model_validate(yaml.load(text, Loader=yaml.CSafeLoader))

    return run


def _setup_orjson(yaml_path: Path, json_path: Path) -> Callable[[], object]:
    import orjson

    from graphkit.model.document import Document

    return lambda: Document.model_validate(orjson.loads(json_path.read_bytes()))


def _setup_gk_graph(yaml_path: Path, json_path: Path) -> Callable[[], object]:
    from graphkit.graph import build_graph

    kb = _load_kb(yaml_path)
    return lambda: build_graph(kb.document, kb.vocabulary)


def _setup_nx_graph(yaml_path: Path, json_path: Path) -> Callable[[], object]:
    import networkx as nx

    kb = _load_kb(yaml_path)
    actors = [a.id for a in kb.actors]
    edges = [(r.from_, r.to, r.id) for r in kb.relations]
    edges += [(e.actor, e.target, e.id) for e in kb.events if e.actor and e.target]

    def run() -> object:
        graph = nx.MultiDiGraph()
        graph.add_nodes_from(actors)
        graph.add_edges_from(edges)
        return graph

    return run


#: Actors sampled for the path stages: every pair of them once (20 actors: 190 pairs).
PATH_ACTORS = 20
#: The path stages ask for this many paths of at most this many hops.
PATH_K, PATH_HOPS = 5, 4


def _endpoints(kb: Any) -> list[tuple[str, str]]:
    """Fixed actor pairs for the path stages, drawn with :data:`SEED` from the actor graph.

    First the actor with the fewest successors, then actors drawn at random, then the three
    actors farthest from the first one (unreachable ones first); each pair once, the earlier
    actor as the source. So the sample holds near pairs, far pairs and, when the graph has
    them, pairs with no path within :data:`PATH_HOPS` hops.
    """
    import random

    import networkx as nx

    graph = kb.graph
    actors = sorted(graph)
    first = min(actors, key=lambda actor: (len(graph.succ[actor]), actor))
    hops = nx.single_source_shortest_path_length(graph, first)
    far = sorted(actors, key=lambda actor: (-hops.get(actor, len(actors)), actor))[:3]
    rest = sorted(set(actors) - {first, *far})
    drawn = sorted(random.Random(SEED).sample(rest, min(PATH_ACTORS - 4, len(rest))))
    chosen = [first, *drawn, *far]
    return [(a, b) for i, a in enumerate(chosen) for b in chosen[i + 1 :]]


def _paths_setup(*, explained: bool) -> Callable[[Path, Path], Callable[[], object]]:
    """The k-path stage, and with ``explained`` every path printed too.

    A path's evidence is built when first read, so the printed stage is what a reader of every
    answer pays.
    """

    def setup(yaml_path: Path, json_path: Path) -> Callable[[], object]:
        try:
            from graphkit.query.paths import paths
        except ImportError as exc:
            raise NotAvailable(str(exc)) from exc
        from graphkit.errors import NoPathError

        kb = _load_kb(yaml_path)
        pairs = _endpoints(kb)  # builds kb.graph outside the timing, as the baseline's graph is

        def run() -> object:
            found = []
            for a, b in pairs:
                try:
                    result = paths(kb, a, b, k=PATH_K, max_hops=PATH_HOPS)
                except NoPathError:
                    result = []
                found.append(str(result) if explained else result)
            return found

        return run

    return setup


def _setup_nx_paths(yaml_path: Path, json_path: Path) -> Callable[[], object]:
    import networkx as nx

    kb = _load_kb(yaml_path)
    pairs = _endpoints(kb)
    simple = nx.DiGraph(kb.graph)  # the same directions: symmetric relations are edges both ways

    def run() -> object:
        found = []
        for a, b in pairs:
            shortest: list[list[str]] = []
            try:
                for path in nx.shortest_simple_paths(simple, a, b):
                    if len(path) - 1 > PATH_HOPS:
                        break
                    shortest.append(path)
                    if len(shortest) == PATH_K:
                        break
            except nx.NetworkXNoPath:
                pass
            found.append(shortest)
        return found

    return run


def _setup_shortest(yaml_path: Path, json_path: Path) -> Callable[[], object]:
    try:
        from graphkit.query.paths import paths
    except ImportError as exc:
        raise NotAvailable(str(exc)) from exc
    from graphkit.errors import NoPathError

    kb = _load_kb(yaml_path)
    pairs = _endpoints(kb)

    def run() -> object:
        found = []
        for a, b in pairs:
            try:
                found.append(paths(kb, a, b, max_hops=PATH_HOPS))
            except NoPathError:
                found.append([])
        return found

    return run


def _setup_nx_shortest(yaml_path: Path, json_path: Path) -> Callable[[], object]:
    import networkx as nx

    kb = _load_kb(yaml_path)
    pairs = _endpoints(kb)
    graph = kb.graph

    def run() -> object:
        found = []
        for a, b in pairs:
            try:
                found.append(nx.shortest_path(graph, a, b))
            except nx.NetworkXNoPath:
                found.append([])
        return found

    return run


def _setup_escalation(yaml_path: Path, json_path: Path) -> Callable[[], object]:
    try:
        from graphkit.query.escalation import escalations
    except ImportError as exc:
        raise NotAvailable(str(exc)) from exc
    kb = _load_kb(yaml_path)
    return lambda: escalations(kb)


def _setup_build(yaml_path: Path, json_path: Path) -> Callable[[], object]:
    """The README's main job, ``graphkit build FILE -o DIR``, as the command line runs it."""
    import atexit
    import shutil
    import tempfile

    from graphkit.cli import main

    folder = Path(tempfile.mkdtemp(prefix="gk-build-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)  # 1.7 GB at 100,000 events

    def run() -> object:
        code = main(["build", str(yaml_path), "-o", str(folder)])
        if code != 0:
            raise RuntimeError(f"graphkit build exited with {code}")
        return code

    return run


def _module_bench(
    filename: str, writer: str = "graphkit"
) -> Callable[[Path, Path], Callable[[], object]]:
    def setup(yaml_path: Path, json_path: Path) -> Callable[[], object]:
        path = ROOT / "benchmarks" / filename
        if not path.exists():
            raise NotAvailable(f"benchmarks/{filename} is not there yet")
        module = importlib.import_module(f"benchmarks.{path.stem}")
        bench = getattr(module, "bench", None)
        writers = getattr(module, "WRITERS", None)
        if not callable(bench) and isinstance(writers, dict):
            bench = writers.get(writer)  # benchmarks/rdf_export.py: one writer per library
        if not callable(bench):
            raise NotAvailable(f"benchmarks/{filename} has no bench(kb)")
        kb = _load_kb(yaml_path)
        return lambda: bench(kb)

    return setup


def _push_setup(name: str) -> Callable[[Path, Path], Callable[[], object]]:
    def setup(yaml_path: Path, json_path: Path) -> Callable[[], object]:
        from benchmarks import push_bench

        if push_bench.oxigraph_executable() is None:
            raise NotAvailable("the oxigraph command is missing (pip install 'graphkit[server]')")
        kb = _load_kb(yaml_path)
        return getattr(push_bench, name)(kb)  # type: ignore[no-any-return]

    return setup


STAGES: dict[str, Stage] = {
    stage.name: stage
    for stage in (
        Stage("load.graphkit", "parse + validate", "gk.load (fast path)", _setup_gk_load),
        Stage(
            "load.graphkit_json",
            "parse + validate",
            "gk.load of the JSON copy (read by orjson alone when indented as orjson writes it)",
            _setup_gk_load_json,
        ),
        Stage(
            "load.graphkit_precise",
            "parse + validate",
            "gk.load, GRAPHKIT_FAST=0 (PyYAML nodes)",
            _setup_precise_load,
            max_size=100_000,
        ),
        Stage(
            "load.pyyaml_pydantic",
            "parse + validate",
            "PyYAML CSafeLoader + Document.model_validate",
            _setup_pyyaml,
            baseline_of="load.graphkit",
            max_size=100_000,
        ),
        Stage(
            "load.orjson_pydantic",
            "parse + validate",
            "orjson (JSON copy) + Document.model_validate (floor)",
            _setup_orjson,
            baseline_of=("load.graphkit", "load.graphkit_json"),
        ),
        Stage("graph.graphkit", "graph build", "kb.graph (build_graph)", _setup_gk_graph),
        Stage(
            "graph.networkx",
            "graph build",
            "plain nx.MultiDiGraph from the same lists",
            _setup_nx_graph,
            baseline_of="graph.graphkit",
        ),
        Stage(
            "paths.graphkit",
            "path query",
            "190 actor pairs: paths(kb, a, b, k=5, max_hops=4)",
            _paths_setup(explained=False),
        ),
        Stage(
            "paths.explained",
            "path query",
            "the same, and every path printed with its evidence and sources (str)",
            _paths_setup(explained=True),
        ),
        Stage(
            "paths.networkx",
            "path query",
            "the same pairs: nx.shortest_simple_paths on nx.DiGraph(kb.graph), "
            "up to 5 paths of at most 4 hops",
            _setup_nx_paths,
            baseline_of="paths.graphkit",
        ),
        Stage(
            "paths.shortest",
            "path query",
            "the same pairs: paths(kb, a, b), one shortest path of at most 4 hops",
            _setup_shortest,
        ),
        Stage(
            "paths.networkx_shortest",
            "path query",
            "the same pairs: nx.shortest_path(kb.graph, a, b)",
            _setup_nx_shortest,
            baseline_of="paths.shortest",
        ),
        Stage("escalation.graphkit", "escalation scan", "escalations(kb)", _setup_escalation),
        Stage(
            "rdf.export",
            "RDF export",
            "write_ntriples, streamed to a file (benchmarks/rdf_export.py)",
            _module_bench("rdf_export.py"),
        ),
        Stage(
            "rdf.fstring",
            "RDF export",
            "the same N-Triples from a plain f-string writer, one write per triple",
            _module_bench("rdf_export.py", "fstring"),
            baseline_of="rdf.export",
        ),
        Stage(
            "rdf.turtle",
            "RDF export",
            "write_turtle, streamed to a file (prefixed names, @base)",
            _module_bench("rdf_export.py", "turtle"),
        ),
        Stage(
            "rdf.rdflib",
            "RDF export",
            "rdflib Graph of the same triples + serialize nt",
            _module_bench("rdf_export.py", "rdflib"),
            baseline_of="rdf.export",
            max_size=10_000,
        ),
        Stage(
            "rdf.pyoxigraph",
            "RDF export",
            "pyoxigraph terms of the same triples + serialize nt",
            _module_bench("rdf_export.py", "pyoxigraph"),
            baseline_of="rdf.export",
            max_size=100_000,
        ),
        Stage(
            "timeline.render",
            "timeline",
            "benchmarks/timeline_bench.py",
            _module_bench("timeline_bench.py"),
        ),
        Stage(
            "e2e.build",
            "end to end",
            "graphkit build FILE -o DIR (the main job, two processes; memory: the larger)",
            _setup_build,
        ),
        Stage(
            "push.graphkit",
            "SPARQL store",
            "graphkit push to a local oxigraph serve (on disk), batches of 10,000 triples",
            _push_setup("setup_push"),
            max_size=100_000,
        ),
        Stage(
            "push.graphkit_bulk",
            "SPARQL store",
            "the same to /store?no_transaction (Oxigraph's bulk loader for each batch)",
            _push_setup("setup_push_bulk"),
            max_size=100_000,
        ),
        Stage(
            "push.oxigraph_load",
            "SPARQL store",
            "oxigraph load (its bulk loader) of the same N-Triples file into an on-disk store",
            _push_setup("setup_oxigraph_load"),
            baseline_of=("push.graphkit", "push.graphkit_bulk"),
            max_size=100_000,
        ),
    )
}
#: Baselines too slow to repeat at large sizes are still measured ``--repeat`` times.
IMPORT_STAGE = "import.graphkit"


# --------------------------------------------------------------------------------------------
# Worker (one measurement in a fresh process)
# --------------------------------------------------------------------------------------------


def _worker(stage_name: str, yaml_path: Path, json_path: Path) -> dict[str, Any]:
    if stage_name == IMPORT_STAGE:
        start = time.perf_counter()
        importlib.import_module("graphkit")
        seconds = time.perf_counter() - start
        return {"status": "ok", "seconds": seconds, "peak_mb": _peak_mb()}
    stage = STAGES[stage_name]
    try:
        run = stage.setup(yaml_path, json_path)
    except NotAvailable as exc:
        return {"status": "not available", "note": str(exc)}
    gc.collect()
    setup_mb = _reset_peak()
    cpu = _cpu_seconds()
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    result: dict[str, Any] = {
        "status": "ok",
        "seconds": seconds,
        "cpu_seconds": _cpu_seconds() - cpu,
        "peak_mb": _peak_mb(),
    }
    added = _status_mb("VmHWM")
    if setup_mb is not None and added is not None:
        result["added_mb"] = max(0.0, added - setup_mb)
    return result


def _cpu_seconds() -> float:
    """CPU seconds (user + system) of this process and of its children it has waited for.

    On a shared machine a stage's wall time stretches with everyone else's work; its CPU time
    much less so. ``graphkit build``'s RDF worker is a waited-for child, so it is counted.
    """
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _peak_mb() -> float:
    """The larger peak resident set: this process's or its largest child's.

    A child is ``graphkit build``'s RDF worker, or ``oxigraph load`` (a stage's subprocess).
    """
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / scale


def _status_mb(field: str) -> float | None:
    """A memory field of /proc/self/status (``VmRSS``, ``VmHWM``) in MB; None off Linux."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _reset_peak() -> float | None:
    """Reset this process's peak resident set (Linux ``clear_refs``); return the current one.

    After the reset ``VmHWM`` measures the peak of the timed call alone, so the memory a stage
    adds above its setup (the loaded knowledge base) is ``VmHWM - VmRSS`` before the call.
    """
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
    except OSError:
        return None
    return _status_mb("VmRSS")


def _measure(
    stage: str, size: int, yaml_path: Path, json_path: Path, *, fork: bool = False
) -> dict[str, Any]:
    if fork:
        return _measure_forked(stage, yaml_path, json_path)
    command = [sys.executable, "-m", "benchmarks.run", "--worker", stage]
    command += ["--yaml", str(yaml_path), "--json", str(json_path)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"status": "error", "note": tail[:300]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _preimport() -> None:
    """Import what the stages import, once, in the process that forks the measurements."""
    for module in ("graphkit", "graphkit.rdf", "graphkit.render.timeline", "graphkit.cli"):
        importlib.import_module(module)


def _measure_forked(stage: str, yaml_path: Path, json_path: Path) -> dict[str, Any]:
    """One measurement in a child forked from this process (``--fork``: a smoke run).

    The child starts with the modules imported (:func:`_preimport`) but nothing loaded, so it
    skips the interpreter's start and the imports of a fresh ``--worker`` process; its CPU
    time and peak are its own (``getrusage`` starts at zero in a new process).
    """
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: measure, run its own exit handlers, send one JSON line, leave
        atexit._clear()  # the parent's handlers are the parent's to run
        os.close(read)
        quiet = os.open(os.devnull, os.O_WRONLY)  # as a --worker's captured output: not shown
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)
        status = 0
        try:
            payload = json.dumps(_worker(stage, yaml_path, json_path))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent as the cell's note
            payload = json.dumps({"status": "error", "note": f"{type(exc).__name__}: {exc}"[:300]})
            status = 1
        atexit._run_exitfuncs()  # the stage's: stop its server, remove its scratch folders
        with os.fdopen(write, "w", encoding="utf-8") as out:
            out.write(payload)
        os._exit(status)
    os.close(write)
    with os.fdopen(read, encoding="utf-8") as incoming:
        text = incoming.read()
    os.waitpid(pid, 0)
    if not text:
        return {"status": "error", "note": "the forked measurement died without a result"}
    result: dict[str, Any] = json.loads(text)
    return result


# --------------------------------------------------------------------------------------------
# Orchestration
# --------------------------------------------------------------------------------------------


def _inputs(size: int, data_dir: Path) -> tuple[Path, Path]:
    yaml_path = data_dir / f"kb{size}-s{SEED}.yaml"
    json_path = yaml_path.with_suffix(".json")
    if not (yaml_path.exists() and json_path.exists()):
        from benchmarks.generate import generate_files

        data_dir.mkdir(parents=True, exist_ok=True)
        generate_files(size, SEED, yaml_path, json_path)
    return yaml_path, json_path


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    ok = [r for r in runs if r.get("status") == "ok"]
    if not ok:
        notes = {r.get("note", "") for r in runs}
        status = runs[0].get("status", "error") if runs else "error"
        return {"status": status, "note": "; ".join(sorted(n for n in notes if n))}
    seconds = [r["seconds"] for r in ok]
    summary = {
        "status": "ok",
        "median": statistics.median(seconds),
        "min": min(seconds),
        "max": max(seconds),
        "runs": seconds,
        "peak_mb": max(r["peak_mb"] for r in ok),
    }
    added = [r["added_mb"] for r in ok if "added_mb" in r]
    if added:
        summary["added_mb"] = max(added)
    cpu = [r["cpu_seconds"] for r in ok if "cpu_seconds" in r]
    if cpu:
        summary["cpu"] = statistics.median(cpu)
    return summary


#: Sizes from which each cell is measured once (a million events: minutes per cell).
ONCE_FROM = 1_000_000


def _wait_for_memory(gigabytes: float, log: Callable[[str], None]) -> None:
    """Wait until the machine has ``gigabytes`` of memory available (a shared machine)."""
    if gigabytes <= 0:
        return
    while True:
        try:
            with open("/proc/meminfo", encoding="ascii") as meminfo:
                fields = dict(line.split(":", 1) for line in meminfo)
            available = int(fields["MemAvailable"].split()[0]) / 1024 / 1024
        except (OSError, KeyError, ValueError):
            return
        if available >= gigabytes:
            return
        log(f"waiting: {available:.1f} GB available, {gigabytes:.0f} GB wanted")
        time.sleep(30)


def run_suite(
    sizes: Sequence[int],
    repeat: int,
    data_dir: Path,
    log: Callable[[str], None],
    names: Sequence[str] | None = None,
    *,
    once_from: int = ONCE_FROM,
    min_free_gb: float = 0,
    save: Callable[[dict[str, Any]], None] | None = None,
    fork: bool = False,
) -> dict[str, Any]:
    """Measure the stages (default: all) at every size; return the results document.

    Sizes of ``once_from`` events or more are measured once per cell; before each measurement
    at such a size, wait for ``min_free_gb`` of available memory. ``save``, if given, gets the
    results so far (ratios and growth included) after every cell, so a run stopped part way
    (a million events take an hour on a busy machine) keeps what it measured. With ``fork``
    (and ``os.fork`` available) each measurement is a child forked from this process instead of
    a fresh interpreter (the import stage still starts fresh ones).
    """
    fork = fork and hasattr(os, "fork")
    if fork:
        _preimport()
    results: dict[str, Any] = {"stages": {}, "import": None}
    log(f"import graphkit x{repeat}")
    results["import"] = _summary(
        [_measure(IMPORT_STAGE, 0, Path(), Path()) for _ in range(max(repeat, 3))]
    )
    for size in sizes:
        yaml_path, json_path = _inputs(size, data_dir)
        for name in names if names is not None else STAGES:
            runs: list[dict[str, Any]] = []
            limit = STAGES[name].max_size
            if limit is not None and size > limit:
                note = f"measured up to {limit:,} events only (see the stage's max_size)"
                results["stages"].setdefault(name, {})[str(size)] = {
                    "status": "skipped",
                    "note": note,
                }
                log(f"{size:>7} {name:<24} skipped")
                continue
            for _ in range(repeat if size < once_from else 1):
                if size >= once_from:
                    _wait_for_memory(min_free_gb, log)
                runs.append(_measure(name, size, yaml_path, json_path, fork=fork))
                if runs[-1].get("status") != "ok":
                    break
            summary = _summary(runs)
            results["stages"].setdefault(name, {})[str(size)] = summary
            shown = f"{summary['median']:.3f}s" if summary["status"] == "ok" else summary["status"]
            log(f"{size:>7} {name:<24} {shown}")
            if save is not None:
                results["ratios"] = _ratios(results, sizes)
                results["growth"] = _growth(results, sizes)
                save(results)
    results["ratios"] = _ratios(results, sizes)
    results["growth"] = _growth(results, sizes)
    return results


def _median(results: dict[str, Any], stage: str, size: int, key: str = "median") -> float | None:
    """A cell's median wall time (or ``key="cpu"``: its median CPU time), if measured."""
    entry = results["stages"].get(stage, {}).get(str(size), {})
    return entry.get(key) if entry.get("status") == "ok" else None


def _ratios(results: dict[str, Any], sizes: Sequence[int]) -> dict[str, dict[str, float]]:
    """For each baseline: baseline time / graphkit time (above 1: graphkit is faster).

    Wall time, and CPU time (rows marked ``(CPU)``) where both cells have it.
    """
    out: dict[str, dict[str, float]] = {}
    for key, mark in (("median", ""), ("cpu", " (CPU)")):
        for name, stage in STAGES.items():
            if stage.baseline_of is None:
                continue
            baseline_of = stage.baseline_of
            targets = (baseline_of,) if isinstance(baseline_of, str) else baseline_of
            for target in targets:
                for size in sizes:
                    base = _median(results, name, size, key)
                    ours = _median(results, target, size, key)
                    if base is not None and ours:
                        out.setdefault(f"{name} / {target}{mark}", {})[str(size)] = base / ours
    return out


def _growth(results: dict[str, Any], sizes: Sequence[int]) -> dict[str, dict[str, float]]:
    """Log-log slope of time against size between consecutive sizes (1.0 is linear).

    Wall time, and CPU time (rows marked ``(CPU)``) where both cells have it.
    """
    out: dict[str, dict[str, float]] = {}
    ordered = sorted(sizes)
    for key, mark in (("median", ""), ("cpu", " (CPU)")):
        for name in STAGES:
            for small, large in zip(ordered, ordered[1:], strict=False):
                a, b = _median(results, name, small, key), _median(results, name, large, key)
                if a and b:
                    slope = math.log(b / a) / math.log(large / small)
                    out.setdefault(f"{name}{mark}", {})[f"{small}->{large}"] = slope
    return out


# --------------------------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------------------------


def _fmt(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def markdown(results: dict[str, Any]) -> str:
    """The Markdown report of a results document."""
    meta = results["meta"]
    sizes = [int(s) for s in meta["sizes"]]
    lines = [
        "<!-- Generated by `python -m benchmarks.run`; do not edit by hand. -->",
        "",
        f"Measured {meta['date']} on `{meta['machine']}` ({meta['cpus']} CPUs, "
        f"Python {meta['python']}, {meta['platform']}); "
        f"{meta['repeat']} runs per cell{_once_note(meta, sizes)}, each in a fresh process "
        "(cold: no warm cache). "
        "Synthetic knowledge bases from `python -m benchmarks.generate --seed 1` "
        "(about 15 fields per event; as many relations as events, actors n/10, sources n/20)."
        + _conditions(meta),
        "",
        "Time is the median (min-max) of the runs; memory is the peak resident set of the "
        "process (interpreter and the stage's setup included; for a stage that starts "
        "processes, the larger of its own and its largest child's), and +N MB what the timed "
        "call added above its setup (e.g. the loaded knowledge base). CPU is the median CPU "
        "time (user + system) of the timed call, its waited-for child processes included: on a "
        "busy machine it stretches much less than the wall time. Ratios are baseline time / "
        "graphkit time in the same run (wall time, and CPU time where both have it): above 1, "
        "graphkit is faster.",
        "",
    ]
    imp = results.get("import") or {}
    if imp.get("status") == "ok":
        lines += [
            f"`import graphkit` in a fresh process: {_fmt(imp['median'])} "
            f"(min {_fmt(imp['min'])}, max {_fmt(imp['max'])}; target < 300 ms).",
            "",
        ]
    header = "| stage | what | " + " | ".join(f"{n:,} events" for n in sizes) + " |"
    lines += [header, "|" + "---|" * (2 + len(sizes))]
    for name, stage in STAGES.items():
        cells = []
        for size in sizes:
            entry = results["stages"].get(name, {}).get(str(size), {})
            if entry.get("status") == "ok":
                spread = f" ({_fmt(entry['min'])}-{_fmt(entry['max'])})"
                if len(entry.get("runs", ())) == 1:
                    spread = ", once"
                added = f", +{entry['added_mb']:.0f} MB" if "added_mb" in entry else ""
                cpu = f", CPU {_fmt(entry['cpu'])}" if "cpu" in entry else ""
                cells.append(
                    f"{_fmt(entry['median'])}{spread}{cpu}, {entry['peak_mb']:.0f} MB{added}"
                )
            else:
                cells.append(entry.get("status", "-"))
        lines.append(f"| `{name}` | {stage.label} | " + " | ".join(cells) + " |")
    lines += ["", "### Ratios (baseline / graphkit)", ""]
    lines += ["| ratio | " + " | ".join(f"{n:,}" for n in sizes) + " |"]
    lines += ["|---|" + "---|" * len(sizes)]
    for name, by_size in results["ratios"].items():
        cells = [f"{by_size[str(n)]:.2f}x" if str(n) in by_size else "-" for n in sizes]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "### Growth (log-log slope of time against size; 1.0 is linear)", ""]
    steps = [f"{a}->{b}" for a, b in zip(sizes, sizes[1:], strict=False)]
    if steps:
        lines += ["| stage | " + " | ".join(steps) + " |", "|---|" + "---|" * len(steps)]
        for name, by_step in results["growth"].items():
            cells = [f"{by_step[s]:.2f}" if s in by_step else "-" for s in steps]
            lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    notes = [
        f"- `{name}` at {size}: {entry.get('note')}"
        for name, by_size in results["stages"].items()
        for size, entry in by_size.items()
        if entry.get("status") != "ok" and entry.get("note")
    ]
    if notes:
        lines += ["", "### Not measured", "", *notes]
    lines += ["", "Plot: `performance.html` (log-log time against size per stage).", ""]
    return "\n".join(lines)


def _conditions(meta: dict[str, Any]) -> str:
    """The machine's load average when the results were saved, and whether the run finished."""
    text = ""
    load = meta.get("load_average")
    if load:
        text += f" Load average when saved: {load[0]:.1f} (1 min), {load[2]:.1f} (15 min)."
    if meta.get("partial"):
        text += " Partial results: the run was stopped before every cell was measured."
    return text


def _once_note(meta: dict[str, Any], sizes: Sequence[int]) -> str:
    once_from = meta.get("once_from", ONCE_FROM)
    once = [n for n in sizes if n >= once_from]
    if not once or meta["repeat"] == 1:
        return ""
    return " (one run at " + " and ".join(f"{n:,}" for n in once) + " events)"


START, END = "<!-- benchmarks:start -->", "<!-- benchmarks:end -->"


def write_markdown(results: dict[str, Any], path: Path) -> None:
    """Write the table into ``path`` between the markers, keeping the text around them."""
    table = markdown(results)
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if START in old and END in old:
        head, rest = old.split(START, 1)
        tail = rest.split(END, 1)[1]
        text = f"{head}{START}\n{table}\n{END}{tail}"
    else:
        text = f"{START}\n{table}\n{END}\n"
    path.write_text(text, encoding="utf-8")


def write_plot(results: dict[str, Any], path: Path) -> bool:
    """Write a log-log plot of median time against size per stage (needs plotly)."""
    try:
        import plotly.graph_objects as go
    except ImportError:  # pragma: no cover - plotly is a core dependency
        return False
    figure = go.Figure()
    for name, by_size in results["stages"].items():
        points = sorted(
            (int(size), entry["median"])
            for size, entry in by_size.items()
            if entry.get("status") == "ok"
        )
        if points:
            xs, ys = zip(*points, strict=True)
            figure.add_trace(go.Scatter(x=xs, y=ys, mode="lines+markers", name=name))
    figure.update_layout(
        title="graphkit benchmarks: median time against number of events",
        xaxis={"type": "log", "title": "events"},
        yaxis={"type": "log", "title": "seconds"},
    )
    figure.write_html(path, include_plotlyjs="cdn")
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit status."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--sizes", default=None, help="comma-separated event counts")
    parser.add_argument("--quick", action="store_true", help="1,000 events, 2 repeats")
    parser.add_argument("--repeat", type=int, default=None, help="runs per cell (default 3)")
    parser.add_argument("--out", type=Path, default=None, help="directory for results")
    parser.add_argument("--data", type=Path, default=DATA, help="directory for inputs")
    parser.add_argument("--stages", default=None, help="only stages starting with these (a,b)")
    parser.add_argument("--report", type=Path, default=None, help="rewrite reports from results")
    parser.add_argument(
        "--once-from",
        type=int,
        default=ONCE_FROM,
        metavar="N",
        help=f"measure cells of N events or more once (default {ONCE_FROM:,})",
    )
    parser.add_argument(
        "--min-free-gb",
        type=float,
        default=0,
        metavar="GB",
        help="before each measurement at --once-from sizes, wait for this much available memory",
    )
    parser.add_argument(
        "--fork",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="fork each measurement from one process that has imported graphkit instead of "
        "starting a fresh interpreter (default: on with --quick, off otherwise)",
    )
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--yaml", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker is not None:
        print(json.dumps(_worker(args.worker, args.yaml, args.json)))
        return 0

    if args.report is not None:
        results = json.loads(args.report.read_text(encoding="utf-8"))
        doc = args.out / "performance.md" if args.out is not None else DOC
        doc.parent.mkdir(parents=True, exist_ok=True)
        write_markdown(results, doc)
        write_plot(results, doc.with_suffix(".html"))
        return 0

    sizes = [1_000] if args.quick else list(DEFAULT_SIZES)
    if args.sizes:
        sizes = [int(part) for part in args.sizes.split(",") if part.strip()]
    repeat = args.repeat if args.repeat is not None else (2 if args.quick else 3)
    started = time.perf_counter()
    names = list(STAGES)
    if args.stages:
        prefixes = tuple(part.strip() for part in args.stages.split(",") if part.strip())
        names = [name for name in STAGES if name.startswith(prefixes)]
    log = lambda line: print(line, file=sys.stderr)  # noqa: E731
    machine = platform.node() or "machine"
    out = args.out if args.out is not None else RESULTS
    out.mkdir(parents=True, exist_ok=True)
    result_path = out / f"{dt.date.today().isoformat()}-{machine}.json"
    fork = (args.quick if args.fork is None else args.fork) and hasattr(os, "fork")

    def save(results: dict[str, Any], *, partial: bool = True) -> None:
        results["meta"] = {
            "date": dt.date.today().isoformat(),
            "machine": machine,
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(terse=True),
            "sizes": sizes,
            "repeat": repeat,
            "once_from": args.once_from,
            "fork": fork,  # measurements forked from one process, not fresh interpreters
            "seconds": time.perf_counter() - started,
            "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
            "partial": partial,  # True while cells are still being measured
        }
        result_path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")

    results = run_suite(
        sizes,
        repeat,
        args.data,
        log,
        names,
        once_from=args.once_from,
        min_free_gb=args.min_free_gb,
        save=save,
        fork=fork,
    )
    save(results, partial=False)
    doc = out / "performance.md" if args.out is not None else DOC
    write_markdown(results, doc)
    write_plot(results, doc.with_suffix(".html"))
    print(f"wrote {result_path} and {doc}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
