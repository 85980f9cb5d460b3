"""What changed between two dates: relations that began, ended or changed status."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from graphkit.kb import KnowledgeBaseLike
from graphkit.model.dates import Overlap, window
from graphkit.query.evidence import Evidence, evidence_for

__all__ = ["Change", "Diff", "diff"]


@dataclass(frozen=True)
class Change:
    """One relation whose status differs between the two dates."""

    change: str
    before: str
    after: str
    evidence: Evidence

    def __str__(self) -> str:
        return f"{self.change}: {self.evidence} ({self.before} -> {self.after})"

    def to_dict(self) -> dict[str, Any]:
        """The change as a JSON-ready mapping."""
        return {
            "change": self.change,
            "before": self.before,
            "after": self.after,
            "relation": self.evidence.to_dict(),
        }


@dataclass
class Diff:
    """The changes from ``first`` to ``second``, and the events dated in between."""

    first: str
    second: str
    began: list[Change] = field(default_factory=list)
    ended: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    events: list[Evidence] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.began or self.ended or self.changed)

    def __str__(self) -> str:
        lines = [f"from {self.first} to {self.second}:"]
        for title, changes in (
            ("began", self.began),
            ("ended", self.ended),
            ("changed", self.changed),
        ):
            lines.append(f"  {title}: {len(changes)}")
            lines.extend(f"    {c.evidence} ({c.before} -> {c.after})" for c in changes)
        lines.append(f"  events in between: {len(self.events)}")
        lines.extend(f"    {event}" for event in self.events)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The diff as a JSON-ready mapping (the ``--json`` shape)."""
        return {
            "first": self.first,
            "second": self.second,
            "began": [c.to_dict() for c in self.began],
            "ended": [c.to_dict() for c in self.ended],
            "changed": [c.to_dict() for c in self.changed],
            "events": [e.to_dict() for e in self.events],
        }

    def to_json(self) -> str:
        """The diff as JSON."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)


def diff(kb: KnowledgeBaseLike, first: object, second: object) -> Diff:
    """Compare the relations that held at two dates.

    A relation *began* if it held (possibly or certainly) at ``second`` but not at ``first``,
    *ended* in the opposite case, and *changed* if it held at both but its certainty differs
    (e.g. possibly at the first date, certainly at the second). Events dated strictly between
    the two dates are listed too, in date order: every day the event may have happened on (or
    lasted) is after the first date and before the second. An event that may fall on either
    date, started before the first or is still going on is not in between.

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... actors: [{id: A, name: A, kind: state}, {id: B, name: B, kind: state}]
        ... relations: [{id: r, type: allied_with, from: A, to: B, start: 2024-06-19}]
        ... ''')
        >>> print(diff(kb, "2024-01-01", "2024-10-20"))
        from 2024-01-01 to 2024-10-20:
          began: 1
            relation 'r': A allied_with B, 2024-06-19 to ongoing [??] (none -> certain)
          ended: 0
          changed: 0
          events in between: 0
    """
    a = window(first)
    b = window(second)
    if b[0] < a[0]:
        raise ValueError(f"the second date {second} is before the first {first}")
    result = Diff(str(first), str(second))
    for relation in kb.relations:
        before = relation.extent.overlap(*a)
        after = relation.extent.overlap(*b)
        if before == after:
            continue
        change = Change(
            "began"
            if before is Overlap.NONE
            else ("ended" if after is Overlap.NONE else "changed"),
            before.name.lower(),
            after.name.lower(),
            evidence_for(kb, relation),
        )
        {"began": result.began, "ended": result.ended, "changed": result.changed}[
            change.change
        ].append(change)
    between = sorted(
        (e for e in kb.events if a[1] < e.extent.lo and e.extent.hi < b[0]),
        key=lambda e: (e.extent.lo, e.extent.hi, e.id),
    )
    result.events.extend(evidence_for(kb, event) for event in between)
    return result
