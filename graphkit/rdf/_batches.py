"""What :func:`graphkit.rdf.endpoint.push` sends: N-Triples batches, and a checkpoint to resume.

A knowledge base goes to a server as batches of about ``size`` triples (whole items), each one
request. Memory holds at most three batches: the one on the wire and two formatted ahead by a
thread (:func:`prefetched`), so formatting overlaps the server's work.

Resuming: N-Triples without blank nodes have set semantics in a graph store (graphkit mints
every IRI from ids), so sending a batch twice adds nothing, and a push that is interrupted can
simply be run again. A :class:`Checkpoint` file makes the rerun faster: it lists, for each batch
the server acknowledged, a digest of the bytes sent. The rerun formats the batches again and
skips each one whose digest matches the one acknowledged at the same position; from the first
batch that differs (the knowledge base changed) everything is sent. The checkpoint applies only
to the same endpoint URL, base IRI, batch size and mode (add or replace), and is removed when
the push completes.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import threading
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from graphkit._fs import atomic_write
from graphkit.errors import GraphkitError
from graphkit.rdf._text import NTriples
from graphkit.rdf._triples import Triple

__all__ = ["Batch", "Checkpoint", "CheckpointError", "ntriples_batches", "prefetched"]


class CheckpointError(GraphkitError):
    """A checkpoint file that cannot be read or written (says which and why)."""


@dataclass(frozen=True)
class Batch:
    """One request's N-Triples: its position, UTF-8 bytes, triple count, items done after it."""

    index: int
    data: bytes
    triples: int
    items: int

    @property
    def digest(self) -> str:
        """A digest of the bytes (BLAKE2b, 128 bits), what the checkpoint records."""
        return hashlib.blake2b(self.data, digest_size=16).hexdigest()


def ntriples_batches(chunks: Iterable[list[Triple]], size: int) -> Iterator[Batch]:
    """Group item chunks into batches of at least ``size`` triples (the last may be smaller).

    Examples:
        >>> chunks = [[("https://e/a", "https://e/p", "https://e/b")]] * 5
        >>> [(b.index, b.triples, b.items) for b in ntriples_batches(chunks, 2)]
        [(0, 2, 2), (1, 2, 4), (2, 1, 5)]
    """
    if size < 1:
        raise ValueError(f"batch size must be at least 1, not {size}")
    lines = NTriples()
    texts: list[str] = []
    index = items = pending = 0
    for chunk in chunks:
        items += 1
        texts.append(lines.text(chunk))
        pending += len(chunk)
        if pending >= size:
            yield Batch(index, "".join(texts).encode("utf-8"), pending, items)
            texts.clear()
            index, pending = index + 1, 0
    if texts:
        yield Batch(index, "".join(texts).encode("utf-8"), pending, items)


_END = object()


def prefetched(batches: Iterator[Batch], depth: int = 2) -> Generator[Batch, None, None]:
    """Yield ``batches`` while a thread formats up to ``depth`` batches ahead.

    Formatting is Python (it holds the GIL); sending and waiting for the server release it, so
    the two overlap. Closing the iterator stops the thread; an error in it is raised here.
    """
    buffer: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for batch in batches:
                while not stop.is_set():
                    try:
                        buffer.put(batch, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            item: object = _END
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, raised there
            item = exc
        while not stop.is_set():
            try:
                buffer.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    thread = threading.Thread(target=produce, name="graphkit-push-batches", daemon=True)
    thread.start()
    try:
        while True:
            item = buffer.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            assert isinstance(item, Batch)
            yield item
    finally:
        stop.set()
        thread.join()


class Checkpoint:
    """The batches a server acknowledged, kept in a JSON file to resume an interrupted push.

    ``key`` identifies the push (endpoint URL, base, batch size, mode); a file written for
    another key is ignored (and replaced as batches are acknowledged).

    Examples:
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "push.json"
        >>> state = Checkpoint(path, {"url": "http://localhost:7878/store?default"})
        >>> state.acknowledged(0, "ab12")
        >>> Checkpoint(path, {"url": "http://localhost:7878/store?default"}).digests
        ['ab12']
        >>> Checkpoint(path, {"url": "http://elsewhere/store?default"}).digests
        []
    """

    def __init__(self, path: str | os.PathLike[str], key: dict[str, object]) -> None:
        self.path = Path(path)
        self.key = key
        self.digests: list[str] = []
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except OSError as exc:
            raise CheckpointError(f"cannot read {self.path}: {exc.strerror or exc}") from exc
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise CheckpointError(
                f"{self.path} is not a graphkit push checkpoint ({exc}); delete it to start over"
            ) from exc
        if not isinstance(data, dict) or data.get("graphkit_push") != 1:
            raise CheckpointError(
                f"{self.path} is not a graphkit push checkpoint; delete it to start over"
            )
        digests = data.get("acknowledged")
        if data.get("key") == key and isinstance(digests, list):
            self.digests = [str(d) for d in digests]

    def acknowledged(self, index: int, digest: str) -> None:
        """Record that batch ``index`` (bytes with ``digest``) was acknowledged."""
        del self.digests[index:]
        self.digests.append(digest)
        record = {"graphkit_push": 1, "key": self.key, "acknowledged": self.digests}
        try:
            atomic_write(self.path, json.dumps(record, indent=1) + "\n")
        except GraphkitError as exc:
            raise CheckpointError(str(exc)) from exc

    def finish(self) -> None:
        """The push completed: remove the file."""
        self.path.unlink(missing_ok=True)
