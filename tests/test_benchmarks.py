"""The benchmark suite runs end to end (``--quick``) and reports every stage; speed is not tested."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.run import STAGES

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_quick_run_reports_every_stage_with_numbers(tmp_path):
    out = tmp_path / "results"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--quick", "--repeat", "1", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    (result_file,) = out.glob("*.json")
    results = json.loads(result_file.read_text(encoding="utf-8"))
    assert set(results["stages"]) == set(STAGES)
    for name, by_size in results["stages"].items():
        entry = by_size["1000"]
        if entry["status"] == "not available":
            assert entry["note"], name
            continue
        assert entry["status"] == "ok", (name, entry)
        assert entry["min"] <= entry["median"] <= entry["max"], name
        assert entry["min"] > 0 and entry["peak_mb"] > 0, name
        assert entry["cpu"] >= 0, name  # CPU time of the call, beside its wall time
        assert len(entry["runs"]) == 1, name  # --repeat wins over --quick's 2
    assert results["import"]["status"] == "ok" and results["import"]["median"] > 0
    for stage in ("load.graphkit", "load.pyyaml_pydantic", "load.orjson_pydantic"):
        assert results["stages"][stage]["1000"]["status"] == "ok", stage
    assert "load.pyyaml_pydantic / load.graphkit" in results["ratios"]
    assert "load.pyyaml_pydantic / load.graphkit (CPU)" in results["ratios"]
    assert results["meta"]["partial"] is False  # saved after every cell, complete at the end
    assert results["meta"]["fork"] is True  # --quick forks its measurements
    table = (out / "performance.md").read_text(encoding="utf-8")
    assert "| `load.graphkit` |" in table and "events |" in table


def test_a_forked_measurement_reports_its_failure_and_the_parent_goes_on(tmp_path):
    from benchmarks.run import _measure_forked

    missing = tmp_path / "missing.yaml"  # the stage's setup fails to load it
    result = _measure_forked("load.graphkit", missing, missing.with_suffix(".json"))
    assert result["status"] == "error"
    assert "missing.yaml" in result["note"] and "no such file" in result["note"], result


def test_a_forked_measurement_runs_its_own_exit_handlers_not_the_parents(tmp_path, monkeypatch):
    """A stage's clean-up (stop its server, remove its folder) is an exit handler: the forked
    child must run it (``os._exit`` would skip it), and only its own."""
    import atexit

    import benchmarks.run as bench

    def setup(yaml_path, json_path):
        atexit.register((tmp_path / "child-cleaned").touch)
        return lambda: None

    parent_mark = tmp_path / "parent-cleaned"
    atexit.register(parent_mark.touch)
    try:
        stage = bench.Stage(name="test.exit", group="test", label="exit handlers", setup=setup)
        monkeypatch.setitem(bench.STAGES, "test.exit", stage)
        result = bench._measure_forked("test.exit", tmp_path / "a.yaml", tmp_path / "a.json")
    finally:
        atexit.unregister(parent_mark.touch)
    assert result["status"] == "ok", result
    assert (tmp_path / "child-cleaned").exists()
    assert not parent_mark.exists()
