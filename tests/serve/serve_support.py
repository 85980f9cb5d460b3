"""Helpers of the ``graphkit serve`` tests: a small knowledge base, the server as a process
(stopped by its own PID), a browser tab on its preview."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
#: Seconds a test waits for the server or the page before failing with a message.
WAIT = 60

KB = """\
format_version: 1
sources:
  - {id: s1, title: "NIS briefing", publisher: Yonhap, url: "https://example.org/nis", reliability: B}
actors:
  - {id: PRK, name: North Korea, kind: state}
  - {id: RUS, name: Russia, kind: state}
  - {id: UKR, name: Ukraine, kind: state}
relations:
  - {id: war, type: at_war_with, from: RUS, to: UKR, start: 2022-02-24, sources: [s1]}
events:
  - id: deploy
    type: troop_deployment
    date: 2024-10
    actor: PRK
    target: RUS
    location: {name: Vladivostok, lat: 43.1, lon: 131.9}
    summary: "North Korea sends troops."
    sources: [s1]
  - id: talk
    type: statement
    date: 2024-10-23
    actor: RUS
    summary: "Russia neither confirms nor denies."
    sources: [s1]
"""


def event_yaml(event_id: str, summary: str, date: str = "2024-11-05") -> str:
    """One more event for :data:`KB` (appended at the end of the events list)."""
    return (
        f"  - id: {event_id}\n    type: attack\n    date: {date}\n    actor: UKR\n"
        f'    target: RUS\n    summary: "{summary}"\n    sources: [s1]\n'
    )


def statement_yaml(event_id: str, summary: str, date: str = "2024-10-25") -> str:
    """One more statement by RUS for :data:`KB`: it adds no escalation step."""
    return (
        f"  - id: {event_id}\n    type: statement\n    date: {date}\n    actor: RUS\n"
        f'    summary: "{summary}"\n    sources: [s1]\n'
    )


@dataclass
class Served:
    """A running ``graphkit serve`` process and what it printed on stderr."""

    process: subprocess.Popen[str]
    url: str
    port: int
    file: Path
    lines: list[str] = field(default_factory=list)
    reader: threading.Thread | None = None
    _queue: queue.Queue[str | None] = field(default_factory=queue.Queue)

    def wait_for_line(self, pattern: str, timeout: float = WAIT) -> str:
        """The next stderr line matching ``pattern`` (a regex), or fail saying what was seen."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            try:
                line = self._queue.get(timeout=max(left, 0.01))
            except queue.Empty:
                line = None
            if line is None and (left <= 0 or self.process.poll() is not None):
                raise AssertionError(
                    f"graphkit serve printed no line matching {pattern!r} within {timeout} s; "
                    f"stderr so far: {self.lines!r}"
                )
            if line is not None and re.search(pattern, line):
                return line

    def stop(self, timeout: float = 20) -> tuple[int, str]:
        """Send SIGINT (Ctrl-C) to the server's own PID; return its exit code and stderr."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGINT)
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(
                f"graphkit serve did not stop within {timeout} s of SIGINT"
            ) from None
        if self.reader is not None:  # the last lines, then the pipe is closed
            self.reader.join(timeout)
        if self.process.stderr is not None:
            self.process.stderr.close()
        return code, "\n".join(self.lines)


def start_server(path: Path, *args: str) -> Served:
    """Start ``graphkit serve PATH --port 0`` and wait until it says where it listens."""
    process = subprocess.Popen(
        [sys.executable, "-m", "graphkit", "serve", path.name, "--port", "0", *args],
        cwd=path.parent,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    served = Served(process, "", 0, path)

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            served.lines.append(line.rstrip("\n"))
            served._queue.put(line.rstrip("\n"))
        served._queue.put(None)

    served.reader = threading.Thread(target=read, daemon=True)
    served.reader.start()
    line = served.wait_for_line(r"serving .* at http://")
    match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    assert match, line
    served.url, served.port = match.group(0), int(match.group(1))
    return served


@dataclass
class Shell:
    """A browser tab on the preview shell, with what it logged and what was blocked."""

    page: Any
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def frame(self) -> Any:
        """The frame showing the current page (the shown one, not one still drawing)."""
        handle = self.page.wait_for_selector("iframe.gk-view:not(.gk-loading)", timeout=WAIT * 1000)
        return handle.content_frame()

    def mark_frame(self) -> None:
        """Mark the shown frame's document, to tell later whether it was updated in place."""
        self.frame().evaluate("() => { window.__sameDocument = true; }")

    def same_frame_document(self) -> bool:
        """Whether the shown frame still has the document :meth:`mark_frame` marked."""
        return self.frame().evaluate("() => window.__sameDocument === true") is True

    def save_in_place(self, path: Path, text: str, revision: int, what: str) -> None:
        """Save ``text`` and wait for ``revision``, shown by updating the same document."""
        self.mark_frame()
        path.write_text(text, encoding="utf-8")
        self.wait_revision(revision, what)
        assert self.same_frame_document(), f"the page was loaded anew, not updated ({what})"

    def counters(self) -> dict[str, int]:
        """Frames swapped in and updates made in place so far."""
        return dict(
            self.page.evaluate(
                "() => ({swaps: graphkitShell.swaps, updates: graphkitShell.updates})"
            )
        )

    def revision(self) -> int:
        return int(self.page.evaluate("() => window.graphkitShell.revision"))

    def wait_revision(self, revision: int, what: str) -> None:
        """Wait until the page shows ``revision`` (pushed by the server, no reload)."""
        try:
            self.page.wait_for_function(
                "r => window.graphkitShell && window.graphkitShell.revision >= r",
                arg=revision,
                timeout=WAIT * 1000,
            )
        except Exception as exc:
            raise AssertionError(
                f"the page did not show revision {revision} ({what}) within {WAIT} s; it shows "
                f"{self.page.evaluate('() => window.graphkitShell.revision')}; "
                f"status: {self.page.text_content('#gk-status')!r}; page errors: {self.errors}"
            ) from exc

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        target = ARTIFACTS / name
        self.page.screenshot(path=str(target))
        return target
