r"""The one gateway between data strings and HTML: every name, summary, quote and URL passes here.

Plotly renders a subset of HTML inside text (``<b>``, ``<br>``, ``<a href>``, ``<span style>``),
in hover labels, tick labels, legend entries and button labels, so an unescaped string from a data
file could spoof a tooltip or a link. Every module of :mod:`graphkit.render` builds such text only
with the helpers below:

* :func:`esc` escapes text for plotly text *and* for HTML documents. It uses numeric entities for
  quotes (``&#34;``, ``&#39;``) because plotly decodes only numeric entities and ``&amp;``,
  ``&lt;``, ``&gt;`` (``&quot;`` would show literally in a tooltip);
* :func:`safe_url` accepts only absolute ``http``/``https`` URLs (``javascript:``, ``data:`` and
  relative URLs are refused) and percent-encodes the characters that could end an attribute or a
  tag;
* :func:`link` and :func:`html_link` build anchors from :func:`safe_url` and :func:`esc`; anything
  else is shown as escaped text;
* :func:`tag` wraps *already escaped* markup in a fixed tag; :func:`wrap` breaks long text into
  escaped lines.

Examples:
    >>> esc('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&#34;alert(1)&#34;&gt;'
    >>> safe_url("javascript:alert(1)") is None
    True
    >>> link("https://example.org/a?b=1&c=\"2\"", "<b>x</b>")
    '<a href="https://example.org/a?b=1&c=%222%22" target="_blank">&lt;b&gt;x&lt;/b&gt;</a>'
    >>> link("javascript:alert(1)", "click")
    'click'
"""

from __future__ import annotations

import html
import json
import re
import textwrap
from typing import Any
from urllib.parse import urlsplit

from graphkit._controls import BIDI_CONTROLS, neutralise

__all__ = [
    "clip",
    "esc",
    "html_link",
    "join",
    "link",
    "safe_url",
    "script_json",
    "script_safe",
    "tag",
    "wrap",
]

#: Characters percent-encoded in URLs: they could close an attribute or a tag, or start an entity.
_URL_ESCAPES = {
    '"': "%22",
    "'": "%27",
    "<": "%3C",
    ">": "%3E",
    "\\": "%5C",
    "`": "%60",
    " ": "%20",
}

#: Characters :func:`esc` changes: HTML's, line breaks, and the hidden characters (C0/C1 controls,
#: bidi overrides) that :func:`graphkit._controls.neutralise` shows as visible ``\\uXXXX`` codes.
_SPECIAL = re.compile("[&<>\"'\r\n\x00-\x08\x0b-\x1f\x7f-\x9f" + BIDI_CONTROLS + "\u2028\u2029]")


def esc(value: object) -> str:
    """Escape a data value for plotly text and HTML (``None`` becomes an empty string).

    Newlines become spaces (plotly does the same); use :func:`wrap` or ``<br>`` for lines.

    Examples:
        >>> esc("Tom & Jerry's <script>")
        'Tom &amp; Jerry&#39;s &lt;script&gt;'
        >>> esc(None)
        ''
    """
    if value is None:
        return ""
    text = str(value)
    if _SPECIAL.search(text) is None:  # most names and ids: nothing to escape, one scan
        return text
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    text = html.escape(neutralise(text), quote=False)
    return text.replace('"', "&#34;").replace("'", "&#39;")


def safe_url(url: object) -> str | None:
    """Return ``url`` if it is an absolute http(s) URL (with risky characters encoded), else None.

    Examples:
        >>> safe_url("https://example.org/path")
        'https://example.org/path'
        >>> safe_url("HTTPS://example.org/a b")
        'HTTPS://example.org/a%20b'
        >>> [safe_url(u) for u in ("javascript:alert(1)", "data:text/html,x", "//evil", "")]
        [None, None, None, None]
    """
    if not isinstance(url, str):
        return None
    text = url.strip()
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return "".join(_URL_ESCAPES.get(ch, ch) for ch in text)


