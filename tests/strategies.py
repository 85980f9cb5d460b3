"""Hypothesis strategies for knowledge bases with hostile ids and every date shape."""

from __future__ import annotations

import string

from hypothesis import strategies as st

from graphkit.model import Document
from graphkit.model.event import MAX_FIGURE

TEXT = st.text(
    # Every character the model takes in text: C1 controls, NEL, the Unicode line and paragraph
    # separators and the noncharacters are written escaped.
    alphabet=st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="".join(map(chr, [*range(0x20), 0x7F])),
        whitelist_characters="\x85\u2028\u2029\ufffe\uffff",
    ),
    min_size=1,
    max_size=20,
)
# Characters that break IRIs, Turtle, JSON-LD or SPARQL when spliced: all must survive.
HOSTILE = "-_.:#é北 <>\"'/%{};\\`^|?&=@$!*+,()[]~"
IDS = (
    st.text(alphabet=string.ascii_letters + string.digits + HOSTILE, min_size=1, max_size=12)
    .map(lambda s: s.strip())
    .filter(bool)
)
LANGS = st.sampled_from(["fr", "en", "en-GB", "pt-BR", "ko"])


@st.composite
def dates(draw):
    year = draw(st.integers(1, 9999))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28))
    return draw(
        st.sampled_from(
            [
                f"{year:04d}",
                f"{year:04d}-{month:02d}",
                f"{year:04d}-{month:02d}-{day:02d}",
                f"{year:04d}-{month:02d}-{day:02d}T10:30:00+09:00",
                f"{year:04d}-{month:02d}-{day:02d}T23:59:59.250000-03:30",
                f"{year:04d}-{month:02d}-{day:02d}T00:00:00+00:00",
            ]
        )
    )


@st.composite
def whens(draw):
    kind = draw(st.sampled_from(["date", "bounds", "span", "open"]))
    first = draw(dates())
    if kind == "date":
        return first
    later = str(min(9999, int(first[:4]) + draw(st.integers(1, 3)))).zfill(4)
    if kind == "bounds":
        return {"earliest": first, "latest": later}
    if kind == "span":
        return {"start": first, "end": later}
    return {"start": first}


def _refs(draw, source_ids, actor_ids):
    refs = []
    for _ in range(draw(st.integers(0, 3))):
        source = draw(st.sampled_from(source_ids))
        shape = draw(st.integers(0, 3))
        if shape == 0:
            refs.append(source)
        elif shape == 3:
            refs.append({"source": source, "excerpt": draw(TEXT)})
        else:
            ref = {"source": source, "according_to": draw(st.sampled_from(actor_ids))}
            if shape == 2:
                ref["note"] = draw(TEXT)
                ref["excerpt"] = draw(TEXT)
            refs.append(ref)
    return refs


# Local copies: relative paths with characters that need escaping elsewhere (no "/" at the
# start, no "..", no backslash).
COPIES = st.text(alphabet=string.ascii_letters + "é北 -_.'\"#%<>{}", min_size=1, max_size=10).map(
    lambda name: f"sources/{name}.txt"
)
DIGESTS = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)


def _number(draw):
    # Figures are bounded by MAX_FIGURE (2**53 - 1): the edges and everything between.
    return draw(
        st.one_of(
            st.integers(-MAX_FIGURE, MAX_FIGURE),
            st.floats(-MAX_FIGURE, MAX_FIGURE, allow_nan=False, width=64),
        )
    )


def _provenance(draw):
    if not draw(st.booleans()):
        return {}
    fields = draw(
        st.dictionaries(
            IDS,
            st.one_of(
                st.none(),
                st.booleans(),
                st.integers(),
                TEXT,
                st.floats(allow_nan=False, allow_infinity=False),
            ),
            max_size=3,
        )
    )
    return {
        "provenance": {
            "dataset": draw(st.sampled_from(["acled", "gdelt.v2", "stix-bundle"])),
            "record": draw(TEXT),
            "machine_coded": draw(st.booleans()),
            "reviewed": draw(st.booleans()),
            "fields": fields,
        }
    }


