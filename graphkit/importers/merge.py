"""Merge knowledge bases without losing a claim, and promote imported records into a curated file.

:func:`merge` combines documents in order (the first is the base). For each item of a later
document:

* **new id** -> added;
* **same id, same content** -> kept once (``duplicate``);
* **same event id, differing only in quantities** (and sources) -> the later event's quantities
  that the first lacks are appended to it, each carrying the later event's sources when it has
  none of its own (``quantities-appended``);
* **same actor or source id with more detail** (the later one only fills fields the first
  leaves empty, or adds aliases) -> the first is completed (``completed``);
* **any other difference, or an id used in another section** -> the later item is kept under a
  new id ``ID~2`` (``~3``, ... if taken) with a note naming the clash, and every reference to it
  inside the later document is renamed (``collision``);
* event and relation types with the same id must be identical (else an error).

Relations with the same type, ends and different dates (whatever their ids) are reported as
``conflicting-dates``; both stay. The report lists every case.

:func:`promote` copies chosen records of an imported file into a curated file, with the actors,
sources and events they need that the curated file lacks, marks the chosen records
``provenance.reviewed: true``, removes the moved records from the imported file, and checks both
results before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from graphkit.importers._base import ImporterError
from graphkit.io.dump import dump_yaml
from graphkit.model.actor import Actor
from graphkit.model.common import SourceRef
from graphkit.model.document import SECTIONS, Document
from graphkit.model.event import Event
from graphkit.model.relation import Relation
from graphkit.model.source import Source

__all__ = [
    "MergeNote",
    "MergeResult",
    "PromoteResult",
    "append_items",
    "concatenate",
    "merge",
    "promote",
]

Item = TypeVar("Item", Source, Actor, Relation, Event)

_SECTION_KIND = {"sources": "source", "actors": "actor", "relations": "relation", "events": "event"}


@dataclass(frozen=True)
class MergeNote:
    """One finding of a merge: what happened to which id, and why."""

    code: str
    section: str
    id: str
    message: str
    new_id: str | None = None

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        """Return the note as a JSON-ready mapping."""
        return {
            "code": self.code,
            "section": self.section,
            "id": self.id,
            "new_id": self.new_id,
            "message": self.message,
        }


@dataclass
class MergeResult:
    """The merged document and the report of every collision and conflict."""

    document: Document
    notes: list[MergeNote] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Number of notes per code."""
        out: dict[str, int] = {}
        for note in self.notes:
            out[note.code] = out.get(note.code, 0) + 1
        return out


def merge(documents: Sequence[Document], names: Sequence[str] | None = None) -> MergeResult:
    """Merge ``documents`` in order; nothing is overwritten and every clash is reported.

    ``names`` (file names) are used in notes; default ``#1``, ``#2``, ...

    Raises:
        ImporterError: If two documents declare different event or relation types with one id.

    Examples:
        >>> a = Document.model_validate({"format_version": 1, "actors": [
        ...     {"id": "A", "name": "A", "kind": "state"}],
        ...     "events": [{"id": "e", "type": "attack", "date": "2024", "actor": "A",
        ...                 "quantities": [{"value": 3, "unit": "killed"}]}]})
        >>> b = Document.model_validate({"format_version": 1, "actors": [
        ...     {"id": "A", "name": "A", "kind": "state"}],
        ...     "events": [{"id": "e", "type": "attack", "date": "2024", "actor": "A",
        ...                 "quantities": [{"value": 5, "unit": "killed"}]}]})
        >>> result = merge([a, b])
        >>> [q.value for q in result.document.events[0].quantities], result.counts()
        ([3, 5], {'duplicate': 1, 'quantities-appended': 1})
    """
    labels = list(names) if names else [f"#{i + 1}" for i in range(len(documents))]
    if not documents:
        return MergeResult(Document(format_version=1))
    merger = _Merger(documents[0])
    for document, name in zip(documents[1:], labels[1:], strict=False):
        merger.add(document, name, labels[0])
    merger.date_conflicts()
    # The base IRI of the first file that declares one (RDF IRIs are minted under it).
    base = next((d.base for d in documents if d.base is not None), None)
    return MergeResult(merger.document().model_copy(update={"base": base}), merger.notes)


