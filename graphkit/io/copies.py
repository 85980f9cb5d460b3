r"""Local copies of sources, and whether an excerpt occurs in one.

A source may keep a local copy (``copy:``, a text file beside the data file, with its
``sha256:``); a source reference may quote the words behind a claim (``excerpt:``). This module
reads a copy, checks its digest and answers whether an excerpt occurs in it:

- both texts are compared after Unicode NFKC normalisation (``\u00a0`` is a space, ``…`` is
  ``...``) with every run of whitespace, line breaks included, read as one space;
- apostrophes and quotation marks are compared **as written**: ``'`` does not match ``’``.
  When an excerpt matches only once they are folded together, :func:`find_excerpt` says so
  (:attr:`Found.QUOTES_DIFFER`) and lists the differences: "verbatim" means verbatim.

Examples:
    >>> copy = "Selon l’OTAN,\n« une escalade »."
    >>> find_excerpt("Selon l’OTAN, « une escalade »", copy).kind
    <Found.YES: 'yes'>
    >>> result = find_excerpt("Selon l'OTAN", copy)
    >>> result.kind, result.differences
    (<Found.QUOTES_DIFFER: 'quotes-differ'>, (("'", '’'),))
    >>> find_excerpt("Selon la Russie", copy).kind
    <Found.NO: 'no'>
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from graphkit._fs import read_regular
from graphkit.model.common import SourceRef
from graphkit.model.source import Source

__all__ = [
    "LEVELS",
    "Found",
    "LocalCopy",
    "Match",
    "find_excerpt",
    "fold_quotes",
    "normalise",
    "read_copy",
    "verify_copies",
]

#: Apostrophes and single quotation marks, folded to ``'`` (after NFKC, which already maps
#: full-width forms).
_APOSTROPHES = "'’‘‛ʼʹʻ′´`"
#: Double quotation marks, folded to ``"``.
_QUOTES = '"“”„‟«»″〝〞'
_FOLD = str.maketrans({**dict.fromkeys(_APOSTROPHES, "'"), **dict.fromkeys(_QUOTES, '"')})


def normalise(text: str) -> str:
    r"""NFKC-normalise ``text`` and read every run of whitespace as one space.

    Examples:
        >>> normalise("  pas\u00a0moins\n de 1500 … ")
        'pas moins de 1500 ...'
    """
    return " ".join(unicodedata.normalize("NFKC", text).split())


def fold_quotes(text: str) -> str:
    """Replace every apostrophe and quotation mark variant by ``'`` or ``"`` (same length)."""
    return text.translate(_FOLD)


class Found(Enum):
    """Whether an excerpt occurs in a copy."""

    YES = "yes"
    QUOTES_DIFFER = "quotes-differ"
    NO = "no"


@dataclass(frozen=True)
class Match:
    """The answer of :func:`find_excerpt`.

    ``differences`` lists, for :attr:`Found.QUOTES_DIFFER`, the (excerpt, copy) character pairs
    that differ; ``matched`` is, for :attr:`Found.NO`, how many characters of the normalised
    excerpt, from its start, do occur in the copy (quotes folded), out of ``length``.
    """

    kind: Found
    differences: tuple[tuple[str, str], ...] = ()
    matched: int = 0
    length: int = 0


def find_excerpt(excerpt: str, copy_text: str) -> Match:
    """Whether ``excerpt`` occurs in ``copy_text`` (see the module documentation)."""
    return _find(normalise(excerpt), _Text(copy_text))


class _Text:
    """A copy's text, normalised once and also with its quotes folded (same length)."""

    def __init__(self, text: str) -> None:
        self.plain = normalise(text)
        self.folded = fold_quotes(self.plain)


def _find(wanted: str, text: _Text) -> Match:
    if wanted in text.plain:
        return Match(Found.YES, length=len(wanted))
    folded = fold_quotes(wanted)
    at = text.folded.find(folded)
    if at >= 0:
        seen = text.plain[at : at + len(wanted)]
        pairs = dict.fromkeys((a, b) for a, b in zip(wanted, seen, strict=True) if a != b)
        return Match(Found.QUOTES_DIFFER, tuple(pairs), length=len(wanted))
    # The longest prefix that does occur: "occurs" only gets rarer as the prefix grows.
    lo, hi = 0, len(folded)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if folded[:mid] in text.folded:
            lo = mid
        else:
            hi = mid - 1
    return Match(Found.NO, matched=lo, length=len(wanted))


