"""Tests of the synthetic knowledge-base generator ``benchmarks.generate``."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks import generate as gen  # noqa: E402

DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
ID_PATTERNS = {
    "sources": re.compile(r"^src-\d{6}$"),
    "actors": re.compile(r"^A\d{4,}$"),
    "relations": re.compile(r"^rel-\d{6}$"),
    "events": re.compile(r"^ev-\d{6}$"),
}
EVENT_MIN = dt.date(2015, 1, 1)
EVENT_MAX = dt.date(2025, 12, 31)


def span(text: str) -> tuple[dt.date, dt.date]:
    """First and last day covered by a partial date; raises on an invalid one."""
    m = DATE_RE.match(text)
    assert m, f"bad date {text!r}"
    year, month, day = int(m[1]), m[2], m[3]
    if day is not None:
        d = dt.date(year, int(month), int(day))  # raises on 2023-02-30
        return d, d
    if month is not None:
        first = dt.date(year, int(month), 1)
        nxt = dt.date(year + 1, 1, 1) if first.month == 12 else dt.date(year, first.month + 1, 1)
        return first, nxt - dt.timedelta(days=1)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def assert_ordered(start: str, end: str) -> None:
    """End not before start, under the strictest reading (first and last days both ordered)."""
    s_first, s_last = span(start)
    e_first, e_last = span(end)
    assert e_first >= s_first and e_last >= s_last, (start, end)


def all_strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *all_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in all_strings(v)]
    return []


def source_ref_ids(refs: list[Any]) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for ref in refs:
        if isinstance(ref, str):
            out.append((ref, None))
        else:
            assert set(ref) <= {"source", "according_to", "note"}
            out.append((ref["source"], ref.get("according_to")))
    return out


def check_document(doc: dict[str, Any]) -> None:
    """Assert that ``doc`` is valid under docs/format.md (the parts the generator uses)."""
    assert list(doc) == ["format_version", "sources", "actors", "relations", "events"]
    assert doc["format_version"] == 1
    ids: set[str] = set()
    for section, pattern in ID_PATTERNS.items():
        for item in doc[section]:
            assert pattern.match(item["id"]), item["id"]
            assert item["id"] not in ids, f"duplicate id {item['id']}"
            ids.add(item["id"])
    sources = {s["id"] for s in doc["sources"]}
    actors = {a["id"]: a for a in doc["actors"]}
    for text in all_strings(doc):
        assert CONTROL_RE.search(text) is None, repr(text)
        assert text == text.strip() and text, repr(text)

    for s in doc["sources"]:
        assert s["title"]
        assert s["reliability"] in "ABCDEF" and len(s["reliability"]) == 1
        assert s["kind"] in gen._SOURCE_KINDS
        assert re.match(r"^[a-z]{2}$", s["language"])
        if "url" in s:
            assert re.match(r"^https://[a-z]+\.example\.org/a/\d+$", s["url"]), s["url"]
        if "published" in s:
            span(s["published"])

    for a in actors.values():
        assert a["kind"] in gen.ACTOR_KINDS
        assert a["name"]
        assert 0 < len(a.get("aliases", [None])) <= 2
        assert len(set(a.get("aliases", []))) == len(a.get("aliases", []))
        if "country" in a:
            assert re.match(r"^[A-Z]{3}$", a["country"])
        if a["kind"] == "state":
            assert "country" in a
        if a["kind"] in ("agency", "armed_force", "person"):
            assert a["part_of"] in actors and a["part_of"] != a["id"]
            if a["kind"] != "person":
                assert actors[a["part_of"]]["kind"] == "state"
    state_codes = [a["country"] for a in actors.values() if a["kind"] == "state"]
    assert len(state_codes) == len(set(state_codes))  # unique up to 17,576 states

    for r in doc["relations"]:
        assert r["type"] in gen.RELATION_TYPES
        assert r["from"] in actors and r["to"] in actors and r["from"] != r["to"]
        span(r["start"])
        if "end" in r:
            assert_ordered(r["start"], r["end"])
        assert 1 <= len(r["sources"]) <= 2
        for sid, according_to in source_ref_ids(r["sources"]):
            assert sid in sources
            assert according_to is None or according_to in actors
        assert r["credibility"] in range(1, 7)

    for e in doc["events"]:
        assert e["type"] in gen.EVENT_TYPES
        date = e["date"]
        if isinstance(date, str):
            first, last = span(date)
        elif "earliest" in date:
            assert set(date) == {"earliest", "latest"}
            first, _ = span(date["earliest"])
            _, last = span(date["latest"])
            assert_ordered(date["earliest"], date["latest"])
            assert (last - first).days <= 14
        else:
            assert set(date) == {"start", "end"}
            first, _ = span(date["start"])
            _, last = span(date["end"])
            assert_ordered(date["start"], date["end"])
        assert EVENT_MIN <= first <= last <= EVENT_MAX, date
        involved = [e["actor"], e["target"], *(p["actor"] for p in e.get("participants", []))]
        assert all(i in actors for i in involved)
        assert len(set(involved)) == len(involved)
        assert 1 <= len(e.get("participants", [None])) <= 2
        for p in e.get("participants", []):
            assert re.match(r"^[a-z][a-z0-9_]*$", p["role"])
        if "location" in e:
            loc = e["location"]
            assert set(loc) == {"name", "lat", "lon", "country"}
            assert -90 <= loc["lat"] <= 90 and -180 <= loc["lon"] <= 180
            assert isinstance(loc["lat"], float) and isinstance(loc["lon"], float)
        for q in e.get("quantities", []):
            assert q["unit"] in ("soldiers", "killed", "shells", "missiles")
            assert any(k in q for k in ("value", "min", "max"))
            lo, hi = q.get("min", float("-inf")), q.get("max", float("inf"))
            assert lo <= hi
            if "value" in q:
                assert lo <= q["value"] <= hi
            assert q.get("kind", "total") in ("total", "increment")
            if "by" in q:
                assert q["planned"] is True
                span(q["by"])
        assert 1 <= len(e.get("quantities", [None])) <= 2
        if "quote" in e:
            assert e["quote"]["speaker"] in actors
        assert 40 <= len(e["summary"]) <= 250
        assert 1 <= len(e["sources"]) <= 2
        refs = source_ref_ids(e["sources"])
        assert len({sid for sid, _ in refs}) == len(refs)
        for sid, according_to in refs:
            assert sid in sources
            if according_to is not None:
                assert actors[according_to]["kind"] == "agency"
        assert e["credibility"] in range(1, 7)


def test_deterministic_bytes(tmp_path: Path) -> None:
    files = []
    for run, seed in enumerate((3, 3, 4)):
        doc = gen.generate(500, seed)
        y, j = tmp_path / f"{run}.yaml", tmp_path / f"{run}.json"
        gen.write_yaml(doc, y)
        gen.write_json(doc, j)
        files.append((y.read_bytes(), j.read_bytes()))
    assert files[0] == files[1]
    assert files[0][0] != files[2][0] and files[0][1] != files[2][1]


def test_draws_are_those_of_random_random() -> None:
    """The generator's fast draws take the same numbers from the same state as random.Random."""
    import random

    ours, twin = gen._Draws(7), random.Random(7)
    seqs = [
        (0, 1),
        tuple(range(3)),
        tuple(range(17)),
        tuple(range(1000)),
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    ]
    cum = gen._cum((8, 4, 4, 10, 10))
    for _ in range(300):
        for seq in seqs:
            assert ours.choice(seq) == twin.choice(seq)
        for n in (1, 2, 7, 100, 2**20 + 3):
            assert ours.randrange(n) == twin.randrange(n)
            assert ours.randrange(5, 5 + n) == twin.randrange(5, 5 + n)
            assert ours.randint(-3, n) == twin.randint(-3, n)
        assert ours.pick("abcde", cum) == twin.choices("abcde", cum_weights=cum)[0]
        for n, k in ((2, 2), (5, 1), (21, 3), (22, 2), (50_000, 2), (100, 5), (30, 6)):
            assert ours.sample(range(n), k) == twin.sample(range(n), k)
        assert ours.uniform(-1.5, 2.0) == twin.uniform(-1.5, 2.0)
        assert ours.random() == twin.random()


