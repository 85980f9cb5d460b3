"""STIX 2.1 bundles: export a knowledge base, import identities, relationships and reports.

Export (:func:`to_stix`), without custom properties:

* actors -> ``identity`` (``individual`` for people, ``organization`` for states, governments,
  agencies, international organizations, alliances and companies, ``unknown`` for ``other``),
  ``threat-actor`` (armed forces and units, ``threat_actor_types: [nation-state]``; non-state
  groups) or ``intrusion-set`` (a non-state actor that is the ``actor`` of a ``cyber_operation``
  event); the graphkit kind is the object's first label;
* relations -> ``relationship`` (type with ``-`` for ``_``, ``start_time`` = first instant of
  ``start``, ``stop_time`` = last instant of ``end``);
* events -> ``report`` (``published`` = first instant of the event's date, ``labels`` = the
  event type, ``object_refs`` = its actors and a ``location`` object when it has coordinates or a
  country);
* sources -> ``external_references`` (``source_name`` = publisher or title, ``description`` =
  title, ``url``, ``external_id`` = the graphkit source id);
* credibility -> ``confidence`` on the Admiralty scale of the STIX 2.1 specification
  (1->90, 2->70, 3->50, 4->30, 5->10; 6 "cannot be judged" is left out).

Every exported object carries an external reference ``{source_name: graphkit, external_id: ID}``;
for relations and events its ``description`` is a JSON object with what STIX has no property for
(dates as written, roles of the actors). Ids are ``uuid5`` of ``"<type>:<graphkit id>"`` in
:data:`NAMESPACE` (deterministic). URLs are written as URIs (non-ASCII and other characters a
URI cannot hold percent-encoded). A relation type that is not already of the form
``[a-z0-9_]`` is mapped to ``[a-z0-9-]`` and kept as written in ``x_graphkit_relationship_type``.

``created`` and ``modified`` follow STIX versioning (:func:`stamp_versions`): an object that is
unchanged since the previous bundle keeps both; a changed one keeps its ``created`` and gets a
later ``modified``; a new one gets the export's time, by default the modification time of the
newest input file. Re-exporting unchanged files gives the same bytes; renaming an actor gives
that identity a new ``modified``, so STIX consumers (OpenCTI, MISP, TAXII servers) take the
update instead of dropping it as a duplicate.

Import (:func:`import_stix`) reads identities, threat actors and intrusion sets as actors,
relationships between them as relations and reports as events, using the graphkit references
when present (a round trip keeps ids, types, dates, roles, credibility and source ids) and
plain STIX otherwise.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, get_args
from urllib.parse import quote, urlsplit, urlunsplit

from pydantic import ValidationError

from graphkit._fs import read_regular
from graphkit.importers._base import (
    ActorMap,
    ImporterError,
    ImportResult,
    RowProblem,
    clean_line,
    clean_text,
    short_hash,
    validation_message,
)
from graphkit.importers.countries import alpha2_to_iso3, iso3_to_alpha2
from graphkit.io.vocabulary import default_vocabulary
from graphkit.kb import KnowledgeBase
from graphkit.model.actor import Actor, ActorKind
from graphkit.model.common import SourceRef
from graphkit.model.dates import DAY_MAX, DAY_MIN
from graphkit.model.document import Document
from graphkit.model.event import Event
from graphkit.model.relation import Relation
from graphkit.model.source import Source
from graphkit.model.vocab import RelationType

__all__ = [
    "CONFIDENCE",
    "DATASET",
    "NAMESPACE",
    "EPOCH",
    "confidence_to_credibility",
    "import_stix",
    "newest_mtime",
    "relationship_type",
    "stamp_versions",
    "stix_id",
    "stix_uri",
    "to_stix",
]

DATASET = "stix"

#: Namespace of graphkit's deterministic STIX ids (``uuid5(NAMESPACE_URL, "urn:graphkit:stix")``).
NAMESPACE = uuid.UUID("40826785-7fec-50a2-a05e-8cbfed39bd49")

#: Admiralty information credibility -> STIX confidence (STIX 2.1, Appendix A "Admiralty
#: Credibility"); 6 (truth cannot be judged) has no value and is left out.
CONFIDENCE = {1: 90, 2: 70, 3: 50, 4: 30, 5: 10}

_ORGANIZATION = {"state", "government", "agency", "international_organization", "alliance"}
_ORGANIZATION.add("company")
_THREAT = {"armed_force", "armed_unit", "non_state_group"}
_ACTOR_TYPES = ("identity", "threat-actor", "intrusion-set")
_KINDS = set(get_args(ActorKind))


def stix_id(kind: str, graphkit_id: str) -> str:
    """Return the deterministic STIX id of a graphkit item.

    Examples:
        >>> stix_id("identity", "PRK") == stix_id("identity", "PRK")
        True
        >>> stix_id("identity", "PRK").startswith("identity--")
        True
    """
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}:{graphkit_id}')}"


#: The export time when neither an input file nor ``options["now"]`` gives one.
EPOCH = "1970-01-01T00:00:00.000Z"
_STAMP = "%Y-%m-%dT%H:%M:%S."
_TYPE_OK = re.compile(r"[a-z0-9_]+")
# What a URI may hold as it is (RFC 3986 unreserved, reserved and '%' of a valid escape).
_URI_SAFE = "!#$&'()*+,/:;=?@[]~-._"
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def relationship_type(graphkit_type: str) -> str:
    """Return the STIX ``relationship_type`` (``[a-z0-9-]+``) of a graphkit relation type.

    ``_`` becomes ``-``; letters lose their accents; any other run of characters becomes one
    ``-``. The export keeps the type as written in ``x_graphkit_relationship_type`` when this
    mapping cannot be undone (``-`` back to ``_``).

    Examples:
        >>> relationship_type("allied_with"), relationship_type("soutient à")
        ('allied-with', 'soutient-a')
        >>> relationship_type("北")
        'related-to'
    """
    text = unicodedata.normalize("NFKD", graphkit_type)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9]+", "-", text.replace("_", "-")).strip("-")
    return text or "related-to"


def stix_uri(url: str) -> str:
    """Return ``url`` as a URI STIX validators accept (RFC 3986: ASCII, escapes well formed).

    The host is IDNA-encoded; every other character a URI cannot hold, and a ``%`` that does
    not start an escape, is percent-encoded (UTF-8). A URL that already is a URI is unchanged.

    Examples:
        >>> stix_uri("https://fr.wikipedia.org/wiki/Corée_du_Nord")
        'https://fr.wikipedia.org/wiki/Cor%C3%A9e_du_Nord'
        >>> stix_uri("https://example.org/a%zz/<x>")
        'https://example.org/a%25zz/%3Cx%3E'
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        ascii_host = quote(host, safe="")
    netloc = parts.netloc
    if ascii_host != host:
        netloc = netloc.replace(host, ascii_host)

    def clean(text: str, safe: str = _URI_SAFE) -> str:
        return quote(_BAD_PERCENT.sub("%25", text), safe=safe + "%")

    return urlunsplit(
        (
            parts.scheme,
            clean(netloc, "!$&'()*+,;=:@[]~-._"),
            clean(parts.path, "!$&'()*+,;=:@/~-._"),
            clean(parts.query, "!$&'()*+,;=:@/?~-._"),
            clean(parts.fragment, "!$&'()*+,;=:@/?~-._"),
        )
    )


