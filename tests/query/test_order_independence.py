"""Order in a list never changes an answer (format.md: order carries no meaning).

Shuffling every list of a knowledge base (sources, actors, relations, events; each item's
sources, participants and quantities; each figure's sources) leaves escalations, the escalation
index, paths and the exports unchanged. Exports record the written order of an item's lists
(``gk:position``, so the round trip is lossless): with those lists shuffled they must still state
the same facts, which is checked on the N-Triples with each listed node named by its content.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import graphkit as gk
from graphkit.errors import NoPathError
from graphkit.importers import to_stix
from graphkit.query.escalation import escalation_index, escalations
from graphkit.rdf import read_triples, serialize

ACTORS = ["A", "B", "C", "D", "E"]
SOURCES = [
    {"id": "s1", "title": "One", "reliability": "B", "published": "2024-03-02"},
    {"id": "s2", "title": "Two", "reliability": "C", "published": "2024-03"},
    {"id": "s3", "title": "Three", "reliability": "D", "published": "2024-05-20"},
    {"id": "s4", "title": "Four", "reliability": "F"},
]
EVENT_TYPES = [
    "threat",
    "attack",
    "combat",
    "troop_deployment",
    "arms_transfer",
    "blockade",
    "ceasefire",
    "troop_withdrawal",
    "statement",
    "casualties",
    "join_war",
    "blockade_lifted",
    "sanctions_lifted",
    "withdrawal_announcement",
    "negotiation",
]
RELATION_TYPES = [
    "at_war_with",
    "allied_with",
    "supports",
    "supplies_arms_to",
    "sanctions",
    "hostile_to",
]
DATES = st.sampled_from(
    [
        "2024",
        "2024-03",
        "2024-03-05",
        "2024-03-20",
        "2024-04",
        {"earliest": "2024-03-01", "latest": "2024-03-25"},
        {"start": "2024-03-10", "end": "2024-04"},
        {"start": "2024-02"},
    ]
)
DAYS = st.sampled_from(["2024-02", "2024-03-05", "2024-03-20", "2024-04-10", "2024"])


@st.composite
def refs(draw: Any) -> list[Any]:
    chosen = draw(st.lists(st.sampled_from(["s1", "s2", "s3", "s4"]), max_size=3, unique=True))
    return [
        {"source": s, "according_to": draw(st.sampled_from(ACTORS))} if draw(st.booleans()) else s
        for s in chosen
    ]


@st.composite
def quantities(draw: Any) -> dict[str, Any]:
    quantity: dict[str, Any] = {
        draw(st.sampled_from(["value", "min", "max"])): draw(st.sampled_from([0, 2, 5, 10, 40])),
        "unit": "people",
        "measure": draw(st.sampled_from(["troops", "killed", "people killed"])),
        "kind": draw(st.sampled_from(["total", "total", "increment"])),
        "planned": draw(st.booleans()),
    }
    if draw(st.booleans()):
        quantity["as_of"] = draw(DAYS)
    if draw(st.booleans()):
        quantity["sources"] = draw(refs())
        quantity["credibility"] = draw(st.integers(1, 6))
    return quantity


@st.composite
def knowledge_bases(draw: Any) -> dict[str, Any]:
    actors = [
        {"id": a, "name": f"State {a}", "kind": "state", "aliases": [a + "1", a + "2"]}
        for a in ACTORS
    ]
    actors.append({"id": "A-ARMY", "name": "Army of A", "kind": "armed_force", "part_of": "A"})
    relations = []
    for i in range(draw(st.integers(1, 5))):
        a, b = draw(st.permutations(ACTORS))[:2]
        relation: dict[str, Any] = {
            "id": f"r{i}",
            "type": draw(st.sampled_from(RELATION_TYPES)),
            "from": a,
            "to": b,
            "sources": draw(refs()),
            "credibility": draw(st.integers(1, 6)),
        }
        if draw(st.booleans()):
            relation["start"] = draw(DAYS)
            if draw(st.booleans()):
                relation["end"] = draw(st.sampled_from(["2024-04-20", "2024-05", "2024-12"]))
                relation["ended_by"] = "e0"
        relations.append(relation)
    events = []
    for i in range(draw(st.integers(2, 10))):
        a, b, c = draw(st.permutations([*ACTORS, "A-ARMY"]))[:3]
        event: dict[str, Any] = {
            "id": f"e{i}",
            "type": draw(st.sampled_from(EVENT_TYPES)),
            "date": draw(DATES),
            "actor": a,
            "target": b,
            "sources": draw(refs()),
            "credibility": draw(st.integers(1, 6)),
            "participants": [{"actor": c, "role": "ally"}, {"actor": a, "role": "host"}],
            "quantities": draw(st.lists(quantities(), max_size=3)),
        }
        events.append(event)
    return {
        "format_version": 1,
        "sources": SOURCES,
        "actors": actors,
        "relations": relations,
        "events": events,
    }


def shuffled(document: dict[str, Any], rnd: random.Random) -> dict[str, Any]:
    """A deep copy of the document with every list shuffled."""

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            items = [walk(v) for v in value]
            rnd.shuffle(items)
            return items
        return value

    return walk(document)


def answers(kb: gk.KnowledgeBase) -> dict[str, Any]:
    found: dict[str, Any] = {
        "escalations": escalations(kb).to_json(),
        "index": escalation_index(kb, freq="week").to_json(),
        "index A": escalation_index(kb, actor="A", freq="month").to_json(),
    }
    for conflict in gk.conflicts(kb):
        found[f"index {conflict.name}"] = escalation_index(kb, conflict=conflict.name).to_json()
    for source, target in (("A", "C"), ("B", "E"), ("D", "A")):
        try:
            found[f"paths {source} {target}"] = gk.paths(
                kb, source, target, k=3, temporal=True, undirected=True
            ).to_json()
        except NoPathError as exc:
            found[f"paths {source} {target}"] = str(exc)
    return found


_LISTED = re.compile(r"^(.*)/(quantity|source|participant|alternative-date|tag|alias)/\d+$")


def facts(ntriples: str) -> set[tuple[str, str, str]]:
    """The N-Triples as a set, each listed node (and what hangs under it) renamed after its
    content, ``gk:position`` dropped: the facts, whatever order the lists were written in."""
    triples = [
        tuple(re.match(r"(\S+) (\S+) (.*) \.$", line).groups())  # type: ignore[union-attr]
        for line in ntriples.splitlines()
        if line.strip()
    ]
    triples = [t for t in triples if not t[1].endswith("#position>")]
    nodes = {n[1:-1] for s, _, o in triples for n in (s, o) if n.startswith("<")}
    listed = sorted((n for n in nodes if _LISTED.match(n)), key=lambda n: -n.count("/"))
    names: dict[str, str] = {}

    def rename(term: str) -> str:
        """Replace every listed node in ``term`` by its name (inner names embed outer IRIs)."""
        if not term.startswith("<"):
            return term
        bare = term[1:-1]
        changed = True
        while changed:
            changed = False
            for node in sorted(names, key=len, reverse=True):
                if bare == node or bare.startswith(node + "/"):
                    bare, changed = names[node] + bare[len(node) :], True
                    break
        return f"<{bare}>"

    for node in listed:  # innermost first: their names are in the content of the outer ones
        inside = [
            (rename(s), p, rename(o))
            for s, p, o in triples
            if s[1:-1] == node or s[1:-1].startswith(node + "/")
        ]
        here = rename(f"<{node}>")[1:-1]
        content = sorted(tuple(x.replace(here, "~") for x in triple) for triple in inside)
        digest = hashlib.sha256(repr(content).encode()).hexdigest()[:16]
        match = _LISTED.match(node)
        assert match is not None
        names[node] = f"{match.group(1)}/{match.group(2)}#{digest}"
    return {(rename(s), p, rename(o)) for s, p, o in triples}


def sorted_lists(value: Any) -> Any:
    """A JSON value with every list sorted: what a STIX bundle says, whatever the written order."""
    if isinstance(value, dict):
        return {k: sorted_lists(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((sorted_lists(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, str) and value.startswith("{"):  # graphkit's own fields, as JSON text
        return sorted_lists(json.loads(value))
    return value


def stix_facts(kb: gk.KnowledgeBase) -> Any:
    return sorted_lists(json.loads(to_stix(kb))["objects"])


@settings(max_examples=25, deadline=None)
@given(knowledge_bases(), st.randoms(use_true_random=False))
def test_shuffling_every_list_changes_no_answer(document, rnd):
    kb = gk.loads(json.dumps(document))
    again = gk.loads(json.dumps(shuffled(document, rnd)))
    assert answers(again) == answers(kb)
    assert facts(serialize(again, "nt")) == facts(serialize(kb, "nt"))
    assert stix_facts(again) == stix_facts(kb)


@settings(max_examples=10, deadline=None)
@given(knowledge_bases(), st.randoms(use_true_random=False))
def test_shuffling_the_items_leaves_the_exports_unchanged(document, rnd):
    items = dict(document)
    for section in ("sources", "actors", "relations", "events"):
        items[section] = rnd.sample(document[section], len(document[section]))
    kb, again = gk.loads(json.dumps(document)), gk.loads(json.dumps(items))
    assert sorted(serialize(again, "nt").splitlines()) == sorted(serialize(kb, "nt").splitlines())
    assert to_stix(again) == to_stix(kb)  # JSON, byte for byte
    with tempfile.TemporaryDirectory() as folder:  # JSON-LD read by pyoxigraph's parser
        triples = []
        for name, base in (("a", kb), ("b", again)):
            path = Path(folder) / f"{name}.jsonld"
            path.write_text(serialize(base, "json-ld"), encoding="utf-8")
            triples.append(set(read_triples(path)))
        assert triples[0] == triples[1]
    assert answers(again) == answers(kb)


def test_two_alliances_between_the_same_actors_are_evidence_in_id_order():
    """Found by Hypothesis: the evidence of a new-party step listed the alliances of the new
    party in file order, so swapping two ``allied_with`` items changed the answer."""
    war = {"type": "at_war_with", "from": "A", "to": "B", "sources": [], "credibility": 1}
    ally = {"type": "allied_with", "from": "B", "to": "C", "sources": [], "credibility": 1}
    event = {"date": "2024", "sources": [], "credibility": 1}
    document = {
        "format_version": 1,
        "actors": [{"id": a, "name": f"State {a}", "kind": "state"} for a in "ABC"],
        "relations": [
            {"id": "r0", **war},
            {"id": "r3", **ally},
            {"id": "r4", **ally},
        ],
        "events": [
            {"id": "e0", "type": "threat", "actor": "A", "target": "B", **event},
            {"id": "e1", "type": "attack", "actor": "C", "target": "A", **event},
        ],
    }
    swapped = dict(document, relations=[document["relations"][i] for i in (0, 2, 1)])
    steps = escalations(gk.loads(json.dumps(document)))
    assert [e.id for e in steps[0].evidence] == ["e1", "r3", "r4"]
    assert escalations(gk.loads(json.dumps(swapped))).to_json() == steps.to_json()
