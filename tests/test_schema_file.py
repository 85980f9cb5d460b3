"""The committed JSON Schema equals the one generated from the models."""

from graphkit.io.schema import json_schema_text

from .conftest import FLAGSHIP, ROOT


def test_committed_schema_is_up_to_date():
    committed = (ROOT / "graphkit" / "schema" / "graphkit.schema.json").read_text(encoding="utf-8")
    assert committed == json_schema_text(), (
        "regenerate: graphkit schema -o graphkit/schema/graphkit.schema.json"
    )


def test_flagship_points_editors_at_the_schema():
    first_line = FLAGSHIP.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../graphkit/schema/graphkit.schema.json"
