"""Streaming writers, IRIs from hostile ids, the export command and load_kb on RDF files."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

import graphkit as gk
from graphkit.cli import main
from graphkit.model import Document
from graphkit.rdf import (
    InvalidIriError,
    decode,
    encode,
    from_rdf,
    iter_triples,
    serialize,
    to_rdf,
    write_ntriples,
)

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_IDS = [
    "a b",
    'q"uote',
    "<angle>",
    "é北",
    "h#ash",
    "s/lash",
    "p%25ct",
    "..",
    ".",
    "x}y{z;",
    "\\back`",
]


def _failing_on_call(n: int):  # type: ignore[no-untyped-def]
    """A stand-in for ``NTriples.text`` that writes ``x`` lines and raises on its ``n``-th call."""
    calls = 0

    def failing(self: object, chunk: list) -> str:  # type: ignore[type-arg]
        nonlocal calls
        calls += 1
        if calls == n:
            raise RuntimeError("disk on fire")
        return "x\n"

    return failing


@pytest.fixture(scope="module")
def generated() -> gk.KnowledgeBase:
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import generate

    return gk.KnowledgeBase.from_document(Document.model_validate(generate(400, 7)))


@pytest.fixture(scope="module")
def generated_graph(generated: gk.KnowledgeBase):
    return to_rdf(generated)


@pytest.mark.parametrize("fmt", ["nt", "nq", "turtle", "trig", "json-ld"])
def test_streaming_writers_produce_the_rdflib_triples(
    generated, generated_graph, fmt: str, tmp_path
) -> None:
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from graphkit.rdf import RDF_FORMATS, read_triples

    expected = generated_graph
    text = serialize(generated, fmt)
    if fmt in ("trig", "json-ld", "nq"):  # rdflib 7.6 warns parsing these: use pyoxigraph's
        ours, theirs = tmp_path / f"ours{RDF_FORMATS[fmt][1]}", tmp_path / "theirs.nt"
        ours.write_text(text, encoding="utf-8")
        theirs.write_text(expected.serialize(format="nt"), encoding="utf-8")
        assert set(read_triples(ours)) == set(read_triples(theirs))
        return
    parsed = Graph().parse(data=text, format=RDF_FORMATS[fmt][0])
    assert set(parsed) == set(expected)
    assert isomorphic(parsed, expected)


def test_ntriples_stream_counts_unique_triples(generated, generated_graph) -> None:
    buffer = io.StringIO()
    count = write_ntriples(generated, buffer)
    lines = buffer.getvalue().splitlines()
    assert count == len(lines)
    assert len(set(lines)) == len(generated_graph)
    from collections import Counter

    repeated = {line for line, n in Counter(lines).items() if n > 1}
    # only the direct actor-to-actor triple repeats, when two relations link the same pair
    assert all(" <https://graphkit.example.org/ns/relation/" in line for line in repeated)
    assert sum(len(chunk) for chunk in iter_triples(generated)) == count


def test_write_rdf_files_writes_both_formats_in_one_pass(generated, tmp_path) -> None:
    from graphkit.rdf import write_rdf_files, write_turtle

    targets = {"turtle": tmp_path / "kb.ttl", "nt": tmp_path / "kb.nt"}
    count = write_rdf_files(generated, targets)
    nt, ttl = io.StringIO(), io.StringIO()
    assert write_ntriples(generated, nt) == count
    write_turtle(generated, ttl)
    assert targets["nt"].read_text(encoding="utf-8") == nt.getvalue()
    assert targets["turtle"].read_text(encoding="utf-8") == ttl.getvalue()


@pytest.mark.parametrize(
    "base", ["https://example.org/kb/", "https://example.org/kb#", "urn:graphkit:kb:"]
)
def test_write_rdf_files_is_the_text_of_each_writer(base: str, tmp_path) -> None:
    """The one-pass formatter of both files writes exactly what each format's writer does, for
    hostile ids (escapes, relative and prefixed IRIs), any base, and each file alone."""
    from graphkit.rdf import write_rdf_files

    odd = ' \\ " é'  # backslash, quote, non-ASCII (and line breaks in the summary)
    actors = "\n".join(
        f"  - {{id: {_q(i)}, name: {_q('n ' + i + odd)}, kind: state, aliases: [{_q(i)}]}}"
        for i in HOSTILE_IDS
    )
    kb = gk.loads(
        'format_version: 1\nsources: [{id: "s <1>", title: "T", reliability: B}]\nactors:\n'
        + actors
        + "\nevents:\n"
        + f"  - {{id: {_q('e/<1>#')}, type: meeting, date: 2024-10, actor: {_q(HOSTILE_IDS[1])}, "
        + f"participants: [{{actor: {_q(HOSTILE_IDS[2])}, role: host}}], "
        + 'summary: "a\\nb\\"c\\\\", quote: {text: "x", language: fr}, '
        + "quantities: [{value: 1.5, kind: total, unit: soldiers}], "
        + f'sources: [{{source: "s <1>", according_to: {_q(HOSTILE_IDS[0])}}}]}}\n'
    )
    both = {"turtle": tmp_path / "kb.ttl", "nt": tmp_path / "kb.nt"}
    write_rdf_files(kb, both, base=base)
    for fmt, path in both.items():
        assert path.read_text(encoding="utf-8") == serialize(kb, fmt, base=base), fmt
        alone = tmp_path / f"alone-{path.name}"
        write_rdf_files(kb, {fmt: alone}, base=base)
        assert alone.read_bytes() == path.read_bytes(), fmt
    assert r'"a\nb\"c\\"' in both["nt"].read_text(encoding="utf-8")  # escaped once, both files
    assert r'"a\nb\"c\\"' in both["turtle"].read_text(encoding="utf-8")


def test_write_rdf_files_leaves_nothing_half_written(generated, tmp_path, monkeypatch) -> None:
    from graphkit.rdf import RdfError, write_rdf_files

    with pytest.raises(RdfError, match="cannot stream RDF format 'xml'"):
        write_rdf_files(generated, {"xml": tmp_path / "kb.rdf"})
    (tmp_path / "kb.nt").write_text("old\n", encoding="utf-8")
    from graphkit.rdf import _templates

    event = _templates.ItemTexts.event
    calls = 0

    def failing_event(self: _templates.ItemTexts, item: object) -> object:
        nonlocal calls
        calls += 1
        if calls == 50:
            raise RuntimeError("disk on fire")
        return event(self, item)  # type: ignore[arg-type]

    monkeypatch.setattr(_templates.ItemTexts, "event", failing_event)
    with pytest.raises(RuntimeError, match="disk on fire"):
        write_rdf_files(generated, {"turtle": tmp_path / "kb.ttl", "nt": tmp_path / "kb.nt"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb.nt"]  # no temporary file left
    assert (tmp_path / "kb.nt").read_text(encoding="utf-8") == "old\n"


@pytest.mark.parametrize("item_id", HOSTILE_IDS)
def test_encoding_is_reversible_and_legal(item_id: str) -> None:
    from graphkit.rdf.iri import check_iri

    segment = encode(item_id)
    assert decode(segment) == item_id
    assert "/" not in segment and "#" not in segment and segment not in (".", "..")
    check_iri("https://x.org/" + segment)


def test_decode_rejects_garbage() -> None:
    with pytest.raises(InvalidIriError):
        decode("bad%zz")
    with pytest.raises(InvalidIriError):
        decode("%C3")


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld", "trig", "xml"])
def test_hostile_ids_survive_every_format(fmt: str, tmp_path) -> None:
    actors = "\n".join(
        f"  - {{id: {_q(i)}, name: {_q('name ' + i)}, kind: state, aliases: [{_q(i)}]}}"
        for i in HOSTILE_IDS
    )
    kb = gk.loads(
        'format_version: 1\nsources: [{id: "s <1>", title: T, reliability: B}]\nactors:\n'
        + actors
        + "\nevents:\n"
        + f"  - {{id: {_q('e/<1>#')}, type: meeting, date: 2024, actor: {_q(HOSTILE_IDS[1])}, "
        + f'participants: [{{actor: {_q(HOSTILE_IDS[2])}, role: host}}], sources: [{{source: "s <1>", according_to: {_q(HOSTILE_IDS[0])}}}]}}\n'
    )
    from graphkit.rdf import RDF_FORMATS

    path = tmp_path / f"kb{RDF_FORMATS[fmt][1]}"
    path.write_text(serialize(kb, fmt), encoding="utf-8")
    again = from_rdf(path)
    assert again == kb
    assert again.events[0 if False else "e/<1>#"].participants[0].actor == "<angle>"


@pytest.mark.parametrize(
    "base",
    [
        "https://example.org/kb/",
        "https://example.org/a%20b/kb/",
        "https://example.org/kb#",
        "urn:graphkit:kb:",
        "https://example.org/search?q=/",
        "https://example.org/",
    ],
)
def test_turtle_relative_iris_resolve_to_the_minted_ones(base: str, tmp_path) -> None:
    """Two independent parsers read the Turtle (with @base where the base allows it) as the
    N-Triples, whose IRIs are all absolute."""
    import pyoxigraph
    from rdflib import Graph

    kb = gk.loads(
        "format_version: 1\nactors:\n"
        + "\n".join(f"  - {{id: {_q(i)}, name: N, kind: state}}" for i in HOSTILE_IDS)
    )
    turtle, triples = serialize(kb, "turtle", base=base), serialize(kb, "nt", base=base)
    assert turtle.startswith(f"@base <{base}> .") == (base.endswith("/") and "?" not in base)

    def ox(text: str, fmt: pyoxigraph.RdfFormat) -> set[str]:
        return {str(t) for t in pyoxigraph.parse(text.encode(), format=fmt)}

    assert ox(turtle, pyoxigraph.RdfFormat.TURTLE) == ox(triples, pyoxigraph.RdfFormat.N_TRIPLES)
    assert set(Graph().parse(data=turtle, format="turtle")) == set(
        Graph().parse(data=triples, format="nt")
    )
    assert len(turtle) < len(triples)


def test_export_command_streams_every_rdf_format(generated, tmp_path, monkeypatch, capsys) -> None:
    """graphkit export writes an item at a time: it never calls serialize (the whole text)."""
    from graphkit.io.dump import dump_yaml
    from graphkit.rdf import export

    source = tmp_path / "kb.yaml"
    source.write_text(dump_yaml(generated.document), encoding="utf-8")
    expected = {fmt: serialize(generated, fmt) for fmt in ("nt", "nq", "turtle", "trig", "json-ld")}
    expected["nq-g"] = serialize(generated, "nq", graph="https://example.org/g")

    def whole_text(*args: object, **kwargs: object) -> str:
        raise AssertionError("graphkit export built the whole text")

    monkeypatch.setattr(export, "serialize", whole_text)
    for fmt in ("nt", "nq", "turtle", "trig", "json-ld"):
        target = tmp_path / f"out.{fmt}"
        assert main(["export", str(source), "--format", fmt, "-o", str(target)]) == 0
        assert target.read_text(encoding="utf-8") == expected[fmt], fmt
    capsys.readouterr()
    graph = ["--graph", "https://example.org/g"]
    assert main(["export", str(source), "--format", "nq", *graph]) == 0
    printed = capsys.readouterr().out
    assert printed == expected["nq-g"]
    assert all(line.endswith(" <https://example.org/g> .") for line in printed.splitlines())
    assert main(["export", str(source), "--format", "nq", "--graph", "not an iri"]) == 1


def test_split_writes_numbered_files_a_bulk_loader_takes(generated, tmp_path, capsys) -> None:
    import pyoxigraph

    from graphkit.io.dump import dump_yaml
    from graphkit.rdf import iter_triples

    source = tmp_path / "kb.yaml"
    source.write_text(dump_yaml(generated.document), encoding="utf-8")
    folder = tmp_path / "parts"
    folder.mkdir()
    (folder / "stale.nt").write_text("old\n", encoding="utf-8")  # replaced with the folder
    assert (
        main(["export", str(source), "--format", "nt", "--split", "5000", "-o", str(folder)]) == 0
    )
    parts = sorted(folder.iterdir())
    whole = serialize(generated, "nt")
    largest_item = max(len(chunk) for chunk in iter_triples(generated))
    assert [p.name for p in parts] == [f"part-{i:05d}.nt" for i in range(1, len(parts) + 1)]
    assert len(parts) >= 3
    assert "".join(p.read_text(encoding="utf-8") for p in parts) == whole
    for part in parts[:-1]:
        lines = part.read_text(encoding="utf-8").count("\n")
        assert 5000 <= lines < 5000 + largest_item
    store = pyoxigraph.Store()  # what a bulk loader does with them: load each file
    for part in parts:
        store.bulk_load(path=str(part), format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert len(store) == len(set(whole.splitlines()))
    assert sorted(tmp_path.iterdir()) == [source, folder]  # no staging folder left

    quads = tmp_path / "quads"
    args = ["--format", "nq", "--split", "100000", "-o", str(quads), "--graph", "https://ex.org/g"]
    assert main(["export", str(source), *args]) == 0
    (only,) = quads.iterdir()
    assert only.name == "part-00001.nq"
    assert only.read_text(encoding="utf-8") == serialize(generated, "nq", graph="https://ex.org/g")
    capsys.readouterr()
    assert (
        main(["export", str(source), "--format", "turtle", "--split", "10", "-o", str(quads)]) == 2
    )
    assert "--split writes nt or nq" in capsys.readouterr().err
    assert main(["export", str(source), "--format", "nt", "--split", "10"]) == 2
    assert main(["export", str(source), "--format", "nt", "--split", "0", "-o", str(quads)]) == 2
    assert only.exists()  # refused runs left the earlier output alone


def test_split_failure_leaves_the_folder_as_it_was(generated, tmp_path, monkeypatch) -> None:
    from graphkit.rdf import export, write_split

    folder = tmp_path / "parts"
    write_split(generated, folder, 3000)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    monkeypatch.setattr(export.NTriples, "text", _failing_on_call(200))
    with pytest.raises(RuntimeError, match="disk on fire"):
        write_split(generated, folder, 10)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["parts"]


def _q(text: str) -> str:
    import json

    return json.dumps(text)


def test_minted_iris(flagship) -> None:
    from rdflib import URIRef

    graph = to_rdf(flagship, base="https://example.org/kb#")
    subjects = {str(s) for s in graph.subjects()}
    assert "https://example.org/kb#actor/KOR-NIS" in subjects
    assert "https://example.org/kb#event/nis-3000-total-2024-10-23/quantity/2" in subjects
    assert (
        URIRef("https://example.org/kb#actor/PRK"),
        URIRef("http://www.w3.org/2002/07/owl#sameAs"),
        URIRef("http://www.wikidata.org/entity/Q423"),
    ) in graph
    with pytest.raises(InvalidIriError):
        to_rdf(flagship, base="https://example.org/no slash/")
    with pytest.raises(InvalidIriError):
        to_rdf(flagship, base="https://example.org/kb")


def test_partial_dates_keep_their_precision(flagship) -> None:
    text = serialize(flagship, "nt")
    assert '"2024-10"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>' in text
    assert "<http://www.w3.org/2006/time#inXSDgYear>" in text or "inXSDgYearMonth" in text


def test_export_command_and_rdf_input(tmp_path, capsys) -> None:
    flagship_path = ROOT / "data" / "events.yaml"
    ttl = tmp_path / "kb.ttl"
    assert main(["export", str(flagship_path), "--format", "turtle", "-o", str(ttl)]) == 0
    yaml_out = tmp_path / "kb.yaml"
    assert main(["export", str(ttl), "--format", "yaml", "-o", str(yaml_out)]) == 0
    assert gk.load(yaml_out) == gk.load(flagship_path)
    capsys.readouterr()
    assert main(["export", str(ttl), "--format", "nt"]) == 0
    assert capsys.readouterr().out.count(" .\n") == len(to_rdf(gk.load(flagship_path)))
    assert main(["info", str(ttl)]) == 0
    assert "events:     69" in capsys.readouterr().out
    assert main(["export", str(ttl), "--format", "nope"]) == 2
    err = capsys.readouterr().err
    for name in ("turtle", "json-ld", "nt", "xml", "trig", "yaml"):
        assert name in err
    assert main(["export", str(ttl), "--format", "nt", "--base", "not an iri/"]) == 1
    assert "base IRI" in capsys.readouterr().err


def test_rdf_and_yaml_files_merge(tmp_path, write_yaml) -> None:
    a = gk.loads("format_version: 1\nactors: [{id: A, name: A, kind: state}]")
    (tmp_path / "a.nt").write_text(serialize(a, "nt"), encoding="utf-8")
    b = write_yaml("b.yaml", "format_version: 1\nactors: [{id: B, name: B, kind: state}]\n")
    from graphkit.cli._app import load_kb

    kb = load_kb([tmp_path / "a.nt", b])
    assert sorted(kb.actors.ids()) == ["A", "B"]


def test_unreadable_rdf_is_a_clear_error(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    assert main(["info", str(bad)]) == 1
    assert "cannot parse as turtle" in capsys.readouterr().err
    incomplete = tmp_path / "incomplete.nt"
    incomplete.write_text(
        "<https://x.org/kb/source/s> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/CreativeWork> .\n"
        "<https://x.org/kb/source/s> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/prov#Entity> .\n",
        encoding="utf-8",
    )
    assert main(["info", str(incomplete)]) == 1
    assert "does not describe a valid knowledge base" in capsys.readouterr().err


def test_ontology_declares_every_gk_term() -> None:
    from importlib import resources

    from rdflib import Graph, URIRef
    from rdflib.namespace import OWL, RDF

    from graphkit.rdf.namespace import GK

    text = (resources.files("graphkit.rdf") / "graphkit.ttl").read_text(encoding="utf-8")
    ontology = Graph().parse(data=text, format="turtle")
    declared = {
        str(s)
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in ontology.subjects(RDF.type, kind)
    }
    assert declared == {str(GK[name]) for name in GK.__annotations__}
    assert isinstance(next(iter(ontology.subjects(RDF.type, OWL.Ontology))), URIRef)


BASED = 'format_version: 1\nbase: "https://kb.example.net/nk/"\nactors: [{id: A, name: A, kind: state}]\n'


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld", "trig", "xml"])
def test_a_declared_base_mints_iris_and_round_trips(fmt: str, tmp_path) -> None:
    from graphkit.rdf import RDF_FORMATS

    kb = gk.loads(BASED)
    text = serialize(kb, fmt)
    if fmt in ("turtle", "trig"):  # the knowledge base's IRIs relative to @base
        assert "@base <https://kb.example.net/nk/> ." in text and "<actor/A>" in text
    else:
        assert "https://kb.example.net/nk/actor/A" in text
    assert "graphkit.example.org/kb/" not in text
    path = tmp_path / f"kb{RDF_FORMATS[fmt][1]}"
    path.write_text(text, encoding="utf-8")
    again = from_rdf(path)
    assert again == kb and again.document.base == "https://kb.example.net/nk/"
    assert gk.loads(again.to_yaml()) == kb


def test_the_cli_says_when_the_example_base_is_used(write_yaml, capsys) -> None:
    plain = write_yaml("plain.yaml", "format_version: 1\nactors: [{id: A, name: A, kind: state}]\n")
    assert main(["export", str(plain), "--format", "nt"]) == 0
    captured = capsys.readouterr()
    assert "example base https://graphkit.example.org/kb/" in captured.err
    assert "<https://graphkit.example.org/kb/actor/A>" in captured.out
    based = write_yaml("based.yaml", BASED)
    assert main(["export", str(based), "--format", "nt"]) == 0
    captured = capsys.readouterr()
    assert (
        "example base" not in captured.err and "<https://kb.example.net/nk/actor/A>" in captured.out
    )
    assert main(["export", str(based), "--format", "nt", "--base", "urn:x:"]) == 0
    assert "<urn:x:actor/A>" in capsys.readouterr().out


def test_files_with_different_bases_do_not_load_together(write_yaml) -> None:
    a = write_yaml("a.yaml", BASED)
    b = write_yaml("b.yaml", 'format_version: 1\nbase: "https://other.example/"\n')
    with pytest.raises(gk.LoadError) as info:
        gk.load([a, b])
    (problem,) = info.value.diagnostics
    assert problem.code == "conflicting-base" and problem.line == 2
    with pytest.raises(gk.LoadError, match="is not a base IRI"):
        gk.loads('format_version: 1\nbase: "https://no-slash.example"\n')


def test_type_names_are_xml_names_and_bind_in_sparql() -> None:
    from graphkit.rdf import parse_binding, term, term_id

    for type_id in ("allied_with", "soutient à", "a b", "123", "x(", "1_", "a~b"):
        name = term(type_id)
        assert term_id(name) == type_id
        assert re.search(r"[A-Za-z_][A-Za-z0-9_.-]*\Z", name)  # RDF/XML can end an element name
    assert len({term(t) for t in ("a b", "a%20b", "a b_", "a_b")}) == 4
    _, iri = parse_binding("t=relation-type:soutient à")
    assert str(iri) == "https://graphkit.example.org/ns/relation/soutient%20%C3%A0_"


def test_labels_and_the_type_concept_schemes(flagship) -> None:
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF, RDFS, SKOS

    graph = to_rdf(flagship)
    gk_ns = "https://graphkit.example.org/ns#"
    for event in flagship.events:
        labels = list(
            graph.objects(
                URIRef(f"https://graphkit.example.org/kb/event/{encode(event.id)}"), RDFS.label
            )
        )
        assert len(labels) == 1
    war = next(r for r in flagship.relations if r.type == "at_war_with")
    (label,) = graph.objects(
        URIRef(f"https://graphkit.example.org/kb/relation/{war.id}"), RDFS.label
    )
    assert (
        str(label)
        == f"{flagship.actors[war.from_].name} at war with {flagship.actors[war.to].name}"
    )
    scheme = URIRef("https://graphkit.example.org/ns/event-type/")
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    deployment = URIRef("https://graphkit.example.org/ns/event-type/troop_deployment")
    assert (deployment, SKOS.inScheme, scheme) in graph
    assert (deployment, RDFS.label, Literal("Troop deployment")) in graph
    assert graph.value(deployment, URIRef(gk_ns + "cameo")) is not None
    assert graph.value(deployment, URIRef(gk_ns + "goldstein")) is not None
    # only the types the knowledge base uses are described, and they are not read back as its own
    used = {e.type for e in flagship.events}
    described = {str(c).rsplit("/", 1)[1] for c in graph.subjects(SKOS.inScheme, scheme)}
    assert described == used
    assert from_rdf(graph).document.event_types == []
    allied = URIRef("https://graphkit.example.org/ns/relation/allied_with")
    assert (allied, RDF.type, URIRef("http://www.w3.org/2002/07/owl#SymmetricProperty")) in graph
    alternative = next(graph.subjects(RDF.type, URIRef(gk_ns + "AlternativeDate")))
    assert (alternative, RDF.type, URIRef("http://www.w3.org/ns/prov#Entity")) in graph


class _Discard:
    """A text sink that keeps nothing (what a writer holds is then its own memory)."""

    def write(self, text: str) -> int:
        return len(text)


@pytest.mark.parametrize("fmt", ["nt", "nq", "turtle", "trig", "json-ld"])
def test_streaming_writers_hold_the_same_memory_at_ten_times_the_size(fmt: str) -> None:
    """The writers' peak allocation does not grow with the knowledge base (one item at a time)."""
    import tracemalloc

    from benchmarks.generate import generate
    from graphkit.rdf import write_rdf

    peaks = []
    for events in (200, 2_000):
        kb = gk.KnowledgeBase.from_document(Document.model_validate(generate(events, 3)))
        tracemalloc.start()
        try:
            write_rdf(kb, fmt, _Discard())  # type: ignore[arg-type]
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    small, large = peaks
    # about 0.1-0.2 MB at both sizes; a writer holding its output would take about 10x at 2,000
    assert large < 1.25 * small + 64 * 1024, peaks


