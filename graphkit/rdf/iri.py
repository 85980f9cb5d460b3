"""The one gateway from ids and names to IRIs: reversible percent-encoding.

Every IRI graphkit mints from data goes through :func:`encode`, so no id can break or inject into
an IRI, whatever it holds (spaces, quotes, angle brackets, ``#``, ``/``, ``%``, non-ASCII). The
scheme is RFC 3986 percent-encoding of the UTF-8 bytes of everything except the unreserved
characters ``A-Z a-z 0-9 - . _ ~``; a segment made only of dots is encoded too (``%2E``), so IRI
normalisation can never treat it as ``.`` or ``..``. :func:`decode` inverts it exactly.

Examples:
    >>> encode("nis-2024-10-23")
    'nis-2024-10-23'
    >>> encode('a b/c#d%e"<é>')
    'a%20b%2Fc%23d%25e%22%3C%C3%A9%3E'
    >>> decode(encode('a b/c#d%e"<é>'))
    'a b/c#d%e"<é>'
    >>> encode("..")
    '%2E%2E'
    >>> Minter("https://graphkit.example.org/kb/").actor("KOR NIS")
    'https://graphkit.example.org/kb/actor/KOR%20NIS'
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

from graphkit.errors import GraphkitError

__all__ = [
    "DEFAULT_BASE",
    "InvalidIriError",
    "Minter",
    "check_base",
    "check_iri",
    "effective_base",
    "decode",
    "encode",
    "term",
    "term_id",
]

#: The base IRI of exported knowledge bases unless ``--base`` / ``base=`` says otherwise. Items get
#: ``<base>source/ID``, ``<base>actor/ID``, ``<base>relation/ID`` and ``<base>event/ID``.
DEFAULT_BASE = "https://graphkit.example.org/kb/"

# RFC 3987 forbids these in an IRI (plus controls and space); rdflib only warns about them.
_ILLEGAL = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f-\x9f]')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


class InvalidIriError(GraphkitError, ValueError):
    """A base IRI, graph name or bound IRI that is not a well-formed absolute IRI."""


# What ``quote(text, safe="")`` leaves as it is: most ids, which then skip ``quote``.
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]+")


def encode(text: str) -> str:
    """Return ``text`` as one IRI path segment, reversibly percent-encoded (see module doc)."""
    if _UNRESERVED.fullmatch(text) and text.strip("."):
        return text
    encoded = quote(text, safe="", encoding="utf-8", errors="strict")
    if encoded and encoded.strip(".") == "":
        return "%2E" * len(encoded)
    return encoded


# A vocabulary term's local name that RDF/XML can write as an element name as it is.
_SIMPLE_TERM = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


def term(text: str) -> str:
    """Return the local name of a vocabulary term (event, relation or role type) for ``text``.

    A relation type's IRI is also a predicate, and RDF/XML writes a predicate as an XML element:
    its IRI must end in an XML name. ``term`` is :func:`encode`, plus a final ``_`` when the
    encoded text is not already such a name (``[A-Za-z_][A-Za-z0-9_.-]*``), so every id gives a
    predicate RDF/XML can write. Ids that are simple names (every shipped type) are unchanged;
    the scheme is reversible (:func:`term_id`) and never maps two ids to one name.

    Examples:
        >>> term("allied_with"), term("soutient_à"), term("a b"), term("123")
        ('allied_with', 'soutient_%C3%A0_', 'a%20b_', '123_')
        >>> term_id(term("soutient_à")), term_id("allied_with")
        ('soutient_à', 'allied_with')
    """
    encoded = encode(text)
    if _SIMPLE_TERM.fullmatch(encoded):
        return encoded
    return encoded + "_"


def term_id(name: str) -> str:
    """Invert :func:`term`.

    Raises:
        InvalidIriError: If ``name`` is not a term's local name.
    """
    if _SIMPLE_TERM.fullmatch(name):
        return name
    if not name.endswith("_"):
        raise InvalidIriError(f"{name!r} is not a vocabulary term name")
    return decode(name[:-1])


def decode(segment: str) -> str:
    """Invert :func:`encode`.

    Raises:
        InvalidIriError: If ``segment`` is not an encoded segment (a bare ``%``, invalid UTF-8).
    """
    if _ESCAPE.search(segment):
        raise InvalidIriError(f"{segment!r} is not a percent-encoded segment")
    try:
        return unquote(segment, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise InvalidIriError(f"{segment!r} does not decode as UTF-8") from exc


def check_iri(iri: str, *, what: str = "IRI") -> str:
    """Return ``iri`` if it is an absolute IRI without characters RFC 3987 forbids.

    Raises:
        InvalidIriError: Saying which character is wrong.

    Examples:
        >>> check_iri("https://example.org/g")
        'https://example.org/g'
        >>> check_iri("https://example.org/a b")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        graphkit.rdf.iri.InvalidIriError: IRI 'https://example.org/a b' contains ' ' (not ...
    """
    if not _SCHEME.match(iri):
        raise InvalidIriError(f"{what} {iri!r} is not absolute (it needs a scheme such as https:)")
    bad = _ILLEGAL.search(iri)
    if bad:
        raise InvalidIriError(f"{what} {iri!r} contains {bad.group()!r} (not allowed in an IRI)")
    if _ESCAPE.search(iri):
        raise InvalidIriError(f"{what} {iri!r} has a '%' that does not start a %XX escape")
    return iri


def check_base(base: str) -> str:
    """Return ``base`` if it can prefix minted IRIs: absolute, legal, ending in ``/ # :``.

    Raises:
        InvalidIriError: If it cannot.
    """
    check_iri(base, what="base IRI")
    if not base.endswith(("/", "#", ":")):
        raise InvalidIriError(f"base IRI {base!r} must end with '/', '#' or ':'")
    return base


def effective_base(base: str | None, declared: str | None = None) -> str:
    """The base IRI an export uses: ``base`` if given, else the file's ``base:``, else the default.

    Raises:
        InvalidIriError: If the chosen base cannot prefix minted IRIs.

    Examples:
        >>> effective_base(None), effective_base(None, "https://ex.org/kb/")
        ('https://graphkit.example.org/kb/', 'https://ex.org/kb/')
        >>> effective_base("https://other.org/", "https://ex.org/kb/")
        'https://other.org/'
    """
    return check_base(base or declared or DEFAULT_BASE)


class Minter:
    """Mints the IRIs of one knowledge base's items under ``base`` (checked once).

    ``minter.event(id)`` is ``<base>event/<encode(id)>``; nested nodes (roles, quantities, source
    references, intervals) append ``/kind/index`` to their item's IRI, which cannot collide with
    another item because :func:`encode` escapes ``/``.
    """

    __slots__ = (
        "_actors",
        "_sources",
        "actor_prefix",
        "base",
        "event_prefix",
        "relation_prefix",
        "source_prefix",
    )

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        self.base = check_base(base)
        self.source_prefix = base + "source/"
        self.actor_prefix = base + "actor/"
        self.relation_prefix = base + "relation/"
        self.event_prefix = base + "event/"
        # Actors and sources are cited over and over; events and relations about once each.
        self._actors: dict[str, str] = {}
        self._sources: dict[str, str] = {}

    def source(self, item_id: str) -> str:
        """The IRI of the source ``item_id``."""
        iri = self._sources.get(item_id)
        if iri is None:
            iri = self._sources[item_id] = self.source_prefix + encode(item_id)
        return iri

    def actor(self, item_id: str) -> str:
        """The IRI of the actor ``item_id``."""
        iri = self._actors.get(item_id)
        if iri is None:
            iri = self._actors[item_id] = self.actor_prefix + encode(item_id)
        return iri

    def relation(self, item_id: str) -> str:
        """The IRI of the relation ``item_id``."""
        return self.relation_prefix + encode(item_id)

    def event(self, item_id: str) -> str:
        """The IRI of the event ``item_id``."""
        return self.event_prefix + encode(item_id)

    def item(self, kind: str, item_id: str) -> str:
        """The IRI of an item by kind name (``source``, ``actor``, ``relation``, ``event``).

        Raises:
            ValueError: For another kind.
        """
        prefixes = {
            "source": self.source_prefix,
            "actor": self.actor_prefix,
            "relation": self.relation_prefix,
            "event": self.event_prefix,
        }
        if kind not in prefixes:
            raise ValueError(f"unknown item kind {kind!r} (expected {', '.join(prefixes)})")
        return prefixes[kind] + encode(item_id)


def last_segment(iri: str) -> str:
    """Return the decoded last path segment of a minted IRI (the id it was minted from).

    Examples:
        >>> last_segment("https://graphkit.example.org/kb/actor/KOR%20NIS")
        'KOR NIS'
    """
    return decode(iri.rsplit("/", 1)[-1])
