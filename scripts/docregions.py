"""Regenerate the generated regions of the docs from the code and the shipped vocabularies.

Usage (from the repository root)::

    python scripts/docregions.py            # rewrite the regions (atomically)
    python scripts/docregions.py --check    # exit 1 if a region differs from what it would write

A region is the text between ``<!-- BEGIN generated NAME ... -->`` and ``<!-- END generated
NAME -->`` in a Markdown file; everything outside the markers is written by hand:

* docs/format.md ``fields``: the required and optional fields of every kind of item, from the
  pydantic models (:mod:`graphkit.model`);
* docs/format.md ``event-types`` and ``relation-types``: every shipped type with its meaning,
  direction and scores, from ``graphkit/data/event_types.yaml`` and ``relation_types.yaml``;
* docs/errors.md ``lint-rules``: every lint code with its level, meaning and fix, from
  :data:`graphkit.lint.RULES`;
* docs/tutorial.md ``serve-error``: what ``graphkit serve`` shows for the tutorial's mistake in
  the flagship (North Korea's ``kind: state`` saved as ``kind: stat``), from
  :class:`graphkit.serve.Preview` on a copy of ``data/events.yaml``: its line numbers follow the
  data.

``tests/test_doc_regions.py`` fails when a region is stale, so the docs cannot drift.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _cell(text: object) -> str:
    """``text`` as one Markdown table cell (``|`` escaped, whitespace folded)."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _goldstein(value: float) -> str:
    return f"{value:+.1f}" if value else "0.0"


def event_types() -> str:
    """The table of shipped event types (docs/format.md)."""
    from graphkit.io.vocabulary import default_vocabulary

    lines = [
        "| type | meaning (`actor` → `target`) | CAMEO | Goldstein | QuadClass | hostility |",
        "|---|---|---|---|---|---|",
    ]
    for t in default_vocabulary().event_types.values():
        meaning = t.description or t.label or ""
        if t.note:
            meaning += f" *{t.note}*"
        if t.material_support:
            meaning += " **Material support**: escalates a belligerent's war when it goes to one."
        cameo = f"{t.cameo} {t.cameo_name}" if t.cameo and t.cameo_name else (t.cameo or "")
        lines.append(
            f"| `{t.id}` | {_cell(meaning)} | {_cell(cameo)} | {_goldstein(t.goldstein)} "
            f"| {(t.quad_class or '').replace('_', ' ')} | {t.hostility} |"
        )
    return "\n".join(lines)


def relation_types() -> str:
    """The table of shipped relation types (docs/format.md)."""
    from graphkit.io.vocabulary import default_vocabulary

    lines = [
        "| type | meaning | direction | hostile | war | supportive |",
        "|---|---|---|---|---|---|",
    ]
    for t in default_vocabulary().relation_types.values():
        direction = "both ways (symmetric)" if t.symmetric else f"`from` {t.label} `to`"
        lines.append(
            f"| `{t.id}` | {_cell(t.description or t.label or '')} | {_cell(direction)} "
            f"| {_yes(t.hostile)} | {_yes(t.war)} | {_yes(t.supportive)} |"
        )
    return "\n".join(lines)


def _yes(flag: bool) -> str:
    return "yes" if flag else ""


def _type_name(annotation: Any) -> str:
    """A short reader's name for a field's type: ``date``, ``list of text``, ``A..F``..."""
    from pydantic import BaseModel

    from graphkit.model.common import Credibility, Id, Reliability
    from graphkit.model.dates import PartialDate, When

    for alias, name in (
        (Id, "id"),
        (Credibility, "1..6"),
        (Reliability, "A..F"),
        (When, "date, `{earliest, latest}` or `{start, end}`"),
    ):
        if annotation == alias:
            return name
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        names = list(dict.fromkeys(_type_name(a) for a in args if a is not type(None)))
        if "number" in names and "integer" in names:
            names.remove("integer")
        return " or ".join(names)
    if origin is typing.Literal:
        return " | ".join(f"`{a}`" for a in args)
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if origin is dict:
        return "mapping"
    if annotation is PartialDate:
        return "date"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation.__name__ if annotation.__name__ != "SourceRef" else "source reference"
    return {str: "text", int: "integer", float: "number", bool: "true/false"}.get(
        annotation, str(annotation)
    )


def fields() -> str:
    """Required and optional fields of every kind of item (docs/format.md)."""
    from graphkit.model import (
        Actor,
        AlternativeDate,
        Document,
        Event,
        Location,
        Participant,
        Quantity,
        Quote,
        Relation,
        Source,
    )
    from graphkit.model.common import Provenance, SourceRef
    from graphkit.model.dates import Bounds, Span
    from graphkit.model.vocab import EventType, RelationType

    kinds: list[tuple[str, Any]] = [
        ("file (top level)", Document),
        ("source", Source),
        ("actor", Actor),
        ("relation", Relation),
        ("event", Event),
        ("quantity (in `quantities`)", Quantity),
        ("quote", Quote),
        ("location", Location),
        ("participant", Participant),
        ("date bounds (a moment known roughly)", Bounds),
        ("date span (it lasted)", Span),
        ("alternative date", AlternativeDate),
        ("source reference (mapping form)", SourceRef),
        ("provenance", Provenance),
        ("event type", EventType),
        ("relation type", RelationType),
    ]
    lines = ["| item | required | optional |", "|---|---|---|"]
    for label, model in kinds:
        required, optional = [], []
        for name, info in model.model_fields.items():
            shown = f"`{info.alias or name}` ({_type_name(info.rebuild_annotation())})"
            (required if info.is_required() else optional).append(shown)
        if model is Quantity:
            required.append("at least one of `value`, `min`, `max`")
        lines.append(
            f"| {label} | {_cell(', '.join(required) or '—')} | {_cell(', '.join(optional))} |"
        )
    return "\n".join(lines)


