"""The pictures in docs/timelines.md are made from the current code (scripts/screenshots.py)."""

from __future__ import annotations

import importlib.util
import json
import sys
from types import ModuleType

from .conftest import ROOT


def _screenshots() -> ModuleType:
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts" / "screenshots.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_screenshots_are_of_the_current_pages() -> None:
    script = _screenshots()
    assert script.stale() == [], "docs/images is stale: run python scripts/screenshots.py"


def test_every_screenshot_is_shown_in_the_docs() -> None:
    manifest = json.loads((ROOT / "docs" / "images" / "screenshots.json").read_text("utf-8"))
    docs = (ROOT / "docs" / "timelines.md").read_text("utf-8")
    for name in manifest:
        assert f"images/{name}.png" in docs, name


def test_a_changed_page_is_stale() -> None:
    script = _screenshots()
    manifest = json.loads((ROOT / "docs" / "images" / "screenshots.json").read_text("utf-8"))
    manifest["network"]["sha256"] = "0" * 64
    assert script.stale(manifest) == ["network"]
    # the report's generation time is not part of the page's identity
    assert script.digest("generated 2024-10-01 12:00 UTC x") == script.digest(
        "generated 2025-01-02 09:30 UTC x"
    )
