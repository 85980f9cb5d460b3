"""examples/04_rdf_sparql.py pushes to a real SPARQL server and reads the same facts back."""

import subprocess
import sys

import pytest

from ..conftest import ROOT


@pytest.mark.server
def test_rdf_example_pushes_and_reads_back(oxigraph, tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "examples" / "04_rdf_sparql.py"),
            str(tmp_path),
            "--endpoint",
            oxigraph.root,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "read back equals the local knowledge base: True" in result.stdout
    assert (tmp_path / "events.ttl").stat().st_size > 10_000
