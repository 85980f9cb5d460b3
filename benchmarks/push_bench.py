"""Benchmark push: ``graphkit push`` to a local ``oxigraph serve`` against ``oxigraph load``.

Both load the same knowledge base into an on-disk Oxigraph store (a fresh folder each time):

* ``graphkit``: :func:`graphkit.push` of the loaded knowledge base to ``oxigraph serve`` on a free
  loopback port, in batches of :data:`graphkit.rdf.endpoint.DEFAULT_BATCH_SIZE` triples (the
  triples are made and formatted as they go: nothing is exported first);
* ``graphkit_bulk``: the same with ``bulk=True`` (``graphkit push --bulk``: the URL gets
  ``no_transaction``), where Oxigraph loads each batch with its bulk loader instead of a
  transaction (a batch is then not atomic; a rerun of the push completes an interrupted one
  all the same);
* ``oxigraph_load``: Oxigraph's own bulk loader on the N-Triples file of the same knowledge base
  (``oxigraph load --location DIR --file kb.nt``, exported before the timing starts).

``benchmarks.run`` times each in a fresh process (stages ``push.graphkit``,
``push.graphkit_bulk`` and ``push.oxigraph_load``). The server is started before the timing;
the timed call ends by stopping it (by its PID) and waiting for it, so the stage's CPU time
counts the server's work as ``oxigraph load``'s counts the loader's (a waited-for child).

Usage (from the repository root)::

    python -m benchmarks.push_bench --yaml benchmarks/data/kb100000-s1.yaml
"""

from __future__ import annotations

import argparse
import atexit
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = [
    "main",
    "oxigraph_executable",
    "serve",
    "setup_oxigraph_load",
    "setup_push",
    "setup_push_bulk",
]


def oxigraph_executable() -> str | None:
    """The ``oxigraph`` command of the ``server`` extra (beside this Python), else on PATH."""
    local = Path(sys.executable).parent / "oxigraph"
    return str(local) if local.exists() else shutil.which("oxigraph")


def _scratch(prefix: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(executable: str) -> tuple[str, Callable[[], None]]:
    """Start ``oxigraph serve`` on a fresh store; return its root URL and what stops it.

    It is stopped at exit too, by its PID.
    """
    port = _free_port()
    location = _scratch("gk-push-store-")
    process = subprocess.Popen(
        [executable, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def stop() -> None:
        if process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    atexit.register(stop)
    root = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"oxigraph serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(root + "/store?default", timeout=5):  # noqa: S310
                return root, stop
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise RuntimeError("oxigraph serve did not answer within 60 s") from None
            time.sleep(0.05)


def _push_to(kb: Any, *, bulk: bool) -> Callable[[], object]:
    """Start a server; return the push of ``kb`` to its Graph Store, then its stop (timed)."""
    import graphkit as gk

    executable = oxigraph_executable()
    if executable is None:
        raise FileNotFoundError("the oxigraph command is missing (pip install 'graphkit[server]')")
    root, stop = serve(executable)

    def run() -> object:
        result = gk.push(kb, root + "/store", bulk=bulk)
        stop()  # waited for: its CPU time joins the stage's
        return result

    return run


def setup_push(kb: Any) -> Callable[[], object]:
    """Start a server; return the push of ``kb`` to its Graph Store (what is timed)."""
    return _push_to(kb, bulk=False)


def setup_push_bulk(kb: Any) -> Callable[[], object]:
    """As :func:`setup_push` with ``bulk=True``: Oxigraph bulk-loads each batch."""
    return _push_to(kb, bulk=True)


def setup_oxigraph_load(kb: Any) -> Callable[[], object]:
    """Export ``kb`` as N-Triples; return ``oxigraph load`` of the file (what is timed)."""
    from graphkit.rdf import write_ntriples

    executable = oxigraph_executable()
    if executable is None:
        raise FileNotFoundError("the oxigraph command is missing (pip install 'graphkit[server]')")
    folder = _scratch("gk-oxigraph-load-")
    source = folder / "kb.nt"
    with source.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
        write_ntriples(kb, out)
    command = [executable, "load", "--location", str(folder / "store"), "--file", str(source)]

    def run() -> object:
        return subprocess.run(command, check=True, capture_output=True)

    return run


def main(argv: list[str] | None = None) -> int:
    """Push the file and bulk-load its N-Triples once each; print one JSON line per way."""
    import graphkit as gk
    from graphkit.rdf import iter_triples

    parser = argparse.ArgumentParser(prog="python -m benchmarks.push_bench")
    parser.add_argument("--yaml", type=Path, required=True, help="knowledge base to push")
    args = parser.parse_args(argv)
    kb = gk.load(args.yaml)
    triples = sum(len(chunk) for chunk in iter_triples(kb))
    ways = (
        ("graphkit push", setup_push),
        ("graphkit push, bulk", setup_push_bulk),
        ("oxigraph load", setup_oxigraph_load),
    )
    for name, setup in ways:
        run = setup(kb)
        start = time.perf_counter()
        run()
        seconds = time.perf_counter() - start
        row = {"way": name, "triples": triples, "seconds": round(seconds, 2)}
        print(json.dumps({**row, "triples_per_second": round(triples / seconds)}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
