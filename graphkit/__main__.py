"""``python -m graphkit``."""

from graphkit.cli import run

run()
