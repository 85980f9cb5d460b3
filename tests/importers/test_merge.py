"""Merging knowledge bases without losing claims; promoting imported records."""

from __future__ import annotations

import pytest

import graphkit as gk
from graphkit.importers import ImporterError, append_items, merge, promote, read_text_document
from graphkit.io.dump import dump_yaml
from graphkit.kb import KnowledgeBase
from graphkit.model import Document

A = """
format_version: 1
sources: [{id: s1, title: One, reliability: B}]
actors:
  - {id: PRK, name: North Korea, kind: state}
  - {id: RUS, name: Russia, kind: state}
relations:
  - {id: r1, type: allied_with, from: PRK, to: RUS, start: 2024-06-19, sources: [s1]}
events:
  - id: e1
    type: troop_deployment
    date: 2024-10-23
    actor: PRK
    target: RUS
    quantities: [{value: 3000, unit: soldiers}]
    sources: [s1]
"""

B = """
format_version: 1
sources:
  - {id: s2, title: Two, reliability: C}
  - {id: s1, title: One but different, reliability: C}
actors:
  - {id: PRK, name: North Korea, kind: state, aliases: [DPRK], wikidata: Q423}
  - {id: RUS, name: Russia, kind: state}
relations:
  - {id: r1, type: allied_with, from: PRK, to: RUS, start: 2024-06-19, sources: [s1]}
  - {id: r9, type: allied_with, from: PRK, to: RUS, start: 2024-06, sources: [s2]}
events:
  - id: e1
    type: troop_deployment
    date: 2024-10-23
    actor: PRK
    target: RUS
    quantities: [{value: 12000, unit: soldiers}]
    sources: [s2]
  - {id: e2, type: statement, date: 2024-11, actor: PRK, sources: [s1]}
  - {id: RUS-x, type: statement, date: 2024-11, actor: RUS}
"""


def _doc(text: str) -> Document:
    return read_text_document(text)


def test_merge_keeps_every_claim_and_reports_it():
    result = merge([_doc(A), _doc(B)], ["a.yaml", "b.yaml"])
    kb = KnowledgeBase.from_document(result.document)
    # same event, other figure: appended with the second file's source
    e1 = kb.events["e1"]
    assert [(q.value, [r.source for r in q.sources]) for q in e1.quantities] == [
        (3000, []),
        (12000, ["s2"]),
    ]
    assert [r.source for r in e1.sources] == ["s1", "s2"]
    # the second s1 differs: kept as s1~2, and b.yaml's references follow it
    assert kb.sources["s1~2"].title == "One but different"
    assert "renamed from 's1'" in kb.sources["s1~2"].notes
    assert [r.source for r in kb.events["e2"].sources] == ["s1~2"]
    assert [r.source for r in kb.relations["r1~2"].sources] == ["s1~2"]
    # an actor that only adds detail completes the first
    assert kb.actors["PRK"].aliases == ["DPRK"] and kb.actors["PRK"].wikidata == "Q423"
    codes = result.counts()
    assert codes == {
        "collision": 2,
        "completed": 1,
        "conflicting-dates": 1,
        "duplicate": 1,
        "quantities-appended": 1,
    }
    dates = next(n for n in result.notes if n.code == "conflicting-dates")
    assert "r1" in dates.message and "r9" in dates.message


def test_id_used_in_another_section_is_renamed():
    left = _doc("format_version: 1\nactors: [{id: X, name: X, kind: state}]\n")
    right = _doc(
        "format_version: 1\nsources: [{id: X, title: t, reliability: F}]\n"
        "actors: [{id: Y, name: Y, kind: state, sources: [X]}]\n"
    )
    result = merge([left, right])
    kb = KnowledgeBase.from_document(result.document)
    assert kb.sources["X~2"].title == "t"
    assert [r.source for r in kb.actors["Y"].sources] == ["X~2"]
    assert "already used by an actor" in result.notes[0].message


def test_conflicting_type_declarations_are_an_error():
    left = _doc("format_version: 1\nrelation_types: [{id: hosts, symmetric: false}]\n")
    right = _doc("format_version: 1\nrelation_types: [{id: hosts, symmetric: true}]\n")
    with pytest.raises(ImporterError, match="relation type 'hosts' differs"):
        merge([left, right])


IMPORTED = """
format_version: 1
sources:
  - {id: g-src, title: "https://example.org/a", reliability: F, provenance: {dataset: gdelt, record: "https://example.org/a"}}
actors:
  - {id: g-actor, name: POLICE, kind: agency, provenance: {dataset: gdelt, record: COP}}
events:
  - {id: g-1, type: attack, date: 2024-10-23, actor: g-actor, target: RUS, sources: [g-src], provenance: {dataset: gdelt, record: "1"}}
  - {id: g-2, type: statement, date: 2024-10-24, actor: g-actor, provenance: {dataset: gdelt, record: "2"}}
"""

CURATED = """# Curated file: keep this header
format_version: 1
actors:
  # the states
  - {id: RUS, name: Russia, kind: state}
events:
  - {id: c-1, type: statement, date: 2024-10, actor: RUS}
  # end of events
"""


def test_promote_moves_records_and_what_they_need():
    result = promote(_doc(IMPORTED), _doc(CURATED), ["g-1"])
    curated = KnowledgeBase.from_document(result.curated)
    assert curated.events["g-1"].provenance.reviewed is True
    assert result.brought == ["g-src", "g-actor"] or set(result.brought) == {"g-src", "g-actor"}
    assert curated.actors["g-actor"].provenance.reviewed is False
    assert [e.id for e in result.imported.events] == ["g-2"]
    assert result.imported.actors == [] and result.imported.sources == []
    both = Document.model_validate(
        {
            "format_version": 1,
            **{
                s: [*getattr(result.curated, s), *getattr(result.imported, s)]
                for s in ("sources", "actors", "events")
            },
        }
    )
    KnowledgeBase.from_document(both)


def test_promote_twice_and_unknown_ids():
    first = promote(_doc(IMPORTED), _doc(CURATED), ["g-1"])
    again = promote(_doc(IMPORTED), first.curated, ["g-1"])
    assert again.already == ["g-1"] and again.promoted == []
    with pytest.raises(ImporterError, match="'nope' is not in the imported file"):
        promote(_doc(IMPORTED), _doc(CURATED), ["nope"])
    clash = CURATED.replace("c-1", "g-2")
    with pytest.raises(ImporterError, match="already in the curated file with other content"):
        promote(_doc(IMPORTED), _doc(clash), ["g-2"])


def test_append_items_keeps_comments_and_facts():
    result = promote(_doc(IMPORTED), _doc(CURATED), ["g-1"])
    before = _doc(CURATED)
    added = {
        s: getattr(result.curated, s)[len(getattr(before, s)) :]
        for s in ("sources", "actors", "events")
    }
    text = append_items(CURATED, added)
    assert text is not None
    assert "# Curated file: keep this header" in text and "# the states" in text
    assert "# end of events" in text
    assert read_text_document(text).same_facts(result.curated)
    assert (
        append_items("format_version: 1\nevents: []\n", {"events": result.curated.events}) is None
    )


def test_merged_output_round_trips_through_yaml():
    result = merge([_doc(A), _doc(B)])
    gk.loads(dump_yaml(result.document))