def lint_rules() -> str:
    """The table of lint rules (docs/errors.md)."""
    from graphkit.lint import RULES

    lines = ["| code | level | meaning | fix |", "|---|---|---|---|"]
    for rule in RULES.values():
        meaning, fix = _cell(rule.meaning), _cell(rule.fix)
        lines.append(f"| `{rule.code}` | {rule.level} | {meaning} | {fix} |")
    return "\n".join(lines)


#: Longest error message line quoted in the tutorial (longer ones end in ", ...").
_SHOWN_MESSAGE = 96


def serve_error() -> str:
    """The error overlay and terminal line for the tutorial's mistake (docs/tutorial.md)."""
    import tempfile

    from graphkit.serve.preview import Preview

    flagship = (ROOT / "data" / "events.yaml").read_text(encoding="utf-8")
    at = flagship.index("kind: state", flagship.index("- id: PRK\n"))
    broken = flagship[:at] + "kind: stat" + flagship[at + len("kind: state") :]
    with tempfile.TemporaryDirectory(prefix="graphkit-docregions-") as scratch:
        copy = Path(scratch) / "events.yaml"
        copy.write_text(broken, encoding="utf-8")
        preview = Preview([copy])
        outcome = preview.reload()
        errors = preview.state()["errors"]
    if outcome.ok or len(errors) != 1:
        raise SystemExit("scripts/docregions.py: the tutorial's mistake no longer gives one error")
    error = errors[0]
    shown = "data/events.yaml"
    message = error["message"]
    if len(message) > _SHOWN_MESSAGE:
        message = message[: message.rindex(", ", 0, _SHOWN_MESSAGE - 5)] + ", ..."
    terminal = str(outcome.errors[0]).replace(str(copy), shown)
    cut = terminal.index(" is not one of") + len(" is not one of")
    width = len(str(error["excerpt"][-1]["line"]))
    lines = [
        "```",
        "1 error in the knowledge base",
        f"{shown}:{error['line']}:{error['column']}  {error['code']}",
        message,
        f"Hint: {error['hint']}",
    ]
    for row in error["excerpt"]:
        if row["line"] > error["line"]:
            break
        lines.append(f"{row['line']:<{width}}  {row['text']}")
    lines.append(" " * (width + 2 + error["column"] - 1) + "^")
    lines += [
        "```",
        "",
        "The terminal running `graphkit serve` prints the same line, in the form `graphkit "
        "validate` uses",
        f"(`{terminal[:cut]} ... ({error['hint']})`).",
    ]
    return "\n".join(lines)


#: (file, region name) -> the function that writes the region.
REGIONS: dict[tuple[str, str], Callable[[], str]] = {
    ("format.md", "fields"): fields,
    ("format.md", "event-types"): event_types,
    ("format.md", "relation-types"): relation_types,
    ("errors.md", "lint-rules"): lint_rules,
    ("tutorial.md", "serve-error"): serve_error,
}


def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(
        rf"(<!-- BEGIN generated {re.escape(name)}\b[^>]*-->\n)(.*?)(<!-- END generated "
        rf"{re.escape(name)} -->)",
        re.S,
    )


def render(file: str, text: str) -> str:
    """Return ``text`` (the content of docs/``file``) with its generated regions rewritten.

    Raises:
        SystemExit: If a region's markers are missing.
    """
    for (target, name), make in REGIONS.items():
        if target != file:
            continue
        pattern = _pattern(name)
        if not pattern.search(text):
            raise SystemExit(f"scripts/docregions.py: docs/{file} has no region {name!r}")
        match = pattern.search(text)
        assert match is not None
        text = text[: match.start(2)] + make() + "\n" + text[match.end(2) :]
    return text


def main(argv: list[str] | None = None, docs: Path = DOCS) -> int:
    """Rewrite the regions, or with ``--check`` report whether they are up to date."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a region is stale")
    args = parser.parse_args(argv)
    stale = []
    for file in sorted({file for file, _ in REGIONS}):
        path = docs / file
        current = path.read_text(encoding="utf-8")
        text = render(file, current)
        if text == current:
            continue
        stale.append(path)
        if not args.check:
            from graphkit._fs import atomic_write

            atomic_write(path, text)
            sys.stderr.write(f"wrote {os.path.relpath(path)}\n")
    if args.check and stale:
        for path in stale:
            sys.stderr.write(
                f"{os.path.relpath(path)} is stale: run python scripts/docregions.py\n"
            )
        return 1
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