def link(url: object, label: object) -> str:
    """Return a plotly-text anchor to ``url`` showing ``label``, or the escaped label alone.

    The anchor opens in a new tab. Only http(s) URLs become links (see :func:`safe_url`).

    Examples:
        >>> link("https://example.org", "Example")
        '<a href="https://example.org" target="_blank">Example</a>'
        >>> link(None, "No URL")
        'No URL'
    """
    href = safe_url(url)
    if href is None:
        return esc(label)
    return f'<a href="{href}" target="_blank">{esc(label)}</a>'


def html_link(url: object, label: object) -> str:
    """Return an HTML-document anchor (``rel="noopener noreferrer"``) or the escaped label.

    Examples:
        >>> html_link("https://example.org/?a=1&b=2", "x")
        '<a href="https://example.org/?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">x</a>'
    """
    href = safe_url(url)
    if href is None:
        return esc(label)
    return (
        f'<a href="{html.escape(href, quote=True)}" target="_blank" '
        f'rel="noopener noreferrer">{esc(label)}</a>'
    )


def tag(name: str, markup: str) -> str:
    """Wrap already escaped ``markup`` in the fixed tag ``name`` (``b``, ``i``, ``td``, ...).

    Examples:
        >>> tag("b", esc("<x>"))
        '<b>&lt;x&gt;</b>'
    """
    if not name.isalnum():
        raise ValueError(f"not a tag name: {name!r}")
    return f"<{name}>{markup}</{name}>"


def wrap(value: object, width: int = 80, *, max_lines: int | None = None) -> str:
    """Escape ``value`` and break it into lines of at most ``width`` characters with ``<br>``.

    Examples:
        >>> wrap("one two three <four>", width=9)
        'one two<br>three<br>&lt;four&gt;'
        >>> wrap("a b c d", width=3, max_lines=1)
        'a b…'
    """
    if value is None:
        return ""
    text = " ".join(str(value).split())
    if len(text) <= width:  # one line: what textwrap would return, without its cost
        return esc(text)
    words = text.split(" ")
    if max(map(len, words)) > width:  # words to break: textwrap's rules
        lines = textwrap.wrap(text, width=width) or [""]
    else:  # greedy filling, as textwrap does (without its cost), breaking at spaces only
        lines = [words[0]]
        for word in words[1:]:
            if len(lines[-1]) + 1 + len(word) <= width:
                lines[-1] += " " + word
            else:
                lines.append(word)
    if max_lines is not None and len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], lines[max_lines - 1] + "…"]
    return "<br>".join(esc(line) for line in lines)


def clip(value: object, width: int) -> str:
    """Escape ``value`` on one line of at most ``width`` characters, cut at a word with ``…``.

    Examples:
        >>> clip("one two <three>", 9)
        'one two…'
        >>> clip("short", 9)
        'short'
    """
    if value is None:
        return ""
    text = " ".join(str(value).split())
    if len(text) <= width:
        return esc(text)
    cut = text[:width]
    space = cut.rfind(" ")
    return esc(cut[:space] if space > width // 2 else cut) + "…"


def join(parts: list[str], separator: str = "<br>") -> str:
    """Join already escaped parts with a fixed separator, dropping empty ones."""
    return separator.join(part for part in parts if part)


def script_json(value: Any) -> str:
    r"""Serialize ``value`` as JSON safe to place inside an HTML ``<script>`` element.

    ``<``, ``>``, ``&`` and the line separators U+2028/U+2029 are written as ``\uXXXX``, so no
    data can close the script element or open a comment.

    Examples:
        >>> script_json({"a": "</script><script>alert(1)</script>"})
        '{"a":"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


def script_safe(json_text: str) -> str:
    r"""Make serialized JSON safe inside an HTML ``<script>`` element, growing it little.

    A script element ends only at ``</`` and changes state only at ``<!--``; JSON has ``<`` only
    inside strings, where ``<\/`` and ``\u003c!--`` mean the same text. U+2028/U+2029 are escaped
    too. Use it for large payloads (plotly figures); :func:`script_json` escapes every ``<``,
    ``>`` and ``&``.

    Examples:
        >>> script_safe('{"a":"</script><!--x-->"}')
        '{"a":"<\\/script>\\u003c!--x-->"}'
    """
    for raw, escaped in (
        ("</", "<\\/"),
        ("<!--", "\\u003c!--"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        if raw in json_text:
            json_text = json_text.replace(raw, escaped)
    return json_text
