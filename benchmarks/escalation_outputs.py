"""Write every escalation output of a knowledge base to a folder, to compare versions byte for byte.

The escalation scan is tuned for speed; its answers must not change. Run this with the code
before and after a change and compare the folders (``diff -r BEFORE AFTER`` or ``cmp``)::

    python -m benchmarks.escalation_outputs data/events.yaml /tmp/esc/before/events
    (change the code)
    python -m benchmarks.escalation_outputs data/events.yaml /tmp/esc/after/events
    diff -r /tmp/esc/before /tmp/esc/after && echo identical

Written: ``steps.txt`` (the text ``graphkit build`` writes to escalations.txt, printed before
any evidence record is built), ``steps.json`` (``--json``), ``steps.records.json``, the index of
the whole knowledge base by day, week and month (``index.all.*.json``), and ``scoped.txt``: a
SHA-256 per filtered answer (steps and index by conflict, by a sample of actors and dyads, by
kind, by dates; ``escalation_index`` with its own scan; ``str`` of steps whose evidence is built).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import get_args

import graphkit as gk
from graphkit.query.escalation import Kind, escalation_index, escalation_scan, escalations


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def write_outputs(data: Path, out: Path) -> int:
    """Write the outputs of ``data`` into ``out``; return the number of steps."""
    out.mkdir(parents=True, exist_ok=True)
    kb = gk.load(data)
    scan = escalation_scan(kb)
    steps = scan.steps()
    (out / "steps.txt").write_text(f"{steps}\n")
    (out / "steps.json").write_text(steps.to_json())
    records = json.dumps(steps.to_records(), indent=1, default=str)
    (out / "steps.records.json").write_text(records)
    if escalations(kb).to_json() != steps.to_json():
        raise AssertionError("escalations(kb) and escalation_scan(kb).steps() differ")
    for freq in ("day", "week", "month"):
        (out / f"index.all.{freq}.json").write_text(scan.index(freq=freq).to_json())
    conflicts = [c.name for c in scan.context.conflicts][:5]
    actors = sorted({p for s in steps for p in s.parties})
    actors = actors[:: max(1, len(actors) // 8)][:8]
    dyads = sorted({(s.parties[0], s.parties[1]) for s in steps if len(s.parties) == 2})
    dyads = dyads[:: max(1, len(dyads) // 6)][:6]
    lines = []
    for freq in ("day", "week", "month"):
        for name in conflicts:
            index = scan.index(conflict=name, freq=freq)  # type: ignore[arg-type]
            lines.append(f"index conflict {name} {freq} {_digest(index.to_json())}")
        for actor in actors:
            index = scan.index(actor=actor, freq=freq)  # type: ignore[arg-type]
            lines.append(f"index actor {actor} {freq} {_digest(index.to_json())}")
        for dyad in dyads:
            index = scan.index(dyad=dyad, freq=freq)  # type: ignore[arg-type]
            lines.append(f"index dyad {dyad} {freq} {_digest(index.to_json())}")
    windowed = scan.index(freq="month", window_bins=2, since="2024", until="2025-06")
    lines.append(f"index window2 since {_digest(windowed.to_json())}")
    for name in conflicts:
        lines.append(f"steps conflict {name} {_digest(scan.steps(conflict=name).to_json())}")
    for actor in actors:
        lines.append(f"steps actor {actor} {_digest(scan.steps(actor=actor).to_json())}")
    for dyad in dyads:
        lines.append(f"steps dyad {dyad} {_digest(scan.steps(dyad=dyad).to_json())}")
    for kind in get_args(Kind):
        lines.append(f"steps kind {kind} {_digest(str(scan.steps(kinds=[kind])))}")
    lines.append(f"steps since {_digest(scan.steps(since='2024-06', until='2025').to_json())}")
    lines.append(f"escalation_index week {_digest(escalation_index(kb).to_json())}")
    (out / "scoped.txt").write_text("\n".join(lines) + "\n")
    return len(steps)


def main(argv: list[str]) -> int:
    """``python -m benchmarks.escalation_outputs DATA OUT``."""
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    found = write_outputs(Path(argv[0]), Path(argv[1]))
    print(f"{found} steps written to {argv[1]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
