"""Import GDELT 2.0 event exports (61 tab-separated columns, no header).

Each row becomes one machine-coded event ``gdelt-<GLOBALEVENTID>``:

* ``type``: the CAMEO ``EventCode`` mapped through the vocabulary (see :mod:`.cameo`);
* ``date``: ``SQLDATE`` at day precision;
* ``actor`` / ``target``: Actor1 / Actor2, one actor per distinct CAMEO actor code
  (``gdelt-actor-<code>``, or the curated id an actor map gives); an empty code leaves the role
  empty;
* ``location``: the ActionGeo block (full name, lat/long, FIPS country mapped to ISO alpha-3
  when the shipped table knows it);
* ``sources``: one source per distinct ``SOURCEURL`` (``gdelt-src-<sha256[:12]>``, reliability F);
* ``provenance``: ``dataset: gdelt``, ``record: GLOBALEVENTID`` and the raw codes and scores in
  ``fields`` (EventCode, GoldsteinScale, QuadClass, NumMentions, NumSources, NumArticles,
  AvgTone, ...).

Codebook: GDELT 2.0 Event Database Codebook (http://data.gdeltproject.org/documentation/).
Data: the GDELT Project, https://www.gdeltproject.org/.
"""

from __future__ import annotations

import csv
import os
import re
import sys
from collections.abc import Iterable
from datetime import date
from typing import Any

from graphkit.importers._base import (
    ActorMap,
    BadRow,
    Builder,
    ImportResult,
    OnError,
    Progress,
    Reader,
    RowImport,
    clean_line,
    short_hash,
)
from graphkit.importers.cameo import cameo_index, map_cameo
from graphkit.importers.countries import country_name, fips_to_iso3, is_iso3
from graphkit.io.vocabulary import default_vocabulary
from graphkit.model.actor import Actor, ActorKind
from graphkit.model.vocab import Vocabulary

__all__ = ["ACTOR_KINDS", "COLUMNS", "DATASET", "import_gdelt"]

DATASET = "gdelt"

_ACTOR_FIELDS = (
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
)
_GEO_FIELDS = (
    "Type",
    "FullName",
    "CountryCode",
    "ADM1Code",
    "ADM2Code",
    "Lat",
    "Long",
    "FeatureID",
)

#: The 61 columns of a GDELT 2.0 event export, in order (GDELT 2.0 Event Codebook).
COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    *(f"Actor1{f}" for f in _ACTOR_FIELDS),
    *(f"Actor2{f}" for f in _ACTOR_FIELDS),
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    *(f"Actor1Geo_{f}" for f in _GEO_FIELDS),
    *(f"Actor2Geo_{f}" for f in _GEO_FIELDS),
    *(f"ActionGeo_{f}" for f in _GEO_FIELDS),
    "DATEADDED",
    "SOURCEURL",
)
assert len(COLUMNS) == 61
_INDEX = {name: i for i, name in enumerate(COLUMNS)}

#: CAMEO actor type codes (Type1Code..Type3Code) to graphkit actor kinds; the first type code
#: found here decides. An actor with no type code whose code is its ISO country code is a state;
#: anything else is ``other``.
ACTOR_KINDS: dict[str, ActorKind] = {
    "GOV": "government",
    "LEG": "government",
    "JUD": "government",
    "MIL": "armed_force",
    "COP": "agency",
    "SPY": "agency",
    "IGO": "international_organization",
    "NGO": "non_state_group",
    "REB": "non_state_group",
    "INS": "non_state_group",
    "SEP": "non_state_group",
    "UAF": "non_state_group",
    "OPP": "non_state_group",
    "PTY": "non_state_group",
    "BUS": "company",
    "MNC": "company",
}

