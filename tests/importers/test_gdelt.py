"""GDELT 2.0 import on real rows (tests/data/gdelt) and on malformed rows of our own."""

from __future__ import annotations

from pathlib import Path

import pytest

import graphkit as gk
from graphkit.importers import ActorMap, ImporterError, import_gdelt
from graphkit.importers.gdelt import COLUMNS
from graphkit.io.dump import dump_yaml

from .conftest import GDELT_SAMPLE


@pytest.fixture(scope="module")
def sample() -> gk.KnowledgeBase:
    result = import_gdelt([GDELT_SAMPLE])
    assert result.problems == []
    return gk.loads(dump_yaml(result.document))


def test_every_sample_row_becomes_a_valid_machine_coded_event(sample):
    assert len(sample.events) == 443
    for event in sample.events:
        assert event.provenance is not None
        assert event.provenance.dataset == "gdelt"
        assert event.provenance.machine_coded and not event.provenance.reviewed
        assert event.id == f"gdelt-{event.provenance.record}"
        assert event.provenance.fields["EventCode"]
        assert str(event.date).count("-") == 2  # day precision
    for item in [*sample.actors, *sample.sources]:
        assert item.provenance is not None and item.provenance.dataset == "gdelt"


def test_known_row_is_mapped_field_by_field(sample):
    # 881990839: COP (police) 190 (use conventional military force) DEU, in Berlin, GM -> DEU
    event = sample.events["gdelt-881990839"]
    assert event.type == "attack"
    assert str(event.date) == "2018-10-24"
    assert event.actor == "gdelt-actor-COP" and event.target == "gdelt-actor-DEU"
    assert event.location.name == "Berlin, Berlin, Germany"
    assert (event.location.lat, event.location.lon, event.location.country) == (
        52.5167,
        13.4,
        "DEU",
    )
    fields = event.provenance.fields
    assert fields["GoldsteinScale"] == -10.0 and fields["QuadClass"] == 4
    assert fields["NumMentions"] == 20 and fields["NumSources"] == 2
    assert fields["NumArticles"] == 20 and fields["AvgTone"] == pytest.approx(-8.0383, abs=1e-4)
    assert fields["ActionGeo_CountryCode"] == "GM" and fields["cameo_match"] == "exact"
    source = sample.sources[event.sources[0].source]
    assert source.url.startswith("https://www.bgdailynews.com/") and source.reliability == "F"
    assert sample.actors["gdelt-actor-COP"].kind == "agency"
    germany = sample.actors["gdelt-actor-DEU"]
    assert (germany.kind, germany.country, germany.name) == ("state", "DEU", "Germany")


def test_cameo_codes_map_by_exact_prefix_root_or_other(sample):
    by_record = {e.provenance.record: e for e in sample.events}
    assert by_record["881990915"].provenance.fields["EventCode"] == "0874"
    assert by_record["881990915"].type == "troop_withdrawal"  # prefix 087
    assert by_record["881990915"].provenance.fields["cameo_match"] == "prefix"
    assert by_record["881990943"].type == "prisoner_release"  # exact 0841
    assert by_record["881990832"].type == "other"  # 139: no 139, 13x or 130 type
    hows = {e.provenance.fields["cameo_match"] for e in sample.events}
    assert hows == {"exact", "prefix", "root", "none"}


def test_empty_actor_codes_leave_roles_empty(sample):
    no_actor = [e for e in sample.events if "Actor1Code" not in e.provenance.fields]
    assert len(no_actor) == 29
    assert all(e.actor is None for e in no_actor)
    assert sum(e.target is None for e in sample.events) == 98


def test_unmappable_fips_code_is_kept_not_guessed(sample):
    event = sample.events["gdelt-881992359"]  # ActionGeo_CountryCode OS (oceans)
    assert event.location.country is None
    assert event.provenance.fields["ActionGeo_CountryCode"] == "OS"
    assert event.location.name == "Black Sea, Oceans (general), Oceans"


