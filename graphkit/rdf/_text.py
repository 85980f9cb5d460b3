r"""Triples as text: N-Triples / N-Quads lines and Turtle blocks, one item's triples at a time.

The formatters take the plain-string triples of :func:`graphkit.rdf._triples.item_triples` (an
IRI is a ``str``, a literal a ``(lexical, datatype)`` tuple) and return the text of one item, so
every writer streams: memory holds one item's text, whatever the size of the knowledge base.
They are the inner loop of every export (about 7 million triples at 100,000 events), so each
keeps its caches (predicates, datatypes, vocabulary IRIs) and formats a triple in one pass of
f-strings with no call per term.

Examples:
    >>> chunk = [("https://ex.org/kb/a", "https://schema.org/name", ('say "hi"', None)),
    ...          ("https://ex.org/kb/a", "https://schema.org/knows", "https://ex.org/kb/b")]
    >>> print(NTriples().text(chunk), end="")
    <https://ex.org/kb/a> <https://schema.org/name> "say \"hi\"" .
    <https://ex.org/kb/a> <https://schema.org/knows> <https://ex.org/kb/b> .
    >>> turtle = Turtle({"schema": "https://schema.org/"}, base="https://ex.org/kb/")
    >>> print(turtle.header() + turtle.text(chunk), end="")
    @base <https://ex.org/kb/> .
    @prefix schema: <https://schema.org/> .
    <BLANKLINE>
    <a> schema:name "say \"hi\"" ;
        schema:knows <b> .
    <BLANKLINE>
"""

from __future__ import annotations

import re

from graphkit.rdf._triples import Triple

__all__ = ["NTriples", "Turtle", "TurtleAndNTriples", "quote_literal"]

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
#: Turtle prefixed names graphkit writes: a simple local name (no ``/ # : .``), else ``<iri>``.
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: Entries kept in the caches of IRIs that recur (vocabulary terms, actors, sources).
_CACHE_LIMIT = 1 << 16


def quote_literal(lexical: str) -> str:
    """A lexical form between double quotes, backslash, quote, LF and CR escaped."""
    if "\\" in lexical or '"' in lexical or "\n" in lexical or "\r" in lexical:
        lexical = lexical.translate(_ESCAPES)  # rare: four scans in C beat a translate
    return f'"{lexical}"'


class NTriples:
    """Formats one item's triples as N-Triples lines, or N-Quads lines in ``graph``.

    Examples:
        >>> quads = NTriples(graph="https://ex.org/g")
        >>> print(quads.text([("https://ex.org/a", "https://ex.org/p", ("1", "@en"))]), end="")
        <https://ex.org/a> <https://ex.org/p> "1"@en <https://ex.org/g> .
    """

    __slots__ = ("_predicates", "_tail")

    def __init__(self, graph: str | None = None) -> None:
        self._predicates: dict[str, str] = {}
        self._tail = " .\n" if graph is None else f" <{graph}> .\n"

    def text(self, chunk: list[Triple]) -> str:
        """The lines of ``chunk``, each ending in a newline."""
        predicates, tail = self._predicates, self._tail
        lines: list[str] = []
        append = lines.append
        subject: str | None = None
        head = ""
        for s, p, o in chunk:
            if s is not subject:
                subject, head = s, f"<{s}> "
            pred = predicates.get(p)
            if pred is None:
                pred = predicates[p] = f"<{p}> "
            if not isinstance(o, tuple):
                append(f"{head}{pred}<{o}>{tail}")
                continue
            lexical, datatype = o
            if "\\" in lexical or '"' in lexical or "\n" in lexical or "\r" in lexical:
                lexical = lexical.translate(_ESCAPES)
            if datatype is None:
                append(f'{head}{pred}"{lexical}"{tail}')
            elif datatype[0] == "@":
                append(f'{head}{pred}"{lexical}"{datatype}{tail}')
            else:
                append(f'{head}{pred}"{lexical}"^^<{datatype}>{tail}')
        return "".join(lines)


