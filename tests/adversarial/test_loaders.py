"""Loading: the fast and precise readers agree, and hostile values get located errors (#14).

Items 10-15 of issue #14: the two readers accept the same documents with the same values; non-
finite and oversized numbers, C1 controls and bidi overrides in ids, unreadable paths, odd format
versions and null keys are located errors (exit 1), never a crash or a silent acceptance.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from adversarial._support import ROOT, run_graphkit
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import ValidationError

import graphkit as gk
from graphkit.cli import main
from graphkit.io import fastyaml
from graphkit.model.event import Quantity

pytestmark = pytest.mark.adversarial

#: The documented bound of figures (docs/format.md): 2**53 - 1, the largest integer that doubles,
#: JSON readers and JavaScript (the HTML views) hold exactly.
MAX_FIGURE = 2**53 - 1

needs_fast = pytest.mark.skipif(
    not fastyaml.available(), reason="rapidyaml/orjson (the 'fast' extra) not installed"
)


@contextmanager
def reader(mode: str) -> Iterator[None]:
    """Load with the precise reader, the fast one node by node, or the fast one in bulk."""
    saved_env, saved_bulk = os.environ.get("GRAPHKIT_FAST"), fastyaml.BULK_NODES
    os.environ["GRAPHKIT_FAST"] = "0" if mode == "precise" else "1"
    fastyaml.BULK_NODES = 0 if mode == "bulk" else 10**12
    try:
        yield
    finally:
        fastyaml.BULK_NODES = saved_bulk
        if saved_env is None:
            os.environ.pop("GRAPHKIT_FAST", None)
        else:
            os.environ["GRAPHKIT_FAST"] = saved_env


def _typed(value: object) -> object:
    """``value`` with each leaf as (type name, value): 1, 1.0 and True differ."""
    if isinstance(value, dict):
        return {str(k): _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value).__name__, value)


def outcome(text: str, mode: str, path: Path | None = None) -> object:
    """What loading ``text`` gives: its typed data, or its diagnostics."""
    with reader(mode):
        try:
            kb = gk.load(path) if path is not None else gk.loads(text, name="kb.yaml")
        except gk.LoadError as exc:
            return ("error", [d.to_dict() for d in exc.diagnostics])
    return ("ok", _typed(kb.document.model_dump(mode="python", by_alias=True)))


# ---- 10. the two readers agree --------------------------------------------------------------

#: YAML 1.2 core-schema edge cases and the scalars that rapidyaml and PyYAML once read apart.
EDGE_SCALARS = [
    *("0e0", "0E0", "-0e0", "0e+5", "0e-1", "0.0e0", "1e0", "-1E+2", "1.5e3"),
    *(".inf", "-.inf", "+.inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN", "inf", "-inf", "nan"),
    *("1e400", "-1e400", "1e308", "1.8e308", "0." + "0" * 400 + "1", "9" * 19, "9" * 400),
    *("0o17", "0o8", "0o", "0x1F", "0x1f", "0xG", "0x", "0b101", "012", "00", "-0", "+0"),
    *("@home", "@", "`cmd`", "`", "%x", "!x", "&a", "*a", "|", ">", "?", "-", ":", "#"),
    *("~", "null", "Null", "NULL", "nULL", "true", "True", "TRUE", "tRUE", "false", "False"),
    *("yes", "no", "on", "off", "y", "n", "Yes", "ON"),
    *("-.5", ".5", "+.5", "-5.", "1.", "+1", "+1.5", "-1", "1_000", "1,000", "1.2.3"),
    *("12:30:00", "1:20", "2024-10-23", "2024-10", "2024-10-23T14:30:00+09:00"),
    *("a: b", "a #b", "a#b", "a # b", "- x", "? x", "x:", "[x]", "{x}", "'x'", '"x"', "x'y"),
    *("x:?", "x:]", "x:}", "x:,y", "I:?#", "a?b", "Why?", "a:b", "http://x.org/?q=1"),
]
SCALAR_ALPHABET = "0123456789.eE+-_xob~@`%!&*|>?:#, aAnNtTfFyYiIlLuU'\"[]{}"

SCALARS = st.one_of(
    st.sampled_from(EDGE_SCALARS),
    st.text(alphabet=SCALAR_ALPHABET, min_size=1, max_size=8),
    st.builds(
        lambda sign, whole, dot, frac, exp: sign + whole + dot + frac + exp,
        st.sampled_from(["", "-", "+"]),
        st.sampled_from(["", "0", "1", "00", "12", "9" * 20]),
        st.sampled_from(["", "."]),
        st.sampled_from(["", "0", "5", "25"]),
        st.sampled_from(["", "e0", "E5", "e-3", "e+400", "e400", "e"]),
    ),
)

#: Places a plain scalar can stand in a knowledge base: text, list item, number, free key, version.
CONTEXTS = {
    "block text": (
        "format_version: 1\nactors:\n  - id: A\n    name: x\n    kind: state\n"
        "    description: {s}\n"
    ),
    "flow list item": (
        "format_version: 1\nactors:\n  - {{id: A, name: x, kind: state, aliases: [{s}]}}\n"
    ),
    "block list item": (
        "format_version: 1\nactors:\n  - id: A\n    name: x\n    kind: state\n"
        "    aliases:\n      - {s}\n"
    ),
    "number": (
        "format_version: 1\nactors: [{{id: A, name: x, kind: state}}]\nevents:\n"
        "  - {{id: e, type: attack, date: 2024, actor: A, quantities: [{{value: {s}}}]}}\n"
    ),
    "free value": (
        "format_version: 1\nsources:\n  - id: S\n    title: t\n    reliability: F\n"
        "    provenance: {{dataset: d, record: r, fields: {{k: {s}}}}}\n"
    ),
    "free key": (
        "format_version: 1\nsources:\n  - id: S\n    title: t\n    reliability: F\n"
        "    provenance:\n      dataset: d\n      record: r\n      fields:\n        {s}: 1\n"
    ),
    "format version": "format_version: {s}\n",
}


@needs_fast
@pytest.mark.parametrize("context", sorted(CONTEXTS))
@given(scalar=SCALARS)
@example(scalar="0e0")
@example(scalar="@home")
def test_fast_and_precise_readers_give_the_same_outcome(context, scalar):
    text = CONTEXTS[context].format(s=scalar)
    precise = outcome(text, "precise")
    assert outcome(text, "node by node") == precise, text
    assert outcome(text, "bulk") == precise, text


@needs_fast
@pytest.mark.parametrize("context", sorted(CONTEXTS))
def test_every_edge_case_reads_the_same_on_both_paths(context):
    """Each listed edge case in each context, deterministically (Hypothesis samples them)."""
    for scalar in EDGE_SCALARS:
        text = CONTEXTS[context].format(s=scalar)
        precise = outcome(text, "precise")
        assert outcome(text, "node by node") == precise, text
        assert outcome(text, "bulk") == precise, text


@needs_fast
@pytest.mark.parametrize("scalar", ["0e0", "@home", "`home`", "-0E3"])
def test_files_read_as_bytes_agree_too(scalar, tmp_path):
    path = tmp_path / "kb.yaml"
    path.write_text(CONTEXTS["block text"].format(s=scalar), encoding="utf-8")
    precise = outcome("", "precise", path)
    assert precise[0] == "error"
    assert outcome("", "node by node", path) == precise
    assert outcome("", "bulk", path) == precise


@pytest.mark.parametrize(
    ("scalar", "value"),
    [("0e0", 0.0), ("-0E3", -0.0), ("0o17", 15), ("0x1F", 31), ("-.5", -0.5), ("+1", 1)],
)
def test_yaml_12_core_numbers_are_numbers_on_both_paths(scalar, value):
    text = CONTEXTS["number"].format(s=scalar)
    for mode in ("precise", "node by node", "bulk"):
        with reader(mode):
            figure = gk.loads(text).events["e"].quantities[0].value
        assert (type(figure), figure) == (type(value), value), mode


@pytest.mark.parametrize("scalar", ["@home", "`home`"])
def test_reserved_indicators_are_a_located_error_with_a_hint(scalar):
    text = CONTEXTS["block text"].format(s=scalar)
    for mode in ("precise", "node by node"):
        with reader(mode), pytest.raises(gk.LoadError) as caught:
            gk.loads(text, name="kb.yaml")
        (diagnostic,) = caught.value.diagnostics
        assert (diagnostic.line, diagnostic.column, diagnostic.code) == (6, 18, "yaml-syntax")
        assert "quotes" in (diagnostic.hint or "")


# ---- 11. non-finite numbers -----------------------------------------------------------------


@pytest.mark.parametrize("written", ["1e400", "-1e400", "1.8e308", "1" + "0" * 400 + ".0"])
@pytest.mark.parametrize("mode", ["precise", "node by node", "bulk"])
def test_numbers_too_large_for_a_float_are_not_finite_errors(written, mode):
    text = CONTEXTS["number"].format(s=written)
    with reader(mode), pytest.raises(gk.LoadError) as caught:
        gk.loads(text, name="kb.yaml")
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.file, diagnostic.line, diagnostic.column) == ("kb.yaml", 4, 70)
    assert diagnostic.code == "yaml-not-finite"


@pytest.mark.parametrize("figure", [math.inf, -math.inf, math.nan])
def test_the_model_refuses_non_finite_figures_from_any_reader(figure):
    with pytest.raises(ValidationError, match="finite"):
        Quantity(value=figure)


def test_a_saved_knowledge_base_always_reloads(tmp_path):
    kb = gk.loads(CONTEXTS["number"].format(s="-9007199254740991.0"))
    path = tmp_path / "saved.yaml"
    kb.save(path)
    assert gk.load(path).document == kb.document


def test_non_finite_rdf_figures_are_refused(tmp_path):
    kb = gk.loads(CONTEXTS["number"].format(s="5"))
    from graphkit.rdf import serialize

    nt = serialize(kb, "nt")
    assert '"5"^^<http://www.w3.org/2001/XMLSchema#integer>' in nt
    bad = tmp_path / "kb.nt"
    bad.write_text(
        nt.replace(
            '"5"^^<http://www.w3.org/2001/XMLSchema#integer>',
            '"INF"^^<http://www.w3.org/2001/XMLSchema#double>',
        ),
        encoding="utf-8",
    )
    assert main(["validate", str(bad)]) == 1


# ---- 12. oversized figures --------------------------------------------------------------------


@pytest.mark.parametrize("figure", [MAX_FIGURE + 1, -(MAX_FIGURE + 1), 10**400, 1e16, -2e300])
def test_figures_beyond_the_bound_are_out_of_range(figure):
    with pytest.raises(ValidationError, match="out of range|beyond"):
        Quantity(value=figure)
    assert Quantity(value=MAX_FIGURE).value == MAX_FIGURE
    assert Quantity(min=-MAX_FIGURE).min == -MAX_FIGURE


@pytest.mark.parametrize("mode", ["precise", "node by node"])
def test_a_400_digit_quantity_is_a_located_out_of_range_error(mode):
    text = CONTEXTS["number"].format(s="9" * 400)
    with reader(mode), pytest.raises(gk.LoadError) as caught:
        gk.loads(text, name="kb.yaml")
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.line, diagnostic.column, diagnostic.code) == (4, 70, "out-of-range")
    assert "400-digit" in diagnostic.message
    assert len(str(diagnostic)) < 300  # the figure is not printed in full


@pytest.mark.parametrize("command", ["timeline", "report", "validate"])
def test_views_of_a_huge_figure_exit_1_not_3(command, tmp_path, capsys):
    path = tmp_path / "kb.yaml"
    path.write_text(CONTEXTS["number"].format(s="9" * 400), encoding="utf-8")
    args = [command, str(path)] + (
        ["-o", str(tmp_path / "x.html")] if command != "validate" else []
    )
    assert main(args) == 1
    assert f"{path}:4:70:" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()


def test_build_of_a_huge_figure_exits_1_and_huge_raw_counts_render(tmp_path, capsys):
    path = tmp_path / "kb.yaml"
    path.write_text(CONTEXTS["number"].format(s="9" * 400), encoding="utf-8")
    assert main(["build", str(path), "-o", str(tmp_path / "out"), "--jobs", "1"]) == 1
    # A huge number among a record's raw fields is kept as written and shown, never a crash.
    raw = tmp_path / "raw.yaml"
    raw.write_text(
        "format_version: 1\nactors: [{id: A, name: x, kind: state}]\nevents:\n"
        "  - {id: e, type: attack, date: 2024, actor: A,\n"
        f"     provenance: {{dataset: d, record: r, fields: {{NumMentions: {'9' * 400}}}}}}}\n",
        encoding="utf-8",
    )
    assert (
        main(["build", str(raw), "-o", str(tmp_path / "raw"), "--jobs", "1", "--paths", "0"]) == 0
    )


def test_acled_fatalities_beyond_the_bound_are_a_counted_row_problem(tmp_path):
    from importers.conftest import current_row, write_csv

    from graphkit.importers.acled import import_acled

    row = current_row(fatalities="9" * 400)
    path = write_csv(tmp_path / "acled.csv", list(row), [row])
    result = import_acled([path])
    assert result.summary()["skipped"] == 1
    assert "fatalities" in str(result.problems[0])
    assert result.document.events == []


# ---- 13. paths that cannot be read -------------------------------------------------------------


def _kb(folder: Path) -> Path:
    (folder / "kb").mkdir()
    (folder / "kb" / "a.yaml").write_text(
        "format_version: 1\nactors: [{id: A, name: x, kind: state}]\n", encoding="utf-8"
    )
    return folder / "kb"


def test_an_unreadable_subdirectory_is_a_located_error(tmp_path):
    kb = _kb(tmp_path)
    hidden = kb / "sub"
    hidden.mkdir()
    (hidden / "b.yaml").write_text("format_version: 1\n", encoding="utf-8")
    hidden.chmod(0)
    done = run_graphkit("validate", kb, unprivileged=True)
    assert done.returncode == 1, done.stderr
    assert re.search(rf"{re.escape(str(hidden))}:1:1: cannot read this directory", done.stderr)


def test_an_unreadable_file_is_a_located_unreadable_error_not_a_usage_error(tmp_path):
    kb = _kb(tmp_path)
    (kb / "a.yaml").chmod(0)
    done = run_graphkit("validate", kb / "a.yaml", unprivileged=True)
    assert done.returncode == 1, done.stderr
    assert f"{kb / 'a.yaml'}:1:1: cannot read" in done.stderr
    done = run_graphkit("validate", "--json", kb, unprivileged=True)
    assert done.returncode == 1
    assert json.loads(done.stdout)["errors"][0]["code"] == "unreadable"


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "kb.yaml"
    os.mkfifo(fifo)
    done = run_graphkit("validate", fifo, timeout=30)
    assert done.returncode == 1
    assert f"{fifo}:1:1: not a regular file (a named pipe)" in done.stderr
    folder = tmp_path / "folder"
    folder.mkdir()
    os.mkfifo(folder / "inside.yaml")
    done = run_graphkit("validate", folder, timeout=30)
    assert done.returncode == 1
    assert "inside.yaml:1:1: not a regular file" in done.stderr


def test_dev_zero_is_refused_at_once():
    done = run_graphkit("validate", "/dev/zero", timeout=30)
    assert done.returncode == 1
    assert "/dev/zero:1:1: not a regular file (a character device)" in done.stderr


def test_a_directory_where_a_file_is_needed_is_an_error(tmp_path, capsys):
    kb = _kb(tmp_path)
    assert main(["promote", str(kb), "x", "--into", str(kb / "a.yaml")]) == 1
    assert f"{kb}: cannot read: is a directory" in capsys.readouterr().err
    assert main(["sparql", f"@{kb}", str(kb / "a.yaml")]) == 1
    assert "is a directory" in capsys.readouterr().err
    assert main(["import", "gdelt", str(kb)]) == 1
    assert "is a directory" in capsys.readouterr().err


def test_the_loader_reads_no_special_file_in_a_directory(tmp_path):
    kb = _kb(tmp_path)
    os.symlink("/dev/zero", kb / "zero.yaml")
    with pytest.raises(gk.LoadError) as caught:
        gk.load(kb)
    assert [d.code for d in caught.value.diagnostics] == ["not-a-file"]
    assert stat.S_ISCHR(os.stat(kb / "zero.yaml").st_mode)


# ---- 14. C1 controls and bidi overrides ---------------------------------------------------------

HIDDEN_IDS = ["\u009b2J", "A\u0085", "\u202eevil", "a\u2066b", "x\u200f", "a\u2028b"]


@pytest.mark.parametrize("bad_id", HIDDEN_IDS)
@pytest.mark.parametrize("mode", ["precise", "node by node"])
def test_hidden_characters_in_ids_are_refused(bad_id, mode):
    escaped = json.dumps(bad_id)  # a double-quoted YAML scalar with \u escapes
    text = f"format_version: 1\nactors:\n  - {{id: {escaped}, name: x, kind: state}}\n"
    with reader(mode), pytest.raises(gk.LoadError) as caught:
        gk.loads(text, name="kb.yaml")
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.line, diagnostic.code) == (3, "bad-value")
    assert "is not a valid id" in diagnostic.message
    assert not re.search("[\u0080-\u009f\u202a-\u202e\u2066-\u2069]", str(diagnostic))


NAME = "Trojan \u202eSource\u202c \u009b31m red \u2066iso\u2069"
HIDDEN = re.compile("[\u0080-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\x1b]")


def _kb_with_hidden_name(tmp_path: Path) -> Path:
    path = tmp_path / "kb.yaml"
    path.write_text(
        "format_version: 1\nsources: [{id: S, title: t, reliability: B}]\n"
        f"actors:\n  - {{id: A, name: {json.dumps(NAME)}, kind: state}}\n"
        "  - {id: B, name: Bee, kind: state}\n"
        "relations:\n  - {id: r, type: allied_with, from: A, to: B, sources: [S]}\n"
        "events:\n  - {id: e, type: attack, date: 2024, actor: A, target: B, sources: [S],\n"
        f"     summary: {json.dumps(NAME)}}}\n",
        encoding="utf-8",
    )
    return path


def test_names_with_hidden_characters_load_and_print_neutralised(tmp_path, capsys):
    path = _kb_with_hidden_name(tmp_path)
    assert gk.load(path).actors["A"].name == NAME  # text keeps what was written
    for args in (["path", str(path), "A", "B"], ["neighbours", str(path), "B"]):
        assert main(args) == 0
        printed = capsys.readouterr()
        assert "Trojan" in printed.out + printed.err
        assert not HIDDEN.search(printed.out + printed.err), args
        assert "\\u202e" in printed.out + printed.err


def test_json_output_keeps_the_values_of_hidden_characters(tmp_path, capsys):
    path = _kb_with_hidden_name(tmp_path)
    assert main(["neighbours", str(path), "B", "--json"]) == 0
    printed = capsys.readouterr().out
    assert not HIDDEN.search(printed)
    assert NAME in printed.encode().decode("unicode_escape") or NAME in json.dumps(
        json.loads(printed), ensure_ascii=False
    )


def test_html_views_show_hidden_characters_as_visible_codes(tmp_path):
    path = _kb_with_hidden_name(tmp_path)
    for command in ("timeline", "report"):
        target = tmp_path / f"{command}.html"
        assert main([command, str(path), "-o", str(target)]) == 0
        page = target.read_text(encoding="utf-8")
        assert "Trojan" in page
        assert not HIDDEN.search(page), command


def test_the_html_gateway_neutralises_hidden_characters():
    from graphkit.render._html import clip, esc, wrap

    for escape in (esc, wrap, lambda v: clip(v, 200)):
        shown = escape(NAME)
        assert not HIDDEN.search(shown)
        assert "\\u202e" in shown and "\\u009b" in shown


# ---- 15. small ones ---------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["true", "1.0", "'1'", "0x1", "+1"])
@pytest.mark.parametrize("mode", ["precise", "node by node"])
def test_only_the_integer_1_is_format_version_1(version, mode):
    text = f"format_version: {version}\nactors: [{{id: A, name: x, kind: state}}]\n"
    if version in ("0x1", "+1"):  # YAML 1.2 integers: the number 1, written another way
        with reader(mode):
            assert len(gk.loads(text).actors) == 1
        return
    with reader(mode), pytest.raises(gk.LoadError) as caught:
        gk.loads(text, name="kb.yaml")
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.line, diagnostic.column, diagnostic.code) == (1, 17, "bad-format-version")


def test_the_model_refuses_a_boolean_or_float_format_version():
    from graphkit.model.document import Document

    for version in (True, 1.0):
        with pytest.raises(ValidationError):
            Document.model_validate({"format_version": version})


def _documented_codes() -> set[str]:
    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([a-z0-9-]+)` \|", text, flags=re.MULTILINE))


@pytest.mark.parametrize(
    "text",
    [
        "~: 1\nformat_version: 1\n",
        "format_version: 1\nactors:\n  - {id: A, name: x, kind: state, ~: 1}\n",
        "format_version: 1\nactors:\n  - {id: A, name: x, kind: state, 1: 1}\n",
        "format_version: 1\nsources:\n  - {id: S, title: t, reliability: F,\n"
        "     provenance: {dataset: d, record: r, fields: {null: 1, 2: 3}}}\n",
    ],
    ids=["top level", "item", "number key", "free keys"],
)
@pytest.mark.parametrize("mode", ["precise", "node by node"])
def test_keys_that_are_not_text_have_a_documented_located_error(text, mode):
    with reader(mode), pytest.raises(gk.LoadError) as caught:
        gk.loads(text, name="kb.yaml")
    documented = _documented_codes()
    for diagnostic in caught.value.diagnostics:
        assert diagnostic.code == "key-not-text", diagnostic
        assert diagnostic.code in documented
        assert "Keys should be strings" not in diagnostic.message
        assert diagnostic.line > 1 or text.startswith("~")


def test_every_loader_code_is_documented():
    documented = _documented_codes()
    source = "".join(
        path.read_text(encoding="utf-8")
        for path in [
            *(ROOT / "graphkit" / "io").glob("*.py"),
            ROOT / "graphkit" / "model" / "checks.py",
        ]
    )
    used = set(re.findall(r'"((?:yaml|no|not|bad|key|out|wrong|empty|unknown)-[a-z-]+)"', source))
    assert used - documented == set()


def test_a_gdelt_row_of_empty_fields_is_counted(tmp_path):
    from graphkit.importers.gdelt import COLUMNS, import_gdelt

    sample = ROOT / "tests" / "data" / "gdelt" / "gdelt_events_sample.tsv"
    good = sample.read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "x.export.CSV"
    path.write_text(good + "\n" + "\t" * (len(COLUMNS) - 1) + "\n\n", encoding="utf-8")
    result = import_gdelt([path])
    assert len(result.document.events) == 1
    assert result.summary()["skipped"] == 1
    assert "every field is empty" in str(result.problems[0])
    assert result.problems[0].line == 2
