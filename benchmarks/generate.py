"""Deterministic generator of synthetic graphkit knowledge bases.

The generated document follows ``docs/format.md`` (format_version 1): sources, actors, relations
and events with mixed-precision dates, source references (some attributed to an agency with
``according_to``), locations, quantities and short English summaries. The same ``n_events`` and
``seed`` always give the same document and byte-identical files.

Usage (from the repository root)::

    python -m benchmarks.generate --events 10000 --seed 1 -o /tmp/kb.yaml   # also /tmp/kb.json
    python -m benchmarks.generate --events 500 -o kb.yaml --json other.json
    python -m benchmarks.generate --events 500 -o kb.yaml --no-json
    python -m benchmarks.generate --events 1000000 --seed 1 -o /tmp/kb1m.yaml   # 0.6 + 0.9 GB

The random stream is one sequence, so the drawing stays in one process; with ``--jobs 2`` (the
default) two forked processes render the YAML text meanwhile (:func:`generate_files`): one the
sources, actors and relations while the events are drawn, the other the events as they are
drawn. A million events: the drawing process used 47.9 s of CPU (the JSON copy included), the
two renderers 39.0 s beside it, about 2.5 GB of memory.

The YAML text is written by hand (``yaml.dump`` is far too slow for 100,000 events): the top-level
lists are block sequences of block mappings whose values are flow collections, and every string is
double-quoted with JSON-style escapes, which YAML 1.1 and 1.2 parsers read identically.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import datetime as dt
import gc
import itertools
import json
import math
import os
import pickle
import random
import re
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO, cast

try:  # orjson is much faster; the json fallback produces the same bytes for generated content.
    import orjson as _orjson
except ImportError:  # pragma: no cover - exercised only where orjson is missing
    _orjson = None  # type: ignore[assignment]

#: Whether :func:`dump_json` uses orjson (else the standard library's json).
HAVE_ORJSON: bool = _orjson is not None

__all__ = [
    "ACTOR_KINDS",
    "EVENT_TYPES",
    "HAVE_ORJSON",
    "RELATION_TYPES",
    "dump_json",
    "dump_yaml",
    "generate",
    "main",
    "write_files",
    "write_json",
    "write_yaml",
]

# --------------------------------------------------------------------------------------------
# Vocabularies
# --------------------------------------------------------------------------------------------

EVENT_TYPES: tuple[str, ...] = (
    "troop_deployment",
    "troop_withdrawal",
    "training",
    "combat",
    "attack",
    "statement",
    "accusation",
    "threat",
    "treaty_signed",
    "sanction",
    "aid",
    "arms_transfer",
    "meeting",
    "visit",
    "intelligence_report",
    "casualties",
    "mobilization",
)
_EVENT_TYPE_WEIGHTS: tuple[int, ...] = (8, 4, 4, 10, 10, 10, 6, 5, 2, 4, 4, 5, 8, 5, 6, 5, 4)

RELATION_TYPES: tuple[str, ...] = (
    "allied_with",
    "at_war_with",
    "member_of",
    "supports",
    "deploys_forces_in",
    "supplies_arms_to",
    "sanctions",
    "leads",
    "part_of",
    "cooperates_with",
    "hostile_to",
)

ACTOR_KINDS: tuple[str, ...] = (
    "state",
    "alliance",
    "agency",
    "armed_force",
    "person",
    "non_state_group",
)
_ACTOR_KIND_WEIGHTS: tuple[int, ...] = (22, 5, 18, 18, 22, 15)
# The first actors have fixed kinds so that every kind exists even for the minimum of 10 actors.
_LEADING_KINDS: tuple[str, ...] = (
    "state",
    "state",
    "state",
    "alliance",
    "agency",
    "armed_force",
    "person",
    "non_state_group",
    "state",
    "agency",
)

_SOURCE_KINDS: tuple[str, ...] = (
    "news",
    "government",
    "intelligence",
    "international_organization",
    "ngo",
    "academic",
    "reference",
    "dataset",
    "other",
)
_SOURCE_KIND_WEIGHTS: tuple[int, ...] = (50, 12, 6, 8, 8, 5, 3, 5, 3)
_SOURCE_HOSTS: dict[str, str] = {
    "news": "news.example.org",
    "government": "gov.example.org",
    "intelligence": "intel.example.org",
    "international_organization": "io.example.org",
    "ngo": "ngo.example.org",
    "academic": "journals.example.org",
    "reference": "ref.example.org",
    "dataset": "data.example.org",
    "other": "www.example.org",
}
_RELIABILITY: tuple[str, ...] = ("A", "B", "C", "D", "E", "F")
_RELIABILITY_WEIGHTS: tuple[int, ...] = (5, 30, 30, 12, 5, 18)
_CREDIBILITY: tuple[int, ...] = (1, 2, 3, 4, 5, 6)
_CREDIBILITY_WEIGHTS: tuple[int, ...] = (12, 30, 28, 10, 5, 15)
_LANGUAGES: tuple[str, ...] = ("en", "fr", "de", "es", "ru", "uk", "ko", "ja", "zh", "ar")
_LANGUAGE_WEIGHTS: tuple[int, ...] = (50, 10, 6, 5, 7, 5, 6, 3, 4, 4)

_ROLES: tuple[str, ...] = (
    "reporter",
    "mediator",
    "supporter",
    "observer",
    "host",
    "co_sponsor",
    "ally",
    "trainer",
    "witness",
    "supplier",
)

# --------------------------------------------------------------------------------------------
# Name material (plain ASCII; a few source titles use other scripts to exercise escaping)
# --------------------------------------------------------------------------------------------

_SYL_START: tuple[str, ...] = (
    "Al",
    "Bar",
    "Cor",
    "Dal",
    "El",
    "Fen",
    "Gar",
    "Hal",
    "Is",
    "Jor",
    "Kal",
    "Lor",
    "Mar",
    "Nor",
    "Or",
    "Pel",
    "Quen",
    "Ros",
    "Sar",
    "Tal",
    "Ul",
    "Val",
    "Wes",
    "Yar",
    "Zan",
    "Bel",
    "Cas",
    "Dor",
    "Kes",
    "Mor",
)
_SYL_MID: tuple[str, ...] = (
    "a",
    "e",
    "i",
    "o",
    "u",
    "ar",
    "en",
    "ir",
    "on",
    "ur",
    "and",
    "est",
    "ov",
    "ag",
    "il",
)
_SYL_END: tuple[str, ...] = (
    "ia",
    "ania",
    "istan",
    "land",
    "ovia",
    "ary",
    "esia",
    "aria",
    "onia",
    "ica",
    "ea",
    "eth",
)
_PLACE_SUFFIX: tuple[str, ...] = (
    "grad",
    "ville",
    "burg",
    "port",
    "ford",
    "abad",
    "polis",
    "stad",
    "haven",
    "mouth",
)
_PLACE_KIND: tuple[str, ...] = ("", "", "", "Province", "Valley", "Heights", "District", "Bay")
_FIRST_NAMES: tuple[str, ...] = (
    "Anna",
    "Boris",
    "Chen",
    "Dmitri",
    "Elena",
    "Farid",
    "Grace",
    "Hiro",
    "Ines",
    "Jonas",
    "Karim",
    "Lena",
    "Mikhail",
    "Nadia",
    "Omar",
    "Petra",
    "Quentin",
    "Rosa",
    "Sergei",
    "Tomas",
    "Ulla",
    "Viktor",
    "Wen",
    "Yusuf",
    "Zofia",
    "Amir",
    "Marta",
    "Ivan",
    "Leila",
    "Pavel",
)
_LAST_NAMES: tuple[str, ...] = (
    "Adler",
    "Brandt",
    "Castel",
    "Dorn",
    "Ekström",
    "Ferrer",
    "Galan",
    "Horvat",
    "Ivanov",
    "Jansen",
    "Kowal",
    "Lind",
    "Moreau",
    "Novak",
    "Okafor",
    "Park",
    "Quist",
    "Reyes",
    "Santos",
    "Tanaka",
    "Usman",
    "Varga",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zeller",
    "Kim",
    "Petrov",
    "Haddad",
    "Sato",
)
_PERSON_TITLES: tuple[str, ...] = (
    "President",
    "Prime Minister",
    "Defense Minister",
    "Foreign Minister",
    "General",
    "Commander",
    "Director",
    "Spokesperson",
    "Envoy",
)
_AGENCY_KINDS: tuple[tuple[str, str], ...] = (
    ("National Intelligence Service", "NIS"),
    ("Ministry of Defense", "MoD"),
    ("Ministry of Foreign Affairs", "MFA"),
    ("Joint Chiefs of Staff", "JCS"),
    ("State Security Committee", "SSC"),
    ("Border Guard Service", "BGS"),
    ("Military Intelligence Directorate", "MID"),
)
_FORCE_KINDS: tuple[str, ...] = (
    "Army",
    "Navy",
    "Air Force",
    "Rocket Forces",
    "Special Operations Command",
    "Marine Corps",
    "Territorial Defense Forces",
    "Airborne Forces",
)
_ALLIANCE_WORDS: tuple[tuple[str, ...], ...] = (
    ("Northern", "Southern", "Eastern", "Western", "Central", "Pacific", "Atlantic", "Continental"),
    ("Defense", "Security", "Mutual Assistance", "Collective Security", "Cooperation"),
    ("Pact", "Treaty Organization", "Alliance", "Council", "Union"),
)
_GROUP_PATTERNS: tuple[str, ...] = (
    "{w} Liberation Front",
    "{w} Popular Movement",
    "Brigades of {w}",
    "{w} Resistance Council",
    "People's Army of {w}",
    "{w} Volunteer Corps",
    "{w} Wagner-style Group",
)
_PUBLISHERS: tuple[str, ...] = (
    "Global Herald",
    "Daily Monitor",
    "Continental Wire",
    "The Evening Post",
    "Frontline Review",
    "Open Dispatch",
    "Meridian News",
    "Harbor Times",
    "Capital Gazette",
    "Strategic Digest",
)
_AUTHORS: tuple[str, ...] = (
    "J. Adler",
    "M. Castel",
    "S. Park",
    "L. Moreau",
    "K. Okafor",
    "R. Santos",
    "T. Weber",
    "A. Novak",
)
_TITLE_TEMPLATES: dict[str, tuple[str, ...]] = {
    "en": (
        "{a} and {b}: what we know so far",
        "Tensions rise as {a} moves against {b}",
        'Analysis: the "new normal" between {a} and {b}',
        "Report on {a} activity near {b}",
        "{a} denies claims by {b}",
    ),
    "fr": (
        "Présence de soldats de {a} en {b} : une escalade du conflit ?",
        "{a} et {b} : ce que l'on sait",
    ),
    "de": ("Spannungen zwischen {a} und {b} nehmen zu", "{a}: Truppenbewegungen in Richtung {b}"),
    "es": ("{a} acusa a {b} de violar el alto el fuego", "Tensión creciente entre {a} y {b}"),
    "ru": ("{a} и {b}: что известно на данный момент", "Напряжённость между {a} и {b} растёт"),
    "uk": ("{a} та {b}: що відомо зараз",),
    "ko": ("{a}와 {b}의 긴장 고조",),
    "ja": ("{a}と{b}の緊張が高まる",),
    "zh": ("{a}与{b}局势紧张",),
    "ar": ("تصاعد التوتر بين {a} و{b}",),
}

# --------------------------------------------------------------------------------------------
# Summary templates: {a} actor name, {t} target name, {p} place phrase ("in X" / "near ...")
# --------------------------------------------------------------------------------------------

_SUMMARIES: dict[str, tuple[str, ...]] = {
    "troop_deployment": (
        "{a} deployed additional troops {p}, in a move widely seen as support for {t}",
        "{a} sent soldiers {p} at the request of {t}, officials said",
    ),
    "troop_withdrawal": (
        "{a} began withdrawing troops {p}, a step welcomed by {t}",
        "{a} pulled part of its forces back {p} after talks with {t}",
    ),
    "training": (
        "{a} held joint training exercises with {t} {p}",
        "Personnel from {t} were trained by {a} {p}, according to reports",
    ),
    "combat": (
        "Heavy fighting between {a} and {t} was reported {p}",
        "{a} and {t} clashed {p}; both sides claimed gains",
    ),
    "attack": (
        "{a} launched a missile and artillery attack on {t} positions {p}",
        "{a} struck {t} infrastructure {p} overnight",
    ),
    "statement": (
        '{a} issued a statement on its relations with {t}, calling the situation "stable"',
        "A spokesperson for {a} commented on recent moves by {t} {p}",
    ),
    "accusation": (
        "{a} accused {t} of violating earlier agreements {p}",
        "{a} blamed {t} for the escalation {p}",
    ),
    "threat": (
        '{a} warned {t} of "serious consequences" over its actions {p}',
        "{a} threatened retaliation against {t} {p}",
    ),
    "treaty_signed": (
        "{a} and {t} signed a cooperation treaty {p}",
        "{a} signed a mutual assistance agreement with {t} {p}",
    ),
    "sanction": (
        "{a} imposed new sanctions on {t} over its military activity",
        "{a} announced financial restrictions targeting {t} entities",
    ),
    "aid": (
        "{a} announced a humanitarian and military aid package for {t}",
        "{a} delivered aid supplies to {t} {p}",
    ),
    "arms_transfer": (
        "{a} transferred artillery shells and missiles to {t}, according to officials",
        "Shipments of weapons from {a} to {t} were observed {p}",
    ),
    "meeting": (
        "Officials of {a} and {t} met {p} to discuss security cooperation",
        "{a} held talks with {t} {p} on the regional situation",
    ),
    "visit": (
        "A delegation from {a} visited {t} {p}",
        "Leaders of {a} paid an official visit to {t} {p}",
    ),
    "intelligence_report": (
        "{a} reported that {t} had moved units {p}",
        "An intelligence assessment by {a} described activity by {t} {p}",
    ),
    "casualties": (
        "{a} reported casualties in fighting with {t} {p}",
        "Losses among {t} forces were reported by {a} {p}",
    ),
    "mobilization": (
        "{a} announced a partial mobilization in response to {t}",
        "{a} called up reservists amid tensions with {t} {p}",
    ),
}
_SUMMARY_TAILS: tuple[str, ...] = (
    ", according to local media.",
    ", officials said.",
    ", the report said.",
    "; details remain unconfirmed.",
    ", citing unnamed sources.",
    ".",
)
_QUOTES: tuple[str, ...] = (
    "We will respond to any provocation with all necessary means.",
    "Our position has not changed and will not change.",
    "These actions are a direct threat to regional security.",
    "We call on all parties to show restraint.",
)

# Quantities: unit by event type, and typical magnitudes per unit.
_UNITS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "troop_deployment": ("soldiers",),
    "troop_withdrawal": ("soldiers",),
    "training": ("soldiers",),
    "mobilization": ("soldiers",),
    "combat": ("killed", "soldiers", "shells"),
    "attack": ("missiles", "shells", "killed"),
    "casualties": ("killed",),
    "arms_transfer": ("shells", "missiles"),
    "aid": ("shells", "missiles"),
}
_DEFAULT_UNITS: tuple[str, ...] = ("soldiers", "killed", "shells", "missiles")
_UNIT_RANGES: dict[str, tuple[int, int]] = {
    "soldiers": (50, 50_000),
    "killed": (1, 800),
    "shells": (100, 100_000),
    "missiles": (1, 300),
}

# --------------------------------------------------------------------------------------------
# Dates (day ordinals, formatted with a precision)
# --------------------------------------------------------------------------------------------

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: Three-letter codes there are (``country`` matches ``^[A-Z]{3}$``).
_CODE_COUNT = len(_LETTERS) ** 3

_DAY, _MONTH, _YEAR = "day", "month", "year"
_EVENT_MIN = dt.date(2015, 1, 1).toordinal()
_EVENT_MAX = dt.date(2025, 12, 31).toordinal()
#: Days an event date is drawn from, and the bits each draw of one takes (see _event_date).
_EVENT_DAYS = _EVENT_MAX - _EVENT_MIN + 1
_EVENT_DAYS_BITS = _EVENT_DAYS.bit_length()
_RELATION_MIN = dt.date(2000, 1, 1).toordinal()
_SOURCE_MIN = dt.date(2014, 1, 1).toordinal()


_DATE_TEXT: dict[tuple[int, str], str] = {}


def _fmt_date(ordinal: int, precision: str) -> str:
    """Format a day ordinal as ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``.

    Memoised: a few thousand distinct days recur millions of times at a million events.
    """
    key = (ordinal, precision)
    text = _DATE_TEXT.get(key)
    if text is None:
        text = _DATE_TEXT[key] = _date_text(ordinal, precision)
    return text


def _date_text(ordinal: int, precision: str) -> str:
    d = dt.date.fromordinal(ordinal)
    if precision == _DAY:
        return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
    if precision == _MONTH:
        return f"{d.year:04d}-{d.month:02d}"
    return f"{d.year:04d}"


_SPANS: dict[tuple[int, str], tuple[int, int]] = {}


def _span(ordinal: int, precision: str) -> tuple[int, int]:
    """First and last day ordinals covered by ``ordinal`` written at ``precision``."""
    if precision == _DAY:
        return ordinal, ordinal
    key = (ordinal, precision)
    found = _SPANS.get(key)
    if found is None:
        found = _SPANS[key] = _coarse_span(ordinal, precision)
    return found


def _coarse_span(ordinal: int, precision: str) -> tuple[int, int]:
    d = dt.date.fromordinal(ordinal)
    if precision == _MONTH:
        first = dt.date(d.year, d.month, 1).toordinal()
        nxt = dt.date(d.year + 1, 1, 1) if d.month == 12 else dt.date(d.year, d.month + 1, 1)
        return first, nxt.toordinal() - 1
    return dt.date(d.year, 1, 1).toordinal(), dt.date(d.year, 12, 31).toordinal()


def _end_date(
    rng: _Draws,
    start_first: int,
    start_last: int,
    max_delta: int,
    limit: int,
    precisions: Sequence[str],
    cum_weights: Sequence[int],
) -> str:
    """An end date that is valid under any reading of "end not before start".

    The end day is at or after the last day of the start, and a coarse end precision is used only
    when the end's first day is still not before the start's first day, so the pair is valid
    whether compared at the coarser precision (the spec) or by first days.
    """
    end = max(start_last, min(start_last + rng.randint(0, max_delta), limit))
    precision = rng.pick(precisions, cum_weights)
    if precision != _DAY and _span(end, precision)[0] < start_first:
        precision = _DAY
    return _fmt_date(end, precision)


# --------------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------------


class _Draws:
    """The random draws the generator makes, without the layers of ``random.Random``'s methods.

    Each method returns exactly what the ``random.Random`` method of the same name (``pick``:
    ``choices(population, cum_weights=...)[0]``) returns from the same state, so a seed gives the
    same documents as before, byte for byte: integers below ``n`` are drawn as CPython's
    ``Random._randbelow`` draws them (``getrandbits(n.bit_length())`` until one is below ``n``),
    floats with ``random()``. ``tests/test_generate.py`` compares every method with its public
    twin. The generator draws some 30 million numbers at a million events; one Python frame per
    draw instead of three (``choice`` -> ``_randbelow`` -> ``getrandbits``) about halves the
    time of :func:`generate`.
    """

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self._bits: Callable[[int], int] = self.rng.getrandbits
        self.random: Callable[[], float] = self.rng.random

    def choice(self, seq: Sequence[Any]) -> Any:
        """``random.choice(seq)`` (``seq`` not empty)."""
        n = len(seq)
        k = n.bit_length()
        r = self._bits(k)
        while r >= n:
            r = self._bits(k)
        return seq[r]

    def randrange(self, start: int, stop: int | None = None) -> int:
        """``random.randrange(start[, stop])`` (a non-empty range, step 1)."""
        if stop is None:
            start, stop = 0, start
        n = stop - start
        k = n.bit_length()
        r = self._bits(k)
        while r >= n:
            r = self._bits(k)
        return start + r

    def randint(self, a: int, b: int) -> int:
        """``random.randint(a, b)`` (``a`` <= ``b``)."""
        n = b - a + 1
        k = n.bit_length()
        r = self._bits(k)
        while r >= n:
            r = self._bits(k)
        return a + r

    def pick(self, population: Sequence[Any], cum_weights: Sequence[int]) -> Any:
        """``random.choices(population, cum_weights=cum_weights)[0]``."""
        hi = len(population) - 1
        return population[bisect.bisect(cum_weights, self.random() * cum_weights[-1], 0, hi)]

    def sample(self, population: Sequence[Any], k: int) -> list[Any]:
        """``random.sample(population, k)``; its own algorithm for ``k`` <= 5, else delegated."""
        n = len(population)
        if k > 5 or not 0 <= k <= n:
            return self.rng.sample(population, k)
        result: list[Any] = [None] * k
        if n <= 21:  # random.sample's "setsize" for k <= 5: a pool beats a set
            pool = list(population)
            for i in range(k):
                j = self.randrange(n - i)
                result[i] = pool[j]
                pool[j] = pool[n - i - 1]
            return result
        bits, width = self._bits, n.bit_length()
        selected: set[int] = set()
        for i in range(k):
            j = bits(width)
            while j >= n or j in selected:
                j = bits(width)
            selected.add(j)
            result[i] = population[j]
        return result

    def uniform(self, a: float, b: float) -> float:
        """``random.uniform(a, b)``."""
        return self.rng.uniform(a, b)


def _cum(weights: Sequence[int]) -> list[int]:
    """Cumulative weights for ``random.choices``."""
    out: list[int] = []
    total = 0
    for w in weights:
        total += w
        out.append(total)
    return out


def _acronym(name: str) -> str:
    """Upper-case initials of the capitalised words of ``name``."""
    return "".join(w[0] for w in name.replace("-", " ").split() if w[:1].isupper())


class _Generator:
    """Holds the random state and the pools built while generating one document."""

    def __init__(self, n_events: int, seed: int) -> None:
        self.rng = _Draws(seed)
        self.n_events = n_events
        self.n_actors = max(10, round(n_events / 10))
        self.n_sources = max(5, round(n_events / 20))
        self.n_places = max(20, round(n_events / 25))
        self.actors: list[dict[str, Any]] = []
        self.actor_names: list[str] = []
        self.kind_index: dict[str, list[int]] = {k: [] for k in ACTOR_KINDS}
        self.state_codes: list[str] = []
        self.used_codes: set[str] = set()
        self.code_order: list[str] = []  # codes in the order first given
        self._free_codes = ("".join(c) for c in itertools.product(_LETTERS, repeat=3))
        self._reused = 0
        self.used_names: set[str] = set()
        self.places: list[dict[str, Any]] = []
        self.place_phrases: list[str] = []
        self.sources: list[dict[str, Any]] = []
        self.source_ids: list[str] = []
        self._cw_event_types = _cum(_EVENT_TYPE_WEIGHTS)
        self._cw_actor_kinds = _cum(_ACTOR_KIND_WEIGHTS)
        self._cw_credibility = _cum(_CREDIBILITY_WEIGHTS)

    # -- helpers -------------------------------------------------------------------------------

    def _credibility(self) -> int:
        return self.rng.pick(_CREDIBILITY, self._cw_credibility)

    def _unique_name(self, make: Callable[[], str]) -> str:
        """Call ``make()`` until it gives an unused name (or give up after a few tries)."""
        name = make()
        for _ in range(8):
            if name not in self.used_names:
                break
            name = make()
        self.used_names.add(name)
        return name

    def _country_name(self) -> str:
        rng = self.rng
        mid = rng.choice(_SYL_MID) if rng.random() < 0.6 else ""
        return rng.choice(_SYL_START) + mid + rng.choice(_SYL_END)

    def _alliance_name(self) -> str:
        return " ".join(self.rng.choice(words) for words in _ALLIANCE_WORDS)

    def _group_name(self) -> str:
        rng = self.rng
        word = self._country_name() if rng.random() < 0.5 else rng.choice(_SYL_START) + "ar"
        return rng.choice(_GROUP_PATTERNS).format(w=word)

    def _country_code(self, name: str) -> str:
        """A three-letter code (the model's ``country`` pattern), derived from the name if free.

        Codes are unique while any of the 17,576 is free: a few random draws while at most half
        are taken (as ever, so smaller documents stay the same), then the next free code in
        alphabetical order. A million events make about 22,000 states; once every code is
        taken, codes are handed out again in the order they were first given, so each repeats
        as few times as possible.
        """
        letters = [c for c in name.upper() if "A" <= c <= "Z"]
        candidates = []
        if len(letters) >= 3:
            candidates.append(letters[0] + letters[1] + letters[2])
            candidates.append(letters[0] + letters[2] + letters[-1])
            candidates.append(letters[0] + letters[1] + letters[-1])
        for code in candidates:
            if code not in self.used_codes:
                return self._take_code(code)
        if 2 * len(self.used_codes) < _CODE_COUNT:
            while True:  # at least half the codes are free: two draws on average
                code = "".join(self.rng.choice(_LETTERS) for _ in range(3))
                if code not in self.used_codes:
                    return self._take_code(code)
        for code in self._free_codes:
            if code not in self.used_codes:
                return self._take_code(code)
        code = self.code_order[self._reused % _CODE_COUNT]
        self._reused += 1
        return code

    def _take_code(self, code: str) -> str:
        self.used_codes.add(code)
        self.code_order.append(code)
        return code

    def _pick_aliases(self, candidates: list[str], name: str) -> list[str]:
        candidates = [c for c in dict.fromkeys(candidates) if c and c != name]
        k = min(len(candidates), self.rng.choice((0, 1, 1, 2)))
        return self.rng.sample(candidates, k) if k else []

    def _other(self, exclude: Sequence[int]) -> int:
        """A random actor index not in ``exclude`` (``n_actors`` >= 10 > len(exclude))."""
        rng, n = self.rng, self.n_actors
        while True:
            i = rng.randrange(n)
            if i not in exclude:
                return i

    # -- sections ------------------------------------------------------------------------------

    def make_actors(self) -> None:
        rng = self.rng
        person_parents: list[int] = []  # actors a person may belong to, in creation order
        for i in range(self.n_actors):
            if i < len(_LEADING_KINDS):
                kind = _LEADING_KINDS[i]
            else:
                kind = rng.pick(ACTOR_KINDS, self._cw_actor_kinds)
            actor: dict[str, Any] = {"id": f"A{i + 1:04d}"}
            aliases: list[str] = []
            country: str | None = None
            part_of: int | None = None
            description: str | None = None
            if kind == "state":
                name = self._unique_name(self._country_name)
                country = self._country_code(name)
                aliases = [f"Republic of {name}", country, f"State of {name}"]
                self.state_codes.append(country)
            elif kind == "alliance":
                name = self._unique_name(self._alliance_name)
                aliases = [_acronym(name)]
            elif kind in ("agency", "armed_force"):
                part_of = rng.choice(self.kind_index["state"])
                parent = self.actor_names[part_of]
                country = self.actors[part_of]["country"]
                if kind == "agency":
                    label, short = rng.choice(_AGENCY_KINDS)
                    name = f"{parent} {label}"
                    aliases = [f"{country}-{short}", f"{label} of {parent}"]
                else:
                    label = rng.choice(_FORCE_KINDS)
                    name = f"{parent} {label}"
                    aliases = [f"{country} {label}", f"Armed Forces of {parent}"]
            elif kind == "person":
                part_of = rng.choice(person_parents)
                first, last = rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)
                name = f"{first} {last}"
                title = rng.choice(_PERSON_TITLES)
                aliases = [last, f"{title} {last}", f"{first[0]}. {last}"]
                description = f"{title}, {self.actor_names[part_of]}"
                country = self.actors[part_of].get("country")
            else:  # non_state_group
                name = self._unique_name(self._group_name)
                aliases = [_acronym(name)]
                if rng.random() < 0.5:
                    country = rng.choice(self.state_codes)
            actor["name"] = name
            actor["kind"] = kind
            chosen = self._pick_aliases(aliases, name)
            if chosen:
                actor["aliases"] = chosen
            if country is not None:
                actor["country"] = country
            if part_of is not None:
                actor["part_of"] = self.actors[part_of]["id"]
            if description is not None:
                actor["description"] = description
            self.actors.append(actor)
            self.actor_names.append(name)
            self.kind_index[kind].append(i)
            if kind in ("state", "agency", "armed_force", "non_state_group"):
                person_parents.append(i)

    def make_places(self) -> None:
        rng = self.rng
        for _ in range(self.n_places):
            base = rng.choice(_SYL_START) + rng.choice(_SYL_MID) + rng.choice(_PLACE_SUFFIX)
            suffix = rng.choice(_PLACE_KIND)
            name = f"{base} {suffix}" if suffix else base
            place = {
                "name": name,
                "lat": round(rng.uniform(-55.0, 70.0), 4),
                "lon": round(rng.uniform(-179.9, 179.9), 4),
                "country": rng.choice(self.state_codes),
            }
            self.places.append(place)
            self.place_phrases.append(f"in {name}")

    def make_sources(self) -> None:
        rng = self.rng
        cw_kind = _cum(_SOURCE_KIND_WEIGHTS)
        cw_rel = _cum(_RELIABILITY_WEIGHTS)
        cw_lang = _cum(_LANGUAGE_WEIGHTS)
        prec = (_DAY, _MONTH, _YEAR)
        cw_prec = _cum((80, 15, 5))
        states = self.kind_index["state"]
        for i in range(self.n_sources):
            sid = f"src-{i + 1:06d}"
            kind = rng.pick(_SOURCE_KINDS, cw_kind)
            language = rng.pick(_LANGUAGES, cw_lang)
            a, b = rng.sample(states, 2)
            template = rng.choice(_TITLE_TEMPLATES[language])
            title = template.format(a=self.actor_names[a], b=self.actor_names[b])
            src: dict[str, Any] = {"id": sid, "title": title}
            if kind == "news" or rng.random() < 0.3:
                src["publisher"] = rng.choice(_PUBLISHERS)
            if rng.random() < 0.4:
                src["author"] = rng.choice(_AUTHORS)
            if rng.random() < 0.8:
                src["url"] = f"https://{_SOURCE_HOSTS[kind]}/a/{rng.randrange(1, 10_000_000)}"
            src["language"] = language
            if rng.random() < 0.9:
                ordinal = rng.randint(_SOURCE_MIN, _EVENT_MAX)
                precision = rng.pick(prec, cw_prec)
                src["published"] = _fmt_date(ordinal, precision)
            src["reliability"] = rng.pick(_RELIABILITY, cw_rel)
            src["kind"] = kind
            if rng.random() < 0.05:
                src["notes"] = 'Machine-translated; original says "sources close to the matter".'
            self.sources.append(src)
            self.source_ids.append(sid)

    def _source_refs(self, attributed: float) -> list[Any]:
        """One or two distinct sources, some attributed to an agency.

        ``rng.sample(range(n_sources), k)`` and ``rng.choice(agencies)`` are spelled out as
        :meth:`_Draws.sample` and :meth:`_Draws.choice` draw them (same numbers, same order).
        """
        rng = self.rng
        bits, rand = rng._bits, rng.random
        k = 1 if rand() < 0.7 else 2
        n = self.n_sources
        if n > 21:  # _Draws.sample's set algorithm, for k of 1 or 2
            width = n.bit_length()
            j = bits(width)
            while j >= n:
                j = bits(width)
            if k == 1:
                picked = [j]
            else:
                j2 = bits(width)
                while j2 >= n or j2 == j:
                    j2 = bits(width)
                picked = [j, j2]
        else:
            picked = rng.sample(range(n), k) if n >= k else [0]
        agencies = self.kind_index["agency"]
        source_ids = self.source_ids
        refs: list[Any] = []
        for j in picked:
            if rand() < attributed:
                m = len(agencies)
                width = m.bit_length()
                r = bits(width)
                while r >= m:
                    r = bits(width)
                agency = self.actors[agencies[r]]["id"]
                refs.append({"source": source_ids[j], "according_to": agency})
            else:
                refs.append(source_ids[j])
        return refs

    def _relation_pools(self) -> dict[str, tuple[list[int], list[int]]]:
        """Plausible (from, to) actor pools for some relation types; others use any actors."""
        ki = self.kind_index
        pools = {
            "member_of": (ki["state"] + ki["armed_force"], ki["alliance"]),
            "leads": (
                ki["person"],
                ki["state"] + ki["agency"] + ki["armed_force"] + ki["non_state_group"],
            ),
            "part_of": (ki["agency"] + ki["armed_force"], ki["state"]),
            "deploys_forces_in": (ki["state"] + ki["armed_force"], ki["state"]),
        }
        return {k: v for k, v in pools.items() if v[0] and v[1]}

    def _relation_ends(
        self, rtype: str, pools: dict[str, tuple[list[int], list[int]]]
    ) -> tuple[int, int]:
        rng = self.rng
        pair = pools.get(rtype)
        if pair is not None:
            a = rng.choice(pair[0])
            for _ in range(10):
                b = rng.choice(pair[1])
                if b != a:
                    return a, b
        a = rng.randrange(self.n_actors)
        return a, self._other((a,))

    def make_relations(self) -> list[dict[str, Any]]:
        """The relations; ``choice``, ``randint`` and ``pick`` spelled out as in :meth:`_events`."""
        rng = self.rng
        bits, rand = rng._bits, rng.random
        prec = (_DAY, _MONTH, _YEAR)
        cw_start = _cum((50, 30, 20))
        cw_end = _cum((60, 30, 10))
        cw_cred = self._cw_credibility
        cred_hi, cred_total = len(_CREDIBILITY) - 1, cw_cred[-1]
        n_types = len(RELATION_TYPES)
        k_types = n_types.bit_length()
        n_days = _EVENT_MAX - _RELATION_MIN + 1
        k_days = n_days.bit_length()
        actor_ids = [actor["id"] for actor in self.actors]
        pools = self._relation_pools()
        relation_ends, source_refs = self._relation_ends, self._source_refs
        bisect_right = bisect.bisect_right
        out: list[dict[str, Any]] = []
        for i in range(self.n_events):
            r = bits(k_types)
            while r >= n_types:
                r = bits(k_types)
            rtype = RELATION_TYPES[r]
            a, b = relation_ends(rtype, pools)
            ordinal = bits(k_days)
            while ordinal >= n_days:
                ordinal = bits(k_days)
            ordinal += _RELATION_MIN
            precision = prec[bisect_right(cw_start, rand() * cw_start[-1], 0, 2)]
            rel: dict[str, Any] = {
                "id": f"rel-{i + 1:06d}",
                "type": rtype,
                "from": actor_ids[a],
                "to": actor_ids[b],
                "start": _fmt_date(ordinal, precision),
            }
            if rand() < 0.3:
                first, last = _span(ordinal, precision)
                rel["end"] = _end_date(rng, first, last, 3650, _EVENT_MAX, prec, cw_end)
            rel["sources"] = source_refs(0.05)
            rel["credibility"] = _CREDIBILITY[
                bisect_right(cw_cred, rand() * cred_total, 0, cred_hi)
            ]
            out.append(rel)
        return out

    def _event_date(self) -> tuple[Any, int]:
        """An event date (string or mapping) and the last day it may cover."""
        rng = self.rng
        bits = rng._bits
        ordinal = bits(_EVENT_DAYS_BITS)  # rng.randint(_EVENT_MIN, _EVENT_MAX), spelled out
        while ordinal >= _EVENT_DAYS:
            ordinal = bits(_EVENT_DAYS_BITS)
        ordinal += _EVENT_MIN
        r = rng.random()
        if r < 0.70:
            return _fmt_date(ordinal, _DAY), ordinal
        if r < 0.85:
            return _fmt_date(ordinal, _MONTH), _span(ordinal, _MONTH)[1]
        if r < 0.90:
            return _fmt_date(ordinal, _YEAR), _span(ordinal, _YEAR)[1]
        if r < 0.95:
            earliest = min(ordinal, _EVENT_MAX - 1)
            latest = min(earliest + rng.randint(1, 14), _EVENT_MAX)
            bounds = {"earliest": _fmt_date(earliest, _DAY), "latest": _fmt_date(latest, _DAY)}
            return bounds, latest
        precision = _DAY if rng.random() < 0.7 else _MONTH
        first, last = _span(ordinal, precision)
        start = _fmt_date(ordinal, precision)
        end = _end_date(rng, first, last, 180, _EVENT_MAX, (_DAY, _MONTH), (70, 100))
        # the last day the duration may cover, for planned "by" dates
        end_last = max(last, min(last + 180, _EVENT_MAX))
        return {"start": start, "end": end}, end_last

    def _quantity(self, etype: str, last_day: int) -> dict[str, Any]:
        rng = self.rng
        unit = rng.choice(_UNITS_BY_TYPE.get(etype, _DEFAULT_UNITS))
        lo, hi = _UNIT_RANGES[unit]
        value = rng.randint(lo, hi)
        kind = "increment" if rng.random() < 0.3 else "total"
        r = rng.random()
        q: dict[str, Any]
        if r < 0.45:
            q = {"value": value, "unit": unit, "kind": kind}
        elif r < 0.65:
            low = max(0, value - rng.randint(0, value))
            q = {"min": low, "max": value, "unit": unit, "kind": kind, "estimate": True}
        elif r < 0.8:
            by = min(last_day + rng.randint(30, 365), _EVENT_MAX)
            by = max(by, last_day)
            precision = _DAY if rng.random() < 0.5 else _MONTH
            q = {
                "max": value,
                "unit": unit,
                "kind": kind,
                "planned": True,
                "by": _fmt_date(by, precision),
            }
        elif r < 0.9:
            q = {"min": value, "unit": unit, "text": f"at least {value:,} {unit}", "estimate": True}
        else:
            low = value - rng.randint(0, value // 2)
            high = value + rng.randint(0, value // 2)
            q = {"value": value, "min": low, "max": high, "unit": unit, "estimate": True}
        return q

    def make_events(self) -> list[dict[str, Any]]:
        return [event for chunk in self.event_chunks(_ITEMS_PER_CHUNK) for event in chunk]

    def event_chunks(self, size: int) -> Iterator[list[dict[str, Any]]]:
        """The events in lists of ``size``: the same draws as one list, so the same events."""
        for start in range(0, self.n_events, size):
            yield self._events(start, min(start + size, self.n_events))

    def _events(self, start: int, stop: int) -> list[dict[str, Any]]:
        """Events ``start`` to ``stop``: the draws of :class:`_Draws`, written out inline.

        Each ``rng.choice``/``randrange`` below is spelled as the rejection loop that
        :meth:`_Draws.choice` runs (``bits(k)`` until below ``n``, ``k = n.bit_length()``), and
        each ``pick`` as its bisection: the same numbers in the same order, without a Python
        call per draw (a third of the drawing time at a million events).
        """
        rng = self.rng
        bits, rand = rng._bits, rng.random
        names = self.actor_names
        actor_ids = [actor["id"] for actor in self.actors]
        persons = self.kind_index["person"]
        places, phrases = self.places, self.place_phrases
        n_actors, n_places = self.n_actors, self.n_places
        k_actors, k_places = n_actors.bit_length(), n_places.bit_length()
        cw_types, cw_cred = self._cw_event_types, self._cw_credibility
        types_hi, types_total = len(EVENT_TYPES) - 1, cw_types[-1]
        cred_hi, cred_total = len(_CREDIBILITY) - 1, cw_cred[-1]
        n_roles = len(_ROLES)
        k_roles = n_roles.bit_length()
        n_tails = len(_SUMMARY_TAILS)
        k_tails = n_tails.bit_length()
        n_quotes = len(_QUOTES)
        k_quotes = n_quotes.bit_length()
        n_persons = len(persons)
        k_persons = n_persons.bit_length()
        summaries = {t: (seq, len(seq), len(seq).bit_length()) for t, seq in _SUMMARIES.items()}
        event_date, quantity, source_refs = self._event_date, self._quantity, self._source_refs
        bisect_right = bisect.bisect_right
        out: list[dict[str, Any]] = []
        for i in range(start, stop):
            etype = EVENT_TYPES[bisect_right(cw_types, rand() * types_total, 0, types_hi)]
            date, last_day = event_date()
            a = bits(k_actors)
            while a >= n_actors:
                a = bits(k_actors)
            t = bits(k_actors)  # as _other((a,))
            while t >= n_actors or t == a:
                t = bits(k_actors)
            ev: dict[str, Any] = {
                "id": f"ev-{i + 1:06d}",
                "type": etype,
                "date": date,
                "actor": actor_ids[a],
                "target": actor_ids[t],
            }
            r = bits(3)  # choice((0, 0, 1, 1, 2))
            while r >= 5:
                r = bits(3)
            n_part = (0, 0, 1, 1, 2)[r]
            if n_part:
                taken = [a, t]
                parts = []
                for _ in range(n_part):
                    p = bits(k_actors)  # as _other(taken)
                    while p >= n_actors or p in taken:
                        p = bits(k_actors)
                    taken.append(p)
                    r = bits(k_roles)
                    while r >= n_roles:
                        r = bits(k_roles)
                    parts.append({"actor": actor_ids[p], "role": _ROLES[r]})
                ev["participants"] = parts
            place_phrase = "near the border"
            if rand() < 0.6:
                k = bits(k_places)
                while k >= n_places:
                    k = bits(k_places)
                ev["location"] = dict(places[k])
                place_phrase = phrases[k]
            if rand() < 0.3:
                ev["quantities"] = [
                    quantity(etype, last_day) for _ in range(1 if rand() < 0.6 else 2)
                ]
            seq, n, k = summaries[etype]
            r = bits(k)
            while r >= n:
                r = bits(k)
            summary = seq[r].format(a=names[a], t=names[t], p=place_phrase)
            if len(summary) < 100:
                r = bits(k_tails)
                while r >= n_tails:
                    r = bits(k_tails)
                tail = _SUMMARY_TAILS[r]
            else:
                tail = "."
            ev["summary"] = summary[0].upper() + summary[1:] + tail
            if etype in ("statement", "threat", "accusation") and rand() < 0.25:
                if persons:
                    speaker = bits(k_persons)
                    while speaker >= n_persons:
                        speaker = bits(k_persons)
                    speaker = persons[speaker]
                else:
                    speaker = a
                r = bits(k_quotes)
                while r >= n_quotes:
                    r = bits(k_quotes)
                ev["quote"] = {"text": _QUOTES[r], "language": "en", "speaker": actor_ids[speaker]}
            ev["sources"] = source_refs(0.15)
            ev["credibility"] = _CREDIBILITY[bisect_right(cw_cred, rand() * cred_total, 0, cred_hi)]
            out.append(ev)
        return out


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector.

    Generating and writing create millions of small acyclic containers; full collections that
    walk the growing document only cost time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def generate(n_events: int, seed: int = 0) -> dict[str, Any]:
    """Generate a synthetic knowledge base as plain Python data.

    Args:
        n_events: number of events (and of relations); actors are about ``n_events / 10``
            (at least 10) and sources about ``n_events / 20`` (at least 5).
        seed: seed of the private ``random.Random``; the same arguments give the same document.

    Returns:
        A dict with ``format_version``, ``sources``, ``actors``, ``relations`` and ``events``,
        containing only str, int, float, bool, list and dict values.
    """
    gen, relations = _draw_all_but_events(n_events, seed)
    with _no_gc():
        events = gen.make_events()
    return _document(gen, relations, events)


def _draw_all_but_events(n_events: int, seed: int) -> tuple[_Generator, list[dict[str, Any]]]:
    """The generator with actors, places and sources drawn, and the relations (drawn next)."""
    if n_events < 0:
        raise ValueError("n_events must be >= 0")
    with _no_gc():
        gen = _Generator(n_events, seed)
        gen.make_actors()
        gen.make_places()
        gen.make_sources()
        return gen, gen.make_relations()


# --------------------------------------------------------------------------------------------
# YAML writer
# --------------------------------------------------------------------------------------------

# Strings made only of these characters can be written between double quotes as they are.
_NEEDS_ESCAPE = re.compile(r"[^ !#-\[\]-~\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]")
# Characters json.dumps leaves raw that YAML double-quoted scalars cannot hold (non-printable,
# or line breaks that YAML would fold): written as \u escapes, which YAML understands.
_YAML_UNSAFE = re.compile("[\u007f-\u009f\u2028\u2029\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_PLAIN_KEY = re.compile(r"[a-z_][a-z0-9_]*\Z")
_YAML11_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def _yaml_str(s: str) -> str:
    """A YAML double-quoted scalar with JSON-style escapes."""
    if _NEEDS_ESCAPE.search(s) is None:
        return '"' + s + '"'
    if _SURROGATE.search(s) is not None:
        raise ValueError(f"lone surrogate in string {s!r}")
    text = json.dumps(s, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _yaml_float(v: float) -> str:
    """A float literal that YAML 1.1 and 1.2 resolvers both read as a float."""
    if not math.isfinite(v):
        raise ValueError(f"non-finite float {v!r} cannot be written as JSON")
    r = repr(v)
    if "e" in r and "." not in r:  # 1e-05 is a string for YAML 1.1 resolvers
        mantissa, exponent = r.split("e")
        r = f"{mantissa}.0e{exponent}"
    return r


_KEY_CACHE: dict[str, str] = {}


def _yaml_key(k: str) -> str:
    """A mapping key: plain when it is a safe identifier, else double-quoted."""
    cached = _KEY_CACHE.get(k)
    if cached is None:
        if type(k) is not str:
            raise TypeError(f"mapping keys must be strings, not {type(k).__name__}")
        plain = _PLAIN_KEY.match(k) is not None and k not in _YAML11_WORDS
        cached = k if plain else _yaml_str(k)
        if len(_KEY_CACHE) < 4096:
            _KEY_CACHE[k] = cached
    return cached


#: Quoted forms of short strings (ids, dates, types, names), which recur millions of times at a
#: million events; emptied after each document. Longer strings (summaries) are mostly unique.
_STR_CACHE: dict[str, str] = {}
_STR_CACHE_MAX_LEN = 48


def _flow(v: Any) -> str:
    """A YAML flow node for ``v`` (also valid JSON apart from unquoted keys)."""
    t = type(v)
    if t is str:
        if len(v) > _STR_CACHE_MAX_LEN:
            return _yaml_str(v)
        text = _STR_CACHE.get(v)
        if text is None:
            text = _STR_CACHE[v] = _yaml_str(v)
        return text
    if t is int:
        return str(v)
    if t is dict:
        keys = _KEY_CACHE
        return (
            "{"
            + ", ".join([f"{keys.get(k) or _yaml_key(k)}: {_flow(x)}" for k, x in v.items()])
            + "}"
        )
    if t is list or t is tuple:
        return "[" + ", ".join([_flow(x) for x in v]) + "]"
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if t is float:
        return _yaml_float(v)
    if isinstance(v, str):
        return _yaml_str(str(v))
    if isinstance(v, int):
        return str(int(v))
    raise TypeError(f"cannot write {t.__name__} as YAML")


def dump_yaml(doc: dict[str, Any]) -> str:
    """Render ``doc`` as YAML text.

    Top-level lists become block sequences; items that are mappings become block mappings whose
    values are flow nodes, other items are flow nodes. Every string is double-quoted.
    """
    return "".join(_yaml_chunks(doc))


#: Items rendered per chunk of :func:`_yaml_chunks` (a few megabytes of text).
_ITEMS_PER_CHUNK = 4096


def _yaml_chunks(doc: dict[str, Any], *, skip: int = 0, only: int | None = None) -> Iterator[str]:
    """The text of :func:`dump_yaml` in pieces of a few thousand items.

    ``skip`` / ``only`` leave out the first ``skip`` pieces / stop after ``only`` pieces, so two
    processes can each render a share of the text (:func:`write_files`).
    """
    pieces = itertools.islice(_yaml_pieces(doc), skip, None if only is None else skip + only)
    try:
        with _no_gc():
            for piece in pieces:
                yield piece if type(piece) is str else _block_items(piece)
    finally:
        _STR_CACHE.clear()
        _FIRST_LINES.clear()
        _OTHER_LINES.clear()


def _yaml_pieces(doc: dict[str, Any]) -> Iterator[str | list[Any]]:
    """The pieces of the YAML text: lines as they are, and slices of items to render."""
    yield "# Synthetic graphkit knowledge base written by benchmarks.generate\n"
    for key, value in doc.items():
        k = _yaml_key(key)
        if type(value) is not list or not value:
            yield f"{k}: {_flow(value)}\n"
            continue
        yield f"{k}:\n"
        for start in range(0, len(value), _ITEMS_PER_CHUNK):
            yield value[start : start + _ITEMS_PER_CHUNK]


def _block_items(items: list[Any]) -> str:
    """Block sequence entries: a mapping item as a block mapping of flow values."""
    strings = _STR_CACHE
    firsts, others = _FIRST_LINES, _OTHER_LINES
    parts: list[str] = []
    append = parts.append
    for item in items:
        if type(item) is not dict or not item:
            append(f"  - {_flow(item)}\n")
            continue
        heads = firsts
        for key, value in item.items():
            head = heads.get(key)
            if head is None:
                indent = "  - " if heads is firsts else "    "
                head = heads[key] = f"{indent}{_yaml_key(key)}: "
            heads = others
            # the commonest cases of _flow in line: a short string seen before, an int
            t = type(value)
            if t is str:
                text = strings.get(value)
                if text is None:
                    text = _flow(value)
            elif t is int:
                text = str(value)
            else:
                text = _flow(value)
            append(f"{head}{text}\n")
    return "".join(parts)


#: Key -> the line up to its value, for an item's first key (``"  - id: "``) and the others.
_FIRST_LINES: dict[str, str] = {}
_OTHER_LINES: dict[str, str] = {}


def write_yaml(doc: dict[str, Any], path: str | Path) -> None:
    """Write ``doc`` as UTF-8 YAML text to ``path`` (see :func:`dump_yaml`), piece by piece."""
    with Path(path).open("wb") as out:
        for text in _yaml_chunks(doc):
            out.write(text.encode("utf-8"))


#: Share of the YAML pieces (by count) a forked process renders in :func:`write_files`: the
#: parent renders the rest and writes the JSON copy, which costs about as much as a third of
#: the YAML text.
_FORKED_SHARE = 0.6


def write_files(
    doc: dict[str, Any], yaml_path: str | Path, json_path: str | Path | None, *, jobs: int = 2
) -> None:
    """Write ``doc`` as YAML (and JSON, unless ``json_path`` is None), in two processes if asked.

    With ``jobs`` 2 (where ``os.fork`` exists) a forked child renders the last pieces of the YAML
    text into a temporary file beside ``yaml_path`` while this process renders the first pieces
    and writes the JSON; the child's text is then appended. The files are the same bytes as
    :func:`write_yaml` and :func:`write_json` write (a million events: about 25 s instead of 45 s
    on two cores).
    """
    yaml_path = Path(yaml_path)
    if jobs < 2 or not hasattr(os, "fork"):
        write_yaml(doc, yaml_path)
        if json_path is not None:
            write_json(doc, json_path)
        return
    _write_forked(doc, yaml_path, json_path, None)


def generate_files(
    n_events: int,
    seed: int,
    yaml_path: str | Path,
    json_path: str | Path | None,
    *,
    jobs: int = 2,
) -> dict[str, Any]:
    """``write_files(generate(n_events, seed), ...)``, with the writing overlapping the drawing.

    The random stream is one sequence, so the drawing stays in this process; with ``jobs`` 2
    the YAML text is rendered meanwhile by two forked children: one renders the sources, actors
    and relations (drawn first) while this process draws the events, the other renders the
    events as they are drawn, sent to it a few thousand at a time through a pipe. This process
    then writes the JSON and puts the YAML parts together. The files are the same bytes as
    :func:`write_files` writes; the document is returned.
    """
    yaml_path = Path(yaml_path)
    if jobs < 2 or not hasattr(os, "fork"):
        doc = generate(n_events, seed)
        write_files(doc, yaml_path, json_path, jobs=jobs)
        return doc
    gen, relations = _draw_all_but_events(n_events, seed)
    head = _document(gen, relations, [])
    del head["events"]
    parts = [yaml_path.with_name(yaml_path.name + suffix) for suffix in (".head", ".events")]
    pids: list[int] = []
    try:
        pids.append(_fork_render(head, parts[0], skip=0, only=None))
        events: list[dict[str, Any]] = []
        read_end, write_end = os.pipe()
        pids.append(_fork(partial(_render_sent_events, read_end, parts[1]), close=(write_end,)))
        os.close(read_end)
        _widen(write_end)
        with os.fdopen(write_end, "wb") as pipe, _no_gc():
            for chunk in gen.event_chunks(_ITEMS_PER_CHUNK):
                events.extend(chunk)
                _send(pipe, chunk)
        doc = _document(gen, relations, events)
        if json_path is not None:
            write_json(doc, json_path)
        with yaml_path.open("wb") as out:
            for part in parts:
                _wait(pids.pop(0), yaml_path)
                with part.open("rb") as text:
                    shutil.copyfileobj(text, out, 1 << 24)
    finally:
        for pid in pids:
            _stop(pid)
        for part in parts:
            part.unlink(missing_ok=True)
    return doc


#: How a chunk of events travels to the process that renders it: a length, then its bytes.
_LENGTH = 8


def _send(pipe: BinaryIO, chunk: list[dict[str, Any]]) -> None:
    data = _dumps_chunk(chunk)
    pipe.write(len(data).to_bytes(_LENGTH, "little"))
    pipe.write(data)


def _dumps_chunk(chunk: list[dict[str, Any]]) -> bytes:
    """A chunk of events as bytes that give back the same values (floats included)."""
    if _orjson is not None:
        return _orjson.dumps(chunk)
    return pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL)


def _loads_chunk(data: bytes) -> list[dict[str, Any]]:
    loaded = _orjson.loads(data) if _orjson is not None else pickle.loads(data)
    return cast(list[dict[str, Any]], loaded)


def _render_sent_events(read_end: int, path: Path) -> None:
    """Render the events sent through ``read_end`` as the ``events`` section of the YAML."""
    key = _yaml_key("events")
    written = False
    with os.fdopen(read_end, "rb") as pipe, path.open("wb") as out, _no_gc():
        while size := pipe.read(_LENGTH):
            chunk = _loads_chunk(pipe.read(int.from_bytes(size, "little")))
            if not written:
                out.write(f"{key}:\n".encode())
                written = True
            out.write(_block_items(chunk).encode("utf-8"))
        if not written:  # no events: as _yaml_pieces writes an empty list
            out.write(f"{key}: {_flow([])}\n".encode())


def _widen(fd: int) -> None:
    """Let the pipe hold a whole chunk of events, so the drawing seldom waits for the reader."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 1 << 22)
    except (ImportError, AttributeError, OSError):  # pragma: no cover - not Linux, or capped
        pass


def _document(gen: _Generator, relations: list[Any], events: list[Any]) -> dict[str, Any]:
    return {
        "format_version": 1,
        "sources": gen.sources,
        "actors": gen.actors,
        "relations": relations,
        "events": events,
    }


def _piece_count(doc: dict[str, Any]) -> int:
    return sum(1 for _ in _yaml_pieces(doc))


def _fork_render(doc: dict[str, Any], path: Path, *, skip: int, only: int | None) -> int:
    """Fork a child that writes pieces ``skip`` .. ``skip + only`` of ``doc``'s YAML to ``path``."""

    def render() -> None:
        with path.open("wb") as out:
            for text in _yaml_chunks(doc, skip=skip, only=only):
                out.write(text.encode("utf-8"))

    return _fork(render)


def _fork(work: Callable[[], None], *, close: tuple[int, ...] = ()) -> int:
    """Run ``work`` in a forked child (exit status 0 if it returns); return the child's id.

    The child first closes the file descriptors ``close`` (the writing end of its own pipe: a
    reader that holds it open would never see the end).
    """
    sys.stdout.flush()
    sys.stderr.flush()
    gc.freeze()  # the collector walks none of the document in either process
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child; its output is checked by the parent
        status = 1
        try:
            for fd in close:
                os.close(fd)
            work()
            status = 0
        finally:
            os._exit(status)
    gc.unfreeze()
    return pid


def _wait(pid: int, yaml_path: Path) -> None:
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"a process writing part of {yaml_path} failed")