class _Merger:
    def __init__(self, base: Document) -> None:
        self.sections: dict[str, dict[str, Any]] = {
            s: {item.id: item for item in getattr(base, s)} for s in SECTIONS
        }
        self.event_types: dict[str, Any] = {t.id: t for t in base.event_types}
        self.relation_types: dict[str, Any] = {t.id: t for t in base.relation_types}
        self.notes: list[MergeNote] = []

    def owner(self, item_id: str) -> str | None:
        return next((s for s in SECTIONS if item_id in self.sections[s]), None)

    def fresh(self, item_id: str, taken: set[str]) -> str:
        n = 2
        while self.owner(f"{item_id}~{n}") or f"{item_id}~{n}" in taken:
            n += 1
        return f"{item_id}~{n}"

    def add(self, doc: Document, name: str, base_name: str) -> None:  # noqa: D102
        declarations: tuple[tuple[str, dict[str, Any], list[Any]], ...] = (
            ("event type", self.event_types, list(doc.event_types)),
            ("relation type", self.relation_types, list(doc.relation_types)),
        )
        for kind, mine, theirs in declarations:
            for declared in theirs:
                known = mine.get(declared.id)
                if known is None:
                    mine[declared.id] = declared
                elif known != declared:
                    raise ImporterError(
                        f"{name}: {kind} {declared.id!r} differs from the one in {base_name}; "
                        "make the declarations identical before merging"
                    )
        # Decide renames first, so references inside ``doc`` follow them. An item is compared
        # with its references already renamed (a relation citing a renamed source is another
        # claim), so repeat until no new rename appears.
        taken = {i.id for s in SECTIONS for i in getattr(doc, s)}
        renames: dict[str, str] = {}
        while True:
            plans: list[tuple[str, Any, str]] = []  # (section, item, action)
            found: dict[str, str] = {}
            for section in SECTIONS:
                for item in getattr(doc, section):
                    action = self.plan(section, _renamed(item, renames, keep_id=True))
                    if action == "rename" and item.id not in renames:
                        found[item.id] = self.fresh(
                            item.id, taken | set(renames.values()) | set(found.values())
                        )
                    plans.append((section, item, action))
            if not found:
                break
            renames.update(found)
        for section, item, action in plans:
            self.apply(section, _renamed(item, renames), action, item.id, name)

    def plan(self, section: str, item: Any) -> str:
        owner = self.owner(item.id)
        if owner is None:
            return "add"
        if owner != section:
            return "rename"
        known = self.sections[section][item.id]
        if known == item:
            return "duplicate"
        if section == "events" and _without(known, "quantities", "sources") == _without(
            item, "quantities", "sources"
        ):
            return "quantities"
        if section in ("actors", "sources") and _completes(known, item):
            return "complete"
        return "rename"

    def apply(self, section: str, item: Any, action: str, original: str, name: str) -> None:
        kind = _SECTION_KIND[section]
        store = self.sections[section]
        if action == "add":
            store[item.id] = item
        elif action == "duplicate":
            self.notes.append(
                MergeNote("duplicate", section, item.id, f"{kind} {item.id!r} is in both files")
            )
        elif action == "quantities":
            known = store[item.id]
            added = [
                q if q.sources else q.model_copy(update={"sources": list(item.sources)})
                for q in item.quantities
                if q not in known.quantities
                and q.model_copy(update={"sources": list(item.sources)}) not in known.quantities
            ]
            sources = [*known.sources, *(s for s in item.sources if s not in known.sources)]
            store[item.id] = known.model_copy(
                update={"quantities": [*known.quantities, *added], "sources": sources}
            )
            self.notes.append(
                MergeNote(
                    "quantities-appended",
                    section,
                    item.id,
                    f"event {item.id!r}: {len(added)} quantit{'y' if len(added) == 1 else 'ies'} "
                    f"from {name} appended with their sources",
                )
            )
        elif action == "complete":
            known = store[item.id]
            update = {
                f: getattr(item, f)
                for f in type(item).model_fields
                if getattr(known, f) in (None, []) and getattr(item, f) not in (None, [])
            }
            if isinstance(item, Actor):
                update["aliases"] = [
                    *known.aliases,
                    *(a for a in item.aliases if a not in known.aliases),
                ]
            store[item.id] = known.model_copy(update=update)
            self.notes.append(
                MergeNote(
                    "completed",
                    section,
                    item.id,
                    f"{kind} {item.id!r}: fields {sorted(update)} filled in from {name}",
                )
            )
        else:  # rename
            where = self.owner(original)
            if where is not None and where != section:
                clash = f"the id is already used by {_a(_SECTION_KIND[where])}"
            elif where is not None:
                fields = ", ".join(_diff(self.sections[section][original], item))
                clash = f"an earlier file has a different {kind} with this id ({fields})"
            else:  # pragma: no cover - a rename always has an earlier owner
                clash = "id clash"
            note = f"merge: renamed from {original!r} (from {name}): {clash}"
            if hasattr(item, "notes"):
                text = f"{item.notes}\n{note}" if item.notes else note
                item = item.model_copy(update={"notes": text})
            store[item.id] = item
            self.notes.append(
                MergeNote(
                    "collision",
                    section,
                    original,
                    f"{kind} {original!r} from {name}: {clash}; kept as {item.id!r}",
                    new_id=item.id,
                )
            )

    def date_conflicts(self) -> None:
        by_key: dict[tuple[str, str, str], list[Relation]] = {}
        for relation in self.sections["relations"].values():
            by_key.setdefault((relation.type, relation.from_, relation.to), []).append(relation)
        for (rel_type, start, end), group in by_key.items():
            dates = {(str(r.start), str(r.end)) for r in group}
            if len(group) > 1 and len(dates) > 1:
                ids = [r.id for r in group]
                self.notes.append(
                    MergeNote(
                        "conflicting-dates",
                        "relations",
                        ids[0],
                        f"{rel_type} {start} -> {end}: relations {ids} give different dates "
                        f"({'; '.join(f'{r.id}: {r.start}..{r.end}' for r in group)})",
                    )
                )

    def document(self) -> Document:
        sections: dict[str, Any] = {s: list(self.sections[s].values()) for s in SECTIONS}
        return Document(
            format_version=1,
            event_types=list(self.event_types.values()),
            relation_types=list(self.relation_types.values()),
            **sections,
        )


