"""Any valid knowledge base, dumped back to YAML, loads to the same facts.

The knowledge bases come from the shared strategies (``tests/strategies.py``, also used by the
RDF round trip): hostile ids, every date shape, quantities, quotes, provenance.
"""

from hypothesis import given
from hypothesis import strategies as st
from strategies import documents

import graphkit as gk
from graphkit.io.dump import dump_yaml


@given(documents())
def test_dump_then_load_gives_the_same_facts(document):
    kb = gk.KnowledgeBase.from_document(document)
    again = gk.loads(dump_yaml(document))
    assert again == kb
    assert again.document.same_facts(document)


@given(documents(), st.randoms())
def test_item_order_does_not_matter_but_content_does(document, rnd):
    shuffled = document.model_copy(
        update={"actors": rnd.sample(document.actors, len(document.actors))}
    )
    assert shuffled.same_facts(document)
    renamed = document.model_copy(
        update={
            "actors": [
                document.actors[0].model_copy(update={"name": document.actors[0].name + "x"}),
                *document.actors[1:],
            ]
        }
    )
    assert not renamed.same_facts(document)


def test_flagship_dataset_round_trips(flagship):
    again = gk.loads(flagship.to_yaml())
    assert again == flagship


def test_characters_yaml_refuses_raw_are_written_escaped():
    summary = "NEL\x85 LS\u2028 PS\u2029 C1\x90 nonchars\ufffe\uffff"
    document = gk.loads(
        "format_version: 1\nsources: [{id: s, title: S, reliability: B}]\n"
        "actors: [{id: A, name: A, kind: state}]\n"
        "events: [{id: e, type: meeting, date: 2024, actor: A, summary: x, sources: [s]}]\n"
    ).document
    event = document.events[0].model_copy(update={"summary": summary})
    document = document.model_copy(update={"events": [event]})
    text = dump_yaml(document)
    assert not any(char in text for char in "\x85\u2028\u2029\x90\ufffe\uffff")
    assert gk.loads(text).events["e"].summary == summary


def test_excerpts_and_copies_survive_dump_and_load_verbatim():
    text = """format_version: 1
sources:
  - {id: s, title: T, reliability: F, copy: "sources/a b.txt", sha256: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}
actors:
  - {id: A, name: A, kind: state}
events:
  - id: e
    type: statement
    date: 2024
    actor: A
    sources:
      - {source: s, excerpt: "l’OTAN a dit « oui »\\nthen \\"no\\": 'maybe' \\u2028 …"}
      - s
"""
    kb = gk.loads(text)
    again = gk.loads(kb.to_yaml())
    assert again == kb
    ref = again.events["e"].sources[0]
    assert ref.excerpt == "l’OTAN a dit « oui »\nthen \"no\": 'maybe' \u2028 …"
    assert again.sources["s"].local_copy == "sources/a b.txt"
    assert again.events["e"].sources[1].excerpt is None
