"""Write a document back to YAML that reads well and loads to the same facts.

Keys keep the model's field order (``id`` first), defaults are left out, short mappings are
written inline, and every string that YAML 1.1 or 1.2 could read as something else is quoted.
"""

from __future__ import annotations

import json
import re
from typing import Any

from graphkit.model.document import FORMAT_VERSION, Document

__all__ = ["dump_yaml", "to_data"]

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_ .()/'-]*$")
_RESERVED = {
    "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "nan", "inf",
}  # fmt: skip
# Characters a YAML reader refuses raw (C1 controls, U+FFFE, U+FFFF) or reads as line breaks
# (NEL, U+2028, U+2029): written as escapes inside double quotes.
_ESCAPED = re.compile("[\x80-\x9f\u2028\u2029\ufffe\uffff]")
_SECTIONS = ("event_types", "relation_types", "sources", "actors", "relations", "events")
_INLINE_WIDTH = 88


def to_data(document: Document) -> dict[str, Any]:
    """Return the document as plain data (JSON-compatible), defaults left out."""
    data = document.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    data["format_version"] = FORMAT_VERSION
    return data


def dump_yaml(document: Document, *, header: str | None = None) -> str:
    """Return YAML text for ``document``; :func:`graphkit.io.loader.read_text` reads it back.

    Examples:
        >>> from graphkit.model import Document
        >>> doc = Document.model_validate({"format_version": 1, "actors": [
        ...     {"id": "NO", "name": "Norway", "kind": "state", "aliases": ["Kingdom of Norway"]}]})
        >>> print(dump_yaml(doc), end="")
        format_version: 1
        actors:
          - {id: "NO", name: Norway, kind: state, aliases: [Kingdom of Norway]}
    """
    data = to_data(document)
    lines: list[str] = []
    if header:
        lines.extend(f"# {line}".rstrip() for line in header.splitlines())
    lines.append(f"format_version: {FORMAT_VERSION}")
    if document.strict:
        lines.append("strict: true")
    if document.base is not None:
        lines.append(f"base: {json.dumps(document.base)}")
    for section in _SECTIONS:
        items = data.get(section)
        if not items:
            continue
        lines.append(f"{section}:")
        for item in items:
            _item(item, lines)
    return "\n".join(lines) + "\n"


def _item(item: dict[str, Any], lines: list[str]) -> None:
    inline = _flow(item)
    if len(inline) + 4 <= _INLINE_WIDTH:
        lines.append(f"  - {inline}")
        return
    first = True
    for key, value in item.items():
        lead = "  - " if first else "    "
        first = False
        _entry(key, value, lead, "    ", lines)


def _entry(key: str, value: Any, lead: str, indent: str, lines: list[str]) -> None:
    head = f"{lead}{_scalar(key)}:"
    flow = _flow(value)
    if not isinstance(value, (dict, list)) or len(head) + 1 + len(flow) <= _INLINE_WIDTH:
        lines.append(f"{head} {flow}")
        return
    lines.append(head)
    inner = indent + "  "
    if isinstance(value, dict):
        for sub_key, sub_value in value.items():
            _entry(sub_key, sub_value, inner, inner, lines)
        return
    for element in value:
        element_flow = _flow(element)
        if not isinstance(element, dict) or len(inner) + 2 + len(element_flow) <= _INLINE_WIDTH:
            lines.append(f"{inner}- {element_flow}")
            continue
        first = True
        for sub_key, sub_value in element.items():
            _entry(sub_key, sub_value, f"{inner}- " if first else f"{inner}  ", inner + "  ", lines)
            first = False


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_scalar(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return _scalar(value)


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _RESERVED and not text.endswith((" ", ":")):
        return text
    return _ESCAPED.sub(_escape, json.dumps(text, ensure_ascii=False))


def _escape(found: re.Match[str]) -> str:
    return f"\\u{ord(found.group()):04x}"
