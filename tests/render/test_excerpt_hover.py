"""Hovers quote the words of the source behind each claim, escaped and wrapped."""

from typing import Any

import pytest

import graphkit as gk
from graphkit.render import event_map, network, timeline
from graphkit.render._describe import Describer

KB = """\
format_version: 1
sources:
  - {id: s, title: Wire, reliability: B, url: "https://example.org/a"}
actors:
  - {id: A, name: Alpha, kind: state}
  - {id: B, name: Beta, kind: state}
events:
  - id: e
    type: statement
    date: 2024-10
    actor: A
    target: B
    location: {name: Pyongyang, lat: 39.03, lon: 125.75}
    sources:
      - {source: s, excerpt: "l’OTAN <script>alert(1)</script> a confirmé « ces informations »"}
      - s
relations:
  - {id: r, type: allied_with, from: A, to: B, sources: [{source: s, excerpt: "allied & bound"}]}
"""


def test_event_and_relation_hovers_show_the_excerpt_escaped():
    kb = gk.loads(KB)
    d = Describer(kb)
    hover = d.event_hover(kb.events["e"])
    assert "“l’OTAN &lt;script&gt;alert(1)&lt;/script&gt; a confirmé « ces informations »”" in hover
    assert "<script>" not in hover
    # The bare reference to the same source shows no excerpt.
    assert hover.count("“") == 1
    assert "“allied &amp; bound”" in d.relation_hover(kb.relations["r"])


def test_long_excerpts_wrap_and_stop_after_three_lines():
    kb = gk.loads(KB.replace("allied & bound", " ".join(["word"] * 200)))
    line = Describer(kb).source_line(kb.relations["r"].sources[0])
    quoted = line.split("“", 1)[1]
    assert quoted.count("<br>") == 2 and quoted.endswith("…”")


def _hovers(fig: Any) -> list[str]:
    out: list[str] = []
    for trace in fig.data:
        text = trace.hovertext
        if text is not None:
            out.extend([text] if isinstance(text, str) else [t for t in text if t])
    return out


EVENT_QUOTE = "“l’OTAN &lt;script&gt;alert(1)&lt;/script&gt; a confirmé « ces informations »”"


@pytest.mark.parametrize("webgl", [False, True])
def test_the_timeline_hovers_quote_the_excerpts(webgl: bool) -> None:
    hovers = _hovers(timeline(gk.loads(KB), webgl=webgl))
    assert any(EVENT_QUOTE in h for h in hovers)  # the event's marker
    assert any("“allied &amp; bound”" in h for h in hovers)  # the relation's bar
    assert not any("<script>" in h for h in hovers)


def test_the_network_and_the_map_hovers_quote_the_excerpts() -> None:
    kb = gk.loads(KB)
    links = _hovers(network(kb))
    assert any("“allied &amp; bound”" in h for h in links)
    assert any(EVENT_QUOTE in h for h in links)  # the event links Alpha to Beta
    assert any(EVENT_QUOTE in h for h in _hovers(event_map(kb)))
