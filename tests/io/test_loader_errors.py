"""The table of bad inputs: each asserts the exact located messages of the load."""

import pytest

import graphkit as gk

BASE = """format_version: 1
sources:
  - {id: src1, title: Report, reliability: B}
actors:
  - {id: RUS, name: Russia, kind: state}
  - {id: PRK, name: North Korea, kind: state}
events:
  - id: ev1
    type: troop_deployment
    date: 2024-10-23
    actor: PRK
    target: RUS
    sources: [src1]
"""
CASES = {
    "malformed": "format_version: 1\nactors: [\n",
    "empty": "",
    "comment_only": "# nothing\n",
    "top_list": "- a\n- b\n",
    "no_version": "actors: []\n",
    "wrong_version": "format_version: 2\n",
    "unknown_section": BASE + "things: []\n",
    "unknown_actor": BASE.replace("target: RUS", "target: RUSS"),
    "unknown_source": BASE.replace("sources: [src1]", "sources: [src2]"),
    "source_is_actor": BASE.replace("sources: [src1]", "sources: [RUS]"),
    "dup_id": BASE.replace("{id: PRK,", "{id: RUS,"),
    "dup_key": BASE.replace("    actor: PRK\n", "    actor: PRK\n    actor: RUS\n"),
    "bad_month": BASE.replace("2024-10-23", "2024-13"),
    "bad_day": BASE.replace("2024-10-23", "2023-02-29"),
    "not_date": BASE.replace("2024-10-23", "yesterday"),
    "end_before_start": BASE.replace("date: 2024-10-23", "date: {start: 2024-10-23, end: 2024-09}"),
    "naive_time": BASE.replace("date: 2024-10-23", "date: 2024-10-23T12:00:00"),
    "bad_grade": BASE.replace("reliability: B", "reliability: G"),
    "bad_credibility": BASE.replace(
        "    sources: [src1]", "    sources: [src1]\n    credibility: 7"
    ),
    "bad_kind": BASE.replace("kind: state}\n  - {id: PRK", "kind: country}\n  - {id: PRK"),
    "unknown_type": BASE.replace("troop_deployment", "troop_deploy"),
    "unknown_field": BASE.replace("    actor: PRK\n", "    actor: PRK\n    summry: x\n"),
    "missing_field": BASE.replace(
        "{id: src1, title: Report, reliability: B}", "{id: src1, title: Report}"
    ),
    "alias_bomb": 'format_version: 1\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n',
    "unsafe_tag": "format_version: 1\nactors: !!python/object/apply:os.system [echo hi]\n",
    "control_char": BASE.replace("name: Russia", "name: Rus\x07sia"),
    "wrong_type_list": BASE.replace("sources: [src1]", "sources: src1"),
    "country_code": BASE.replace(
        "kind: state}\n  - {id: PRK", "kind: state, country: Russia}\n  - {id: PRK"
    ),
    "quantity_min_max": BASE + "    quantities: [{min: 10, max: 5, unit: soldiers}]\n",
    "quantity_empty": BASE + "    quantities: [{unit: soldiers}]\n",
    "quantity_text_value": BASE + "    quantities: [{value: '3000', unit: soldiers}]\n",
    "yes_bool": BASE + "    quantities: [{value: 3000, planned: yes}]\n",
    "relation_self": BASE + "relations:\n  - {id: r1, type: allied_with, from: RUS, to: RUS}\n",
    "relation_end_before": BASE
    + "relations:\n  - {id: r1, type: allied_with, from: RUS, to: PRK, start: 2024-06, end: 2023}\n",
    "part_of_cycle": BASE.replace(
        "{id: RUS, name: Russia, kind: state}", "{id: RUS, name: Russia, kind: state, part_of: PRK}"
    ).replace(
        "{id: PRK, name: North Korea, kind: state}",
        "{id: PRK, name: North Korea, kind: state, part_of: RUS}",
    ),
    "deep": "format_version: 1\nx: " + "[" * 80 + "]" * 80 + "\n",
    "bad_url": BASE.replace("reliability: B}", "reliability: B, url: 'javascript:alert(1)'}"),
    "lat_only": BASE + "    location: {name: Kursk, lat: 51.7}\n",
    "item_not_mapping": BASE + "  - just a string\n",
    "id_spaces": BASE.replace("id: ev1", "id: ' ev1'"),
}

