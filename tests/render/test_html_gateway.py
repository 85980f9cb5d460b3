"""The one escaping gateway: hostile strings never survive as markup, only http(s) links."""

from __future__ import annotations

import json

import pytest

import graphkit as gk
from graphkit.render._html import esc, html_link, link, safe_url, script_json, wrap

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<a href='javascript:alert(1)'>x</a>",
    '"><svg onload=alert(1)>',
    '<b style="color:red">spoofed</b>',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_has_no_tags_or_quotes(text: str) -> None:
    out = esc(text)
    assert "<" not in out and ">" not in out and '"' not in out and "'" not in out


def test_quotes_use_numeric_entities_plotly_decodes() -> None:
    assert esc("""a "b" 'c' & d""") == "a &#34;b&#34; &#39;c&#39; &amp; d"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:x",
        "//evil.example/x",
        "/relative",
        "https://",
        "http://a\nb",
        None,
        42,
    ],
)
def test_only_absolute_http_urls_are_links(url: object) -> None:
    assert safe_url(url) is None
    assert "<a" not in link(url, "label")
    assert "<a" not in html_link(url, "label")


def test_link_encodes_characters_that_could_close_the_attribute() -> None:
    out = link('https://e.org/"><img src=x onerror=alert(1)>', "<i>t</i>")
    assert out == (
        '<a href="https://e.org/%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E" '
        'target="_blank">&lt;i&gt;t&lt;/i&gt;</a>'
    )


def test_wrap_escapes_each_line() -> None:
    assert wrap("<b>bold</b> " * 3, width=12) == "&lt;b&gt;bold&lt;/b&gt;<br>" * 2 + (
        "&lt;b&gt;bold&lt;/b&gt;"
    )


def test_script_json_cannot_close_a_script() -> None:
    text = script_json({"x": "</script><!-- \u2028"})
    assert "</" not in text and "<!--" not in text
    assert json.loads(text) == {"x": "</script><!-- \u2028"}


@pytest.mark.parametrize("text", [*HOSTILE, "</SCRIPT >", "<!-- x", "a\u2028b\u2029", "<\\/x"])
def test_script_safe_json_cannot_close_a_script_and_reads_back(text: str) -> None:
    from graphkit.render._html import script_safe

    out = script_safe(json.dumps({"a": [text, {"b": text}]}, ensure_ascii=False))
    assert "</" not in out and "<!--" not in out and "\u2028" not in out
    assert json.loads(out) == {"a": [text, {"b": text}]}


def test_esc_fast_path_matches_the_full_escape() -> None:
    import html
    import random

    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice("ab &<>\"'\r\n;#") for _ in range(rng.randint(0, 10)))
        expected = html.escape(text, quote=False).replace('"', "&#34;").replace("'", "&#39;")
        expected = expected.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
        assert esc(text) == expected


# ---- the strings issue 15 added to pages: titles, bar labels, legends, headings, messages ------

EVIL = '<img src=x onerror="alert(1)">'


def _evil_kb() -> gk.KnowledgeBase:
    return gk.loads(
        f"""
format_version: 1
event_types: [{{id: evil, label: {json.dumps(EVIL)}, quad_class: material_conflict, hostility: 5}}]
actors:
  - {{id: A, name: {json.dumps(EVIL)}, kind: state}}
  - {{id: B, name: "<b>Beta</b>", kind: state}}
relations: [{{id: r, type: allied_with, from: A, to: B, start: 1990}}]
events:
  - {{id: e1, type: evil, date: 2024-10-02, actor: A, title: {json.dumps(EVIL)},
     quantities: [{{min: 1, max: 2, unit: {json.dumps(EVIL)}}}]}}
  - {{id: e2, type: statement, date: 2024-10-03, actor: B, summary: {json.dumps(EVIL + ". More")}}}
"""
    )


def test_titles_bar_labels_legends_and_headings_are_escaped() -> None:
    from graphkit.render import network, timeline
    from graphkit.render.html import figure_div

    kb = _evil_kb()
    fig = timeline(kb, title=EVIL, subtitle=EVIL)
    texts = [x for t in fig.data for x in (t.text or ()) if x]
    assert any("&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in x for x in texts)  # the title
    assert any(x.startswith("◀ since 1990 · allied with &lt;b&gt;Beta") for x in texts)  # a bar
    names = [t.name for t in fig.data] + [t.legendgrouptitle.text or "" for t in fig.data]
    names += list(fig.layout.yaxis.ticktext) + [fig.layout.title.text, fig.layout.title.subtitle.text]
    for text in [*texts, *names]:
        assert "<img" not in text and "<b>Beta" not in text, text
    for figure in (fig, network(kb, title=EVIL)):
        section = figure_div(figure, "view")
        head = section[: section.index('<div class="gk-controls"')]
        assert "<img" not in head and "&lt;img src=x" in head  # the HTML heading


def test_page_script_writes_data_as_text_only() -> None:
    from graphkit.render.html import page_script

    script = page_script()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                 "new Function"):  # fmt: skip
        assert sink not in script, sink
    assert "textContent" in script


def test_escalation_rows_carry_event_ids_as_escaped_json() -> None:
    import html
    import re
    from types import SimpleNamespace as S

    from graphkit.render.escalation import escalation_table_html

    ids = ['"><script>alert(1)</script>', "a b", "</tr>"]
    table = escalation_table_html([S(kind="ladder", when="2024", evidence=ids)])
    assert "<script>" not in table and "</tr></tr>" not in table
    (raw,) = re.findall(r'data-events="([^"]*)"', table)
    assert json.loads(html.unescape(raw)) == ids