def _stop(pid: int) -> None:
    if pid:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)


def _write_forked(
    doc: dict[str, Any],
    yaml_path: Path,
    json_path: str | Path | None,
    head: tuple[int, Path, int] | None,
) -> None:
    """Write the files with a forked child rendering the last pieces of the YAML.

    ``head`` is (pieces, file, process) when the first pieces are being rendered into that file
    by that process already (:func:`generate_files`); this process renders the pieces between,
    writes the JSON and puts the three parts together.
    """
    done, head_part, head_pid = head if head is not None else (0, None, 0)
    total = _piece_count(doc)
    mine = total - done - int((total - done) * _FORKED_SHARE)
    part = yaml_path.with_name(yaml_path.name + ".part")
    pid = _fork_render(doc, part, skip=done + mine, only=None)
    gc.freeze()
    try:
        with yaml_path.open("wb") as out:
            if head_pid:
                _wait(head_pid, yaml_path)
                head_pid = 0
            if head_part is not None:
                with head_part.open("rb") as first:
                    shutil.copyfileobj(first, out, 1 << 24)
            for text in _yaml_chunks(doc, skip=done, only=mine):
                out.write(text.encode("utf-8"))
            if json_path is not None:
                write_json(doc, json_path)
            _wait(pid, yaml_path)
            pid = 0
            with part.open("rb") as rest:
                shutil.copyfileobj(rest, out, 1 << 24)
    finally:
        _stop(pid)
        _stop(head_pid)
        gc.unfreeze()
        part.unlink(missing_ok=True)