EXPECTED = {
    "malformed": [
        "kb.yaml:3:1: invalid YAML: while parsing a flow node did not find expected node content"
    ],
    "empty": ["kb.yaml:1:1: the file is empty (start it with 'format_version: 1')"],
    "comment_only": ["kb.yaml:1:1: the file is empty (start it with 'format_version: 1')"],
    "top_list": [
        "kb.yaml:1:1: the top level must be a mapping of sections (start it with 'format_version: 1')"
    ],
    "no_version": [
        "kb.yaml:1:1: missing format_version (add 'format_version: 1' at the top of the file)"
    ],
    "wrong_version": [
        "kb.yaml:1:17: unsupported format_version 2 (this graphkit reads format_version 1)"
    ],
    "unknown_section": [
        "kb.yaml:14:1: unknown field 'things' (known fields: format_version, strict, base, event_types, relation_types, sources, actors, relations, events)"
    ],
    "unknown_actor": [
        "kb.yaml:12:13: event 'ev1': unknown actor 'RUSS' in target (did you mean 'RUS'?)"
    ],
    "unknown_source": ["kb.yaml:13:15: event 'ev1': unknown source 'src2' (did you mean 'src1'?)"],
    "source_is_actor": [
        "kb.yaml:13:15: event 'ev1': unknown source 'RUS' ('RUS' is an actor, not a source)"
    ],
    "dup_id": [
        "kb.yaml:6:10: actor 'RUS': duplicate id (first defined at kb.yaml:5:10)",
        "kb.yaml:11:12: event 'ev1': unknown actor 'PRK'",
    ],
    "dup_key": ["kb.yaml:12:5: duplicate key 'actor' (first given at line 11, column 5)"],
    "bad_month": ["kb.yaml:10:11: event 'ev1': date: month 13 is not a month (01..12)"],
    "bad_day": ["kb.yaml:10:11: event 'ev1': date: 2023-02 has no day 29 (it has 28 days)"],
    "not_date": [
        "kb.yaml:10:11: event 'ev1': date: 'yesterday' is not a date (expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM)"
    ],
    "end_before_start": [
        "kb.yaml:10:11: event 'ev1': date: end 2024-09 is before start 2024-10-23"
    ],
    "naive_time": [
        "kb.yaml:10:11: event 'ev1': date: a timestamp needs a time zone, e.g. 2024-10-23T14:30:00+09:00"
    ],
    "bad_grade": [
        "kb.yaml:3:44: source 'src1': reliability 'G' is not one of 'A', 'B', 'C', 'D', 'E' or 'F'"
    ],
    "bad_credibility": ["kb.yaml:14:18: event 'ev1': credibility 7 must be at most 6"],
    "bad_kind": [
        "kb.yaml:5:35: actor 'RUS': kind 'country' is not one of 'state', 'international_organization', 'alliance', 'government', 'agency', 'armed_force', 'armed_unit', 'person', 'non_state_group', 'company' or 'other'"
    ],
    "unknown_type": [
        "kb.yaml:9:11: event 'ev1': unknown event type 'troop_deploy' (did you mean 'troop_deployment'?)"
    ],
    "unknown_field": [
        "kb.yaml:12:5: event 'ev1': unknown field 'summry' (did you mean 'summary'?)"
    ],
    "missing_field": ["kb.yaml:3:5: source 'src1': missing required field 'reliability'"],
    "alias_bomb": [
        "kb.yaml:3:4: anchors and aliases (&name, *name) are not supported (write out in full the value anchored at line 2, column 4)"
    ],
    "unsafe_tag": [
        "kb.yaml:2:9: tag '!!python/object/apply:os.system' is not allowed (graphkit reads plain YAML data; remove the tag)"
    ],
    "control_char": [
        "kb.yaml:5:24: control character U+0007 in the file (remove it; only tabs and newlines are allowed)"
    ],
    "wrong_type_list": ["kb.yaml:13:14: event 'ev1': sources: expected a list, got text ('src1')"],
    "country_code": [
        "kb.yaml:5:51: actor 'RUS': country 'Russia' is not an ISO 3166-1 alpha-3 country code (e.g. RUS, PRK, UKR)"
    ],
    "quantity_min_max": ["kb.yaml:14:18: event 'ev1': quantities[0]: min 10 is greater than max 5"],
    "quantity_empty": [
        "kb.yaml:14:18: event 'ev1': quantities[0]: a quantity needs a value, a min or a max"
    ],
    "quantity_text_value": [
        "kb.yaml:14:26: event 'ev1': quantities[0].value: expected a number, got '3000'"
    ],
    "yes_bool": [
        "kb.yaml:14:41: event 'ev1': quantities[0].planned: expected true or false, got text ('yes')"
    ],
    "relation_self": ["kb.yaml:15:48: relation 'r1': goes from 'RUS' to itself"],
    "relation_end_before": ["kb.yaml:15:5: relation 'r1': end 2023 is before start 2024-06"],
    "part_of_cycle": ["kb.yaml:5:51: actor 'RUS': part_of forms a cycle (RUS -> PRK -> RUS)"],
    "deep": ["kb.yaml:2:68: nesting deeper than 64 levels"],
    "bad_url": [
        "kb.yaml:3:52: source 'src1': url 'javascript:alert(1)' is not an http(s) URL (e.g. https://example.org/a)"
    ],
    "lat_only": ["kb.yaml:14:15: event 'ev1': location: give both lat and lon, or neither"],
    "item_not_mapping": ["kb.yaml:14:5: events[1]: expected a mapping, got text ('just a string')"],
    "id_spaces": [
        "kb.yaml:8:9: event ' ev1': id ' ev1' is not a valid id (no control characters, no leading or trailing spaces)"
    ],
}


def test_table_covers_at_least_25_bad_inputs():
    assert len(CASES) >= 25
    assert set(CASES) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_reports_located_messages(name):
    with pytest.raises(gk.LoadError) as exc_info:
        gk.loads(CASES[name], name="kb.yaml")
    assert [str(d) for d in exc_info.value.diagnostics] == EXPECTED[name]


def test_base_document_is_valid():
    kb = gk.loads(BASE, name="kb.yaml")
    assert kb.events["ev1"].target == "RUS"


def test_every_diagnostic_has_a_code_and_position():
    for name, text in CASES.items():
        with pytest.raises(gk.LoadError) as exc_info:
            gk.loads(text, name="kb.yaml")
        for diagnostic in exc_info.value.diagnostics:
            assert diagnostic.line >= 1 and diagnostic.column >= 1, name
            assert diagnostic.code and diagnostic.code == diagnostic.code.lower(), name
