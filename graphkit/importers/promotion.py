"""``graphkit promote`` on files: read both, move the records, write both as one change.

:func:`graphkit.importers.merge.promote` moves records between documents; this module does it to
the files, safely:

* both files are locked (an advisory ``flock`` on their folders) for the whole read, check and
  write, so concurrent promotes into one file run one after the other and lose nothing;
* a promote interrupted earlier (killed, a full disk, the machine stopped) is finished first, from
  the journal it left (:mod:`graphkit._transaction`);
* both results are validated (the curated file alone, both together) before anything is written;
* the two files are written with :func:`graphkit._transaction.write_together`, the curated file
  renamed first: an interruption can leave a record in both files, never in neither, and running
  the same promote again finishes the move (the record is reported as already curated and leaves
  the imported file).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from graphkit._fs import read_regular
from graphkit._transaction import finish_interrupted, locked_folders, write_together
from graphkit.errors import GraphkitError
from graphkit.importers._base import ImporterError, read_document, read_text_document
from graphkit.importers.merge import PromoteResult, append_items, concatenate, promote
from graphkit.io.dump import dump_yaml
from graphkit.kb import KnowledgeBase
from graphkit.model.document import SECTIONS, Document

__all__ = ["promote_files"]


def promote_files(
    imported: str | os.PathLike[str],
    curated: str | os.PathLike[str],
    ids: Sequence[str],
    *,
    waiting: Callable[[Path], None] | None = None,
) -> PromoteResult:
    """Move the records ``ids`` from the file ``imported`` into the file ``curated`` (see above).

    ``waiting(folder)`` is called when another promote holds a lock this one waits for.

    Raises:
        ImporterError: If a file cannot be read, or :func:`~graphkit.importers.promote` refuses.
        graphkit.errors.LoadError: If a file, or the result, is not valid.
        graphkit.errors.OutputError: If the files cannot be written (neither has changed then).
    """
    imported_path, curated_path = Path(imported), Path(curated)
    if os.path.realpath(imported_path) == os.path.realpath(curated_path):
        raise ImporterError(f"{imported_path}: the imported and the curated file are one file")
    with locked_folders([imported_path, curated_path], waiting):
        finish_interrupted([curated_path, imported_path])
        curated_doc = read_document(curated_path)
        result = promote(read_document(imported_path), curated_doc, ids)
        # The curated file must stand alone; curated + imported must load together.
        KnowledgeBase.from_document(result.curated)
        KnowledgeBase.from_document(concatenate([result.curated, result.imported]))
        if result.promoted or result.cleared:
            write_together(
                [
                    (curated_path, _curated_text(curated_path, curated_doc, result.curated)),
                    (imported_path, _dumped(result.imported, imported_path)),
                ]
            )
    return result


def _dumped(document: Document, path: Path) -> bytes:
    return dump_yaml(document, header=_header(path)).encode("utf-8")


def _curated_text(path: Path, before: Document, after: Document) -> bytes:
    """The curated file with the promoted items appended to its sections, comments kept.

    Falls back to rewriting the whole file when the text cannot be extended safely (the result
    is checked to hold exactly the promoted facts).
    """
    text = read_regular(path).decode("utf-8")
    added = {s: getattr(after, s)[len(getattr(before, s)) :] for s in SECTIONS}
    extended = append_items(text, added)
    if extended is not None:
        try:
            if read_text_document(extended, str(path)).same_facts(after):
                return extended.encode("utf-8")
        except GraphkitError:
            pass
    return _dumped(after, path)


def _header(path: Path) -> str | None:
    """Keep a file's leading comment block when it is rewritten."""
    try:
        lines = read_regular(path).decode("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    head: list[str] = []
    for line in lines:
        if not line.startswith("#"):
            break
        head.append(line[1:].removeprefix(" "))
    return "\n".join(head) or None
