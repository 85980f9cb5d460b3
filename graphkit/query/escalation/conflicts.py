"""Conflicts: the war relations grouped into wars with two sides, and who joined when.

Every relation of a war type is a war between the roots of its ends (the top of each actor's
``part_of`` chain); wars that share a belligerent form one conflict, whose sides come from
two-colouring the war relations. A conflict is named by its earliest war relation. A root is a
belligerent while a war relation naming it holds (possibly): from the first possible day of its
start to the last possible day of its end. A war whose relations have all ended has no
belligerents after that day.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter

from graphkit.kb import KnowledgeBaseLike
from graphkit.model.dates import DAY_MAX, DAY_MIN
from graphkit.model.relation import Relation

__all__ = ["Conflict", "conflicts", "find_conflicts", "roots"]


@dataclass
class Conflict:
    """A conflict: its name (earliest war relation), sides of root actors, and when each joined."""

    name: str
    relations: list[Relation]
    side_of: dict[str, int]
    belligerent_since: dict[str, int]
    start: int
    #: Each root's spells as a belligerent: the (first, last) possible days of its war relations,
    #: merged where they touch, in time order.
    spells: dict[str, list[tuple[int, int]]] = field(default_factory=dict, repr=False)
    #: Each root's (first, last) day at war, and the roots whose spells have gaps: a root at
    #: war on a day is within its span and, if it has gaps, in one of its spells. Hot loops
    #: read these two directly (see :meth:`belligerent_on`).
    span: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)
    gaps: set[str] = field(default_factory=set, repr=False)
    _label: str | None = field(default=None, repr=False, compare=False)
    _by_entry: dict[int, list[str]] = field(default_factory=dict, repr=False, compare=False)

    def belligerent_on(self, root: str, day: int) -> bool:
        """Whether ``root`` is (possibly) at war in this conflict on ``day``."""
        span = self.span.get(root)
        if span is None or not span[0] <= day <= span[1]:
            return False
        if root not in self.gaps:  # the common case: one war, one spell
            return True
        spells = self.spells[root]
        index = bisect_right(spells, (day, DAY_MAX)) - 1
        return index >= 0 and spells[index][1] >= day

    def first_belligerent_day(self, root: str, lo: int, hi: int) -> int | None:
        """The first day in ``[lo, hi]`` on which ``root`` is at war in this conflict, or None."""
        for first, last in self.spells.get(root, ()):
            if last >= lo and first <= hi:
                return max(first, lo)
        return None

    def sides(self) -> tuple[list[str], list[str]]:
        """The root actors on each side, sorted."""
        return (
            sorted(a for a, s in self.side_of.items() if s == 0),
            sorted(a for a, s in self.side_of.items() if s == 1),
        )

    def label(self) -> str:
        """``A, B vs C`` (the two sides; long sides are shortened)."""
        if self._label is None:
            parts = []
            for side in self.sides():
                shown = ", ".join(side[:4])
                parts.append(shown + (f" and {len(side) - 4} more" if len(side) > 4 else ""))
            self._label = " vs ".join(parts)
        return self._label

    def by_entry(self, side: int) -> list[str]:
        """The members of a side, earliest belligerent first (cached once the conflict is built)."""
        cached = self._by_entry.get(side)
        if cached is None:
            cached = self._by_entry[side] = sorted(
                (a for a, s in self.side_of.items() if s == side),
                key=lambda a: (self.belligerent_since.get(a, DAY_MAX), a),
            )
        return cached


def roots(kb: KnowledgeBaseLike) -> dict[str, str]:
    """Each actor id -> its root, the top of its ``part_of`` chain (itself if it has no parent)."""
    parent = {a.id: a.part_of for a in kb.actors}
    found: dict[str, str] = {}
    for actor_id in parent:
        node = actor_id
        seen = {node}
        while parent.get(node) and parent[node] not in seen:
            node = parent[node]  # type: ignore[assignment]
            seen.add(node)
        found[actor_id] = node
    return found


def find_conflicts(wars: Iterable[Relation], root: dict[str, str]) -> list[Conflict]:
    """Group the war relations into conflicts and two-colour their sides.

    Wars are taken in time order. A war between two roots of no conflict starts one (its ``from``
    on side 0); a war with one new root puts it opposite the other; a war joining two conflicts
    merges the later-started one into the earlier (whose name, start and sides stay), flipping the
    merged sides if need be so the two roots are opposed; a war inside one conflict changes no side
    (the first colouring stands). Roots are kept in a union-find with each root's parity to its
    parent, so a merge costs no more than a lookup, whatever the size of the conflicts.
    """
    # Each war's first and last possible days (relation.extent's, without building an Extent)
    # and the roots of its ends, read once: (first day, id, last day, root from, root to, war).
    entries = []
    for r in wars:
        start, end, a, b = r.start, r.end, r.from_, r.to
        entries.append(
            (
                DAY_MIN if start is None else start.lo,
                r.id,
                DAY_MAX if end is None else end.hi,
                root.get(a, a),
                root.get(b, b),
                r,
            )
        )
    entries.sort(key=itemgetter(0, 1))  # in time order, then by id
    parent: dict[str, str] = {}
    parity: dict[str, int] = {}  # 1 when a root sits on the other side from its parent
    conflict_at: dict[str, Conflict] = {}  # union-find representative -> its conflict
    orient: dict[str, int] = {}  # representative -> its own side
    created: list[Conflict] = []  # in order of creation, which is time order
    rank: dict[int, int] = {}  # id(conflict) -> its index in ``created``
    #: id(conflict) -> each of its relations' (root from, root to, (first day, last day)),
    #: in the order of ``conflict.relations`` (what its spells are made of).
    ends: dict[int, list[tuple[str, str, tuple[int, int]]]] = {}
    #: Each root's first day at war (the roots of one union-find set are in one conflict).
    since_of: dict[str, int] = {}

    def find(node: str) -> tuple[str, int]:
        """The representative of ``node`` and ``node``'s parity to it (compressing the path)."""
        up = parent[node]
        if up == node:
            return node, 0
        if parent[up] == up:  # the common case, a path of one: nothing to compress
            return up, parity[node]
        path = []
        while parent[node] != node:
            path.append(node)
            node = parent[node]
        total = 0
        for step in reversed(path):  # nearest the representative first
            total ^= parity[step]
            parent[step], parity[step] = node, total
        return node, parity[path[0]]

    for lo, _, hi, a, b, relation in entries:
        if a == b:
            continue
        if a not in parent and b not in parent:
            conflict = Conflict(relation.id, [], {}, {}, lo)
            rank[id(conflict)] = len(created)
            ends[id(conflict)] = []
            created.append(conflict)
            parent[a], parity[a], orient[a], conflict_at[a] = a, 0, 0, conflict
            parent[b], parity[b] = a, 1
        elif b not in parent:
            parent[b], parity[b] = a, 1
            conflict = conflict_at[find(a)[0]]
        elif a not in parent:
            parent[a], parity[a] = b, 1
            conflict = conflict_at[find(b)[0]]
        else:
            (ra, pa), (rb, pb) = find(a), find(b)
            if ra != rb:
                if rank[id(conflict_at[rb])] < rank[id(conflict_at[ra])]:
                    ra, pa, rb, pb = rb, pb, ra, pa  # the earlier conflict absorbs the later
                # b's side after the merge must be the opposite of a's.
                side_a, side_b = pa ^ orient[ra], pb ^ orient[rb]
                flip = int(side_a == side_b)
                parent[rb], parity[rb] = ra, orient[rb] ^ flip ^ orient[ra]
                kept, merged = conflict_at[ra], conflict_at.pop(rb)
                kept.relations.extend(merged.relations)
                kept.belligerent_since.update(merged.belligerent_since)
                ends[id(kept)].extend(ends.pop(id(merged)))
            conflict = conflict_at[ra]
        conflict.relations.append(relation)
        ends[id(conflict)].append((a, b, (lo, hi)))
        belligerent_since = conflict.belligerent_since
        for actor in (a, b):
            since = since_of.get(actor)
            if since is None or lo < since:
                since_of[actor] = belligerent_since[actor] = lo
    for node in parent:  # in order of entry
        representative, node_parity = find(node)
        conflict_at[representative].side_of[node] = node_parity ^ orient[representative]
    alive = {id(c) for c in conflict_at.values()}
    found = [conflict for conflict in created if id(conflict) in alive]
    for conflict in found:
        conflict.spells = spells = _spells(ends[id(conflict)])
        conflict.span = {r: (s[0][0], s[-1][1]) for r, s in spells.items()}
        conflict.gaps = {r for r, s in spells.items() if len(s) > 1}
    return found