def test_country_codes_past_every_three_letter_code() -> None:
    """About 22,000 states at a million events: codes stay unique until all 17,576 are taken."""
    generator = gen._Generator(0, 3)
    codes = [generator._country_code(name) for name in ("Kalarvia", "Kalarvia", "Xy") * 6000]
    assert all(re.fullmatch(r"[A-Z]{3}", code) for code in codes)
    first = codes[: 26**3]
    assert len(set(first)) == 26**3  # every code once before any repeats
    assert codes[26**3 :] == first[: len(codes) - 26**3]  # then again in the order first given
    assert codes[0] == "KAL"  # derived from the name while free


def test_generate_does_not_touch_global_random() -> None:
    import random

    random.seed(1)
    expected = random.random()
    random.seed(1)
    gen.generate(50, 9)
    assert random.random() == expected


@pytest.mark.parametrize(
    ("n", "actors", "sources"),
    [(0, 10, 5), (7, 10, 5), (99, 10, 5), (1000, 100, 50), (2345, 234, 117)],
)
def test_counts(n: int, actors: int, sources: int) -> None:
    doc = gen.generate(n, 1)
    assert len(doc["events"]) == n
    assert len(doc["relations"]) == n
    assert len(doc["actors"]) == actors
    assert len(doc["sources"]) == sources
    check_document(doc)


