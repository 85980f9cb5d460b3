"""gk.load reads RDF exports by suffix, as the command line does."""

import pytest

import graphkit as gk
from graphkit.kb import RDF_SUFFIXES
from graphkit.rdf import RDF_SUFFIXES as RDF_FORMATS


def test_the_light_suffix_list_is_the_rdf_readers():
    assert set(RDF_SUFFIXES) == set(RDF_FORMATS)


@pytest.mark.parametrize("suffix", [".ttl", ".nt"])
def test_load_reads_an_rdf_export_by_suffix(flagship, tmp_path, suffix):
    path = tmp_path / f"kb{suffix}"
    fmt = {".ttl": "turtle", ".nt": "nt"}[suffix]
    flagship.to_rdf().serialize(path, format=fmt, encoding="utf-8")
    kb = gk.load(path)
    assert kb == flagship


def test_load_merges_yaml_and_rdf(write_yaml, tmp_path):
    arcadia = gk.loads("format_version: 1\nactors: [{id: A, name: Arcadia, kind: state}]\n")
    arcadia.to_rdf().serialize(tmp_path / "arcadia.ttl", format="turtle")
    borduria = write_yaml(
        "b.yaml", "format_version: 1\nactors: [{id: B, name: Borduria, kind: state}]\n"
    )
    kb = gk.load(tmp_path / "arcadia.ttl", borduria)
    assert sorted(kb.actors.ids()) == ["A", "B"]


def test_a_broken_rdf_file_is_a_graphkit_error_not_invalid_yaml(tmp_path):
    path = tmp_path / "kb.ttl"
    path.write_text("this is not turtle <", encoding="utf-8")
    with pytest.raises(gk.GraphkitError) as caught:
        gk.load(path)
    assert "invalid YAML" not in str(caught.value)
