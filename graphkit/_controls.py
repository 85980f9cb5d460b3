r"""Control and bidirectional-formatting characters: refused in ids, made visible on display.

A string from a data file or from a server can hold characters that a terminal or a browser does
not show but obeys: C0 and C1 control characters (``ESC [ 2 J`` clears a terminal, ``ESC ] 52``
writes its clipboard, U+009B is an 8-bit CSI) and the bidirectional overrides and isolates
(U+202A–U+202E, U+2066–U+2069) that reverse how the text around them reads. This module is the
one place that lists them:

* :data:`ID_FORBIDDEN` is the character class the model refuses in ids (with C0, DEL, C1, the
  bidi controls and the line and paragraph separators);
* :func:`neutralise` replaces each of them in text shown to a reader (terminal lines, HTML) by a
  visible ``\uXXXX``, keeping newlines and tabs; inside JSON strings that is the escape of the
  same character, so JSON output keeps its values;
* :func:`strip_controls` removes terminal escape sequences and those characters from text a
  server sent (error bodies, ``Location`` headers) before it is echoed.

Examples:
    >>> neutralise("evil\u202ecod.exe\x1b[2J")
    'evil\\u202ecod.exe\\u001b[2J'
    >>> strip_controls("\x1b]52;c;aGk=\x07denied\x1b[31m!\x9b")
    'denied!'
"""

from __future__ import annotations

import re

__all__ = ["BIDI_CONTROLS", "ID_FORBIDDEN", "neutralise", "strip_controls"]

#: Bidirectional formatting characters: ALM, LRM, RLM, embeddings and overrides, isolates.
BIDI_CONTROLS = r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
#: Characters that may not appear in an id (a regular-expression class body): C0, DEL, C1, the
#: bidi controls, and the line and paragraph separators (YAML line breaks).
ID_FORBIDDEN = r"\x00-\x1f\x7f-\x9f" + BIDI_CONTROLS + r"\u2028\u2029"

# Shown as \uXXXX: C0 but tab and newline, DEL, C1, bidi controls, line/paragraph separators.
_HIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f" + BIDI_CONTROLS + r"\u2028\u2029]")
# Terminal sequences: CSI (ESC [ or 8-bit CSI ... final byte), OSC/DCS/APC/PM/SOS strings up to
# their terminator (BEL or ESC \), and two-character ESC sequences.
_SEQUENCES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]P^_X]|[\x90\x9d\x9e\x9f\x98])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]"
)


def _visible(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def neutralise(text: str) -> str:
    r"""Replace the characters a reader cannot see but a terminal or browser obeys by ``\uXXXX``.

    Newlines and tabs stay; everything else printable is unchanged.

    Examples:
        >>> neutralise("line\n\ttab")
        'line\n\ttab'
        >>> neutralise("\x9b31m\u2066x")
        '\\u009b31m\\u2066x'
    """
    if _HIDDEN.search(text) is None:
        return text
    return _HIDDEN.sub(_visible, text)


def strip_controls(text: str) -> str:
    r"""Remove terminal escape sequences and hidden characters (see :func:`neutralise`).

    Newlines and tabs stay. For text from a server, which no one wants to see escaped.

    Examples:
        >>> strip_controls("a\r\nb\x00c\u202e")
        'a\nbc'
    """
    return _HIDDEN.sub("", _SEQUENCES.sub("", text))