@pytest.mark.parametrize("seed", [0, 1, 2, 12345])
def test_valid_and_referentially_intact(seed: int) -> None:
    check_document(gen.generate(2000, seed))


def test_every_actor_kind_present_at_minimum_size() -> None:
    kinds = {a["kind"] for a in gen.generate(10, 0)["actors"]}
    assert kinds == set(gen.ACTOR_KINDS)


def test_mix_of_content() -> None:
    doc = gen.generate(5000, 42)
    events, relations = doc["events"], doc["relations"]
    n = len(events)

    def share(pred: Any, items: list[dict[str, Any]]) -> float:
        return sum(1 for x in items if pred(x)) / len(items)

    def date_form(d: Any) -> str:
        if isinstance(d, dict):
            return "bounds" if "earliest" in d else "duration"
        return {10: "day", 7: "month", 4: "year"}[len(d)]

    forms = Counter(date_form(e["date"]) for e in events)
    expected = {"day": 0.70, "month": 0.15, "year": 0.05, "bounds": 0.05, "duration": 0.05}
    for form, p in expected.items():
        assert abs(forms[form] / n - p) < 0.03, (form, forms)
    assert abs(share(lambda e: "location" in e, events) - 0.6) < 0.04
    assert abs(share(lambda e: "quantities" in e, events) - 0.3) < 0.04
    assert abs(share(lambda r: "end" in r, relations) - 0.3) < 0.04
    assert set(Counter(e["type"] for e in events)) == set(gen.EVENT_TYPES)
    assert set(Counter(r["type"] for r in relations)) == set(gen.RELATION_TYPES)
    assert {len(r["start"]) for r in relations} == {4, 7, 10}
    quantities = [q for e in events for q in e.get("quantities", [])]
    assert any(q.get("planned") and "by" in q for q in quantities)
    assert any(q.get("estimate") for q in quantities)
    assert {q.get("kind") for q in quantities} >= {"total", "increment"}
    refs = [r for e in events for r in e["sources"]]
    assert any(isinstance(r, dict) for r in refs) and any(isinstance(r, str) for r in refs)
    assert any("url" not in s for s in doc["sources"])
    assert {len(a.get("aliases", [])) for a in doc["actors"]} == {0, 1, 2}
    assert 60 <= sum(len(e["summary"]) for e in events) / n <= 140


def test_yaml_matches_json(tmp_path: Path) -> None:
    doc = gen.generate(200, 5)
    gen.write_yaml(doc, tmp_path / "kb.yaml")
    gen.write_json(doc, tmp_path / "kb.json")
    from_yaml = yaml.load((tmp_path / "kb.yaml").read_text("utf-8"), Loader=yaml.CSafeLoader)
    from_json = json.loads((tmp_path / "kb.json").read_bytes())
    assert from_yaml == from_json == doc
    # Same types too (1 is not 1.0, "2024" is not 2024).
    assert json.dumps(from_yaml, sort_keys=True) == json.dumps(from_json, sort_keys=True)


