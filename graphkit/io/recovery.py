"""Keep reading a YAML file after a syntax error, so one load reports all of its problems.

A YAML parser stops at the first error. A knowledge base is a few lists of independent items,
so after an error graphkit blanks the lines of the item that holds it (the ``- ...`` entry of a
top-level section, found by indentation; a single line outside any item) and parses again,
until the text parses or :data:`MAX_ERRORS` errors are found. Lines are blanked, not removed,
so every later line and column stays where the analyst sees it. The ids of the skipped items are
returned so that references to them are not reported as unknown as well.

A skipped item can hide problems of its own (they show once its syntax is fixed), and an error
whose real cause is earlier than where the parser noticed it (an unclosed bracket) may skip the
wrong item: the first error of a file is always the parser's, the later ones are best effort.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graphkit.io.yaml import Parsed, YamlError, YamlProblem, parse_yaml

__all__ = ["MAX_ERRORS", "Recovered", "parse_recovering"]

#: Syntax errors reported per file at most (each costs a parse of the file).
MAX_ERRORS = 20

_TOP_KEY = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_]*)\s*:")
_ITEM = re.compile(r"^(?P<indent>[ \t]*)-(?:\s|$)")
#: ``id: VALUE`` in a block or flow mapping; the value double-quoted, single-quoted or plain.
_ID = re.compile(
    r"""(?:^|[{,\s])id:\s+(?P<id>"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^"'\s,{}#\[\]][^,{}#]*?)"""
    r"""\s*(?:[,}]|\s#|$)"""
)


@dataclass
class Recovered:
    """What could be read: the parsed rest of the file (``None`` if nothing), and the problems.

    ``skipped`` maps the ids of the items left out to their section; ``skipped_sections`` names
    the sections that lost an item (an emptied section reads as an empty list, not as null);
    ``header_skipped`` says that the line holding ``format_version`` was left out.
    """

    parsed: Parsed | None
    problems: list[YamlProblem] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    skipped_sections: set[str] = field(default_factory=set)
    header_skipped: bool = False


def parse_recovering(text: str) -> Recovered:
    r"""Parse ``text``; on an error, skip the item that holds it and parse the rest again.

    Examples:
        >>> text = "format_version: 1\nactors:\n  - {id: A, name: A: B}\n\t- {id: B, name: B}\n"
        >>> found = parse_recovering(text)
        >>> sorted((p.line, p.message) for p in found.problems)  # doctest: +NORMALIZE_WHITESPACE
        [(3, 'a colon followed by a space inside an unquoted value; quote the value'),
         (4, 'tabs cannot indent YAML; use spaces')]
        >>> found.parsed.data, sorted(found.skipped.items())
        ({'format_version': 1, 'actors': None}, [('A', 'actors'), ('B', 'actors')])
    """
    lines = text.split("\n")
    result = Recovered(None)
    blanked: set[int] = set()
    while True:
        try:
            result.parsed = parse_yaml("\n".join(lines))
            return result
        except YamlError as exc:
            problem = exc.problem
            first, last, section = _item_span(lines, problem.line - 1)
            if first in blanked:
                return result  # no progress: the rest cannot be read this way
            result.problems.append(problem)
            if len(result.problems) >= MAX_ERRORS or "alias" in problem.message:
                # Anchors live in other items: skipping one would only make more alias errors.
                return result
            item_id = _first_id(lines[first : last + 1])
            if section is not None:
                result.skipped_sections.add(section)
                if item_id is not None:
                    result.skipped.setdefault(item_id, section)
            for index in range(first, last + 1):
                if _TOP_KEY.match(lines[index]) and lines[index].startswith("format_version"):
                    result.header_skipped = True
                lines[index] = ""
                blanked.add(index)


def _item_span(lines: list[str], index: int) -> tuple[int, int, str | None]:
    """The 0-based first and last line of the item holding line ``index``, and its section."""
    index = min(max(index, 0), len(lines) - 1)
    keys = {
        i: found.group("key") for i, line in enumerate(lines) if (found := _TOP_KEY.match(line))
    }
    header = max((i for i in keys if i <= index), default=None)
    if header is None or header == index:
        return index, index, None
    end = min((i for i in keys if i > header), default=len(lines))
    indents = {i: _item_indent(lines[i]) for i in range(header + 1, end)}
    starts = {i: n for i, n in indents.items() if n is not None}
    if not starts:
        return index, index, None
    outer = min(starts.values())
    items = [i for i, n in starts.items() if n == outer]
    first = max((i for i in items if i <= index), default=None)
    if first is None:
        return index, index, None
    last = min((i for i in items if i > first), default=end) - 1
    return first, last, keys[header]


def _item_indent(line: str) -> int | None:
    """The indentation of a list entry's dash (``  - x`` is 2), or ``None`` for other lines.

    A tab counts as two spaces: the usual slip is a tab where the other items have two spaces.
    """
    found = _ITEM.match(line)
    return None if found is None else len(found.group("indent").expandtabs(2))


def _first_id(lines: list[str]) -> str | None:
    """The id written in an item's lines (quoted ids unescaped as YAML does), if one is found."""
    for line in lines:
        found = _ID.search(line)
        if found is None:
            continue
        value = found.group("id").strip()
        if value[0] not in "\"'":
            return value
        try:
            parsed = parse_yaml(value).data
        except YamlError:
            return None
        return parsed if isinstance(parsed, str) else None
    return None
