"""Partial dates, bounds and spans: parsing, precision, extents, and the overlap rules."""

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphkit.errors import InvalidDateError
from graphkit.model.dates import Bounds, Overlap, PartialDate, Span, window


@pytest.mark.parametrize(
    ("text", "precision", "first", "last"),
    [
        ("2024", "year", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024-02", "month", date(2024, 2, 1), date(2024, 2, 29)),
        ("2023-02", "month", date(2023, 2, 1), date(2023, 2, 28)),
        ("2024-10-23", "day", date(2024, 10, 23), date(2024, 10, 23)),
        ("2024-10-23T23:30:00+09:00", "time", date(2024, 10, 23), date(2024, 10, 23)),
        (2024, "year", date(2024, 1, 1), date(2024, 12, 31)),
    ],
)
def test_parse_keeps_precision_and_extent(text, precision, first, last):
    parsed = PartialDate.parse(text)
    assert (parsed.precision, parsed.first, parsed.last) == (precision, first, last)
    assert str(parsed) == str(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024-13", "month 13 is not a month (01..12)"),
        ("2024-02-30", "2024-02 has no day 30 (it has 29 days)"),
        ("2024-10-23T10:00:00", "a timestamp needs a time zone, e.g. 2024-10-23T14:30:00+09:00"),
        ("24-10-23", "'24-10-23' is not a date"),
        ("mid-October", "'mid-October' is not a date"),
        (0, "year 0 is out of range 1..9999"),
        (True, "expected a date such as 2024, 2024-10 or 2024-10-23, got a boolean"),
    ],
)
def test_bad_dates_say_what_is_expected(text, message):
    with pytest.raises(InvalidDateError, match="^" + re.escape(message)):
        PartialDate.parse(text)


def test_python_dates_are_accepted():
    assert PartialDate.parse(date(2024, 10, 23)) == PartialDate.parse("2024-10-23")
    stamp = datetime(2024, 10, 23, 14, 30, tzinfo=timezone(timedelta(hours=9)))
    assert PartialDate.parse(stamp).precision == "time"


def test_month_end_is_inclusive_at_its_precision():
    # ended at some point in October: 31 October is included (possibly), 1 November is not
    span = Span(start=PartialDate.parse("2024-10-01"), end=PartialDate.parse("2024-10"))
    assert span.extent.overlap(*window("2024-10-31")) == Overlap.POSSIBLE
    assert span.extent.overlap(*window("2024-11-01")) == Overlap.NONE
    assert span.extent.overlap(*window("2024-10-01")) == Overlap.CERTAIN


def test_event_in_a_month_possibly_happened_on_a_day_of_it():
    extent = PartialDate.parse("2024-10").extent
    assert extent.overlap(*window("2024-10-20")) == Overlap.POSSIBLE
    assert extent.overlap(*window("2024-10")) == Overlap.CERTAIN
    assert extent.overlap(*window("2024-10-01", "2024-10-31")) == Overlap.CERTAIN
    assert extent.overlap(*window("2024-10-15", "2024-11-30")) == Overlap.POSSIBLE
    assert extent.overlap(*window("2024-11")) == Overlap.NONE


def test_relation_started_in_a_year_certainly_holds_the_next_year():
    span = Span(start=PartialDate.parse("2024"))
    assert span.extent.overlap(*window("2025-03-01")) == Overlap.CERTAIN
    assert span.extent.overlap(*window("2024-06-01")) == Overlap.POSSIBLE
    assert span.extent.overlap(*window("2023-12-31")) == Overlap.NONE


def test_bounds_hold_one_uncertain_moment():
    bounds = Bounds(
        earliest=PartialDate.parse("2024-10-14"), latest=PartialDate.parse("2024-10-20")
    )
    assert bounds.extent.overlap(*window("2024-10-16")) == Overlap.POSSIBLE
    assert bounds.extent.overlap(*window("2024-10-14", "2024-10-20")) == Overlap.CERTAIN
    # a moment is not a duration: it does not certainly fall on any single day of its bounds
    assert bounds.extent.overlap(*window("2024-10-14")) == Overlap.POSSIBLE


def test_duration_certainly_holds_between_its_sure_days():
    span = Span(start=PartialDate.parse("2024-10"), end=PartialDate.parse("2024-12"))
    assert span.extent.overlap(*window("2024-11-15")) == Overlap.CERTAIN
    assert span.extent.overlap(*window("2024-10-05")) == Overlap.POSSIBLE
    assert span.extent.overlap(*window("2024-12-20")) == Overlap.POSSIBLE


def test_end_before_start_is_rejected_at_the_coarser_precision():
    Span(start=PartialDate.parse("2024-10-23"), end=PartialDate.parse("2024-10"))
    with pytest.raises(ValueError, match="end 2024-09 is before start 2024-10-23"):
        Span(start=PartialDate.parse("2024-10-23"), end=PartialDate.parse("2024-09"))


def test_certainly_before_compares_extents():
    assert PartialDate.parse("2024-10").certainly_before(PartialDate.parse("2024-11-01"))
    assert not PartialDate.parse("2024").certainly_before(PartialDate.parse("2024-11-01"))
    assert PartialDate.parse("2024").overlaps(PartialDate.parse("2024-11-01"))


def test_window_rejects_reversed_ends():
    with pytest.raises(InvalidDateError, match="before its start"):
        window("2024-11", "2024-10")


@st.composite
def partial_dates(draw):
    day = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    text = {
        "year": f"{day.year:04d}",
        "month": f"{day.year:04d}-{day.month:02d}",
        "day": day.isoformat(),
    }[precision]
    return PartialDate.parse(text)


@given(partial_dates())
def test_text_round_trips(value):
    assert PartialDate.parse(str(value)) == value
    assert value.first <= value.last


@given(partial_dates(), st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_a_day_inside_the_extent_is_possible_and_outside_is_none(value, day):
    result = value.extent.overlap(*window(day))
    if value.first <= day <= value.last:
        expected = Overlap.CERTAIN if value.first == value.last else Overlap.POSSIBLE
        assert result == expected
    else:
        assert result == Overlap.NONE


@given(partial_dates(), partial_dates())
def test_sort_order_is_total_and_consistent_with_certainly_before(a, b):
    assert (a < b) or (b < a) or (a == b)
    if a.certainly_before(b):
        assert a < b
