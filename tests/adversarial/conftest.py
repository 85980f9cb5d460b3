"""Fixtures of the adversarial tests: an unprivileged runner, a tiny disk, loopback servers.

Every test here carries ``pytest.mark.adversarial`` (``pytest -m adversarial`` runs them alone).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Callable[[int], Path]]:
    """Mount tiny tmpfs file systems (``tiny_disk(bytes)``): a real full disk.

    Mounting needs root (CAP_SYS_ADMIN); without it the test is skipped, with the reason.
    """
    mounted: list[Path] = []

    def mount(size: int) -> Path:
        point = tmp_path / f"disk{len(mounted)}"
        point.mkdir()
        try:
            done = subprocess.run(
                ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(point)],
                capture_output=True,
                text=True,
            )
        except OSError as exc:
            pytest.skip(f"cannot mount a tmpfs to fill: {exc}")
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs to fill: {done.stderr.strip() or 'not permitted'}")
        mounted.append(point)
        return point

    try:
        yield mount
    finally:
        for point in reversed(mounted):
            subprocess.run(["umount", "-l", str(point)], check=False)
