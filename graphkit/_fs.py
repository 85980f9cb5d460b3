"""Files in and out: readers open through :func:`open_regular`, writers use :func:`atomic_write`.

:func:`atomic_open` streams what is too large for one string.

Reading: only regular files are read (a FIFO would block, ``/dev/zero`` never ends).

Writing a regular file: the bytes go to a temporary file beside the target, are flushed to disk,
then renamed over the target, and the folder is flushed. Readers, a ``kill -9`` or a full disk
see the old file or the new one, never half of one. Also:

* an existing file keeps its permission bits (and owner, where allowed); a new file gets the
  permissions the umask gives (``0666 & ~umask``), like any other program's output;
* a symbolic link is written through: its target gets the new content, the link stays;
* a device or FIFO (``-o /dev/null``, ``-o /dev/stdout``) is written directly, never replaced;
* the temporary file is ``.NAME.XXXXXXXX.tmp``, locked (``flock``) while it is written. One left
  behind by a killed writer is unlocked; the next write of the same target removes it. A live
  writer's temporary file is never touched.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import secrets
import shutil
import stat
import string
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from graphkit.errors import OutputError

__all__ = [
    "NotRegularFileError",
    "Target",
    "atomic_open",
    "atomic_write",
    "clean_stale",
    "file_kind",
    "fsync_folder",
    "keep_mode",
    "open_regular",
    "read_regular",
    "replaced_folder",
    "sweep",
    "target_of",
    "temp_file",
]


class NotRegularFileError(OSError):
    """A path that names something other than a regular file (a FIFO, a device, a socket)."""


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def file_kind(mode: int) -> str:
    """What a ``st_mode`` names, in words: ``a regular file``, ``a named pipe``, ...

    Examples:
        >>> import stat
        >>> file_kind(stat.S_IFIFO | 0o644), file_kind(stat.S_IFREG | 0o600)
        ('a named pipe', 'a regular file')
    """
    for test, name in _KINDS:
        if test(mode):
            return name
    return "a regular file" if stat.S_ISREG(mode) else "not a file"


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """Open ``path`` for reading in binary; it must be a regular file (after symbolic links).

    A FIFO is never waited on and a device (``/dev/zero``) never read: the file is opened without
    blocking and checked before a byte is read.

    Raises:
        IsADirectoryError: If ``path`` is a directory (``strerror`` "is a directory").
        NotRegularFileError: If it is a FIFO, a device or a socket (``strerror`` says which).
        OSError: If it cannot be opened (missing, permissions).
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
        if not stat.S_ISREG(mode):
            raise NotRegularFileError(
                errno.EINVAL, f"not a regular file ({file_kind(mode)})", str(path)
            )
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def read_regular(path: str | os.PathLike[str]) -> bytes:
    """Read all of the regular file ``path`` (see :func:`open_regular` for what is refused)."""
    with open_regular(path) as handle:
        return handle.read()


# ---- writing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Where a write goes: the file itself (links resolved) and what to keep of the old one."""

    path: Path
    #: Permission bits and owner of the file replaced; None for a new file.
    mode: int | None = None
    owner: tuple[int, int] | None = None
    #: A device or FIFO: written in place, never replaced.
    special: bool = False


def target_of(path: str | os.PathLike[str]) -> Target:
    """Resolve ``path`` through symbolic links and look at what is there now.

    Raises:
        OutputError: If it is a directory or cannot be looked at.
    """
    given = Path(path)
    try:
        info = given.stat()  # through links, as open() goes (/dev/stdout is a link to a pipe)
    except FileNotFoundError:
        return Target(Path(os.path.realpath(given)))  # a new file, or a dangling link's target
    except OSError as exc:
        raise OutputError(f"cannot write {given}: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(info.st_mode):
        raise OutputError(f"cannot write {given}: it is a directory")
    if not stat.S_ISREG(info.st_mode):
        return Target(given, special=True)
    resolved = Path(os.path.realpath(given))
    return Target(resolved, stat.S_IMODE(info.st_mode), (info.st_uid, info.st_gid))


#: Characters of the random part of a temporary name (as :mod:`tempfile` uses).
_RANDOM = string.ascii_lowercase + string.digits + "_"


def _temp_pattern(name: str, suffix: str) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(name)}\.[{_RANDOM}]{{8}}{re.escape(suffix)}")


def temp_file(target: Path, suffix: str = ".tmp", *, mode: int = 0o666) -> tuple[int, Path]:
    """Create and lock ``.NAME.XXXXXXXX<suffix>`` beside ``target``; return its descriptor and path.

    The ``flock`` held on it tells :func:`clean_stale` that its writer is alive; the lock goes
    with the process. ``mode`` passes through the umask.

    Raises:
        OSError: If the file cannot be created.
    """
    for _ in range(100):
        token = "".join(secrets.choice(_RANDOM) for _ in range(8))
        path = target.parent / f".{target.name}.{token}{suffix}"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode)
        except FileExistsError:
            continue
        fcntl.flock(fd, fcntl.LOCK_EX)
        if os.fstat(fd).st_nlink == 0:  # taken for stale and removed before it was locked
            os.close(fd)
            continue
        return fd, path
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(target))  # pragma: no cover


