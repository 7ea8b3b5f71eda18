"""The two things the async and sync clients do differently: sleeping and fanning out.

Hand-written twin of ``selfcare/_async/_io.py`` (``scripts/unasync.py`` skips this file): the
sync client sleeps with ``time.sleep`` and does one call at a time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TypeVar

__all__ = ["map_bounded", "sleep"]

T = TypeVar("T")
R = TypeVar("R")


def sleep(seconds: float) -> None:
    """Pause the calling thread."""
    time.sleep(seconds)


def map_bounded(func: Callable[[T], R], items: Iterable[T], *, limit: int) -> list[R]:
    """``func`` over ``items`` one after another (``limit`` only matters to the async twin)."""
    del limit
    return [func(item) for item in items]
