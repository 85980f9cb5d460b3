"""graphkit import / promote / merge as users run them (in-process through main())."""

from __future__ import annotations

import json

import graphkit as gk
from graphkit.cli import main
from graphkit.importers.gdelt import COLUMNS

from .conftest import GDELT_SAMPLE, current_row


def test_import_gdelt_writes_valid_yaml_and_summary(tmp_path, capsys):
    out = tmp_path / "gdelt.yaml"
    assert main(["import", "gdelt", str(GDELT_SAMPLE), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "443 rows read: 443 events" in err and "0 malformed rows skipped" in err
    kb = gk.load(out)
    assert len(kb.events) == 443
    first = out.read_text()
    assert main(["import", "gdelt", str(GDELT_SAMPLE), "-o", str(out)]) == 0
    assert out.read_text() == first  # idempotent


def test_import_reports_each_malformed_row_and_the_count(tmp_path, capsys, gdelt_lines):
    cells = gdelt_lines[1].split("\t")
    cells[COLUMNS.index("ActionGeo_Long")] = "east"
    bad = tmp_path / "bad.tsv"
    bad.write_text("\n".join([gdelt_lines[0], "\t".join(cells), "x\ty"]) + "\n", "utf-8")
    out = tmp_path / "out.yaml"
    assert main(["import", "gdelt", str(bad), "-o", str(out), "--json"]) == 0
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert f"{bad}:2: ActionGeo_Long 'east' is not a number" in lines
    assert f"{bad}:3: expected 61 tab-separated columns, got 2" in lines
    assert "2 malformed rows skipped" in lines[-1]
    summary = json.loads(captured.out)
    assert summary["skipped"] == 2 and summary["events"] == 1
    assert [p["line"] for p in summary["problems"]] == [2, 3]
    # --on-error fail: exit 1, nothing written
    out2 = tmp_path / "out2.yaml"
    assert main(["import", "gdelt", str(bad), "-o", str(out2), "--on-error", "fail"]) == 1
    assert f"{bad}:2: ActionGeo_Long" in capsys.readouterr().err
    assert not out2.exists()


def test_import_acled_with_actor_map_and_curated_kb(tmp_path, capsys, acled_file):
    curated = tmp_path / "curated.yaml"
    curated.write_text(
        "format_version: 1\nactors: [{id: RUS-AF, name: Russian Armed Forces, kind: armed_force}]\n"
    )
    amap = tmp_path / "map.yaml"
    amap.write_text("acled:\n  Military Forces of Russia (2000-): RUS-AF\n")
    src = acled_file([current_row()])
    out = tmp_path / "acled.yaml"
    args = ["import", "acled", str(src), "-o", str(out), "--actors", str(amap)]
    assert main([*args, "--kb", str(curated)]) == 0
    kb = gk.load([curated, out])
    assert kb.events["acled-UKR100001"].actor == "RUS-AF"
    # a map pointing at an id the curated file lacks is an error
    amap.write_text("acled:\n  Military Forces of Russia (2000-): NOPE\n")
    assert main([*args, "--kb", str(curated)]) == 1
    assert "NOPE" in capsys.readouterr().err


def test_promote_and_merge_commands(tmp_path, capsys):
    imported = tmp_path / "imported.yaml"
    assert main(["import", "gdelt", str(GDELT_SAMPLE), "-o", str(imported)]) == 0
    curated = tmp_path / "curated.yaml"
    curated.write_text(
        "# my curated file\nformat_version: 1\nactors:\n  # states\n"
        "  - {id: X, name: X, kind: state}\n"
    )
    capsys.readouterr()
    assert (
        main(["promote", str(imported), "gdelt-881990839", "--into", str(curated), "--json"]) == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert report["promoted"] == ["gdelt-881990839"]
    assert set(report["brought_along"]) == {
        "gdelt-actor-COP",
        "gdelt-actor-DEU",
        "gdelt-src-673652718fbe",
    }
    text = curated.read_text()
    assert text.startswith("# my curated file") and "# states" in text
    kb = gk.load(curated)
    assert kb.events["gdelt-881990839"].provenance.reviewed is True
    together = gk.load([curated, imported])
    assert len(together.events) == 443
    # merge: the imported file and the curated one share no ids now
    merged = tmp_path / "merged.yaml"
    assert main(["merge", str(curated), str(imported), "-o", str(merged), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["counts"] == {}
    assert len(gk.load(merged).events) == 443
    # merging a file with itself reports duplicates, still valid
    assert main(["merge", str(curated), str(curated), "-o", str(merged)]) == 0
    assert "duplicate: event 'gdelt-881990839' is in both files" in capsys.readouterr().err
