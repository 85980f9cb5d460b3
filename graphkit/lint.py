"""Curation checks: what a careful analyst flags before sharing a knowledge base.

Lint findings are not errors: the file is valid, but something is missing or suspicious. Each
finding has a stable code, the place of the item (``file:line:col``) and a message:

==========================  ================================================================
code                        finding
==========================  ================================================================
``source-no-url``           a source without a URL and without a local ``copy`` (a colleague
                            cannot open it)
``source-no-date``          a source without a publication date (``known_at`` ignores it)
``source-unjudged``         a source graded F, reliability cannot be judged, unless it keeps a
                            local copy and every reference to it quotes its words (``excerpt``)
``source-unused``           a source no fact cites
``source-copy-missing``     a source's ``copy`` that cannot be read (warning)
``source-copy-changed``     a source's ``copy`` whose SHA-256 is not the one written (error)
``excerpt-not-found``       an excerpt that does not occur in its source's copy (error)
``excerpt-quotes-differ``   an excerpt that occurs only if apostrophes and quotation marks are
                            ignored: verbatim means verbatim (error)
``fact-no-source``          an event or relation without any source
``fact-no-credibility``     an event or relation without a credibility grade
``actor-unused``            an actor no event, relation, quote or attribution refers to
``duplicate-event``         two events with the same type, actors and date
``quantity-no-unit``        a quantity without a unit
``relation-not-ended``      a relation with no end although an event ended it (``ended_by``,
                            or a later ending event between the same actors)
==========================  ================================================================

The copy and excerpt checks (:func:`graphkit.io.copies.verify_copies`) carry the levels of
:data:`graphkit.io.copies.LEVELS`; the others are curation warnings.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphkit.io.copies import verify_copies
from graphkit.kb import KnowledgeBase
from graphkit.model.common import SourceRef

__all__ = ["ENDING_EVENTS", "Finding", "lint"]

#: Event types that end relations of a type, when they link the same two actors later on.
ENDING_EVENTS: dict[str, frozenset[str]] = {
    "at_war_with": frozenset({"ceasefire"}),
    "hostile_to": frozenset({"ceasefire"}),
    "deploys_forces_in": frozenset({"troop_withdrawal"}),
    "allied_with": frozenset({"break_relations"}),
    "cooperates_with": frozenset({"break_relations"}),
}


@dataclass(frozen=True, order=True)
class Finding:
    """One lint finding at the place of the item it is about."""

    file: str
    line: int
    column: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.code}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """The finding as a JSON-ready mapping."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "message": self.message,
        }


def lint(kb: KnowledgeBase) -> list[Finding]:
    """Return the curation findings of a knowledge base, sorted by place.

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... sources: [{id: s, title: T, reliability: F}]
        ... actors: [{id: A, name: A, kind: state}]
        ... ''', name="kb.yaml")
        >>> for finding in lint(kb):
        ...     print(finding)
        kb.yaml:3:11: source-no-date: source 's' has no publication date
        kb.yaml:3:11: source-no-url: source 's' has no URL
        kb.yaml:3:11: source-unjudged: source 's' is graded F (reliability cannot be judged)
        kb.yaml:3:11: source-unused: source 's' is cited by no fact
        kb.yaml:4:10: actor-unused: actor 'A' is referred to by nothing
    """
    found: list[Finding] = []

    def report(item_id: str, code: str, message: str) -> None:
        origin = kb.origins.get(item_id)
        if origin is None:
            found.append(Finding("<document>", 0, 0, code, message))
        else:
            found.append(Finding(origin.file, origin.line, origin.column, code, message))

    cited: set[str] = set()
    mentioned: set[str] = set()
    for actor in kb.actors:
        if actor.part_of:
            mentioned.add(actor.part_of)
        cited.update(ref.source for ref in actor.sources)
    for relation in kb.relations:
        mentioned.update((relation.from_, relation.to))
        for ref in relation.sources:
            cited.add(ref.source)
            if ref.according_to:
                mentioned.add(ref.according_to)
    seen: dict[tuple[str, tuple[str, ...], str], str] = {}
    duplicates: list[tuple[str, str]] = []
    for event in kb.events:
        actor_ids = event.actor_ids
        mentioned.update(actor_ids)
        key = (event.type, tuple(sorted(actor_ids)), str(event.date))
        first = seen.setdefault(key, event.id)
        if first != event.id:
            duplicates.append((event.id, first))
        if event.quote is not None and event.quote.speaker:
            mentioned.add(event.quote.speaker)
        refs = [*event.sources]
        for quantity in event.quantities:
            refs.extend(quantity.sources)
        for alternative in event.alternative_dates:
            refs.extend(alternative.sources)
        for ref in refs:
            cited.add(ref.source)
            if ref.according_to:
                mentioned.add(ref.according_to)

    references = list(_references(kb))
    unquoted: dict[str, int] = defaultdict(int)
    for _, _, ref in references:
        if ref.excerpt is None:
            unquoted[ref.source] += 1
    for source in kb.sources:
        label = f"source {source.id!r}"
        if source.url is None and source.local_copy is None:
            report(source.id, "source-no-url", f"{label} has no URL")
        if source.published is None:
            report(source.id, "source-no-date", f"{label} has no publication date")
        if source.reliability == "F" and (source.local_copy is None or unquoted[source.id]):
            report(
                source.id, "source-unjudged", f"{label} is graded F (reliability cannot be judged)"
            )
        if source.id not in cited:
            report(source.id, "source-unused", f"{label} is cited by no fact")
    for actor in kb.actors:
        if actor.id not in mentioned:
            report(actor.id, "actor-unused", f"actor {actor.id!r} is referred to by nothing")
    for kind, items in (("relation", kb.relations), ("event", kb.events)):
        for item in items:
            if not item.sources:
                report(item.id, "fact-no-source", f"{kind} {item.id!r} cites no source")
            if item.credibility is None:
                report(
                    item.id, "fact-no-credibility", f"{kind} {item.id!r} has no credibility grade"
                )

    for event_id, first in duplicates:
        report(
            event_id,
            "duplicate-event",
            f"event {event_id!r} looks like a duplicate of {first!r} (same type, actors and date)",
        )
    for event in kb.events:
        for index, quantity in enumerate(event.quantities):
            if quantity.unit is None:
                report(
                    event.id,
                    "quantity-no-unit",
                    f"event {event.id!r}: quantities[{index}] has no unit",
                )

    _unended(kb, report)
    for item_id, code, message in verify_copies(kb.sources, references, _folders(kb)):
        report(item_id, code, message)
    return sorted(found)


