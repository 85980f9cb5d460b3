"""Path and escalation evidence quote the words of the source behind each claim."""

import graphkit as gk
from graphkit.query.evidence import evidence_for

KB = """\
format_version: 1
sources:
  - {id: wire, title: Wire, publisher: AP, reliability: B, url: "https://example.org/w", published: 2024-10-31}
actors:
  - {id: A, name: Alpha, kind: state}
  - {id: B, name: Beta, kind: state}
events:
  - id: threat
    type: threat
    date: 2024-10-31
    actor: A
    target: B
    credibility: 1
    sources:
      - {source: wire, excerpt: "they would become\\n  legitimate military targets"}
      - wire
"""


def test_evidence_carries_the_excerpt_in_text_and_json():
    kb = gk.loads(KB)
    evidence = evidence_for(kb, kb.events["threat"])
    quoted, bare = evidence.sources
    assert str(quoted) == '[B] Wire (AP): "they would become legitimate military targets"'
    assert str(bare) == "[B] Wire (AP)"
    assert evidence.to_dict()["sources"][0]["excerpt"] == (
        "they would become\n  legitimate military targets"
    )
    assert evidence.to_dict()["sources"][1]["excerpt"] is None


def test_escalation_steps_show_the_excerpt():
    kb = gk.loads(KB)
    steps = gk.escalations(kb)
    assert steps, "the threat raises the dyad A-B"
    cited = [str(c) for step in steps for e in step.evidence for c in e.sources]
    assert '[B] Wire (AP): "they would become legitimate military targets"' in cited
