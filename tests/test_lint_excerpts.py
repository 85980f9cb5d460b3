"""graphkit lint checks local copies and the excerpts cited from them, verbatim."""

from __future__ import annotations

import hashlib
import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st

import graphkit as gk
from graphkit.io.copies import LEVELS, Found, find_excerpt, normalise
from graphkit.lint import lint

from .conftest import ROOT

ARTICLE = ROOT / "data" / "sources" / "nk-troops-in-russia-2024-10.fr.txt"
COPY = "Selon l’OTAN, « une escalade ».\nIl y a pas\u00a0moins de 1500 soldats.\n"


def _kb(
    write_yaml, refs: str, *, copy: str = COPY, digest: str | None = None, path: str = "src/a.txt"
):
    folder = write_yaml("kb/placeholder", "").parent
    (folder / "src").mkdir(exist_ok=True)
    (folder / "src" / "a.txt").write_text(copy, encoding="utf-8")
    digest = digest or hashlib.sha256(copy.encode("utf-8")).hexdigest()
    return gk.load(
        write_yaml(
            "kb/kb.yaml",
            f"""format_version: 1
sources:
  - {{id: a, title: Article, reliability: F, copy: {path}, sha256: "{digest}", published: 2024}}
actors:
  - {{id: X, name: X, kind: state}}
events:
  - id: e1
    type: statement
    date: 2024-10
    actor: X
    credibility: 2
    sources: {refs}
""",
        )
    )


def _codes(kb) -> list[tuple[str, str]]:
    return [(f.code, f.message) for f in lint(kb)]


def test_verbatim_excerpts_give_no_finding(write_yaml):
    refs = '[{source: a, excerpt: "Selon l’OTAN, « une escalade »"}, {source: a, excerpt: "pas moins\\nde 1500"}]'
    assert _codes(_kb(write_yaml, refs)) == []


def test_a_straight_apostrophe_is_reported_as_not_verbatim(write_yaml):
    found = _codes(_kb(write_yaml, '[{source: a, excerpt: "Selon l\'OTAN"}]'))
    assert found == [
        (
            "excerpt-quotes-differ",
            "event 'e1' sources[0]: the excerpt from 'a' matches its copy only if quotation marks "
            "are ignored: it writes \"'\" where the copy has '’'",
        )
    ]
    assert LEVELS["excerpt-quotes-differ"] == "error"


def test_a_passage_not_in_the_copy_is_reported_with_how_much_matched(write_yaml):
    found = _codes(_kb(write_yaml, '[{source: a, excerpt: "pas moins de 1600 soldats"}]'))
    assert found == [
        (
            "excerpt-not-found",
            "event 'e1' sources[0]: the excerpt from 'a' is not in its copy 'a.txt' "
            "(its first 14 of 25 characters are, up to 'pas moins de 1')",
        )
    ]


def test_a_changed_copy_and_a_missing_copy_are_reported(write_yaml):
    changed = _codes(_kb(write_yaml, '[{source: a, excerpt: "une escalade"}]', digest="0" * 64))
    assert [code for code, _ in changed] == ["source-copy-changed"]
    assert hashlib.sha256(COPY.encode()).hexdigest() in changed[0][1]
    missing = _codes(_kb(write_yaml, '[{source: a, excerpt: "x"}]', path="src/gone.txt"))
    assert [code for code, _ in missing] == ["source-copy-missing"]
    assert "'src/gone.txt' does not exist" in missing[0][1]
    assert LEVELS["source-copy-missing"] == "warning"
    assert LEVELS["source-copy-changed"] == "error"


def test_an_unjudged_source_with_a_copy_needs_an_excerpt_on_every_reference(write_yaml):
    quoted = '[{source: a, excerpt: "une escalade"}]'
    assert _codes(_kb(write_yaml, quoted)) == []
    half = '[{source: a, excerpt: "une escalade"}, {source: a, according_to: X}]'
    assert [code for code, _ in _codes(_kb(write_yaml, half))] == ["source-unjudged"]


def test_a_copy_is_not_looked_for_when_the_file_is_unknown():
    kb = gk.loads(
        "format_version: 1\nsources: [{id: a, title: T, reliability: B, url: 'https://e.org',"
        f" published: 2024, copy: a.txt, sha256: '{'0' * 64}'}}]\n"
        "actors: [{id: X, name: X, kind: state}]\n"
        "events: [{id: e, type: statement, date: 2024, actor: X, credibility: 1,"
        " sources: [{source: a, excerpt: w}]}]\n"
    )
    assert [f.code for f in lint(kb)] == ["source-copy-missing"]


def test_source_reference_order_does_not_change_the_findings(write_yaml):
    refs = [
        '{source: a, excerpt: "Selon l’OTAN"}',
        '{source: a, excerpt: "Selon l\'OTAN"}',
        '{source: a, excerpt: "absent"}',
        "a",
    ]
    baseline = None
    for seed in range(4):
        shuffled = refs[:]
        random.Random(seed).shuffle(shuffled)
        kb = _kb(write_yaml, "[" + ", ".join(shuffled) + "]")
        # Positions in the list change with the order; what is found does not.
        found = sorted(
            (f.code, re.sub(r"sources\[\d+\]", "sources[_]", f.message)) for f in lint(kb)
        )
        baseline = baseline or found
        assert found == baseline
    assert [code for code, _ in baseline] == [
        "excerpt-not-found",
        "excerpt-quotes-differ",
        "source-unjudged",
    ]


WORDS = st.text(alphabet="abcdéà’'« »\u00a0\n.,1", min_size=1, max_size=60)


@settings(max_examples=60)
@given(text=WORDS, data=st.data())
def test_any_slice_of_a_copy_is_found_whatever_its_whitespace(text, data):
    words = normalise(text)
    if not words:
        return
    start = data.draw(st.integers(0, len(words) - 1))
    end = data.draw(st.integers(start + 1, len(words)))
    excerpt = words[start:end].strip()
    if not excerpt:
        return
    spaced = excerpt.replace(" ", data.draw(st.sampled_from([" ", "\n", "  \t", "\u00a0"])))
    assert find_excerpt(spaced, text).kind is Found.YES


def test_the_shipped_article_copy_is_the_motivating_article():
    shared = "8b726521ac2483e2e82efe2249aa4d8cee321a669b846ccb026cdf91f5f81b24"
    assert hashlib.sha256(ARTICLE.read_bytes()).hexdigest() == shared
