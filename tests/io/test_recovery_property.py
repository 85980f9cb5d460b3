"""A syntax error in any one item of any valid file is reported alone, at its line: the rest of
the file is read, and nothing that refers to the broken item is reported as well."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import documents

import graphkit as gk
from graphkit.io.dump import dump_yaml


@settings(max_examples=25, deadline=None)
@given(document=documents(), choice=st.integers(min_value=0))
def test_one_broken_item_gives_one_error(document, choice):
    lines = dump_yaml(document).split("\n")
    items = [i for i, line in enumerate(lines) if line.startswith("  - ")]
    if not items:
        return
    broken = items[choice % len(items)]
    lines[broken] = "\t" + lines[broken][2:]  # a tab where two spaces indent the item
    with pytest.raises(gk.LoadError) as caught:
        gk.loads("\n".join(lines), name="kb.yaml")
    assert [(d.line, d.column, d.code, d.message) for d in caught.value.diagnostics] == [
        (broken + 1, 1, "yaml-syntax", "tabs cannot indent YAML; use spaces")
    ]