@dataclass(frozen=True)
class LocalCopy:
    """A source's local copy as read from disk: its digest and text, or why it could not be read."""

    path: Path
    digest: str | None = None
    problem: str | None = None
    _text: _Text | None = None

    def find(self, excerpt: str) -> Match:
        """Whether ``excerpt`` occurs in this copy (:data:`Found.NO` if it could not be read)."""
        if self._text is None:
            return Match(Found.NO, length=len(normalise(excerpt)))
        return _find(normalise(excerpt), self._text)


def read_copy(base: Path, relative: str) -> LocalCopy:
    """Read the copy at ``relative`` (a POSIX path) from the folder ``base``.

    The digest is the SHA-256 of the file's bytes; the text must be UTF-8 (a byte-order mark is
    ignored). A missing, unreadable or non-UTF-8 file gives a :class:`LocalCopy` with
    ``problem`` set rather than an exception.
    """
    path = base.joinpath(*relative.split("/"))
    try:
        data = read_regular(path)  # never a FIFO or a device a data file points at
    except OSError as exc:
        reason = "does not exist" if isinstance(exc, FileNotFoundError) else "cannot be read"
        return LocalCopy(path, problem=f"{reason} ({exc.strerror or exc.__class__.__name__})")
    digest = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return LocalCopy(path, digest, f"is not UTF-8 text (byte {exc.start})")
    return LocalCopy(path, digest, None, _Text(text))


#: The level of each finding :func:`verify_copies` yields, for ``graphkit lint``: an excerpt that
#: is not verbatim in its copy, or a copy that no longer has its recorded digest, is an error; a
#: copy that cannot be read is a warning (nothing could be checked).
LEVELS: dict[str, str] = {
    "excerpt-not-found": "error",
    "excerpt-quotes-differ": "error",
    "source-copy-changed": "error",
    "source-copy-missing": "warning",
}

#: One finding: (id of the item it is about, code, message).
Finding = tuple[str, str, str]


def verify_copies(
    sources: Iterable[Source],
    references: Iterable[tuple[str, str, SourceRef]],
    folders: Mapping[str, Path | None],
) -> Iterator[Finding]:
    """Check every source's local copy and every excerpt cited from a source that has one.

    ``references`` gives ``(item id, where, reference)`` for each source reference of the
    knowledge base (``where`` names it for messages: ``"event 'x' sources[0]"``); ``folders``
    maps a source id to the folder of the file that declared it (``None``: unknown, so the copy
    cannot be found). Excerpts cited from sources without a copy are not checked.
    """
    copies: dict[str, LocalCopy | None] = {}
    for source in sources:
        if source.local_copy is None:
            continue
        folder = folders.get(source.id)
        if folder is None:
            copies[source.id] = None
            yield (
                source.id,
                "source-copy-missing",
                f"source {source.id!r}: copy {source.local_copy!r} not checked: the file that "
                "declares the source is not known (load it from its YAML file)",
            )
            continue
        found = copies[source.id] = read_copy(folder, source.local_copy)
        if found.problem is not None:
            yield (
                source.id,
                "source-copy-missing",
                f"source {source.id!r}: copy {source.local_copy!r} {found.problem}",
            )
        elif found.digest != source.sha256:
            yield (
                source.id,
                "source-copy-changed",
                f"source {source.id!r}: copy {source.local_copy!r} has SHA-256 {found.digest}, "
                f"not the {source.sha256} written (if the copy was meant to change, write the "
                "new digest and check its excerpts)",
            )
    for item_id, where, ref in references:
        copy = copies.get(ref.source)
        if ref.excerpt is None or copy is None or copy.problem is not None:
            continue
        match = copy.find(ref.excerpt)
        if match.kind is Found.QUOTES_DIFFER:
            shown = ", ".join(f"{a!r} where the copy has {b!r}" for a, b in match.differences)
            yield (
                item_id,
                "excerpt-quotes-differ",
                f"{where}: the excerpt from {ref.source!r} matches its copy only if quotation "
                f"marks are ignored: it writes {shown}",
            )
        elif match.kind is Found.NO:
            seen = normalise(ref.excerpt)[: match.matched]
            upto = f", up to {_tail(seen)!r}" if seen else ""
            yield (
                item_id,
                "excerpt-not-found",
                f"{where}: the excerpt from {ref.source!r} is not in its copy "
                f"{copy.path.name!r} (its first {match.matched} of {match.length} characters "
                f"are{upto})",
            )


def _tail(text: str, width: int = 30) -> str:
    return text if len(text) <= width else "…" + text[-width:]
