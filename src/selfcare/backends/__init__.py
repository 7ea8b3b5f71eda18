"""Backends: where operations are executed.

The fake operator's classes and the HTTP backend load on first use (PEP 562), so
``import selfcare`` neither builds the simulator nor imports httpx;
``from selfcare.backends import FakeBackend, HttpBackend`` works.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from selfcare._client import lazy as _lazy
from selfcare.backends._base import AsyncBackend, Backend

if TYPE_CHECKING:
    from selfcare.backends.fake import AsyncFakeBackend, FakeBackend, FakeOperator
    from selfcare.backends.http import AsyncHttpBackend, HttpBackend

__all__ = [
    "AsyncBackend",
    "AsyncFakeBackend",
    "AsyncHttpBackend",
    "Backend",
    "FakeBackend",
    "FakeOperator",
    "HttpBackend",
]

_LAZY = {
    **dict.fromkeys(["AsyncFakeBackend", "FakeBackend", "FakeOperator"], "selfcare.backends.fake"),
    "AsyncHttpBackend": "selfcare.backends.http._async",
    "HttpBackend": "selfcare.backends.http._sync",
}


def __getattr__(name: str) -> object:
    return _lazy.attribute(globals(), _LAZY, name)


def __dir__() -> list[str]:
    return _lazy.names(globals(), _LAZY)
