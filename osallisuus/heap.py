"""Keep the garbage collector off the objects that exist before a heavy step.

Python's cyclic garbage collector now and then walks every tracked object of the process
(a full collection). With pandas, SciPy, statsmodels, matplotlib and WeasyPrint loaded that
is several hundred thousand objects and tens of milliseconds a walk, and a report's steps
(statsmodels' Holm adjustment calls ``gc.collect()`` on every call; WeasyPrint makes boxes
by the ten thousand) trigger many walks. Inside :func:`frozen_heap` the objects that existed
when it was entered are in the collector's permanent generation (:func:`gc.freeze`), so a
walk visits only what the step itself made; on leaving, :func:`gc.unfreeze` hands them back.
Nothing is freed earlier or kept alive longer by reference counting; a cycle among the
frozen objects is merely collected after the step instead of during it.

Both calls move whole generation lists, so entering and leaving cost next to nothing. Nested
blocks freeze once (the outermost); a heap frozen by someone else is left as it is.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

__all__ = ["frozen_heap"]

_depth = 0


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
    # gc.get_freeze_count() walks the frozen list: asked only at the outermost level, where it
    # is empty (and so free) unless someone else froze the heap, which is then left alone
    mine = _depth == 0 and gc.get_freeze_count() == 0
    if mine:
        gc.freeze()
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if mine:
            gc.unfreeze()