def _format_stamp(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return moment.strftime(_STAMP) + f"{moment.microsecond // 1000:03d}Z"


def newest_mtime(paths: Iterable[str | os.PathLike[str]]) -> str | None:
    """The modification time of the newest file among ``paths`` (folders: the files in them).

    Returns ``None`` when no path is a readable file or folder.
    """
    newest: float | None = None
    for path in paths:
        candidates = [Path(path)]
        if candidates[0].is_dir():
            candidates = [p for p in candidates[0].rglob("*") if p.is_file()]
        for candidate in candidates:
            try:
                mtime = candidate.stat().st_mtime
            except OSError:
                continue
            newest = mtime if newest is None else max(newest, mtime)
    if newest is None:
        return None
    return _format_stamp(datetime.fromtimestamp(newest, tz=UTC))


def _content(obj: Mapping[str, Any]) -> str:
    return json.dumps(
        {k: v for k, v in obj.items() if k not in ("created", "modified")},
        sort_keys=True,
        ensure_ascii=False,
    )


def stamp_versions(
    objects: list[dict[str, Any]], now: str, previous: Mapping[str, Mapping[str, Any]]
) -> None:
    """Set ``created`` and ``modified`` of each object, as STIX versioning requires.

    ``previous`` maps ids to the objects of the previous bundle. Unchanged object (same content
    apart from the two stamps): both kept. Changed object: ``created`` kept, ``modified`` is
    ``now``, or one millisecond after the previous ``modified`` if ``now`` is not later. New
    object: both ``now``.

    Examples:
        >>> objects = [{"id": "identity--1", "name": "B"}]
        >>> old = {"identity--1": {"id": "identity--1", "name": "A", "created": EPOCH,
        ...        "modified": EPOCH}}
        >>> stamp_versions(objects, EPOCH, old)
        >>> objects[0]["created"], objects[0]["modified"]
        ('1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00.001Z')
    """
    for obj in objects:
        before = previous.get(obj["id"])
        if before is None or not isinstance(before.get("created"), str):
            obj["created"] = obj["modified"] = now
            continue
        created, modified = str(before["created"]), str(before.get("modified", before["created"]))
        obj["created"] = created
        if _content(before) == _content(obj):
            obj["modified"] = modified
        elif now > modified:
            obj["modified"] = now
        else:
            later = datetime.strptime(modified, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
            obj["modified"] = _format_stamp(later + timedelta(milliseconds=1))


def _previous_objects(previous: object) -> dict[str, Mapping[str, Any]]:
    if previous is None:
        return {}
    if isinstance(previous, (str, os.PathLike)):
        path = Path(previous)
        if not path.is_file():
            return {}
        try:
            previous = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ImporterError(
                f"{path}: cannot read the previous STIX bundle ({exc}); delete it or write "
                "the new bundle elsewhere"
            ) from exc
    if not isinstance(previous, Mapping) or previous.get("type") != "bundle":
        raise ImporterError("the previous STIX bundle is not a bundle")
    objects = previous.get("objects", [])
    return {
        str(o["id"]): o for o in objects if isinstance(o, Mapping) and isinstance(o.get("id"), str)
    }


def confidence_to_credibility(confidence: int) -> int:
    """Map a STIX confidence (0-100) to the Admiralty grade, by the STIX 2.1 ranges.

    0-19 -> 5, 20-39 -> 4, 40-59 -> 3, 60-79 -> 2, 80-100 -> 1.

    Examples:
        >>> [confidence_to_credibility(c) for c in (90, 70, 50, 30, 10, 100, 0)]
        [1, 2, 3, 4, 5, 1, 5]
    """
    for grade, floor in ((1, 80), (2, 60), (3, 40), (4, 20)):
        if confidence >= floor:
            return grade
    return 5


def _stamp(day: int, end: bool = False) -> str:
    moment = time(23, 59, 59, 999000) if end else time(0)
    value = datetime.combine(date.fromordinal(day), moment, tzinfo=UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def to_stix(kb: KnowledgeBase, options: dict[str, object] | None = None) -> str:
    """Return the knowledge base as a STIX 2.1 bundle (JSON text, keys sorted, 2-space indent).

    ``options``: ``previous`` (the previous bundle: a path, which may not exist yet, or the
    parsed JSON) and ``now`` (the time stamped on new and changed objects; default: the
    modification time of the newest of ``kb.files``, else :data:`EPOCH`); see
    :func:`stamp_versions`.

    Raises:
        ImporterError: If the previous bundle cannot be read.

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... sources: [{id: s, title: Report, reliability: B, url: "https://example.org/r"}]
        ... actors: [{id: A, name: Alpha, kind: state}, {id: B, name: Beta, kind: armed_force}]
        ... events: [{id: e, type: attack, date: 2024-10-23, actor: B, target: A, sources: [s],
        ...           credibility: 2}]
        ... ''')
        >>> bundle = json.loads(to_stix(kb))
        >>> sorted(o["type"] for o in bundle["objects"])
        ['identity', 'report', 'threat-actor']
        >>> report = [o for o in bundle["objects"] if o["type"] == "report"][0]
        >>> report["confidence"], report["published"], report["labels"]
        (70, '2024-10-23T00:00:00.000Z', ['attack'])
    """
    options = options or {}
    common = {"spec_version": "2.1"}
    objects: list[dict[str, Any]] = []
    cyber_actors = {e.actor for e in kb.events if e.type == "cyber_operation" and e.actor}
    ids: dict[str, str] = {}
    for actor in kb.actors:
        obj = _actor_object(actor, actor.id in cyber_actors)
        obj.update(common)
        ids[actor.id] = obj["id"]
        objects.append(obj)
    sources = {s.id: s for s in kb.sources}
    for relation in kb.relations:
        extra: dict[str, Any] = {"type": relation.type}
        if relation.start is not None:
            extra["start"] = str(relation.start)
        if relation.end is not None:
            extra["end"] = str(relation.end)
        rel: dict[str, Any] = {
            "type": "relationship",
            "id": stix_id("relationship", relation.id),
            **common,
            "relationship_type": relationship_type(relation.type),
            "source_ref": ids[relation.from_],
            "target_ref": ids[relation.to],
            "external_references": [
                _graphkit_ref(relation.id, extra),
                *_source_refs(relation.sources, sources),
            ],
        }
        if not _TYPE_OK.fullmatch(relation.type):
            rel["x_graphkit_relationship_type"] = relation.type
        extent = relation.extent
        if extent.lo > DAY_MIN:
            rel["start_time"] = _stamp(extent.lo)
        if extent.hi < DAY_MAX:
            rel["stop_time"] = _stamp(extent.hi, end=True)
        if relation.summary:
            rel["description"] = relation.summary
        _confidence(rel, relation.credibility)
        objects.append(rel)
    for event in kb.events:
        refs = [ids[a] for a in event.actor_ids]
        location = _location_object(event, common)
        if location is not None:
            objects.append(location)
            refs.append(location["id"])
        if not refs:
            producer = _producer(common)
            if producer not in objects:
                objects.append(producer)
            refs.append(producer["id"])
        extra = {
            "date": event.model_dump(mode="json", include={"date"})["date"],
            "actor": event.actor,
            "target": event.target,
            "participants": [[p.actor, p.role] for p in event.participants] or None,
        }
        report: dict[str, Any] = {
            "type": "report",
            "id": stix_id("report", event.id),
            **common,
            "name": event.summary.splitlines()[0] if event.summary else f"{event.type} {event.id}",
            "published": _stamp(event.extent.lo),
            "report_types": ["threat-report"],
            "labels": [event.type],
            "object_refs": refs,
            "external_references": [
                _graphkit_ref(event.id, {k: v for k, v in extra.items() if v is not None}),
                *_source_refs(event.sources, sources),
            ],
        }
        if event.summary:
            report["description"] = event.summary
        _confidence(report, event.credibility)
        objects.append(report)
    now = options.get("now") or newest_mtime(kb.files) or EPOCH
    stamp_versions(objects, str(now), _previous_objects(options.get("previous")))
    bundle = {
        "type": "bundle",
        "id": f"bundle--{uuid.uuid5(NAMESPACE, 'bundle:' + short_hash(json.dumps(objects)))}",
        "objects": objects,
    }
    return json.dumps(bundle, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _actor_object(actor: Actor, cyber: bool) -> dict[str, Any]:
    if actor.kind in _THREAT and cyber and actor.kind != "armed_force":
        kind = "intrusion-set"
    elif actor.kind in _THREAT:
        kind = "threat-actor"
    else:
        kind = "identity"
    obj: dict[str, Any] = {
        "type": kind,
        "id": stix_id(kind, actor.id),
        "name": actor.name,
        "labels": [actor.kind],
    }
    if kind == "identity":
        obj["identity_class"] = (
            "individual"
            if actor.kind == "person"
            else ("organization" if actor.kind in _ORGANIZATION else "unknown")
        )
    elif actor.aliases:
        obj["aliases"] = list(actor.aliases)
    if kind == "threat-actor" and actor.kind in ("armed_force", "armed_unit"):
        obj["threat_actor_types"] = ["nation-state"]
    if actor.description:
        obj["description"] = actor.description
    extra: dict[str, Any] = {}
    if actor.country:
        extra["country"] = actor.country
    if actor.part_of:
        extra["part_of"] = actor.part_of
    if actor.aliases and kind == "identity":
        extra["aliases"] = list(actor.aliases)
    refs = [_graphkit_ref(actor.id, extra)]
    if actor.wikidata:
        refs.append(
            {
                "source_name": "wikidata",
                "external_id": actor.wikidata,
                "url": f"https://www.wikidata.org/wiki/{actor.wikidata}",
            }
        )
    obj["external_references"] = refs
    return obj


def _graphkit_ref(item_id: str, extra: Mapping[str, Any]) -> dict[str, Any]:
    ref: dict[str, Any] = {"source_name": "graphkit", "external_id": item_id}
    if extra:
        ref["description"] = json.dumps(dict(extra), sort_keys=True, ensure_ascii=False)
    return ref


def _source_refs(refs: Iterable[SourceRef], sources: Mapping[str, Source]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for ref in refs:
        source = sources[ref.source]
        entry: dict[str, Any] = {
            "source_name": source.publisher or source.title,
            "description": source.title,
            "external_id": source.id,
        }
        if source.url:
            entry["url"] = stix_uri(source.url)
        if entry not in out:
            out.append(entry)
    return out


def _confidence(obj: dict[str, Any], credibility: int | None) -> None:
    if credibility is not None and credibility in CONFIDENCE:
        obj["confidence"] = CONFIDENCE[credibility]


def _location_object(event: Event, common: Mapping[str, Any]) -> dict[str, Any] | None:
    loc = event.location
    if loc is None:
        return None
    obj: dict[str, Any] = {"type": "location", "id": stix_id("location", event.id), **common}
    alpha2 = iso3_to_alpha2(loc.country) if loc.country else None
    if loc.lat is not None and loc.lon is not None:
        obj["latitude"], obj["longitude"] = float(loc.lat), float(loc.lon)
    if alpha2:
        obj["country"] = alpha2
    if "latitude" not in obj and "country" not in obj:
        return None  # STIX needs coordinates, a country or a region; a bare name cannot go
    if loc.name:
        obj["name"] = loc.name
    return obj


def _producer(common: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "type": "identity",
        "id": stix_id("identity", "graphkit:producer"),
        **common,
        "name": "graphkit knowledge base",
        "identity_class": "system",
        "labels": ["graphkit-producer"],
    }


# ---- import -------------------------------------------------------------------------------------


def import_stix(
    paths: Iterable[str | os.PathLike[str]],
    *,
    actor_map: ActorMap | None = None,
    known_ids: Iterable[str] = (),
) -> ImportResult:
    """Read STIX 2.1 bundles: identities/threat actors/intrusion sets, relationships, reports.

    Objects of other types, and relationships whose ends are not actors, are counted in the
    result's problems (``skipped ...``), never silently dropped. Ids come from the graphkit
    external reference when there is one, else ``stix-<STIX id>``.

    Raises:
        ImporterError: If a file is not JSON or not a STIX bundle, or an object cannot be read.

    Examples:
        >>> import graphkit as gk, tempfile, pathlib
        >>> kb = gk.loads('''
        ... format_version: 1
        ... actors: [{id: A, name: Alpha, kind: state}, {id: B, name: Beta, kind: state}]
        ... relations: [{id: r, type: allied_with, from: A, to: B, start: 2024-10}]
        ... ''')
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "b.json"
        >>> _ = path.write_text(to_stix(kb))
        >>> back = import_stix([path]).document
        >>> [(r.id, r.type, str(r.start)) for r in back.relations]
        [('r', 'allied_with', '2024-10')]
    """
    actor_map = actor_map or ActorMap()
    known = set(known_ids)
    reader = _StixImport(actor_map, known)
    for path in paths:
        name = str(path)
        try:
            data = json.loads(read_regular(path).decode("utf-8"))
        except OSError as exc:
            raise ImporterError(f"{name}: cannot read: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise ImporterError(f"{name}: not UTF-8 text ({exc.reason})") from exc
        except json.JSONDecodeError as exc:
            raise ImporterError(f"{name}:{exc.lineno}: not JSON ({exc.msg})") from exc
        if not isinstance(data, dict) or data.get("type") != "bundle":
            raise ImporterError(f'{name}:1: not a STIX bundle (no "type": "bundle")')
        objects = data.get("objects", [])
        if not isinstance(objects, list) or not all(isinstance(o, dict) for o in objects):
            raise ImporterError(f"{name}:1: bundle 'objects' must be a list of objects")
        reader.read(name, objects)
    document = Document(
        format_version=1,
        relation_types=list(reader.relation_types.values()),
        sources=list(reader.sources.values()),
        actors=list(reader.actors.values()),
        relations=list(reader.relations.values()),
        events=list(reader.events.values()),
    )
    return ImportResult(
        document,
        DATASET,
        rows=reader.count,
        problems=reader.problems,
        already_curated=reader.already_curated,
        external_actors=reader.external,
    )


class _StixImport:
    def __init__(self, actor_map: ActorMap, known: set[str]) -> None:
        self.actor_map = actor_map
        self.known = known
        self.actors: dict[str, Actor] = {}
        self.relations: dict[str, Relation] = {}
        self.events: dict[str, Event] = {}
        self.sources: dict[str, Source] = {}
        self.relation_types: dict[str, RelationType] = {}
        self.external: set[str] = set()
        self.problems: list[RowProblem] = []
        self.already_curated = 0
        self.count = 0
        self.vocabulary = default_vocabulary()

    def read(self, file: str, objects: list[dict[str, Any]]) -> None:
        by_id = {str(o.get("id")): o for o in objects}
        actor_ids: dict[str, str] = {}
        for index, obj in enumerate(objects):
            self.count += 1
            if obj.get("type") in _ACTOR_TYPES and "graphkit-producer" not in obj.get("labels", []):
                actor_ids[str(obj["id"])] = self._guard(file, index, obj, self._actor)
        for index, obj in enumerate(objects):
            kind = obj.get("type")
            if kind == "relationship":
                skipped = self._guard(file, index, obj, lambda o: self._relation(o, actor_ids))
                if skipped:
                    self.problems.append(RowProblem(file, index + 1, skipped))
            elif kind == "report":
                self._guard(file, index, obj, lambda o: self._event(o, actor_ids, by_id))
            elif kind not in (*_ACTOR_TYPES, "location"):
                self.problems.append(
                    RowProblem(file, index + 1, f"skipped {kind} object {obj.get('id')}")
                )

    def _guard(self, file: str, index: int, obj: dict[str, Any], step: Any) -> Any:
        try:
            return step(obj)
        except (ValidationError, KeyError, TypeError, ValueError) as exc:
            message = validation_message(exc) if isinstance(exc, ValidationError) else repr(exc)
            raise ImporterError(
                f"{file}: object {index + 1} ({obj.get('id')}): cannot import: {message}"
            ) from exc

    def _actor(self, obj: dict[str, Any]) -> str:
        ref, extra = _graphkit(obj)
        mapped = self.actor_map.lookup(DATASET, str(obj.get("name", ""))) or self.actor_map.lookup(
            DATASET, str(obj["id"])
        )
        if mapped is not None:
            self.external.add(mapped)
            return mapped
        actor_id = ref or f"stix-{obj['id']}"
        if actor_id in self.known:
            self.already_curated += 1
            return actor_id
        labels = [lab for lab in obj.get("labels", []) if lab in _KINDS]
        if labels:
            kind = labels[0]
        elif obj["type"] == "identity" and obj.get("identity_class") == "individual":
            kind = "person"
        else:
            kind = "other"
        aliases = obj.get("aliases") or extra.get("aliases") or []
        wikidata = next(
            (
                r.get("external_id")
                for r in obj.get("external_references", [])
                if r.get("source_name") == "wikidata"
            ),
            None,
        )
        data: dict[str, Any] = {
            "id": actor_id,
            "name": clean_line(str(obj["name"])),
            "kind": kind,
            "aliases": [clean_line(str(a)) for a in aliases],
            "country": extra.get("country"),
            "wikidata": wikidata,
            "part_of": extra.get("part_of"),
            "description": clean_text(str(obj["description"])) if obj.get("description") else None,
            "provenance": {"dataset": DATASET, "record": str(obj["id"])},
        }
        self.actors[actor_id] = Actor.model_validate(
            {k: v for k, v in data.items() if v not in (None, [])}
        )
        return actor_id

    def _relation(self, obj: dict[str, Any], actor_ids: Mapping[str, str]) -> str | None:
        """Import a relationship; return why it was skipped, if it was."""
        source, target = str(obj["source_ref"]), str(obj["target_ref"])
        if source not in actor_ids or target not in actor_ids:
            return f"skipped relationship {obj['id']}: an end is not an actor"
        ref, extra = _graphkit(obj)
        relation_id = ref or f"stix-{obj['id']}"
        if relation_id in self.known:
            self.already_curated += 1
            return None
        rel_type = str(
            obj.get("x_graphkit_relationship_type")
            or extra.get("type")
            or str(obj["relationship_type"]).replace("-", "_")
        )
        if rel_type not in self.vocabulary.relation_types:
            self.relation_types.setdefault(
                rel_type, RelationType(id=rel_type, label=str(obj["relationship_type"]))
            )
        data: dict[str, Any] = {
            "id": relation_id,
            "type": rel_type,
            "from": actor_ids[source],
            "to": actor_ids[target],
            "start": extra.get("start") or _day(obj.get("start_time")),
            "end": extra.get("end") or _day(obj.get("stop_time")),
            "sources": self._sources(obj),
            "credibility": _credibility(obj),
            "summary": clean_text(str(obj["description"])) if obj.get("description") else None,
            "provenance": {"dataset": DATASET, "record": str(obj["id"])},
        }
        self.relations[relation_id] = Relation.model_validate(
            {k: v for k, v in data.items() if v not in (None, [])}
        )
        return None

    def _event(
        self, obj: dict[str, Any], actor_ids: Mapping[str, str], by_id: Mapping[str, Any]
    ) -> None:
        ref, extra = _graphkit(obj)
        event_id = ref or f"stix-{obj['id']}"
        if event_id in self.known:
            self.already_curated += 1
            return
        refs = [str(r) for r in obj.get("object_refs", [])]
        actors = [actor_ids[r] for r in refs if r in actor_ids]
        event_types = self.vocabulary.event_types
        event_type = next((lab for lab in obj.get("labels", []) if lab in event_types), "other")
        if "actor" in extra or "target" in extra or "participants" in extra:
            actor, target = extra.get("actor"), extra.get("target")
            participants = [
                {"actor": a, "role": role} for a, role in extra.get("participants") or []
            ]
        else:
            actor = actors[0] if actors else None
            target = actors[1] if len(actors) > 1 else None
            participants = [{"actor": a, "role": "participant"} for a in actors[2:]]
        location = None
        for r in refs:
            place = by_id.get(r)
            if isinstance(place, dict) and place.get("type") == "location":
                location = _location(place)
                break
        data: dict[str, Any] = {
            "id": event_id,
            "type": event_type,
            "date": extra.get("date") or _day(obj.get("published")),
            "actor": actor,
            "target": target,
            "participants": participants,
            "location": location,
            "summary": clean_text(str(obj["description"])) if obj.get("description") else None,
            "sources": self._sources(obj),
            "credibility": _credibility(obj),
            "provenance": {"dataset": DATASET, "record": str(obj["id"])},
        }
        self.events[event_id] = Event.model_validate(
            {k: v for k, v in data.items() if v not in (None, [])}
        )

    def _sources(self, obj: Mapping[str, Any]) -> list[str]:
        out: list[str] = []
        for ref in obj.get("external_references", []):
            name = ref.get("source_name")
            if name in ("graphkit", "wikidata") or not name:
                continue
            url = ref.get("url")
            source_id = str(ref.get("external_id") or f"stix-src-{short_hash(url or name)}")
            if source_id not in self.sources and source_id not in self.known:
                title = clean_line(str(ref.get("description") or name))
                data: dict[str, Any] = {
                    "id": source_id,
                    "title": title,
                    "publisher": clean_line(str(name)) if name != title else None,
                    "url": url,
                    "reliability": "F",
                    "provenance": {"dataset": DATASET, "record": source_id},
                }
                self.sources[source_id] = Source.model_validate(
                    {k: v for k, v in data.items() if v is not None}
                )
            if source_id not in out:
                out.append(source_id)
        return out


def _graphkit(obj: Mapping[str, Any]) -> tuple[str | None, dict[str, Any]]:
    for ref in obj.get("external_references", []):
        if ref.get("source_name") == "graphkit" and ref.get("external_id"):
            extra: dict[str, Any] = {}
            if ref.get("description"):
                try:
                    loaded = json.loads(ref["description"])
                except json.JSONDecodeError:
                    loaded = {}
                extra = loaded if isinstance(loaded, dict) else {}
            return str(ref["external_id"]), extra
    return None, {}


def _day(stamp: object) -> str | None:
    if not isinstance(stamp, str) or len(stamp) < 10:
        return None
    return stamp[:10]


def _credibility(obj: Mapping[str, Any]) -> int | None:
    value = obj.get("confidence")
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100:
        return confidence_to_credibility(value)
    return None


def _location(place: Mapping[str, Any]) -> dict[str, Any] | None:
    loc: dict[str, Any] = {}
    if place.get("name"):
        loc["name"] = clean_line(str(place["name"]))
    if place.get("latitude") is not None and place.get("longitude") is not None:
        loc["lat"], loc["lon"] = place["latitude"], place["longitude"]
    country = alpha2_to_iso3(str(place["country"])) if place.get("country") else None
    if country:
        loc["country"] = country
    return loc or None
