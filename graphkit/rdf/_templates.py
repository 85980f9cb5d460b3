r"""``kb.ttl`` and ``kb.nt`` written straight from the model: one f-string per group of triples.

:func:`graphkit.rdf._triples.item_triples` decides the triples and
:class:`graphkit.rdf._text.TurtleAndNTriples` formats them, a tuple and a pass of formatting per
triple (about 7.4 million at 100,000 events, the critical path of ``graphkit build``). Here the
triples of an event or a relation are written as text directly: each group of triples that always
go together (an event's types, identifier, label, type and time node; a role; a source reference)
is one f-string per syntax with only the values filled in, every literal escaped once for both
syntaxes, and the vocabulary terms already in each syntax's text.

:func:`item_texts` is the same text as ``TurtleAndNTriples`` over ``item_triples``, byte for byte
(``tests/rdf/test_templates.py`` compares both on the flagship, hostile strings under four bases
and random knowledge bases). Items the templates do not cover go through the reference, one item
at a time: sources, actors and the vocabulary (few), events with alternative dates, tags or
provenance, relations with provenance, the first event that uses a role (the reference writes the
role's ``sem:RoleType`` triples there), and items whose IRI Turtle cannot write relative to
``@base`` (an id starting with ``.``, or a base such as ``urn:x:`` or ``…#``).

Examples:
    >>> import graphkit as gk
    >>> from graphkit.rdf.export import _turtle
    >>> from graphkit.rdf.iri import Minter
    >>> kb = gk.load("data/events.yaml")
    >>> base = "https://graphkit.example.org/kb/"
    >>> fast = [(t, n) for t, n, _ in item_texts(kb, Minter(base), _turtle(base))]
    >>> from graphkit.rdf._text import TurtleAndNTriples
    >>> from graphkit.rdf._triples import item_triples
    >>> both = TurtleAndNTriples(_turtle(base))
    >>> fast == [both.texts(chunk) for chunk in item_triples(kb, Minter(base))]
    True
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from graphkit.kb import KnowledgeBase
from graphkit.model.common import SourceRef
from graphkit.model.dates import DAY_MAX, DAY_MIN, Bounds, PartialDate, Span
from graphkit.model.event import Event, Location, Quantity, Quote
from graphkit.model.relation import Relation
from graphkit.rdf._text import _ESCAPES, Turtle, TurtleAndNTriples
from graphkit.rdf._triples import (
    _BOOL,
    _DATATYPE,
    _DOUBLE,
    _EVENT_TYPE_NS,
    _IN_XSD,
    _INSTANT_DATATYPE,
    _INT,
    _RELATION_NS,
    _Writer,
    leading_chunks,
)
from graphkit.rdf.iri import Minter
from graphkit.rdf.namespace import DCTERMS, GEO, GK, OA, PROV, RDF, RDFS, SDO, SEM, SKOS, TIME

__all__ = ["ItemTexts", "item_texts"]

#: Predicates of the templates: attribute name -> IRI.
_PREDICATES = {
    "type": RDF.type,
    "value": RDF.value,
    "label": RDFS.label,
    "identifier": DCTERMS.identifier,
    "language": DCTERMS.language,
    "eventType": SEM.eventType,
    "hasTime": SEM.hasTime,
    "earliest": SEM.hasEarliestBeginTimeStamp,
    "latest": SEM.hasLatestEndTimeStamp,
    "hasActor": SEM.hasActor,
    "roleType": SEM.roleType,
    "hasPlace": SEM.hasPlace,
    "inside": TIME.inside,
    "hasBeginning": TIME.hasBeginning,
    "hasEnd": TIME.hasEnd,
    "actor": GK.actor,
    "target": GK.target,
    "position": GK.position,
    "involves": GK.involves,
    "country": GK.country,
    "quantity": GK.quantity,
    "quantityKind": GK.quantityKind,
    "estimate": GK.estimate,
    "planned": GK.planned,
    "by": GK.by,
    "asOf": GK.asOf,
    "measure": GK.measure,
    "text": GK.text,
    "credibility": GK.credibility,
    "quote": GK.quote,
    "translation": GK.translation,
    "translationLanguage": GK.translationLanguage,
    "speaker": GK.speaker,
    "accordingTo": GK.accordingTo,
    "reportedIn": GK.reportedIn,
    "citation": GK.citation,
    "relationType": GK.relationType,
    "fromActor": GK.fromActor,
    "toActor": GK.toActor,
    "validDuring": GK.validDuring,
    "startedBy": GK.startedBy,
    "endedBy": GK.endedBy,
    "name": SDO.name,
    "description": SDO.description,
    "unitText": SDO.unitText,
    "sdoValue": SDO.value,
    "minValue": SDO.minValue,
    "maxValue": SDO.maxValue,
    "lat": GEO.lat,
    "long": GEO.long,
    "editorialNote": SKOS.editorialNote,
    "note": SKOS.note,
    "wasDerivedFrom": PROV.wasDerivedFrom,
    "qualifiedDerivation": PROV.qualifiedDerivation,
    "entity": PROV.entity,
    "wasAttributedTo": PROV.wasAttributedTo,
    "qualifiedAttribution": PROV.qualifiedAttribution,
    "agent": PROV.agent,
    "hasSource": OA.hasSource,
    "hasSelector": OA.hasSelector,
    "exact": OA.exact,
}
#: Classes (objects of ``rdf:type``) of the templates: attribute name -> IRI.
_CLASSES = {
    "Event": SEM.Event,
    "Role": SEM.Role,
    "SemPlace": SEM.Place,
    "Entity": PROV.Entity,
    "Derivation": PROV.Derivation,
    "Attribution": PROV.Attribution,
    "Instant": TIME.Instant,
    "Interval": TIME.Interval,
    "ProperInterval": TIME.ProperInterval,
    "Participation": GK.Participation,
    "Quantity": GK.Quantity,
    "Quote": GK.Quote,
    "Relation": GK.Relation,
    "SourceReference": GK.SourceReference,
    "Place": SDO.Place,
    "QuantitativeValue": SDO.QuantitativeValue,
    "SpecificResource": OA.SpecificResource,
    "TextQuoteSelector": OA.TextQuoteSelector,
}


class _Terms:
    """The template terms as one syntax writes them: predicates end in a space, classes do not."""

    if TYPE_CHECKING:

        def __getattr__(self, name: str) -> str: ...


def _escape(lexical: str) -> str:
    """A lexical form with backslash, quote, LF and CR escaped (both syntaxes alike)."""
    if "\\" in lexical or '"' in lexical or "\n" in lexical or "\r" in lexical:
        return lexical.translate(_ESCAPES)
    return lexical


class ItemTexts:
    """Writes an event's or a relation's Turtle and N-Triples text from the model.

    Shares the reference writer's state (minted IRIs, role types already written, labels), so
    items it declines (``None``) can go through :class:`~graphkit.rdf._triples._Writer` in
    between and the two stay in step.
    """

    def __init__(self, writer: _Writer, turtle: Turtle) -> None:
        self.writer = writer
        self.turtle = turtle
        base = turtle._base
        # A hierarchical base Turtle writes IRIs relative to (None: every item is declined).
        self.base = base if base is not None and base == writer.m.base else None
        iri = turtle.iri
        self.n, self.t = _Terms(), _Terms()
        for name, term in _PREDICATES.items():
            setattr(self.n, name, f"<{term}> ")
            setattr(self.t, name, "a " if term == RDF.type else iri(str(term)) + " ")
        for name, term in _CLASSES.items():
            setattr(self.n, name, f"<{term}>")
            setattr(self.t, name, iri(str(term)))

        def suffixes(datatype: str) -> tuple[str, str]:
            return f"^^<{datatype}>", "^^" + iri(datatype)

        self.integer, self.double = suffixes(_INT), suffixes(_DOUBLE)
        self.day = suffixes(_DATATYPE["day"])
        self.true = ('"true"' + suffixes(_BOOL)[0], '"true"' + suffixes(_BOOL)[1])
        self.false = ('"false"' + suffixes(_BOOL)[0], '"false"' + suffixes(_BOOL)[1])
        self.dates = {precision: suffixes(dt) for precision, dt in _DATATYPE.items()}
        # precision -> (N-Triples predicate, Turtle predicate, N-Triples suffix, Turtle suffix)
        self.instants = {
            precision: (
                f"<{_IN_XSD[precision]}> ",
                iri(_IN_XSD[precision]) + " ",
                *suffixes(_INSTANT_DATATYPE[precision]),
            )
            for precision in _DATATYPE
        }
        self.iris: dict[str, tuple[str, str]] = {}  # type or event IRI -> its two texts
        self.actors: dict[str, tuple[str, str]] = {}  # actor id -> its IRI's two texts
        self.sources: dict[str, tuple[str, str]] = {}  # source id -> its IRI's two texts
        self.roles: dict[str, tuple[str, str]] = {}  # role word -> its IRI's two texts
        #: Triples written so far (str.count of the lines would cost 8 µs an event).
        self.triples = 0
        self.relation_types: dict[str, tuple[str, str, bool]] = {}  # see _relation_type
        self.event_types: dict[str, tuple[str, str]] = {}  # event type id -> its IRI's texts

    # -- terms ----------------------------------------------------------------------------
    def _iri(self, iri: str) -> tuple[str, str]:
        """An IRI that recurs (actor, source, type) in N-Triples and in Turtle, cached."""
        texts = self.iris.get(iri)
        if texts is None:
            texts = self.iris[iri] = (f"<{iri}>", self.turtle.iri(iri))
        return texts

    def _relative(self, iri: str) -> str | None:
        """``iri`` relative to ``@base`` where Turtle writes it so (and so its nodes), else None.

        A node IRI is the item's plus ``/word`` or ``/word/index``: relative too when the item's
        is (same first character, no ``:``, and ``/`` then a letter or digit adds no ``/.``).
        """
        base = self.base
        if base is None or not iri.startswith(base):
            return None
        rest = iri[len(base) :]
        if rest and rest[0] not in "/.?#" and ":" not in rest and "/." not in rest:
            return rest
        return None

    def _actor(self, actor_id: str) -> tuple[str, str]:
        """An actor's IRI in N-Triples and in Turtle (cached by id, as the minter's IRI)."""
        texts = self.actors[actor_id] = self._iri(self.writer.m.actor(actor_id))
        return texts

    def _source(self, source_id: str) -> tuple[str, str]:
        """A source's IRI in N-Triples and in Turtle (cached by id, as the minter's IRI)."""
        texts = self.sources[source_id] = self._iri(self.writer.m.source(source_id))
        return texts

    def _event_type(self, type_id: str) -> tuple[str, str]:
        """An event type's IRI in N-Triples and in Turtle, cached by id."""
        texts = self._iri(self.writer.type_iri(_EVENT_TYPE_NS, type_id))
        self.event_types[type_id] = texts
        return texts

    def _role(self, word: str) -> tuple[str, str] | None:
        """A role word's two texts once the reference has written its ``sem:RoleType``."""
        texts = self.roles.get(word)
        if texts is None:
            iri = self.writer.roles.get(word)
            if iri is None:
                return None
            texts = self.roles[word] = self._iri(iri)
        return texts

    def _number(self, value: int | float) -> tuple[str, str]:
        """A figure as a literal in each syntax (``number_literal``'s lexical form)."""
        if isinstance(value, int):
            lexical, (ns, ts) = str(value), self.integer
        else:
            lexical, (ns, ts) = repr(float(value)), self.double
        return f'"{lexical}"{ns}', f'"{lexical}"{ts}'

    # -- groups of triples ----------------------------------------------------------------
    def _instant(
        self, nl: list[str], tl: list[str], node: str, rel: str, value: PartialDate
    ) -> None:
        """``node a time:Instant ; time:inXSD… "value"``, opening the node's block."""
        n, t = self.n, self.t
        np, tp, ns, ts = self.instants[value.precision]
        v = str(value)
        nl.append(f'<{node}> {n.type}{n.Instant} .\n<{node}> {np}"{v}"{ns} .\n')
        self.triples += 2
        tl.append(f' .\n<{rel}> {t.type}{t.Instant} ;\n    {tp}"{v}"{ts}')

    def _when(
        self, nl: list[str], tl: list[str], node: str, rel: str, value: PartialDate | Bounds | Span
    ) -> None:
        """``_Writer.when``: a time node (instant, bounds window or interval)."""
        if isinstance(value, PartialDate):
            self._instant(nl, tl, node, rel, value)
            return
        n, t = self.n, self.t
        if isinstance(value, Bounds):
            nl.append(
                f"<{node}> {n.type}{n.Instant} .\n"
                f"<{node}/bounds> {n.type}{n.ProperInterval} .\n"
                f"<{node}/bounds> {n.inside}<{node}> .\n"
                f"<{node}/bounds> {n.hasBeginning}<{node}/earliest> .\n"
                f"<{node}/bounds> {n.hasEnd}<{node}/latest> .\n"
            )
            self.triples += 5
            tl.append(
                f" .\n<{rel}> {t.type}{t.Instant} .\n"
                f"<{rel}/bounds> {t.type}{t.ProperInterval} ;\n"
                f"    {t.inside}<{rel}> ;\n"
                f"    {t.hasBeginning}<{rel}/earliest> ;\n"
                f"    {t.hasEnd}<{rel}/latest>"
            )
            self._instant(nl, tl, node + "/earliest", rel + "/earliest", value.earliest)
            self._instant(nl, tl, node + "/latest", rel + "/latest", value.latest)
            return
        nl.append(
            f"<{node}> {n.type}{n.ProperInterval} .\n<{node}> {n.hasBeginning}<{node}/start> .\n"
        )
        self.triples += 2
        tl.append(f" .\n<{rel}> {t.type}{t.ProperInterval} ;\n    {t.hasBeginning}<{rel}/start>")
        self._instant(nl, tl, node + "/start", rel + "/start", value.start)
        if value.end is not None:
            nl.append(f"<{node}> {n.hasEnd}<{node}/end> .\n")
            self.triples += 1
            tl.append(f" .\n<{rel}> {t.hasEnd}<{rel}/end>")
            self._instant(nl, tl, node + "/end", rel + "/end", value.end)

    def _extent(
        self, nl: list[str], tl: list[str], subject: str, lead: str, lo: int, hi: int
    ) -> bool:
        """``_Writer.extent`` on the item's subject (``<iri> ``); True if a triple was written."""
        n, t = self.n, self.t
        ns, ts = self.day
        written = False
        if lo > DAY_MIN:
            day = date.fromordinal(lo).isoformat()
            nl.append(f'{subject}{n.earliest}"{day}"{ns} .\n')
            self.triples += 1
            tl.append(f'{lead}{t.earliest}"{day}"{ts}')
            lead, written = " ;\n    ", True
        if hi < DAY_MAX:
            day = date.fromordinal(hi).isoformat()
            nl.append(f'{subject}{n.latest}"{day}"{ns} .\n')
            self.triples += 1
            tl.append(f'{lead}{t.latest}"{day}"{ts}')
            written = True
        return written

    def _refs(
        self,
        nl: list[str],
        tl: list[str],
        iri: str,
        rel: str,
        on_subject: bool,
        refs: list[SourceRef],
    ) -> bool:
        """``_Writer.refs`` for the node ``iri`` (relative ``rel``); whether its block is open."""
        if not refs:
            return on_subject
        n, t = self.n, self.t
        sources, actors, kb_sources = self.sources, self.actors, self.writer.kb.sources
        s = f"<{iri}> "
        opener = f" .\n<{rel}> "
        derived: set[str] = set()
        attributed: set[str] = set()
        for index, ref in enumerate(refs):
            source = ref.source  # ids and minted IRIs are one to one (encode is reversible)
            sn, st = sources.get(source) or self._source(source)
            node, node_rel = f"{iri}/source/{index}", f"{rel}/source/{index}"
            lead = " ;\n    " if on_subject else opener
            if source not in derived:
                derived.add(source)
                nl.append(f"{s}{n.wasDerivedFrom}{sn} .\n")
                self.triples += 1
                tl.append(f"{lead}{t.wasDerivedFrom}{st}")
                lead = " ;\n    "
            nl.append(
                f"{s}{n.qualifiedDerivation}<{node}> .\n"
                f"<{node}> {n.type}{n.Derivation} .\n"
                f"<{node}> {n.type}{n.SourceReference} .\n"
                f"<{node}> {n.entity}{sn} .\n"
                f'<{node}> {n.position}"{index}"{self.integer[0]} .\n'
            )
            self.triples += 5
            tl.append(
                f"{lead}{t.qualifiedDerivation}<{node_rel}> .\n"
                f"<{node_rel}> {t.type}{t.Derivation} ;\n"
                f"    {t.type}{t.SourceReference} ;\n"
                f"    {t.entity}{st} ;\n"
                f'    {t.position}"{index}"{self.integer[1]}'
            )
            on_subject = False
            if ref.note is not None:
                note = _escape(ref.note)
                nl.append(f'<{node}> {n.note}"{note}" .\n')
                self.triples += 1
                tl.append(f' ;\n    {t.note}"{note}"')
            if ref.excerpt is not None:
                language = kb_sources.get(source)
                lang = "@" + language.language if language and language.language else ""
                exact = _escape(ref.excerpt)
                nl.append(
                    f"<{node}> {n.type}{n.SpecificResource} .\n"
                    f"<{node}> {n.hasSource}{sn} .\n"
                    f"<{node}> {n.hasSelector}<{node}/excerpt> .\n"
                    f"<{node}/excerpt> {n.type}{n.TextQuoteSelector} .\n"
                    f'<{node}/excerpt> {n.exact}"{exact}"{lang} .\n'
                )
                self.triples += 5
                tl.append(
                    f" ;\n    {t.type}{t.SpecificResource} ;\n"
                    f"    {t.hasSource}{st} ;\n"
                    f"    {t.hasSelector}<{node_rel}/excerpt> .\n"
                    f"<{node_rel}/excerpt> {t.type}{t.TextQuoteSelector} ;\n"
                    f'    {t.exact}"{exact}"{lang}'
                )
                node_open = False
            else:
                node_open = True
            if ref.according_to is not None:
                agent = ref.according_to
                an, at = actors.get(agent) or self._actor(agent)
                nl.append(f"<{node}> {n.accordingTo}{an} .\n")
                self.triples += 1
                tl.append(
                    f" ;\n    {t.accordingTo}{at}"
                    if node_open
                    else f" .\n<{node_rel}> {t.accordingTo}{at}"
                )
                lead = opener
                if agent not in attributed:
                    attributed.add(agent)
                    nl.append(f"{s}{n.wasAttributedTo}{an} .\n")
                    self.triples += 1
                    tl.append(f"{lead}{t.wasAttributedTo}{at}")
                    lead = " ;\n    "
                nl.append(
                    f"{s}{n.qualifiedAttribution}<{node}/attribution> .\n"
                    f"<{node}/attribution> {n.type}{n.Attribution} .\n"
                    f"<{node}/attribution> {n.agent}{an} .\n"
                    f"<{node}/attribution> {n.reportedIn}{sn} .\n"
                    f"<{node}/attribution> {n.citation}<{node}> .\n"
                )
                self.triples += 5
                tl.append(
                    f"{lead}{t.qualifiedAttribution}<{node_rel}/attribution> .\n"
                    f"<{node_rel}/attribution> {t.type}{t.Attribution} ;\n"
                    f"    {t.agent}{at} ;\n"
                    f"    {t.reportedIn}{st} ;\n"
                    f"    {t.citation}<{node_rel}>"
                )
        return False

    # -- items ----------------------------------------------------------------------------
    def event(self, item: Event) -> tuple[str, str] | None:
        """The event's Turtle and N-Triples text, or None where the reference must write it."""
        if item.alternative_dates or item.tags or item.provenance is not None:
            return None
        writer = self.writer
        iri = writer.m.event(item.id)
        rel = self._relative(iri)
        if rel is None:
            return None
        # A role's first use goes through the reference: it writes the sem:RoleType there.
        roles = self.roles
        if item.actor is not None and "actor" not in roles and self._role("actor") is None:
            return None
        if item.target is not None and "target" not in roles and self._role("target") is None:
            return None
        for participant in item.participants:
            if participant.role not in roles and self._role(participant.role) is None:
                return None
        n, t = self.n, self.t
        actors = self.actors
        s = f"<{iri}> "
        opener = f" .\n<{rel}> "
        more = " ;\n    "
        nl: list[str] = []
        tl: list[str] = []
        identifier = _escape(item.id)
        label = _escape(writer.event_label(item))
        tn, tt = self.event_types.get(item.type) or self._event_type(item.type)
        when, extent = item.date, item.extent
        if isinstance(when, PartialDate) and extent.lo > DAY_MIN and extent.hi < DAY_MAX:
            # Most events: the head, the time instant and both day bounds in one template.
            np, tp, ns, ts = self.instants[when.precision]
            v = str(when)
            lo, hi = (
                date.fromordinal(extent.lo).isoformat(),
                date.fromordinal(extent.hi).isoformat(),
            )
            dn, dt = self.day
            nl.append(
                f"{s}{n.type}{n.Event} .\n"
                f"{s}{n.type}{n.Entity} .\n"
                f'{s}{n.identifier}"{identifier}" .\n'
                f'{s}{n.label}"{label}" .\n'
                f"{s}{n.eventType}{tn} .\n"
                f"{s}{n.hasTime}<{iri}/time> .\n"
                f"<{iri}/time> {n.type}{n.Instant} .\n"
                f'<{iri}/time> {np}"{v}"{ns} .\n'
                f'{s}{n.earliest}"{lo}"{dn} .\n'
                f'{s}{n.latest}"{hi}"{dn} .\n'
            )
            self.triples += 10
            tl.append(
                f"<{rel}> {t.type}{t.Event} ;\n"
                f"    {t.type}{t.Entity} ;\n"
                f'    {t.identifier}"{identifier}" ;\n'
                f'    {t.label}"{label}" ;\n'
                f"    {t.eventType}{tt} ;\n"
                f"    {t.hasTime}<{rel}/time> .\n"
                f"<{rel}/time> {t.type}{t.Instant} ;\n"
                f'    {tp}"{v}"{ts} .\n'
                f'<{rel}> {t.earliest}"{lo}"{dt} ;\n'
                f'    {t.latest}"{hi}"{dt}'
            )
            on_s = True
        else:
            nl.append(
                f"{s}{n.type}{n.Event} .\n"
                f"{s}{n.type}{n.Entity} .\n"
                f'{s}{n.identifier}"{identifier}" .\n'
                f'{s}{n.label}"{label}" .\n'
                f"{s}{n.eventType}{tn} .\n"
                f"{s}{n.hasTime}<{iri}/time> .\n"
            )
            self.triples += 6
            tl.append(
                f"<{rel}> {t.type}{t.Event} ;\n"
                f"    {t.type}{t.Entity} ;\n"
                f'    {t.identifier}"{identifier}" ;\n'
                f'    {t.label}"{label}" ;\n'
                f"    {t.eventType}{tt} ;\n"
                f"    {t.hasTime}<{rel}/time>"
            )
            self._when(nl, tl, iri + "/time", rel + "/time", when)
            on_s = self._extent(nl, tl, s, opener, extent.lo, extent.hi)
        for slot, actor_id, p_n, p_t in (
            ("actor", item.actor, n.actor, t.actor),
            ("target", item.target, n.target, t.target),
        ):
            if actor_id is None:
                continue
            an, at = actors.get(actor_id) or self._actor(actor_id)
            rn, rt = roles[slot]
            node, node_rel = f"{iri}/role/{slot}", f"{rel}/role/{slot}"
            nl.append(
                f"{s}{p_n}{an} .\n"
                f"{s}{n.hasActor}<{node}> .\n"
                f"<{node}> {n.type}{n.Role} .\n"
                f"<{node}> {n.value}{an} .\n"
                f"<{node}> {n.roleType}{rn} .\n"
            )
            self.triples += 5
            tl.append(
                f"{more if on_s else opener}{p_t}{at} ;\n"
                f"    {t.hasActor}<{node_rel}> .\n"
                f"<{node_rel}> {t.type}{t.Role} ;\n"
                f"    {t.value}{at} ;\n"
                f"    {t.roleType}{rt}"
            )
            on_s = False
        for index, participant in enumerate(item.participants):
            an, at = actors.get(participant.actor) or self._actor(participant.actor)
            rn, rt = roles[participant.role]
            node, node_rel = f"{iri}/participant/{index}", f"{rel}/participant/{index}"
            nl.append(
                f"{s}{n.hasActor}<{node}> .\n"
                f"<{node}> {n.type}{n.Role} .\n"
                f"<{node}> {n.type}{n.Participation} .\n"
                f"<{node}> {n.value}{an} .\n"
                f"<{node}> {n.roleType}{rn} .\n"
                f'<{node}> {n.position}"{index}"{self.integer[0]} .\n'
            )
            self.triples += 6
            tl.append(
                f"{more if on_s else opener}{t.hasActor}<{node_rel}> .\n"
                f"<{node_rel}> {t.type}{t.Role} ;\n"
                f"    {t.type}{t.Participation} ;\n"
                f"    {t.value}{at} ;\n"
                f"    {t.roleType}{rt} ;\n"
                f'    {t.position}"{index}"{self.integer[1]}'
            )
            on_s = False
        for actor_id in item.actor_ids:
            an, at = actors.get(actor_id) or self._actor(actor_id)
            nl.append(f"{s}{n.involves}{an} .\n")
            self.triples += 1
            tl.append(f"{more if on_s else opener}{t.involves}{at}")
            on_s = True
        if item.location is not None:
            self._location(nl, tl, iri, rel, on_s, item.location)
            on_s = False
        for index, quantity in enumerate(item.quantities):
            self._quantity(nl, tl, iri, rel, on_s, index, quantity)
            on_s = False
        for p_n, p_t, value in (
            (n.name, t.name, item.title),
            (n.description, t.description, item.summary),
        ):
            if value is not None:
                text = _escape(value)
                nl.append(f'{s}{p_n}"{text}" .\n')
                self.triples += 1
                tl.append(f'{more if on_s else opener}{p_t}"{text}"')
                on_s = True
        if item.quote is not None:
            self._quote(nl, tl, iri, rel, on_s, item.quote)
            on_s = False
        if item.credibility is not None:
            nl.append(f'{s}{n.credibility}"{item.credibility}"{self.integer[0]} .\n')
            self.triples += 1
            tl.append(
                f'{more if on_s else opener}{t.credibility}"{item.credibility}"{self.integer[1]}'
            )
            on_s = True
        on_s = self._refs(nl, tl, iri, rel, on_s, item.sources)
        if item.notes is not None:
            text = _escape(item.notes)
            nl.append(f'{s}{n.editorialNote}"{text}" .\n')
            self.triples += 1
            tl.append(f'{more if on_s else opener}{t.editorialNote}"{text}"')
        tl.append(" .\n\n")
        return "".join(tl), "".join(nl)

    def _location(
        self, nl: list[str], tl: list[str], iri: str, rel: str, on_s: bool, location: Location
    ) -> None:
        """``_Writer.event``'s place node, opening a block on it."""
        n, t = self.n, self.t
        place, place_rel = iri + "/location", rel + "/location"
        lead = " ;\n    " if on_s else f" .\n<{rel}> "
        nl.append(
            f"<{iri}> {n.hasPlace}<{place}> .\n"
            f"<{place}> {n.type}{n.SemPlace} .\n"
            f"<{place}> {n.type}{n.Place} .\n"
        )
        self.triples += 3
        tl.append(
            f"{lead}{t.hasPlace}<{place_rel}> .\n"
            f"<{place_rel}> {t.type}{t.SemPlace} ;\n"
            f"    {t.type}{t.Place}"
        )
        if location.name is not None:
            text = _escape(location.name)
            nl.append(f'<{place}> {n.name}"{text}" .\n')
            self.triples += 1
            tl.append(f' ;\n    {t.name}"{text}"')
        if location.lat is not None and location.lon is not None:
            lat, lon = self._number(location.lat), self._number(location.lon)
            nl.append(f"<{place}> {n.lat}{lat[0]} .\n<{place}> {n.long}{lon[0]} .\n")
            self.triples += 2
            tl.append(f" ;\n    {t.lat}{lat[1]} ;\n    {t.long}{lon[1]}")
        if location.country is not None:
            text = _escape(location.country)
            nl.append(f'<{place}> {n.country}"{text}" .\n')
            self.triples += 1
            tl.append(f' ;\n    {t.country}"{text}"')

    def _quantity(
        self,
        nl: list[str],
        tl: list[str],
        iri: str,
        rel: str,
        on_s: bool,
        index: int,
        item: Quantity,
    ) -> None:
        """``_Writer.quantity``: the event's quantity node ``index``, opening a block on it."""
        n, t = self.n, self.t
        q, q_rel = f"{iri}/quantity/{index}", f"{rel}/quantity/{index}"
        lead = " ;\n    " if on_s else f" .\n<{rel}> "
        nl.append(
            f"<{iri}> {n.quantity}<{q}> .\n"
            f"<{q}> {n.type}{n.Quantity} .\n"
            f"<{q}> {n.type}{n.QuantitativeValue} .\n"
            f'<{q}> {n.position}"{index}"{self.integer[0]} .\n'
        )
        self.triples += 4
        tl.append(
            f"{lead}{t.quantity}<{q_rel}> .\n"
            f"<{q_rel}> {t.type}{t.Quantity} ;\n"
            f"    {t.type}{t.QuantitativeValue} ;\n"
            f'    {t.position}"{index}"{self.integer[1]}'
        )
        for p_n, p_t, figure in (
            (n.sdoValue, t.sdoValue, item.value),
            (n.minValue, t.minValue, item.min),
            (n.maxValue, t.maxValue, item.max),
        ):
            if figure is not None:
                number = self._number(figure)
                nl.append(f"<{q}> {p_n}{number[0]} .\n")
                self.triples += 1
                tl.append(f" ;\n    {p_t}{number[1]}")
        if item.unit is not None:
            text = _escape(item.unit)
            nl.append(f'<{q}> {n.unitText}"{text}" .\n')
            self.triples += 1
            tl.append(f' ;\n    {t.unitText}"{text}"')
        kind = _escape(item.kind)
        estimate = self.true if item.estimate else self.false
        planned = self.true if item.planned else self.false
        nl.append(
            f'<{q}> {n.quantityKind}"{kind}" .\n'
            f"<{q}> {n.estimate}{estimate[0]} .\n"
            f"<{q}> {n.planned}{planned[0]} .\n"
        )
        self.triples += 3
        tl.append(
            f' ;\n    {t.quantityKind}"{kind}" ;\n'
            f"    {t.estimate}{estimate[1]} ;\n"
            f"    {t.planned}{planned[1]}"
        )
        for p_n, p_t, day in ((n.by, t.by, item.by), (n.asOf, t.asOf, item.as_of)):
            if day is not None:
                ns, ts = self.dates[day.precision]
                nl.append(f'<{q}> {p_n}"{day}"{ns} .\n')
                self.triples += 1
                tl.append(f' ;\n    {p_t}"{day}"{ts}')
        for p_n, p_t, value in ((n.measure, t.measure, item.measure), (n.text, t.text, item.text)):
            if value is not None:
                text = _escape(value)
                nl.append(f'<{q}> {p_n}"{text}" .\n')
                self.triples += 1
                tl.append(f' ;\n    {p_t}"{text}"')
        if item.credibility is not None:
            nl.append(f'<{q}> {n.credibility}"{item.credibility}"{self.integer[0]} .\n')
            self.triples += 1
            tl.append(f' ;\n    {t.credibility}"{item.credibility}"{self.integer[1]}')
        self._refs(nl, tl, q, q_rel, True, item.sources)

    def _quote(
        self, nl: list[str], tl: list[str], iri: str, rel: str, on_s: bool, quote: Quote
    ) -> None:
        """``_Writer.event``'s quote node, opening a block on it."""
        n, t = self.n, self.t
        node, node_rel = iri + "/quote", rel + "/quote"
        lead = " ;\n    " if on_s else f" .\n<{rel}> "
        text = _escape(quote.text)
        lang = "@" + quote.language if quote.language else ""
        nl.append(
            f"<{iri}> {n.quote}<{node}> .\n"
            f"<{node}> {n.type}{n.Quote} .\n"
            f'<{node}> {n.value}"{text}"{lang} .\n'
        )
        self.triples += 3
        tl.append(
            f"{lead}{t.quote}<{node_rel}> .\n"
            f"<{node_rel}> {t.type}{t.Quote} ;\n"
            f'    {t.value}"{text}"{lang}'
        )
        if quote.language is not None:
            language = _escape(quote.language)
            nl.append(f'<{node}> {n.language}"{language}" .\n')
            self.triples += 1
            tl.append(f' ;\n    {t.language}"{language}"')
        if quote.translation is not None:
            translation = _escape(quote.translation)
            tlang = "@" + quote.translation_language if quote.translation_language else ""
            nl.append(f'<{node}> {n.translation}"{translation}"{tlang} .\n')
            self.triples += 1
            tl.append(f' ;\n    {t.translation}"{translation}"{tlang}')
        if quote.translation_language is not None:
            language = _escape(quote.translation_language)
            nl.append(f'<{node}> {n.translationLanguage}"{language}" .\n')
            self.triples += 1
            tl.append(f' ;\n    {t.translationLanguage}"{language}"')
        if quote.speaker is not None:
            an, at = self.actors.get(quote.speaker) or self._actor(quote.speaker)
            nl.append(f"<{node}> {n.speaker}{an} .\n")
            self.triples += 1
            tl.append(f" ;\n    {t.speaker}{at}")

    def _relation_type(self, type_id: str) -> tuple[str, str, bool]:
        """A relation type's predicate in N-Triples and Turtle, and whether it is symmetric."""
        writer = self.writer
        texts = self._iri(writer.type_iri(_RELATION_NS, type_id))
        found = (*texts, writer.kb.vocabulary.is_symmetric(type_id))
        self.relation_types[type_id] = found
        return found

    def relation(self, item: Relation) -> tuple[str, str] | None:
        """The relation's Turtle and N-Triples text, or None where the reference must write it."""
        if item.provenance is not None:
            return None
        writer = self.writer
        iri = writer.m.relation(item.id)
        rel = self._relative(iri)
        if rel is None:
            return None
        n, t = self.n, self.t
        s = f"<{iri}> "
        opener = f" .\n<{rel}> "
        more = " ;\n    "
        nl: list[str] = []
        tl: list[str] = []
        pn, pt, symmetric = self.relation_types.get(item.type) or self._relation_type(item.type)
        actors = self.actors
        an, at = actors.get(item.from_) or self._actor(item.from_)
        bn, bt = actors.get(item.to) or self._actor(item.to)
        nl.append(f"{an} {pn} {bn} .\n")
        self.triples += 1
        tl.append(f"{at} {pt} {bt}")
        if symmetric and item.to != item.from_:
            nl.append(f"{bn} {pn} {an} .\n")
            self.triples += 1
            tl.append(f" .\n{bt} {pt} {at}")
        names = writer.names
        kind = writer.relation_labels.get(item.type, item.type)
        label = _escape(f"{names[item.from_]} {kind} {names[item.to]}")
        identifier = _escape(item.id)
        nl.append(
            f"{s}{n.type}{n.Relation} .\n"
            f"{s}{n.type}{n.Entity} .\n"
            f'{s}{n.identifier}"{identifier}" .\n'
            f'{s}{n.label}"{label}" .\n'
            f"{s}{n.relationType}{pn} .\n"
            f"{s}{n.fromActor}{an} .\n"
            f"{s}{n.toActor}{bn} .\n"
        )
        self.triples += 7
        tl.append(
            f"{opener}{t.type}{t.Relation} ;\n"
            f"    {t.type}{t.Entity} ;\n"
            f'    {t.identifier}"{identifier}" ;\n'
            f'    {t.label}"{label}" ;\n'
            f"    {t.relationType}{pt} ;\n"
            f"    {t.fromActor}{at} ;\n"
            f"    {t.toActor}{bt}"
        )
        on_s = True
        if item.start is not None or item.end is not None:
            node, node_rel = iri + "/validity", rel + "/validity"
            nl.append(f"{s}{n.validDuring}<{node}> .\n<{node}> {n.type}{n.Interval} .\n")
            self.triples += 2
            tl.append(f" ;\n    {t.validDuring}<{node_rel}> .\n<{node_rel}> {t.type}{t.Interval}")
            if item.start is not None:
                nl.append(f"<{node}> {n.hasBeginning}<{node}/start> .\n")
                self.triples += 1
                tl.append(f" ;\n    {t.hasBeginning}<{node_rel}/start>")
                self._instant(nl, tl, node + "/start", node_rel + "/start", item.start)
            if item.end is not None:
                nl.append(f"<{node}> {n.hasEnd}<{node}/end> .\n")
                self.triples += 1
                lead = " ;\n    " if item.start is None else f" .\n<{node_rel}> "
                tl.append(f"{lead}{t.hasEnd}<{node_rel}/end>")
                self._instant(nl, tl, node + "/end", node_rel + "/end", item.end)
            on_s = False
        extent = item.extent
        if self._extent(nl, tl, s, more if on_s else opener, extent.lo, extent.hi):
            on_s = True
        for p_n, p_t, event_id in (
            (n.startedBy, t.startedBy, item.started_by),
            (n.endedBy, t.endedBy, item.ended_by),
        ):
            if event_id is not None:
                event = writer.m.event(event_id)
                nl.append(f"{s}{p_n}<{event}> .\n")
                self.triples += 1
                tl.append(f"{more if on_s else opener}{p_t}{self.turtle.iri(event)}")
                on_s = True
        for p_n, p_t, value in (
            (n.description, t.description, item.summary),
            (n.editorialNote, t.editorialNote, item.notes),
        ):
            if value is not None:
                text = _escape(value)
                nl.append(f'{s}{p_n}"{text}" .\n')
                self.triples += 1
                tl.append(f'{more if on_s else opener}{p_t}"{text}"')
                on_s = True
        if item.credibility is not None:
            nl.append(f'{s}{n.credibility}"{item.credibility}"{self.integer[0]} .\n')
            self.triples += 1
            tl.append(
                f'{more if on_s else opener}{t.credibility}"{item.credibility}"{self.integer[1]}'
            )
            on_s = True
        self._refs(nl, tl, iri, rel, on_s, item.sources)
        tl.append(" .\n\n")
        return "".join(tl), "".join(nl)


