"""The ``graphkit`` command line (see :mod:`graphkit.cli._app` for exit codes).

Each module here registers its commands on the one typer ``app`` when imported.
"""

from graphkit.cli import (
    build,  # noqa: F401  (registers commands)
    core,  # noqa: F401
    importers,  # noqa: F401
    query,  # noqa: F401
    rdf,  # noqa: F401
    render,  # noqa: F401
    serve,  # noqa: F401
)
from graphkit.cli._app import EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, EXIT_USAGE, app, main, run

__all__ = ["EXIT_INTERNAL", "EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "app", "main", "run"]
