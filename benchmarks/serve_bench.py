"""``graphkit serve`` benchmark: save-to-updated-page latency and the warm reload.

Usage (from the repository root)::

    python -m benchmarks.serve_bench                          # 1,000 and 10,000 events
    python -m benchmarks.serve_bench --sizes 1000 --repeat 3 --pages timeline
    python -m benchmarks.serve_bench --no-browser             # reload only
    python -m benchmarks.serve_bench --yaml data/events.yaml  # a copy of a file (events last)
    git worktree add /tmp/main main   # or: mkdir /tmp/main; git archive main | tar -x -C /tmp/main
    python -m benchmarks.serve_bench --baseline /tmp/main     # against main's server

For each size, a synthetic knowledge base (``benchmarks.generate.generate(n, seed)``) is written
two ways: one file, and a folder of twelve files (sources, actors, relations, and the events in
nine files). Measured:

* **Warm reload** (no browser): :meth:`graphkit.serve.Preview.reload` after one events file got
  one more event, beside the baseline of a cold :func:`graphkit.load` of the same files measured
  in the same process. In the folder, a warm reload parses only the changed file (the checks
  across items run on everything again); a single file is parsed whole.
* **Save to updated page**: two servers run side by side on copies of the files, each shown in
  its own tab of Debian's headless Chromium (``/usr/bin/chromium``, network blocked except the
  server): the current one (``graphkit serve FILES --port 0``, as a user runs it) and a
  baseline, ``--baseline on_request`` (this tree's server with pages built only on request and
  sent whole, as before they were built ahead and streamed) or ``--baseline DIR`` (the
  ``graphkit serve`` of another source tree, e.g. a checkout of main). Saves alternate between
  the two, so both see the same machine load; ``current_over_baseline`` is the ratio of the
  medians. For each save, the clock runs from just before the write until the shell has
  swapped in the new, drawn page (``graphkitShell.shownAt``, same machine clock); the parts:
  the page told of the change (``pushed_ms``; ``reload_ms`` of it reading the files), the page
  ready on the server (``page_ready_ms``; ``build_ms`` of it building), and the browser from
  when it had the page until it was drawn (``browser_ms``); the server's CPU time (user + system)
  over the update (``server_cpu_ms``), the browser tab's main-thread time over the update
  (``browser_task_ms``, CDP ``Performance.getMetrics`` TaskDuration), and whether the page
  was updated in place (``in_place``: 1) or loaded anew (0). ``cpu_over_baseline`` compares
  the two CPU figures (server + browser tab), steadier than wall times on a busy machine.
* Unless ``--no-loop-baseline``: the loop an update replaces, ``graphkit timeline``/``report``
  on the files plus the written page's first render in a fresh tab (``total_over_baseline``).

Medians of ``--repeat`` updates (the first update of a server is not counted). The load average
is printed: on a shared machine every number is slower and noisier; compare the ratios, and
read docs/performance.md ("Live preview") for the figures and where the time goes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from benchmarks.generate import dump_yaml, generate
from benchmarks.timeline_bench import CHROMIUM, LAUNCH_ARGS

#: Files the events of the folder layout are split into.
EVENT_FILES = 9


def write_layouts(n: int, seed: int, folder: Path) -> dict[str, tuple[list[Path], Path]]:
    """Write the knowledge base as one file and as a folder; return (paths, file to edit)."""
    doc = generate(n, seed)
    single = folder / "single" / "kb.yaml"
    single.parent.mkdir(parents=True, exist_ok=True)
    single.write_text(dump_yaml(doc), encoding="utf-8")
    split = folder / "split"
    split.mkdir(exist_ok=True)
    for section in ("sources", "actors", "relations"):
        part = {"format_version": 1, section: doc[section]}
        (split / f"{section}.yaml").write_text(dump_yaml(part), encoding="utf-8")
    events = doc["events"]
    size = -(-len(events) // EVENT_FILES)
    for index in range(EVENT_FILES):
        part = {"format_version": 1, "events": events[index * size : (index + 1) * size]}
        (split / f"events-{index}.yaml").write_text(dump_yaml(part), encoding="utf-8")
    return {
        "file": ([single], single),
        "folder": ([split], split / f"events-{EVENT_FILES - 1}.yaml"),
    }


def one_more_event(doc_text: str, number: int, actor: str) -> str:
    """``doc_text`` (whose last section is ``events``) with one more event appended."""
    return doc_text + (
        f'  - {{id: "bench-{number}", type: "statement", date: "2024-10-{1 + number % 28:02d}",'
        f' actor: "{actor}", summary: "Benchmark event {number}"}}\n'
    )


def warm_reload(paths: list[Path], edited: Path, actor: str, repeat: int) -> dict[str, Any]:
    """Seconds of a warm reload after one edit, and of a cold load (the baseline)."""
    import graphkit as gk
    from graphkit.serve import Preview

    original = edited.read_text(encoding="utf-8")
    cold: list[float] = []
    warm: list[float] = []
    parsed: list[int] = []
    try:
        preview = Preview(paths)
        preview.reload()
        for number in range(repeat):
            start = time.perf_counter()
            gk.load(paths)
            cold.append(time.perf_counter() - start)
            edited.write_text(one_more_event(original, number, actor), encoding="utf-8")
            outcome = preview.reload()
            assert outcome.ok, outcome.errors[:3]
            warm.append(outcome.seconds)
            parsed.append(len(outcome.parsed))
    finally:
        edited.write_text(original, encoding="utf-8")
    return {
        "cold_load_s": round(statistics.median(cold), 3),
        "warm_reload_s": round(statistics.median(warm), 3),
        "warm_over_cold": round(statistics.median(warm) / statistics.median(cold), 2),
        "files_parsed": max(parsed),
    }


def page_baseline(paths: list[Path], page: str, folder: Path) -> dict[str, float]:
    """The loop an update replaces: ``graphkit PAGE FILES -o page.html``, then open the file.

    Seconds of the command (in this process: a cold load and the page written) and of the
    page's first render in a fresh tab (median of three, as ``benchmarks.timeline_bench``).
    """
    from benchmarks.timeline_bench import first_render_seconds
    from graphkit.cli import main as graphkit

    command = {"timeline": "timeline", "report": "report", "network": "graph", "map": "map"}
    output = folder / f"baseline-{page}.html"
    start = time.perf_counter()
    code = graphkit([command[page], *map(str, paths), "-o", str(output)])
    written = time.perf_counter() - start
    assert code == 0, f"graphkit {command[page]} exited {code}"
    render = statistics.median(first_render_seconds(output, 3))
    return {"command_s": round(written, 2), "first_render_s": round(render, 2)}


def start_server(
    paths: list[Path], *, variant: str = "current"
) -> tuple[subprocess.Popen[str], str]:
    """A preview server on ``paths`` (any free port) in its own process; its URL.

    ``current`` is ``graphkit serve PATHS --port 0`` as a user runs it; ``on_request`` the same
    server building pages only on request and sending them whole (``python -m
    benchmarks.serve_bench --serve``); a folder is a source tree (e.g. a checkout of main)
    whose ``graphkit serve`` runs instead (``PYTHONPATH`` set to it).
    """
    env = None
    cwd = None
    if variant == "current":
        command = [sys.executable, "-m", "graphkit", "serve"]
    elif variant == "on_request":
        command = [sys.executable, "-m", "benchmarks.serve_bench", "--serve"]
    else:
        command = [sys.executable, "-m", "graphkit", "serve"]
        # run from the tree: ``python -m`` puts the working folder first on sys.path, so run
        # from this tree it would import this tree's graphkit, whatever PYTHONPATH says
        cwd = Path(variant).resolve()
        env = {**os.environ, "PYTHONPATH": str(cwd)}
    process = subprocess.Popen(
        [*command, *(str(Path(p).resolve()) for p in paths), "--port", "0"],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stderr is not None
    for line in process.stderr:
        found = re.search(r"at (http://\S+/) ", line)
        if found:
            threading.Thread(target=process.stderr.read, daemon=True).start()  # keep it drained
            return process, found.group(1)
    process.wait()
    raise RuntimeError(f"graphkit serve exited {process.returncode} before serving")


def serve_on_request(argv: list[str]) -> int:
    """``--serve PATHS --port N``: the server without prebuilding (the baseline of the bench)."""
    from graphkit.serve import LiveServer

    parser = argparse.ArgumentParser(prog="serve_bench --serve")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    server = LiveServer(args.paths, port=args.port, prebuild=False, stream=False, report=_stderr)
    _stderr(f"serving {' '.join(args.paths)} at {server.url} (Ctrl-C to stop)")
    server.serve_until_signalled()
    return 0


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def copy_layout(paths: list[Path], edited: Path, into: Path) -> tuple[list[Path], Path]:
    """A copy of a layout (files, or one folder) in the new folder ``into``: paths, edited file."""
    into.mkdir(parents=True)
    if paths[0].is_dir():
        copy = into / paths[0].name
        shutil.copytree(paths[0], copy)
        return [copy], copy / edited.relative_to(paths[0])
    for path in paths:
        shutil.copy2(path, into / path.name)
    return [into / p.name for p in paths], into / edited.name


def _only(url: str) -> Any:
    """A route handler that lets requests to ``url`` through and aborts every other."""

    def route(r: Any) -> None:
        if r.request.url.startswith(url):
            r.continue_()
        else:
            r.abort()

    return route


def save_to_page(
    paths: list[Path],
    edited: Path,
    actor: str,
    page: str,
    repeat: int,
    scratch: Path,
    baseline: str = "on_request",
) -> dict[str, Any]:
    """Milliseconds from saving the file to the updated page, with its parts (medians).

    Two servers run side by side on copies of the files, the ``baseline`` and the current one
    (see :func:`start_server`), each with its own tab; the updates alternate between them (the
    first of each round alternates too), so both see the same machine load and the ratio
    holds on a busy machine.
    """
    variants = {"baseline": baseline, "current": "current"}
    from playwright.sync_api import sync_playwright

    servers: dict[str, tuple[subprocess.Popen[str], str, Path, str]] = {}
    rows: dict[str, list[dict[str, float]]] = {name: [] for name in variants}
    try:
        for name, variant in variants.items():
            copied, copied_edited = copy_layout(paths, edited, scratch / f"{page}-{name}")
            process, url = start_server(copied, variant=variant)
            servers[name] = (process, url, copied_edited, copied_edited.read_text("utf-8"))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            tabs = {}
            for name, (_process, url, _edited, _original) in servers.items():
                tab = browser.new_page(viewport={"width": 1400, "height": 900})
                tab.route("**/*", _only(url))
                tab.goto(f"{url}#{page}", wait_until="commit")
                tab.wait_for_function(
                    "() => window.graphkitShell && graphkitShell.revision >= 1", timeout=600_000
                )
                cdp = tab.context.new_cdp_session(tab)
                cdp.send("Performance.enable")
                tabs[name] = (tab, cdp)
            for number in range(repeat + 1):  # the first update warms the caches: not counted
                order = list(variants) if number % 2 else list(reversed(variants))
                for name in order:
                    process, url, file, original = servers[name]
                    cpu_before = _cpu_ms(process.pid)
                    tab, cdp = tabs[name]
                    before = _browser_cpu_ms(cdp)
                    row = _one_update(tab, url, file, original, actor, page, number)
                    row.update({k: v - before[k] for k, v in _browser_cpu_ms(cdp).items()})
                    row["server_cpu_ms"] = _cpu_ms(process.pid) - cpu_before
                    if number:
                        rows[name].append(row)
            browser.close()
    finally:
        for process, _url, file, original in servers.values():
            process.send_signal(signal.SIGINT)  # stopped by its own PID, as a user's Ctrl-C
            process.wait(60)
            file.write_text(original, encoding="utf-8")
    result: dict[str, Any] = {"baseline_is": baseline}
    for name, measured in rows.items():
        result[name] = {
            key: round(statistics.median(r[key] for r in measured)) for key in measured[0]
        } | {"all_total_ms": [round(r["total_ms"]) for r in measured]}
    result["current_over_baseline"] = round(
        result["current"]["total_ms"] / result["baseline"]["total_ms"], 2
    )

    def cpu(name: str) -> float:
        return float(result[name]["server_cpu_ms"] + result[name]["browser_task_ms"])

    result["cpu_over_baseline"] = round(cpu("current") / max(cpu("baseline"), 1.0), 2)
    return result


def _browser_cpu_ms(cdp: Any) -> dict[str, float]:
    """The tab's renderer main-thread time so far (CDP ``Performance.getMetrics``), in ms.

    ``browser_task_ms``: every task of the thread (the page's scripts in its frame, style,
    layout, paint set-up): work done on the thread, so less inflated by a busy machine than
    the wall-clock parts. (``ScriptDuration`` is not used: it leaves out the shell's frame,
    where the page runs; rasterising, and WebGL in the GPU process, are not counted.)
    """
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return {"browser_task_ms": metrics.get("TaskDuration", 0.0) * 1000}


def _cpu_ms(pid: int) -> float:
    """CPU time (user + system) of process ``pid`` so far, in milliseconds (Linux; else 0)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _one_update(
    tab: Any, url: str, edited: Path, original: str, actor: str, page: str, number: int
) -> dict[str, float]:
    """Save one more event and wait for the tab to show it; the parts in milliseconds."""
    revision = tab.evaluate("() => graphkitShell.revision")
    in_place = tab.evaluate("() => graphkitShell.updates || 0")
    text = one_more_event(original, 1000 + number, actor)
    saved_at = time.time() * 1000
    edited.write_text(text, encoding="utf-8")
    tab.wait_for_function(
        # and shown: a large file written in place can be seen half-written, reloaded, and
        # then whole, and the shell's clock restarts for the second revision
        "r => graphkitShell.revision > r && graphkitShell.timings.shown",
        arg=revision,
        timeout=600_000,
        polling=20,
    )
    timings = tab.evaluate("() => graphkitShell.timings")
    with urllib.request.urlopen(f"{url}_gk/state", timeout=60) as response:
        state = json.load(response)
    built = state["render_ms"].get(page, 0.0)
    # the page was ready on the server at built_at (same clock): the browser's part starts
    # then, or when it asked if the page was built before it asked (prebuilt)
    ready = state.get("built_at", {}).get(page, timings["load"] + built)
    return {
        "total_ms": timings["shown"] - saved_at,
        "pushed_ms": timings["state"] - saved_at,
        "reload_ms": state["reload_ms"],
        "build_ms": built,
        "page_ready_ms": ready - saved_at,
        "browser_ms": timings["shown"] - max(timings["load"], ready),
        "in_place": tab.evaluate("() => graphkitShell.updates || 0") - in_place,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one JSON line per size, layout and page."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated event counts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="updates per measurement")
    parser.add_argument("--pages", default="timeline,report", help="pages to open")
    parser.add_argument("--layouts", default="file,folder", help="file, folder or both")
    parser.add_argument("--no-browser", action="store_true", help="skip the browser part")
    parser.add_argument("--yaml", type=Path, help="a copy of this file (events last) instead")
    parser.add_argument(
        "--baseline",
        default="on_request",
        help="the server updates are compared with: on_request (this tree, pages built on "
        "request and sent whole) or a source tree such as a checkout of main",
    )
    parser.add_argument(
        "--no-loop-baseline",
        action="store_true",
        help="skip the command-and-open-the-file loop baseline (keep the on-request one)",
    )
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--serve"]:
        return serve_on_request(argv[1:])
    args = parser.parse_args(argv)
    browser = not args.no_browser and os.access(CHROMIUM, os.X_OK)
    with tempfile.TemporaryDirectory(prefix="graphkit-serve-bench-") as scratch:
        sizes = [0] if args.yaml else [int(s) for s in args.sizes.split(",") if s.strip()]
        for size in sizes:
            folder = Path(scratch) / str(size)
            folder.mkdir()
            if args.yaml:
                import graphkit as gk

                copy = folder / args.yaml.name
                copy.write_bytes(args.yaml.read_bytes())
                layouts = {"file": ([copy], copy)}
                kb = gk.load(copy)
                size, actor = len(kb.events), kb.actors.ids()[0]
            else:
                layouts = write_layouts(size, args.seed, folder)
                actor = generate(size, args.seed)["actors"][0]["id"]
            for layout in ["file"] if args.yaml else args.layouts.split(","):
                paths, edited = layouts[layout]
                result: dict[str, Any] = {"events": size, "layout": layout}
                result |= warm_reload(paths, edited, actor, args.repeat)
                for page in args.pages.split(",") if browser else []:
                    scratch_page = folder / f"{layout}-{page}"
                    scratch_page.mkdir()
                    result[page] = save_to_page(
                        paths, edited, actor, page, args.repeat, scratch_page, args.baseline
                    )
                    if not args.no_loop_baseline:
                        baseline = page_baseline(paths, page, folder)
                        result[page]["baseline"] = baseline
                        result[page]["total_over_baseline"] = round(
                            result[page]["current"]["total_ms"] / 1000 / sum(baseline.values()),
                            2,
                        )
                result["load_average"] = [round(x, 2) for x in os.getloadavg()]
                print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
