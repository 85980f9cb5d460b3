"""Fixtures for the ``graphkit serve`` tests: a knowledge base file, the server as a process
(stopped by its own PID), and a headless Chromium that reaches nothing but that server."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_support import KB, Served, Shell, start_server  # noqa: E402


@pytest.fixture
def kb_file(tmp_path: Path) -> Path:
    path = tmp_path / "crisis.yaml"
    path.write_text(KB, encoding="utf-8")
    return path


@pytest.fixture
def served(kb_file: Path) -> Iterator[Served]:
    """The server on :func:`kb_file`; stopped with SIGINT by PID at the end."""
    running = start_server(kb_file)
    yield running
    if running.process.poll() is None:
        running.stop()


@pytest.fixture
def open_shell(browser: Any) -> Iterator[Callable[..., Shell]]:
    """Open the preview of a server with every request elsewhere aborted; wait for the page."""
    pages: list[Any] = []

    def open_(
        served: Served, page_name: str = "timeline", *, width: int = 1400, height: int = 900
    ) -> Shell:
        page = browser.new_page(viewport={"width": width, "height": height})
        pages.append(page)
        shell = Shell(page)
        page.on("console", lambda m: shell.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: shell.errors.append(f"pageerror: {e}"))

        def route(r: Any) -> None:
            if r.request.url.startswith(served.url):
                r.continue_()
            else:
                shell.blocked.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.goto(f"{served.url}#{page_name}", wait_until="commit")
        shell.wait_revision(1, "the first version")
        return shell

    yield open_
    for page in pages:
        page.close()
