"""graphkit sparql warns about the usual reasons for "(0 rows)": an unbound tested variable and
a bound IRI that names nothing in the data."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit.cli import main
from graphkit.rdf.sparql import unbound_variables

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "examples" / "queries"
FLAGSHIP = str(ROOT / "data" / "events.yaml")


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["sparql", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_tested_variable_without_bind_is_a_warning(capsys):
    code, _, err = _run(capsys, f"@{QUERIES / 'relations-valid-at.rq'}", FLAGSHIP)
    assert code == 0
    assert "warning: ?day is used by the query but nothing binds it" in err
    assert "--bind day=VALUE" in err
    code, _, err = _run(
        capsys, f"@{QUERIES / 'relations-valid-at.rq'}", FLAGSHIP, "--bind", "day=2024-10-23"
    )
    assert code == 0 and "warning" not in err


def test_a_bound_iri_naming_nothing_is_a_warning(capsys):
    query = f"@{QUERIES / 'actor-relations.rq'}"
    code, out, err = _run(capsys, query, FLAGSHIP, "--bind", "actor=actor:PRKK")
    assert code == 0 and "(0 rows)" in out
    assert (
        "warning: --bind actor: <https://graphkit.example.org/kb/actor/PRKK> names nothing" in err
    )
    assert "did you mean 'PRK'?" in err
    code, out, err = _run(capsys, query, FLAGSHIP, "--bind", "actor=actor:PRK")
    assert "warning" not in err and "(0 rows)" not in out


@pytest.mark.parametrize(
    ("query", "unbound"),
    [
        ("SELECT ?s WHERE { ?s ?p ?o FILTER (?o > ?min) }", ["min"]),
        ("SELECT ?s WHERE { ?s ?p ?o BIND (?o AS ?copy) FILTER (?copy > 1) }", []),
        ("SELECT ?s WHERE { VALUES ?min { 1 } ?s ?p ?o FILTER (?o > ?min) }", []),
        ("SELECT ?s WHERE { ?s ?p ?o FILTER NOT EXISTS { ?o ?q ?r FILTER (?r = ?o) } }", []),
        ("SELECT (COUNT(?s) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p HAVING (?n > ?least)", ["least"]),
        ("SELECT ?unused WHERE { ?s ?p ?o }", ["unused"]),
        ("not sparql at all", []),
    ],
)
def test_unbound_variables(query, unbound):
    assert unbound_variables(query) == unbound


def test_every_example_query_with_its_documented_binds_has_no_unbound_variable():
    for path in sorted(QUERIES.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        documented = {
            word.split("=")[0] for word in text.split() if "=" in word and word[0].isalpha()
        }
        assert unbound_variables(text, dict.fromkeys(documented)) == [], path.name
