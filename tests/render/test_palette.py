"""The one palette: colours by type family, readable on white and under white (WCAG)."""

from __future__ import annotations

import graphkit as gk
from graphkit.render._describe import Describer
from graphkit.render._palette import FAMILIES, MUTED, TEXT, contrast, event_family
from graphkit.render.timeline.traces import RELATION_TINT, tint

WHITE = "#FFFFFF"


def test_every_colour_reads_on_white_and_under_white_text() -> None:
    # WCAG 2.x AA for text: 4.5:1. Markers and bars stand out on the white plot, white text
    # reads on them, and a colour can be used for text.
    for family in FAMILIES.values():
        for shade in family.shades:
            assert contrast(shade, WHITE) >= 4.5, (family.key, shade)


def test_label_text_reads_on_white_and_on_every_relation_bar() -> None:
    assert contrast(TEXT, WHITE) >= 7  # AAA
    assert contrast(MUTED, WHITE) >= 4.5
    for family in FAMILIES.values():
        for shade in family.shades:
            assert contrast(TEXT, tint(shade, RELATION_TINT)) >= 7, shade


def test_families_come_from_the_published_scales() -> None:
    vocab = gk.loads("format_version: 1").vocabulary
    families = {t: event_family(vocab, t) for t in vocab.event_types}
    assert families["attack"] == families["invasion"] == "force"  # CoW hostility 4-5
    assert families["sanction"] == families["missile_test"] == "coercion"
    assert families["threat"] == families["accusation"] == "verbal_conflict"
    assert families["arms_transfer"] == families["troop_deployment"] == "material_cooperation"
    assert families["statement"] == families["meeting"] == "verbal_cooperation"


def test_types_of_one_family_differ_and_hues_do_not_repeat_across_families(
    flagship: gk.KnowledgeBase,
) -> None:
    d = Describer(flagship)
    kinds = sorted({e.type for e in flagship.events})
    styles = {k: (d.family(k).key, d.colour(k), d.symbol(k)) for k in kinds}
    # within a family: a different shade, or (past the shades) a different symbol
    assert len({(f, c, s) for f, c, s in styles.values()}) == len(kinds)
    # the aid, sanction and statement of the issue no longer share a colour
    assert len({d.colour("aid"), d.colour("sanction"), d.colour("statement")}) == 3
    event_shades = {
        key: set(FAMILIES[key].shades)
        for key in ("force", "coercion", "verbal_conflict", "material_cooperation",
                    "verbal_cooperation")
    }  # fmt: skip
    keys = list(event_shades)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            assert not event_shades[a] & event_shades[b], (a, b)
