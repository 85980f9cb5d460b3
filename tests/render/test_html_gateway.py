"""The one escaping gateway: hostile strings never survive as markup, only http(s) links."""

from __future__ import annotations

import json

import pytest

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