def _spells(ends: list[tuple[str, str, tuple[int, int]]]) -> dict[str, list[tuple[int, int]]]:
    """Each root's war spells: the extents of its war relations, merged, in time order."""
    found: dict[str, list[tuple[int, int]]] = {}
    for a, b, extent in ends:
        for end in (a, b):
            spans = found.get(end)
            if spans is None:
                found[end] = [extent]
            else:
                spans.append(extent)
    merged: dict[str, list[tuple[int, int]]] = {}
    for actor, spans in found.items():
        if len(spans) == 1:
            merged[actor] = spans
            continue
        spans.sort()
        out = []
        lo, hi = spans[0]
        for first, last in spans[1:]:
            if first <= hi + 1:  # touches the spell so far
                if last > hi:
                    hi = last
            else:
                out.append((lo, hi))
                lo, hi = first, last
        out.append((lo, hi))
        merged[actor] = out
    return merged


def conflicts(kb: KnowledgeBaseLike) -> list[Conflict]:
    """Return the conflicts of a knowledge base (see the module docstring).

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... actors: [{id: A, name: A, kind: state}, {id: B, name: B, kind: state},
        ...          {id: C, name: C, kind: state}]
        ... relations:
        ...   - {id: ab-war, type: at_war_with, from: A, to: B, start: 2022}
        ...   - {id: cb-war, type: at_war_with, from: C, to: B, start: 2024}
        ... ''')
        >>> [(c.name, c.label()) for c in conflicts(kb)]
        [('ab-war', 'A, C vs B')]
    """
    war_types = {name for name, t in kb.vocabulary.relation_types.items() if t.war}
    return find_conflicts((r for r in kb.relations if r.type in war_types), roots(kb))
