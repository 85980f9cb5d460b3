"""Curation checks: what a careful analyst flags before sharing a knowledge base.

Lint findings are not load errors: the file is valid, but something is missing or suspicious.
Each finding has a stable code, a level, the place of the item (``file:line:col``) and a message.
Every code is a :class:`Rule` in :data:`RULES` with its level, meaning and fix; docs/errors.md
lists them (generated from :data:`RULES` by ``scripts/docregions.py``).

Levels:

* ``error``: the knowledge base says something it cannot back (``graphkit lint`` exits 1);
* ``warning``: a curation gap to fix before sharing; under *strict* (``graphkit validate
  --strict``, ``graphkit lint --strict``, ``gk.load(..., strict=True)`` or ``strict: true`` in a
  file's header) warnings are errors;
* ``info``: worth knowing, never an error (an offline source without URL, an unused actor).

Adding a rule: register it with :func:`_rule` (code, level, meaning, fix) and call ``report``
with its code; the docs and the level handling follow.

The copy and excerpt checks (:func:`graphkit.io.copies.verify_copies`) take their levels
from :data:`graphkit.io.copies.LEVELS`.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from graphkit.errors import Diagnostic
from graphkit.io.copies import LEVELS as COPY_LEVELS
from graphkit.io.copies import verify_copies
from graphkit.kb import KnowledgeBase
from graphkit.model.common import SourceRef

__all__ = [
    "ENDING_EVENTS",
    "LEVELS",
    "RULES",
    "Finding",
    "Level",
    "Rule",
    "lint",
    "strict_diagnostics",
]

Level = Literal["error", "warning", "info"]
#: The levels, most severe first.
LEVELS: tuple[Level, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Rule:
    """A lint rule: its code, its level, what a finding means and how to fix it."""

    code: str
    level: Level
    meaning: str
    fix: str


#: Every rule the linter can report, by code (the order of docs/errors.md).
RULES: dict[str, Rule] = {}


def _rule(code: str, level: Level, meaning: str, fix: str) -> None:
    if code in RULES:
        raise ValueError(f"lint rule {code!r} registered twice")
    RULES[code] = Rule(code, level, meaning, fix)


def _copy_rule(code: str, meaning: str, fix: str) -> None:
    """A rule of :func:`graphkit.io.copies.verify_copies`, at the level that module gives it."""
    level = COPY_LEVELS[code]
    assert level in LEVELS, level
    _rule(code, level, meaning, fix)


_copy_rule(
    "excerpt-not-found",
    "an excerpt does not occur in its source's local copy (compared after Unicode NFKC, "
    "whitespace-insensitive; the message says how much of it, from its start, does occur)",
    "copy the words from the source exactly, or cite the source that has them",
)
_copy_rule(
    "excerpt-quotes-differ",
    "an excerpt occurs in the copy only if apostrophes and quotation marks are taken as the same "
    "(`'` for `’`, `\"` for `«`): verbatim means verbatim",
    "write the quotation marks the source uses (the message lists them)",
)
_copy_rule(
    "source-copy-changed",
    "a source's local `copy` no longer has the SHA-256 written in `sha256`",
    "if the copy was meant to change, write its new digest and check its excerpts again",
)
_copy_rule(
    "source-copy-missing",
    "a source's local `copy` cannot be read (missing, not UTF-8, or the file that declares the "
    "source is not known), so its excerpts are not checked",
    "put the copy beside the data file at the path written in `copy`",
)
_rule(
    "fact-no-source",
    "warning",
    "an event or relation cites no source",
    "add `sources: [SOURCE-ID]`; a fact nobody can check is a rumour",
)
_rule(
    "fact-no-credibility",
    "warning",
    "an event or relation has no credibility grade",
    "add `credibility: 1..6` (Admiralty: 1 confirmed ... 6 cannot be judged)",
)
_rule(
    "source-no-date",
    "warning",
    "a source has no publication date (`known_at` queries cannot tell when it was known)",
    "add `published:` at the precision known (`2024`, `2024-10`, `2024-10-23`)",
)
_rule(
    "according-to-missing",
    "warning",
    'a summary attributes the claim ("according to ...") but no source reference says whose '
    "claim it is",
    "write the reference as `{source: ID, according_to: ACTOR-ID}`",
)
_rule(
    "duplicate-event",
    "warning",
    "two events have the same type, actors and date",
    "merge them, or tell them apart (a date at day precision, another type)",
)
_rule(
    "quantity-no-unit",
    "warning",
    "a quantity has no unit",
    "add `unit:` (`soldiers`, `shells`, `USD`)",
)
_rule(
    "relation-not-ended",
    "warning",
    "a relation has no end although an event ended it (`ended_by`, or a later ending event "
    "between the same actors)",
    "add `end:` with the date of the ending event",
)
_rule(
    "source-no-url",
    "info",
    "a source has neither a URL nor a local `copy` (a colleague cannot open it)",
    "add `url:` when the source is online, or keep a `copy` (with its `sha256`)",
)
_rule(
    "source-unjudged",
    "info",
    "a source is graded F (its reliability cannot be judged), and it has no local copy or some "
    "reference to it quotes none of its words (`excerpt`)",
    "grade it A-E once the outlet is known, or keep a copy and quote the passage behind each claim",
)
_rule(
    "source-unused",
    "info",
    "no fact cites the source",
    "cite it from the facts it supports, or remove it",
)
_rule(
    "actor-unused",
    "info",
    "no event, relation, quote or attribution refers to the actor",
    "remove it, or add the facts it takes part in",
)

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
    """One lint finding at the place of the item it is about, at its level."""

    file: str
    line: int
    column: int
    code: str
    message: str
    level: Level = "warning"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.level}: {self.code}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """The finding as a JSON-ready mapping."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "level": self.level,
            "code": self.code,
            "message": self.message,
        }