def item_texts(kb: KnowledgeBase, minter: Minter, turtle: Turtle) -> Iterator[tuple[str, str, int]]:
    """Yield each item's Turtle statements, N-Triples lines and triple count (``item_triples``).

    The same text as :class:`~graphkit.rdf._text.TurtleAndNTriples` over
    :func:`~graphkit.rdf._triples.item_triples` (module docstring); ``turtle`` is the Turtle
    formatter of the file (its prefixes and base).
    """
    writer = _Writer(kb, minter)
    both = TurtleAndNTriples(turtle)
    fast = ItemTexts(writer, turtle)
    texts = both.texts
    for chunk in leading_chunks(kb, writer):
        yield (*texts(chunk), len(chunk))
    doc = kb.document
    for source in doc.sources:
        writer.source(source)
        chunk = writer.take()
        yield (*texts(chunk), len(chunk))
    for actor in doc.actors:
        writer.actor(actor)
        chunk = writer.take()
        yield (*texts(chunk), len(chunk))
    relation_texts, event_texts = fast.relation, fast.event
    for relation in doc.relations:
        before = fast.triples
        done = relation_texts(relation)
        if done is None:
            writer.relation(relation)
            chunk = writer.take()
            yield (*texts(chunk), len(chunk))
        else:
            yield (*done, fast.triples - before)
    for event in doc.events:
        before = fast.triples
        done = event_texts(event)
        if done is None:
            writer.event(event)
            chunk = writer.take()
            yield (*texts(chunk), len(chunk))
        else:
            yield (*done, fast.triples - before)
