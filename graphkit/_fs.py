"""Atomic file output: every writer goes through :func:`atomic_write` or :func:`atomic_open`."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

from graphkit.errors import OutputError

__all__ = [
    "NotRegularFileError",
    "atomic_open",
    "atomic_write",
    "file_kind",
    "open_regular",
    "read_regular",
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


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    Readers see the old file or the new one, never half of one; on error the temporary file is
    removed and the target is untouched.

    Examples:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
        >>> _ = atomic_write(target, "hello")
        >>> target.read_text()
        'hello'
    """
    target = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target


@contextmanager
def atomic_open(path: str | os.PathLike[str]) -> Iterator[TextIO]:
    """Stream text to ``path`` atomically: a UTF-8 temporary file, renamed when the block ends.

    For outputs too large to hold as one string (the N-Triples of 100,000 events are a
    gigabyte). If the block raises, the temporary file is removed and ``path`` is untouched.

    Examples:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
        >>> with atomic_open(target) as handle:
        ...     _ = handle.write("hello")
        >>> target.read_text()
        'hello'
    """
    target = Path(path)
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
