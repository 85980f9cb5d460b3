"""Severity within a hostility level: the Correlates of War MID fatality levels.

The MID hostility level cannot tell a naval blockade from a lethal shoot-down: both are a use of
force (4). The MID codebook records a second ordinal variable beside it, the *fatality level*
(``fatality``: 0 none, 1 for 1–25 deaths, 2 for 26–100, 3 for 101–250, 4 for 251–500, 5 for
501–999, 6 for more than 999; -9 unknown). graphkit reads an event's deaths from its figures
that count the killed (a ``measure`` or ``unit`` that says killed, dead, deaths, fatalities or
died, and not wounded or injured: "killed or wounded" is not a death toll), takes the accepted
figure when they compete (the claim rule of :mod:`.quantities`), and places it in those bands.

The fatality level then weighs *within* a hostility level, never across: on the ladder a lethal
act above the dyad's current fatality level at the same hostility level is a step
(:mod:`.ladder`); in the index it adds one point per band to the act's Goldstein intensity
(:mod:`.index`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from graphkit.model.event import Event
from graphkit.query.escalation.context import ScanContext
from graphkit.query.escalation.quantities import Figure, accepted

__all__ = ["FATALITY_BANDS", "Fatalities", "counts_killed", "fatalities", "fatality_level"]

#: The MID codebook's fatality levels: (level, first death count, last death count, label).
FATALITY_BANDS = (
    (0, 0, 0, "no deaths"),
    (1, 1, 25, "1–25 deaths"),
    (2, 26, 100, "26–100 deaths"),
    (3, 101, 250, "101–250 deaths"),
    (4, 251, 500, "251–500 deaths"),
    (5, 501, 999, "501–999 deaths"),
    (6, 1000, None, "more than 999 deaths"),
)

_KILLED = re.compile(r"\b(killed|kill|dead|deaths?|fatalit(y|ies)|died|kia)\b")
_NOT_ONLY_KILLED = re.compile(r"\b(wounded|injured|injuries|casualt(y|ies)|missing)\b")


@lru_cache(maxsize=4096)
def counts_killed(measure: str | None, unit: str | None) -> bool:
    """Whether a figure with this measure and unit counts the killed (and only them).

    Examples:
        >>> counts_killed("prk_killed", "soldiers"), counts_killed(None, "fatalities")
        (True, True)
        >>> counts_killed("prk_killed_or_wounded", "soldiers"), counts_killed("crew", "people")
        (False, False)
    """
    words = re.sub(r"[^a-z]+", " ", f"{measure or ''} {unit or ''}".lower())
    return bool(_KILLED.search(words)) and not _NOT_ONLY_KILLED.search(words)


def fatality_level(deaths: float) -> int:
    """The MID fatality level of a death toll (0–6).

    Examples:
        >>> [fatality_level(n) for n in (0, 1, 25, 26, 300, 999, 1000)]
        [0, 1, 1, 2, 4, 5, 6]
    """
    if deaths < 1:
        return 0
    for level, _, last, _ in FATALITY_BANDS[1:]:
        if last is None or deaths <= last:
            return level
    raise AssertionError("unreachable: the last band is open")


class Fatalities:
    """An event's accepted death toll, its MID fatality level, and the figure that gave it.

    ``figure`` is the accepted figure when several competed, None when the event had one toll.
    """

    __slots__ = ("deaths", "figure", "level")

    def __init__(self, deaths: float, figure: object) -> None:
        self.deaths = deaths
        self.level = fatality_level(deaths)
        self.figure = figure

    @property
    def label(self) -> str:
        """``26–100 deaths (MID fatality level 2)``."""
        return f"{FATALITY_BANDS[self.level][3]} (MID fatality level {self.level})"


def fatalities(ctx: ScanContext, event: Event) -> Fatalities | None:
    """The accepted death toll of an event (None when no figure counts its killed).

    Cached per scan: the ladder and the index both ask.
    """
    for q in event.quantities:  # any(...) without a generator: the ladder asks per act
        if counts_killed(q.measure, q.unit):
            break
    else:
        return None
    cache = ctx.cache.setdefault("fatalities", {})
    assert isinstance(cache, dict)
    if event.id in cache:
        found: Fatalities | None = cache[event.id]
        return found
    kb = ctx.kb
    tolls = [
        q
        for q in event.quantities
        if not q.planned
        and counts_killed(q.measure, q.unit)
        and (
            not (q.sources or q.credibility is not None)
            or kb.trusts(
                q.sources or event.sources,
                q.credibility if q.credibility is not None else event.credibility,
            )
        )
    ]
    found = None
    if len(tolls) == 1:  # the common case: one toll, nothing competes
        found = Fatalities(float(tolls[0].central), None)
    elif tolls:
        number, lead = accepted([Figure(kb, "fatalities", event, q, ()) for q in tolls])
        found = Fatalities(number, lead)
    cache[event.id] = found
    return found
