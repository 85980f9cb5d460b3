"""How is North Korea connected to Ukraine, and since when? The answer with its evidence.

Run: python examples/02_paths.py [KNOWLEDGE_BASE]
"""

import sys
from pathlib import Path

import graphkit as gk

ROOT = Path(__file__).resolve().parents[1]
kb = gk.load(sys.argv[1] if len(sys.argv) > 1 else ROOT / "data" / "events.yaml")

# The shortest time-respecting paths: each hop must hold no earlier than the one before.
for path in gk.paths(kb, "North Korea", "Ukraine", k=3, temporal=True):
    print(path)
    print()

# "What did we know on 20 October 2024?" Only claims whose sources were out by then count.
try:
    known = gk.paths(kb, "North Korea", "Ukraine", known_at="2024-10-20")
    print("known on 2024-10-20:", " -> ".join(known[0].nodes), f"(confidence {known[0].grade})")
except gk.NoPathError as exc:
    print(f"on 2024-10-20: {exc}")

# Plain records for a spreadsheet, without pandas.
for row in gk.paths(kb, "PRK", "UKR").to_records()[:3]:
    print(row["hop"], row["from"], "->", row["to"], row["id"], row["grade"])
