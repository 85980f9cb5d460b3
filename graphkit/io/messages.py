"""Turn pydantic validation errors into messages an analyst can act on.

pydantic says *"String should match pattern '^[A-Z]{3}$'"*; graphkit says *"country 'Russia' is
not an ISO 3166-1 alpha-3 code (e.g. RUS)"*. Each message names the item (``event 'x':``), the
field path inside it, what is wrong and what is expected.
"""

from __future__ import annotations

import json
import re
import types
import typing
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from graphkit.errors import suggest
from graphkit.model.common import CONTROL_CHARS_PATTERN, ID_PATTERN, LINE_PATTERN, TAG_PATTERN
from graphkit.model.document import BASE_PATTERN, Document
from graphkit.model.source import COPY_PATTERN, SHA256_PATTERN

__all__ = ["clean_loc", "describe", "item_label", "yaml_syntax"]

_UNION_TAGS = {"date", "bounds", "span"}
_KIND = {
    "sources": "source",
    "actors": "actor",
    "relations": "relation",
    "events": "event",
    "event_types": "event type",
    "relation_types": "relation type",
}
_PATTERNS: dict[str, tuple[str, str]] = {
    ID_PATTERN: ("is not a valid id", "no control characters, no leading or trailing spaces"),
    LINE_PATTERN: ("contains a control character or line break", "write it on one line"),
    CONTROL_CHARS_PATTERN: ("contains a control character", "only tabs and newlines are allowed"),
    r"^[A-Z]{3}$": ("is not an ISO 3166-1 alpha-3 country code", "e.g. RUS, PRK, UKR"),
    r"^Q[1-9][0-9]*$": ("is not a Wikidata id", "e.g. Q423"),
    r"^https?://[^\s\x00-\x1f\x7f]+$": ("is not an http(s) URL", "e.g. https://example.org/a"),
    r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$": ("is not a language code", "e.g. fr, en, ko"),
    r"^[a-z][a-z0-9_]*$": ("is not a snake_case word", "e.g. reporter, host"),
    r"^[0-9]{2,4}$": ("is not a CAMEO code", "2 to 4 digits, quoted: '0871'"),
    BASE_PATTERN: (
        "is not a base IRI",
        'an absolute IRI ending in /, # or :, e.g. "https://example.org/kb/"',
    ),
    TAG_PATTERN: ("is not a tag", "one word without spaces or control characters"),
    COPY_PATTERN: (
        "is not a relative path",
        "a path relative to the data file, with / between folders",
    ),
    SHA256_PATTERN: ("is not a SHA-256 digest", "64 lowercase hex digits, as sha256sum prints"),
}