def _without(item: Any, *fields: str) -> dict[str, Any]:
    return {k: v for k, v in item.__dict__.items() if k not in fields}


def _completes(known: Any, item: Any) -> bool:
    """Whether ``item`` only adds to ``known``: fills empty fields or adds aliases."""
    for name in type(item).model_fields:
        mine, theirs = getattr(known, name), getattr(item, name)
        if mine == theirs or theirs in (None, []):
            continue
        if mine in (None, []):
            continue
        if name == "aliases":
            continue
        return False
    return True


def _diff(known: Any, item: Any) -> list[str]:
    return [
        name
        for name in type(item).model_fields
        if name != "id" and getattr(known, name) != getattr(item, name)
    ] or ["id"]


def _renamed(item: Any, renames: dict[str, str], *, keep_id: bool = False) -> Any:
    """Return ``item`` with its id (unless ``keep_id``) and every reference renamed."""
    if not renames:
        return item

    def ref(value: str | None) -> str | None:
        return renames.get(value, value) if value is not None else None

    def refs(values: Iterable[SourceRef]) -> list[SourceRef]:
        return [
            r.model_copy(update={"source": ref(r.source), "according_to": ref(r.according_to)})
            for r in values
        ]

    update: dict[str, Any] = {"id": item.id if keep_id else ref(item.id)}
    if isinstance(item, Actor):
        update.update(part_of=ref(item.part_of), sources=refs(item.sources))
    elif isinstance(item, Relation):
        update.update(
            from_=ref(item.from_),
            to=ref(item.to),
            started_by=ref(item.started_by),
            ended_by=ref(item.ended_by),
            sources=refs(item.sources),
        )
    elif isinstance(item, Event):
        update.update(
            actor=ref(item.actor),
            target=ref(item.target),
            participants=[p.model_copy(update={"actor": ref(p.actor)}) for p in item.participants],
            sources=refs(item.sources),
            quantities=[q.model_copy(update={"sources": refs(q.sources)}) for q in item.quantities],
            alternative_dates=[
                a.model_copy(update={"sources": refs(a.sources)}) for a in item.alternative_dates
            ],
        )
        if item.quote is not None:
            update["quote"] = item.quote.model_copy(update={"speaker": ref(item.quote.speaker)})
    return item.model_copy(update=update)


