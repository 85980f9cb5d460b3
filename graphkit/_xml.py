r"""Text for XML 1.0 files (RDF/XML, GraphML, GEXF): escaping, and the characters XML cannot hold.

XML 1.0 allows tab, newline, carriage return and the characters from U+0020 up, except the
surrogates and U+FFFE/U+FFFF. A file holding another character is not XML (expat, libxml2 and
every XML tool reject it), and no escape helps: ``&#xFFFF;`` is not allowed either. Writers
refuse such text with an error naming where it is (:func:`illegal_character`), never drop or
replace it silently.

Examples:
    >>> escape_text("a < b & c\r")
    'a &lt; b &amp; c&#13;'
    >>> escape_attribute('say "hi"\tnow')
    'say &quot;hi&quot;&#9;now'
    >>> illegal_character("ok"), illegal_character("bad \uffff")
    (None, 'U+FFFF')
"""

from __future__ import annotations

import re

__all__ = ["XML_ILLEGAL", "escape_attribute", "escape_text", "illegal_character"]

#: Characters XML 1.0 cannot hold, escaped or not.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Carriage returns are written as references: XML parsers turn a literal CR (or CR LF) into LF.
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
# In attributes, tabs and newlines too: attribute-value normalisation turns them into spaces.
_ATTRIBUTE = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\t": "&#9;",
        "\n": "&#10;",
        "\r": "&#13;",
    }
)


def escape_text(text: str) -> str:
    """Escape element content so an XML parser gives back exactly ``text``."""
    return text.translate(_TEXT)


def escape_attribute(text: str) -> str:
    """Escape a double-quoted attribute value so an XML parser gives back exactly ``text``."""
    return text.translate(_ATTRIBUTE)


def illegal_character(text: str) -> str | None:
    """The first character of ``text`` XML 1.0 cannot hold, as ``U+XXXX``; ``None`` if none."""
    found = XML_ILLEGAL.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"
