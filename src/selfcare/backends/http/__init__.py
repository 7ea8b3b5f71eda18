"""The HTTP backend: a client on a server (ours, or an operator's TM Forum face), over httpx.

``_async.py`` is the source; ``_sync.py`` is generated from it by ``scripts/unasync.py``. Each
class loads on first use (PEP 562), so the sync one does not bring asyncio along.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from selfcare._client import lazy as _lazy

if TYPE_CHECKING:
    from selfcare.backends.http._async import AsyncHttpBackend
    from selfcare.backends.http._sync import HttpBackend

__all__ = ["AsyncHttpBackend", "HttpBackend"]

_LAZY = {
    "AsyncHttpBackend": "selfcare.backends.http._async",
    "HttpBackend": "selfcare.backends.http._sync",
}


def __getattr__(name: str) -> Any:
    return _lazy.attribute(globals(), _LAZY, name)


def __dir__() -> list[str]:
    return _lazy.names(globals(), _LAZY)
