"""The rapidyaml fast path gives exactly the precise reader's data, positions and diagnostics."""

from __future__ import annotations

import importlib.util
import types
import typing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

import graphkit as gk
from benchmarks.generate import dump_yaml, generate
from graphkit.io import fastyaml
from graphkit.io.fastyaml import fast_parse
from graphkit.io.yaml import YamlError, parse_yaml
from graphkit.model.document import Document

ROOT = Path(__file__).resolve().parents[2]
TEST_ERRORS = ROOT / "tests" / "io" / "test_loader_errors.py"

pytestmark = pytest.mark.skipif(
    not fastyaml.available(), reason="rapidyaml/orjson (the 'fast' extra) not installed"
)


@pytest.fixture(autouse=True, params=["node by node", "bulk"])
def checks(request, monkeypatch):
    """Every test runs twice: with the per-node checks and with the numpy ones (large trees)."""
    monkeypatch.setattr(fastyaml, "BULK_NODES", 0 if request.param == "bulk" else 10**12)
    return request.param


def _types(value: object) -> object:
    """The value with every leaf replaced by (type, value), so 1 and 1.0 and True differ."""
    if isinstance(value, dict):
        return {(type(k), k): _types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_types(v) for v in value]
    return (type(value), value)


def _precise(text: str) -> object:
    try:
        return parse_yaml(text).data
    except YamlError as exc:
        return ("error", exc.problem.code)


def assert_same(text: str, *, must_accept: bool = True) -> None:
    """The fast path accepts ``text`` (when asked to) and then agrees with the precise one.

    Given the text's UTF-8 bytes instead (as a file is read), it answers the same.
    """
    fast = fast_parse(text)
    if must_accept:
        assert fast is not None, f"fast path declined {text[:200]!r}"
    from_bytes = fast_parse(text.encode("utf-8"))
    assert (from_bytes is None) == (fast is None)
    if fast is None or from_bytes is None:
        return
    assert _types(from_bytes.data) == _types(fast.data)
    assert from_bytes.items == fast.items
    precise = parse_yaml(text)
    assert _types(fast.data) == _types(precise.data), text
    for section, listed in fast.items.items():
        assert len(listed) == len(precise.data[section]), section
        for index, where in enumerate(listed):
            if where is not None:
                assert where == precise.locate((section, index)), (section, index)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_files_give_identical_data_and_positions(seed):
    text = dump_yaml(generate(300, seed))
    assert_same(text)
    items = fast_parse(text).items  # type: ignore[union-attr]
    assert sum(where is not None for listed in items.values() for where in listed) > 300


@pytest.mark.parametrize(
    "path",
    [ROOT / "data" / "events.yaml", *sorted((ROOT / "examples" / "data").glob("*.yaml"))],
    ids=lambda p: p.name,
)
def test_shipped_datasets_give_identical_data(path):
    text = path.read_text(encoding="utf-8")
    assert_same(text)


def test_shipped_datasets_load_the_same_with_and_without_the_fast_path(monkeypatch):
    paths = [ROOT / "data" / "events.yaml", *sorted((ROOT / "examples" / "data").glob("*.yaml"))]
    fast = [gk.load(p) for p in paths]
    monkeypatch.setenv("GRAPHKIT_FAST", "0")
    precise = [gk.load(p) for p in paths]
    for a, b in zip(fast, precise, strict=True):
        assert a.document == b.document
        assert a.origins == b.origins


