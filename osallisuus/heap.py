"""Keep the garbage collector off the objects that exist before a heavy step.

Python's cyclic garbage collector now and then walks every tracked object of the process
(a full collection). With pandas, SciPy, statsmodels, matplotlib and nbconvert loaded that
is several hundred thousand objects and tens of milliseconds a walk, and a report's steps
(statsmodels' Holm adjustment calls ``gc.collect()`` on every call; matplotlib makes
artists by the thousand) trigger many walks. Inside :func:`frozen_heap` the objects that existed
when it was entered are in the collector's permanent generation (:func:`gc.freeze`), so a
walk visits only what the step itself made; on leaving, :func:`gc.unfreeze` hands them back.
Nothing is freed earlier or kept alive longer by reference counting; a cycle among the
frozen objects is merely collected after the step instead of during it.

Both calls move whole generation lists, so entering and leaving cost next to nothing. Nested
blocks freeze once (the outermost).

A long-lived worker (the batch's warm kernel) calls :func:`hold` after its warm-up and after
each region's namespace reset instead: what survives then (modules, settings and data caches)
stays frozen for the life of the process, so every collection, IPython's ``%reset`` included,
walks only the current region's objects; :func:`frozen_heap` then leaves the heap alone.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

__all__ = ["frozen_heap", "hold"]

_depth = 0
_held = False       # hold() was called: the heap stays frozen, frozen_heap() does nothing


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Freeze the objects that exist now for the duration of the block (also a decorator).

    Examples
    --------
    >>> import gc
    >>> with frozen_heap():
    ...     inside = gc.get_freeze_count() > 0
    >>> inside, gc.get_freeze_count()
    (True, 0)
    """
    global _depth
    # gc.get_freeze_count() walks the frozen list (about 10 ms for a held heap): never asked
    # when hold() froze it, otherwise only at the outermost level, where it is empty and free
    # unless someone else froze the heap, which is then left alone
    mine = _depth == 0 and not _held and gc.get_freeze_count() == 0
    if mine:
        gc.freeze()
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if mine:
            gc.unfreeze()


def hold(collect: bool = True) -> None:
    """Freeze every object that exists now for the life of the process (after an optional full
    collection, so no garbage is kept); later :func:`frozen_heap` blocks do nothing.

    For a process that runs one job after another with the same modules and caches: the
    batch's warm kernel calls it after its warm-up and after each namespace reset. A cycle
    among the held objects that later becomes garbage is not collected (objects freed by
    reference counting, i.e. nearly all, are freed as usual).
    """
    global _held
    if collect:
        gc.collect()
    gc.freeze()
    _held = True