def test_yaml_writer_escapes_any_string() -> None:
    tricky = [
        'say "hi"',
        "back\\slash",
        "tab\tnew\nline\r",
        "NUL\x00 bell\x07 esc\x1b del\x7f c1\x80\x9f",
        "nel\x85 ls\u2028 ps\u2029",
        "Corée du Nord, Северная Корея, 북한, 朝鲜, كوريا",
        "emoji \U0001f600 bom \ufeff",
        "  padded  ",
        "",
        "# not a comment",
        "- not a list",
        "key: value",
        "yes",
        "12:30:00",
        "2024-10-23",
        "012",
        "null",
    ]
    doc: dict[str, Any] = {
        "format_version": 1,
        "strings": tricky,
        "empty": [],
        "items": [
            {"on": 1, "yes": 2, "with space": 3, "Ünï": 4, "": 5, "n": 6},
            {"floats": [0.0, -0.0, 1e-05, 1e20, 43.1, -179.9999, 1.5e300]},
            {"misc": [True, False, None, {}, [], {"a": []}, -7, 2**53]},
            "scalar item",
            [1, "two"],
        ],
    }
    text = gen.dump_yaml(doc)
    assert yaml.load(text, Loader=yaml.CSafeLoader) == doc
    assert yaml.load(text, Loader=yaml.SafeLoader) == doc
    assert json.loads(gen.dump_json(doc)) == doc


@pytest.mark.parametrize("jobs", [1, 2])
def test_write_files_in_two_processes_writes_the_same_bytes(tmp_path: Path, jobs: int) -> None:
    doc = gen.generate(9000, 4)  # three pieces of items: the child renders some of them
    gen.write_files(doc, tmp_path / "kb.yaml", tmp_path / "kb.json", jobs=jobs)
    assert (tmp_path / "kb.yaml").read_bytes() == gen.dump_yaml(doc).encode("utf-8")
    assert (tmp_path / "kb.json").read_bytes() == gen.dump_json(doc)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb.json", "kb.yaml"]
    gen.write_files(doc, tmp_path / "only.yaml", None, jobs=jobs)
    assert (tmp_path / "only.yaml").read_bytes() == (tmp_path / "kb.yaml").read_bytes()


def test_yaml_writer_rejects_unwritable_values() -> None:
    with pytest.raises(ValueError):
        gen.dump_yaml({"x": [float("nan")]})
    with pytest.raises(ValueError):
        gen.dump_yaml({"x": ["\ud800"]})
    with pytest.raises(TypeError):
        gen.dump_yaml({"x": [object()]})


def test_json_fallback_matches_orjson(monkeypatch: pytest.MonkeyPatch) -> None:
    if not gen.HAVE_ORJSON:
        pytest.skip("orjson is not installed")
    doc = gen.generate(300, 8)
    fast = gen.dump_json(doc)
    monkeypatch.setattr(gen, "_orjson", None)
    assert gen.dump_json(doc) == fast


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "benchmarks.generate", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_writes_yaml_and_json(tmp_path: Path) -> None:
    out = tmp_path / "kb.yaml"
    result = run_cli("--events", "120", "--seed", "5", "-o", str(out))
    assert result.returncode == 0, result.stderr
    doc = gen.generate(120, 5)
    assert out.read_bytes() == gen.dump_yaml(doc).encode("utf-8")
    assert (tmp_path / "kb.json").read_bytes() == gen.dump_json(doc)
    assert "120 events" in result.stderr


def test_cli_json_path_and_no_json(tmp_path: Path) -> None:
    other = tmp_path / "sub.json"
    result = run_cli("--events", "30", "-o", str(tmp_path / "a.yaml"), "--json", str(other), "-q")
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and result.stdout == ""
    assert other.exists() and not (tmp_path / "a.json").exists()
    assert json.loads(other.read_bytes()) == gen.generate(30, 0)

    result = run_cli("--events", "30", "-o", str(tmp_path / "b.yaml"), "--no-json")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "b.yaml").exists() and not (tmp_path / "b.json").exists()


