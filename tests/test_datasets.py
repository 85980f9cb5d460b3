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


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_example_datasets_load(path):
    kb = gk.load(path)
    assert len(kb.events) >= 20
    assert all(event.sources for event in kb.events)