def test_one_source_per_distinct_url(sample):
    urls = {s.url for s in sample.sources}
    assert len(urls) == len(sample.sources)
    cited = {ref.source for e in sample.events for ref in e.sources}
    assert cited == set(sample.sources.ids())


def test_reimport_is_byte_identical():
    first = dump_yaml(import_gdelt([GDELT_SAMPLE]).document)
    assert dump_yaml(import_gdelt([GDELT_SAMPLE]).document) == first


def test_same_file_twice_counts_duplicates_once():
    result = import_gdelt([GDELT_SAMPLE, GDELT_SAMPLE])
    assert len(result.document.events) == 443 and result.duplicates == 443


def _malformed(tmp_path: Path, lines: list[str]) -> Path:
    good = lines[:3]
    short = "\t".join(lines[3].split("\t")[:60])  # 60 columns
    cells = lines[4].split("\t")
    cells[1] = "20191332"  # no 32nd of the 13th month
    bad_date = "\t".join(cells)
    cells = lines[5].split("\t")
    cells[COLUMNS.index("ActionGeo_Lat")] = "north"
    bad_lat = "\t".join(cells)
    path = tmp_path / "bad.export.CSV"
    path.write_text("\n".join([*good, short, bad_date, bad_lat, lines[6]]) + "\n", "utf-8")
    return path


def test_malformed_rows_are_reported_with_line_numbers(tmp_path, gdelt_lines):
    path = _malformed(tmp_path, gdelt_lines)
    result = import_gdelt([path])
    assert len(result.document.events) == 4
    assert [(p.line, p.message) for p in result.problems] == [
        (4, "expected 61 tab-separated columns, got 60"),
        (5, "SQLDATE '20191332' is not a date (month must be in 1..12)"),
        (6, "ActionGeo_Lat 'north' is not a number"),
    ]
    assert str(result.problems[0]).startswith(f"{path}:4: ")
    gk.loads(dump_yaml(result.document))


def test_on_error_fail_stops_at_the_first_bad_row(tmp_path, gdelt_lines):
    path = _malformed(tmp_path, gdelt_lines)
    with pytest.raises(ImporterError, match=rf"^{path}:4: expected 61"):
        import_gdelt([path], on_error="fail")


def test_actor_map_and_curated_ids(tmp_path):
    result = import_gdelt(
        [GDELT_SAMPLE],
        actor_map=ActorMap({"gdelt": {"RUS": "RUS", "UKR": "UKR"}}),
        known_ids={"gdelt-881990839"},
    )
    ids = {a.id for a in result.document.actors}
    assert "gdelt-actor-RUS" not in ids and "gdelt-actor-UKR" not in ids
    assert result.external_actors == {"RUS", "UKR"}
    assert result.already_curated == 1
    assert "gdelt-881990839" not in {e.id for e in result.document.events}
    assert any(e.actor == "RUS" for e in result.document.events)


def test_progress_reports_bytes_up_to_the_total():
    calls: list[tuple[int, int | None]] = []
    import_gdelt([GDELT_SAMPLE], progress=lambda done, total: calls.append((done, total)))
    size = GDELT_SAMPLE.stat().st_size
    assert calls and calls[-1] == (size, size)
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)


def test_not_utf8_is_a_located_error(tmp_path, gdelt_lines):
    path = tmp_path / "latin1.tsv"
    path.write_bytes(("\n".join(gdelt_lines[:2]) + "\n").encode() + b"\xff\xfe\n")
    with pytest.raises(ImporterError, match="not UTF-8"):
        import_gdelt([path])


def test_gdelt_import_renders_a_timeline(sample):
    from graphkit.render.timeline import timeline

    fig = timeline(sample)
    labels = {sample.vocabulary.event_types[e.type].label for e in sample.events}
    points = sum(len(t.x) for t in fig.data if t.name in labels and t.x is not None)
    assert points == len(sample.events) == 443