# ---- promote ------------------------------------------------------------------------------------


@dataclass
class PromoteResult:
    """The curated and imported documents after a promotion, and what moved.

    ``already`` lists chosen ids the curated file holds already (with the same content);
    ``cleared`` the ids of those and of what they reference that were still in the imported file
    too (a promotion interrupted between its two writes) and leave it now.
    """

    curated: Document
    imported: Document
    promoted: list[str]
    brought: list[str]
    already: list[str]
    cleared: list[str] = field(default_factory=list)


def promote(imported: Document, curated: Document, ids: Sequence[str]) -> PromoteResult:
    """Move the records ``ids`` (and what they need) from ``imported`` into ``curated``.

    Chosen records get ``provenance.reviewed: true`` (a record without provenance gets none).
    Actors, sources and events they reference that ``curated`` lacks move with them (listed in
    ``brought``; their provenance is left as it was). A chosen id already in ``curated`` with the
    same content (or only there: promoted before) is listed in ``already``; with other content it
    is an error. Promoting again what was promoted converges: a record found in both documents
    with the same content, and what it references that is in both, leaves ``imported``
    (``cleared``).

    Raises:
        ImporterError: If an id is not in ``imported``, or clashes with a different curated item.

    Examples:
        >>> imported = Document.model_validate({"format_version": 1,
        ...     "actors": [{"id": "g-A", "name": "A", "kind": "state"}],
        ...     "events": [{"id": "g-1", "type": "attack", "date": "2024", "actor": "g-A",
        ...                 "provenance": {"dataset": "gdelt", "record": "1"}}]})
        >>> result = promote(imported, Document(format_version=1), ["g-1"])
        >>> result.curated.events[0].provenance.reviewed, result.brought, result.imported.events
        (True, ['g-A'], [])
    """
    source_items = {i.id: (s, i) for s in SECTIONS for i in getattr(imported, s)}
    curated_items = {i.id: (s, i) for s in SECTIONS for i in getattr(curated, s)}
    chosen: list[str] = []
    already: list[str] = []
    for item_id in dict.fromkeys(ids):
        if item_id not in source_items:
            if item_id in curated_items:  # promoted before
                already.append(item_id)
                continue
            raise ImporterError(f"{item_id!r} is not in the imported file")
        section, item = source_items[item_id]
        if item_id in curated_items:
            if _same_record(curated_items[item_id][1], item):
                already.append(item_id)
                continue
            raise ImporterError(
                f"{item_id!r} is already in the curated file with other content; "
                "use 'graphkit merge' to keep both claims"
            )
        chosen.append(item_id)
    moving: dict[str, tuple[str, Any]] = {}
    brought: list[str] = []
    queue = list(chosen)
    while queue:
        item_id = queue.pop(0)
        if item_id in moving or item_id in curated_items:
            continue
        if item_id not in source_items:
            continue  # defined elsewhere (a curated actor the import points at): checked below
        section, item = source_items[item_id]
        moving[item_id] = (section, item)
        if item_id not in chosen:
            brought.append(item_id)
        queue.extend(_references(item))
    promoted_items: dict[str, list[Any]] = {s: [] for s in SECTIONS}
    for item_id, (section, item) in moving.items():
        if item_id in chosen and getattr(item, "provenance", None) is not None:
            item = item.model_copy(
                update={"provenance": item.provenance.model_copy(update={"reviewed": True})}
            )
        promoted_items[section].append(item)
    new_curated = curated.model_copy(
        update={s: [*getattr(curated, s), *promoted_items[s]] for s in SECTIONS}
    )
    cleared = _in_both(already, source_items, curated_items)
    leaving = moving.keys() | cleared
    new_imported = imported.model_copy(
        update={s: [i for i in getattr(imported, s) if i.id not in leaving] for s in SECTIONS}
    )
    return PromoteResult(new_curated, new_imported, chosen, brought, already, sorted(cleared))


def _same_record(curated: Any, imported: Any) -> bool:
    """Whether two records are the same claim (the review flag of the provenance aside)."""
    return bool(_without(curated, "provenance") == _without(imported, "provenance"))


