"""One escalation scan for both the steps and the index (``escalation_scan``).

The main job and the report ask for both; the scan object must give exactly what
``escalations`` and ``escalation_index`` give with the same filters, in either order of asking,
and leave no reference cycle behind (a frozen cycle is never freed, see graphkit._gc).
"""

import gc
import weakref
from pathlib import Path

import pytest

import graphkit as gk
from graphkit.query.escalation import (
    EscalationScan,
    escalation_index,
    escalation_scan,
    escalations,
)
from graphkit.query.escalation.ladder import walk

ROOT = Path(__file__).resolve().parents[2]
DATASETS = [ROOT / "data" / "events.yaml", ROOT / "examples" / "data" / "red_sea_2023_2024.yaml"]


@pytest.fixture(scope="module", params=DATASETS, ids=lambda p: p.stem)
def kb(request):
    return gk.load(request.param)


def _scopes(kb):
    steps = escalations(kb)
    parties = sorted({p for s in steps for p in s.parties})
    conflict = next((s.conflict for s in steps if s.conflict), None)
    actor = parties[0]
    return [
        {},
        {"actor": actor},
        {"dyad": (parties[0], parties[1])},
        {"since": "2024-01", "until": "2024-12"},
        *([{"conflict": conflict}] if conflict else []),  # a conflict is named by a war relation
    ]


def test_the_scan_gives_what_the_functions_give_in_any_order(kb):
    scopes = _scopes(kb)
    filtered_first = escalation_scan(kb)  # a filtered query before the full list is sorted
    for scope in reversed(scopes):
        assert filtered_first.steps(**scope).to_json() == escalations(kb, **scope).to_json()
    scan = escalation_scan(kb)
    assert scan.steps().to_json() == escalations(kb).to_json()
    for scope in scopes:
        assert scan.steps(**scope).to_json() == escalations(kb, **scope).to_json()
        for freq in ("day", "week", "month"):
            assert (
                scan.index(**scope, freq=freq).to_json()
                == escalation_index(kb, **scope, freq=freq).to_json()
            )
    kinds = ["de_escalation", "widening"]
    assert scan.steps(kinds=kinds).to_json() == escalations(kb, kinds=kinds).to_json()


def test_known_at_scopes_the_scan(kb):
    scan = escalation_scan(kb, known_at="2024-06")
    assert isinstance(scan, EscalationScan)
    assert scan.steps().to_json() == escalations(kb, known_at="2024-06").to_json()
    assert scan.index().to_json() == escalation_index(kb, known_at="2024-06").to_json()


def test_a_scan_is_freed_without_a_collection(kb):
    scan = escalation_scan(kb)
    scan.steps()
    scan.index()
    gone = weakref.ref(scan.context)
    walked = weakref.ref(walk(scan.context))
    enabled = gc.isenabled()
    gc.disable()
    try:
        del scan
        assert gone() is None
        assert walked() is None
    finally:
        if enabled:
            gc.enable()