_QUAD = {1: "verbal_cooperation", 2: "material_cooperation", 3: "verbal_conflict"}
_QUAD[4] = "material_conflict"
_COUNTS: tuple[tuple[str, type[int] | type[float]], ...] = (
    ("NumMentions", int),
    ("NumSources", int),
    ("NumArticles", int),
    ("AvgTone", float),
)
_ID = re.compile(r"^[0-9]+$")
_CODE = re.compile(r"^[0-9]{2,4}$")
_URL = re.compile(r"^https?://[^\s\x00-\x1f\x7f]+$")

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def import_gdelt(
    paths: Iterable[str | os.PathLike[str]],
    *,
    on_error: OnError = "skip",
    actor_map: ActorMap | None = None,
    known_ids: Iterable[str] = (),
    vocabulary: Vocabulary | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    r"""Import GDELT 2.0 event export files into one machine-coded document.

    Rows are read one at a time; malformed rows (wrong column count, bad date, non-numeric
    coordinates or scores, bad event code) are recorded in ``result.problems`` with file and
    line, or raise :class:`ImporterError` with ``on_error="fail"``. A GLOBALEVENTID seen twice
    is kept once and counted in ``duplicates``. The same input always gives the same document.

    Args:
        paths: GDELT ``*.export.CSV`` files (tab-separated, unzipped).
        on_error: ``skip`` (record and continue) or ``fail`` (raise at the first bad row).
        actor_map: Maps GDELT actor codes to curated actor ids.
        known_ids: Ids of the curated knowledge base (records already there are left out).
        vocabulary: Event types for the CAMEO mapping (default: the shipped ones).
        progress: Called with (bytes read, total bytes) as the files are read.

    Raises:
        ImporterError: If a file cannot be read, or on the first bad row with ``fail``.

    Examples:
        >>> import pathlib, tempfile
        >>> row = ["881990839", "20181024"] + [""] * 59
        >>> row[_INDEX["EventCode"]] = "190"
        >>> row[_INDEX["SOURCEURL"]] = "https://example.org/a"
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "x.export.CSV"
        >>> _ = path.write_text("\t".join(row) + "\n")
        >>> result = import_gdelt([path])
        >>> event = result.document.events[0]
        >>> event.id, event.type, str(event.date), event.provenance.fields["EventCode"]
        ('gdelt-881990839', 'attack', '2018-10-24', '190')
    """
    vocab = vocabulary or default_vocabulary()
    importer = _GdeltImport(
        Builder(DATASET, known_ids), actor_map or ActorMap(), cameo_index(vocab), on_error
    )
    reader = Reader(paths, progress)
    rows = 0
    for path in reader.paths:
        with reader.csv_rows(path, delimiter="\t", quoting=csv.QUOTE_NONE) as records:
            for line, row in records:
                rows += 1
                importer.row(str(path), line, row)
    return importer.builder.result(rows, importer.problems)


class _GdeltImport(RowImport):
    def __init__(
        self, builder: Builder, actor_map: ActorMap, index: dict[str, str], on_error: OnError
    ) -> None:
        super().__init__(builder, actor_map, on_error)
        self.index = index
        self.names: dict[str, list[str]] = {}

    def read_row(self, row: list[str]) -> None:
        if len(row) != len(COLUMNS):
            raise BadRow(f"expected {len(COLUMNS)} tab-separated columns, got {len(row)}")

        def get(name: str) -> str:
            return row[_INDEX[name]].strip()

        record = get("GLOBALEVENTID")
        if not _ID.match(record):
            raise BadRow(f"GLOBALEVENTID {record!r} is not a number")
        event_id = f"gdelt-{record}"
        if not self.builder.is_new_event(event_id):
            return
        day = _sqldate(get("SQLDATE"))
        code = get("EventCode")
        if not _CODE.match(code):
            raise BadRow(f"EventCode {code!r} is not a CAMEO code (2 to 4 digits)")
        fields: dict[str, str | int | float | bool | None] = {"EventCode": code}
        for name in ("EventBaseCode", "EventRootCode"):
            if get(name):
                fields[name] = get(name)
        match = map_cameo(code, self.index)
        fields["cameo_match"] = match.how
        if match.code is not None:
            fields["cameo_matched_code"] = match.code
        # Scores and counts: an empty cell is left out, anything else must be a number.
        if get("GoldsteinScale"):
            fields["GoldsteinScale"] = _number(get("GoldsteinScale"), "GoldsteinScale", float)
        if get("QuadClass"):
            quad = _number(get("QuadClass"), "QuadClass", int)
            if quad not in _QUAD:
                raise BadRow(f"QuadClass {quad} is not 1..4")
            fields["QuadClass"] = quad
            fields["QuadClassName"] = _QUAD[quad]
        for name, kind in _COUNTS:
            if get(name):
                fields[name] = _number(get(name), name, kind)
        fields["IsRootEvent"] = get("IsRootEvent") == "1"
        actor = self._actor(row, "Actor1", fields)
        target = self._actor(row, "Actor2", fields)
        location = self._location(row, fields)
        if get("DATEADDED"):
            fields["DATEADDED"] = get("DATEADDED")
        sources = []
        url = clean_line(get("SOURCEURL"))
        if url:
            sources.append(self._source(url))
        data: dict[str, Any] = {
            "id": event_id,
            "type": match.type,
            "date": day.isoformat(),
            "actor": actor,
            "target": target,
            "location": location,
            "sources": sources,
            "provenance": {"dataset": DATASET, "record": record, "fields": fields},
        }
        self.builder.add_event(data)

    def _actor(
        self, row: list[str], side: str, fields: dict[str, str | int | float | bool | None]
    ) -> str | None:
        values = {f: row[_INDEX[f"{side}{f}"]].strip() for f in _ACTOR_FIELDS}
        code = values["Code"]
        if not code:
            return None
        fields[f"{side}Code"] = code
        mapped = self.mapped_actor(code)
        if mapped is not None:
            return mapped
        builder = self.builder
        actor_id = f"gdelt-actor-{clean_line(code)}"
        name = clean_line(values["Name"]) or code
        if actor_id in builder.known:
            return actor_id
        known = builder.actors.get(actor_id)
        if known is not None:
            names = self.names[actor_id]
            if name not in names:
                names.append(name)
                builder.actors[actor_id] = known.model_copy(update={"aliases": names[1:]})
            return actor_id
        country = values["CountryCode"]
        types = [values[f"Type{i}Code"] for i in (1, 2, 3) if values[f"Type{i}Code"]]
        kind: ActorKind = next((ACTOR_KINDS[t] for t in types if t in ACTOR_KINDS), "other")
        if not types and code == country and is_iso3(country):
            kind = "state"
            # GDELT's name is the text that matched (VICTORIA for AUS): name the state by its
            # ISO name and keep GDELT's names as aliases.
            name = country_name(country) or name
            self.names[actor_id] = [name, clean_line(values["Name"]) or code]
        else:
            self.names[actor_id] = [name]
        raw: dict[str, str | int | float | bool | None] = {
            k: v for k, v in values.items() if v and k != "Name"
        }
        builder.actors[actor_id] = Actor.model_validate(
            {
                "id": actor_id,
                "name": name,
                "kind": kind,
                "aliases": [n for n in self.names[actor_id][1:] if n != name],
                **({"country": country} if is_iso3(country) else {}),
                "provenance": {"dataset": DATASET, "record": code, "fields": raw},
            }
        )
        return actor_id

    def _location(
        self, row: list[str], fields: dict[str, str | int | float | bool | None]
    ) -> dict[str, Any] | None:
        values = {f: row[_INDEX[f"ActionGeo_{f}"]].strip() for f in _GEO_FIELDS}
        geo_type = values["Type"]
        if geo_type:
            fields["ActionGeo_Type"] = _number(geo_type, "ActionGeo_Type", int)
        for key in ("CountryCode", "ADM1Code", "FeatureID"):
            if values[key]:
                fields[f"ActionGeo_{key}"] = values[key]
        lat_text, lon_text = values["Lat"], values["Long"]
        if bool(lat_text) != bool(lon_text):
            raise BadRow("ActionGeo_Lat and ActionGeo_Long must both be given or both empty")
        location: dict[str, Any] = {}
        if lat_text:
            lat = _number(lat_text, "ActionGeo_Lat", float)
            lon = _number(lon_text, "ActionGeo_Long", float)
            if not -90 <= lat <= 90 or not -180 <= lon <= 180:
                raise BadRow(f"ActionGeo_Lat/Long {lat_text}/{lon_text} out of range")
            location["lat"], location["lon"] = lat, lon
        name = clean_line(values["FullName"])
        fips = values["CountryCode"]
        iso3 = fips_to_iso3(fips) if fips else None
        if iso3 is not None:
            location["country"] = iso3
        if name:
            location["name"] = name
        elif fips and iso3 is None:
            location["name"] = f"FIPS {fips}"  # keep the unmapped code visible, never guess
        return location or None

    def _source(self, url: str) -> str:
        return self.builder.add_source(
            {
                "id": f"gdelt-src-{short_hash(url)}",
                "title": url,
                **({"url": url} if _URL.match(url) else {}),
                "reliability": "F",
                "kind": "news",
                "provenance": {"dataset": DATASET, "record": url},
            }
        )


def _sqldate(text: str) -> date:
    if not re.fullmatch(r"[0-9]{8}", text):
        raise BadRow(f"SQLDATE {text!r} is not YYYYMMDD")
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError as exc:
        raise BadRow(f"SQLDATE {text!r} is not a date ({exc})") from None


def _number(text: str, name: str, kind: type[int] | type[float]) -> Any:
    try:
        value = kind(text)
    except ValueError:
        raise BadRow(f"{name} {text!r} is not a number") from None
    if isinstance(value, float) and value != value or value in (float("inf"), float("-inf")):
        raise BadRow(f"{name} {text!r} is not a finite number")
    return value
