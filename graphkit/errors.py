"""Errors and located diagnostics.

Every error graphkit raises on purpose derives from :class:`GraphkitError`; the semantic leaves
also derive from the built-in exception a caller would expect, so ``except KeyError`` keeps
working for code that does not know graphkit::

    GraphkitError
    ├── LoadError(ValueError)          every located problem of a load, at once
    ├── InvalidDateError(ValueError)   a date string that is not a date
    ├── UnknownActorError(KeyError)    a name that matches no actor, with suggestions
    ├── UnknownIdError(KeyError)       an id that matches no item
    ├── NoPathError                    no path satisfies the constraints
    └── OutputError(OSError)           an output file could not be written

Soft problems (a source without URL) are :class:`GraphkitWarning`s and lint findings, not errors.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "Diagnostic",
    "GraphkitError",
    "GraphkitWarning",
    "InvalidDateError",
    "LoadError",
    "NoPathError",
    "OutputError",
    "UnknownActorError",
    "UnknownIdError",
    "did_you_mean",
    "suggest",
]


class GraphkitError(Exception):
    """Base class for every error graphkit raises on purpose."""


class GraphkitWarning(UserWarning):
    """A soft problem in the data that does not stop loading."""


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One located problem in an input file.

    ``str(diagnostic)`` is the familiar compiler form ``file:line:col: message (hint)``; line and
    column are 1-based. ``code`` is a stable kebab-case identifier documented in
    ``docs/errors.md``, for tools and ``--json`` output.

    Examples:
        >>> d = Diagnostic("events.yaml", 42, 11, "unknown-reference",
        ...                "event 'x': unknown actor 'RUSS'", "did you mean 'RUS'?")
        >>> str(d)
        "events.yaml:42:11: event 'x': unknown actor 'RUSS' (did you mean 'RUS'?)"
    """

    file: str
    line: int
    column: int
    code: str
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}:{self.column}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def to_dict(self) -> dict[str, object]:
        """Return the diagnostic as a JSON-ready mapping."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


class LoadError(GraphkitError, ValueError):
    """A knowledge base could not be loaded; carries every diagnostic of the load, sorted."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics: tuple[Diagnostic, ...] = tuple(sorted(diagnostics))
        super().__init__(self.__str__())

    def __str__(self) -> str:
        count = len(self.diagnostics)
        head = f"{count} error{'s' if count != 1 else ''} in knowledge base"
        return "\n".join([head, *(str(d) for d in self.diagnostics)])


class InvalidDateError(GraphkitError, ValueError):
    """A string that is not a date graphkit understands."""


class UnknownIdError(GraphkitError, KeyError):
    """An id that names no item of the requested kind."""

    def __init__(self, kind: str, name: str, suggestions: Sequence[str] = ()) -> None:
        self.kind = kind
        self.name = name
        self.suggestions = tuple(suggestions)
        super().__init__(name)

    def __str__(self) -> str:
        text = f"unknown {self.kind} {self.name!r}"
        if self.suggestions:
            text += " (did you mean " + " or ".join(repr(s) for s in self.suggestions) + "?)"
        return text


class UnknownActorError(UnknownIdError):
    """A name, id or alias that matches no actor; ``suggestions`` lists close matches."""

    def __init__(self, name: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__("actor", name, suggestions)


class NoPathError(GraphkitError):
    """No path between two actors satisfies the constraints (like ``nx.NetworkXNoPath``).

    ``undirected_nodes`` are the actors of a path that exists when links may be walked against
    their direction (``undirected=True``), if the directed search found none.
    """

    def __init__(
        self,
        source: str,
        target: str,
        constraints: str = "",
        undirected_nodes: Sequence[str] | None = None,
    ) -> None:
        self.source = source
        self.target = target
        self.constraints = constraints
        self.undirected_nodes = tuple(undirected_nodes) if undirected_nodes else None
        text = f"{f'no path from {source!r} to {target!r}'} {constraints}".strip()
        if self.undirected_nodes:
            text += (
                f"; walking links against their direction gives "
                f"{' - '.join(self.undirected_nodes)} (undirected=True, --undirected)"
            )
        super().__init__(text)


class OutputError(GraphkitError, OSError):
    """An output file could not be written; nothing was left behind."""


def suggest(name: str, choices: Iterable[str]) -> str | None:
    """Return ``"did you mean 'A' or 'B'?"`` for close matches of ``name``, or ``None``.

    Examples:
        >>> suggest("troop_deploy", ["troop_deployment", "training"])
        "did you mean 'troop_deployment'?"
    """
    close = did_you_mean(name, choices)
    return ("did you mean " + " or ".join(repr(c) for c in close) + "?") if close else None


def did_you_mean(name: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Return up to ``n`` close matches for ``name`` among ``choices``, case-insensitively.

    Examples:
        >>> did_you_mean("RUSS", ["RUS", "UKR", "USA"])
        ['RUS']
    """
    by_folded: dict[str, str] = {}
    for choice in choices:
        by_folded.setdefault(choice.casefold(), choice)
    matches = difflib.get_close_matches(name.casefold(), list(by_folded), n=n, cutoff=0.6)
    return [by_folded[m] for m in matches]
