"""Loading: YAML 1.2 scalars, safety limits, several files, locations of items."""

import time
import tracemalloc

import pytest

import graphkit as gk

HEADER = "format_version: 1\n"
ACTORS = """format_version: 1
actors:
  - {id: "NO", name: Norway, kind: state, country: NOR, aliases: [on, off, yes]}
  - {id: RUS, name: Russia, kind: state}
"""
EVENTS = """format_version: 1
sources:
  - {id: s1, title: "Report: 12:30:00", reliability: C, published: 2024-10}
events:
  - id: e1
    type: meeting
    date: 2024-10-23
    actor: "NO"
    target: RUS
    sources: [s1]
    quantities: [{value: 012, unit: delegates}]
"""


def test_yaml_12_scalars_stay_what_the_editor_shows(write_yaml):
    kb = gk.load(write_yaml("actors.yaml", ACTORS), write_yaml("events.yaml", EVENTS))
    norway = kb.actors["NO"]
    assert norway.aliases == ["on", "off", "yes"]
    assert kb.sources["s1"].title == "Report: 12:30:00"
    assert kb.events["e1"].quantities[0].value == 12
    assert str(kb.sources["s1"].published) == "2024-10"


def test_a_directory_merges_its_files_and_checks_references_across_them(tmp_path, write_yaml):
    write_yaml("kb/actors.yaml", ACTORS)
    write_yaml("kb/sub/events.yml", EVENTS)
    kb = gk.load(tmp_path / "kb")
    assert len(kb.actors) == 2 and len(kb.events) == 1
    assert kb.origins["e1"].file.endswith("events.yml")
    assert (kb.origins["e1"].line, kb.origins["e1"].column) == (5, 5)
    assert (kb.origins["RUS"].line, kb.origins["RUS"].column) == (4, 5)


def test_duplicate_ids_across_files_name_both_places(write_yaml):
    first = write_yaml("a.yaml", ACTORS)
    second = write_yaml("b.yaml", HEADER + "actors:\n  - {id: RUS, name: Rossiya, kind: state}\n")
    with pytest.raises(gk.LoadError) as exc_info:
        gk.load([first, second])
    assert [str(d) for d in exc_info.value.diagnostics] == [
        f"{second}:3:10: actor 'RUS': duplicate id (first defined at {first}:4:10)"
    ]


def test_all_errors_of_all_files_are_reported_together(write_yaml):
    first = write_yaml("a.yaml", HEADER + "actors:\n  - {id: A, name: A, kind: nation}\n")
    second = write_yaml(
        "b.yaml", HEADER + "events:\n  - {id: e, type: meeting, date: 2024-02-30}\n"
    )
    with pytest.raises(gk.LoadError) as exc_info:
        gk.load(first, second)
    assert [d.file for d in exc_info.value.diagnostics] == [str(first), str(second)]


def test_a_missing_path_is_a_located_error(tmp_path):
    with pytest.raises(gk.LoadError, match="no such file or directory"):
        gk.load(tmp_path / "missing.yaml")


def test_non_utf8_file_is_reported(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(
        HEADER.encode() + "actors: [{id: A, name: Bogotá, kind: state}]\n".encode("latin-1")
    )
    with pytest.raises(gk.LoadError, match="not UTF-8"):
        gk.load(path)


@pytest.mark.parametrize("fast", ["1", "0"], ids=["fast path", "precise"])
def test_crlf_files_load_like_lf_files(tmp_path, monkeypatch, fast):
    monkeypatch.setenv("GRAPHKIT_FAST", fast)
    lf, crlf = tmp_path / "lf.yaml", tmp_path / "crlf.yaml"
    actors = "actors: [{id: 'NO', name: N, kind: state}, {id: RUS, name: R, kind: state}]\n"
    text = EVENTS.replace("sources:\n", actors + "sources:\n")
    lf.write_bytes(text.encode())
    crlf.write_bytes(text.replace("\n", "\r\n").encode())
    a, b = gk.load(lf), gk.load(crlf)
    assert a.document == b.document
    assert [(o.line, o.column) for o in a.origins.values()] == [
        (o.line, o.column) for o in b.origins.values()
    ]


def test_alias_bomb_fails_fast_with_bounded_memory():
    lines = ['a: &a ["' + "x" * 8 + '"' + ', "lol"' * 8 + "]"]
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    text = HEADER + "\n".join(lines) + "\n"
    assert len(text) < 600
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(gk.LoadError, match="anchors and aliases"):
        gk.loads(text)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 5_000_000  # 9**8 strings would need gigabytes
    assert elapsed < 1.0


def test_very_deep_nesting_is_a_located_error_not_a_recursion_error():
    text = HEADER + "x: " + "[" * 5000 + "]" * 5000 + "\n"
    with pytest.raises(gk.LoadError) as exc_info:
        gk.loads(text, name="deep.yaml")
    (diagnostic,) = exc_info.value.diagnostics
    assert diagnostic.file == "deep.yaml" and diagnostic.line == 2
    assert "nesting" in diagnostic.message


def test_python_tags_never_execute(tmp_path):
    marker = tmp_path / "pwned"
    text = HEADER + f"x: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(gk.LoadError, match="is not allowed"):
        gk.loads(text)
    assert not marker.exists()


def test_one_invalid_item_does_not_cascade_into_reference_errors():
    text = (
        HEADER
        + """sources:
  - {id: s1, title: T, reliability: Z}
actors:
  - {id: A, name: A, kind: state}
events:
  - {id: e1, type: statement, date: 2024, actor: A, sources: [s1]}
  - {id: e2, type: statement, date: 2024, actor: B, sources: [s1]}
"""
    )
    with pytest.raises(gk.LoadError) as exc_info:
        gk.loads(text, name="kb.yaml")
    assert [d.code for d in exc_info.value.diagnostics] == ["bad-choice", "unknown-reference"]


def test_knowledge_base_declares_its_own_types():
    text = (
        HEADER
        + """event_types:
  - {id: drone_incursion, label: Drone incursion, goldstein: -5.0, hostility: 3}
relation_types:
  - {id: hosts_base_of, symmetric: false}
actors:
  - {id: A, name: A, kind: state}
  - {id: B, name: B, kind: state}
relations:
  - {id: r, type: hosts_base_of, from: A, to: B}
events:
  - {id: e, type: drone_incursion, date: 2024-10, actor: A, target: B}
"""
    )
    kb = gk.loads(text)
    assert kb.vocabulary.event_types["drone_incursion"].hostility == 3
    assert "troop_deployment" in kb.vocabulary.event_types  # shipped types stay


def test_garbage_collector_state_is_restored_after_a_load():
    import gc

    assert gc.isenabled()
    gk.loads(ACTORS)
    assert gc.isenabled()
    with pytest.raises(gk.LoadError):
        gk.loads("format_version: 1\nactors: 5\n")
    assert gc.isenabled()


def test_origins_of_a_file_are_listed_on_first_lookup_only():
    from graphkit.io.loader import Origins

    calls = []

    def listing():
        calls.append(1)
        return {"x": (2, 3)}

    origins = Origins()
    origins.add("a.yaml", {"x": (1, 1), "y": (5, 1)})
    origins.add("b.yaml", listing)
    assert calls == []
    assert str(origins["x"]) == "b.yaml:2:3" and str(origins["y"]) == "a.yaml:5:1"
    assert sorted(origins) == ["x", "y"] and len(origins) == 2
    assert calls == [1]