class Turtle:
    """Formats one item's triples as Turtle: consecutive triples of a subject in one block.

    Vocabulary IRIs become prefixed names where Turtle allows a simple local name. With a
    hierarchical ``base`` (``scheme://.../``, no query or fragment), the header declares
    ``@base`` and the knowledge base's own IRIs are written relative to it (``<event/ev-1>``),
    which RFC 3986 resolves back to exactly the same IRI: the relative part never starts with
    ``/`` ``.`` ``?`` ``#``, holds no ``:`` and no dot segment (:func:`graphkit.rdf.iri.encode`
    percent-encodes ``/`` and dot-only ids, so minted IRIs always qualify).
    """

    __slots__ = (
        "_base",
        "_by_namespace",
        "_datatypes",
        "_iris",
        "_predicates",
        "_prefixes",
        "_scan",
    )

    def __init__(self, prefixes: dict[str, str], *, base: str | None = None) -> None:
        self._prefixes = dict(prefixes)
        self._by_namespace: dict[str, str] = {}
        # Longest namespace first, so a longer namespace wins over a shorter one that also matches.
        for name, namespace in sorted(prefixes.items(), key=lambda kv: -len(kv[1])):
            self._by_namespace.setdefault(namespace, name)
        # A namespace that does not end in / # : cannot be found by cutting the IRI there.
        self._scan = any(not ns.endswith(("/", "#", ":")) for ns in self._by_namespace)
        hierarchical = (
            base is not None
            and base.endswith("/")
            and "://" in base
            and "?" not in base
            and "#" not in base
        )
        self._base = base if hierarchical else None
        self._iris: dict[str, str] = {}
        self._predicates: dict[str, str] = {_RDF_TYPE: "a "}
        self._datatypes: dict[str, str] = {}

    def header(self) -> str:
        """``@base`` (if IRIs are written relative to it), the ``@prefix`` lines, a blank line."""
        lines = [f"@base <{self._base}> .\n"] if self._base is not None else []
        lines += [f"@prefix {name}: <{ns}> .\n" for name, ns in self._prefixes.items()]
        return "".join(lines) + "\n"

    def prefixed(self, iri: str) -> str:
        """``prefix:local`` where a namespace and a simple local name allow it, else ``<iri>``."""
        if self._scan:
            for namespace, name in self._by_namespace.items():  # longest first
                if iri.startswith(namespace) and _LOCAL.match(iri, len(namespace)):
                    return f"{name}:{iri[len(namespace) :]}"
            return f"<{iri}>"
        # Every namespace ends in / # or :, so the only candidate ends where the IRI last does.
        cut = max(iri.rfind("/"), iri.rfind("#"), iri.rfind(":")) + 1
        prefix = self._by_namespace.get(iri[:cut])
        if prefix is not None and _LOCAL.match(iri, cut):
            return f"{prefix}:{iri[cut:]}"
        return f"<{iri}>"

    def iri(self, iri: str) -> str:
        """An IRI as Turtle writes it: relative to ``@base``, prefixed, or in full."""
        found = self._iris.get(iri)
        if found is not None:
            return found
        base = self._base
        if base is not None and iri.startswith(base):
            rest = iri[len(base) :]
            if rest and rest[0] not in "/.?#" and ":" not in rest and "/." not in rest:
                return f"<{rest}>"
        text = self.prefixed(iri)
        if len(self._iris) < _CACHE_LIMIT:
            self._iris[iri] = text
        return text

    def text(self, chunk: list[Triple]) -> str:
        """The Turtle statements of ``chunk``, ending in a blank line."""
        predicates, datatypes, iris = self._predicates, self._datatypes, self._iris
        iri = self.iri
        base = self._base or "\0"  # "\0" starts no IRI
        cut = len(base)
        parts: list[str] = []
        append = parts.append
        subject: str | None = None
        for s, p, o in chunk:
            pred = predicates.get(p)
            if pred is None:
                pred = predicates[p] = iri(p) + " "
            if isinstance(o, tuple):
                lexical, datatype = o
                if "\\" in lexical or '"' in lexical or "\n" in lexical or "\r" in lexical:
                    lexical = lexical.translate(_ESCAPES)
                if datatype is None:
                    obj = f'"{lexical}"'
                elif datatype[0] == "@":
                    obj = f'"{lexical}"{datatype}'
                else:
                    suffix = datatypes.get(datatype)
                    if suffix is None:
                        suffix = datatypes[datatype] = "^^" + iri(datatype)
                    obj = f'"{lexical}"{suffix}'
            elif o.startswith(base):  # in line, the test of iri() for a relative IRI
                rest = o[cut:]
                if rest and rest[0] not in "/.?#" and ":" not in rest and "/." not in rest:
                    obj = f"<{rest}>"
                else:
                    obj = iri(o)
            else:
                obj = iris.get(o) or iri(o)
            if s is subject or s == subject:
                append(f" ;\n    {pred}{obj}")
                continue
            if subject is not None:
                append(" .\n")
            subject = s
            if s.startswith(base):
                rest = s[cut:]
                if rest and rest[0] not in "/.?#" and ":" not in rest and "/." not in rest:
                    append(f"<{rest}> {pred}{obj}")
                    continue
            append(f"{iri(s)} {pred}{obj}")
        if subject is not None:
            append(" .\n\n")
        return "".join(parts)