def dump_json(doc: dict[str, Any]) -> bytes:
    """Serialise ``doc`` as UTF-8 JSON bytes, keys in document order, indented by 2 spaces.

    Uses orjson when installed, else the standard library; both give the same bytes for
    generated documents.
    """
    if _orjson is not None:
        return _orjson.dumps(doc, option=_orjson.OPT_INDENT_2 | _orjson.OPT_APPEND_NEWLINE)
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_json(doc: dict[str, Any], path: str | Path) -> None:
    """Write ``doc`` as JSON to ``path`` (see :func:`dump_json`)."""
    Path(path).write_bytes(dump_json(doc))


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate",
        description="Generate a deterministic synthetic graphkit knowledge base.",
    )
    parser.add_argument("--events", type=int, required=True, metavar="N", help="number of events")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="YAML file to write")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--json", type=Path, default=None, help="JSON file (default: OUTPUT.json)")
    group.add_argument("--no-json", action="store_true", help="do not write the JSON copy")
    parser.add_argument(
        "--jobs", type=int, default=2, metavar="J", help="processes writing the files (1 or 2)"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing")
    args = parser.parse_args(argv)
    if args.events < 0:
        parser.error("--events must be >= 0")
    if args.jobs < 1:
        parser.error("--jobs must be >= 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit status."""
    args = _parse_args(argv)
    t0 = time.perf_counter()
    json_path = None
    if not args.no_json:
        json_path = args.json if args.json is not None else args.output.with_suffix(".json")
    doc = generate_files(args.events, args.seed, args.output, json_path, jobs=args.jobs)
    t1 = time.perf_counter()
    written = [args.output] + ([json_path] if json_path is not None else [])
    if not args.quiet:
        sizes = ", ".join(f"{p} ({p.stat().st_size:,} bytes)" for p in written)
        print(
            f"generated {len(doc['events'])} events, {len(doc['relations'])} relations, "
            f"{len(doc['actors'])} actors, {len(doc['sources'])} sources and wrote them in "
            f"{t1 - t0:.2f}s ({args.jobs} process{'es' if args.jobs > 1 else ''}): {sizes}",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