# Scalars and layouts the two readers must read identically (each is accepted by the fast path).
TRICKY = {
    "plain_words": "a: NO\nb: on\nc: off\nd: yes\ne: y\nf: North Korea\ng: nope\n",
    "plain_numbers": "a: 3000\nb: -0\nc: 51.7\nd: -131.25\ne: 1e5\nf: 1E-3\ng: 0\nh: 2024\n",
    "bool_null": "a: true\nb: false\nc: null\nd:\ne: [true, null, false]\n",
    "quoted_numbers": "a: '012'\nb: \"3000\"\nc: '~'\nd: \"True\"\ne: '.inf'\nf: \"2024\"\n",
    "dates_and_times": "a: 2024-10-23\nb: 12:30:00\nc: 2024-10-23T14:30:00+09:00\nd: 2024-10\n",
    "double_escapes": 'a: "tab\\there"\nb: "nl\\nx"\nc: "\\u00e9\\x41\\\\"\nd: "q\\"q"\ne: "\\/"\n',
    "single_quotes": "a: 'it''s'\nb: ''\nc: 'a \"b\" c'\n",
    "multiline_plain": "a: first line\n  second line\n\n  after blank\nb: x\n",
    "multiline_double": 'a: "one\n  two\n\n  three"\nb: x\n',
    "multiline_single": "a: 'one\n  two'\n",
    "literal_block": "a: |\n  line 1\n   indented\n\n  line 3\nb: |-\n  stripped\nc: |+\n  kept\n\nd: x\n",
    "folded_block": "a: >\n  folded\n  text\n\n  para\nb: >-\n  x\n  y\n",
    "flow_and_block": "a: [1, [2, {b: c}], {d: [e]}]\nb:\n  - x\n  - {y: z}\n  -\n    w: v\n",
    "unicode": 'a: Présence de soldats nord-coréens\nb: "Корея"\nc: 北朝鮮\nd: 😀 emoji\n',
    "empty_values": "a: ''\nb: \"\"\nc: []\nd: {}\ne:\nf: ~x\n",
    "comments": "# head\na: 1 # trailing\nb: 'x' # c\n# between\nc: [1, 2] # end\n",
    "crlf": "a: 1\r\nb: two words\r\nc: [x, y]\r\nd: |\r\n  block\r\n  text\r\n",
    "quoted_keys": '\'a\': 1\n"b c": 2\n"d\\te": 3\n',
    "colon_in_values": "a: 'x: y'\nb: http://example.org/a:b\nc: a:b\n",
    "flow_items_after_accents": 'actors: [{name: "Émile"}, {name: "Zoë"}, {name: x}]\n',
    "items_block_and_flow": (
        "format_version: 1\nactors:\n  - id: A\n    name: A\n  - {id: B, name: B}\n"
        '  -   id: C\n  - "id": D\n  -\n    id: E\n  - { "id": F }\n'
    ),
    "document_end_marker": "a: 1\n...\n",
    "indented_sequence": "a:\n- 1\n- 2\nb:\n    - x\n",
    "inf_like_words": "a: informare\nb: nanny\nd: inf.\n",
    "special_plain": "a: -abc\nb: 0abc\nc: 1.2.3\nd: 1_000\ne: 0b11\nf: '-'\ng: 1,000\nh: +\n",
}

# Inputs the fast path must hand to the precise reader (unusual, or read differently).
DECLINED = {
    "bom": "\ufeffa: 1\n",
    "tab": "a:\t1\n",
    "yaml11_ints": "a: 012\n",
    "hex": "a: 0x1F\n",
    "octal": "a: 0o17\n",
    "plus": "a: +1\n",
    "tilde": "a: ~\n",
    "capital_true": "a: True\n",
    "capital_null": "a: NULL\n",
    "inf": "a: .inf\n",
    "nan": "a: .nan\n",
    "plain_inf_word": "a: inf\n",
    "plain_infinity_word": "a: infinity\n",
    "signed_nan": "a: -nan\n",
    "huge_int": "a: 123456789012345678901234567890\n",
    "float_dot": "a: 1.\n",
    "anchor": "a: &x 1\nb: *x\n",
    "tag": "a: !!str 5\n",
    "custom_tag": "a: !foo x\n",
    "duplicate_key": "a: 1\na: 2\n",
    "nested_duplicate_key": "a: {b: 1, b: 2}\n",
    "duplicate_key_beside_an_escaped_quote": 'a: "say \\"hi\\":"\nb: 1\nb: 2\n',
    "too_deep": "a: " + "[" * 70 + "]" * 70 + "\n",
    "explicit_document": "---\na: 1\n",
    "two_documents": "a: 1\n---\nb: 2\n",
    "top_level_list": "- a\n",
    "scalar_document": "just text\n",
    "empty": "",
    "null_key": "? \n: x\n",
    "control_char": "a: b\x07c\n",
    "nel": "a: b\x85c\n",
    "line_separator": "a: b\u2028c\n",
    "lone_cr": "a: 1\rb: 2\n",
    "lone_cr_among_crlf": "a: 1\r\nb: 2\rc: 3\r\n",
    "cr_at_the_end": "a: 1\r\nb: 2\r",
    "paragraph_separator": "a: b\u2029c\n",
    "noncharacter_fffe": "a: b\ufffec\n",
    "noncharacter_ffff": "a: b\uffff\n",
    "tab_among_crlf": "a: 1\r\nb:\t2\r\n",
    "c1_control": "a: b\x90c\n",
    "syntax_error": "a: [1, 2\n",
    "mapping_in_plain": "a: b: c\n",
    "bad_indent": "a:\n  b: 1\n c: 2\n",
}


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_tricky_scalars_read_identically(name):
    assert_same(TRICKY[name])


