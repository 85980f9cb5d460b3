"""Helpers of the adversarial tests (imported as ``adversarial._support``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]
#: The uid/gid of ``nobody`` on Debian; used to drop root's file-permission override.
NOBODY = 65534


def graphkit_command(*args: str) -> list[str]:
    """The command line that runs ``graphkit ARGS`` with this test run's interpreter."""
    return [sys.executable, "-m", "graphkit", *map(str, args)]


def run_graphkit(
    *args: object,
    unprivileged: bool = False,
    timeout: float = 60,
    env: dict[str, str] | None = None,
    **options: object,
) -> subprocess.CompletedProcess[str]:
    """Run ``graphkit ARGS`` in a fresh process and return it (text output captured).

    With ``unprivileged`` the process runs as ``nobody`` when the tests run as root (root reads
    any file, so a ``chmod 000`` file would not be unreadable to it); otherwise as the user.
    """
    extra: dict[str, object] = {}
    if unprivileged and os.geteuid() == 0:
        extra = {"user": NOBODY, "group": NOBODY, "extra_groups": []}
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        graphkit_command(*map(str, args)),
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environment,
        cwd=options.pop("cwd", None),
        **extra,
        **options,
    )
