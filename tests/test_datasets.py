"""The shipped datasets load, and the flagship one says what the motivating article says."""

from datetime import date

import pytest

import graphkit as gk

from .conftest import ROOT

EXAMPLE_FILES = sorted((ROOT / "examples").rglob("*.yaml"))


def test_flagship_is_large_enough_and_spans_the_war(flagship):
    assert len(flagship.events) >= 40
    assert len(flagship.actors) >= 15
    first, last = flagship.date_range()
    assert first <= date(2022, 2, 24) and last >= date(2025, 1, 1)


def test_every_fact_in_the_flagship_cites_a_source(flagship):
    for item in [*flagship.events, *flagship.relations]:
        assert item.sources, item.id
        assert item.credibility is not None, item.id


def test_flagship_holds_the_articles_numbers_with_attributions(flagship):
    figures = {}
    for event in flagship.events:
        for quantity in event.quantities:
            figures.setdefault((quantity.central, quantity.kind, quantity.planned), []).append(
                event
            )
    assert (1500, "increment", False) in figures
    assert (3000, "total", False) in figures
    assert (10000, "total", True) in figures
    nis = flagship.actor("KOR-NIS")
    attributed = {ref.according_to for e in figures[(3000, "total", False)] for ref in e.sources}
    assert nis.id in attributed


def test_flagship_keeps_austins_quote_in_french(flagship):
    quotes = [e.quote for e in flagship.events if e.quote is not None]
    assert any(q.language == "fr" and "cobelligérants" in q.text for q in quotes)


def test_the_motivating_article_is_a_source_without_invented_details(flagship):
    article = next(s for s in flagship.sources if s.language == "fr" and "nord-coréens" in s.title)
    assert article.url is None and article.reliability == "F"
    assert str(article.published) == "2024-10"


def test_every_claim_from_the_article_quotes_it_and_the_quotes_are_in_the_copy(flagship):
    from graphkit.io.copies import read_copy

    article = flagship.sources["article-fr-2024-10"]
    assert article.local_copy is not None
    copy = read_copy(ROOT / "data", article.local_copy)
    assert copy.digest == article.sha256
    refs = []
    for event in flagship.events:
        refs += [*event.sources, *(r for q in event.quantities for r in q.sources)]
    for relation in flagship.relations:
        refs += relation.sources
    cited = [r for r in refs if r.source == article.id]
    assert len(cited) >= 7
    for ref in cited:
        assert ref.excerpt is not None
        assert copy.find(ref.excerpt).kind.value == "yes", ref.excerpt


def test_every_flagship_place_below_a_country_has_coordinates(flagship):
    whole_countries = {"Ukraine", "Russia", "Russia (multiple military bases)"}
    for event in flagship.events:
        place = event.location
        if place is not None and place.name not in whole_countries:
            assert place.lat is not None and place.lon is not None, event.id


def test_the_alliance_starts_when_the_treaty_entered_into_force(flagship):
    alliance = flagship.relations["prk-rus-treaty-alliance"]
    in_force = flagship.events[alliance.started_by]
    assert in_force.type == "treaty_in_force" and str(alliance.start) == str(in_force.date)
    signed = flagship.events["prk-rus-treaty-signed-2024-06-19"]
    assert signed.type == "treaty_signed" and signed.extent.hi < alliance.extent.lo


def test_first_combat_is_in_november_2024_and_zelensky_counts_killed_and_wounded(flagship):
    war = flagship.relations["kpa-fights-ukr-af"]
    assert str(war.start) == "2024-11"
    assert str(flagship.events[war.started_by].date) == "2024-11-04"
    estimate = flagship.events["prk-casualties-estimates-2024-12-23"].quantities[0]
    assert (estimate.measure, estimate.min) == ("prk_killed_or_wounded", 3000)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_example_datasets_load(path):
    kb = gk.load(path)
    assert len(kb.events) >= 20
    assert all(event.sources for event in kb.events)
