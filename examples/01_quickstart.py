"""Load the flagship dataset, print who deployed what where, and write (and open) the timeline.

Run: python examples/01_quickstart.py [OUTPUT_DIR] [--open]
"""

import sys
import webbrowser
from pathlib import Path

import graphkit as gk

ROOT = Path(__file__).resolve().parents[1]
args = [a for a in sys.argv[1:] if a != "--open"]
out = Path(args[0]) if args else ROOT / "out"
out.mkdir(parents=True, exist_ok=True)

kb = gk.load(ROOT / "data" / "events.yaml")
print(kb)

# Who deployed what where, with the figures and on whose word.
for event in kb.events.where(type="troop_deployment").sorted():
    actor = kb.actors[event.actor].name if event.actor else "?"
    target = kb.actors[event.target].name if event.target else "?"
    figures = ", ".join(
        f"{'+' if q.kind == 'increment' else ''}{q.central:,} {q.unit or ''}"
        f"{' planned' if q.planned else ''}" + (f' ("{q.text}")' if q.text else "")
        for q in event.quantities
    )
    according = sorted({ref.according_to for ref in event.sources if ref.according_to})
    print(
        f"{event.date}: {actor} -> {target}: {figures or 'no figure'}"
        + (f" (according to {', '.join(according)})" if according else "")
    )

# The same question as a time slice: what held in October 2024?
october = kb.between("2024-10-01", "2024-10-31")
print(f"October 2024: {len(october.events)} events, {len(october.relations)} relations in force")

figure = kb.timeline(actors=["PRK", "RUS", "UKR", "USA", "KOR"])
target = out / "timeline.html"
gk.write_html(figure, target)
print(f"wrote {target}")
if "--open" in sys.argv:
    webbrowser.open(target.as_uri())
