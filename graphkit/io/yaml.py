"""Safe YAML reading with YAML 1.2 scalars and node marks kept for error messages.

PyYAML's C parser composes the node tree (falling back to the pure-Python parser when the C
extension is missing); graphkit then builds plain Python data itself, so that:

* scalars follow the YAML 1.2 core schema, as editors do: ``NO``, ``on``, ``off`` and ``yes`` stay
  strings, ``012`` is the integer 12, ``12:30:00`` and dates stay strings (the model parses dates);
* only the standard data tags are accepted; ``!!python/...`` or ``!custom`` tags are errors;
* anchors and aliases are rejected when first reused, so a "billion laughs" file fails at once
  with bounded memory (the composed tree stays as small as the text);
* duplicate mapping keys are errors (PyYAML silently keeps the last one);
* nesting deeper than :data:`MAX_DEPTH` is an error, not a ``RecursionError``;
* the node tree is kept, so any location path can be turned back into a line and column.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from graphkit.io.messages import yaml_syntax

__all__ = [
    "MAX_DEPTH",
    "Parsed",
    "YamlError",
    "YamlProblem",
    "compose_yaml",
    "parse_yaml",
    "resolve_plain",
]

#: Deepest nesting accepted; a knowledge base needs fewer than ten levels.
MAX_DEPTH = 64

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_SCALAR_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL}


class _Yaml12Resolver(yaml.resolver.BaseResolver):
    """Implicit tags of the YAML 1.2 core schema (no dates, no sexagesimals, no yes/no/on/off)."""


_Yaml12Resolver.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    (_NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (_BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    (_INT, r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (
        _FLOAT,
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+.0123456789"),
    ),
):
    _Yaml12Resolver.add_implicit_resolver(_tag, re.compile(_pattern), _first)

try:  # pragma: no branch - which one depends on how PyYAML was built
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]

    HAVE_C_PARSER = True
except ImportError:  # pragma: no cover - PyYAML without libyaml
    HAVE_C_PARSER = False


if HAVE_C_PARSER:

    class _Composer(_Parser, _Yaml12Resolver):
        def __init__(self, stream: str) -> None:
            _Parser.__init__(self, stream)
            _Yaml12Resolver.__init__(self)

else:  # pragma: no cover

    class _Composer(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        _Yaml12Resolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _Yaml12Resolver.__init__(self)


@dataclass(frozen=True)
class YamlProblem:
    """A YAML-level problem at a 1-based line and column."""

    line: int
    column: int
    code: str
    message: str
    hint: str | None = None


class YamlError(Exception):
    """Raised inside this module to stop at the first structural YAML problem."""

    def __init__(self, problem: YamlProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class Parsed:
    """The data of a YAML document and its node tree, for locating values."""

    data: object
    root: Node | None

    def locate(self, loc: tuple[str | int, ...], *, key: bool = False) -> tuple[int, int]:
        """Return the 1-based (line, column) of the value at ``loc``.

        Walks as deep as the document goes: a path that ends in a missing key points at the
        mapping that lacks it. With ``key=True`` the last step points at the key, not its value.
        """
        node = self.root
        if node is None:
            return (1, 1)
        for index, step in enumerate(loc):
            last = index == len(loc) - 1
            if isinstance(node, MappingNode) and isinstance(step, str):
                for key_node, value_node in node.value:
                    if isinstance(key_node, ScalarNode) and key_node.value == step:
                        node = key_node if (last and key) else value_node
                        break
                else:
                    break
            elif isinstance(node, SequenceNode) and isinstance(step, int):
                if not 0 <= step < len(node.value):
                    break
                node = node.value[step]
            else:
                break
        return (node.start_mark.line + 1, node.start_mark.column + 1)


def parse_yaml(text: str, *, text_keys: bool = True) -> Parsed:
    r"""Parse ``text`` safely into plain data, keeping the node tree for locations.

    With ``text_keys`` (the default: every key of a knowledge base is a name) a key that YAML
    reads as null, a boolean or a number is an error (``key-not-text``).

    Raises:
        YamlError: At the first syntax or structure problem, with its line and column.

    Examples:
        >>> parse_yaml("country: NO\nvalue: 012\ntime: 12:30:00\n").data
        {'country': 'NO', 'value': 12, 'time': '12:30:00'}
    """
    root = compose_yaml(text)
    if root is None:
        return Parsed(None, None)
    return Parsed(_Builder(text_keys=text_keys).build(root, 0), root)


def compose_yaml(text: str) -> Node | None:
    """Compose the PyYAML node tree of ``text`` (``None`` for an empty document).

    Refuses control characters and syntax errors; tags, aliases and duplicate keys are left for
    :func:`parse_yaml` to report.

    Raises:
        YamlError: At the first control character or syntax problem, with its line and column.
    """
    bad = _CONTROL_RE.search(text)
    if bad is not None:
        line_start = text.rfind("\n", 0, bad.start()) + 1
        raise YamlError(
            YamlProblem(
                text.count("\n", 0, bad.start()) + 1,
                bad.start() - line_start + 1,
                "control-character",
                f"control character U+{ord(bad.group()):04X} in the file",
                "remove it; only tabs and newlines are allowed",
            )
        )
    composer = _Composer(text)
    try:
        root: Node | None = composer.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        context = exc.context_mark
        context_at = (context.line + 1, context.column + 1) if context is not None else None
        line, column, message, hint = yaml_syntax(
            text, str(exc.problem or ""), at, exc.context, context_at
        )
        hint = hint or _hint(text, mark)  # a value starting with a reserved character
        raise YamlError(YamlProblem(line, column, "yaml-syntax", message, hint)) from exc
    except yaml.YAMLError as exc:
        raise YamlError(YamlProblem(1, 1, "yaml-syntax", f"invalid YAML: {exc}")) from exc
    finally:
        dispose = getattr(composer, "dispose", None)
        if dispose is not None:
            dispose()
    return root


def _hint(text: str, mark: yaml.Mark | None) -> str | None:
    """A hint for a syntax error at ``mark``: a value that starts with a reserved character."""
    if mark is None:
        return None
    char = text[mark.index : mark.index + 1]
    if char in ("@", "`", "%", ",", "]", "}"):
        return f"YAML reserves {char!r} at the start of a value: put quotes around the text"
    return None


_RESOLVER = _Yaml12Resolver()
_NO_MARK = yaml.Mark("<plain>", 0, 0, 0, "", 0)


def resolve_plain(value: str) -> object:
    """Return what a plain (unquoted) scalar means under graphkit's YAML 1.2 rules.

    Raises:
        ValueError: For a scalar :func:`parse_yaml` refuses (``.inf``, ``.nan``).

    Examples:
        >>> [resolve_plain(v) for v in ("NO", "012", "0x1F", "~", "1.5", "12:30:00")]
        ['NO', 12, 31, None, 1.5, '12:30:00']
    """
    tag: str = _RESOLVER.resolve(ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    node = ScalarNode(tag, value, _NO_MARK, _NO_MARK)
    try:
        return _scalar(node)
    except YamlError as exc:
        raise ValueError(exc.problem.message) from exc


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class _Builder:
    """Builds plain data from nodes; refuses tags, aliases, duplicate keys and deep nesting."""

    def __init__(self, *, text_keys: bool = True) -> None:
        self.seen: set[int] = set()
        self.text_keys = text_keys

    def build(self, node: Node, depth: int, at: Node | None = None) -> object:
        if id(node) in self.seen:
            line, column = _pos(node)
            raise YamlError(
                YamlProblem(
                    *_pos(at or node),
                    "yaml-alias",
                    "anchors and aliases (&name, *name) are not supported",
                    f"write out in full the value anchored at line {line}, column {column}",
                )
            )
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise YamlError(
                YamlProblem(*_pos(node), "yaml-too-deep", f"nesting deeper than {MAX_DEPTH} levels")
            )
        if isinstance(node, ScalarNode):
            return _scalar(node)
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                raise _tag_error(node)
            return [self.build(item, depth + 1, node) for item in node.value]
        if isinstance(node, MappingNode):
            if node.tag != _MAP:
                raise _tag_error(node)
            result: dict[object, object] = {}
            first_at: dict[object, Node] = {}
            for key_node, value_node in node.value:
                key = self.build(key_node, depth + 1)
                if isinstance(key, (list, dict)):
                    raise YamlError(
                        YamlProblem(*_pos(key_node), "yaml-complex-key", "a key must be a scalar")
                    )
                if self.text_keys and not isinstance(key, str):
                    raise YamlError(
                        YamlProblem(
                            *_pos(key_node),
                            "key-not-text",
                            f"the key {_short(key_node.value or '(empty)')} is not text "
                            f"(YAML reads it as {_KEY_KINDS[type(key)]})",
                            "every key of a knowledge base file is a name: put quotes around it",
                        )
                    )
                if key in first_at:
                    line, column = _pos(first_at[key])
                    raise YamlError(
                        YamlProblem(
                            *_pos(key_node),
                            "duplicate-key",
                            f"duplicate key {key!r}",
                            f"first given at line {line}, column {column}",
                        )
                    )
                first_at[key] = key_node
                result[key] = self.build(value_node, depth + 1, key_node)
            return result
        raise _tag_error(node)  # pragma: no cover - PyYAML has no other node kind


_KEY_KINDS = {type(None): "null", bool: "a boolean", int: "a number", float: "a number"}


def _short(text: str, limit: int = 40) -> str:
    """``text``, cut to ``limit`` characters (a 400-digit number is not printed in full)."""
    return text if len(text) <= limit else f"{text[: limit - 10]}…({len(text)} characters)"


def _pos(node: Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _tag_error(node: Node) -> YamlError:
    return YamlError(
        YamlProblem(
            *_pos(node),
            "yaml-tag",
            f"tag {node.tag.replace('tag:yaml.org,2002:', '!!')!r} is not allowed",
            "graphkit reads plain YAML data; remove the tag",
        )
    )


def _scalar(node: ScalarNode) -> object:
    tag, value = node.tag, node.value
    if tag not in _SCALAR_TAGS:
        raise _tag_error(node)
    if tag == _STR:
        return value
    try:
        if tag == _INT:
            if value.startswith(("0o", "0x")):
                return int(value[2:], 8 if value[1] == "o" else 16)
            return int(value)
        if tag == _FLOAT:
            lowered = value.lower()
            if lowered.endswith((".inf", ".nan")):
                raise YamlError(
                    YamlProblem(*_pos(node), "yaml-not-finite", f"{value} is not a finite number")
                )
            number = float(value)
            if not math.isfinite(number):  # 1e400: beyond the largest float
                raise YamlError(
                    YamlProblem(
                        *_pos(node),
                        "yaml-not-finite",
                        f"{_short(value)} is too large to be a finite number",
                    )
                )
            return number
        if tag == _BOOL:
            return value.lower() == "true" if value.lower() in ("true", "false") else _bad(node)
        return None if value in ("", "~", "null", "Null", "NULL") else _bad(node)
    except ValueError:
        return _bad(node)


def _bad(node: ScalarNode) -> object:
    raise YamlError(
        YamlProblem(
            *_pos(node),
            "yaml-bad-scalar",
            f"{node.value!r} is not a valid {node.tag.rsplit(':', 1)[-1]}",
        )
    )
