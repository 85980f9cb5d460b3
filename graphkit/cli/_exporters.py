"""The registry of ``graphkit export --format`` writers.

Each command module registers the formats it provides; ``graphkit export`` looks them up here, so
one command serves every direction (RDF, YAML, STIX, GraphML, CSV, ...).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from graphkit.kb import KnowledgeBase

__all__ = ["Exporter", "exporters", "register_exporter"]


@dataclass(frozen=True)
class Exporter:
    """A named output format: ``write(kb, options)`` returns the file content.

    ``stream(kb, options, out)``, where given, writes the same text to ``out`` piece by piece,
    so ``graphkit export`` never holds the whole output (RDF of a million events is gigabytes).
    """

    name: str
    suffix: str
    write: Callable[[KnowledgeBase, dict[str, object]], str | bytes]
    help: str
    stream: Callable[[KnowledgeBase, dict[str, object], TextIO], None] | None = None


_EXPORTERS: dict[str, Exporter] = {}


def register_exporter(exporter: Exporter) -> None:
    """Make ``exporter`` available to ``graphkit export --format NAME``."""
    _EXPORTERS[exporter.name] = exporter


def exporters() -> dict[str, Exporter]:
    """The registered formats by name."""
    return dict(_EXPORTERS)