def clean_loc(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Drop pydantic's union-member tags from a location path.

    Examples:
        >>> clean_loc(("events", 0, "date", "bounds", "latest"))
        ('events', 0, 'date', 'latest')
    """
    out: list[str | int] = []
    for step in loc:
        if out and out[-1] == "date" and step in _UNION_TAGS and isinstance(step, str):
            continue
        out.append(step)
    return tuple(out)


def item_label(data: object, loc: tuple[str | int, ...]) -> str:
    """Name the item a location belongs to: ``event 'prk-troops'`` or ``events[3]``."""
    if len(loc) < 2 or not isinstance(loc[0], str) or not isinstance(loc[1], int):
        return "file"
    section, index = loc[0], loc[1]
    kind = _KIND.get(section, section)
    item: object = None
    if isinstance(data, dict):
        items = data.get(section)
        if isinstance(items, list) and 0 <= index < len(items):
            item = items[index]
    if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"].strip():
        return f"{kind} {item['id']!r}"
    return f"{kind} #{index + 1} (no valid id)" if isinstance(item, dict) else f"{section}[{index}]"


def field_path(loc: tuple[str | int, ...]) -> str:
    """Format the part of a location inside an item: ``quantities[0].min``."""
    text = ""
    for step in loc:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def describe(
    error: ErrorDetails, data: object
) -> tuple[tuple[str | int, ...], str, str, str | None, bool]:
    """Return ``(loc, code, message, hint, at_key)`` for one pydantic error.

    ``at_key`` asks the locator to point at the key rather than the value (unknown fields).
    """
    loc = clean_loc(tuple(error["loc"]))
    label = item_label(data, loc)
    inner = loc[2:] if label != "file" else loc
    where = field_path(inner)
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    prefix = f"{label}: " if label != "file" else ""
    subject = f"{where} " if where else ""

    if kind == "missing":
        missing = str(loc[-1])
        parent = field_path(inner[:-1])
        scope = f"{parent}: " if parent else ""
        return (
            loc[:-1],
            "missing-field",
            f"{prefix}{scope}missing required field {missing!r}",
            None,
            False,
        )
    if kind == "extra_forbidden":
        known = _fields_at(loc[:-1])
        hint = suggest(str(loc[-1]), known) or (
            "known fields: " + ", ".join(known) if known else None
        )
        parent = field_path(inner[:-1])
        scope = f"{parent}: " if parent else ""
        return loc, "unknown-field", f"{prefix}{scope}unknown field {loc[-1]!r}", hint, True
    if kind == "string_pattern_mismatch":
        what, pattern_hint = _PATTERNS.get(str(ctx.get("pattern")), ("has the wrong form", ""))
        hint = pattern_hint or None
        return loc, "bad-value", f"{prefix}{subject}{value!r} {what}", hint, False
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        choices = [c.strip().strip("'") for c in expected.replace(" or ", ", ").split(",")]
        hint = suggest(value, choices) if isinstance(value, str) else None
        return (
            loc,
            "bad-choice",
            f"{prefix}{subject}{value!r} is not one of {expected}",
            hint,
            False,
        )
    if kind in ("value_error", "assertion_error"):
        reason = str(ctx.get("error", error["msg"]))
        return (
            loc,
            "bad-value",
            f"{prefix}{subject.rstrip()}{': ' if where else ''}{reason}",
            None,
            False,
        )
    if kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
        bound = {
            "less_than_equal": "at most",
            "greater_than_equal": "at least",
            "less_than": "less than",
            "greater_than": "greater than",
        }[kind]
        limit = next(iter(ctx.values()), "")
        return (
            loc,
            "out-of-range",
            f"{prefix}{subject}{value!r} must be {bound} {limit}",
            None,
            False,
        )
    if kind == "out_of_range":  # graphkit's own: a figure too large, or not finite
        return loc, "out-of-range", f"{prefix}{subject}{error['msg']}", None, False
    if kind == "string_too_short":
        return loc, "empty-value", f"{prefix}{subject}must not be empty", None, False
    expected_type = _EXPECTED.get(kind)
    if expected_type is not None:
        hint = "put quotes around it" if expected_type == "text" and value is not None else None
        return (
            loc,
            "wrong-type",
            f"{prefix}{where + ': ' if where else ''}expected {expected_type}, "
            f"got {_describe_value(value)}",
            hint,
            False,
        )
    return loc, "invalid", f"{prefix}{subject}{error['msg']}", None, False


_EXPECTED = {
    "string_type": "text",
    "int_type": "an integer",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "int_from_float": "an integer",
}


def _describe_value(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ({value!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _fields_at(loc: tuple[str | int, ...]) -> list[str]:
    """The field names (as written in YAML) of the model at ``loc`` inside a Document."""
    model: Any = Document
    for step in loc:
        if isinstance(step, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return []
        field = model.model_fields.get(step)
        if field is None:
            field = next((f for f in model.model_fields.values() if f.alias == step), None)
        if field is None:
            return []
        model = _model_in(field.annotation)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [f.alias or name for name, f in model.model_fields.items()]
    return []


def _model_in(annotation: Any) -> Any:
    """Find the first pydantic model inside an annotation (lists, optionals, unions)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _model_in(typing.get_args(annotation)[0])
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None


# ---- YAML syntax errors in plain language -----------------------------------------------------

#: ``key: value`` on a block line: indentation (and a list dash), the key, the value.
_BLOCK_ENTRY = re.compile(
    r"^(?P<lead>\s*(?:-\s+)?)(?P<key>[^\s#'\"{\[\-][^:#]*?):(?:\s+(?P<value>.*))?$"
)


def yaml_syntax(
    text: str,
    problem: str,
    at: tuple[int, int],
    context: str | None = None,
    context_at: tuple[int, int] | None = None,
) -> tuple[int, int, str, str | None]:
    r"""Word a YAML parser error for an analyst: ``(line, column, message, hint)``.

    ``problem`` and ``context`` are the parser's words, ``at`` and ``context_at`` their 1-based
    (line, column). Known causes get a plain message and the fix (the corrected line where it
    can be written out); anything else keeps the parser's words.

    Examples:
        >>> text = "a:\n\t- b\n"
        >>> for part in yaml_syntax(text, "found character that cannot start any token", (2, 1)):
        ...     print(part)
        2
        1
        tabs cannot indent YAML; use spaces
        replace the tab at the start of line 2 with spaces
        >>> text = "summary: He said: no\n"
        >>> for part in yaml_syntax(text, "mapping values are not allowed here", (1, 17))[2:]:
        ...     print(part)
        a colon followed by a space inside an unquoted value; quote the value
        write: summary: "He said: no"
    """
    lines = text.split("\n")
    line, column = at
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    indent = here[: len(here) - len(here.lstrip(" \t"))]
    if "\t" in indent:
        return (
            line,
            indent.index("\t") + 1,
            "tabs cannot indent YAML; use spaces",
            f"replace the tab at the start of line {line} with spaces",
        )
    if "tab" in problem or here[column - 1 : column] == "\t":
        return (line, column, "a tab cannot separate YAML here; use spaces", None)
    if problem.startswith("mapping values are not allowed"):
        entry = _BLOCK_ENTRY.match(here)
        if entry is not None and entry.end("key") + 1 < column:
            return (
                line,
                column,
                "a colon followed by a space inside an unquoted value; quote the value",
                f"write: {_quoted_line(entry)}",
            )
        return (
            line,
            column,
            "this key is indented deeper than the keys it belongs with",
            "align it with the keys above (YAML counts the spaces)",
        )
    if context and "flow mapping" in context and context_at is not None:
        flow = _flow_colon(here, column) if context_at[0] == line else None
        if flow is not None:
            return (
                line,
                column,
                "a colon followed by a space inside an unquoted value; quote the value",
                f"write: {flow}",
            )
        return (
            *context_at,
            "this '{' is never closed",
            f"close it with '}}' (the parser reached line {line}, column {column})",
        )
    if context and "quoted scalar" in context and context_at is not None:
        return (
            *context_at,
            "this quoted value is never closed",
            "end it with the same quote it starts with",
        )
    if context and "simple key" in context and context_at is not None:
        return (
            *context_at,
            "a line without 'key: value'",
            "write the key, a colon and a space, then the value",
        )
    before = here[: column - 1].rstrip()
    if problem.startswith("did not find expected key") and before.endswith(("'", '"')):
        return (
            line,
            column,
            "text after the closing quote of a value",
            "put the whole value inside the quotes",
        )
    if problem.startswith(("did not find expected key", "did not find expected '-'")):
        return (
            line,
            column,
            "this line is not aligned with the lines of its item",
            "indent it like the other keys of the item (YAML counts the spaces)",
        )
    words = " ".join(part for part in (context, problem) if part)
    return (line, column, f"invalid YAML: {words}", None)


def _quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _quoted_line(entry: re.Match[str]) -> str:
    """The line of a block entry with its value in double quotes (a comment kept outside)."""
    value = entry.group("value") or ""
    comment = ""
    found = re.search(r"\s#", value)
    if found is not None:
        value, comment = value[: found.start()], " " + value[found.start() :].strip()
    lead = entry.group("lead").lstrip()
    return f"{lead}{entry.group('key')}: {_quoted(value.strip())}{comment}"


def _flow_colon(line: str, column: int) -> str | None:
    """The flow mapping on ``line`` with the value holding the colon at ``column`` quoted."""
    start = max(line.rfind(", ", 0, column - 1), line.rfind("{", 0, column - 1))
    head = re.match(r"[,{]\s*([^\s:,{}]+):\s+", line[start:])
    if start < 0 or head is None:
        return None
    value_start = start + head.end()
    rest = re.search(r",\s*[A-Za-z_][A-Za-z0-9_]*:\s|\s*}", line[column - 1 :])
    value_end = column - 1 + rest.start() if rest is not None else len(line)
    value = line[value_start:value_end].strip()
    if not value or value[0] in "'\"":
        return None
    return (line[:value_start] + _quoted(value) + line[value_end:]).strip()