def lint(kb: KnowledgeBase, *, strict: bool | None = None) -> list[Finding]:
    """Return the curation findings of a knowledge base, sorted by place.

    ``strict`` reports warnings as errors: ``True`` everywhere, ``None`` (the default) in the
    files whose header says ``strict: true``, ``False`` nowhere.

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... sources: [{id: s, title: T, reliability: F}]
        ... actors: [{id: A, name: A, kind: state}]
        ... ''', name="kb.yaml")
        >>> for finding in lint(kb):
        ...     print(finding)
        kb.yaml:3:11: warning: source-no-date: source 's' has no publication date
        kb.yaml:3:11: info: source-no-url: source 's' has no URL
        kb.yaml:3:11: info: source-unjudged: source 's' is graded F (reliability cannot be judged)
        kb.yaml:3:11: info: source-unused: source 's' is cited by no fact
        kb.yaml:4:10: info: actor-unused: actor 'A' is referred to by nothing
        >>> [f.level for f in lint(kb, strict=True)][:2]
        ['error', 'info']
    """
    found: list[Finding] = []
    strict_files = kb.strict_files if strict is None else frozenset()

    def report(item_id: str, code: str, message: str) -> None:
        level = RULES[code].level
        origin = kb.origins.get(item_id)
        file, line, column = ("<document>", 0, 0) if origin is None else origin
        if level == "warning" and (strict or file in strict_files):
            level = "error"
        found.append(Finding(file, line, column, code, message, level))

    cited: set[str] = set()
    mentioned: set[str] = set()
    for actor in kb.actors:
        if actor.part_of:
            mentioned.add(actor.part_of)
        cited.update(ref.source for ref in actor.sources)
    # One pass over the relations and one over the events (a million events: each pass counts).
    for relation in kb.relations:
        mentioned.update((relation.from_, relation.to))
        for ref in relation.sources:
            cited.add(ref.source)
            if ref.according_to:
                mentioned.add(ref.according_to)
        _fact_checks(relation, "relation", report)
    seen: dict[tuple[str, tuple[str, ...], str], str] = {}
    for event in kb.events:
        by, at = event.actor, event.target
        actor_ids: tuple[str, ...]
        if event.participants:
            actor_ids = tuple(sorted(event.actor_ids))
        elif at is None:  # most events: an actor and/or a target, without the list
            actor_ids = (by,) if by is not None else ()
        elif by is None or by == at:
            actor_ids = (at,)
        else:
            actor_ids = (by, at) if by < at else (at, by)
        mentioned.update(actor_ids)
        key = (event.type, actor_ids, str(event.date))
        first = seen.setdefault(key, event.id)
        if first != event.id:
            report(
                event.id,
                "duplicate-event",
                f"event {event.id!r} looks like a duplicate of {first!r} (same type, actors and "
                "date)",
            )
        if event.quote is not None and event.quote.speaker:
            mentioned.add(event.quote.speaker)
        refs = event.sources
        if event.quantities or event.alternative_dates:
            refs = [*refs]
            for index, quantity in enumerate(event.quantities):
                refs.extend(quantity.sources)
                if quantity.unit is None:
                    report(
                        event.id,
                        "quantity-no-unit",
                        f"event {event.id!r}: quantities[{index}] has no unit",
                    )
            for alternative in event.alternative_dates:
                refs.extend(alternative.sources)
        for ref in refs:
            cited.add(ref.source)
            if ref.according_to:
                mentioned.add(ref.according_to)
        _fact_checks(event, "event", report)

    # Only the references to sources with a local copy are checked (and counted unquoted):
    # naming every reference of a million events took seconds and hundreds of megabytes.
    with_copy = {source.id for source in kb.sources if source.local_copy is not None}
    references = list(_references(kb, with_copy)) if with_copy else []
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
    _unended(kb, report)
    for item_id, code, message in verify_copies(kb.sources, references, _folders(kb)):
        report(item_id, code, message)
    # The dataclass order (file, line, column, code, message, level) as a key: tuples compare
    # in C, where the generated __lt__ builds two tuples per comparison.
    return sorted(found, key=_place)


