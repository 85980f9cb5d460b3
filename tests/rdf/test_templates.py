"""The template writer of ``kb.ttl`` + ``kb.nt`` writes the reference's text, byte for byte.

:func:`graphkit.rdf._templates.item_texts` writes events and relations from the model with one
f-string per group of triples; the reference is :class:`TurtleAndNTriples` over
:func:`item_triples` (the one place that decides the triples). These tests compare the two item by
item on the flagship, the Red Sea example, generated data, hostile strings under four bases and
random knowledge bases (Hypothesis), and check that the templates do write most items (a writer
that declined everything would pass the comparisons).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import graphkit as gk
from graphkit.model import Document
from graphkit.rdf._templates import ItemTexts, item_texts
from graphkit.rdf._text import TurtleAndNTriples
from graphkit.rdf._triples import _Writer, item_triples, leading_chunks
from graphkit.rdf.export import _turtle
from graphkit.rdf.iri import Minter, effective_base

from .test_text_parsers import HOSTILE

ROOT = Path(__file__).resolve().parents[2]
BASES = [None, "https://example.org/kb#", "urn:graphkit:kb:", "https://ex.org/a/b/"]


def _reference(kb: gk.KnowledgeBase, base: str) -> list[tuple[str, str, int]]:
    both = TurtleAndNTriples(_turtle(base))
    return [(*both.texts(chunk), len(chunk)) for chunk in item_triples(kb, Minter(base))]


def _assert_same_text(kb: gk.KnowledgeBase, base: str | None = None) -> None:
    chosen = effective_base(base, kb.document.base)
    fast = list(item_texts(kb, Minter(chosen), _turtle(chosen)))
    reference = _reference(kb, chosen)
    assert len(fast) == len(reference)
    for index, (ours, theirs) in enumerate(zip(fast, reference, strict=True)):
        assert ours == theirs, f"item {index}"


def _declined(kb: gk.KnowledgeBase, base: str) -> tuple[int, int]:
    """How many events and relations the templates decline (the reference writes them)."""
    writer = _Writer(kb, Minter(base))
    templates = ItemTexts(writer, _turtle(base))
    for _ in leading_chunks(kb, writer):
        pass
    declined = 0
    for relation in kb.document.relations:
        if templates.relation(relation) is None:
            declined += 1
            writer.relation(relation)
            writer.take()
    for event in kb.document.events:
        if templates.event(event) is None:
            declined += 1
            writer.event(event)
            writer.take()
    return declined, len(kb.document.relations) + len(kb.document.events)


@pytest.fixture(scope="module")
def flagship() -> gk.KnowledgeBase:
    return gk.load(ROOT / "data" / "events.yaml")


@pytest.fixture(scope="module")
def generated() -> gk.KnowledgeBase:
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import generate

    return gk.KnowledgeBase.from_document(Document.model_validate(generate(300, 11)))


@pytest.mark.parametrize("base", BASES)
def test_templates_write_the_reference_text_of_the_flagship(
    flagship: gk.KnowledgeBase, base: str | None
) -> None:
    _assert_same_text(flagship, base)


def test_templates_write_the_reference_text_of_the_red_sea_example() -> None:
    _assert_same_text(gk.load(ROOT / "examples" / "data" / "red_sea_2023_2024.yaml"))


@pytest.mark.parametrize("base", [None, "https://ex.org/a/b/"])
def test_templates_write_the_reference_text_of_generated_data(
    generated: gk.KnowledgeBase, base: str | None
) -> None:
    _assert_same_text(generated, base)


#: HOSTILE with the event's tags removed (tags send an event to the reference), and a relation.
HOSTILE_COVERED = HOSTILE.replace('     tags: ["t\\"ag", "t\\\\ag", "t>ag"],\n', "") + (
    'relations:\n  - {id: "r \\"1\\"", type: allied_with, from: "A\\\\\\"<>", to: "B>",\n'
    '     start: 2024-10, end: "2025", summary: "s \\"x\\" \\\\", notes: "n\\n",\n'
    '     sources: [{source: "s \\"1\\" <x>", note: "q\\"", according_to: "B>"}]}\n'
)


@pytest.mark.parametrize("base", BASES)
def test_templates_write_the_reference_text_on_hostile_strings(base: str | None) -> None:
    kb = gk.loads(HOSTILE_COVERED, name="hostile.yaml")
    assert "tags" not in HOSTILE_COVERED and len(kb.document.relations) == 1
    _assert_same_text(kb, base)
    _assert_same_text(gk.loads(HOSTILE, name="hostile.yaml"), base)  # tags: the reference
    if base in (None, "https://ex.org/a/b/"):  # relative IRIs: the templates write both items
        declined, items = _declined(kb, effective_base(base))
        # the event is declined once only if its roles are new: they are (actor, target)
        assert (declined, items) == (1, 2)


def test_templates_write_most_items(
    flagship: gk.KnowledgeBase, generated: gk.KnowledgeBase
) -> None:
    """Not a writer that declines everything: the reference writes only first uses of a role
    and items with alternative dates, tags or provenance."""
    base = "https://graphkit.example.org/kb/"
    declined, items = _declined(generated, base)
    assert items == 600 and declined <= 12
    declined, items = _declined(flagship, base)
    assert declined <= items // 4
    declined, items = _declined(flagship, "urn:graphkit:kb:")  # no @base: all declined
    assert declined == items


#: One-line strings (names, titles, units) and texts (summaries, notes, quotes: LF and tab too).
_LINE_CHARACTERS = st.characters(exclude_categories=["Cs", "Cc"]) | st.sampled_from(
    ['"', "\\", "<", ">", "^", "@", "'", "\u2028", "\x85", "\u2192", "\u00e9"]
)
_LINE = st.text(_LINE_CHARACTERS, min_size=1, max_size=10)
_TEXT = st.text(_LINE_CHARACTERS | st.sampled_from("\n\t"), min_size=1, max_size=10)
_ID = st.text(st.sampled_from('ab.-_~ /#%"<>é:'), min_size=1, max_size=6).filter(
    lambda s: s.strip() == s
)
_DAY = st.dates().map(lambda d: d.isoformat())
_PARTIAL = st.one_of(
    st.integers(1, 9999).map(lambda y: f"{y:04d}"),
    st.dates().map(lambda d: d.isoformat()[:7]),
    _DAY,
    st.sampled_from(["2024-10-23T14:30:00+09:00", "2024-02-29T00:00:00Z"]),
)


def _when(draw: Any) -> Any:
    kind = draw(st.sampled_from(["date", "bounds", "span", "open"]))
    if kind == "date":
        return draw(_PARTIAL)
    first, second = sorted(draw(st.lists(_DAY, min_size=2, max_size=2)))
    if kind == "bounds":
        return {"earliest": first, "latest": second}
    return {"start": first, "end": second} if kind == "span" else {"start": first}


def _maybe(draw: Any, strategy: Any) -> Any:
    return draw(strategy) if draw(st.booleans()) else None


@st.composite
def _documents(draw: Any) -> dict[str, Any]:
    actor_ids = ["A" + i for i in draw(st.lists(_ID, min_size=2, max_size=4, unique=True))]
    source_ids = ["S" + i for i in draw(st.lists(_ID, min_size=1, max_size=3, unique=True))]
    actors = [{"id": i, "name": draw(_LINE), "kind": "state"} for i in actor_ids]
    sources = [
        {"id": i, "title": draw(_LINE), "reliability": "B", "language": _maybe(draw, st.just("fr"))}
        for i in source_ids
    ]

    def refs() -> list[dict[str, Any]]:
        return [
            {
                "source": draw(st.sampled_from(source_ids)),
                "note": _maybe(draw, _TEXT),
                "excerpt": _maybe(draw, _TEXT),
                "according_to": _maybe(draw, st.sampled_from(actor_ids)),
            }
            for _ in range(draw(st.integers(0, 3)))
        ]

    actor = st.sampled_from(actor_ids)
    events = []
    for index in range(draw(st.integers(1, 4))):
        figure = st.one_of(st.integers(-(10**6), 10**6), st.floats(-1e6, 1e6, allow_nan=False))
        events.append(
            {
                "id": f"e{index}{draw(_ID)}",
                "type": draw(st.sampled_from(["meeting", "statement", "troop_deployment"])),
                "date": _when(draw),
                "actor": _maybe(draw, actor),
                "target": _maybe(draw, actor),
                "participants": [
                    {"actor": draw(actor), "role": draw(st.sampled_from(["host", "observer"]))}
                    for _ in range(draw(st.integers(0, 2)))
                ],
                "location": _maybe(
                    draw,
                    st.fixed_dictionaries(
                        {"name": _LINE},
                        optional={"lat": st.floats(-90, 90), "country": st.just("RUS")},
                    ).map(lambda place: place | {"lon": 1.5} if "lat" in place else place),
                ),
                "quantities": [
                    {
                        "value": draw(figure),
                        "unit": _maybe(draw, _LINE),
                        "text": _maybe(draw, _LINE),
                        "measure": _maybe(draw, _LINE),
                        "estimate": draw(st.booleans()),
                        "by": _maybe(draw, _PARTIAL),
                        "as_of": _maybe(draw, _PARTIAL),
                        "credibility": _maybe(draw, st.integers(1, 6)),
                        "sources": refs(),
                    }
                    for _ in range(draw(st.integers(0, 2)))
                ],
                "title": _maybe(draw, _LINE),
                "summary": _maybe(draw, _TEXT),
                "notes": _maybe(draw, _TEXT),
                "credibility": _maybe(draw, st.integers(1, 6)),
                "quote": _maybe(
                    draw,
                    st.fixed_dictionaries(
                        {"text": _TEXT},
                        optional={
                            "language": st.just("fr"),
                            "translation": _TEXT,
                            "translation_language": st.just("en"),
                            "speaker": actor,
                        },
                    ),
                ),
                "sources": refs(),
            }
        )
    event_ids = [e["id"] for e in events]
    relations = [
        {
            "id": f"r{index}{draw(_ID)}",
            "type": draw(st.sampled_from(["allied_with", "supports", "at_war_with"])),
            **dict(zip(("from", "to"), draw(st.permutations(actor_ids))[:2], strict=True)),
            **dict(
                zip(
                    ("start", "end"),
                    sorted(draw(st.lists(_DAY, min_size=2, max_size=2))),
                    strict=True,
                )
            ),
            "started_by": _maybe(draw, st.sampled_from(event_ids)),
            "ended_by": _maybe(draw, st.sampled_from(event_ids)),
            "summary": _maybe(draw, _TEXT),
            "notes": _maybe(draw, _TEXT),
            "credibility": _maybe(draw, st.integers(1, 6)),
            "sources": refs(),
        }
        for index in range(draw(st.integers(0, 3)))
    ]
    drops = [  # a relation's validity: start, end, both or neither
        draw(st.sampled_from([(), ("start",), ("end",), ("start", "end")])) for _ in relations
    ]
    return {
        "format_version": 1,
        "sources": sources,
        "actors": actors,
        "relations": [
            {k: v for k, v in r.items() if v is not None and k not in drop}
            for r, drop in zip(relations, drops, strict=True)
        ],
        "events": [{k: v for k, v in e.items() if v is not None} for e in events],
    }


def _kb(document: dict[str, Any]) -> gk.KnowledgeBase | None:
    try:
        return gk.KnowledgeBase.from_document(Document.model_validate(document))
    except (ValueError, gk.GraphkitError):  # a combination the model refuses
        return None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=_documents(), base=st.sampled_from([None, "https://ex.org/a/b/"]))
def test_templates_write_the_reference_text_of_any_knowledge_base(
    document: dict[str, Any], base: str | None
) -> None:
    kb = _kb(document)
    if kb is not None:
        _assert_same_text(kb, base)


def test_templates_hold_the_same_memory_at_ten_times_the_size() -> None:
    """``item_texts`` streams: its peak allocation does not grow with the knowledge base."""
    import tracemalloc

    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import generate

    peaks = []
    for events in (200, 2_000):
        kb = gk.KnowledgeBase.from_document(Document.model_validate(generate(events, 3)))
        base = effective_base(None, kb.document.base)
        tracemalloc.start()
        try:
            for _ in item_texts(kb, Minter(base), _turtle(base)):
                pass
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    small, large = peaks
    # a writer holding its output would take about 10x at 2,000 (some 40 MB of text)
    assert large < 1.25 * small + 64 * 1024, peaks
