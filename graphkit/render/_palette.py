"""One palette for every figure: colours by type *family*, each readable on white and under white.

An event type's family comes from the published scales its vocabulary entry already carries
(``graphkit/data/event_types.yaml``): the ICEWS QuadClass, with material conflict split by the
Correlates of War hostility level into use of force (4–5) and coercion (1–3). A relation type's
family comes from its flags (``war``, ``hostile``, ``supportive``). Types of one family share a
hue (reds for force, blues for verbal cooperation, ...), so a reader sees at a glance what kind of
thing happened; shades within the hue tell the types apart, and when a family has more types than
shades the next ones also change marker symbol.

Every colour has a contrast ratio of at least 4.5:1 with white (WCAG 2.x AA for text): markers
and bars stand out on the white plot, white text reads inside a bar, and the colour itself can be
used for text. ``tests/render/test_palette.py`` checks it.

Examples:
    >>> FAMILIES["force"].label, FAMILIES["force"].shades[0]
    ('Use of force', '#B91C1C')
    >>> round(contrast("#B91C1C", "#FFFFFF"), 2)
    6.47
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graphkit.model.vocab import Vocabulary

__all__ = [
    "FAMILIES",
    "MUTED",
    "SYMBOLS",
    "TEXT",
    "Family",
    "contrast",
    "event_family",
    "relation_family",
]


@dataclass(frozen=True)
class Family:
    """A family of types: its legend heading, its order and its shades."""

    key: str
    label: str
    rank: int
    shades: tuple[str, ...]
    description: str


#: The families, in legend order (events first, then relations).
FAMILIES: dict[str, Family] = {
    f.key: f
    for f in (
        Family(
            "force",
            "Use of force",
            0,
            ("#B91C1C", "#881337", "#DC2626", "#7F1D1D", "#E11D48", "#9F1239"),
            "material conflict at hostility level 4-5: attacks, strikes, combat, casualties, "
            "invasion, seizure",
        ),
        Family(
            "coercion",
            "Coercion and shows of force",
            1,
            ("#7E22CE", "#A21CAF", "#581C87", "#9333EA", "#86198F", "#6D28D9"),
            "material conflict at hostility level 1-3: sanctions, designations, expulsions, "
            "mobilisation, exercises, missile tests",
        ),
        Family(
            "verbal_conflict",
            "Verbal conflict",
            2,
            ("#C2410C", "#92400E", "#B45309", "#9A3412", "#A16207", "#78350F"),
            "threats, accusations, demands, condemnations",
        ),
        Family(
            "material_cooperation",
            "Material cooperation",
            3,
            ("#15803D", "#0F766E", "#3F6212", "#047857", "#166534", "#115E59"),
            "aid, arms transfers, troop deployments, training, ceasefires",
        ),
        Family(
            "verbal_cooperation",
            "Statements and diplomacy",
            4,
            ("#1D4ED8", "#0E7490", "#4338CA", "#0369A1", "#1E3A8A", "#2563EB"),
            "statements, meetings, visits, treaties, intelligence reports (ICEWS counts them as "
            "verbal cooperation)",
        ),
        Family(
            "other",
            "Other events",
            5,
            ("#4B5563", "#57534E", "#374151"),
            "event types without a QuadClass",
        ),
        Family(
            "war",
            "Relations: war",
            6,
            ("#B91C1C", "#7F1D1D", "#DC2626"),
            "relation types flagged war (at war with)",
        ),
        Family(
            "hostile",
            "Relations: hostile",
            7,
            ("#7E22CE", "#A21CAF", "#581C87", "#9333EA"),
            "relation types flagged hostile: hostile to, attacks, sanctions",
        ),
        Family(
            "supportive",
            "Relations: alignment",
            8,
            ("#15803D", "#0F766E", "#3F6212", "#047857", "#166534"),
            "relation types flagged supportive: allied with, supports, supplies arms to",
        ),
        Family(
            "structure",
            "Relations: structure",
            9,
            ("#475569", "#57534E", "#64748B", "#334155"),
            "other relation types: member of, part of, leads",
        ),
    )
}

#: Marker symbols used after a family's shades run out (the first round is circles).
SYMBOLS = ("circle", "square", "triangle-up", "hexagon", "star")
#: Text on white (labels, lane names): contrast 12.6:1.
TEXT = "#333333"
#: Secondary text and unlinked items (contrast 4.8:1).
MUTED = "#6B7280"


def event_family(vocabulary: Vocabulary, type_id: str) -> str:
    """The family key of an event type (``other`` when it has no QuadClass).

    Examples:
        >>> import graphkit as gk
        >>> vocab = gk.loads("format_version: 1").vocabulary
        >>> [event_family(vocab, t) for t in ("attack", "sanction", "threat", "aid", "statement")]
        ['force', 'coercion', 'verbal_conflict', 'material_cooperation', 'verbal_cooperation']
    """
    found = vocabulary.event_types.get(type_id)
    if found is None or found.quad_class is None:
        return "other"
    if found.quad_class == "material_conflict":
        return "force" if found.hostility >= 4 else "coercion"
    return found.quad_class


def relation_family(vocabulary: Vocabulary, type_id: str) -> str:
    """The family key of a relation type, from its ``war``/``hostile``/``supportive`` flags.

    Examples:
        >>> import graphkit as gk
        >>> vocab = gk.loads("format_version: 1").vocabulary
        >>> types = ("at_war_with", "sanctions", "allied_with", "leads")
        >>> [relation_family(vocab, t) for t in types]
        ['war', 'hostile', 'supportive', 'structure']
    """
    found = vocabulary.relation_types.get(type_id)
    if found is None:
        return "structure"
    if found.war:
        return "war"
    if found.hostile:
        return "hostile"
    if found.supportive:
        return "supportive"
    return "structure"


def _luminance(colour: str) -> float:
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """The WCAG 2.x contrast ratio of two ``#RRGGBB`` colours (1 to 21).

    Examples:
        >>> contrast("#000000", "#FFFFFF")
        21.0
    """
    a, b = _luminance(first), _luminance(second)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)
