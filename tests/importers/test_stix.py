"""STIX 2.1 export validated with the stix2 library, and the round trip on the flagship dataset."""

from __future__ import annotations

import json

import pytest
import stix2

import graphkit as gk
from graphkit.importers import ImporterError, import_stix, to_stix
from graphkit.importers.stix import CONFIDENCE, stix_id
from graphkit.io.dump import dump_yaml


@pytest.fixture(scope="module")
def bundle_text(flagship) -> str:
    return to_stix(flagship)


def test_flagship_bundle_is_valid_stix_without_custom_properties(bundle_text, flagship):
    bundle = stix2.parse(bundle_text, allow_custom=False)
    types = [o.type for o in bundle.objects]
    assert types.count("report") == len(flagship.events)
    assert types.count("relationship") == len(flagship.relations)
    actor_objects = [o for o in bundle.objects if o.type in ("identity", "threat-actor")]
    assert len([o for o in actor_objects if o.labels[0] != "graphkit-producer"]) == len(
        flagship.actors
    )


def test_export_is_deterministic_and_ids_are_uuid5(bundle_text, flagship):
    assert to_stix(flagship) == bundle_text
    data = json.loads(bundle_text)
    by_id = {o["id"]: o for o in data["objects"]}
    assert stix_id("identity", "PRK") in by_id
    assert by_id[stix_id("identity", "PRK")]["name"] == "North Korea"


def test_actor_kinds_and_confidence(bundle_text, flagship):
    data = json.loads(bundle_text)
    by_id = {o["id"]: o for o in data["objects"]}
    for actor in flagship.actors:
        kind = "threat-actor" if actor.kind in ("armed_force", "armed_unit") else "identity"
        if actor.kind in ("non_state_group",):
            kind = "threat-actor"
        assert stix_id(kind, actor.id) in by_id, actor.id
    for event in flagship.events:
        report = by_id[stix_id("report", event.id)]
        if event.credibility in CONFIDENCE:
            assert report["confidence"] == CONFIDENCE[event.credibility]
        else:
            assert "confidence" not in report
        urls = {r.get("url") for r in report["external_references"]}
        for ref in event.sources:
            source = flagship.sources[ref.source]
            if source.url:
                assert source.url in urls


def test_relationship_times_cover_partial_dates(bundle_text, flagship):
    data = json.loads(bundle_text)
    by_id = {o["id"]: o for o in data["objects"]}
    relation = next(r for r in flagship.relations if r.start is not None and r.end is None)
    obj = by_id[stix_id("relationship", relation.id)]
    assert obj["start_time"].startswith(str(relation.start)[:4])
    assert "stop_time" not in obj
    assert obj["relationship_type"] == relation.type.replace("_", "-")


def test_round_trip_keeps_what_stix_carries(bundle_text, flagship, tmp_path):
    path = tmp_path / "bundle.json"
    path.write_text(bundle_text, encoding="utf-8")
    result = import_stix([path])
    assert result.problems == []
    back = gk.loads(dump_yaml(result.document))
    assert {
        a.id: (a.name, a.kind, a.aliases, a.country, a.wikidata, a.part_of) for a in back.actors
    } == {
        a.id: (a.name, a.kind, a.aliases, a.country, a.wikidata, a.part_of) for a in flagship.actors
    }
    for relation in flagship.relations:
        twin = back.relations[relation.id]
        assert (twin.type, twin.from_, twin.to, twin.start, twin.end) == (
            relation.type,
            relation.from_,
            relation.to,
            relation.start,
            relation.end,
        )
        assert twin.credibility == relation.credibility
        assert [r.source for r in twin.sources] == list(
            dict.fromkeys(r.source for r in relation.sources)
        )
    for event in flagship.events:
        twin = back.events[event.id]
        assert (twin.type, twin.date, twin.actor, twin.target) == (
            event.type,
            event.date,
            event.actor,
            event.target,
        )
        assert twin.participants == event.participants
        assert twin.summary == event.summary and twin.credibility == event.credibility
        assert [r.source for r in twin.sources] == list(
            dict.fromkeys(r.source for r in event.sources)
        )
        if event.location is not None and event.location.country is not None:
            assert twin.location.country == event.location.country
        assert twin.provenance.dataset == "stix"
    for source in back.sources:
        original = flagship.sources[source.id]
        assert (source.title, source.url) == (original.title, original.url)
        assert source.reliability == "F"  # STIX carries no source reliability


