"""Sources: the publications every fact points at, graded for reliability."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import AfterValidator, Field, model_validator

from graphkit.model.common import Id, Line, Model, Provenance, Reliability, Text
from graphkit.model.dates import PartialDate

__all__ = ["COPY_PATTERN", "SHA256_PATTERN", "Source", "SourceKind"]

SourceKind = Literal[
    "news",
    "government",
    "intelligence",
    "international_organization",
    "ngo",
    "academic",
    "reference",
    "dataset",
    "other",
]

Url = Annotated[str, Field(pattern=r"^https?://[^\s\x00-\x1f\x7f]+$")]


def _inside(path: str) -> str:
    parts = path.split("/")
    if ".." in parts or (len(path) > 1 and path[1] == ":"):
        raise ValueError(
            f"copy {path!r} must stay inside the data file's folder (no '..', no drive letter)"
        )
    return path


#: A local copy of a source: a POSIX path relative to the data file that names it, inside that
#: file's folder tree (no absolute path, no ``..``, no backslash), so a data file can only point
#: at files shipped beside it.
COPY_PATTERN = r"^[^/\\\x00-\x1f\x7f][^\\\x00-\x1f\x7f]*$"
CopyPath = Annotated[str, Field(pattern=COPY_PATTERN), AfterValidator(_inside)]
#: A SHA-256 digest in lowercase hexadecimal (what ``sha256sum`` prints).
SHA256_PATTERN = r"^[0-9a-f]{64}$"
Sha256 = Annotated[str, Field(pattern=SHA256_PATTERN)]


class Source(Model):
    """A publication (article, statement, report, dataset) that facts cite.

    ``reliability`` is the NATO/Admiralty source grade A–F. Gaps (no outlet, URL or date) are
    allowed and reported by ``graphkit lint``, never invented. ``copy`` names a local copy of the
    source (a text file beside the data file) and ``sha256`` its digest: both or neither; lint
    checks the digest and that every excerpt cited from the source occurs in the copy.
    """

    id: Id
    title: Line
    publisher: Line | None = None
    author: Line | None = None
    url: Url | None = None
    #: Written ``copy:`` (``BaseModel.copy`` is a method, hence the attribute name).
    local_copy: CopyPath | None = Field(default=None, alias="copy")
    sha256: Sha256 | None = None
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] | None = None
    published: PartialDate | None = None
    accessed: PartialDate | None = None
    reliability: Reliability
    kind: SourceKind | None = None
    notes: Text | None = None
    provenance: Provenance | None = None

    @model_validator(mode="after")
    def _copy_with_digest(self) -> Self:
        if (self.local_copy is None) != (self.sha256 is None):
            raise ValueError(
                "give copy and sha256 together (sha256: the copy's digest, as sha256sum prints it)"
            )
        return self