@pytest.mark.parametrize("name", sorted(DECLINED))
def test_unusual_input_goes_the_precise_way(name):
    assert fast_parse(DECLINED[name]) is None
    assert fast_parse(DECLINED[name].encode("utf-8")) is None


@pytest.mark.parametrize(
    "raw",
    [b"a: \xff\n", b"a: caf\xc3\n", b"\xef\xbb\xbfa: 1\n", b"a: \xed\xa0\x80\n"],
    ids=["invalid byte", "cut sequence", "byte order mark", "surrogate"],
)
def test_bytes_that_are_not_plain_utf8_go_the_precise_way(raw):
    assert fast_parse(raw) is None


def test_special_characters_are_found_across_decoded_slices(monkeypatch):
    monkeypatch.setattr(fastyaml, "_DECODED_AT_ONCE", 4)
    text = "a: caf\u00e9 \uc870\nb: x\n"
    assert fast_parse(text.encode("utf-8")) is not None  # sequences cut by the slices still decode
    assert fast_parse((text + "c: \u2028\n").encode("utf-8")) is None


def test_nesting_limit_is_the_precise_readers():
    from graphkit.io.yaml import MAX_DEPTH

    deepest = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    assert_same(deepest)
    assert fast_parse("a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n") is None


@pytest.mark.parametrize("key", ["1", "true", "null", "~", "2024", "inf"])
def test_odd_keys_in_free_key_mappings_go_the_precise_way(key):
    text = (
        f"format_version: 1\nevent_types:\n  - {{id: x, goldstein_alternatives: {{{key}: 1.0}}}}\n"
    )
    assert fast_parse(text) is None
    assert fast_parse(text.replace(f"{{{key}:", "{cameo:")) is not None


def test_free_key_screen_is_skipped_only_where_no_such_mapping_is_written(monkeypatch):
    """The free-key pass runs whenever a provenance or goldstein_alternatives key exists.

    A text that merely mentions such a key inside a string does not hide a real one, and a
    file without either key gives the same data without the pass.
    """
    calls: list[int] = []
    real = fastyaml._free_keys_ok
    monkeypatch.setattr(fastyaml, "_free_keys_ok", lambda data: calls.append(1) or real(data))
    plain = 'format_version: 1\nevents:\n  - {id: e, summary: "x \\"provenance\\": y"}\n'
    assert_same(plain)
    assert calls == []
    odd = (
        "format_version: 1\nevents:\n"
        '  - {id: e, summary: "provenance\\":", provenance: {dataset: d, fields: {1: x}}}\n'
    )
    assert fast_parse(odd) is None
    assert calls == [1]


