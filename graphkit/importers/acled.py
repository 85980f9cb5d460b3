"""Import ACLED CSV exports: the current 31-column layout and the older (pre-2023) API layout.

ACLED files have a header line; the layout is recognised from it (``disorder_type`` marks the
current layout, ``data_id``/``event_id_no_cnty``/``iso3`` the older one) and columns are read by
name, so column order does not matter. Each row becomes one machine-coded event
``acled-<event_id_cnty>``:

* ``type``: ``event_type`` / ``sub_event_type`` through :data:`EVENT_TYPES` (docs/importers.md);
* ``date``: ``event_date`` with ``time_precision`` 1 as the day, 2 as bounds of
  :data:`WEEK_HALF_WIDTH` days either side of the date, 3 as the month of the date;
* ``actor`` / ``target``: ``actor1`` / ``actor2`` (ACLED gives them no direction), associated
  actors as participants with roles ``assoc_actor_1`` / ``assoc_actor_2``;
* ``quantities``: ``fatalities`` as ``{value: N, unit: fatalities}``;
* ``location``: location, admin1 and country as the name, latitude/longitude, and the country as
  ISO alpha-3 (``iso3`` column, else the numeric ``iso`` through the shipped table);
* ``sources``: one source per ``;``-separated name in ``source`` (reliability F);
* ``summary``: ``notes``; ``provenance.fields``: ``interaction``, ``inter1``/``inter2``,
  ``event_type``, ``sub_event_type``, ``disorder_type``, ``time_precision``, ``geo_precision``...

ACLED's terms forbid redistributing its rows: no ACLED data ships with graphkit.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from graphkit.importers._base import (
    ActorMap,
    BadRow,
    Builder,
    ImporterError,
    ImportResult,
    OnError,
    Progress,
    Reader,
    RowImport,
    clean_line,
    clean_text,
    short_hash,
    slug,
)
from graphkit.importers.countries import is_iso3, numeric_to_iso3
from graphkit.model.actor import Actor, ActorKind

__all__ = [
    "CURRENT_COLUMNS",
    "DATASET",
    "EVENT_TYPES",
    "INTER_KINDS",
    "OLD_COLUMNS",
    "WEEK_HALF_WIDTH",
    "import_acled",
]

DATASET = "acled"

#: The current export layout (since March 2023), 31 columns.
CURRENT_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]

#: The older API layout (before March 2023), 31 columns.
OLD_COLUMNS = [
    "data_id",
    "iso",
    "event_id_cnty",
    "event_id_no_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "timestamp",
    "iso3",
]

_REQUIRED = [
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "country",
    "location",
    "latitude",
    "longitude",
    "source",
    "notes",
    "fatalities",
]

#: ``time_precision`` 2 ("the week is known"): the event fell at most this many days before or
#: after the recorded date. Any 7-day week that contains the recorded date lies inside
#: ``date - 6 .. date + 6``; ACLED's codebook does not let us narrow this without guessing.
WEEK_HALF_WIDTH = 6

#: (event_type, sub_event_type) -> graphkit event type; ``(event_type, "*")`` is the fallback for
#: a sub-event type not listed. Compared case-insensitively.
EVENT_TYPES: dict[tuple[str, str], str] = {
    ("battles", "armed clash"): "combat",
    ("battles", "government regains territory"): "occupation",
    ("battles", "non-state actor overtakes territory"): "occupation",
    ("battles", "*"): "combat",
    ("explosions/remote violence", "air/drone strike"): "strike",
    ("explosions/remote violence", "shelling/artillery/missile attack"): "strike",
    ("explosions/remote violence", "chemical weapon"): "attack",
    ("explosions/remote violence", "suicide bomb"): "attack",
    ("explosions/remote violence", "remote explosive/landmine/ied"): "attack",
    ("explosions/remote violence", "grenade"): "attack",
    ("explosions/remote violence", "*"): "attack",
    ("violence against civilians", "attack"): "attack",
    ("violence against civilians", "sexual violence"): "attack",
    ("violence against civilians", "abduction/forced disappearance"): "other",
    ("violence against civilians", "*"): "attack",
    ("protests", "peaceful protest"): "protest",
    ("protests", "protest with intervention"): "protest",
    ("protests", "excessive force against protesters"): "attack",
    ("protests", "*"): "protest",
    ("riots", "violent demonstration"): "protest",
    ("riots", "mob violence"): "attack",
    ("riots", "*"): "protest",
    ("strategic developments", "arrests"): "capture",
    ("strategic developments", "disrupted weapons use"): "seizure",
    ("strategic developments", "looting/property destruction"): "seizure",
    ("strategic developments", "non-violent transfer of territory"): "occupation",
    ("strategic developments", "agreement"): "other",
    ("strategic developments", "change to group/activity"): "other",
    ("strategic developments", "headquarters or base established"): "other",
    ("strategic developments", "other"): "other",
    ("strategic developments", "*"): "other",
}

#: ACLED actor types (``inter1``/``inter2``: numeric codes in the older layout, labels in the
#: current one) to graphkit actor kinds.
INTER_KINDS: dict[str, ActorKind] = {
    "1": "armed_force",
    "state forces": "armed_force",
    "2": "non_state_group",
    "rebel group": "non_state_group",
    "3": "non_state_group",
    "political militia": "non_state_group",
    "4": "non_state_group",
    "identity militia": "non_state_group",
    "5": "other",
    "rioters": "other",
    "6": "other",
    "protesters": "other",
    "7": "other",
    "civilians": "other",
    "8": "other",
    "external/other forces": "other",
}

_FIELDS = [
    "event_type",
    "sub_event_type",
    "disorder_type",
    "interaction",
    "inter1",
    "inter2",
    "civilian_targeting",
    "time_precision",
    "geo_precision",
    "source_scale",
    "iso",
    "iso3",
    "region",
    "admin1",
    "admin2",
    "admin3",
    "tags",
    "timestamp",
    "data_id",
    "event_id_no_cnty",
    "year",
]
_RECORD = re.compile(r"^[A-Za-z0-9_-]+$")


def import_acled(
    paths: Iterable[str | os.PathLike[str]],
    *,
    on_error: OnError = "skip",
    actor_map: ActorMap | None = None,
    known_ids: Iterable[str] = (),
    progress: Progress | None = None,
) -> ImportResult:
    """Import ACLED CSV exports (either layout) into one machine-coded document.

    Rows are read one at a time; malformed rows (wrong column count, bad date or precision,
    non-numeric coordinates or fatalities) are recorded in ``result.problems`` with file and
    line, or raise :class:`ImporterError` with ``on_error="fail"``. A file whose header lacks a
    required column is an error whatever ``on_error`` says.

    Raises:
        ImporterError: If a file cannot be read or has no usable header, or on the first bad row
            with ``on_error="fail"``.

    Examples:
        >>> import csv, pathlib, tempfile
        >>> row = dict.fromkeys(CURRENT_COLUMNS, "")
        >>> row.update(event_id_cnty="UKR1", event_date="2024-10-23", time_precision="2",
        ...            event_type="Battles", sub_event_type="Armed clash", actor1="A",
        ...            country="Ukraine", iso="804", location="Kupiansk", latitude="49.7",
        ...            longitude="37.6", source="Kyiv Independent", fatalities="3")
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "acled.csv"
        >>> with path.open("w", newline="") as f:
        ...     w = csv.DictWriter(f, CURRENT_COLUMNS)
        ...     _ = w.writeheader(), w.writerow(row)
        >>> event = import_acled([path]).document.events[0]
        >>> event.id, event.type, str(event.date), event.quantities[0].value
        ('acled-UKR1', 'combat', 'between 2024-10-17 and 2024-10-29', 3)
    """
    importer = _AcledImport(Builder(DATASET, known_ids), actor_map or ActorMap(), on_error)
    reader = Reader(paths, progress)
    rows = 0
    for path in reader.paths:
        with reader.csv_rows(path) as records:
            first = next(records, None)
            if first is None:
                raise ImporterError(f"{path}:1: empty file (expected an ACLED header line)")
            importer.header(str(path), first[1])
            for line, row in records:
                rows += 1
                importer.row(str(path), line, row)
    return importer.builder.result(rows, importer.problems)


def layout_of(header: list[str]) -> str:
    """Name the layout of an ACLED header: ``current``, ``api-pre-2023`` or ``other``.

    Examples:
        >>> layout_of(CURRENT_COLUMNS), layout_of(OLD_COLUMNS), layout_of(["event_id_cnty"])
        ('current', 'api-pre-2023', 'other')
    """
    names = {h.strip().lower() for h in header}
    if "disorder_type" in names:
        return "current"
    if names & {"data_id", "event_id_no_cnty", "iso3"}:
        return "api-pre-2023"
    return "other"


class _AcledImport(RowImport):
    def __init__(self, builder: Builder, actor_map: ActorMap, on_error: OnError) -> None:
        super().__init__(builder, actor_map, on_error)
        self.columns: dict[str, int] = {}  # the current file's header: name -> index
        self.slugs: dict[str, str] = {}  # id -> the name that took it
        self.layout = "other"

    def header(self, file: str, header: list[str]) -> None:
        columns = {name.strip().lower(): i for i, name in enumerate(header)}
        missing = [name for name in _REQUIRED if name not in columns]
        if "iso" not in columns and "iso3" not in columns:
            missing.append("iso")
        if missing:
            raise ImporterError(
                f"{file}:1: not an ACLED export header: missing column(s) {', '.join(missing)}"
            )
        self.columns = columns
        self.layout = layout_of(header)
        self.width = len(header)

    def read_row(self, row: list[str]) -> None:
        columns = self.columns
        if len(row) != self.width:
            raise BadRow(f"expected {self.width} columns as in the header, got {len(row)}")

        def get(name: str) -> str:
            index = columns.get(name)
            return row[index].strip() if index is not None else ""

        record = get("event_id_cnty")
        if not _RECORD.match(record):
            raise BadRow(f"event_id_cnty {record!r} is not an ACLED event id")
        event_id = f"acled-{record}"
        if not self.builder.is_new_event(event_id):
            return
        precision = get("time_precision")
        when = _when(get("event_date"), precision)
        fields: dict[str, str | int | float | bool | None] = {"layout": self.layout}
        for name in _FIELDS:
            if get(name):
                fields[name] = get(name)
        event_type = EVENT_TYPES.get((get("event_type").lower(), _sub(get("sub_event_type"))))
        if event_type is None:
            event_type = EVENT_TYPES.get((get("event_type").lower(), "*"), "other")
        actor = self._actor(get("actor1"), get("inter1"))
        target = self._actor(get("actor2"), get("inter2"))
        participants: list[dict[str, str]] = []
        for role in ("assoc_actor_1", "assoc_actor_2"):
            for name in _split(get(role)):
                actor_id = self._actor(name, "")
                if (
                    actor_id is not None
                    and actor_id not in (actor, target)
                    and all(p["actor"] != actor_id for p in participants)
                ):
                    participants.append({"actor": actor_id, "role": role})
        quantities = []
        fatalities = get("fatalities")
        if fatalities:
            if not fatalities.isdigit():
                raise BadRow(f"fatalities {fatalities!r} is not a whole number")
            quantities.append({"value": int(fatalities), "unit": "fatalities"})
        sources = [self._source(name) for name in _split(get("source"))]
        data: dict[str, Any] = {
            "id": event_id,
            "type": event_type,
            "date": when,
            "actor": actor,
            "target": target,
            "participants": participants,
            "location": self._location(get),
            "quantities": quantities,
            "summary": clean_text(get("notes")) or None,
            "sources": list(dict.fromkeys(sources)),
            "provenance": {"dataset": DATASET, "record": record, "fields": fields},
        }
        self.builder.add_event(data)

    def _actor(self, raw: str, inter: str) -> str | None:
        name = clean_line(raw)
        if not name:
            return None
        mapped = self.mapped_actor(name)
        if mapped is not None:
            return mapped
        builder = self.builder
        actor_id = self._id("acled-actor", name)
        if actor_id in builder.known or actor_id in builder.actors:
            return actor_id
        kind = INTER_KINDS.get(inter.strip().lower(), "other")
        builder.actors[actor_id] = Actor.model_validate(
            {
                "id": actor_id,
                "name": name,
                "kind": kind,
                "provenance": {
                    "dataset": DATASET,
                    "record": name,
                    "fields": {"inter": inter} if inter else {},
                },
            }
        )
        return actor_id

    def _source(self, name: str) -> str:
        return self.builder.add_source(
            {
                "id": self._id("acled-src", name),
                "title": name,
                "reliability": "F",
                "provenance": {"dataset": DATASET, "record": name},
            }
        )

    def _id(self, prefix: str, name: str) -> str:
        """``prefix-slug``; a second name with the same slug gets a hash suffix."""
        candidate = f"{prefix}-{slug(name)}"
        owner = self.slugs.setdefault(candidate, name)
        if owner == name:
            return candidate
        return f"{candidate}-{short_hash(name, 6)}"

    def _location(self, get: Any) -> dict[str, Any] | None:
        location: dict[str, Any] = {}
        lat_text, lon_text = get("latitude"), get("longitude")
        if bool(lat_text) != bool(lon_text):
            raise BadRow("latitude and longitude must both be given or both be empty")
        if lat_text:
            try:
                lat, lon = float(lat_text), float(lon_text)
            except ValueError:
                raise BadRow(f"latitude/longitude {lat_text!r}/{lon_text!r} not numbers") from None
            if not -90 <= lat <= 90 or not -180 <= lon <= 180:
                raise BadRow(f"latitude/longitude {lat_text}/{lon_text} out of range")
            location["lat"], location["lon"] = lat, lon
        parts = [clean_line(get(n)) for n in ("location", "admin1", "country")]
        name = ", ".join(dict.fromkeys(p for p in parts if p))
        if name:
            location["name"] = name
        iso3 = get("iso3").upper()
        country = iso3 if is_iso3(iso3) else numeric_to_iso3(get("iso"))
        if country is not None:
            location["country"] = country
        return location or None


def _sub(text: str) -> str:
    return text.lower().replace("protestors", "protesters")


def _split(text: str) -> list[str]:
    return [clean_line(part) for part in text.split(";") if clean_line(part)]


def _when(text: str, precision: str) -> Any:
    day = _parse_date(text)
    if precision == "1":
        return day.isoformat()
    if precision == "2":
        width = timedelta(days=WEEK_HALF_WIDTH)
        return {"earliest": (day - width).isoformat(), "latest": (day + width).isoformat()}
    if precision == "3":
        return f"{day.year:04d}-{day.month:02d}"
    raise BadRow(f"time_precision {precision!r} is not 1, 2 or 3")


def _parse_date(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d %B %Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise BadRow(f"event_date {text!r} is not YYYY-MM-DD or 'D Month YYYY'")
