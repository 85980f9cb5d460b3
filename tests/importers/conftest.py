"""Helpers for the importer tests: the real GDELT sample and ACLED rows built to both layouts."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from graphkit.importers.acled import CURRENT_COLUMNS, OLD_COLUMNS

DATA = Path(__file__).resolve().parents[1] / "data"
GDELT_SAMPLE = DATA / "gdelt" / "gdelt_events_sample.tsv"


def current_row(**values: str) -> dict[str, str]:
    """An ACLED row in the current (31-column) layout, with plausible defaults."""
    row = dict.fromkeys(CURRENT_COLUMNS, "")
    row.update(
        event_id_cnty="UKR100001",
        event_date="2024-10-23",
        year="2024",
        time_precision="1",
        disorder_type="Political violence",
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        actor1="Military Forces of Russia (2000-)",
        inter1="State forces",
        actor2="Civilians (Ukraine)",
        inter2="Civilians",
        interaction="State forces-Civilians",
        civilian_targeting="Civilian targeting",
        iso="804",
        region="Europe",
        country="Ukraine",
        admin1="Kharkiv",
        admin2="Kupianskyi",
        location="Kupiansk",
        latitude="49.7106",
        longitude="37.6156",
        geo_precision="1",
        source="Kyiv Independent; Ukrainska Pravda",
        source_scale="National",
        notes="On 23 October 2024, Russian forces shelled Kupiansk. 2 civilians were killed.",
        fatalities="2",
        tags="",
        timestamp="1730160000",
    )
    row.update(values)
    return row


def old_row(**values: str) -> dict[str, str]:
    """An ACLED row in the older API layout (numeric inter codes, data_id, iso3)."""
    row = dict.fromkeys(OLD_COLUMNS, "")
    row.update(
        data_id="9876543",
        iso="643",
        event_id_cnty="RUS2001",
        event_id_no_cnty="2001",
        event_date="14 March 2022",
        year="2022",
        time_precision="3",
        event_type="Protests",
        sub_event_type="Protest with intervention",
        actor1="Protesters (Russia)",
        assoc_actor_1="Women (Russia); Students (Russia)",
        inter1="6",
        actor2="Police Forces of Russia (2000-)",
        inter2="1",
        interaction="16",
        region="Europe",
        country="Russia",
        admin1="Moscow",
        location="Moscow",
        latitude="55.7522",
        longitude="37.6156",
        geo_precision="1",
        source="OVD-Info",
        source_scale="National",
        notes="Anti-war protest; police detained participants.",
        fatalities="0",
        timestamp="1647600000",
        iso3="RUS",
    )
    row.update(values)
    return row


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def acled_file(tmp_path: Path) -> Callable[..., Path]:
    """Write ACLED rows (dicts) to a CSV in the layout of their columns."""

    def make(rows: list[dict[str, str]], name: str = "acled.csv") -> Path:
        return write_csv(tmp_path / name, list(rows[0]), rows)

    return make


@pytest.fixture
def gdelt_lines() -> list[str]:
    """The lines of the real GDELT sample (without line ends)."""
    return GDELT_SAMPLE.read_text(encoding="utf-8").splitlines()
