"""Fixtures of the RDF tests: a real Oxigraph server."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

VENV_BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Oxigraph:
    """A running ``oxigraph serve``: its root URL and its SPARQL / Graph Store endpoints."""

    root: str

    @property
    def query(self) -> str:
        return self.root + "/query"

    @property
    def store(self) -> str:
        return self.root + "/store"

    def count(self, graph: str | None = None) -> int:
        """Number of triples in the default graph or in ``graph`` (an independent check)."""
        import json
        from urllib.parse import urlencode

        where = "?s ?p ?o" if graph is None else f"GRAPH <{graph}> {{ ?s ?p ?o }}"
        body = urlencode({"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"}).encode()
        request = urllib.request.Request(
            self.query, data=body, headers={"Accept": "application/sparql-results+json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            data = json.loads(response.read())
        return int(data["results"]["bindings"][0]["n"]["value"])


def _oxigraph_executable() -> str | None:
    local = VENV_BIN / "oxigraph"
    return str(local) if local.exists() else shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def free_port() -> int:
    """A loopback port nothing listens on (just released by the OS)."""
    return _free_port()


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oxigraph]:
    """Start ``oxigraph serve`` on a free port with a fresh store; stop it by its PID."""
    executable = _oxigraph_executable()
    if executable is None:
        pytest.skip("the oxigraph executable is missing (pip install 'graphkit-events[server]')")
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    process = subprocess.Popen(
        [executable, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    server = Oxigraph(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                stderr = process.stderr.read().decode() if process.stderr else ""
                pytest.fail(f"oxigraph exited with {process.returncode}: {stderr}")
            try:
                server.count()
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    pytest.fail("oxigraph did not answer within 30 s")
                time.sleep(0.05)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()
