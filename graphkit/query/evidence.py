"""Evidence: the relations and events behind an answer, with their sources and grades.

Grades follow the NATO/Admiralty system: source reliability A (completely reliable) to E
(unreliable) and information credibility 1 (confirmed) to 5 (improbable). F and 6 mean "cannot be
judged": graphkit treats them as unknown, never as better or worse than a known grade, and a
minimum filter excludes them.

**The weakest-hop rule.** A piece of evidence is graded by its best source (reliability) and its
own credibility. A hop between two actors is as good as its best piece of evidence, on each scale
separately. A path is as good as its weakest hop, on each scale separately; an unknown grade on
any hop makes the path's grade on that scale unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from graphkit.kb import KnowledgeBaseLike
from graphkit.model.dates import DAY_MAX, DAY_MIN
from graphkit.model.event import Event
from graphkit.model.relation import Relation

__all__ = [
    "Citations",
    "Evidence",
    "Grade",
    "SourceCitation",
    "cite",
    "day_text",
    "evidence_for",
    "item_grade",
]

_RELIABILITY = "ABCDE"


@dataclass(frozen=True)
class Grade:
    """An Admiralty grade: ``reliability`` A–E and ``credibility`` 1–5, ``None`` when unknown."""

    reliability: str | None
    credibility: int | None

    def __str__(self) -> str:
        return f"{self.reliability or '?'}{self.credibility or '?'}"

    @staticmethod
    def weakest(grades: list[Grade]) -> Grade:
        """The weakest grade on each scale (unknown wins: it cannot be vouched for)."""
        reliabilities = [g.reliability for g in grades]
        credibilities = [g.credibility for g in grades]
        return Grade(
            None if not grades or None in reliabilities else max(r for r in reliabilities if r),
            None if not grades or None in credibilities else max(c for c in credibilities if c),
        )

    @staticmethod
    def best(grades: list[Grade]) -> Grade:
        """The best known grade on each scale (unknown only if nothing is known)."""
        reliabilities = [g.reliability for g in grades if g.reliability]
        credibilities = [g.credibility for g in grades if g.credibility]
        return Grade(
            min(reliabilities) if reliabilities else None,
            min(credibilities) if credibilities else None,
        )

    def at_least(self, reliability: str | None, credibility: int | None) -> bool:
        """Whether this grade meets both minimums (unknown never does)."""
        if reliability is not None and (self.reliability is None or self.reliability > reliability):
            return False
        return not (
            credibility is not None and (self.credibility is None or self.credibility > credibility)
        )


@dataclass(frozen=True)
class SourceCitation:
    """A source as cited by a piece of evidence."""

    id: str
    title: str
    publisher: str | None
    url: str | None
    reliability: str
    published: str | None
    according_to: str | None
    #: The words of the source behind the claim, as written in the reference (``excerpt``).
    excerpt: str | None = None

    def __str__(self) -> str:
        who = f", according to {self.according_to}" if self.according_to else ""
        outlet = f" ({self.publisher})" if self.publisher else ""
        words = f': "{" ".join(self.excerpt.split())}"' if self.excerpt else ""
        return f"[{self.reliability}] {self.title}{outlet}{who}{words}"

    def to_dict(self) -> dict[str, Any]:
        """The citation as a JSON-ready mapping."""
        return {
            "id": self.id,
            "title": self.title,
            "publisher": self.publisher,
            "url": self.url,
            "reliability": self.reliability,
            "published": self.published,
            "according_to": self.according_to,
            "excerpt": self.excerpt,
        }


@dataclass(frozen=True)
class Evidence:
    """A relation or event behind an answer, with when it held and on whose word."""

    kind: str
    id: str
    type: str
    source_actor: str | None
    target_actor: str | None
    when: str
    summary: str | None
    credibility: int | None
    sources: tuple[SourceCitation, ...] = field(default_factory=tuple)
    status: str = "certain"

    @cached_property
    def grade(self) -> Grade:
        """Best source reliability (F: unknown) and the item's credibility (6: unknown)."""
        known = [s.reliability for s in self.sources if s.reliability in _RELIABILITY]
        credibility = self.credibility if self.credibility in (1, 2, 3, 4, 5) else None
        return Grade(min(known) if known else None, credibility)

    def __str__(self) -> str:
        status = "" if self.status == "certain" else f" ({self.status})"
        # An event may have no actor or no target: say what is known, never "None".
        what = " ".join(p for p in (self.source_actor, self.type, self.target_actor) if p)
        return f"{self.kind} {self.id!r}: {what}, {self.when}{status} [{self.grade}]"

    def to_dict(self) -> dict[str, Any]:
        """The evidence as a JSON-ready mapping."""
        return {
            "kind": self.kind,
            "id": self.id,
            "type": self.type,
            "from": self.source_actor,
            "to": self.target_actor,
            "when": self.when,
            "status": self.status,
            "summary": self.summary,
            "credibility": self.credibility,
            "grade": str(self.grade),
            "sources": [s.to_dict() for s in self.sources],
        }


