"""The ``graphkit`` command line (see :mod:`graphkit.cli._app` for exit codes).

Each module here registers its commands on the one typer ``app`` when imported.
"""

from graphkit.cli import (  # noqa: F401  (each module registers its commands)
    core,
    importers,
    query,
    rdf,
)
from graphkit.cli._app import EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, EXIT_USAGE, app, main, run

__all__ = ["EXIT_INTERNAL", "EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "app", "main", "run"]
