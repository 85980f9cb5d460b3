"""Several files changed as one, and one writer at a time.

A folder of outputs (``graphkit build``) is written by :func:`staged_folder`: every file goes
to a hidden staging folder inside it, and only when all are written are they moved into place,
each by a rename, under a marker file that says the folder is being updated. A build that fails
or is killed before that leaves the previous outputs as they were (the next build removes its
staging folder); one killed during the moves (a few renames) leaves the marker.

``graphkit promote`` moves records from an imported file to a curated one: two files that must
change together. :func:`write_together` makes that recoverable:

1. every new content is written to a ``.NAME.XXXXXXXX.pending`` file beside its target and
   flushed to disk (a full disk stops here: nothing has changed);
2. a journal ``.NAME.graphkit-journal`` listing the renames is written beside each target (a
   crash before it is complete leaves stale pending files, removed by the next run);
3. the pending files are renamed over their targets in the order given (the safe order: the
   curated file first, so an interruption can duplicate a record, never lose it);
4. the journals are removed.

:func:`finish_interrupted` (run first by the next writer, under the lock) completes step 3 from a
journal it finds, then removes stale pending files: a rerun converges on the finished state.

:func:`locked_folders` serialises writers with an advisory ``flock`` on the folder of each file,
taken in a fixed order (no deadlock); the lock goes with the process. Only graphkit's writers
that use it take part.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import shutil
import stat
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from graphkit._fs import (
    atomic_write,
    clean_stale,
    fsync_folder,
    keep_mode,
    sweep,
    target_of,
    temp_file,
)
from graphkit.errors import OutputError

__all__ = [
    "JOURNAL",
    "finish_interrupted",
    "locked_folders",
    "staged_folder",
    "write_together",
]

#: Suffix of the journal written beside each target of :func:`write_together`.
JOURNAL = ".graphkit-journal"
_PENDING = ".pending"


def _journal(target: Path) -> Path:
    return target.parent / f".{target.name}{JOURNAL}"


@contextmanager
def locked_folders(
    paths: Sequence[str | os.PathLike[str]], waiting: Callable[[Path], None] | None = None
) -> Iterator[None]:
    """Hold an exclusive ``flock`` on the folder of each path (links resolved) for the block.

    ``waiting(folder)`` is called before blocking on a folder another process holds.

    Raises:
        OutputError: If a folder cannot be opened.
    """
    folders = sorted({Path(os.path.realpath(p)).parent for p in paths})
    held: list[int] = []
    try:
        for folder in folders:
            try:
                fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            except OSError as exc:
                raise OutputError(f"cannot lock {folder}: {exc.strerror or exc}") from exc
            held.append(fd)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if waiting is not None:
                    waiting(folder)
                fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        for fd in reversed(held):
            os.close(fd)


def finish_interrupted(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """Finish a :func:`write_together` that was interrupted for any of ``paths``.

    Renames still pending in a journal found beside a path are done; the journals and stale
    pending files are removed. Returns the files that were finished. Call it under
    :func:`locked_folders`.

    Raises:
        OutputError: If a journal cannot be read or a rename fails.
    """
    finished: list[Path] = []
    targets = [Path(os.path.realpath(p)) for p in paths]
    for target in targets:
        journal = _journal(target)
        if not journal.exists():
            continue
        try:
            entry = json.loads(journal.read_text(encoding="utf-8"))
            renames = [(Path(a), Path(b)) for a, b in entry["renames"]]
            journals = [Path(j) for j in entry["journals"]]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise OutputError(
                f"cannot finish the interrupted write recorded in {journal}: {exc}"
            ) from exc
        try:
            for pending, final in renames:
                if pending.exists():
                    os.replace(pending, final)
                    fsync_folder(final.parent)
                    finished.append(final)
            for other in journals:
                other.unlink(missing_ok=True)
                fsync_folder(other.parent)
        except OSError as exc:
            raise OutputError(
                f"cannot finish the interrupted write recorded in {journal}: {exc.strerror or exc}"
            ) from exc
    for target in targets:
        clean_stale(target, _PENDING)
        clean_stale(target)
        clean_stale(_journal(target))  # a journal whose writing was cut short
    return finished


def write_together(files: Sequence[tuple[str | os.PathLike[str], bytes]]) -> None:
    """Replace each file with its content so that an interruption can be finished (see above).

    Renames happen in the order of ``files``. Each file keeps its mode (see
    :func:`graphkit._fs.atomic_write`).

    Raises:
        OutputError: If a file cannot be written; no file has changed then, unless the failure
            came during the renames (rare: the journal is kept, and :func:`finish_interrupted`
            completes them).
    """
    targets = [target_of(path) for path, _ in files]
    for (given, _), target in zip(files, targets, strict=True):
        if target.special:
            raise OutputError(f"cannot write {given}: not a regular file")
    held: list[int] = []
    pending: list[Path] = []
    journals: list[Path] = []
    try:
        try:
            for (_, data), target in zip(files, targets, strict=True):
                # A replaced file's pending copy stays private until it gets the old file's mode;
                # a new file's gets what the umask allows.
                mode = 0o600 if target.mode is not None else 0o666
                fd, path = temp_file(target.path, _PENDING, mode=mode)
                held.append(fd)
                pending.append(path)
                _write_all(fd, data)
                keep_mode(fd, target)
            record = {
                "renames": [[str(p), str(t.path)] for p, t in zip(pending, targets, strict=True)],
                "journals": [str(_journal(t.path)) for t in targets],
            }
            text = json.dumps(record, indent=1).encode("utf-8")
            for target in targets:
                journal = _journal(target.path)
                _write_journal(journal, text)
                journals.append(journal)
        except OSError as exc:
            for path in [*pending, *journals]:
                path.unlink(missing_ok=True)
            raise OutputError(f"cannot write {_names(files)}: {exc.strerror or exc}") from exc
        except BaseException:
            for path in [*pending, *journals]:
                path.unlink(missing_ok=True)
            raise
        try:
            for path, target in zip(pending, targets, strict=True):
                os.replace(path, target.path)
                fsync_folder(target.path.parent)
            for journal in journals:
                journal.unlink()
                fsync_folder(journal.parent)
        except OSError as exc:
            raise OutputError(
                f"interrupted while replacing {_names(files)} ({exc.strerror or exc}); "
                "run the same command again to finish"
            ) from exc
    finally:
        for fd in held:
            os.close(fd)


def _names(files: Sequence[tuple[str | os.PathLike[str], bytes]]) -> str:
    return " and ".join(str(path) for path, _ in files)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
    os.fsync(fd)


def _write_journal(journal: Path, text: bytes) -> None:
    """Write a journal atomically: complete, or absent."""
    fd, temp = temp_file(journal, mode=0o600)
    try:
        _write_all(fd, text)
        os.replace(temp, journal)
        fsync_folder(journal.parent)
    except BaseException:
        with suppress(OSError):
            temp.unlink()
        raise
    finally:
        os.close(fd)


_STAGING = ".graphkit-staging-"
_STAGING_NAME = re.compile(rf"{re.escape(_STAGING)}[0-9a-f]{{16}}")


@contextmanager
def staged_folder(folder: Path, marker: str, note: str) -> Iterator[Path]:
    """Yield a staging folder inside ``folder``; move its files into ``folder`` when the block ends.

    ``marker`` (a file name) holds ``note`` in ``folder`` while the files are moved in, and is
    removed when all are; if the block raises, nothing in ``folder`` changes. A file replaced in
    ``folder`` passes its permissions on. Staging folders of builds that were killed are removed.

    Raises:
        OutputError: If the folder cannot be created or written.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _clean_staging(folder)
        stage = folder / f"{_STAGING}{secrets.token_hex(8)}"
        stage.mkdir()
        held = os.open(stage, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise OutputError(f"cannot write in {folder}: {exc.strerror or exc}") from exc
    try:
        fcntl.flock(held, fcntl.LOCK_EX)  # this staging folder's writer is alive
        yield stage
        _publish(stage, folder, marker, note)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        os.close(held)


def _publish(stage: Path, folder: Path, marker: str, note: str) -> None:
    names = sorted(n for n in os.listdir(stage) if not n.startswith("."))
    flag = folder / marker
    try:
        atomic_write(flag, note)
        for name in names:
            final = folder / name
            try:
                info = final.lstat()
            except FileNotFoundError:
                info = None
            if info is not None and stat.S_ISREG(info.st_mode):
                os.chmod(stage / name, stat.S_IMODE(info.st_mode))
            os.replace(stage / name, final)
        fsync_folder(folder)
        flag.unlink()
        fsync_folder(folder)
    except OSError as exc:
        raise OutputError(
            f"cannot move the new files into {folder}: {exc.strerror or exc} "
            f"(the folder now mixes old and new files; {marker} says so)"
        ) from exc


def _clean_staging(folder: Path) -> None:
    """Remove the staging folders in ``folder`` that no live build holds."""

    def remove(path: Path) -> None:
        shutil.rmtree(path, ignore_errors=True)

    sweep(folder, _STAGING_NAME, remove, directories=True)
