"""orjson's own indented JSON is read by orjson alone, with the precise reader's data and positions."""

from __future__ import annotations

import json

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import graphkit as gk
from benchmarks.generate import dump_json, generate
from graphkit.io import fastyaml
from graphkit.io.fastyaml import fast_parse
from graphkit.io.yaml import MAX_DEPTH, YamlError, parse_yaml

pytestmark = pytest.mark.skipif(
    not fastyaml.available(), reason="rapidyaml/orjson (the 'fast' extra) not installed"
)


@pytest.fixture(autouse=True, params=["line by line", "numpy"])
def item_lines(request, monkeypatch):
    """Every test runs twice: item lines found with bytes.find, and with numpy."""
    monkeypatch.setattr(fastyaml, "JSON_BULK_BYTES", 0 if request.param == "numpy" else 1 << 62)
    return request.param


def _types(value: object) -> object:
    """The value with every leaf replaced by (type, value), so 1 and 1.0 and True differ."""
    if isinstance(value, dict):
        return {(type(k), k): _types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_types(v) for v in value]
    return (type(value), value)


def _indented(data: object) -> bytes:
    return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"


def _json_way(raw: bytes) -> fastyaml.FastParsed | None:
    """What the orjson-only way makes of ``raw`` (``None``: it hands over to rapidyaml)."""
    return fastyaml._read_indented_json(raw, raw)


def assert_same_as_precise(raw: bytes) -> None:
    """``fast_parse`` declines ``raw`` or reads exactly the precise reader's data and positions."""
    fast = fast_parse(raw)
    try:
        precise = parse_yaml(raw.decode("utf-8"))
    except YamlError:
        assert fast is None, raw[:200]
        return
    if fast is None:
        return
    assert _types(fast.data) == _types(precise.data)
    for section, listed in fast.items.items():
        for index, where in enumerate(listed):
            if where is not None:
                assert where == precise.locate((section, index)), (section, index)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_json_is_read_by_orjson_alone_with_the_precise_data_and_positions(seed):
    raw = dump_json(generate(300, seed))
    raw = raw if isinstance(raw, bytes) else raw.encode("utf-8")
    read = _json_way(raw)
    assert read is not None
    listed = sum(where is not None for items in read.items.values() for where in items)
    assert listed == sum(len(v) for v in read.data.values() if isinstance(v, list)) > 600
    assert_same_as_precise(raw)
    assert fast_parse(raw).items == read.items  # type: ignore[union-attr]


def test_a_json_file_loads_as_it_does_the_precise_way(tmp_path, monkeypatch):
    path = tmp_path / "kb.json"
    path.write_bytes(_indented(generate(200, 7)))
    assert _json_way(path.read_bytes()) is not None
    fast = gk.load(path)
    monkeypatch.setenv("GRAPHKIT_FAST", "0")
    precise = gk.load(path)
    assert fast.document == precise.document
    assert dict(fast.origins) == dict(precise.origins)


def test_check_problems_in_a_json_file_are_located_as_the_precise_way_does(tmp_path, monkeypatch):
    doc = generate(40, 4)
    doc["events"][7]["target"] = "NOPE"
    path = tmp_path / "kb.json"
    path.write_bytes(_indented(doc))
    assert _json_way(path.read_bytes()) is not None
    with pytest.raises(gk.LoadError) as fast:
        gk.load(path)
    monkeypatch.setenv("GRAPHKIT_FAST", "0")
    with pytest.raises(gk.LoadError) as precise:
        gk.load(path)
    assert [str(d) for d in fast.value.diagnostics] == [str(d) for d in precise.value.diagnostics]
    assert [d.code for d in fast.value.diagnostics] == ["unknown-reference"]


# Texts orjson reads but that are not its own indented output, or that YAML reads otherwise: the
# orjson-only way hands each over (the rapidyaml way or the precise reader then decides).
HANDED_OVER = {
    "compact": b'{"a":[1,{"b":2}]}',
    "four_spaces": b'{\n    "a": 1\n}\n',
    "duplicate_key": b'{\n  "a": 1,\n  "a": 2\n}\n',
    "surrogate_pair_escape": b'{\n  "a": "\\ud83d\\ude00"\n}\n',
    "escaped_letter": b'{\n  "a": "\\u0041"\n}\n',
    "huge_int": b'{\n  "a": 123456789012345678901234\n}\n',
    "minus_zero_int": b'{\n  "a": -0\n}\n',
    "capital_exponent": b'{\n  "a": 1E+16\n}\n',
    "space_before_colon": b'{\n  "a" : 1\n}\n',
    "two_final_newlines": b'{\n  "a": 1\n}\n\n',
    "crlf": b'{\r\n  "a": 1\r\n}\r\n',
    "top_level_list": b"[\n  1\n]\n",
}


@pytest.mark.parametrize("name", sorted(HANDED_OVER))
def test_other_json_is_handed_over_and_read_as_the_precise_way_reads_it(name):
    raw = HANDED_OVER[name]
    assert _json_way(raw) is None
    assert_same_as_precise(raw)


def test_nesting_up_to_the_limit_is_read_and_deeper_is_handed_over():
    shallow: object = 0
    for _ in range(MAX_DEPTH - 3):  # with the top-level mapping, 62 containers deep
        shallow = [shallow]
    assert _json_way(_indented({"a": shallow})) is not None
    assert_same_as_precise(_indented({"a": shallow}))
    deep: object = 0
    for _ in range(MAX_DEPTH + 1):
        deep = [deep]
    assert _json_way(_indented({"a": deep})) is None
    assert fast_parse(_indented({"a": deep})) is None
    with pytest.raises(YamlError):
        parse_yaml(_indented({"a": deep}).decode())


@pytest.mark.parametrize("length", [10, 160, 161, 1100])
def test_long_free_keys_are_handed_over(length):
    """PyYAML refuses an implicit key longer than 1,024 characters: long free keys go on."""
    key = "k" * length
    doc = {"format_version": 1, "events": [{"id": "e", "provenance": {"fields": {key: 1}}}]}
    raw = _indented(doc)
    assert (_json_way(raw) is not None) == (length <= 160)
    assert_same_as_precise(raw)


def test_item_positions_skip_what_is_not_a_mapping():
    doc = {"format_version": 1, "actors": ["x", {"id": "A"}, [{"id": "B"}], {}], "base": "b"}
    read = _json_way(_indented(doc))
    assert read is not None
    assert read.items["actors"][0] is None and read.items["actors"][2] is None
    assert_same_as_precise(_indented(doc))


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**25), max_value=10**25)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
_KEYS = st.text(max_size=8)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(_KEYS, _VALUES, max_size=5), st.booleans())
def test_any_json_reads_as_the_precise_reader_reads_it(data, standard_library):
    """orjson's or the standard library's indented JSON of any data: the same data, or handed on."""
    if standard_library:
        raw = (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8", "replace")
    else:
        try:
            raw = _indented(data)
        except orjson.JSONEncodeError:  # lone surrogates, integers beyond 64 bits
            return
    assert_same_as_precise(raw)