def clean_stale(target: Path, suffix: str = ".tmp") -> list[Path]:
    """Remove the temporary files of ``target`` that no live writer holds; return them.

    A temporary file is stale when its ``flock`` can be taken: the process that made it is gone
    (killed, or the machine stopped). Files this cannot open or lock are left alone.
    """
    return sweep(target.parent, _temp_pattern(target.name, suffix), os.unlink)


def sweep(
    folder: Path,
    pattern: re.Pattern[str],
    remove: Callable[[Path], object],
    *,
    directories: bool = False,
) -> list[Path]:
    """Remove (with ``remove``) the entries of ``folder`` named by ``pattern`` that no one holds.

    An entry is held while a live process has an ``flock`` on it; the lock is taken here before
    the entry is removed, so a writer that starts meanwhile is never robbed. Returns the entries
    removed.
    """
    kind = os.O_DIRECTORY if directories else os.O_NONBLOCK
    removed: list[Path] = []
    try:
        names = [n for n in os.listdir(folder) if pattern.fullmatch(n)]
    except OSError:
        return removed
    for name in names:
        path = folder / name
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | kind)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.fstat(fd).st_ino == os.lstat(path).st_ino:
                remove(path)
                removed.append(path)
        except OSError:  # held by a live writer, or gone meanwhile
            pass
        finally:
            os.close(fd)
    return removed


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename in it) to disk, where the system allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:  # pragma: no cover - a folder that cannot be opened for reading
        return
    try:
        with suppress(OSError):  # some file systems refuse fsync on a directory
            os.fsync(fd)
    finally:
        os.close(fd)


def keep_mode(fd: int, target: Target) -> None:
    """Give the temporary file the permissions (and owner) of the file it replaces."""
    if target.mode is None:
        return
    if target.owner is not None and os.fstat(fd)[4:6] != target.owner:
        with suppress(PermissionError):  # only root may give a file away
            os.fchown(fd, *target.owner)
    os.fchmod(fd, target.mode)


@contextmanager
def _writing(path: str | os.PathLike[str], text: bool) -> Iterator[BinaryIO | TextIO]:
    """Yield a handle whose content replaces ``path`` atomically when the block ends."""
    given = Path(path)
    target = target_of(given)
    if target.special:
        yield from _in_place(given, target.path, text)
        return
    clean_stale(target.path)
    try:
        # A replaced file's temporary stays private until it gets the old file's mode.
        fd, temp = temp_file(target.path, mode=0o600 if target.mode is not None else 0o666)
    except OSError as exc:
        raise OutputError(f"cannot write {given}: {exc.strerror or exc}") from exc
    try:
        handle: BinaryIO | TextIO
        if text:
            handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n", buffering=1 << 20)
        else:
            handle = os.fdopen(fd, "wb")
        with handle:
            yield handle
            handle.flush()
            os.fsync(fd)
            keep_mode(fd, target)
            os.replace(temp, target.path)
        fsync_folder(target.path.parent)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise OutputError(f"cannot write {given}: {exc.strerror or exc}") from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _in_place(given: Path, path: Path, text: bool) -> Iterator[BinaryIO | TextIO]:
    """Write a device or FIFO directly (it cannot be replaced, and must not be)."""
    try:
        handle: BinaryIO | TextIO = (
            open(path, "w", encoding="utf-8", newline="\n") if text else open(path, "wb")  # noqa: SIM115
        )
        with handle:
            yield handle
    except OSError as exc:
        raise OutputError(f"cannot write {given}: {exc.strerror or exc}") from exc


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` to ``path`` atomically (module docstring); return ``path``.

    On error nothing is left behind and the target is untouched.

    Raises:
        OutputError: If the file cannot be written (full disk, permissions, a directory).

    Examples:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
        >>> _ = atomic_write(target, "hello")
        >>> target.read_text()
        'hello'
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with _writing(path, text=False) as handle:
        handle.write(raw)  # type: ignore[arg-type]
    return Path(path)


@contextmanager
def atomic_open(path: str | os.PathLike[str]) -> Iterator[TextIO]:
    """Stream text to ``path`` atomically: UTF-8, replacing ``path`` when the block ends.

    For outputs too large to hold as one string (the N-Triples of 100,000 events are a
    gigabyte). If the block raises, the temporary file is removed and ``path`` is untouched.

    Raises:
        OutputError: If the file cannot be written.

    Examples:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
        >>> with atomic_open(target) as handle:
        ...     _ = handle.write("hello")
        >>> target.read_text()
        'hello'
    """
    with _writing(path, text=True) as handle:
        yield handle  # type: ignore[misc]


@contextmanager
def replaced_folder(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Fill a new folder that replaces ``path`` when the block ends (a set of files at once).

    The block writes into a temporary folder beside ``path``; at the end, an existing ``path``
    is moved aside, the new folder renamed into place and the old one removed. If the block
    raises, the temporary folder is removed and ``path`` is untouched.

    Examples:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "parts"
        >>> with replaced_folder(target) as stage:
        ...     _ = (stage / "a.txt").write_text("a")
        >>> sorted(p.name for p in target.iterdir())
        ['a.txt']
    """
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise OutputError(f"cannot write {target}: it exists and is not a folder")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    try:
        yield stage
        stage.chmod(0o755)
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            os.replace(target, old / target.name)
        os.replace(stage, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(stage, ignore_errors=True)
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
