"""Build a small knowledge base for another crisis in code, save it as YAML, render it.

The facts come from the Red Sea dataset (examples/data/red_sea_2023_2024.yaml), where each is
checked against its cited source.

Run: python examples/05_build_in_python.py [OUTPUT_DIR]
"""

import sys
from pathlib import Path

import graphkit as gk

ROOT = Path(__file__).resolve().parents[1]
out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "out"
out.mkdir(parents=True, exist_ok=True)

kb = gk.KnowledgeBase.from_document(gk.Document(format_version=1))
kb = kb.add(
    gk.Source(
        id="reuters-2023-11-20-galaxy-leader",
        title="Seized Galaxy Leader ship in Yemen's Hodeidah anchorage, contact lost - owner",
        publisher="Reuters (via Daily Mail wire feed)",
        url="https://www.dailymail.co.uk/wires/reuters/article-12771873/Seized-Galaxy-Leader-ship-"
        "Yemens-Hodeidah-anchorage-contact-lost--owner.html?ns_mchannel=rss&ns_campaign=1490&ito=1490",
        language="en",
        published=gk.PartialDate.parse("2023-11-20"),
        reliability="B",
    ),
    gk.Source(
        id="un-press-sc15561",
        title="Adopting Resolution 2722 (2024) by Recorded Vote, Security Council Demands Houthis "
        "Immediately Stop Attacks on Merchant, Commercial Vessels in Red Sea",
        publisher="United Nations Meetings Coverage and Press Releases",
        url="https://press.un.org/en/2024/sc15561.doc.htm",
        language="en",
        published=gk.PartialDate.parse("2024-01-10"),
        reliability="B",
    ),
    gk.Actor(
        id="HOUTHI", name="Houthis (Ansar Allah)", kind="non_state_group", aliases=["Ansar Allah"]
    ),
    gk.Actor(id="UNSC", name="UN Security Council", kind="international_organization"),
)
kb = kb.add(
    gk.Event.model_validate(
        {
            "id": "galaxy-leader-seizure-2023-11-19",
            "type": "seizure",
            "date": "2023-11-19",
            "actor": "HOUTHI",
            "location": {"name": "Southern Red Sea", "country": "YEM"},
            "quantities": [{"value": 25, "unit": "crew members"}],
            "summary": "Houthi fighters took the car carrier Galaxy Leader and its 25 crew to "
            "Hodeidah.",
            "sources": ["reuters-2023-11-20-galaxy-leader"],
            "credibility": 1,
        }
    ),
    gk.Event.model_validate(
        {
            "id": "unsc-2722-2024-01-10",
            "type": "resolution",
            "date": "2024-01-10",
            "actor": "UNSC",
            "target": "HOUTHI",
            "summary": "Resolution 2722 demands the Houthis stop attacking merchant ships and "
            "release the Galaxy Leader and its crew.",
            "sources": ["un-press-sc15561"],
            "credibility": 1,
        }
    ),
)

# Mistakes are caught as they would be in a file: an unknown actor is refused.
try:
    kb.add(gk.Event.model_validate({"id": "x", "type": "attack", "date": "2024", "actor": "HOUTI"}))
except gk.LoadError as exc:
    print("refused:", exc.diagnostics[0].message, f"({exc.diagnostics[0].hint})")

path = out / "red-sea-mini.yaml"
kb.save(path)
again = gk.load(path)
print(f"saved {path}; reloads to the same facts: {again == kb}")
target = out / "red-sea-mini-timeline.html"
gk.write_html(again.timeline(), target)
print(f"wrote {target}")
