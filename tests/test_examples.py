"""Every example runs as a user would run it (rdflib's test_examples.py pattern)."""

import subprocess
import sys

import pytest

from .conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(script, tmp_path):
    args = [sys.executable, str(script)]
    if script.name in {
        "03_escalation.py",
        "01_quickstart.py",
        "04_rdf_sparql.py",
        "05_build_in_python.py",
    }:
        args.append(str(tmp_path))
    result = subprocess.run(args, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_paths_example_answers_the_question():
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "02_paths.py")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert result.stdout.startswith("PRK -> RUS -> UKR")
    assert "source: [B]" in result.stdout


def test_escalation_example_writes_its_plot(tmp_path):
    subprocess.run(
        [sys.executable, str(ROOT / "examples" / "03_escalation.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    html = (tmp_path / "escalation-index.html").read_text()
    assert "Escalation index" in html and '<script src="https://cdn.plot.ly' not in html