@st.composite
def documents(draw):
    ids = draw(st.lists(IDS, min_size=4, max_size=12, unique=True))
    n_sources = draw(st.integers(1, 2))
    n_actors = draw(st.integers(2, len(ids) - n_sources))
    source_ids, rest = ids[:n_sources], ids[n_sources:]
    actor_ids, event_ids = rest[:n_actors], rest[n_actors:]
    event_types = [
        {
            "id": tid,
            "label": draw(TEXT),
            "goldstein": draw(st.floats(-10, 10)),
            "goldstein_alternatives": draw(st.dictionaries(IDS, st.floats(-10, 10), max_size=2)),
            "hostility": draw(st.integers(1, 5)),
            "material_support": draw(st.booleans()),
            **({"lowers_to": draw(st.integers(1, 4))} if draw(st.booleans()) else {}),
            "cameo": "172",
            "quad_class": "material_conflict",
        }
        for tid in draw(st.lists(IDS, max_size=2, unique=True))
    ]
    relation_types = [
        {
            "id": tid,
            "label": draw(TEXT),
            "symmetric": draw(st.booleans()),
            "war": False,
            "supportive": draw(st.booleans()),
        }
        for tid in draw(st.lists(IDS, max_size=2, unique=True))
    ]
    sources = [
        {
            "id": sid,
            "title": draw(TEXT),
            "reliability": draw(st.sampled_from("ABCDEF")),
            **(
                {
                    "url": "https://example.org/"
                    + draw(st.text(string.ascii_lowercase + '<>"{}|^`%#?', max_size=8))
                }
                if draw(st.booleans())
                else {}
            ),
            **({"published": draw(dates())} if draw(st.booleans()) else {}),
            **(
                {"copy": draw(COPIES.filter(lambda p: ".." not in p)), "sha256": draw(DIGESTS)}
                if draw(st.booleans())
                else {}
            ),
            **(
                {"language": draw(LANGS), "kind": "news", "notes": draw(TEXT)}
                if draw(st.booleans())
                else {}
            ),
            **_provenance(draw),
        }
        for sid in source_ids
    ]
    actors = []
    for index, aid in enumerate(actor_ids):
        actor = {
            "id": aid,
            "name": draw(TEXT),
            "kind": draw(st.sampled_from(["state", "person", "agency"])),
            "aliases": draw(st.lists(TEXT, max_size=3)),
        }
        if draw(st.booleans()):
            actor["wikidata"] = f"Q{draw(st.integers(1, 10**8))}"
            actor["country"] = "PRK"
        if index > 0 and draw(st.booleans()):
            actor["part_of"] = actor_ids[0]
        actor["sources"] = _refs(draw, source_ids, actor_ids)
        actor.update(_provenance(draw))
        actors.append(actor)
    relation_type_ids = ["allied_with", "supports", *(t["id"] for t in relation_types)]
    event_type_ids = ["meeting", "troop_deployment", "statement", *(t["id"] for t in event_types)]
    relations = []
    for index in range(draw(st.integers(0, 3))):
        a, b = draw(st.permutations(actor_ids))[:2]
        relation = {
            "id": f"rel {index}#",
            "type": draw(st.sampled_from(relation_type_ids)),
            "from": a,
            "to": b,
            "sources": _refs(draw, source_ids, actor_ids),
            "credibility": draw(st.integers(1, 6)),
        }
        if draw(st.booleans()):
            relation["start"] = draw(dates())
            if draw(st.booleans()):
                relation["end"] = str(min(9999, int(relation["start"][:4]) + 1)).zfill(4)
        elif draw(st.booleans()):
            relation["end"] = draw(dates())
        if event_ids and draw(st.booleans()):
            relation["started_by"] = draw(st.sampled_from(event_ids))
        relation.update(_provenance(draw))
        relations.append(relation)
    events = []
    for eid in event_ids:
        event = {
            "id": eid,
            "type": draw(st.sampled_from(event_type_ids)),
            "date": draw(whens()),
            "summary": draw(TEXT),
            "sources": _refs(draw, source_ids, actor_ids),
            "tags": draw(st.lists(st.sampled_from(["a", "b", "x/y", "é"]), max_size=3)),
        }
        if draw(st.booleans()):
            event["title"] = draw(TEXT)
        if draw(st.booleans()):
            event["actor"] = draw(st.sampled_from(actor_ids))
        if draw(st.booleans()):
            event["target"] = draw(st.sampled_from(actor_ids))
        event["participants"] = [
            {
                "actor": draw(st.sampled_from(actor_ids)),
                "role": draw(st.sampled_from(["reporter", "actor", "target", "host_2"])),
            }
            for _ in range(draw(st.integers(0, 3)))
        ]
        quantities = []
        for _ in range(draw(st.integers(0, 3))):
            figure = _number(draw)
            quantity = {
                draw(st.sampled_from(["value", "min", "max"])): figure,
                "kind": draw(st.sampled_from(["total", "increment"])),
                "planned": draw(st.booleans()),
                "estimate": draw(st.booleans()),
            }
            if draw(st.booleans()):
                quantity.update(
                    {
                        "unit": "soldiers",
                        "measure": draw(TEXT),
                        "text": draw(TEXT),
                        "by": draw(dates()),
                        "as_of": draw(dates()),
                    }
                )
            if draw(st.booleans()):
                quantity["sources"] = _refs(draw, source_ids, actor_ids)
                quantity["credibility"] = draw(st.integers(1, 6))
            quantities.append(quantity)
        event["quantities"] = quantities
        if draw(st.booleans()):
            location = {"name": draw(TEXT)}
            if draw(st.booleans()):
                location.update(
                    {
                        "lat": draw(st.one_of(st.floats(-90, 90), st.integers(-90, 90))),
                        "lon": draw(st.floats(-180, 180)),
                    }
                )
            if draw(st.booleans()):
                location["country"] = "RUS"
            event["location"] = location
        if draw(st.booleans()):
            quote = {"text": draw(TEXT)}
            if draw(st.booleans()):
                quote["language"] = draw(LANGS)
            if draw(st.booleans()):
                quote["translation"] = draw(TEXT)
            if draw(st.booleans()):
                quote["translation_language"] = draw(LANGS)
            if draw(st.booleans()):
                quote["speaker"] = draw(st.sampled_from(actor_ids))
            event["quote"] = quote
        if draw(st.booleans()):
            event["credibility"] = draw(st.integers(1, 6))
        event["alternative_dates"] = [
            {
                "date": draw(whens()),
                "sources": _refs(draw, source_ids, actor_ids),
                "credibility": 3,
                "note": draw(TEXT),
            }
            for _ in range(draw(st.integers(0, 2)))
        ]
        if draw(st.booleans()):
            event["notes"] = draw(TEXT)
        event.update(_provenance(draw))
        events.append(event)
    return Document.model_validate(
        {
            "format_version": 1,
            "event_types": event_types,
            "relation_types": relation_types,
            "sources": sources,
            "actors": actors,
            "relations": relations,
            "events": events,
        }
    )
