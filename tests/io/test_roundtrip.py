"""Any valid knowledge base, dumped back to YAML, loads to the same facts."""

import string

from hypothesis import given
from hypothesis import strategies as st

import graphkit as gk
from graphkit.io.dump import dump_yaml
from graphkit.model import Document

TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"
    ),
    min_size=1,
    max_size=30,
)
IDS = (
    st.text(alphabet=string.ascii_letters + string.digits + "-_.:#é <>\"'", min_size=1, max_size=12)
    .map(lambda s: s.strip())
    .filter(bool)
)


@st.composite
def dates(draw):
    year = draw(st.integers(1950, 2030))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28))
    return draw(
        st.sampled_from(
            [
                f"{year}",
                f"{year:04d}-{month:02d}",
                f"{year:04d}-{month:02d}-{day:02d}",
                f"{year:04d}-{month:02d}-{day:02d}T10:30:00+09:00",
            ]
        )
    )


@st.composite
def whens(draw):
    kind = draw(st.sampled_from(["date", "bounds", "span", "open"]))
    first = draw(dates())
    if kind == "date":
        return first
    later = str(int(first[:4]) + draw(st.integers(1, 3)))
    if kind == "bounds":
        return {"earliest": first, "latest": later}
    if kind == "span":
        return {"start": first, "end": later}
    return {"start": first}


@st.composite
def documents(draw):
    ids = draw(st.lists(IDS, min_size=4, max_size=12, unique=True))
    n_sources = draw(st.integers(1, 2))
    n_actors = draw(st.integers(2, len(ids) - n_sources))
    source_ids, rest = ids[:n_sources], ids[n_sources:]
    actor_ids, event_ids = rest[:n_actors], rest[n_actors:]
    sources = [
        {
            "id": sid,
            "title": draw(TEXT),
            "reliability": draw(st.sampled_from("ABCDEF")),
            **(
                {"url": "https://example.org/" + draw(st.text(string.ascii_lowercase, max_size=8))}
                if draw(st.booleans())
                else {}
            ),
            **({"published": draw(dates())} if draw(st.booleans()) else {}),
        }
        for sid in source_ids
    ]
    actors = [
        {
            "id": aid,
            "name": draw(TEXT),
            "kind": draw(st.sampled_from(["state", "person", "agency"])),
            "aliases": draw(st.lists(TEXT, max_size=2)),
        }
        for aid in actor_ids
    ]
    relations = []
    for index in range(draw(st.integers(0, 3))):
        a, b = draw(st.permutations(actor_ids))[:2]
        relation = {
            "id": f"rel {index}#",
            "type": draw(st.sampled_from(["allied_with", "supports"])),
            "from": a,
            "to": b,
            "sources": [draw(st.sampled_from(source_ids))],
            "credibility": draw(st.integers(1, 6)),
        }
        if draw(st.booleans()):
            relation["start"] = draw(dates())
        relations.append(relation)
    events = []
    for eid in event_ids:
        event = {
            "id": eid,
            "type": draw(st.sampled_from(["meeting", "troop_deployment", "statement"])),
            "date": draw(whens()),
            "actor": draw(st.sampled_from(actor_ids)),
            "summary": draw(TEXT),
            "sources": [
                draw(st.sampled_from(source_ids)),
                {
                    "source": draw(st.sampled_from(source_ids)),
                    "according_to": draw(st.sampled_from(actor_ids)),
                },
            ],
            "quantities": [
                {
                    "value": draw(st.integers(0, 10**6)),
                    "unit": "soldiers",
                    "kind": draw(st.sampled_from(["total", "increment"])),
                    "planned": draw(st.booleans()),
                },
                {"max": draw(st.floats(0, 1e6, allow_nan=False)), "estimate": True},
            ],
            "location": {
                "name": draw(TEXT),
                "lat": draw(st.floats(-90, 90)),
                "lon": draw(st.floats(-180, 180)),
            },
            "quote": {"text": draw(TEXT), "language": "fr", "translation": draw(TEXT)},
        }
        events.append(event)
    return Document.model_validate(
        {
            "format_version": 1,
            "sources": sources,
            "actors": actors,
            "relations": relations,
            "events": events,
        }
    )


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
