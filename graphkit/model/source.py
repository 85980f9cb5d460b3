"""Sources: the publications every fact points at, graded for reliability."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from graphkit.model.common import Id, Line, Model, Provenance, Reliability, Text
from graphkit.model.dates import PartialDate

__all__ = ["Source", "SourceKind"]

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


class Source(Model):
    """A publication (article, statement, report, dataset) that facts cite.

    ``reliability`` is the NATO/Admiralty source grade A–F. Gaps (no outlet, URL or date) are
    allowed and reported by ``graphkit lint``, never invented.
    """

    id: Id
    title: Line
    publisher: Line | None = None
    author: Line | None = None
    url: Url | None = None
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] | None = None
    published: PartialDate | None = None
    accessed: PartialDate | None = None
    reliability: Reliability
    kind: SourceKind | None = None
    notes: Text | None = None
    provenance: Provenance | None = None
