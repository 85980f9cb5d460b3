"""Escalation steps and index for the Russia-Ukraine war since 2024, with a plot.

Run: python examples/03_escalation.py [OUTPUT_DIR]
Writes escalation-index.html (a self-contained plotly chart) into OUTPUT_DIR (default: out/).
"""

import sys
from pathlib import Path

import plotly.graph_objects as go

import graphkit as gk

ROOT = Path(__file__).resolve().parents[1]
out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "out"
out.mkdir(parents=True, exist_ok=True)
kb = gk.load(ROOT / "data" / "events.yaml")

steps = gk.escalations(kb, conflict="rus-ukr-war", since="2024-01-01")
for step in steps:
    sources = {s.id for e in step.evidence for s in e.sources}
    print(f"{step.day}  {step.kind:16} {step.summary}  [{step.grade}, {len(sources)} sources]")

index = gk.escalation_index(kb, conflict="rus-ukr-war", since="2024-01-01", freq="week")
figure = go.Figure(
    [
        go.Bar(x=[p.start for p in index.points], y=[p.value for p in index.points], name="week"),
        go.Scatter(
            x=[p.start for p in index.points],
            y=[p.rolling for p in index.points],
            name=f"rolling {index.window} weeks",
        ),
    ],
    layout={"title": f"Escalation index, {index.scope}", "yaxis": {"title": "weighted intensity"}},
)
target = out / "escalation-index.html"
figure.write_html(target, include_plotlyjs=True)
print(f"wrote {target}")