def test_cli_rejects_bad_arguments(tmp_path: Path) -> None:
    assert run_cli("--events", "-1", "-o", str(tmp_path / "x.yaml")).returncode == 2
    assert run_cli("-o", str(tmp_path / "x.yaml")).returncode == 2
    both = run_cli("--events", "5", "-o", str(tmp_path / "x.yaml"), "--no-json", "--json", "y")
    assert both.returncode == 2


@pytest.mark.parametrize("seed", [0, 11])
def test_graphkit_loads_generated_file(tmp_path: Path, seed: int) -> None:
    import graphkit

    path = tmp_path / "kb.yaml"
    gen.write_yaml(gen.generate(300, seed), path)
    kb = graphkit.load(path)
    assert len(kb.events) == 300
    assert len(kb.relations) == 300
    assert len(kb.actors) == 30
    assert len(kb.sources) == 15


@pytest.mark.parametrize("jobs", [1, 2])
def test_generate_files_writes_what_generate_and_write_files_write(
    tmp_path: Path, jobs: int
) -> None:
    """Drawing the events while a child renders the other sections changes no byte."""
    doc = gen.generate_files(9000, 4, tmp_path / "kb.yaml", tmp_path / "kb.json", jobs=jobs)
    assert doc == gen.generate(9000, 4)  # relations of three pieces, events of three
    assert (tmp_path / "kb.yaml").read_bytes() == gen.dump_yaml(doc).encode("utf-8")
    assert (tmp_path / "kb.json").read_bytes() == gen.dump_json(doc)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb.json", "kb.yaml"]
    gen.generate_files(0, 4, tmp_path / "empty.yaml", None, jobs=jobs)
    assert (tmp_path / "empty.yaml").read_bytes() == gen.dump_yaml(gen.generate(0, 4)).encode()


def test_generate_files_without_orjson_sends_events_by_pickle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gen, "_orjson", None)
    doc = gen.generate_files(5000, 2, tmp_path / "kb.yaml", None)
    assert (tmp_path / "kb.yaml").read_bytes() == gen.dump_yaml(doc).encode("utf-8")


#: SHA-256 of the YAML and JSON of ``generate(n, seed)`` as the generator wrote them before its
#: draws were spelled out inline (main at 5d84781): the inline draws must give the same bytes.
PINNED = {
    (0, 1): (
        "2e1f600306cc55480fa9d788caddc9842940a06c38f94b7b2e56f01ec1f5902e",
        "250a23ac64fa5e87ed054a8457255b44278992165a36bfbde51b577f35fa7c17",
    ),
    (50, 1): (
        "93a698af4223d68ed0e7252d3eea81263b2ba5c3a931af2bdfb480d64ee3b843",
        "859e6ceef841279b73d0259c79bb18f54f8225f6391f92f4a19b01336dbea8a9",
    ),
    (300, 2): (
        "09e49447f04ed27cc6b8cf51373a5827185b6cba4dd45f7d2744625502359b23",
        "83c3e8fd31c6dd7771503cb1d5a809aa8355493d7c92bbd3bdab649528012264",
    ),
    (1500, 3): (
        "174c71c7a49387fbe4fd5cd751ce18bc5f115001f64c00cbf8f16494493e7e41",
        "df6f235d96a620a09c021ec37bfe44df735bd4431c4525c401680ae790f4c3fc",
    ),
}


@pytest.mark.parametrize(("n", "seed"), sorted(PINNED))
def test_same_bytes_as_before_the_draws_were_inlined(n: int, seed: int) -> None:
    """Small sizes (20 sources or fewer: random.sample's pool) and larger ones (its set)."""
    import hashlib

    doc = gen.generate(n, seed)
    yaml_digest = hashlib.sha256(gen.dump_yaml(doc).encode("utf-8")).hexdigest()
    json_digest = hashlib.sha256(gen.dump_json(doc)).hexdigest()
    assert (yaml_digest, json_digest) == PINNED[(n, seed)]
