"""Pausing the cyclic garbage collector around bulk allocation.

Building 100,000 validated models or 200,000 graph edges allocates millions of young objects, and
every generation-2 collection walks all of them: with the collector running, bulk work costs
several times more. Nothing built here forms garbage cycles worth collecting mid-way.

Re-enabling the collector is not the end of it: everything allocated during the pause is still in
the youngest generation, so the next collection walks all of it (about a second for a
100,000-event knowledge base), and later full collections walk it again whenever other work
allocates. A block that builds something long-lived (a loaded knowledge base, a graph) can say
``keep=True``: when it allocated more than :data:`FREEZE_MIN` objects, they are moved to the
collector's permanent generation (:func:`gc.freeze`, an O(1) list splice), where collections no
longer walk them. They are still freed as usual when their last reference goes (reference counting
is untouched); only garbage *cycles* that existed at that moment wait for :func:`gc.unfreeze`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["FREEZE_MIN", "gc_paused"]

#: Objects a ``keep=True`` block must have allocated (net) before they are frozen: below this a
#: collection walks them in milliseconds, and freezing is not worth keeping cycles around.
FREEZE_MIN = 200_000


@contextmanager
def gc_paused(*, keep: bool = False) -> Iterator[None]:
    """Disable the cyclic garbage collector inside the block, restoring its state after.

    Args:
        keep: What the block builds is long-lived: freeze it when it is large (module docstring).

    Examples:
        >>> with gc_paused():
        ...     gc.isenabled()
        False
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep and gc.get_count()[0] > FREEZE_MIN:
            gc.freeze()
        if enabled:
            gc.enable()
