"""Helpers of the adversarial tests (imported as ``adversarial._support``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: Capabilities that let root read any file: dropped to make a ``chmod 000`` file unreadable.
DAC_CAPS = "-dac_override,-dac_read_search"


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

    With ``unprivileged`` the process cannot read past file permissions: as root (which reads any
    file, so a ``chmod 000`` file would not be unreadable to it) it runs without the
    capabilities that override them (``setpriv``); as another user, as it is.
    """
    prefix: list[str] = []
    if unprivileged and os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv (util-linux): cannot drop read rights")
        prefix = [setpriv, f"--inh-caps={DAC_CAPS}", f"--bounding-set={DAC_CAPS}", "--"]
    environment = {**os.environ, **(env or {})}
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [*prefix, *graphkit_command(*map(str, args))],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environment,
        cwd=options.pop("cwd", None),
        **options,
    )