def test_foreign_bundle_without_graphkit_references(tmp_path):
    a = stix2.Identity(name="Alpha", identity_class="organization")
    b = stix2.ThreatActor(name="Beta", threat_actor_types=["nation-state"])
    rel = stix2.Relationship(a, "attributed-to", b, start_time="2024-01-02T00:00:00Z")
    report = stix2.Report(
        name="Beta hits Alpha",
        published="2024-02-03T10:00:00Z",
        object_refs=[b.id, a.id],
        confidence=75,
        external_references=[{"source_name": "Example", "url": "https://example.org/x"}],
    )
    malware = stix2.Malware(name="m", is_family=False)
    path = tmp_path / "foreign.json"
    path.write_text(stix2.Bundle(a, b, rel, report, malware).serialize(), encoding="utf-8")
    result = import_stix([path])
    kb = gk.loads(dump_yaml(result.document))
    event = kb.events[f"stix-{report.id}"]
    assert (event.actor, event.target) == (f"stix-{b.id}", f"stix-{a.id}")
    assert str(event.date) == "2024-02-03" and event.credibility == 2 and event.type == "other"
    relation = kb.relations[f"stix-{rel.id}"]
    assert relation.type == "attributed_to" and str(relation.start) == "2024-01-02"
    assert [t.id for t in result.document.relation_types] == ["attributed_to"]
    assert [p.message for p in result.problems] == [f"skipped malware object {malware.id}"]


def test_not_a_bundle(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"type": "identity"}', encoding="utf-8")
    with pytest.raises(ImporterError, match="not a STIX bundle"):
        import_stix([path])
    path.write_text("{", encoding="utf-8")
    with pytest.raises(ImporterError, match=r"x.json:1: not JSON"):
        import_stix([path])


def _export(kb_path, out, capsys) -> dict:
    from graphkit.cli import main

    assert main(["export", str(kb_path), "--format", "stix", "-o", str(out)]) == 0
    capsys.readouterr()
    return json.loads(out.read_text(encoding="utf-8"))


def test_stix_versions_follow_changes(tmp_path, capsys):
    """Unchanged re-export: same bytes. Renamed actor: that identity gets a later modified."""
    import os

    kb_path = tmp_path / "kb.yaml"
    text = (
        "format_version: 1\n"
        "actors: [{id: A, name: Alpha, kind: state}, {id: B, name: Beta, kind: state}]\n"
        "relations: [{id: r, type: allied_with, from: A, to: B, start: 2099}]\n"
    )
    kb_path.write_text(text, encoding="utf-8")
    os.utime(kb_path, (1_700_000_000, 1_700_000_000))  # 2023-11-14T22:13:20Z
    out = tmp_path / "bundle.json"
    first = _export(kb_path, out, capsys)
    first_bytes = out.read_bytes()
    stamps = {o["id"]: (o["created"], o["modified"]) for o in first["objects"]}
    # not the last day the knowledge base covers (2099) but the time of the file
    assert set(stamps.values()) == {("2023-11-14T22:13:20.000Z", "2023-11-14T22:13:20.000Z")}
    _export(kb_path, out, capsys)
    assert out.read_bytes() == first_bytes  # unchanged re-export: byte-identical
    kb_path.write_text(text.replace("name: Alpha", "name: Alpha Republic"), encoding="utf-8")
    os.utime(kb_path, (1_700_086_400, 1_700_086_400))  # one day later
    second = _export(kb_path, out, capsys)
    by_id = {o["id"]: o for o in second["objects"]}
    alpha = by_id[stix_id("identity", "A")]
    assert alpha["name"] == "Alpha Republic"
    assert alpha["created"] == "2023-11-14T22:13:20.000Z"  # created never changes
    assert alpha["modified"] == "2023-11-15T22:13:20.000Z"  # later: consumers take the update
    for other in ("identity--B", "relationship--r"):
        kind, item = other.split("--")
        obj = by_id[stix_id(kind, item)]
        assert (obj["created"], obj["modified"]) == stamps[obj["id"]]  # unchanged objects keep both
    stix2.parse(out.read_text(encoding="utf-8"), allow_custom=False)


def test_stix_modified_moves_forward_even_when_the_clock_does_not():
    kb = gk.loads("format_version: 1\nactors: [{id: A, name: Alpha, kind: state}]\n")
    renamed = gk.loads("format_version: 1\nactors: [{id: A, name: Beta, kind: state}]\n")
    first = json.loads(to_stix(kb, {"now": "2024-01-01T00:00:00.000Z"}))
    second = json.loads(to_stix(renamed, {"now": "2023-01-01T00:00:00.000Z", "previous": first}))
    (obj,) = second["objects"]
    assert obj["created"] == "2024-01-01T00:00:00.000Z"
    assert obj["modified"] == "2024-01-01T00:00:00.001Z"


def test_stix_maps_relation_types_and_keeps_the_original(tmp_path):
    kb = gk.loads(
        "format_version: 1\n"
        'relation_types: [{id: "soutient à"}]\n'
        "sources: [{id: s, title: T, reliability: B, url: 'https://fr.wikipedia.org/wiki/Corée'}]\n"
        "actors: [{id: A, name: A, kind: state}, {id: B, name: B, kind: state}]\n"
        'relations: [{id: r, type: "soutient à", from: A, to: B, sources: [s]}]\n'
    )
    bundle = json.loads(to_stix(kb))
    (rel,) = [o for o in bundle["objects"] if o["type"] == "relationship"]
    assert rel["relationship_type"] == "soutient-a"
    assert rel["x_graphkit_relationship_type"] == "soutient à"
    assert rel["external_references"][1]["url"] == "https://fr.wikipedia.org/wiki/Cor%C3%A9e"
    path = tmp_path / "b.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    (back,) = import_stix([path]).document.relations
    assert back.type == "soutient à"