def item_grade(kb: KnowledgeBaseLike, item: Event | Relation) -> Grade:
    """The grade of an item's evidence (as :attr:`Evidence.grade`), without building citations."""
    best: str | None = None
    for ref in item.sources:
        source = kb.sources.get(ref.source)
        if (
            source is not None
            and source.reliability in _RELIABILITY
            and (best is None or source.reliability < best)
        ):
            best = source.reliability
    credibility = item.credibility if item.credibility in (1, 2, 3, 4, 5) else None
    return Grade(best, credibility)


#: Citations already built, by (source id, according_to, excerpt): they are immutable, so a query
#: that cites the same sources thousands of times can share them (see :func:`cite`).
Citations = dict[tuple[str, str | None, str | None], "SourceCitation | None"]


def cite(
    kb: KnowledgeBaseLike, item: Event | Relation, *, citations: Citations | None = None
) -> tuple[SourceCitation, ...]:
    """Return the citations of an item's sources, in the order written.

    ``citations`` is a cache for one knowledge base, shared by the calls of one query.
    """
    out: list[SourceCitation] = []
    for ref in item.sources:
        key = (ref.source, ref.according_to, ref.excerpt)
        citation = citations.get(key, _MISSING) if citations is not None else _MISSING
        if citation is _MISSING:
            citation = _citation(kb, ref.source, ref.according_to, ref.excerpt)
            if citations is not None:
                citations[key] = citation
        if citation is not None:
            out.append(citation)
    return tuple(out)


_MISSING: Any = object()


def _citation(
    kb: KnowledgeBaseLike, source_id: str, according_to: str | None, excerpt: str | None = None
) -> SourceCitation | None:
    source = kb.sources.get(source_id)
    if source is None:
        return None
    return SourceCitation(
        source.id,
        source.title,
        source.publisher,
        source.url,
        source.reliability,
        None if source.published is None else str(source.published),
        according_to,
        excerpt,
    )


def evidence_for(
    kb: KnowledgeBaseLike, item: Event | Relation, *, citations: Citations | None = None
) -> Evidence:
    """Build the evidence record of a relation or event as seen through ``kb`` (a view or not).

    ``citations``: see :func:`cite`.
    """
    status = kb.status(item).name.lower()
    if isinstance(item, Relation):
        start = str(item.start) if item.start is not None else "…"
        end = str(item.end) if item.end is not None else "ongoing"
        return Evidence(
            "relation",
            item.id,
            item.type,
            item.from_,
            item.to,
            f"{start} to {end}",
            item.summary,
            item.credibility,
            cite(kb, item, citations=citations),
            status,
        )
    return Evidence(
        "event",
        item.id,
        item.type,
        item.actor,
        item.target,
        str(item.date),
        item.summary,
        item.credibility,
        cite(kb, item, citations=citations),
        status,
    )


def day_text(ordinal: int) -> str:
    """Format a day ordinal; the open ends read ``-inf`` and ``ongoing``."""
    if ordinal <= DAY_MIN:
        return "-inf"
    if ordinal >= DAY_MAX:
        return "ongoing"
    return date.fromordinal(ordinal).isoformat()
