"""What an escalation answer is made of: :class:`Step`, :class:`StepList` and their evidence.

The rules that find steps live in their own modules (:mod:`.ladder`, :mod:`.quantities`,
:mod:`.new_party`, :mod:`.widening`); :mod:`.scan` runs them.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, Protocol, overload

from graphkit.kb import KnowledgeBaseLike
from graphkit.model.dates import DAY_MAX, DAY_MIN, Overlap
from graphkit.model.event import Event
from graphkit.model.relation import Relation
from graphkit.query.evidence import Citations, Evidence, Grade, cite, evidence_for

__all__ = [
    "LEVELS",
    "LEVEL_TEXT",
    "Cited",
    "Claim",
    "Kind",
    "Step",
    "StepEvidence",
    "StepList",
    "sort_steps",
]

#: The Correlates of War MID hostility levels, the ordinal ladder.
LEVELS = {
    1: "no militarized action",
    2: "threat to use force",
    3: "display of force",
    4: "use of force",
    5: "war",
}
#: ``"use of force (4)"`` for each hostility level: the before/after text of a step.
LEVEL_TEXT = {level: f"{name} ({level})" for level, name in LEVELS.items()}

Kind = Literal["ladder", "quantity_growth", "new_party", "widening", "de_escalation"]
#: The order of kinds within one day.
_KIND_ORDER = {"widening": 0, "new_party": 1, "ladder": 2, "quantity_growth": 3, "de_escalation": 4}


class Cited(Protocol):
    """Something a step rests on that is not a whole event or relation (a figure of an event)."""

    @property
    def id(self) -> str:
        """The id of the event or relation it belongs to."""

    def evidence(self, kb: KnowledgeBaseLike, citations: Citations) -> Evidence:
        """Its evidence record, with its own sources and grade."""


class StepEvidence(Sequence[Evidence]):
    """The evidence of a step, built from its items on first use.

    A scan of 100,000 events finds tens of thousands of steps; most are filtered out or never
    printed, so citing their sources up front would be wasted work.
    """

    __slots__ = ("_built", "_citations", "_items", "_kb")

    def __init__(
        self,
        kb: KnowledgeBaseLike,
        items: tuple[Event | Relation | Cited, ...],
        citations: Citations,
    ) -> None:
        self._kb = kb
        self._items = items
        self._citations = citations
        self._built: tuple[Evidence, ...] | None = None

    def _all(self) -> tuple[Evidence, ...]:
        if self._built is None:
            kb, citations = self._kb, self._citations
            self._built = tuple(
                evidence_for(kb, item, citations=citations)
                if isinstance(item, (Event, Relation))
                else item.evidence(kb, citations)
                for item in self._items
            )
        return self._built

    def __iter__(self) -> Iterator[Evidence]:
        return iter(self._all())

    @overload
    def __getitem__(self, index: int) -> Evidence: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Evidence]: ...

    def __getitem__(self, index: int | slice) -> Evidence | Sequence[Evidence]:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._items)

    @property
    def first_id(self) -> str:
        """The id of the first item (what made the step), without building its evidence."""
        return self._items[0].id if self._items else ""

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StepEvidence):
            return [i.id for i in self._items] == [i.id for i in other._items]
        return tuple(self) == other

    def __hash__(self) -> int:
        return hash(tuple(i.id for i in self._items))

    def __repr__(self) -> str:
        return f"StepEvidence({', '.join(repr(i.id) for i in self._items)})"


@dataclass(frozen=True)
class Claim:
    """A figure that competes with the one a step accepted, with its own evidence and grade."""

    figure: float
    text: str
    when: str
    evidence: Sequence[Evidence]

    @property
    def grade(self) -> Grade:
        """The grade of the claim: its own sources and credibility (else its event's)."""
        return Grade.best([e.grade for e in self.evidence])

    def __str__(self) -> str:
        return f"{self.text} ({self.when}) [{self.grade}]"

    def to_dict(self) -> dict[str, Any]:
        """The claim as a JSON-ready mapping."""
        return {
            "figure": self.figure,
            "text": self.text,
            "when": self.when,
            "grade": str(self.grade),
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(slots=True, unsafe_hash=True)
class Step:
    """One escalation step: what got worse, between whom, when, by how much, on whose word.

    Treat a step as read-only. It is not a frozen dataclass only because a scan of 100,000
    events builds tens of thousands of steps, and frozen fields cost three times as much to set.
    """

    kind: Kind
    day: date
    when: str
    parties: tuple[str, ...]
    size: float
    size_unit: str
    before: str | None
    after: str
    summary: str
    evidence: Sequence[Evidence]
    conflict: str | None = None
    planned: bool = False
    #: Figures of the same claim set that the accepted one outranked (``quantity_growth``).
    competing: tuple[Claim, ...] = ()
    #: The first and last day (ordinals) of ``when``, the date as written; None if undated.
    extent: tuple[int, int] | None = None

    @property
    def grade(self) -> Grade:
        """The best grade of the evidence (each scale separately)."""
        return Grade.best([e.grade for e in self.evidence])

    def first_id(self) -> str:
        """The id of the event or relation that made the step (its first piece of evidence)."""
        evidence = self.evidence
        if isinstance(evidence, StepEvidence):
            return evidence.first_id
        return evidence[0].id if evidence else ""

    def __str__(self) -> str:
        return _TextWriter().step(self)

    def to_dict(self) -> dict[str, Any]:
        """The step as a JSON-ready mapping (the stable ``--json`` shape)."""
        return {
            "kind": self.kind,
            "day": self.day.isoformat(),
            "when": self.when,
            "earliest": _iso(self.extent[0]) if self.extent else None,
            "latest": _iso(self.extent[1]) if self.extent else None,
            "parties": list(self.parties),
            "conflict": self.conflict,
            "size": self.size,
            "size_unit": self.size_unit,
            "before": self.before,
            "after": self.after,
            "planned": self.planned,
            "summary": self.summary,
            "grade": str(self.grade),
            "evidence": [e.to_dict() for e in self.evidence],
            "competing": [c.to_dict() for c in self.competing],
        }


def _iso(ordinal: int) -> str | None:
    """A day ordinal as ISO text; None for the open ends (before the record, ongoing)."""
    if ordinal <= DAY_MIN or ordinal >= DAY_MAX:
        return None
    return date.fromordinal(ordinal).isoformat()


def sort_steps(steps: list[Step]) -> None:
    """Sort steps in place: by day, kind, summary, then what made them (never by list order).

    The summary tells nearly every two steps of a day apart; the rare ties (two talks between
    the same parties on one day) are settled by the id of the event or relation that made each
    step, which is unique in a scan. Only those ties pay for the slower key.
    """
    order = _KIND_ORDER
    # Day and kind in one int (kinds are below 8), sorted as ints (no Python function per step:
    # the keys are list lookups); then each group of one day and kind, a few steps, by summary:
    # comparing strings within the groups only costs a fraction of one sort of all summaries.
    days = [s.day.toordinal() << 3 | order[s.kind] for s in steps]
    summaries = [s.summary for s in steps]
    ranked = sorted(range(len(steps)), key=days.__getitem__)
    by_summary = summaries.__getitem__
    ties: list[tuple[int, int]] = []
    position = 0
    for _, count in sorted(Counter(days).items()):
        if count > 1:
            end = position + count
            group = ranked[position:end] = sorted(ranked[position:end], key=by_summary)
            if len({summaries[i] for i in group}) < count:
                ties.append((position, end))
        position += count
    steps[:] = [steps[i] for i in ranked]
    for start, end in ties:  # equal summaries on one day: by what made each step
        index = start
        while index < end:
            summary = steps[index].summary
            last = index + 1
            while last < end and steps[last].summary == summary:
                last += 1
            if last - index > 1:
                steps[index:last] = sorted(
                    steps[index:last], key=lambda s: (s.first_id(), s.parties)
                )
            index = last


#: Admiralty reliability grades that are known (F, "cannot be judged", is not).
_KNOWN_RELIABILITY = frozenset("ABCDE")
_KNOWN_CREDIBILITY = frozenset((1, 2, 3, 4, 5))
#: The words an evidence line adds for an item's status in a view ("certain" adds none).
_STATUS_TEXT = {
    status: "" if status is Overlap.CERTAIN else f" ({status.name.lower()})" for status in Overlap
}

#: One piece of evidence as text: its line (with its source lines), reliability, credibility.
_ItemText = tuple[str, "str | None", "int | None"]


class _TextWriter:
    """Steps as text (:meth:`Step.__str__`), without building evidence records that wait unbuilt.

    The text of an event or relation is what its :class:`~graphkit.query.evidence.Evidence`
    prints, produced from the item itself: a step list of 100,000 events prints nearly a hundred
    thousand of them, and building each record (citations sorted, a frozen dataclass, its grade)
    cost more than the scan. The source lines of the same references are formatted once per
    writer. Evidence already built (and figures, which are cited their own way) prints as built.
    """

    __slots__ = ("_sources",)

    def __init__(self) -> None:
        #: (citations cache, references) -> the source lines and the best known reliability.
        self._sources: dict[tuple[int, tuple[object, ...]], tuple[str, str | None]] = {}

    def step(self, step: Step) -> str:
        evidence = step.evidence
        if isinstance(evidence, StepEvidence) and evidence._built is None:
            kb, citations = evidence._kb, evidence._citations
            items = [self._item(kb, item, citations) for item in evidence._items]
        else:
            items = [_built_text(e) for e in evidence]
        reliabilities = [r for _, r, _ in items if r]
        credibilities = [c for _, _, c in items if c]
        # Grade.best of the items' grades, as text.
        grade = (
            f"{min(reliabilities) if reliabilities else '?'}"
            f"{min(credibilities) if credibilities else '?'}"
        )
        change = f"{step.before} -> {step.after}" if step.before else step.after
        lines = [
            f"{step.when} {step.kind}: {step.summary}",
            f"    {change} (size {step.size:g} {step.size_unit}, grade {grade})",
        ]
        lines.extend(text for text, _, _ in items)
        for claim in step.competing:
            lines.append(f"    competing: {claim}")
            for item in claim.evidence:
                lines.append(f"      {item}")
                lines.extend(f"        source: {s}" for s in item.sources)
        return "\n".join(lines)

    def _item(
        self, kb: KnowledgeBaseLike, item: Event | Relation | Cited, citations: Citations
    ) -> _ItemText:
        """What ``str(evidence_for(kb, item))`` and its source lines print, and its grade."""
        if isinstance(item, Event):
            kind, source, target, when = "event", item.actor, item.target, str(item.date)
        elif isinstance(item, Relation):
            kind, source, target = "relation", item.from_, item.to
            start = str(item.start) if item.start is not None else "…"
            when = f"{start} to {item.end if item.end is not None else 'ongoing'}"
        else:
            return _built_text(item.evidence(kb, citations))
        key = (id(citations), tuple([(r.source, r.according_to, r.excerpt) for r in item.sources]))
        cited = self._sources.get(key)
        if cited is None:
            sources = cite(kb, item, citations=citations)
            known = [c.reliability for c in sources if c.reliability in _KNOWN_RELIABILITY]
            cited = self._sources[key] = (
                "".join([f"\n      source: {c}" for c in sources]),
                min(known) if known else None,
            )
        source_lines, reliability = cited
        credibility = item.credibility if item.credibility in _KNOWN_CREDIBILITY else None
        what = " ".join([p for p in (source, item.type, target) if p])
        return (
            f"    {kind} {item.id!r}: {what}, {when}{_STATUS_TEXT[kb.status(item)]} "
            f"[{reliability or '?'}{credibility or '?'}]{source_lines}",
            reliability,
            credibility,
        )


def _built_text(evidence: Evidence) -> _ItemText:
    grade = evidence.grade
    lines = "".join([f"\n      source: {s}" for s in evidence.sources])
    return f"    {evidence}{lines}", grade.reliability, grade.credibility


class StepList(list[Step]):
    """Escalation steps in time order; converts to records and JSON."""

    def to_records(self) -> list[dict[str, Any]]:
        """One flat row per step."""
        return [
            {
                "day": s.day.isoformat(),
                "when": s.when,
                "kind": s.kind,
                "parties": " / ".join(s.parties),
                "conflict": s.conflict,
                "before": s.before,
                "after": s.after,
                "size": s.size,
                "size_unit": s.size_unit,
                "planned": s.planned,
                "grade": str(s.grade),
                "evidence": "; ".join(e.id for e in s.evidence),
                "competing": "; ".join(str(c) for c in s.competing),
                "summary": s.summary,
            }
            for s in self
        ]

    def to_pandas(self) -> Any:
        """Return :meth:`to_records` as a pandas ``DataFrame`` (needs the ``pandas`` extra)."""
        import pandas as pd  # type: ignore[import-untyped, unused-ignore]

        return pd.DataFrame.from_records(self.to_records())

    def to_json(self) -> str:
        """The steps as JSON (a list of :meth:`Step.to_dict`)."""
        return json.dumps([s.to_dict() for s in self], indent=2, ensure_ascii=False)

    def __str__(self) -> str:
        text = _TextWriter().step  # one writer: the steps share its formatted sources
        return "\n".join([text(s) for s in self])

    def _repr_html_(self) -> str:
        """Rich display in Jupyter: a table of the steps and their evidence (escaped)."""
        from graphkit.render.results import steps_html

        return steps_html(self)
