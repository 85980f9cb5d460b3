"""The public surface: explicit, importable, typed, and light to import."""

import subprocess
import sys
from pathlib import Path

import graphkit as gk


def test_every_name_in_all_resolves():
    for name in gk.__all__:
        assert getattr(gk, name) is not None, name
    assert len(set(gk.__all__)) == len(gk.__all__)


def test_exports_are_documented():
    for name in gk.__all__:
        obj = getattr(gk, name)
        if callable(obj):
            assert obj.__doc__, name


def test_py_typed_ships():
    assert (Path(gk.__file__).parent / "py.typed").exists()


def test_import_does_not_load_heavy_modules():
    code = (
        "import sys, graphkit\n"
        "heavy = [m for m in ('networkx', 'rdflib', 'plotly', 'typer', 'pandas') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