class TurtleAndNTriples:
    """Formats one item's triples as Turtle and as N-Triples at once (``kb.ttl`` + ``kb.nt``).

    The same text as :class:`Turtle` and :class:`NTriples` (``tests/rdf/test_export.py`` compares
    them), in one loop: each triple is unpacked, its predicate looked up and its literal escaped
    once for both formats, which saves about a third of the formatting CPU of the two
    formatters one after the other. ``graphkit build`` writes most events and relations with
    :mod:`graphkit.rdf._templates` instead, whose text is tested against this formatter's.

    Examples:
        >>> both = TurtleAndNTriples(Turtle({"s": "https://schema.org/"}, base="https://ex.org/"))
        >>> turtle, ntriples = both.texts(
        ...     [("https://ex.org/a", "https://schema.org/n", ("1", None))]
        ... )
        >>> print(turtle + ntriples, end="")
        <a> s:n "1" .
        <BLANKLINE>
        <https://ex.org/a> <https://schema.org/n> "1" .
    """

    __slots__ = ("_datatypes", "_objects", "_predicates", "turtle")

    def __init__(self, turtle: Turtle) -> None:
        self.turtle = turtle
        # predicate IRI -> (N-Triples text, Turtle text); datatype IRI -> the two suffixes
        self._predicates: dict[str, tuple[str, str]] = {}
        self._datatypes: dict[str, tuple[str, str]] = {}
        # (predicate, IRI object) -> the two texts after the subject, for IRIs not under the base
        self._objects: dict[tuple[str, str], tuple[str, str]] = {}

    def texts(self, chunk: list[Triple]) -> tuple[str, str]:
        """The Turtle statements of ``chunk`` (ending in a blank line) and its N-Triples lines."""
        turtle = self.turtle
        predicates, datatypes, objects, iri = (
            self._predicates,
            self._datatypes,
            self._objects,
            turtle.iri,
        )
        base = turtle._base or "\0"  # "\0" starts no IRI
        cut = len(base)
        blocks: list[str] = []
        lines: list[str] = []
        block, line = blocks.append, lines.append
        subject: str | None = None
        head = lead = ""
        for s, p, o in chunk:
            if s is not subject and s != subject:
                if subject is not None:
                    block(" .\n")
                subject, head = s, f"<{s}> "
                lead = ""
                if s.startswith(base):  # in line, as for objects below
                    rest = s[cut:]
                    if rest and rest[0] not in "/.?#" and ":" not in rest and "/." not in rest:
                        lead = f"<{rest}> "
                if not lead:
                    lead = iri(s) + " "
            elif lead[0] != " ":  # the subject's second triple on: continue its block
                lead = " ;\n    "
            if isinstance(o, str):
                if o.startswith(base):  # in line, the test of iri() for a relative IRI
                    rest = o[cut:]
                    if rest and rest[0] not in "/.?#" and ":" not in rest and "/." not in rest:
                        pred, tpred = predicates.get(p) or self._predicate(p)
                        line(f"{head}{pred}<{o}> .\n")
                        block(f"{lead}{tpred}<{rest}>")
                        continue
                # Vocabulary objects (rdf:type sem:Event, a role type, ...): the same few pairs.
                tails = objects.get((p, o))
                if tails is None:
                    pred, tpred = predicates.get(p) or self._predicate(p)
                    tails = (f"{pred}<{o}> .\n", tpred + iri(o))
                    if len(objects) < _CACHE_LIMIT:
                        objects[p, o] = tails
                line(head + tails[0])
                block(lead + tails[1])
                continue
            pred, tpred = predicates.get(p) or self._predicate(p)
            lexical, datatype = o
            if "\\" in lexical or '"' in lexical or "\n" in lexical or "\r" in lexical:
                lexical = lexical.translate(_ESCAPES)
            if datatype is None:
                line(f'{head}{pred}"{lexical}" .\n')
                block(f'{lead}{tpred}"{lexical}"')
            elif datatype[0] == "@":
                line(f'{head}{pred}"{lexical}"{datatype} .\n')
                block(f'{lead}{tpred}"{lexical}"{datatype}')
            else:
                suffixes = datatypes.get(datatype)
                if suffixes is None:
                    suffixes = datatypes[datatype] = (f"^^<{datatype}> .\n", "^^" + iri(datatype))
                line(f'{head}{pred}"{lexical}"{suffixes[0]}')
                block(f'{lead}{tpred}"{lexical}"{suffixes[1]}')
        if subject is not None:
            block(" .\n\n")
        return "".join(blocks), "".join(lines)

    def _predicate(self, p: str) -> tuple[str, str]:
        """A predicate's N-Triples and Turtle texts (each ending in a space), cached."""
        turtle = self.turtle
        pair = (f"<{p}> ", turtle._predicates.get(p) or turtle.iri(p) + " ")
        self._predicates[p] = pair
        return pair
