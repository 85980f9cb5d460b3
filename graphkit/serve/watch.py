"""Watch knowledge base files with watchfiles (inotify, FSEvents or polling) in threads.

A file argument is watched through its folder, without subfolders, so that editors that save by
writing a new file and renaming it over the old one (vim, many IDEs) are seen; a folder argument
is watched with its subfolders, for ``.yaml`` and ``.yml`` files only. Changes that arrive
within :data:`STEP_MS` of each other are reported together, once. :func:`wait_written` holds a
reload back while a changed file is empty (an editor that saves in place truncates the file,
then writes it).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from graphkit.errors import GraphkitError

__all__ = ["STEP_MS", "MissingDependencyError", "Watcher", "require_watchfiles", "wait_written"]

#: Milliseconds without a new change before a batch of changes is reported.
STEP_MS = 50
_SUFFIXES = (".yaml", ".yml")
#: Seconds a reload waits at most for an emptied file to be written (then it reads it empty).
EMPTY_WAIT = 0.5


def wait_written(paths: Sequence[str], timeout: float = EMPTY_WAIT, poll: float = 0.01) -> float:
    """Wait while one of ``paths`` is an empty file, at most ``timeout`` seconds; return the wait.

    An editor saving in place truncates the file, then writes it: on a busy machine the
    watcher can report the truncation alone (writing a 6 MB file took longer than
    :data:`STEP_MS` under load), and the reload would show an error for an empty file, then
    redraw everything once more for the written one. A file emptied on purpose is read after
    ``timeout``. A missing file or folder is not waited for.

    Examples:
        >>> import pathlib, tempfile
        >>> empty = pathlib.Path(tempfile.mkdtemp()) / "kb.yaml"
        >>> _ = empty.write_text("")
        >>> wait_written([str(empty)], timeout=0.05) >= 0.05
        True
        >>> _ = empty.write_text("format_version: 1")
        >>> wait_written([str(empty)])
        0.0
    """
    start = time.monotonic()
    waited = 0.0
    while waited < timeout and any(_empty_file(p) for p in paths):
        time.sleep(poll)
        waited = time.monotonic() - start
    return waited


def _empty_file(path: str) -> bool:
    try:
        return os.path.isfile(path) and os.path.getsize(path) == 0
    except OSError:
        return False


class MissingDependencyError(GraphkitError):
    """An optional dependency of ``graphkit serve`` is missing; the message says what to run."""


def distribution_name() -> str:
    """The name pip installs graphkit by (``[project].name``), for install hints."""
    from importlib.metadata import PackageNotFoundError, packages_distributions

    try:
        names = packages_distributions().get("graphkit") or []
    except PackageNotFoundError:  # pragma: no cover - metadata of a broken install
        names = []
    return names[0] if names else "graphkit"


def require_watchfiles() -> Any:
    """Import watchfiles, or raise :class:`MissingDependencyError` naming the pip command."""
    try:
        import watchfiles
    except ImportError as exc:
        raise MissingDependencyError(
            "graphkit serve needs the optional 'serve' dependencies (watchfiles); "
            f"install them with: pip install '{distribution_name()}[serve]'"
        ) from exc
    return watchfiles


class Watcher:
    """Call ``on_change(paths)`` from a background thread when the watched files change.

    Args:
        paths: The files and folders of a knowledge base (they must exist).
        on_change: Called with the set of changed paths (strings), one batch at a time.
    """

    def __init__(
        self, paths: Sequence[str | os.PathLike[str]], on_change: Callable[[set[str]], None]
    ) -> None:
        self._watchfiles = require_watchfiles()
        self.on_change = on_change
        resolved = [Path(p).resolve() for p in paths]
        self.files = {p for p in resolved if not p.is_dir()}
        self.folders = [p for p in resolved if p.is_dir()]
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def wanted(self, path: str) -> bool:
        """Whether a change to ``path`` concerns the knowledge base."""
        changed = Path(path)
        if changed in self.files:
            return True
        if changed.suffix not in _SUFFIXES:
            return False
        return any(changed.is_relative_to(folder) for folder in self.folders)

    def start(self) -> None:
        """Start watching (one thread for file arguments, one for folder arguments)."""
        groups: list[tuple[list[Path], bool]] = []
        if self.files:
            groups.append((sorted({p.parent for p in self.files}), False))
        if self.folders:
            groups.append((self.folders, True))
        for folders, recursive in groups:
            thread = threading.Thread(
                target=self._run,
                args=(folders, recursive),
                name="graphkit-watch",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)

    def _run(self, folders: list[Path], recursive: bool) -> None:
        for changes in self._watchfiles.watch(
            *folders,
            watch_filter=lambda _change, path: self.wanted(path),
            step=STEP_MS,
            stop_event=self._stop,
            raise_interrupt=False,
            recursive=recursive,
        ):
            if self._stop.is_set():
                return
            self.on_change({path for _change, path in changes})

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the threads and wait for them (at most ``timeout`` seconds each)."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()
