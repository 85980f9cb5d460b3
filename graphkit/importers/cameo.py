"""CAMEO event codes to graphkit event types, through the codes in the event type vocabulary.

Each shipped event type names its closest CAMEO code (``graphkit/data/event_types.yaml``). A
dataset's CAMEO code maps to a type in this order:

1. a type whose code equals the event code (``"0874"`` needs a type coded ``0874``);
2. the longest prefix of the code, down to three digits (``"1122"`` -> ``"112"``, accusation);
3. the root code's generic three-digit code (root ``"19"`` -> ``"190"``, attack);
4. ``other``.

When several types share a code (``190`` is the code of attack, combat, casualties and
join_war), the first of them in vocabulary order wins, and ``other`` is never picked by code.

>>> from graphkit.io.vocabulary import default_vocabulary
>>> index = cameo_index(default_vocabulary())
>>> [map_cameo(code, index).type for code in ("0874", "1122", "193", "036")]
['troop_withdrawal', 'accusation', 'attack', 'other']
>>> map_cameo("193", index)
CameoMatch(type='attack', code='190', how='root')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from graphkit.model.vocab import Vocabulary

__all__ = ["CameoMatch", "cameo_index", "map_cameo"]

#: The type used when no CAMEO code of the vocabulary matches.
FALLBACK = "other"


@dataclass(frozen=True)
class CameoMatch:
    """The event type chosen for a CAMEO code, the vocabulary code that matched, and how."""

    type: str
    code: str | None
    how: Literal["exact", "prefix", "root", "none"]


def cameo_index(vocabulary: Vocabulary) -> dict[str, str]:
    """Return ``{CAMEO code: event type id}``, the first type in vocabulary order per code."""
    index: dict[str, str] = {}
    for event_type in vocabulary.event_types.values():
        if event_type.cameo and event_type.id != FALLBACK:
            index.setdefault(event_type.cameo, event_type.id)
    return index


def map_cameo(code: str, index: dict[str, str]) -> CameoMatch:
    """Map a CAMEO event code (two to four digits, leading zeros kept) to an event type."""
    code = code.strip()
    if code in index:
        return CameoMatch(index[code], code, "exact")
    for length in range(len(code) - 1, 2, -1):
        prefix = code[:length]
        if prefix in index:
            return CameoMatch(index[prefix], prefix, "prefix")
    generic = code[:2] + "0"
    if len(code) >= 2 and generic in index:
        return CameoMatch(index[generic], generic, "root")
    return CameoMatch(FALLBACK, None, "none")
