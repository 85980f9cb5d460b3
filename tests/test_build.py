"""``graphkit build``: the main job in one process, the RDF files written by a forked worker."""

import json
import time
from pathlib import Path

import pytest

import graphkit.cli.build as build_module
from graphkit.cli import main

from .conftest import FLAGSHIP

OUTPUTS = [
    "escalations.txt",
    "kb.nt",
    "kb.ttl",
    "lint.txt",
    "paths.txt",
    "report.html",
    "summary.json",
    "timeline.html",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("built")
    assert main(["build", str(FLAGSHIP), "-o", str(folder)]) == 0
    return folder


def test_build_writes_every_output_of_the_main_job(built):
    assert sorted(p.name for p in built.iterdir()) == OUTPUTS
    summary = json.loads((built / "summary.json").read_text(encoding="utf-8"))
    assert summary["events"] == 69 and summary["actors"] == 39
    escalations = (built / "escalations.txt").read_text(encoding="utf-8")
    assert "PRK commits to RUS's side" in escalations and "source: [" in escalations
    paths = (built / "paths.txt").read_text(encoding="utf-8")
    assert paths.startswith("# paths between the 5 most central actors (by degree): PRK, RUS")
    assert "## PRK -> RUS\nPRK -> RUS (1 hop" in paths
    report = (built / "report.html").read_text(encoding="utf-8")
    assert report.startswith("<!DOCTYPE html>") and 'id="gk-timeline"' in report
    ttl, nt = (built / name for name in ("kb.ttl", "kb.nt"))
    assert ttl.read_text(encoding="utf-8").startswith(
        "@base <https://graphkit.example.org/kb/> .\n@prefix "
    )
    assert all(line.endswith(" .") for line in nt.read_text(encoding="utf-8").splitlines())


def test_one_process_writes_the_same_rdf(built, tmp_path):
    assert main(["build", str(FLAGSHIP), "-o", str(tmp_path), "--jobs", "1", "--paths", "0"]) == 0
    assert not (tmp_path / "paths.txt").exists()
    for name in ("kb.ttl", "kb.nt", "escalations.txt", "lint.txt"):
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes(), name


def test_invalid_input_exits_1_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format_version: 1\nactors:\n  - {id: A, name: A, kind: nation}\n")
    folder = tmp_path / "out"
    assert main(["build", str(bad), "-o", str(folder)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:3:" in err and err.rstrip().endswith("1 error")
    assert not folder.exists()


def test_a_failing_worker_fails_the_job(tmp_path, monkeypatch, capsys):
    def broken(*args: object) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(build_module, "_rdf_files", broken)  # inherited by the forked worker
    assert main(["build", str(FLAGSHIP), "-o", str(tmp_path), "--paths", "0"]) == 3
    assert "internal error: OSError: disk on fire" in capsys.readouterr().err
    assert not (tmp_path / "kb.nt").exists()


def test_a_failing_parent_stops_the_worker_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    from graphkit._fs import atomic_open

    def slow_rdf(kb: object, folder: Path, base: str) -> None:
        with atomic_open(folder / "kb.nt") as handle:
            handle.write("half a file\n")
            handle.flush()
            time.sleep(60)

    def broken(kb: object, folder: Path, **kwargs: object) -> None:
        deadline = time.monotonic() + 20
        while not any(p.name.endswith(".tmp") for p in folder.iterdir()):
            assert time.monotonic() < deadline, "the worker never started writing"
            time.sleep(0.02)
        raise RuntimeError("renderer on fire")

    monkeypatch.setattr(build_module, "_rdf_files", slow_rdf)
    monkeypatch.setattr(build_module, "_run", broken)
    started = time.monotonic()
    assert main(["build", str(FLAGSHIP), "-o", str(tmp_path)]) == 3
    assert time.monotonic() - started < 30  # stopped, not waited for
    assert list(tmp_path.iterdir()) == []  # nothing of a failed build reaches the folder


def test_a_worker_that_dies_silently_fails_the_job(tmp_path, monkeypatch, capsys):
    import os

    monkeypatch.setattr(build_module, "_rdf_files", lambda *args: os._exit(9))
    assert main(["build", str(FLAGSHIP), "-o", str(tmp_path), "--paths", "0"]) == 3
    assert "the RDF worker exited with code 9" in capsys.readouterr().err
