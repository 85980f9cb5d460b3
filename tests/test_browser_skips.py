"""Without a usable Chromium every browser test skips and says why (never fails)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _browser_test_files() -> list[str]:
    """The test files that hold browser tests (collecting only them keeps this test quick)."""
    return sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "tests").rglob("test_*.py")
        if "mark.browser" in path.read_text(encoding="utf-8")
    )


@pytest.mark.slow
def test_every_browser_test_skips_with_its_reason_without_chromium(tmp_path):
    env = {**os.environ, "GRAPHKIT_TEST_CHROMIUM": str(tmp_path / "no-chromium")}
    env.pop("BROWSER_PATH", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-m", "browser", "-rs", "-q", *_browser_test_files()],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    summary = result.stdout.strip().splitlines()[-1]
    assert result.returncode == 0, result.stdout[-3000:]
    assert "skipped" in summary and "passed" not in summary and "failed" not in summary, summary
    assert "no-chromium is missing: run scripts/install-browser" in result.stdout


def test_the_static_export_test_is_a_browser_test():
    """It needs Chromium through kaleido, so it carries the mark (and skips with the others)."""
    text = (ROOT / "tests" / "render" / "test_browser.py").read_text(encoding="utf-8")
    assert "pytestmark = pytest.mark.browser" in text
    assert "def test_static_png_export_uses_system_chromium" in text


def test_scripts_test_installs_the_browser_where_it_can():
    script = (ROOT / "scripts" / "test").read_text(encoding="utf-8")
    assert "scripts/install-browser" in script
