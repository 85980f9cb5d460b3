"""The distribution is named so that `pip install` finds graphkit, not an unrelated package."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAME = (
    "graphkit-events"  # checked free on PyPI ("graphkit" there is a 2018 computation-graph package)
)


def test_the_distribution_name_is_not_the_taken_one():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == NAME
    assert project["scripts"] == {"graphkit": "graphkit.cli:run"}  # the command stays graphkit
    extras = project["optional-dependencies"]
    assert all(not re.match(r"graphkit\[", dep) for deps in extras.values() for dep in deps)


def test_the_installed_distribution_provides_the_graphkit_package_and_command():
    dist = metadata.distribution(NAME)
    assert dist.metadata["Name"] == NAME
    assert any(ep.name == "graphkit" for ep in dist.entry_points if ep.group == "console_scripts")


def test_readme_says_how_to_pip_install_it_and_keeps_a_two_command_quick_start():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"pip install {NAME}" in readme
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", quick, re.S)
    assert len(blocks) == 1
    commands = [line.split("#")[0].strip() for line in blocks[0].splitlines() if line.strip()]
    assert commands == ["./scripts/run", "./scripts/test"]
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        assert "pip install 'graphkit[" not in doc.read_text(encoding="utf-8"), doc.name