def test_items_drop_their_repeated_triples_where_they_write_them(
    generated, flagship, monkeypatch
) -> None:
    """An item's triples are deduplicated where a repeat can arise (a source cited twice, a tag or
    alias written twice, an agent named twice), not by hashing every triple: the result is what a
    deduplication of the whole item gives, first occurrences in the same order."""
    from graphkit.rdf import _triples

    repeats = gk.loads(
        """
format_version: 1
sources: [{id: s1, title: T, reliability: B}, {id: s2, title: U, reliability: C}]
actors:
  - {id: A, name: Arcadia, kind: state, aliases: [Arc, Arc, Ar],
     sources: [{source: s1}, {source: s1, note: again}]}
  - {id: B, name: Borduria, kind: state}
relations:
  - {id: r1, type: allied_with, from: B, to: A,
     sources: [{source: s1, according_to: B}, {source: s1, according_to: B}]}
events:
  - {id: e1, type: statement, date: 2024-10, actor: A, target: B, tags: [x, y, x],
     participants: [{actor: A, role: host}, {actor: B, role: host}],
     sources: [{source: s1, according_to: B}, {source: s2, according_to: B}, {source: s1}],
     quantities: [{value: 3, kind: total, unit: soldiers,
                   sources: [{source: s2}, {source: s2}]}]}
"""
    )
    kbs = (repeats, generated, flagship)
    ours = [list(iter_triples(kb)) for kb in kbs]
    monkeypatch.setattr(_triples._Writer, "take", _triples._Writer.take_deduplicated)
    assert ours == [list(iter_triples(kb)) for kb in kbs]
    assert all(len(set(chunk)) == len(chunk) for chunks in ours for chunk in chunks)
