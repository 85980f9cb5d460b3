"""Shared fixtures and the hypothesis profiles."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

import graphkit as gk
from benchmarks.timeline_bench import LAUNCH_ARGS  # the same browser flags as the benchmarks

ROOT = Path(__file__).resolve().parents[1]
# Shared Hypothesis strategies: ``from strategies import documents`` (tests/strategies.py).
sys.path.insert(0, str(Path(__file__).resolve().parent))
FLAGSHIP = ROOT / "data" / "events.yaml"
#: The headless browser of the browser tests (Debian's; GRAPHKIT_TEST_CHROMIUM points elsewhere,
#: e.g. at a missing file to check that every browser test then skips).
CHROMIUM = os.environ.get("GRAPHKIT_TEST_CHROMIUM", "/usr/bin/chromium")

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("dev", max_examples=200, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a YAML file under the test's temporary folder and return its path."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@functools.cache
def chromium_problem() -> str | None:
    """Why headless Chromium cannot be used here, or ``None`` when it starts (checked once)."""
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is missing: run scripts/install-browser (Debian's chromium)"
    probe = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", "about:blank"]
    try:
        subprocess.run(probe, capture_output=True, timeout=120, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"{CHROMIUM} cannot start headless here: {exc}"
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Every test marked ``browser`` skips, with the reason, where Chromium cannot be had."""
    if item.get_closest_marker("browser") is not None:
        problem = chromium_problem()
        if problem is not None:
            pytest.skip(problem)


@pytest.fixture(scope="session")
def flagship() -> gk.KnowledgeBase:
    """The flagship dataset, loaded once."""
    return gk.load(FLAGSHIP)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session (Playwright's sync API runs once per process)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is missing: run scripts/install-browser (Debian's chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield launched
        launched.close()
