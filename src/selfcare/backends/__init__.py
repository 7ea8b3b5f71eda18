"""Backends: where operations are executed.

The fake operator's classes load on first use (PEP 562), so ``import selfcare`` does not build
the simulator; ``from selfcare.backends import FakeBackend`` works as ever.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from selfcare._client import lazy as _lazy
from selfcare.backends._base import AsyncBackend, Backend

if TYPE_CHECKING:
    from selfcare.backends.fake import AsyncFakeBackend, FakeBackend, FakeOperator

__all__ = ["AsyncBackend", "AsyncFakeBackend", "Backend", "FakeBackend", "FakeOperator"]

_LAZY = dict.fromkeys(["AsyncFakeBackend", "FakeBackend", "FakeOperator"], "selfcare.backends.fake")


def __getattr__(name: str) -> object:
    return _lazy.attribute(globals(), _LAZY, name)


def __dir__() -> list[str]:
    return _lazy.names(globals(), _LAZY)
