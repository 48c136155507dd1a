"""Fewer passes of Python's cyclic garbage collector while a batch runs."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: Net container allocations between first-generation collections during a batch
#: (CPython's default is 700).
BATCH_GEN0_THRESHOLD = 20_000


@contextmanager
def fewer_collections(gen0_threshold: int = BATCH_GEN0_THRESHOLD) -> Iterator[None]:
    """Raise the collector's first-generation threshold for the duration, then restore it.

    Every request allocates thousands of short-lived containers (HTTP objects, JSON, pydantic
    models); at the default threshold the collector ran some 500 times per 1,280 articles and
    took 13 % of the client's CPU at concurrency 64 (``benchmarks/batch_throughput.py``).
    Cycles are still collected, in larger and rarer steps; reference counting frees everything
    else at once as before, so memory grows only by the cyclic garbage of one larger step.
    """
    previous = gc.get_threshold()
    gc.set_threshold(max(gen0_threshold, previous[0]), *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)
