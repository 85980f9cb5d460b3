"""ACLED import: rows built to the current and the older published layouts (no real ACLED rows)."""

from __future__ import annotations

import pytest

import graphkit as gk
from graphkit.importers import ImporterError, import_acled
from graphkit.importers.acled import CURRENT_COLUMNS, EVENT_TYPES, OLD_COLUMNS
from graphkit.io.dump import dump_yaml

from .conftest import current_row, old_row


def _kb(result):
    return gk.loads(dump_yaml(result.document))


def test_layouts_have_31_columns():
    assert len(CURRENT_COLUMNS) == len(OLD_COLUMNS) == 31


def test_current_layout_row(acled_file):
    result = import_acled([acled_file([current_row()])])
    assert result.problems == []
    kb = _kb(result)
    event = kb.events["acled-UKR100001"]
    assert event.type == "strike"
    assert str(event.date) == "2024-10-23"
    assert event.actor == "acled-actor-military-forces-of-russia-2000"
    assert event.target == "acled-actor-civilians-ukraine"
    assert kb.actors[event.actor].kind == "armed_force"
    assert [(q.value, q.unit) for q in event.quantities] == [(2, "fatalities")]
    assert event.summary.startswith("On 23 October 2024")
    assert event.location.name == "Kupiansk, Kharkiv, Ukraine"
    assert (event.location.lat, event.location.lon, event.location.country) == (
        49.7106,
        37.6156,
        "UKR",
    )
    assert [kb.sources[r.source].title for r in event.sources] == [
        "Kyiv Independent",
        "Ukrainska Pravda",
    ]
    assert all(s.reliability == "F" for s in kb.sources)
    fields = event.provenance.fields
    assert fields["interaction"] == "State forces-Civilians" and fields["layout"] == "current"
    assert (event.provenance.dataset, event.provenance.record) == ("acled", "UKR100001")


def test_older_api_layout_row(acled_file):
    kb = _kb(import_acled([acled_file([old_row()])]))
    event = kb.events["acled-RUS2001"]
    assert event.type == "protest"
    assert str(event.date) == "2022-03"  # time_precision 3: some moment in March 2022
    assert event.location.country == "RUS"  # from iso3
    assert [(p.actor, p.role) for p in event.participants] == [
        ("acled-actor-women-russia", "assoc_actor_1"),
        ("acled-actor-students-russia", "assoc_actor_1"),
    ]
    assert kb.actors["acled-actor-police-forces-of-russia-2000"].kind == "armed_force"
    assert event.quantities[0].value == 0
    assert event.provenance.fields["interaction"] == "16"
    assert event.provenance.fields["layout"] == "api-pre-2023"


@pytest.mark.parametrize(
    ("precision", "expected", "first", "last"),
    [
        ("1", "2024-10-23", "2024-10-23", "2024-10-23"),
        ("2", "between 2024-10-17 and 2024-10-29", "2024-10-17", "2024-10-29"),
        ("3", "2024-10", "2024-10-01", "2024-10-31"),
    ],
)
def test_time_precision_becomes_date_bounds(acled_file, precision, expected, first, last):
    from datetime import date

    kb = _kb(import_acled([acled_file([current_row(time_precision=precision)])]))
    event = kb.events["acled-UKR100001"]
    assert str(event.date) == expected
    assert date.fromordinal(event.extent.lo).isoformat() == first
    assert date.fromordinal(event.extent.hi).isoformat() == last


def test_event_type_table(acled_file):
    rows = [
        current_row(event_id_cnty=f"UKR{i}", event_type=et, sub_event_type=st)
        for i, (et, st) in enumerate(
            [
                ("Battles", "Armed clash"),
                ("Strategic developments", "Arrests"),
                ("Protests", "Excessive force against protestors"),
                ("Riots", "Something new"),
                ("Unknown type", "Whatever"),
            ]
        )
    ]
    kb = _kb(import_acled([acled_file(rows)]))
    assert [kb.events[f"acled-UKR{i}"].type for i in range(5)] == [
        "combat",
        "capture",
        "attack",
        "protest",
        "other",
    ]
    assert set(EVENT_TYPES.values()) <= set(kb.vocabulary.event_types)


def test_numeric_iso_and_missing_actor2(acled_file):
    row = current_row(actor2="", inter2="", iso="643", country="Russia", fatalities="")
    event = _kb(import_acled([acled_file([row])])).events["acled-UKR100001"]
    assert event.target is None and event.location.country == "RUS" and event.quantities == []


def test_malformed_rows_reported_and_skipped(acled_file, tmp_path):
    path = acled_file(
        [
            current_row(event_id_cnty="UKR1"),
            current_row(event_id_cnty="UKR2", event_date="23/10/2024"),
            current_row(event_id_cnty="UKR3", latitude="fifty"),
            current_row(event_id_cnty="UKR4", time_precision="4"),
            current_row(event_id_cnty="UKR5", fatalities="several"),
        ]
    )
    with path.open("a", encoding="utf-8") as handle:
        handle.write("UKR6,2024-10-23,2024\n")  # too few columns
    result = import_acled([path])
    assert [e.id for e in result.document.events] == ["acled-UKR1"]
    assert [(p.line, p.message) for p in result.problems] == [
        (3, "event_date '23/10/2024' is not YYYY-MM-DD or 'D Month YYYY'"),
        (4, "latitude/longitude 'fifty'/'37.6156' not numbers"),
        (5, "time_precision '4' is not 1, 2 or 3"),
        (6, "fatalities 'several' is not a whole number"),
        (7, "expected 31 columns as in the header, got 3"),
    ]
    with pytest.raises(ImporterError, match=rf"^{path}:3: event_date"):
        import_acled([path], on_error="fail")


def test_header_without_required_columns_is_an_error(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("event_id_cnty,event_date\nUKR1,2024-10-23\n", encoding="utf-8")
    with pytest.raises(ImporterError, match=r"x.csv:1: not an ACLED export header: missing"):
        import_acled([path])


def test_reimport_idempotent_and_both_layouts_together(acled_file, tmp_path):
    a = acled_file([current_row()], "a.csv")
    b = acled_file([old_row()], "b.csv")
    first = dump_yaml(import_acled([a, b]).document)
    assert first == dump_yaml(import_acled([a, b]).document)
    assert len(_kb(import_acled([a, b])).events) == 2