def _dict_fields(model: type[BaseModel], path: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for name, info in model.model_fields.items():
        alias = info.alias or name
        stack = [info.annotation]
        while stack:
            annotation = stack.pop()
            origin = typing.get_origin(annotation)
            if origin is dict:
                found.add((*path, alias))
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                found |= _dict_fields(annotation, (*path, alias))
            stack.extend(typing.get_args(annotation))
    return found


def test_free_key_mappings_cover_every_dict_field_of_the_model():
    expected = {(section, *path) for section, path in fastyaml.FREE_KEY_MAPPINGS}
    assert _dict_fields(Document) == expected


def _error_cases() -> tuple[dict[str, str], dict[str, list[str]]]:
    spec = importlib.util.spec_from_file_location("_loader_error_table", TEST_ERRORS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.CASES, module.EXPECTED


CASES, EXPECTED = _error_cases()


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_inputs_give_the_same_diagnostics_with_and_without_the_fast_path(name, monkeypatch):
    with pytest.raises(gk.LoadError) as fast:
        gk.loads(CASES[name], name="kb.yaml")
    monkeypatch.setenv("GRAPHKIT_FAST", "0")
    with pytest.raises(gk.LoadError) as precise:
        gk.loads(CASES[name], name="kb.yaml")
    assert [str(d) for d in fast.value.diagnostics] == EXPECTED[name]
    assert [str(d) for d in precise.value.diagnostics] == EXPECTED[name]


@pytest.mark.parametrize("key", ["1", "true", "null", "inf", "0x1F"])
def test_odd_keys_in_items_give_the_precise_diagnostics(key, monkeypatch):
    text = f"format_version: 1\nactors:\n  - {{id: A, name: A, kind: state, {key}: x}}\n"
    with pytest.raises(gk.LoadError) as fast:
        gk.loads(text, name="kb.yaml")
    monkeypatch.setenv("GRAPHKIT_FAST", "0")
    with pytest.raises(gk.LoadError) as precise:
        gk.loads(text, name="kb.yaml")
    assert [str(d) for d in fast.value.diagnostics] == [str(d) for d in precise.value.diagnostics]


def test_check_problems_in_a_fast_read_file_are_located_by_the_precise_tree():
    doc = generate(50, 4)
    doc["events"][7]["target"] = "NOPE"
    text = dump_yaml(doc)
    assert fast_parse(text) is not None  # the YAML itself is fine
    with pytest.raises(gk.LoadError) as fast:
        gk.loads(text, name="kb.yaml")
    precise_text = parse_yaml(text)
    line, column = precise_text.locate(("events", 7, "target"))
    assert [(d.line, d.column, d.code) for d in fast.value.diagnostics] == [
        (line, column, "unknown-reference")
    ]


def test_parse_errors_print_nothing(capfd):
    assert fast_parse("a: [1, 2\n") is None
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # the fixture is unused
@given(st.lists(st.text(alphabet="0123456789-.eE+x ", min_size=1, max_size=30), min_size=1))
def test_bulk_number_screen_only_passes_what_the_scalar_check_accepts(values):
    """The numpy screen of large trees waves through a value only if ``_plain_ok`` would."""
    import numpy as np

    encoded = [v.encode() for v in values]
    buf = np.frombuffer(b"".join(encoded) + b"\n", dtype=np.uint8)
    lengths = np.array([len(v) for v in encoded], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    screen = types.SimpleNamespace(np=np)
    passed = fastyaml._Bulk._json_numbers(screen, buf, starts, lengths)  # type: ignore[arg-type]
    for value, ok in zip(encoded, passed.tolist(), strict=True):
        if ok:
            assert fastyaml._plain_ok(value), value
    for sure in (b"0", b"7", b"-0", b"42", b"123456789012345678", b"1.5", b"-0.25", b"10.0"):
        one = np.frombuffer(sure + b"\n", dtype=np.uint8)
        size = np.array([len(sure)], dtype=np.int64)
        assert fastyaml._Bulk._json_numbers(screen, one, np.zeros(1, np.int64), size)[0], sure


def test_free_keys_longer_than_pyyaml_allows_go_the_precise_way():
    """PyYAML refuses an implicit key of more than 1,024 characters; rapidyaml reads it."""
    text = "format_version: 1\nevent_types:\n  - {id: x, goldstein_alternatives: {%s: 1.0}}\n"
    assert fast_parse(text % ("k" * 1100)) is None
    with pytest.raises(YamlError):
        parse_yaml(text % ("k" * 1100))
    assert_same(text % ("k" * 160))
