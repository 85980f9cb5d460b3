"""The documentation stays true: generated CLI reference, working links, examples everywhere."""

import inspect
import re
from pathlib import Path
from types import ModuleType

import pytest
from scripts_module import load_script

import graphkit as gk
from graphkit import kb as kb_module

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _gendocs() -> ModuleType:
    return load_script("gendocs")


# --- the CLI reference ---------------------------------------------------------------------


def test_cli_reference_is_generated_from_the_current_cli():
    committed = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert committed == _gendocs().render(), "docs/cli.md is stale: run python scripts/gendocs.py"


def test_cli_reference_has_every_command_option_and_exit_code():
    import typer
    import typer.main

    from graphkit.cli import EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, EXIT_USAGE, app

    text = _gendocs().render()
    group = typer.main.get_command(app)
    ctx = typer.Context(group, info_name="graphkit")
    names = group.list_commands(ctx)
    assert {"validate", "path", "escalations", "export", "timeline"} <= set(names)
    for name in names:
        command = group.get_command(ctx, name)
        section = text.split(f"## `graphkit {name}`\n", 1)[1].split("\n## ", 1)[0]
        assert f"(#graphkit-{name})" in text
        for param in command.params:
            if param.param_type_name == "argument":
                assert f"| `{param.name.upper()}" in section, (name, param.name)
            elif param.name != "help":
                for opt in (*param.opts, *param.secondary_opts):
                    assert f"`{opt}`" in section, (name, opt)
    exit_table = text.split("## Exit codes", 1)[1]
    for code in (EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL):
        assert re.search(rf"^\| {code} \| `EXIT_", exit_table, re.M), code
    assert "`--max-hops` | `int` (>= 1) | `4` |" in text
    assert "`--progress` / `--no-progress` | flag | `--progress` |" in text


def test_gendocs_writes_and_checks(tmp_path, monkeypatch, capsys):
    gendocs = _gendocs()
    target = tmp_path / "cli.md"
    monkeypatch.setattr(gendocs, "TARGET", target)
    assert gendocs.main(["--check"]) == 1  # missing
    assert gendocs.main([]) == 0
    assert target.read_text(encoding="utf-8") == gendocs.render()
    assert gendocs.main(["--check"]) == 0
    target.write_text(gendocs.render() + "stale\n", encoding="utf-8")
    assert gendocs.main(["--check"]) == 1
    assert "out of date" in capsys.readouterr().err
    assert gendocs.main([]) == 0
    assert gendocs.main(["--check"]) == 0


def test_gendocs_refuses_an_exit_code_it_cannot_describe(monkeypatch):
    import graphkit.cli

    monkeypatch.setattr(graphkit.cli, "EXIT_NEW", 4, raising=False)
    with pytest.raises(SystemExit, match="EXIT_MEANINGS"):
        _gendocs().render()


# --- links ---------------------------------------------------------------------------------

_FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
_CODE = re.compile(r"`[^`\n]*`")
_INLINE = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.M)


def _markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


def _links(path: Path) -> list[str]:
    text = _CODE.sub("", _FENCE.sub("", path.read_text(encoding="utf-8")))
    return _INLINE.findall(text) + _REFERENCE.findall(text)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip()).lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = _FENCE.sub("", path.read_text(encoding="utf-8"))
    return {_slug(m) for m in re.findall(r"^#{1,6}\s+(.+?)\s*#*$", text, re.M)}


def test_markdown_link_helpers():
    sample = "see [a](docs/x.md#part), ![img](pic.png), `[no](code.md)` and [b]: ref.md\n"
    assert _INLINE.findall(sample) == ["docs/x.md#part", "pic.png", "code.md"]
    assert _slug("`graphkit path`") == "graphkit-path"
    assert _slug("Errors, diagnostics and exit codes") == "errors-diagnostics-and-exit-codes"


@pytest.mark.parametrize("path", _markdown_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_local_links_point_to_existing_files(path):
    broken = []
    for link in _links(path):
        if re.match(r"^[a-z][a-z0-9+.-]*:", link, re.I):  # http:, https:, mailto:
            continue
        target, _, fragment = link.partition("#")
        resolved = (path.parent / target).resolve() if target else path
        if not resolved.exists():
            broken.append(f"{link} (no file {resolved})")
        elif fragment and resolved.suffix == ".md" and fragment not in _anchors(resolved):
            broken.append(f"{link} (no heading #{fragment} in {resolved.name})")
    assert not broken, f"{path.name}: broken links: {broken}"


def test_docs_index_links_every_page():
    linked = {
        (DOCS / link.partition("#")[0]).resolve()
        for link in _links(DOCS / "index.md")
        if not re.match(r"^[a-z]+:", link)
    }
    pages = {p.resolve() for p in DOCS.glob("*.md") if p.name != "index.md"}
    assert pages - linked == set(), "docs/index.md does not link these pages"


# --- docstrings with examples ----------------------------------------------------------------

#: Pure data models (pydantic classes of graphkit.model): their fields are documented in
#: docs/format.md and every example of the other functions builds them.
DATA_MODELS = {
    "Actor",
    "AlternativeDate",
    "Bounds",
    "Document",
    "Event",
    "EventType",
    "Location",
    "Participant",
    "Quantity",
    "Quote",
    "Relation",
    "RelationType",
    "Source",
    "SourceRef",
    "Span",
}
#: Exception classes: raised (and shown) in the examples of the functions that raise them.
EXCEPTIONS = {
    "EndpointError",
    "GraphkitError",
    "GraphkitWarning",
    "ImporterError",
    "InvalidDateError",
    "LoadError",
    "NoPathError",
    "RdfError",
    "UnknownActorError",
    "UnknownIdError",
}


def _has_example(obj: object) -> bool:
    doc = inspect.getdoc(obj) or ""
    return "Examples:" in doc and ">>>" in doc.split("Examples:", 1)[1]


def test_exemptions_are_what_they_say():
    from pydantic import BaseModel

    for name in DATA_MODELS:
        assert name in gk.__all__, name
        assert issubclass(getattr(gk, name), BaseModel), name
    for name in EXCEPTIONS:
        assert name in gk.__all__, name
        assert issubclass(getattr(gk, name), BaseException), name


def test_every_public_callable_has_an_example():
    missing = [
        name
        for name in gk.__all__
        if callable(getattr(gk, name))
        and name not in DATA_MODELS | EXCEPTIONS
        and not _has_example(getattr(gk, name))
    ]
    assert missing == [], "public names without an Examples: section with a doctest"


@pytest.mark.parametrize(
    "cls",
    [
        kb_module.Items,
        kb_module.Sources,
        kb_module.Actors,
        kb_module.Events,
        kb_module.Relations,
        kb_module.KnowledgeBase,
        kb_module.KnowledgeBaseView,
    ],
    ids=lambda c: c.__name__,
)
def test_knowledge_base_classes_and_methods_have_examples(cls):
    assert _has_example(cls), cls.__name__
    missing = []
    for name, value in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(value, classmethod | staticmethod):
            value = value.__func__
        # cached_property docstrings are not collected by doctest: their examples live in the
        # class docstring (kb.graph, view.graph).
        is_method = inspect.isfunction(value) or isinstance(value, property)
        if is_method and not _has_example(value):
            missing.append(name)
    assert missing == [], f"{cls.__name__}: methods without an example"


def test_doctests_run_in_the_test_suite():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pytest_options = config["tool"]["pytest"]["ini_options"]
    assert "graphkit" in pytest_options["testpaths"]
    assert "--doctest-modules" in pytest_options["addopts"]