def _place(finding: Finding) -> tuple[str, int, int, str, str, str]:
    return (
        finding.file,
        finding.line,
        finding.column,
        finding.code,
        finding.message,
        finding.level,
    )


_ACCORDING_TO = re.compile(r"\baccording to\b", re.IGNORECASE)


def _fact_checks(item: Any, kind: str, report: Callable[[str, str, str], None]) -> None:
    """The checks of one event or relation: a source, a credibility grade, an attributed claim."""
    if not item.sources:
        report(item.id, "fact-no-source", f"{kind} {item.id!r} cites no source")
    if item.credibility is None:
        report(item.id, "fact-no-credibility", f"{kind} {item.id!r} has no credibility grade")
    if item.summary and _says_according_to(item.summary) and not _attributed(item):
        report(
            item.id,
            "according-to-missing",
            f'{kind} {item.id!r}: the summary says "according to ..." but no source '
            "reference names whose claim it is (according_to)",
        )


def _says_according_to(text: str) -> bool:
    """Whether ``text`` has the words "according to", in any case."""
    # "ccord" in the lower-cased text first, a quarter of the regex's time: every text the
    # case-insensitive pattern matches has it (in re, only i, k and s have non-ASCII partners).
    return "ccord" in text.lower() and _ACCORDING_TO.search(text) is not None


def _attributed(item: Any) -> bool:
    """Whether any source reference of the item (or of its figures) names who made the claim."""
    refs = [*item.sources]
    for quantity in getattr(item, "quantities", ()):
        refs.extend(quantity.sources)
    return any(ref.according_to for ref in refs)


def strict_diagnostics(kb: KnowledgeBase, *, strict: bool | None = None) -> list[Diagnostic]:
    """The findings that are errors under ``strict`` (see :func:`lint`), as load diagnostics.

    :func:`graphkit.load` raises them in a :class:`~graphkit.errors.LoadError` for strict loads.

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... actors: [{id: A, name: A, kind: state}]
        ... events: [{id: e, type: statement, date: 2024, actor: A}]
        ... ''', name="kb.yaml")
        >>> for diagnostic in strict_diagnostics(kb, strict=True):
        ...     print(diagnostic)
        kb.yaml:4:10: event 'e' has no credibility grade (strict: fact-no-credibility)
        kb.yaml:4:10: event 'e' cites no source (strict: fact-no-source)
    """
    return [
        Diagnostic(f.file, f.line, f.column, f.code, f.message, f"strict: {f.code}")
        for f in lint(kb, strict=strict)
        if f.level == "error" and RULES[f.code].level == "warning"
    ]


def _references(kb: KnowledgeBase, sources: Container[str]) -> Iterator[tuple[str, str, SourceRef]]:
    """The references to ``sources``: (item id, where it is written, the reference)."""
    for kind, items in (("actor", kb.actors), ("relation", kb.relations)):
        for item in items:
            for index, ref in enumerate(item.sources):
                if ref.source in sources:
                    yield item.id, f"{kind} {item.id!r} sources[{index}]", ref
    for event in kb.events:
        label = f"event {event.id!r}"
        for index, ref in enumerate(event.sources):
            if ref.source in sources:
                yield event.id, f"{label} sources[{index}]", ref
        for q, quantity in enumerate(event.quantities):
            for index, ref in enumerate(quantity.sources):
                if ref.source in sources:
                    yield event.id, f"{label} quantities[{q}].sources[{index}]", ref
        for a, alternative in enumerate(event.alternative_dates):
            for index, ref in enumerate(alternative.sources):
                if ref.source in sources:
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