def _references(kb: KnowledgeBase) -> Iterator[tuple[str, str, SourceRef]]:
    """Every source reference: (item id, where it is written, the reference)."""
    for kind, items in (("actor", kb.actors), ("relation", kb.relations)):
        for item in items:
            for index, ref in enumerate(item.sources):
                yield item.id, f"{kind} {item.id!r} sources[{index}]", ref
    for event in kb.events:
        label = f"event {event.id!r}"
        for index, ref in enumerate(event.sources):
            yield event.id, f"{label} sources[{index}]", ref
        for q, quantity in enumerate(event.quantities):
            for index, ref in enumerate(quantity.sources):
                yield event.id, f"{label} quantities[{q}].sources[{index}]", ref
        for a, alternative in enumerate(event.alternative_dates):
            for index, ref in enumerate(alternative.sources):
                yield event.id, f"{label} alternative_dates[{a}].sources[{index}]", ref


def _folders(kb: KnowledgeBase) -> dict[str, Path | None]:
    """The folder of the file that declared each source with a copy (None: not a file)."""
    folders: dict[str, Path | None] = {}
    for source in kb.sources:
        if source.local_copy is not None:
            origin = kb.origins.get(source.id)
            path = Path(origin.file) if origin is not None else None
            folders[source.id] = path.parent if path is not None and path.is_file() else None
    return folders


def _unended(kb: KnowledgeBase, report: Callable[[str, str, str], None]) -> None:
    # Only the pairs of open relations that some event type can end need their events.
    wanted = {
        frozenset((r.from_, r.to))
        for r in kb.relations
        if r.end is None and r.ended_by is None and r.type in ENDING_EVENTS
    }
    by_pair: dict[frozenset[str], list[Any]] = defaultdict(list)
    if wanted:
        for event in kb.events:
            if event.actor and event.target:
                pair = frozenset((event.actor, event.target))
                if pair in wanted:
                    by_pair[pair].append(event)
    for relation in kb.relations:
        if relation.end is not None:
            continue
        label = f"relation {relation.id!r}"
        if relation.ended_by is not None:
            report(
                relation.id,
                "relation-not-ended",
                f"{label} names ended_by {relation.ended_by!r} but has no end date",
            )
            continue
        enders = ENDING_EVENTS.get(relation.type, frozenset())
        start = relation.start.lo if relation.start is not None else 0
        for event in by_pair.get(frozenset((relation.from_, relation.to)), ()):
            if event.type in enders and event.extent.lo >= start:
                report(
                    relation.id,
                    "relation-not-ended",
                    f"{label} has no end although event {event.id!r} ({event.type}) "
                    f"ended it on {event.date}",
                )
                break


def to_json(findings: list[Finding]) -> str:
    """Findings as JSON (the ``--json`` shape)."""
    return json.dumps([f.to_dict() for f in findings], indent=2, ensure_ascii=False)