def _in_both(
    ids: list[str],
    source_items: dict[str, tuple[str, Any]],
    curated_items: dict[str, tuple[str, Any]],
) -> set[str]:
    """``ids`` and what they reference, where both documents hold the same record."""
    found: set[str] = set()
    queue = list(ids)
    while queue:
        item_id = queue.pop()
        if item_id in found or item_id not in source_items or item_id not in curated_items:
            continue
        item = source_items[item_id][1]
        if not _same_record(curated_items[item_id][1], item):
            continue
        found.add(item_id)
        queue.extend(_references(item))
    return found


def concatenate(documents: list[Document]) -> Document:
    """Concatenate documents section by section, unvalidated (a repeated id is for the checks)."""
    sections: dict[str, Any] = {s: [i for d in documents for i in getattr(d, s)] for s in SECTIONS}
    return Document.model_construct(
        None,
        format_version=1,
        base=next((d.base for d in documents if d.base is not None), None),
        event_types=[t for d in documents for t in d.event_types],
        relation_types=[t for d in documents for t in d.relation_types],
        **sections,
    )


def _references(item: Any) -> list[str]:
    out: list[str] = []

    def refs(values: Iterable[SourceRef]) -> None:
        for r in values:
            out.append(r.source)
            if r.according_to:
                out.append(r.according_to)

    if isinstance(item, Actor):
        if item.part_of:
            out.append(item.part_of)
        refs(item.sources)
    elif isinstance(item, Relation):
        out.extend(x for x in (item.from_, item.to, item.started_by, item.ended_by) if x)
        refs(item.sources)
    elif isinstance(item, Event):
        out.extend(item.actor_ids)
        if item.quote is not None and item.quote.speaker:
            out.append(item.quote.speaker)
        refs(item.sources)
        for q in item.quantities:
            refs(q.sources)
        for a in item.alternative_dates:
            refs(a.sources)
    return out


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


_TOP_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):(.*)$")


def append_items(text: str, items: dict[str, list[Any]]) -> str | None:
    r"""Append items to the block sections of YAML ``text``, keeping its comments and layout.

    Each section's new items are inserted after the last line of that section (before trailing
    blank and comment lines), at the indentation of its existing items; a missing section is
    added at the end. Returns ``None`` when the text cannot be extended this way (a section
    written in flow style such as ``events: []``); callers then rewrite the whole file.

    Examples:
        >>> text = "format_version: 1\n# people\nactors:\n- {id: A, name: A, kind: state}\n"
        >>> new = [Actor(id="B", name="B", kind="state")]
        >>> print(append_items(text, {"actors": new}), end="")
        format_version: 1
        # people
        actors:
        - {id: A, name: A, kind: state}
        - {id: B, name: B, kind: state}
    """
    lines = text.splitlines()
    starts: dict[str, int] = {}
    for index, line in enumerate(lines):
        match = _TOP_KEY.match(line)
        if match:
            starts[match.group(1)] = index
    order = sorted(starts.values())
    inserts: list[tuple[int, list[str]]] = []
    appended: list[str] = []
    for section in SECTIONS:
        new = items.get(section) or []
        if not new:
            continue
        only: dict[str, Any] = {section: new}
        dumped = dump_yaml(Document(format_version=1, **only)).splitlines()
        block = dumped[dumped.index(f"{section}:") + 1 :]
        if section not in starts:
            appended.extend([f"{section}:", *block])
            continue
        start = starts[section]
        rest = _TOP_KEY.match(lines[start])
        if rest is None or rest.group(2).split("#")[0].strip():
            return None  # flow style or a scalar: cannot append lines safely
        following = [i for i in order if i > start]
        last = following[0] if following else len(lines)
        while last > start + 1 and (
            not lines[last - 1].strip() or lines[last - 1].lstrip().startswith("#")
        ):
            last -= 1
        first_item = next(
            (lines[i] for i in range(start + 1, last) if lines[i].lstrip().startswith("- ")), None
        )
        indent = first_item[: len(first_item) - len(first_item.lstrip())] if first_item else "  "
        inserts.append(
            (last, [indent + line[2:] if line.startswith("  ") else line for line in block])
        )
    for position, block in sorted(inserts, key=lambda pair: pair[0], reverse=True):
        lines[position:position] = block
    lines.extend(appended)
    return "\n".join(lines) + "\n"
